"""What the fault-injection tests share: a corpus, the command line in a subprocess, and the checks.

The promise every fault test checks (issue #18): a fault ends either, after the rerun, in the same
output as an uninterrupted run, or in a nonzero exit whose message names the cause; never in exit 0
with a document lost or duplicated.
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# A gate in the middle of the input: the run is held there, with shards done before it and after it to do.
GATE_LINE = 700


def gate_config(tmp_path: Path, gate: Path, **extra) -> Path:
    config = tmp_path / "gated.yaml"
    config.write_text(
        "stages:\n  - name: fix_encoding\n  - name: normalize_whitespace\n"
        f"  - name: gate\n    path: {gate}\n  - name: filter_empty\n    min_words: 4\n"
        "shard:\n  max_bytes: 3000\n" + "".join(f"{k}: {v}\n" for k, v in extra.items()),
        encoding="utf-8",
    )
    return config


def gated_corpus(folder: Path, rows: int = 1500) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = []
    for i in range(rows):
        text = f"Document {i} says CafÃ© things " * (i % 5 + 1) + (" GATE" if i == GATE_LINE else "")
        lines.append(json.dumps({"id": f"d{i}", "text": text}))
    lines[77] = "{not json"
    (folder / "big.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def launch(*args: str, api_url: str | None = None, **popen) -> subprocess.Popen:
    """``boilerclean`` (with the test-only stages) in its own process group, as a user's shell runs it.

    ``api_url``: the Prefect API to use; None gives each run its own embedded server, as a user's has.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("PREFECT_API_URL", "PREFECT_UI_URL")}
    if api_url:
        env["PREFECT_API_URL"] = api_url
    return subprocess.Popen(
        [sys.executable, "-m", "tests.faults.cli", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        **popen,
    )


def finish(proc: subprocess.Popen, timeout: float = 600) -> tuple[int, str]:
    """Exit code and stderr of a launched run (the timeout only guards against a hang)."""
    _, err = proc.communicate(timeout=timeout)
    return proc.returncode, err.decode(errors="replace")


def wait_for(path: Path, proc: subprocess.Popen | None = None, timeout: float = 600) -> None:
    """Until ``path`` exists; fails if the run ended first (the timeout only guards against a hang)."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the run ended ({proc.returncode}) before {path.name}: {proc.stderr.read()[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} did not appear")
        time.sleep(0.05)


def part_bytes(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("part-*"))}


def records(out: Path, kind: str) -> list[bytes]:
    """Every record line of one output kind, sorted: the same documents whatever parts they are in."""
    return sorted(line for p in sorted((out / kind).glob("part-*")) for line in p.read_bytes().splitlines())


def assert_same_documents(out: Path, reference: Path) -> None:
    """Nothing lost, nothing duplicated: the clean and rejected records of ``out`` are the reference's."""
    for kind in ("clean", "rejected"):
        got, want = records(out, kind), records(reference, kind)
        ids = [json.loads(line)["id"] for line in got]
        assert len(ids) == len(set(ids)), f"duplicate ids in {kind}"
        assert got == want, f"{kind}: {len(got)} records, the uninterrupted run has {len(want)}"
    report, ref = (json.loads((o / "report.json").read_text()) for o in (out, reference))
    assert report["accounting_ok"] and report["documents"] == ref["documents"]
    assert not list(out.rglob("*.tmp")) and not (out / "_work").exists()


def lock_is_free(out: Path) -> bool:
    """True when neither the run lock nor a writer's lease is held by anyone."""
    for name in (".lock", ".writers.lock"):
        path = out / name
        if not path.exists():
            continue
        fd = os.open(path, os.O_RDWR)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        finally:
            os.close(fd)
    return True


def descendants(pid: int) -> list:
    import psutil

    return psutil.Process(pid).children(recursive=True)


def assert_all_gone(processes: list, timeout: float = 60) -> None:
    """Every process of the run has exited (they are killed with it; the timeout only guards a hang)."""
    import psutil

    def running(proc) -> bool:
        try:
            return proc.is_running() and proc.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False

    deadline = time.monotonic() + timeout
    while any(map(running, processes)) and time.monotonic() < deadline:
        time.sleep(0.1)
    alive = [p for p in processes if running(p)]
    assert not alive, f"still running after the run ended: {[(p.pid, p.cmdline()[:4]) for p in alive]}"
