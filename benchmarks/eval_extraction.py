"""Score the news-html pipeline on the extraction dev pages, and its speed next to bare trafilatura.

    .venv/bin/python benchmarks/eval_extraction.py
    .venv/bin/python benchmarks/eval_extraction.py --config configs/news-html.yaml --per-doc /tmp/per_doc.jsonl
    .venv/bin/python benchmarks/eval_extraction.py --stage-only      # extract_html alone
    .venv/bin/python benchmarks/eval_extraction.py --cli             # through the real `boilerclean run`

Runs the whole stage chain of the config over ``$BOILERCLEAN_SHARED/eval/extraction/html/*.html.gz``
(default ``<repo>/../shared``), writes ``{"id", "text"}`` predictions (id = file stem), scores them
with the dataset's own ``score.py`` (Zyte benchmark metric: P / R / F1 over 4-token shingles) and
prints pages/s of the whole pipeline next to bare ``trafilatura.extract(html)`` (library defaults)
on the same pages in the same run, interleaved per round so machine load hits both alike.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from boilerclean.cleaners.config import load_config  # noqa: E402
from boilerclean.cleaners.document import Document  # noqa: E402
from boilerclean.cleaners.pipeline import clean_documents  # noqa: E402

SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", REPO / ".." / "shared"))
DATA = SHARED / "eval" / "extraction"


def load_pages() -> list[tuple[str, str, str | None]]:
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for path in sorted((DATA / "html").glob("*.html.gz")):
        pid = path.name.removesuffix(".html.gz")
        pages.append((pid, gzip.decompress(path.read_bytes()).decode("utf-8"), truth.get(pid, {}).get("url")))
    return pages


def add_chain_arguments(ap: argparse.ArgumentParser) -> None:
    """--config and --stage-only: which chain an evaluation runs (shared with eval_readability.py)."""
    ap.add_argument("--config", default=str(REPO / "configs" / "news-html.yaml"))
    ap.add_argument("--stage-only", action="store_true", help="run extract_html alone instead of the config")


def build_stages(config: str, stage_only: bool):
    if stage_only:
        from boilerclean.cleaners.stages.extract.extractor import ExtractHtml

        return [ExtractHtml()]
    return load_config(config).build_stages()


def run_pipeline(stages, pages) -> tuple[dict[str, str], list[dict], float]:
    docs = [Document(id=pid, html=html, url=url) for pid, html, url in pages]
    t0 = time.perf_counter()
    results, reports = clean_documents(stages, docs)
    seconds = time.perf_counter() - t0
    preds = {pid: "" for pid, _, _ in pages}
    for item in results:
        if isinstance(item, Document):
            preds[item.id] = item.text
    return preds, reports, seconds


def run_trafilatura(pages) -> float:
    import trafilatura

    t0 = time.perf_counter()
    for _, html, _ in pages:
        trafilatura.extract(html)
    return time.perf_counter() - t0


def run_cli(config: str, pages) -> tuple[dict[str, str], float]:
    """The real command line: pages as a JSONL input, ``boilerclean run``, predictions from clean/.

    Whole-process wall time, embedded Prefect server included; rejected pages predict nothing.
    """
    with tempfile.TemporaryDirectory() as tmp:
        inp, out = Path(tmp) / "in", Path(tmp) / "out"
        inp.mkdir()
        with (inp / "pages.jsonl").open("w", encoding="utf-8") as f:
            for pid, html, url in pages:
                f.write(json.dumps({"id": pid, "html": html, "url": url}, ensure_ascii=False) + "\n")
        t0 = time.perf_counter()
        subprocess.run(
            [str(Path(sys.executable).parent / "boilerclean"), "run", config, "-i", str(inp), "-o", str(out)],
            check=True,
            capture_output=True,
            env={**os.environ, "PREFECT_LOGGING_LEVEL": "WARNING"},
        )
        seconds = time.perf_counter() - t0
        preds = {pid: "" for pid, _, _ in pages}
        for part in sorted((out / "clean").glob("part-*.jsonl")):
            for line in part.open(encoding="utf-8"):
                rec = json.loads(line)
                preds[rec["id"]] = rec["text"]
    return preds, seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    add_chain_arguments(ap)
    ap.add_argument("--rounds", type=int, default=2, help="timing rounds (each: pipeline, then trafilatura)")
    ap.add_argument("--predictions", help="write predictions here (default: a temp file)")
    ap.add_argument("--per-doc", help="pass --per-doc to score.py (per-page scores)")
    ap.add_argument("--bootstrap", type=int, default=0, help="pass --bootstrap to score.py")
    ap.add_argument("--cli", action="store_true", help="score the output of the real `boilerclean run` instead")
    args = ap.parse_args()
    if not (DATA / "score.py").exists():
        sys.exit(f"no extraction dev data at {DATA} (set BOILERCLEAN_SHARED)")

    pages = load_pages()
    if args.cli:
        preds, seconds = run_cli(args.config, pages)
        out = Path(args.predictions) if args.predictions else Path(tempfile.mkstemp(suffix=".jsonl")[1])
        with out.open("w", encoding="utf-8") as f:
            for pid, text in preds.items():
                f.write(json.dumps({"id": pid, "text": text}, ensure_ascii=False) + "\n")
        score = subprocess.run(
            [sys.executable, str(DATA / "score.py"), str(out)], capture_output=True, text=True, check=True
        ).stdout.strip()
        print(f"boilerclean run {args.config}: {len(pages)} pages in {seconds:.1f} s (whole process)")
        print(f"score.py: {score}")
        print("command: " + " ".join([Path(sys.executable).name, *sys.argv]))
        return
    stages = build_stages(args.config, args.stage_only)
    run_trafilatura(pages[:3])  # warm both code paths before timing
    run_pipeline(stages, pages[:3])
    ours, theirs = [], []
    preds, reports = {}, []
    for _ in range(args.rounds):
        preds, reports, seconds = run_pipeline(stages, pages)
        ours.append(seconds)
        theirs.append(run_trafilatura(pages))

    out = Path(args.predictions) if args.predictions else Path(tempfile.mkstemp(suffix=".jsonl")[1])
    with out.open("w", encoding="utf-8") as f:
        for pid, text in preds.items():
            f.write(json.dumps({"id": pid, "text": text}, ensure_ascii=False) + "\n")
    cmd = [sys.executable, str(DATA / "score.py"), str(out)]
    if args.per_doc:
        cmd += ["--per-doc", args.per_doc]
    if args.bootstrap:
        cmd += ["--bootstrap", str(args.bootstrap)]
    score = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()

    n = len(pages)
    ours_pps, theirs_pps = n / min(ours), n / min(theirs)
    chain = "extract_html (stage only)" if args.stage_only else " -> ".join(s.name for s in stages)
    print(f"pipeline: {chain}")
    print(f"score.py: {score}")
    print(
        f"speed (best of {args.rounds}): pipeline {ours_pps:.1f} pages/s, bare trafilatura.extract "
        f"{theirs_pps:.1f} pages/s, ratio {ours_pps / theirs_pps:.2f}"
    )
    for rep in reports:
        removed = sum(rep["lines_removed"].values())
        rejected = sum(rep["rejected"].values())
        print(
            f"  {rep['stage']:<22} {rep['seconds']:7.2f}s  lines removed {removed:4d}  rejected {rejected}"
            + (f" {rep['rejected']}" if rejected else "")
        )
    print(f"predictions: {out}")
    print("command: " + " ".join([Path(sys.executable).name, *sys.argv]))


if __name__ == "__main__":
    main()
