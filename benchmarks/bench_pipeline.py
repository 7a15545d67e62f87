"""Side-by-side throughput of boilerclean and the peer (datatrove) on the same input, in one run.

    .venv/bin/python benchmarks/bench_pipeline.py                       # text + html, 1 and 2 workers
    .venv/bin/python benchmarks/bench_pipeline.py --text-mb 60 --html-mb 30 --rounds 2
    .venv/bin/python benchmarks/bench_pipeline.py --only text --no-datatrove
    .venv/bin/python benchmarks/bench_pipeline.py --memory-mb 30 300 1000    # RSS flatness

Inputs come from ../shared/bench/make_corpus.py (real scraped news / real pages, replicated;
replicas get new ids). Every figure is a whole process against a whole process: our numbers
include Python start, the embedded Prefect server start and the report, as a user sees them.
We alternate ours and the peer's runs so that load from other jobs hits both alike, and quote
ratios, not absolute rates. The floor is reading, parsing, re-serialising and writing the same
JSONL with orjson in one process: no JSONL pipeline can be faster.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", REPO.parent / "shared"))
CACHE = Path(os.environ.get("BOILERCLEAN_BENCH_DIR", Path.home() / ".cache" / "boilerclean-bench"))
BIN = Path(sys.executable).parent


def _run_measured(cmd: list[str], env: dict | None) -> tuple[float, int, int, str]:
    with tempfile.TemporaryFile() as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return wall, usage.ru_maxrss // 1024, proc.returncode, out.read().decode("utf-8", "replace")


_LAUNCHER: cf.ProcessPoolExecutor | None = None


def start_launcher() -> None:
    """A small process that starts every measured command, created before this script loads any data.

    A child's peak RSS as wait4() reports it starts from the memory of the process that spawned it
    (Linux records the old address space's high-water mark at exec, and subprocess spawns with
    vfork). Spawned from here, after reading 120 MB of pages, every command would report at least
    this script's size; spawned from a fresh forkserver worker, it reports its own.
    """
    global _LAUNCHER
    _LAUNCHER = cf.ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("forkserver"))
    _LAUNCHER.submit(os.getpid).result()


def sh(cmd: list[str], env: dict | None = None) -> tuple[float, int, str]:
    """Run a command; (wall seconds, peak RSS in MB of its largest process, stdout+stderr).

    The peak comes from wait4() on this command alone: the largest of its own process and the
    descendants it waited for (not a running maximum over everything this script started).
    """
    if _LAUNCHER is None:
        start_launcher()
    wall, rss, code, text = _LAUNCHER.submit(_run_measured, cmd, env).result()
    if code != 0:
        raise SystemExit(f"failed ({code}): {' '.join(cmd)}\n{text[-3000:]}")
    return wall, rss, text


def corpus(kind: str, mb: float) -> Path:
    out = CACHE / f"{kind}-{mb:g}mb"
    if not (out / "part-00000.jsonl").exists():
        subprocess.run(
            [sys.executable, str(SHARED / "bench" / "make_corpus.py"), kind, str(out), "--mb", str(mb)], check=True
        )
    return out


def payload(folder: Path, field: str) -> tuple[int, float]:
    docs, size = 0, 0
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.open("rb"):
            docs += 1
            size += len(orjson.loads(line)[field].encode("utf-8"))
    return docs, size / 1e6


def orjson_floor(folder: Path) -> float:
    """Seconds to read, parse, re-serialise and write every record with orjson."""
    out = CACHE / "floor-out"
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for path in sorted(folder.glob("*.jsonl")):
        with path.open("rb") as f, (out / path.name).open("wb") as w:
            for line in f:
                w.write(orjson.dumps(orjson.loads(line), option=orjson.OPT_APPEND_NEWLINE))
    return time.perf_counter() - t0


def ours(config: str, folder: Path, workers: int, tag: str) -> dict:
    out = CACHE / f"ours-{tag}-w{workers}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [str(BIN / "boilerclean"), "run", config, "-i", str(folder), "-o", str(out), "--workers", str(workers)]
    wall, rss, _ = sh(cmd, {"PREFECT_LOGGING_LEVEL": "WARNING", "PREFECT_HOME": str(CACHE / "prefect-home")})
    report = json.loads((out / "report.json").read_text())
    stage_s = sum(s["seconds"] for s in report["stages"])
    return {
        "wall": wall,
        "rss": rss,
        "worker_rss": report["worker_peak_rss_mb"],
        "flow_s": report["seconds"],
        "shard_s": report["this_run"]["shard_seconds"],
        "stage_s": stage_s,
        "out": out,
        "report": report,
    }


def bare_chain(config: str, folder: Path, tag: str, workers: int = 1) -> float:
    """The same shard runner over the same shards with no Prefect: the per-shard baseline.

    It calls the same ``run_segment_guarded`` the flow's tasks call (a forked child per shard pass),
    in a plain loop for one worker and from a plain process pool for more: how fast the machine runs
    this work at that width right now, which is the ceiling our flow's scaling is measured against.
    """
    out = CACHE / f"bare-{tag}-w{workers}"
    shutil.rmtree(out, ignore_errors=True)
    code = (
        "import sys,time,concurrent.futures as cf,multiprocessing as mp\n"
        "from boilerclean.cleaners.config import load_config\nfrom boilerclean.cleaners.io.readers import plan_shards\n"
        "from boilerclean.flows.shard import run_segment_guarded, segments_for, merge_partials, warm_up\n"
        f"cfg=load_config({config!r}); shards=plan_shards([{str(folder)!r}], cfg.shard.max_bytes)\n"
        "segments_for(cfg)\n"
        f"pool=cf.ProcessPoolExecutor({workers}, mp_context=mp.get_context('fork')) if {workers} > 1 else None\n"
        f"pool and list(pool.map(warm_up, [cfg] * {workers}))\n"
        "t0=time.perf_counter()\n"
        "for k in range(len(segments_for(cfg))):\n"
        f"    if k: merge_partials(cfg, k, [s.name for s in shards], {str(out)!r})\n"
        f"    args=[(s, k, cfg, {str(out)!r}) for s in shards]\n"
        "    list(pool.map(run_segment_guarded, *zip(*args))) if pool else [run_segment_guarded(*a) for a in args]\n"
        "print('BARE', time.perf_counter()-t0)\n"
    )
    _, _, text = sh([sys.executable, "-c", code])
    return float(text.split("BARE")[1].split()[0])


def datatrove(kind: str, folder: Path, workers: int) -> dict | None:
    venv = Path(os.environ.get("DATATROVE_VENV", CACHE / "datatrove"))
    if not (venv / "bin" / "python").exists():
        print(f"(datatrove venv missing: run bash {SHARED / 'bench' / 'setup_datatrove.sh'} {venv})")
        return None
    out = CACHE / f"dt-{kind}-w{workers}"
    cmd = [str(venv / "bin" / "python"), str(SHARED / "bench" / "datatrove_pipeline.py"), kind, str(folder), str(out)]
    cmd += ["--tasks", str(workers), "--workers", str(workers)]
    wall, rss, text = sh(cmd)
    return {"wall": wall, "rss": rss, "result": [ln for ln in text.splitlines() if ln.startswith("RESULT")][-1:]}


def bare_trafilatura(folder: Path) -> float:
    code = (
        "import orjson,sys,time,glob,trafilatura\n"
        f"files=sorted(glob.glob({str(folder)!r}+'/*.jsonl'))\n"
        "pages=[orjson.loads(line)['html'] for p in files for line in open(p,'rb')]\n"
        "t0=time.perf_counter()\n"
        "for h in pages: trafilatura.extract(h)\n"
        "print('BARE', time.perf_counter()-t0)\n"
    )
    _, _, text = sh([sys.executable, "-c", code])
    return float(text.split("BARE")[1].split()[0])


def same_bytes(a: Path, b: Path) -> bool:
    def parts(d: Path) -> dict[str, bytes]:
        return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.glob("*/part-*"))}

    return parts(a) == parts(b)


def row(name: str, docs: int, mb: float, wall: float, rss: str, ref: float | None, floor: float) -> str:
    ratio = f"{ref / wall:6.2f}x" if ref else "      "
    return f"{name:<44} {docs / wall:9.1f} {mb / wall:8.3f} {wall:8.2f} {ratio} {floor / wall:7.3f} {rss:>11}"


def rss_cell(run: dict) -> str:
    """Worker peak / largest process of the run (ours: the largest is Prefect's temporary server)."""
    return f"{run['worker_rss']}/{run['rss']}" if "worker_rss" in run else str(run["rss"])


def bench_kind(kind: str, config: str, mb: float, args, extra_configs: list[tuple[str, str]]) -> None:
    field = "text" if kind == "text" else "html"
    folder = corpus(kind, mb)
    docs, size = payload(folder, field)
    floor = orjson_floor(folder)
    print(f"\n== {kind}: {docs} docs, {size:.1f} MB of {field} ({folder}); orjson floor {floor:.2f} s ==")
    print(f"{'run':<44} {'docs/s':>9} {'MB/s':>8} {'wall s':>8} {'vs peer':>7} {'floor/x':>7} {'RSS MB w/max':>11}")
    runs: dict[str, list] = {}
    bare: list[float] = []
    bare_wide: dict[int, list[float]] = {}
    traf: list[float] = []
    main_name = f"ours {Path(config).name}"
    for r in range(args.rounds):
        # every round runs everything once, so slow spells on a shared machine hit all runs alike
        for workers in args.workers:
            for name, cfg in [(config, config), *(extra_configs if workers == 1 else [])]:
                tag = f"{kind}-{Path(cfg).stem}"
                runs.setdefault(f"ours {Path(name).name} w{workers}", []).append(ours(cfg, folder, workers, tag))
            if not args.no_datatrove:
                dt = datatrove(kind, folder, workers)
                if dt:
                    runs.setdefault(f"datatrove w{workers}", []).append(dt)
        bare.append(bare_chain(config, folder, kind))
        for workers in args.workers[1:]:
            bare_wide.setdefault(workers, []).append(bare_chain(config, folder, kind, workers))
        if kind == "html":
            traf.append(bare_trafilatura(folder))
        print(f"(round {r + 1} done)", flush=True)
    best = {name: min(results, key=lambda x: x["wall"]) for name, results in runs.items()}
    first = best[f"{main_name} w1"]
    for name, b in best.items():
        # each of our runs against the peer with as many workers
        ref = best.get(f"datatrove {name.rsplit(' ', 1)[1]}", {}).get("wall")
        line = row(name, docs, size, b["wall"], rss_cell(b), None if name.startswith("datatrove") else ref, floor)
        if name.startswith(main_name) and not name.endswith(" w1"):
            line += (
                f"   speed-up {first['wall'] / b['wall']:.2f}x (flow {first['flow_s'] / b['flow_s']:.2f}x), "
                f"same bytes: {same_bytes(first['out'], b['out'])}"
            )
        print(line)
    for name, results in runs.items():
        # the best of each side can come from different rounds: the ratio of each round says how much it moves
        peer = runs.get(f"datatrove {name.rsplit(' ', 1)[1]}")
        if peer and not name.startswith("datatrove") and len(results) > 1:
            per_round = ", ".join(f"{p['wall'] / x['wall']:.2f}x" for x, p in zip(results, peer, strict=True))
            print(f"  {name} vs datatrove, round by round: {per_round}")
    for workers in args.workers[1:]:
        pairs = zip(runs[f"{main_name} w1"], runs[f"{main_name} w{workers}"], strict=True)
        ratios = [(a["wall"] / b["wall"], a["flow_s"] / b["flow_s"]) for a, b in pairs]
        ceiling = [b1 / bn for b1, bn in zip(bare, bare_wide[workers], strict=True)]
        print(
            f"  w{workers} / w1 per round, whole process: {', '.join(f'{w:.2f}x' for w, _ in ratios)}; "
            f"flow: {', '.join(f'{f:.2f}x' for _, f in ratios)}; the same shard runner in a plain "
            f"{workers}-process pool, no Prefect (this machine's ceiling that round): "
            f"{', '.join(f'{c:.2f}x' for c in ceiling)}"
        )
    inside = [(x["flow_s"] - x["shard_s"]) / x["shard_s"] for x in runs[f"{main_name} w1"]]
    print(
        "  orchestration per shard, same run (w1 flow time vs the shard passes' own wall time in the worker): "
        + ", ".join(f"{x:+.1%}" for x in inside)
    )
    print(
        f"  Prefect one-time cost (process wall - flow time): {first['wall'] - first['flow_s']:.2f} s; "
        f"flow {first['flow_s']:.2f} s; stage time {first['stage_s']:.2f} s"
    )
    flows = [x["flow_s"] for x in runs[f"{main_name} w1"]]
    per_round = ", ".join(f"{(f - b) / b:+.1%}" for f, b in zip(flows, bare, strict=True))
    print(
        f"  same shard runner, same shards, plain loop, no Prefect (a run per round, best {min(bare):.2f} s; "
        f"flow best {min(flows):.2f} s): per-shard overhead of the flow {(min(flows) - min(bare)) / min(bare):+.1%}"
        f" (per round {per_round})"
    )
    if traf:
        print(
            f"  bare trafilatura.extract in one loop (best of {len(traf)}): {docs / min(traf):.1f} pages/s; "
            f"whole pipeline (best flow time) keeps {min(traf) / min(flows):.0%} of it"
        )


def memory_curve(sizes: list[float]) -> None:
    print("\n== peak RSS, news-text.yaml, 1 worker: shard worker / largest process (Prefect's server) ==")
    for mb in sizes:
        folder = corpus("text", mb)
        r = ours(str(REPO / "configs" / "news-text.yaml"), folder, 1, f"mem{mb:g}")
        print(f"  {mb:7g} MB input: worker {r['worker_rss']} MB, largest process {r['rss']} MB, {r['wall']:.1f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--text-mb", type=float, default=60)
    ap.add_argument("--html-mb", type=float, default=30)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--workers", type=int, nargs="*", default=[1, 2])
    ap.add_argument("--only", choices=["text", "html"])
    ap.add_argument("--no-datatrove", action="store_true")
    ap.add_argument("--memory-mb", type=float, nargs="*", default=[])
    args = ap.parse_args()
    start_launcher()
    CACHE.mkdir(parents=True, exist_ok=True)
    print("command:", " ".join([Path(sys.executable).name, *sys.argv]))
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    if args.only in (None, "text"):
        dataset = str(REPO / "configs" / "dataset.yaml")
        extra = [(dataset, dataset)] if Path(dataset).exists() else []
        bench_kind("text", str(REPO / "configs" / "news-text.yaml"), args.text_mb, args, extra)
    if args.only in (None, "html"):
        bench_kind("html", str(REPO / "configs" / "news-html.yaml"), args.html_mb, args, [])
    if args.memory_mb:
        memory_curve(args.memory_mb)


if __name__ == "__main__":
    main()
