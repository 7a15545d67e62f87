"""Evaluate the dataset-grade stages: what the quality rules reject, and what the chain costs.

    .venv/bin/python benchmarks/eval_quality.py real [--config configs/dataset.yaml] [--sets corpus ...]
    .venv/bin/python benchmarks/eval_quality.py junk [--per-kind 10]
    .venv/bin/python benchmarks/eval_quality.py newslines [--config configs/dataset.yaml]
    .venv/bin/python benchmarks/eval_quality.py throughput [--mb 10] [--datatrove VENV]

real: every real article in ../shared (corpus, newslines gold, extraction ground truth,
readability), each set through the whole chain: the English articles > 80 words that a quality
or language rule rejects, each listed with rule and value; each rule on its own on every article
(rejections and closest calls); language id under hard openings (``article_loss.py``).

junk: generated junk of 13 kinds (``junk.py``) through the whole chain: what is caught, by what.

newslines: on the gold ``expected`` texts of ../shared/eval/newslines (real article text, no
debris), count the articles longer than 80 words that each rule set rejects:
  * ours     - quality_filter as configured in the config (the goal is 0);
  * faithful - quality_filter with datatrove's thresholds (our fixed punctuation and tokens);
  * datatrove - datatrove 0.10's own filters, one family at a time, when its venv exists
    (``bash ../shared/bench/setup_datatrove.sh``), on the texts with blank-line paragraph
    separators (our layout) and with single newlines (trafilatura's layout).

throughput: the whole config chain in-process (``clean_documents``, documents in memory,
corpus stages included) over ``make_corpus.py text`` output, with per-stage seconds; then the
datatrove-equivalent chain (fix_encoding + quality_filter at datatrove thresholds); then, if
the datatrove venv exists, datatrove's own script on the same input (``--workers 1``), and the
per-core ratio. The corpus replicates ~400 articles, so exact dedup rejects most copies.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import article_loss  # noqa: E402
from real_articles import SETS  # noqa: E402

from boilerclean.cleaners.config import load_config  # noqa: E402
from boilerclean.cleaners.document import Document  # noqa: E402
from boilerclean.cleaners.pipeline import clean_documents  # noqa: E402
from boilerclean.cleaners.stage import Reject, Rejected, StageLog  # noqa: E402
from boilerclean.cleaners.stages.quality.filter import QualityFilter, QualityParams  # noqa: E402

SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", REPO / ".." / "shared")).resolve()
DEFAULT_VENV = Path.home() / ".cache" / "boilerclean-bench" / "datatrove"
FAMILIES = ("c4", "gopher_quality", "gopher_repetition", "fineweb")

# Runs inside datatrove's venv: each family's filter on each text, independently.
PEER_SCRIPT = r"""
import json, sys
from datatrove.data import Document
from datatrove.pipeline import filters as F
filters = {"c4": F.C4QualityFilter(), "gopher_quality": F.GopherQualityFilter(),
           "gopher_repetition": F.GopherRepetitionFilter(), "fineweb": F.FineWebQualityFilter()}
texts = json.load(open(sys.argv[1]))
out = {"c4_lines_lost": 0, "c4_lines": 0}
for fam, f in filters.items():
    res = []
    for i, t in enumerate(texts):
        doc = Document(text=t, id=str(i))
        r = f.filter(doc)
        res.append(None if r is True else (r[1] if isinstance(r, tuple) else "rejected"))
        if fam == "c4":
            before = [x.strip() for x in t.splitlines() if x.strip()]
            if r is True:
                after = set(doc.text.splitlines())
                out["c4_lines"] += len(before)
                out["c4_lines_lost"] += sum(1 for x in before if x not in after)
    out[fam] = res
print(json.dumps(out))
"""


def _quality_params(config: Path) -> QualityParams:
    for spec in load_config(config).stages:
        if spec.name == "quality_filter":
            return QualityParams.model_validate(spec.params)
    raise SystemExit(f"{config}: no quality_filter stage")


def _reject_reason(stage: QualityFilter, text: str) -> tuple[str, dict] | None:
    try:
        stage.apply(Document(id="x", text=text), StageLog(stage.name))
    except Reject as r:
        return r.reason, r.details
    return None


def _lines_removed(stage: QualityFilter, docs: list[dict]) -> collections.Counter:
    """Lines the stage's line rules remove from the articles it keeps, by rule."""
    removed: collections.Counter = collections.Counter()
    for d in docs:
        log = StageLog(stage.name)
        try:
            stage.apply(Document(id="x", text=d["expected"]), log)
        except Reject:
            continue
        removed.update(log.lines)
    return removed


