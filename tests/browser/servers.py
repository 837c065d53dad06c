"""JupyterLab and Voilà started from the project's venv on loopback, isolated from the user's Jupyter setup.

Each server gets its own Jupyter config, data, runtime and settings folders under a temporary root, a random
token and a free port; it is stopped by its PID. Kernels inherit `CASEKIT_STORE`, so quiz answers land in the
test's own store.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from casekit.app import voila_command

BIN = Path(sys.executable).parent
# JupyterLab settings: no news or update toast over the page; every cell in the DOM (no virtual scrolling), so
# that each cell can be found, scrolled to and screenshotted.
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"checkForUpdates": False,
                                                                         "fetchNews": "false"},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    token: str
    log: Path

    def api(self, path: str):
        """GET a JSON endpoint of the server."""
        with urllib.request.urlopen(f"{self.url}{path}?token={self.token}", timeout=10) as response:
            return json.load(response)

    def shutdown_kernels(self) -> None:
        """Stop every kernel the server started (one per notebook opened)."""
        for kernel in self.api("/api/kernels"):
            request = urllib.request.Request(f"{self.url}/api/kernels/{kernel['id']}?token={self.token}",
                                             method="DELETE")
            urllib.request.urlopen(request, timeout=30).close()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def isolated_env(root: Path, store: Path) -> dict:
    """The environment of a server: Jupyter's folders under `root`, answers in `store`."""
    env = dict(os.environ, CASEKIT_STORE=str(store))
    for name, folder in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                         ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
                         ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"), ("IPYTHONDIR", "ipython")]:
        path = root / folder
        path.mkdir(parents=True, exist_ok=True)
        env[name] = str(path)
    env.pop("JUPYTER_PATH", None)
    for name, values in LAB_SETTINGS.items():
        target = Path(env["JUPYTERLAB_SETTINGS_DIR"]) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(values))
    return env


def start(command: list[str], root: Path, store: Path, ready_path: str, timeout: float = 90) -> Server:
    """Run `command` (with `{port}` and `{token}` filled in) and wait until `ready_path` answers."""
    port, token = free_port(), secrets.token_hex(16)
    args = [part.format(port=port, token=token) for part in command]
    root.mkdir(parents=True, exist_ok=True)
    log = root / "server.log"
    process = subprocess.Popen(args, cwd=root, env=isolated_env(root, store), stdout=log.open("w"),
                               stderr=subprocess.STDOUT, start_new_session=True)
    server = Server(process, f"http://127.0.0.1:{port}", token, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"le serveur s'est arrêté au démarrage :\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}{ready_path}?token={token}", timeout=2):
                return server
        except urllib.error.HTTPError:  # an HTTP answer, even an error: the server is up
            return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise RuntimeError(f"le serveur n'a pas répondu en {timeout:.0f} s :\n{log.read_text()[-2000:]}")


def start_lab(notebooks: Path, root: Path, store: Path) -> Server:
    """JupyterLab serving the folder `notebooks`; its own files (settings, log) in `root`."""
    return start([str(BIN / "jupyter"), "lab", "--no-browser", "--ip=127.0.0.1", "--port={port}",
                  "--ServerApp.token={token}", f"--ServerApp.root_dir={notebooks}",
                  "--LabApp.expose_app_in_browser=True", *(["--allow-root"] if os.geteuid() == 0 else [])],
                 root, store, "/api/status")


def start_voila(root: Path, store: Path) -> Server:
    """The app as `casekit app` serves it (its own command line: `voila_command`), with a token; ready when its
    static files answer."""
    return start([*voila_command(port="{port}"), "--token={token}"], root, store, "/voila/static/")
