"""Prefect's temporary API server for one run, started before Prefect is imported.

Without ``PREFECT_API_URL`` Prefect starts the same server itself (``SubprocessASGIServer``), but only
on first API use: after this process has imported Prefect and the server package (~2-3 s) and then
waiting for the child to import it all again (~4 s). Starting the child first lets both imports run
at once on two cores, and this process never imports the server package. The child is Prefect's
own app with the settings Prefect gives its temporary server (UI off, ephemeral flags), on the same
database in ``PREFECT_HOME``; it lives exactly as long as the run.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

# uvicorn's exit status when it could not start serving, typically because another process took the
# port between our probe and its bind: retried on a new port (as Prefect does) until the timeout
_STARTUP_FAILED = 3


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent():
    """On Linux, have the kernel stop the server when this process dies, even by ``kill -9``.

    Without it a killed run leaves an orphaned API server behind. The hook only makes one system
    call (no locks, no allocation), which keeps ``preexec_fn`` safe in a process with threads.
    """
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import signal

    libc = ctypes.CDLL(None, use_errno=True)
    pr_set_pdeathsig = 1

    def preexec() -> None:
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)

    return preexec


class EmbeddedServer:
    """A temporary Prefect API on loopback, started speculatively, used once Prefect's settings agree.

    Lifecycle: ``start_embedded_server()`` (before importing Prefect) -> ``adopt()`` (after: points
    Prefect at it unless the settings name an API of their own) -> ``wait_ready()`` -> the run ->
    ``stop()`` at exit.
    """

    def __init__(self) -> None:
        spec = importlib.util.find_spec("prefect")
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError("prefect is not installed")
        self._app_dir = str(Path(next(iter(spec.submodule_search_locations))).parent)
        self.port = 0
        self.process: subprocess.Popen | None = None
        self.adopted = False
        self._spawn()
        # atexit runs last-registered first: registered before Prefect's own exit hooks, the server
        # stops only after Prefect has flushed its events and logs into it.
        atexit.register(self.stop)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def _spawn(self) -> None:
        self.port = _free_port()
        cmd = [
            sys.executable, "-m", "uvicorn", "--app-dir", self._app_dir,
            "--factory", "prefect.server.api.server:create_app",
            "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "error", "--lifespan", "on",
        ]  # fmt: skip
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        # Its own session: Ctrl-C in the terminal (SIGINT to the whole foreground process group) must
        # not kill the API the run needs to record that it stopped; it still dies with the run.
        # Its output goes to a temp file, shown only if it fails to start: its shutdown chatter (events
        # it could not flush while the run was being interrupted) is not the user's business.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
        self.process = subprocess.Popen(
            cmd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
            preexec_fn=_die_with_parent(),
            start_new_session=True,
        )

    def adopt(self) -> bool:
        """Point Prefect at this server, unless its settings already name an API or forbid a temporary one.

        Called once Prefect is imported, because only Prefect knows all its setting sources (the
        environment, the active profile, prefect.toml, .env). When they name a server, this one is
        stopped unused and the run goes to theirs.
        """
        from prefect.settings import get_current_settings

        settings = get_current_settings()
        if settings.api.url or not settings.server.ephemeral.enabled:
            self.stop()
            return False
        self.adopted = True
        self._point_prefect_here()
        return True

    def _point_prefect_here(self) -> None:
        from prefect.context import refresh_global_settings_context

        os.environ["PREFECT_API_URL"] = self.api_url  # also reaches any process this run starts
        os.environ.setdefault("PREFECT_UI_URL", "")  # it serves no UI: no "View at" links to nowhere
        refresh_global_settings_context()

    def wait_ready(self, timeout_s: float) -> str:
        """The API's URL once it answers its health check; a server that cannot start is an error here.

        The port changes only if another process took it before the server bound it.
        """
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            code = self.process.poll() if self.process else None
            if code == _STARTUP_FAILED:
                self._spawn()
                if self.adopted:
                    self._point_prefect_here()
                continue
            if code is not None:
                raise RuntimeError(f"the temporary Prefect server exited with status {code}: {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as resp:
                    if resp.status == 200:
                        return self.api_url
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(
            f"the temporary Prefect server did not answer within {timeout_s:g} s "
            "(raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS on a slow machine)"
        )

    def log_tail(self, limit: int = 2000) -> str:
        """The end of what the server printed (its start-up error, typically)."""
        self._log.seek(0, os.SEEK_END)
        self._log.seek(max(0, self._log.tell() - limit))
        return self._log.read().decode(errors="replace").strip() or "(no output)"

    def stop(self) -> None:
        """Stop the server and wait for it, so its database is closed when the run returns."""
        proc, self.process = self.process, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_embedded_server() -> EmbeddedServer | None:
    """Start a temporary server unless this run visibly has an API already; ``adopt()`` decides for good."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    if os.environ.get("PREFECT_SERVER_EPHEMERAL_ENABLED", "").lower() in ("0", "false"):
        return None  # Prefect will then fail loudly, as it should, asking for PREFECT_API_URL
    if "prefect.settings" in sys.modules:  # already imported: a test harness or caller may have set a URL
        from prefect.settings import get_current_settings

        if get_current_settings().api.url:
            return None
    return EmbeddedServer()
