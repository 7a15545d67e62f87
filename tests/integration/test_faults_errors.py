"""Faults that must end a run with a nonzero exit and a message naming the cause (issue #18, #17):
the disk filling up, stages that cannot be built, a worker that dies.
"""

import json
import resource
import subprocess
import sys

import pytest

from boilerclean.cleaners.config import load_config
from boilerclean.flows.cli import EXIT_FAILED, EXIT_USAGE, main
from boilerclean.flows.flow import run_flow
from tests.faults.helpers import finish, launch, part_bytes
from tests.faults.stages import register, unregister

pytestmark = pytest.mark.integration

SIMPLE = "stages:\n  - name: normalize_whitespace\n  - name: filter_empty\nshard:\n  max_bytes: 20000\n"


@pytest.fixture
def inp(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b"):
        rows = (json.dumps({"id": f"{name}{i}", "text": f"Line {i} of {name}, a few words. " * 6}) for i in range(40))
        (folder / f"{name}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "big.txt").write_text("A long page of text, one document. " * 3000, encoding="utf-8")
    return folder


def test_a_full_disk_fails_naming_the_file_leaves_no_temp_file_and_the_rerun_completes(inp, tmp_path):
    """The disk filling up, as the kernel reports it to a writer (EFBIG from a file size limit here:
    the same OSError path as ENOSPC, without needing a small file system)."""
    from prefect.settings import PREFECT_API_URL

    config = tmp_path / "c.yaml"
    config.write_text(SIMPLE, encoding="utf-8")
    out = tmp_path / "out"
    limit = 40_000  # the clean part of big.txt is larger, the others are smaller

    def small_disk():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    api = PREFECT_API_URL.value()
    code, err = finish(launch("run", str(config), "-i", str(inp), "-o", str(out), api_url=api, preexec_fn=small_disk))
    last = err.strip().splitlines()[-1]
    assert code == EXIT_FAILED, err[-3000:]
    assert "File too large" in last and str(out / "clean" / "part-") in last, last
    assert not list(out.rglob("*.tmp")) and not (out / "report.json").exists()

    code, err = finish(launch("run", str(config), "-i", str(inp), "-o", str(out), api_url=api))
    assert code == 0, err[-3000:]
    run_flow(load_config(config), [str(inp)], str(tmp_path / "reference"))
    assert part_bytes(out / "clean") == part_bytes(tmp_path / "reference" / "clean")
    assert not list(out.rglob("*.tmp"))


def test_a_rule_pack_that_does_not_exist_is_the_runs_error_not_a_broken_pool(inp, tmp_path, capsys):
    config = tmp_path / "c.yaml"
    config.write_text("stages:\n  - name: remove_artifacts\n    packs: [no-such-pack]\n", encoding="utf-8")
    assert main(["run", str(config), "-i", str(inp), "-o", str(tmp_path / "out")]) == EXIT_USAGE
    err = capsys.readouterr().err
    last = err.strip().splitlines()[-1]
    assert "cannot build the stages" in last and "no-such-pack" in last, last
    assert "BrokenProcessPool" not in err


def test_a_worker_that_dies_is_reported_with_how_it_died(inp, tmp_path, capsys):
    """Without the killable worker (limits.isolate: false) a document that kills its process takes
    the pool worker with it, as the OOM killer would: the run fails and says so."""
    (inp / "b.jsonl").write_text(json.dumps({"id": "fatal", "text": "this document is DIE for its worker"}) + "\n")
    config = tmp_path / "c.yaml"
    config.write_text(SIMPLE.replace("  - name: filter_empty\n", "  - name: die\n") + "limits:\n  isolate: false\n")
    register()
    try:
        assert main(["run", str(config), "-i", str(inp), "-o", str(tmp_path / "out")]) == EXIT_FAILED
    finally:
        unregister()
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert "a shard worker died: killed by SIGKILL" in last, last


POOL_FROM_A_THREAD = """
import os, sys, threading
from boilerclean.cleaners.config import load_config
from boilerclean.flows.pool import WorkerPool

if __name__ == "__main__":
    box = {}
    thread = threading.Thread(target=lambda: box.setdefault("pool", WorkerPool(load_config(sys.argv[1]))))
    thread.start()
    thread.join()  # the thread that started the forkserver is gone
    pool = box["pool"]
    try:
        print("worker", pool.run(os.getpid))
    finally:
        pool.kill()
"""


def test_a_pool_started_from_a_thread_outlives_the_thread(tmp_path):
    """The forkserver must die with the run's process, not with the thread that happened to start it (a Prefect
    task restarting the pool after a worker died): Linux's parent-death signal follows the thread."""
    config = tmp_path / "c.yaml"
    config.write_text(SIMPLE, encoding="utf-8")
    script = tmp_path / "pool_from_a_thread.py"
    script.write_text(POOL_FROM_A_THREAD, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(config)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("worker "), done.stdout


BROKEN_POOL_FROM_TWO_TASKS = """
import signal, sys, threading, time
from boilerclean.cleaners.config import load_config
from boilerclean.flows.pool import WorkerDiedError, WorkerPool

if __name__ == "__main__":
    pool = WorkerPool(load_config(sys.argv[1]))
    said = []

    def task(fn, *args):
        try:
            pool.run(fn, *args)
        except WorkerDiedError as exc:
            said.append(str(exc))

    busy = threading.Thread(target=task, args=(time.sleep, 30))
    busy.start()
    time.sleep(0.5)  # the other worker is busy when this one dies
    task(signal.raise_signal, signal.SIGKILL)
    busy.join()
    pool.kill()
    print("\\n".join(said))
"""


def test_every_task_of_a_broken_pool_names_the_death_that_broke_it(tmp_path):
    """Two tasks on two workers; one worker is killed. Both tasks must name the SIGKILL: reading exit statuses
    while the pool's own thread reaps them made one of them read "exited with status 255" now and then."""
    config = tmp_path / "c.yaml"
    config.write_text(SIMPLE + "runner:\n  workers: 2\n", encoding="utf-8")
    script = tmp_path / "broken_pool.py"
    script.write_text(BROKEN_POOL_FROM_TWO_TASKS, encoding="utf-8")
    for _ in range(3):  # the race was timing-dependent: a few rounds make a regression likely to show
        done = subprocess.run([sys.executable, str(script), str(config)], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        said = done.stdout.strip().splitlines()
        assert len(said) == 2 and all("a shard worker died: killed by SIGKILL" in line for line in said), said
