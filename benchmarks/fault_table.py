"""The fault table of issue #18, reproduced: each fault an operator hits, injected into real runs of
``configs/news-text.yaml`` over ``../shared/bench/make_corpus.py text`` output, and what came of it.

    .venv/bin/python benchmarks/fault_table.py [--mb 3] [--keep DIR]

Runs go through the command line as a user's would (each with its own embedded Prefect server,
unless PREFECT_API_URL is set). A run that must be caught mid-way is held by the test-only ``gate``
stage (tests/faults/stages.py, inserted after normalize_whitespace; it changes no document), so
every row is reproducible on any machine. Columns: exit status of the run that met the fault and of
the reruns; the output afterwards against an uninterrupted run over the same inputs (``identical``:
the same part files byte for byte; ``same docs``: the same records, in parts numbered otherwise);
documents lost and duplicated; for signals, seconds from the signal to the exit; the message.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.faults.helpers import (  # noqa: E402
    assert_all_gone,
    descendants,
    finish,
    launch,
    lock_is_free,
    part_bytes,
    records,
    wait_for,
)

SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", REPO.parent / "shared"))
API = os.environ.get("PREFECT_API_URL")


class Bench:
    def __init__(self, root: Path, mb: float, shard_mb: float) -> None:
        self.root = root
        self.shard_mb = shard_mb
        self.corpus = root / "corpus"
        subprocess.run(
            [sys.executable, str(SHARED / "bench" / "make_corpus.py"), "text", str(self.corpus), "--mb", str(mb)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        held = [{"id": f"held-{i}", "text": f"A held document, number {i}, with a few plain words."} for i in range(20)]
        held[10]["text"] += " GATE"
        (self.corpus / "held.jsonl").write_text("".join(json.dumps(r) + "\n" for r in held), encoding="utf-8")
        self.gate = root / "gate"
        self.config = root / "news-text-gated.yaml"
        base = (REPO / "configs" / "news-text.yaml").read_text(encoding="utf-8")
        marker = "  - name: normalize_whitespace\n"
        assert marker in base, "news-text.yaml changed: put the gate after normalize_whitespace by hand"
        self.config.write_text(
            base.replace(marker, marker + f"  - name: gate\n    path: {self.gate}\n", 1), encoding="utf-8"
        )
        self.runs = 0

    def inputs(self, name: str) -> Path:
        folder = self.root / f"in-{name}"
        shutil.copytree(self.corpus, folder)
        return folder

    def start(self, inp: Path, out: Path, *extra: str, **popen) -> subprocess.Popen:
        self.runs += 1
        cmd = ["run", str(self.config), "-i", str(inp), "-o", str(out), "--shard-mb", str(self.shard_mb), *extra]
        return launch(*cmd, api_url=API, **popen)

    def run(self, inp: Path, out: Path, *extra: str, gate_open: bool = True, **popen) -> tuple[int, str]:
        if gate_open:
            self.gate.touch()
        try:
            return finish(self.start(inp, out, *extra, **popen))
        finally:
            self.gate.unlink(missing_ok=True)

    def held(self, inp: Path, out: Path) -> tuple[subprocess.Popen, list]:
        waiting = self.gate.with_name("gate.waiting")
        waiting.unlink(missing_ok=True)
        self.gate.unlink(missing_ok=True)
        proc = self.start(inp, out)
        wait_for(waiting, proc)
        return proc, descendants(proc.pid)


def compare(out: Path, reference: Path) -> dict[str, object]:
    """The output against an uninterrupted run's: identical, same docs, or how many lost/duplicated."""
    verdict = "identical"
    lost = duplicated = 0
    for kind in ("clean", "rejected"):
        got, want = Counter(records(out, kind)), Counter(records(reference, kind))
        lost += sum((want - got).values())
        duplicated += sum((got - want).values())
        if part_bytes(out / kind) != part_bytes(reference / kind):
            verdict = "same docs" if got == want else "DIFFERENT"
    return {"output": verdict, "lost": lost, "duplicated": duplicated}


