"""The run's temporary Prefect server: answers, stops with the run, and dies with a killed run."""

import os
import signal
import subprocess
import sys
import time

import pytest

from boilerclean.flows.embedded import start_embedded_server

pytestmark = pytest.mark.integration

SCRIPT = """
import os, signal, sys, urllib.request
from boilerclean.flows.embedded import start_embedded_server
server = start_embedded_server()
import prefect.settings
assert server.adopt()
url = server.wait_ready(120)
assert os.environ["PREFECT_API_URL"] == url == prefect.settings.get_current_settings().api.url
with urllib.request.urlopen(url + "/health", timeout=10) as resp:
    assert resp.status == 200
print(server.process.pid, flush=True)
if sys.argv[1] == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
"""


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _server_pid_after(how: str, tmp_path) -> tuple[int, int]:
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_UI_URL")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, how], capture_output=True, text=True, env=env, timeout=300, check=False
    )
    return int(proc.stdout.split()[0]), proc.returncode


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", ["exit", "kill"])
def test_server_lives_exactly_as_long_as_the_run(how, tmp_path):
    pid, code = _server_pid_after(how, tmp_path)
    assert code == (0 if how == "exit" else -signal.SIGKILL)
    deadline = time.monotonic() + 120  # only guards against a hang: it dies within seconds
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(pid), f"temporary server {pid} outlived its run ({how})"


PROFILE_SCRIPT = """
from boilerclean.flows.embedded import start_embedded_server
server = start_embedded_server()
assert server is not None  # the environment alone does not tell
import prefect.settings
assert not server.adopt() and server.process is None  # the profile names a server: ours is stopped
assert prefect.settings.get_current_settings().api.url == "http://127.0.0.1:4299/api"
print("ok")
"""


def test_a_profile_naming_a_server_wins_over_the_temporary_one(tmp_path):
    home = tmp_path / "prefect-home"
    home.mkdir()
    (home / "profiles.toml").write_text(
        'active = "team"\n[profiles.team]\nPREFECT_API_URL = "http://127.0.0.1:4299/api"\n', encoding="utf-8"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(home)
    proc = subprocess.run([sys.executable, "-c", PROFILE_SCRIPT], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-2000:]


def test_no_server_of_our_own_when_one_is_configured(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert start_embedded_server() is None


def test_no_server_when_ephemeral_mode_is_off(monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_ENABLED", "false")
    assert start_embedded_server() is None


def test_no_server_under_a_test_harness_or_caller_settings(monkeypatch):
    # this session's prefect_test_harness points Prefect's settings (not the environment) at its server
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert start_embedded_server() is None
