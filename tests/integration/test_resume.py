"""kill -9 a real run mid-way, run the same command again: byte-identical output, nothing lost or doubled."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.integration

CONFIG = """
stages:
  - name: fix_encoding
  - name: normalize_whitespace
  - name: filter_empty
    min_words: 4
shard:
  max_bytes: 3000
"""


def boilerclean(*args, **kw):
    env = dict(os.environ)
    env.pop("PREFECT_API_URL", None)  # each run brings its own embedded server, like a user's run
    return subprocess.Popen(
        [sys.executable, "-m", "boilerclean.flows.cli", "run", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        **kw,
    )


def parts(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.glob("part-*"))}


def test_sigkill_then_rerun_gives_identical_output(tmp_path):
    inp = tmp_path / "in"
    inp.mkdir()
    rows = [json.dumps({"id": f"d{i}", "text": f"Document {i} says CafÃ© things " * (i % 5 + 1)}) for i in range(1500)]
    rows[77] = "{not json"
    (inp / "big.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text(CONFIG, encoding="utf-8")

    reference = tmp_path / "reference"
    ref = boilerclean(str(config), "-i", str(inp), "-o", str(reference))
    assert ref.wait(timeout=300) == 0, ref.stderr.read().decode()[-2000:]

    out = tmp_path / "out"
    victim = boilerclean(str(config), "-i", str(inp), "-o", str(out))
    deadline = time.monotonic() + 240
    done = out / "_work" / "done"
    while time.monotonic() < deadline and victim.poll() is None:
        if done.exists() and len(list(done.iterdir())) >= 3:
            break
        time.sleep(0.05)
    assert victim.poll() is None, "the run finished before it could be killed; make the input bigger"
    os.killpg(victim.pid, signal.SIGKILL)
    victim.wait()
    finished_before = len(list(done.iterdir()))
    assert 3 <= finished_before < len(parts(reference / "clean"))

    again = boilerclean(str(config), "-i", str(inp), "-o", str(out))
    assert again.wait(timeout=300) == 0, again.stderr.read().decode()[-2000:]
    assert "resuming an interrupted run" in again.stderr.read().decode()
    assert parts(out / "clean") == parts(reference / "clean")
    assert parts(out / "rejected") == parts(reference / "rejected")
    report = json.loads((out / "report.json").read_text())
    assert report["documents"] == {"in": 1500, "clean": 1499, "rejected": 1}
    assert not list(out.rglob("*.tmp")) and not (out / "_work").exists()
