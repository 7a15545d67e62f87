"""Stop a real run mid-way by every signal an operator sends, run the same command again: identical output.

The run is held at a known point by the test-only ``gate`` stage (tests/faults/stages.py), so no
test races the machine's speed: shards before the gate are done, the gate's shard is in a worker,
the rest is still to do. Each stop must end with every process of the run gone, the lock free, an
exit status that names the signal, and a rerun that resumes to the same bytes as an uninterrupted run.
"""

import os
import signal

import pytest

from boilerclean.cleaners.config import load_config
from boilerclean.flows.flow import run_flow
from tests.faults.helpers import (
    assert_all_gone,
    descendants,
    finish,
    gate_config,
    gated_corpus,
    launch,
    lock_is_free,
    part_bytes,
    wait_for,
)
from tests.faults.stages import register, unregister

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def api_url():
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    """The input, the config with its gate, and the output of an uninterrupted run (gate open)."""
    root = tmp_path_factory.mktemp("resume")
    inp = gated_corpus(root / "in")
    gate = root / "gate"
    config = gate_config(root, gate)
    gate.touch()
    register()
    try:
        run_flow(load_config(config), [str(inp)], str(root / "reference"))
    finally:
        unregister()
    gate.unlink()
    return inp, config, gate, root / "reference"


def held_at_gate(setup, out, api_url):
    """A run started on ``out`` and waiting at the gate: (process, the processes it started)."""
    inp, config, gate, _ = setup
    waiting = gate.with_name(gate.name + ".waiting")
    waiting.unlink(missing_ok=True)
    proc = launch("run", str(config), "-i", str(inp), "-o", str(out), api_url=api_url)
    wait_for(waiting, proc)
    return proc, descendants(proc.pid)


def rerun_with_gate_open(setup, out, api_url):
    inp, config, gate, reference = setup
    gate.touch()
    try:
        code, err = finish(launch("run", str(config), "-i", str(inp), "-o", str(out), api_url=api_url))
    finally:
        gate.unlink()
    assert code == 0, err[-3000:]
    assert "resuming an interrupted run" in err
    assert part_bytes(out / "clean") == part_bytes(reference / "clean")
    assert part_bytes(out / "rejected") == part_bytes(reference / "rejected")
    assert not list(out.rglob("*.tmp")) and not (out / "_work").exists()


def test_ctrl_c_in_the_terminal_stops_the_run_and_it_resumes(setup, tmp_path, api_url):
    """SIGINT to the whole process group, as Ctrl-C sends it, with the run's own embedded Prefect server."""
    out = tmp_path / "out"
    proc, started = held_at_gate(setup, out, api_url=None)
    os.killpg(proc.pid, signal.SIGINT)
    code, err = finish(proc)
    assert code == 130, err[-3000:]
    assert err.strip().splitlines()[-1].startswith("boilerclean run: stopped by SIGINT")
    assert "Traceback" not in err
    assert_all_gone(started)
    assert lock_is_free(out)
    assert len(list((out / "_work" / "done").iterdir())) >= 1
    rerun_with_gate_open(setup, out, api_url)


def test_sigterm_then_kill_9_of_the_main_process_only_and_it_resumes(setup, tmp_path, api_url):
    """``kill PID`` (or a supervisor's SIGTERM) to the CLI alone, then ``kill -9`` (or the OOM killer):
    the workers and their shard children must not outlive it, nor write after the lock is free."""
    out = tmp_path / "out"
    proc, started = held_at_gate(setup, out, api_url)
    os.kill(proc.pid, signal.SIGTERM)
    code, err = finish(proc)
    assert code == 143, err[-3000:]
    assert err.strip().splitlines()[-1].startswith("boilerclean run: stopped by SIGTERM")
    assert_all_gone(started)
    assert lock_is_free(out)

    proc, started = held_at_gate(setup, out, api_url)  # resumes, and is held at the gate again
    os.kill(proc.pid, signal.SIGKILL)
    code, err = finish(proc)
    assert code == -signal.SIGKILL and "resuming an interrupted run" in err
    assert_all_gone(started)
    assert lock_is_free(out)

    rerun_with_gate_open(setup, out, api_url)
