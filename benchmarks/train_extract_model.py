"""Train the block scorer of extract_html on the dev pages, calibrate it and cross-validate the stage.

    .venv/bin/python benchmarks/train_extract_model.py              # calibration + CV report, writes the model
    .venv/bin/python benchmarks/train_extract_model.py --cv-only    # report only

Data: ``$BOILERCLEAN_SHARED/eval/extraction`` (default ``<repo>/../shared``), dev half only.
Labels: every block trafilatura keeps is aligned to the ground-truth article with the same
rule the dataset's README uses for ``trafilatura_lines.jsonl`` (difflib over lower-cased ``\\w+``
tokens, matching runs of >= 3 tokens; a block is content when >= half its tokens align).
Features: ``extractor.extract_page`` (the stage's own code), so training sees exactly
what the stage sees. Model: gradient-boosted depth-3 trees on logistic loss (``gbm.py``, numpy
only), blocks weighted by sqrt(tokens) so a one-word widget line does not count as much as a
paragraph. Deterministic: the same data gives the same model file.

Folds by URL host (all pages of a site in one fold, like the dev/holdout split). Two reports:

* **calibration**: out-of-fold block scores; for each threshold, the share of the words the
  scorer would drop that are boilerplate. The stage's ``drop_threshold`` is the lowest one at
  which that share reaches ``--confidence`` (0.9): a block goes only when the scorer is right
  about such blocks 9 times in 10 on sites it never saw.
* **the stage itself, per fold**: ``ExtractHtml`` with default parameters (its page guard and
  full-mode retry included) and a model trained on the other folds, next to bare
  ``trafilatura.extract`` in precision mode and with library defaults, each with comments on
  (the library default) and off, scored with the dataset's ``score.py``.
"""

from __future__ import annotations

import argparse
import difflib
import gzip
import hashlib
import importlib.util
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from gbm import fit, predict

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from boilerclean.cleaners.stages.extract.cleanup import MODEL_PATH  # noqa: E402
from boilerclean.cleaners.stages.extract.extractor import extract_page, page_feature_names  # noqa: E402

WORD = re.compile(r"\w+")
SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", REPO / ".." / "shared"))
DATA = SHARED / "eval" / "extraction"
ALL_FEATURES = page_feature_names()
N_FEATURES = len(ALL_FEATURES)
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9)
PARAMS = {"n_trees": 100, "depth": 3, "lr": 0.1, "min_leaf": 5, "l2": 1.0, "n_bins": 32}