def newslines(args: argparse.Namespace) -> None:
    path = SHARED / "eval" / "newslines" / "dev_docs.jsonl"
    if not path.exists():
        raise SystemExit(f"{path} not found (set BOILERCLEAN_SHARED)")
    docs = [json.loads(line) for line in path.open(encoding="utf-8")]
    long_docs = [d for d in docs if len(d["expected"].split()) > 80]
    print(f"newslines dev: {len(docs)} articles, {len(long_docs)} with expected text > 80 words")
    ours = QualityFilter(_quality_params(args.config))
    print(f"\nours ({args.config}):")
    hits = [(d["doc_id"], _reject_reason(ours, d["expected"])) for d in long_docs]
    rejected = [(i, r) for i, r in hits if r]
    print(f"  rejected {len(rejected)} / {len(long_docs)}")
    for doc_id, (reason, details) in rejected:
        print(f"    {doc_id}: {reason} {details}")
    lines = _lines_removed(ours, long_docs)
    print(f"  article lines removed by line rules (in kept articles): {sum(lines.values())} {dict(lines)}")

    print("\nfaithful (datatrove thresholds and definitions, our tokens and fixed punctuation), per family:")
    off = {fam: {"enabled": False} for fam in FAMILIES}
    for fam in FAMILIES:
        stage = QualityFilter(QualityParams.model_validate({**off, fam: {}}))
        reasons = collections.Counter(r[0] for d in long_docs if (r := _reject_reason(stage, d["expected"])))
        print(f"  {fam:18s} rejects {sum(reasons.values()):2d} / {len(long_docs)}  {dict(reasons)}")
        if fam == "c4":
            lines = _lines_removed(stage, long_docs)
            print(f"  {'':18s} and removes {sum(lines.values())} article lines from the kept ones {dict(lines)}")
    faithful = QualityFilter(QualityParams())
    n_any = sum(1 for d in long_docs if _reject_reason(faithful, d["expected"]))
    print(f"  all four in a chain rejects {n_any:2d} / {len(long_docs)}")

    venv = Path(args.datatrove)
    if not (venv / "bin" / "python").exists():
        print(f"\ndatatrove: no venv at {venv}; run bash {SHARED}/bench/setup_datatrove.sh {venv}")
        return
    for layout, sep in (("blank-line paragraphs", "\n\n"), ("single newlines", "\n")):
        texts = [sep.join(p for p in d["expected"].split("\n\n")) for d in long_docs]
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
            json.dump(texts, fh)
        try:
            proc = subprocess.run(
                [str(venv / "bin" / "python"), "-c", PEER_SCRIPT, fh.name], capture_output=True, text=True, check=True
            )
        finally:
            os.unlink(fh.name)
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        print(f"\ndatatrove 0.10 filters, {layout}, per family:")
        any_family = set()
        for fam in FAMILIES:
            reasons = collections.Counter(r for r in result[fam] if r)
            any_family |= {i for i, r in enumerate(result[fam]) if r}
            print(f"  {fam:18s} rejects {sum(reasons.values()):2d} / {len(long_docs)}  {dict(reasons)}")
        print(f"  any family         rejects {len(any_family):2d} / {len(long_docs)}")
        total = result["c4_lines"]
        print(f"  c4 also removes {result['c4_lines_lost']} of the {total} article lines of the articles it keeps")


def _make_corpus(mb: float) -> Path:
    out = Path(tempfile.gettempdir()) / f"boilerclean-bench-text-{mb:g}mb"
    if not any(out.glob("*.jsonl")):
        subprocess.run(
            [sys.executable, str(SHARED / "bench" / "make_corpus.py"), "text", str(out), "--mb", str(mb)], check=True
        )
    return out


