"""Kernel channels that do not stall: a message whose wake-up was missed is read within a slice, not at timeout."""

import asyncio
import os
import tempfile
import time
from queue import Empty

import pytest
import zmq
import zmq.asyncio
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.session import Session

from casekit.kernels import (
    POLL_SLICE_S,
    VOILA_KERNELS,
    SlicedPollChannel,
    SlicedPollKernelClient,
    SlicedPollKernelManager,
    SlicedPollServerKernelManager,
)


async def wait_for_missed_message(channel_class, timeout: float) -> tuple[dict | None, float]:
    """Send one message to a channel, consume the edge of its file descriptor (what pyzmq issue 2173 describes),
    then `get_msg(timeout)`; returns the message (None on Empty) and the seconds waited."""
    context, session = zmq.asyncio.Context(), Session()
    sender, receiver = context.socket(zmq.PAIR), context.socket(zmq.PAIR)
    receiver.connect(f"tcp://127.0.0.1:{sender.bind_to_random_port('tcp://127.0.0.1')}")
    channel = channel_class(receiver, session)

    async def send_and_steal_the_edge():
        await asyncio.sleep(0.1)
        session.send(zmq.Socket.shadow(sender.underlying), "execute_reply", {"status": "ok"})
        for _ in range(50):
            time.sleep(0.002)
            zmq.Socket.shadow(receiver.underlying).getsockopt(zmq.EVENTS)

    task = asyncio.ensure_future(send_and_steal_the_edge())
    start = time.monotonic()
    try:
        msg = await channel.get_msg(timeout=timeout)
    except Empty:
        msg = None
    waited = time.monotonic() - start
    await task
    sender.close(linger=0), receiver.close(linger=0)
    context.term()
    return msg, waited


def test_the_scenario_stalls_jupyter_clients_own_channel_until_its_timeout():
    """The reproduction: jupyter_client's channel gets the message only when its 2 s timeout fires."""
    msg, waited = asyncio.run(wait_for_missed_message(AsyncZMQSocketChannel, timeout=2))
    assert msg["header"]["msg_type"] == "execute_reply"
    assert waited >= 1.9


def test_a_sliced_channel_reads_the_missed_message_within_one_slice():
    """Same scenario, 30 s timeout: the message is read at the end of the first slice (1 s), not after 30 s."""
    msg, waited = asyncio.run(wait_for_missed_message(SlicedPollChannel, timeout=30))
    assert msg["header"]["msg_type"] == "execute_reply"
    assert waited < POLL_SLICE_S + 2


@pytest.mark.parametrize("timeout", [0, 0.3, 1.5])
def test_a_sliced_channel_still_times_out_when_nothing_comes(timeout):
    async def silent():
        context = zmq.asyncio.Context()
        socket = context.socket(zmq.PAIR)
        socket.bind_to_random_port("tcp://127.0.0.1")
        start = time.monotonic()
        with pytest.raises(Empty):
            await SlicedPollChannel(socket, Session()).get_msg(timeout=timeout)
        socket.close(linger=0)
        context.term()
        return time.monotonic() - start

    waited = asyncio.run(silent())
    assert timeout <= waited < timeout + 1


def test_the_manager_gives_sliced_clients():
    client = SlicedPollKernelManager().client()
    assert isinstance(client, SlicedPollKernelClient)
    assert client.shell_channel_class is SlicedPollChannel and client.iopub_channel_class is SlicedPollChannel


@pytest.mark.skipif(os.name != "posix", reason="Unix sockets")
def test_kernels_started_together_have_sockets_of_their_own():
    """No TCP port to race for: each manager's kernel listens on Unix sockets of its own, and runs code."""
    managers = [SlicedPollKernelManager(kernel_name="python3") for _ in range(2)]
    assert [m.transport for m in managers] == ["ipc", "ipc"]
    assert managers[0].ip != managers[1].ip and all(m.ip.startswith(tempfile.gettempdir()) for m in managers)

    async def run(manager):
        await manager.start_kernel()
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            return (await client.execute_interactive("x = 6 * 7", timeout=30))["content"]["status"]
        finally:
            client.stop_channels()
            await manager.shutdown_kernel()

    async def both():
        return await asyncio.gather(*(run(m) for m in managers))

    assert asyncio.run(both()) == ["ok", "ok"]


def test_voila_gets_a_server_manager_with_sliced_clients():
    """Voilà's mapping kernel manager, configured as `casekit app` configures it, makes server kernel managers
    (with jupyter_server's activity tracking) whose clients (the ones that run the notebook) are sliced."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager, ServerKernelManager
    from traitlets.config import Config

    section, value = VOILA_KERNELS.removeprefix("--").split("=")
    cls, trait = section.split(".")
    config = Config({cls: {trait: value}})
    manager_class = AsyncMappingKernelManager(config=config).kernel_manager_factory().__class__
    assert manager_class is SlicedPollServerKernelManager and issubclass(manager_class, ServerKernelManager)
    assert isinstance(SlicedPollServerKernelManager().client(), SlicedPollKernelClient)
