"""Notebook kernels that do not stall on a missed wake-up.

jupyter_client's asyncio channels wait for a message on ZeroMQ's edge-triggered file descriptor. When that edge is
consumed elsewhere (pyzmq issue 2173), `get_msg(timeout=…)` sleeps the whole timeout although the message is
already there, then returns it: a notebook cell « takes » the run's per-cell timeout (300 s) and ends without
error. These channels wait in slices of one second, each ending with a real poll, so a missed wake-up costs at most
a second. Used by every notebook run of casekit (`editions.execute_notebook`, the reports, the notebook tests) and
by Voilà, which runs the app notebook with such a client before it sends the page (`casekit app`, the browser
tests): a missed wake-up there would keep the page loading indefinitely (no timeout).
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from jupyter_server.services.kernels.kernelmanager import ServerKernelManager
from traitlets import DottedObjectName, Type, default

POLL_SLICE_S = 1.0


class SlicedPollChannel(AsyncZMQSocketChannel):
    """`get_msg` waits at most `POLL_SLICE_S` at a time until its timeout (None: forever)."""

    async def get_msg(self, timeout: float | None = None) -> dict:
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = POLL_SLICE_S if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                return await super().get_msg(timeout=min(POLL_SLICE_S, left))
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise


class SlicedPollKernelClient(AsyncKernelClient):
    """An asyncio kernel client whose message channels are `SlicedPollChannel`s."""

    shell_channel_class = Type(SlicedPollChannel)
    iopub_channel_class = Type(SlicedPollChannel)
    stdin_channel_class = Type(SlicedPollChannel)
    control_channel_class = Type(SlicedPollChannel)


class SlicedPollKernelManager(AsyncKernelManager):
    """The kernel manager to give nbclient or papermill (`kernel_manager_class=`): its clients do not stall, and
    on Linux and macOS its kernels talk over Unix sockets rather than TCP ports (`ipc`): a port picked free can
    be taken by another kernel starting at the same moment, and the kernel then dies before it replies."""

    client_class = DottedObjectName("casekit.kernels.SlicedPollKernelClient")
    client_factory = Type(SlicedPollKernelClient)

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc" if os.name == "posix" else "tcp"

    @default("ip")
    def _ip_default(self) -> str:
        """Over `ipc`, the sockets' own path in the temporary folder (jupyter_client's default is `kernel-ipc` in
        the working folder, the same for every kernel started there)."""
        if self.transport == "ipc":
            return os.path.join(tempfile.gettempdir(), f"casekit-kernel-{uuid.uuid4().hex[:12]}")
        return super()._ip_default()


class SlicedPollServerKernelManager(ServerKernelManager):
    """jupyter_server's kernel manager, as Voilà uses it (`VOILA_KERNELS`), whose clients do not stall."""

    client_class = DottedObjectName("casekit.kernels.SlicedPollKernelClient")
    client_factory = Type(SlicedPollKernelClient)


VOILA_KERNELS = "--AsyncMappingKernelManager.kernel_manager_class=casekit.kernels.SlicedPollServerKernelManager"