def last_line(err: str) -> str:
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    return lines[-1][:150] if lines else ""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=3.0, help="corpus size (make_corpus.py text --mb)")
    ap.add_argument("--shard-mb", type=float, default=0.4, help="input MB per shard: several parts, so faults hit one")
    ap.add_argument("--keep", help="work in this folder and keep it (default: a temp folder)")
    args = ap.parse_args()
    print("command:", " ".join(["python", *sys.argv]))
    root = Path(args.keep or tempfile.mkdtemp(prefix="fault-table-"))
    root.mkdir(parents=True, exist_ok=True)
    bench = Bench(root, args.mb, args.shard_mb)
    reference = root / "reference"
    code, err = bench.run(bench.corpus, reference)
    assert code == 0, err[-2000:]
    report = json.loads((reference / "report.json").read_text())
    print(f"corpus: {report['documents']['in']} documents, {report['parts']} parts; uninterrupted run exit 0")
    rows = []

    def row(fault: str, codes: list[int], out: Path, ref: Path, message: str = "", stop_s: float | None = None):
        rows.append(
            {"fault": fault, "exit": "/".join(map(str, codes)), **compare(out, ref), "stop_s": stop_s, "msg": message}
        )
        print(f"  done: {fault}", flush=True)

    # lines appended to an input while the run reads it
    inp, out = bench.inputs("append"), root / "out-append"
    proc, _ = bench.held(inp, out)
    with (inp / "held.jsonl").open("a") as f:
        f.writelines(
            json.dumps({"id": f"late-{i}", "text": f"Appended line {i}, plain words."}) + "\n" for i in range(50)
        )
    bench.gate.touch()
    first, err = finish(proc)
    changed = [Path(p).name for p in json.loads((out / "report.json").read_text())["inputs_changed_while_read"]]
    second, _ = bench.run(inp, out)
    ref2 = root / "reference-append"
    bench.run(inp, ref2)
    row("lines appended while the run reads the file", [first, second], out, ref2, f"changed while read: {changed}")

    # one clean part deleted
    out = root / "out-part"
    bench.run(bench.corpus, out)
    (out / "clean" / "part-00001.jsonl").unlink()
    code, _ = bench.run(bench.corpus, out)
    row("one clean part deleted", [0, code], out, reference)

    # manifest.json truncated after incremental runs
    inp, out = bench.inputs("manifest"), root / "out-manifest"
    shutil.move(inp / "part-00003.jsonl", root / "later.jsonl")
    bench.run(inp, out)
    shutil.move(root / "later.jsonl", inp / "part-00003.jsonl")
    bench.run(inp, out)
    manifest = out / "manifest.json"
    manifest.write_bytes(manifest.read_bytes()[: manifest.stat().st_size // 2])
    failed, err = bench.run(inp, out)
    full, _ = bench.run(inp, out, "--full")
    row("manifest.json truncated after incremental runs", [failed, full], out, reference, last_line(err))

    # an input deleted, then restored unchanged
    inp, out = bench.inputs("restore"), root / "out-restore"
    bench.run(inp, out)
    shutil.move(inp / "part-00002.jsonl", root / "away.jsonl")
    gone, _ = bench.run(inp, out)
    shutil.copy(root / "away.jsonl", inp / "part-00002.jsonl")
    back, _ = bench.run(inp, out)
    row("an input deleted, then restored unchanged", [gone, back], out, reference)

    # unreadable inputs among readable ones
    inp, out = bench.inputs("unreadable"), root / "out-unreadable"
    (inp / "dangling.jsonl").symlink_to(inp / "nowhere.jsonl")
    os.mkfifo(inp / "pipe.jsonl")
    code, _ = bench.run(inp, out)
    again, _ = bench.run(inp, out)
    rejects = json.loads((out / "report.json").read_text())["rejected_by_reason"].get("read:unreadable", 0)
    (inp / "dangling.jsonl").unlink()
    (inp / "pipe.jsonl").unlink()
    fixed, _ = bench.run(inp, out)
    row("unreadable inputs (a dangling link, a FIFO) among readable ones", [code, again, fixed], out, reference,
        f"{rejects} read:unreadable rejects while they were there")  # fmt: skip

    # signals
    for fault, how in (
        ("Ctrl-C (SIGINT to the process group)", "int-group"),
        ("SIGTERM to the main process only", "term-main"),
        ("kill -9 of the main process only (as the OOM killer)", "kill-main"),
    ):
        out = root / f"out-{how}"
        proc, started = bench.held(bench.corpus, out)
        sent = time.monotonic()
        if how == "int-group":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            os.kill(proc.pid, signal.SIGTERM if how == "term-main" else signal.SIGKILL)
        code, err = finish(proc)
        stop_s = round(time.monotonic() - sent, 1)
        assert_all_gone(started)
        free = lock_is_free(out)
        again, _ = bench.run(bench.corpus, out)
        row(fault, [code, again], out, reference, f"lock free: {free}; {last_line(err)}", stop_s)

    # disk full: a real one (a small tmpfs for the output) where this process may mount, else a file
    # size limit on the run (EFBIG: the same OSError path; it also limits Prefect's own database)
    out = root / "out-disk"
    out.mkdir()
    half = sum(p.stat().st_size for p in (reference / "clean").iterdir()) // 2
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={half}", "tmpfs", str(out)], capture_output=True)
    try:
        if mounted.returncode == 0:
            failed, err = bench.run(bench.corpus, out)
            subprocess.run(["mount", "-o", f"remount,size={20 * half}", str(out)], check=True)
        else:

            def small_disk():
                resource.setrlimit(resource.RLIMIT_FSIZE, (half // 4, half // 4))

            failed, err = bench.run(bench.corpus, out, preexec_fn=small_disk)
        tmp_left = len(list(out.rglob("*.tmp")))
        again, _ = bench.run(bench.corpus, out)
        how = "tmpfs full (ENOSPC)" if mounted.returncode == 0 else "file size limit (EFBIG)"
        row(f"disk full while writing parts: {how}", [failed, again], out, reference,
            f"{tmp_left} .tmp left; {last_line(err)}")  # fmt: skip
    finally:
        if mounted.returncode == 0:
            subprocess.run(["umount", str(out)], check=False)

    print()
    print("| fault | exit codes | output after rerun | lost | duplicated | stop s | message |")
    print("|---|---|---|---:|---:|---:|---|")
    for r in rows:
        stop = "" if r["stop_s"] is None else r["stop_s"]
        print(f"| {r['fault']} | {r['exit']} | {r['output']} | {r['lost']} | {r['duplicated']} | {stop} | {r['msg']} |")
    print(f"\n{bench.runs} runs; work folder {root}")
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