def _load(corpus: Path) -> list[Document]:
    docs = []
    for path in sorted(corpus.glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            rec = json.loads(line)
            docs.append(Document(id=rec["id"], text=rec["text"], url=rec.get("url"), raw=rec))
    return docs


def _fresh(docs: list[Document]) -> list[Document]:
    return [Document(id=d.id, text=d.text, url=d.url, title=d.title, domain=d.domain, raw=d.raw) for d in docs]


def _run_chain(label: str, stages, docs: list[Document]) -> tuple[float, float, list[Document]]:
    """Run ``stages`` over copies of ``docs``; print the RESULT line; return MB/s, MB per CPU-s, kept docs."""
    size = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    fresh = _fresh(docs)
    t0, c0 = time.perf_counter(), time.process_time()
    results, reports = clean_documents(stages, fresh)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    kept = [r for r in results if not isinstance(r, Rejected)]
    print(
        f"RESULT chain={label} docs={len(docs)} MB={size:.2f} kept={len(kept)} wall_s={wall:.2f} cpu_s={cpu:.2f} "
        f"docs_per_s={len(docs) / wall:.1f} MB_per_s={size / wall:.3f} MB_per_cpu_s={size / cpu:.3f}"
    )
    for rep in reports:
        rejected = sum(rep["rejected"].values())
        print(f"    {rep['stage']:22s} in={rep['docs_in']:6d} rejected={rejected:6d} wall_s={rep['seconds']:.2f}")
        errors = {k: v for k, v in rep["rejected"].items() if k.startswith("error:")}
        if errors:
            print(f"    WARNING {rep['stage']} failed on documents: {errors} - the figures above are not valid")
    return size / wall, size / cpu, kept


MINE = ("language", "quality_filter", "dedup_exact", "dedup_near", "pii")


def throughput(args: argparse.Namespace) -> None:
    corpus = Path(args.corpus) if args.corpus else _make_corpus(args.mb)
    docs = _load(corpus)
    print(f"corpus {corpus}: {len(docs)} documents (~400 articles replicated; see make_corpus.py)")
    print("machine load (1/5/15 min):", " ".join(f"{x:.1f}" for x in os.getloadavg()))
    stages = load_config(args.config).build_stages()
    ours_wall, ours_cpu, _ = _run_chain(args.config.stem, stages, docs)
    # the corpus is ~6 copies of each article, which flatters a chain that deduplicates early:
    # the same chain without the dedup stages is the cost on a corpus without duplicates
    no_dedup = [st for st in load_config(args.config).build_stages() if not st.name.startswith("dedup_")]
    flat_wall, flat_cpu, _ = _run_chain(args.config.stem + "-without-dedup", no_dedup, docs)

    # each dataset stage alone, on the text as the chain hands it over (CPU time: robust to load)
    cut = next(i for i, st in enumerate(stages) if st.name in MINE)
    _, _, prepared = _run_chain("prefix(" + "+".join(st.name for st in stages[:cut]) + ")", stages[:cut], docs)
    size = sum(len(d.text.encode("utf-8")) for d in prepared) / 1e6
    for stage in stages[cut:]:
        fresh = _fresh(prepared)
        c0 = time.process_time()
        clean_documents([stage], fresh)
        cpu = time.process_time() - c0
        print(
            f"STAGE {stage.name:16s} docs={len(prepared)} MB={size:.2f} cpu_s={cpu:.2f} MB_per_cpu_s={size / cpu:.2f}"
        )

    from boilerclean.cleaners.catalog import stage_class

    equivalent = [stage_class("fix_encoding")(), QualityFilter()]
    _run_chain("fix_encoding+quality_filter(datatrove thresholds)", equivalent, docs)

    venv = Path(args.datatrove)
    if not (venv / "bin" / "python").exists():
        print(f"datatrove: no venv at {venv}; skipped")
        return
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with tempfile.TemporaryDirectory() as out:
        script = str(SHARED / "bench" / "datatrove_pipeline.py")
        cmd = [str(venv / "bin" / "python"), script, "text", str(corpus), out, "--workers", "1"]
        proc = subprocess.run(cmd, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT")]
    if not lines:
        print("datatrove failed:\n" + proc.stderr[-2000:])
        return
    print(lines[-1])
    peer_wall = float(lines[-1].split("MB_per_s=")[1].split()[0])
    peer_mb = float(lines[-1].split(" MB=")[1].split()[0])
    peer_cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    peer_cpu = peer_mb / peer_cpu_s
    print(f"peer datatrove: cpu_s={peer_cpu_s:.2f} MB_per_cpu_s={peer_cpu:.3f} (includes interpreter start-up)")
    for label, cpu_rate, wall_rate in (
        (f"whole {args.config.name} chain", ours_cpu, ours_wall),
        (f"{args.config.stem} chain without dedup", flat_cpu, flat_wall),
    ):
        print(
            f"RATIO {label} / datatrove chain, one core each: "
            f"{cpu_rate / peer_cpu:.1f}x per CPU-second, {wall_rate / peer_wall:.1f}x wall-clock"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("what", choices=["real", "junk", "newslines", "throughput"])
    ap.add_argument("--sets", nargs="*", default=list(SETS), help="real: which sets of real_articles.py")
    ap.add_argument("--per-kind", type=int, default=10, help="junk: documents per kind")
    ap.add_argument("--config", type=Path, default=REPO / "configs" / "dataset.yaml")
    ap.add_argument("--datatrove", default=str(DEFAULT_VENV), help="datatrove venv (setup_datatrove.sh)")
    ap.add_argument("--mb", type=float, default=10.0, help="size of the generated text corpus")
    ap.add_argument("--corpus", help="existing make_corpus.py text output folder")
    args = ap.parse_args()
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}")
    if args.what == "real":
        article_loss.real(args.config, tuple(args.sets))
    elif args.what == "junk":
        article_loss.junk_check(args.config, args.per_kind)
    else:
        newslines(args) if args.what == "newslines" else throughput(args)


if __name__ == "__main__":
    main()