def load_scorer():
    spec = importlib.util.spec_from_file_location("extraction_score", DATA / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def coverage(lines: list[str], truth: str) -> list[float]:
    toks: list[str] = []
    owner: list[int] = []
    for i, line in enumerate(lines):
        words = WORD.findall(line.lower())
        toks += words
        owner += [i] * len(words)
    matcher = difflib.SequenceMatcher(None, toks, WORD.findall(truth.lower()), autojunk=False)
    hit = [0] * len(lines)
    size = [0] * len(lines)
    for o in owner:
        size[o] += 1
    for a, _, n in matcher.get_matching_blocks():
        if n >= 3:
            for k in range(a, a + n):
                hit[owner[k]] += 1
    return [h / s if s else 0.0 for h, s in zip(hit, size, strict=True)]


def host_of(url: str) -> str:
    return url.split("://", 1)[-1].split("/", 1)[0].lower().removeprefix("www.")


def build_dataset() -> list[dict]:
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for path in sorted((DATA / "html").glob("*.html.gz")):
        pid = path.name.removesuffix(".html.gz")
        html = gzip.decompress(path.read_bytes()).decode("utf-8")
        page = extract_page(html, truth[pid].get("url"))
        blocks = page.blocks if page else []
        texts = [b.text for b in blocks]
        cov = coverage(texts, truth[pid]["articleBody"])
        pages.append(
            {
                "id": pid,
                "html": html,
                "url": truth[pid].get("url"),
                "host": host_of(truth[pid]["url"]),
                "texts": texts,
                "tags": [b.tag for b in blocks],
                "X": np.asarray(page.rows if page else [], dtype=np.float64).reshape(len(blocks), N_FEATURES),
                "y": np.asarray([1.0 if c < 0.5 else 0.0 for c in cov]),
            }
        )
    return pages


def weights(page: dict) -> np.ndarray:
    toks = np.asarray([max(1, len(WORD.findall(t))) for t in page["texts"]], dtype=np.float64)
    return np.sqrt(toks) / np.sqrt(toks).mean() if len(toks) else toks


def stack(pages: list[dict]):
    x = np.vstack([p["X"] for p in pages if len(p["y"])])
    y = np.concatenate([p["y"] for p in pages])
    w = np.concatenate([weights(p) for p in pages])
    return x, y, w


def page_text(page: dict, scores: np.ndarray, threshold: float) -> str:
    keep = scores < threshold
    if not keep.any():  # the stage keeps everything rather than emptying a page
        keep = np.ones_like(keep)
    return "\n\n".join(t for t, k in zip(page["texts"], keep, strict=True) if k)


def evaluate(score_mod, truth: dict, pages: list[dict], texts: dict[str, str]) -> dict:
    rows = []
    for page in pages:
        tp, fp, fn = score_mod.doc_counts(truth[page["id"]]["articleBody"], texts[page["id"]])
        rows.append(
            {
                "precision": score_mod.doc_precision(tp, fp, fn),
                "recall": score_mod.doc_recall(tp, fp, fn),
                "f1": 0.0,
                "exact": False,
            }
        )
    agg = score_mod.aggregate(rows)
    return {k: round(agg[k], 4) for k in ("f1", "precision", "recall")}


def assign_folds(pages: list[dict], folds: int) -> list[int]:
    """Fold of each page: hosts ordered by sha1, dealt round-robin (all pages of a site together)."""
    hosts = sorted({p["host"] for p in pages}, key=lambda h: hashlib.sha1(h.encode()).hexdigest())
    fold_of = {h: i % folds for i, h in enumerate(hosts)}
    return [fold_of[p["host"]] for p in pages]


def cross_validate(pages: list[dict], fold: list[int], folds: int) -> tuple[dict[str, np.ndarray], list[dict]]:
    """Out-of-fold block scores, and the model trained without each fold."""
    scores: dict[str, np.ndarray] = {}
    models = []
    for f in range(folds):
        model = fit(*stack([p for p, g in zip(pages, fold, strict=True) if g != f]), **PARAMS)
        models.append(model)
        for p, g in zip(pages, fold, strict=True):
            if g == f:
                scores[p["id"]] = predict(model, p["X"]) if len(p["y"]) else np.zeros(0)
    return scores, models


def calibrate(pages: list[dict], scores: dict[str, np.ndarray], confidence: float) -> tuple[float, list[tuple]]:
    """Lowest threshold at which >= ``confidence`` of the words dropped out of fold are boilerplate."""
    p_all = np.concatenate([scores[p["id"]] for p in pages])
    y_all = np.concatenate([p["y"] for p in pages])
    w_all = np.concatenate([[len(WORD.findall(t)) for t in p["texts"]] for p in pages]).astype(np.float64)
    table, chosen = [], None
    for thr in THRESHOLDS:
        drop = p_all >= thr
        words = float(w_all[drop].sum())
        right = float((w_all * y_all)[drop].sum()) / words if words else 1.0
        table.append((thr, int(drop.sum()), int(words), right))
        if chosen is None and right >= confidence:
            chosen = thr
    return (chosen if chosen is not None else THRESHOLDS[-1]), table


def model_record(model: dict, extra: dict) -> dict:
    return {"features": list(ALL_FEATURES), "params": PARAMS, **extra, **model}


def stage_cv(pages: list[dict], fold: list[int], models: list[dict], threshold: float) -> dict[str, str]:
    """The stage's own output on each held-out page, with the model trained without its fold."""
    from boilerclean.cleaners.document import Document
    from boilerclean.cleaners.stage import Reject, StageLog
    from boilerclean.cleaners.stages.extract.cleanup import BlockScorer
    from boilerclean.cleaners.stages.extract.extractor import ExtractHtml, ExtractHtmlParams

    texts: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for f, model in enumerate(models):
            path = Path(tmp) / f"fold{f}.json"
            path.write_text(json.dumps(model_record(model, {})), encoding="utf-8")
            stage = ExtractHtml(ExtractHtmlParams(drop_threshold=threshold))
            stage.scorer = BlockScorer(path, expected_features=ALL_FEATURES)
            for p, g in zip(pages, fold, strict=True):
                if g == f:
                    try:
                        texts[p["id"]] = stage.apply(
                            Document(id=p["id"], html=p["html"], url=p["url"]), StageLog("x")
                        ).text
                    except Reject:
                        texts[p["id"]] = ""
    return texts


def bare_trafilatura(pages: list[dict]) -> dict[str, dict[str, str]]:
    import trafilatura

    settings = {
        "precision": {"favor_precision": True},
        "precision, no comments": {"favor_precision": True, "include_comments": False},
        "defaults": {},
        "defaults, no comments": {"include_comments": False},
    }
    return {
        name: {p["id"]: trafilatura.extract(p["html"], url=p["url"], **kw) or "" for p in pages}
        for name, kw in settings.items()
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cv-only", action="store_true", help="report only, do not write the model")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--confidence", type=float, default=0.9, help="share of dropped words that must be boilerplate")
    ap.add_argument("--out", default=str(MODEL_PATH))
    args = ap.parse_args()
    if not (DATA / "ground-truth.json").exists():
        sys.exit(f"no dev data at {DATA} (set BOILERCLEAN_SHARED)")
    score_mod = load_scorer()
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    pages = build_dataset()
    n_blocks = sum(len(p["y"]) for p in pages)
    n_bp = int(sum(p["y"].sum() for p in pages))
    print(f"{len(pages)} pages, {n_blocks} blocks, {n_bp} boilerplate ({time.perf_counter() - t0:.1f}s)")
    base = {p["id"]: "\n\n".join(p["texts"]) for p in pages}
    oracle = {p["id"]: "\n\n".join(t for t, y in zip(p["texts"], p["y"], strict=True) if not y) for p in pages}
    print("all blocks kept       ", evaluate(score_mod, truth, pages, base))
    print("oracle block dropping ", evaluate(score_mod, truth, pages, oracle))

    fold = assign_folds(pages, args.folds)
    scores, models = cross_validate(pages, fold, args.folds)
    threshold, table = calibrate(pages, scores, args.confidence)
    print(f"\ncalibration, host-grouped {args.folds}-fold CV (blocks dropped at >= threshold, out of fold):")
    print("| threshold | blocks dropped | words dropped | of them boilerplate | CV F1 (P, R), blocks only |")
    print("|---:|---:|---:|---:|---|")
    for thr, n, words, right in table:
        cv = evaluate(score_mod, truth, pages, {p["id"]: page_text(p, scores[p["id"]], thr) for p in pages})
        mark = " <- drop_threshold" if thr == threshold else ""
        print(f"| {thr} | {n} | {words} | {right:.1%} | {cv['f1']} ({cv['precision']}, {cv['recall']}){mark} |")

    bare = bare_trafilatura(pages)
    systems = {"extract_html (CV)": stage_cv(pages, fold, models, threshold), **bare}
    print(f"\nper fold, F1 (P / R), score.py; extract_html at drop_threshold {threshold}, model from the other folds")
    names = list(systems)
    print("| fold | pages | " + " | ".join(f"{n}" for n in names) + " |")
    print("|---:|---:|" + "---|" * len(names))
    for f in [*range(args.folds), None]:
        subset = [p for p, g in zip(pages, fold, strict=True) if f is None or g == f]
        cells = []
        for name in names:
            r = evaluate(score_mod, truth, subset, systems[name])
            cells.append(f"{r['f1']:.3f} ({r['precision']:.3f} / {r['recall']:.3f})")
        print(f"| {'all' if f is None else f} | {len(subset)} | " + " | ".join(cells) + " |")
    if args.cv_only:
        return
    model = fit(*stack(pages), **PARAMS)
    texts = {p["id"]: page_text(p, predict(model, p["X"]), threshold) for p in pages}
    print(
        f"\nin-sample (trained on all dev pages), blocks only, threshold {threshold}:",
        evaluate(score_mod, truth, pages, texts),
    )
    cv = evaluate(score_mod, truth, pages, systems["extract_html (CV)"])
    extra = {
        "threshold": threshold,
        "trained_on": "eval/extraction dev half (91 pages, 63 hosts), labels by token alignment to articleBody",
        "cv": {"folds": args.folds, "stage_f1": cv["f1"], "precision": cv["precision"], "recall": cv["recall"]},
        "calibration": [{"threshold": t, "dropped_words_boilerplate": round(r, 4)} for t, _, _, r in table],
    }
    Path(args.out).write_text(json.dumps(model_record(model, extra), separators=(",", ":")), encoding="utf-8")
    print(f"wrote {args.out} ({Path(args.out).stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
