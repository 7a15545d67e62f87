"""Train the block scorer of extract_html on the dev pages, report host-grouped CV, write the model.

    .venv/bin/python benchmarks/train_extract_model.py              # CV report + writes the model
    .venv/bin/python benchmarks/train_extract_model.py --cv-only    # CV report only

Data: ``$BOILERCLEAN_SHARED/eval/extraction`` (default ``<repo>/../shared``), dev half only.
Labels: every block trafilatura keeps is aligned to the ground-truth article with the same
rule the dataset's README uses for ``trafilatura_lines.jsonl`` (difflib over lower-cased ``\\w+``
tokens, matching runs of >= 3 tokens; a block is content when >= half its tokens align).
Features: ``extractor.extract_page`` (the stage's own code), so training sees exactly
what the stage sees. Model: gradient-boosted depth-3 trees on logistic loss (numpy only, ~50
lines below), blocks weighted by sqrt(tokens) so a one-word widget line does not count as much
as a paragraph. Deterministic: the same data gives the same model file.
CV: folds by URL host (all pages of a site in one fold, like the dev/holdout split), scored
with the dataset's ``score.py`` on the page texts the stage would output.
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
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from boilerclean.cleaners.stages.extract.agreement import AGREEMENT_FEATURE_NAMES  # noqa: E402
from boilerclean.cleaners.stages.extract.blocks import FEATURE_NAMES  # noqa: E402
from boilerclean.cleaners.stages.extract.cleanup import MODEL_PATH  # noqa: E402
from boilerclean.cleaners.stages.extract.dom import DOM_FEATURE_NAMES  # noqa: E402
from boilerclean.cleaners.stages.extract.extractor import extract_page  # noqa: E402

WORD = re.compile(r"\w+")
SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", REPO / ".." / "shared"))
DATA = SHARED / "eval" / "extraction"
ALL_FEATURES = FEATURE_NAMES + DOM_FEATURE_NAMES + AGREEMENT_FEATURE_NAMES
N_FEATURES = len(ALL_FEATURES)
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
                "host": host_of(truth[pid]["url"]),
                "texts": texts,
                "tags": [b.tag for b in blocks],
                "X": np.asarray(page.rows if page else [], dtype=np.float64).reshape(len(blocks), N_FEATURES),
                "y": np.asarray([1.0 if c < 0.5 else 0.0 for c in cov]),
            }
        )
    return pages


def _walk(nodes: list, x: np.ndarray) -> np.ndarray:
    out = np.empty(len(x))
    stack = [(0, np.arange(len(x)))]
    while stack:
        k, idx = stack.pop()
        feat, thr, left, right, value = nodes[k]
        if feat < 0:
            out[idx] = value
            continue
        go = x[idx, feat] <= thr
        stack += [(left, idx[go]), (right, idx[~go])]
    return out


def fit(x, y, w, n_trees, depth, lr, min_leaf, l2, n_bins) -> dict:
    """Gradient boosting with histogram splits (thresholds at feature quantiles)."""
    n, m = x.shape
    cuts = [np.unique(np.quantile(x[:, j], np.linspace(0, 1, n_bins + 1)[1:-1])) for j in range(m)]
    bins = np.stack([np.searchsorted(cuts[j], x[:, j], side="left") for j in range(m)], 1)
    nb = max(len(c) for c in cuts) + 1
    offsets = (np.arange(m) * nb)[None, :]
    base = float(np.log((np.sum(w * y) + 1) / (np.sum(w * (1 - y)) + 1)))
    margin = np.full(n, base)
    trees = []
    for _ in range(n_trees):
        p = 1 / (1 + np.exp(-margin))
        g, h = w * (p - y), w * p * (1 - p)
        nodes: list = []

        def build(idx, d, g=g, h=h, nodes=nodes):
            gs, hs = g[idx].sum(), h[idx].sum()
            k = len(nodes)
            nodes.append(None)
            if d < depth and len(idx) >= 2 * min_leaf:
                flat = (bins[idx] + offsets).ravel()
                hist = [
                    np.bincount(flat, weights, minlength=m * nb).reshape(m, nb).cumsum(1)[:, :-1]
                    for weights in (np.repeat(g[idx], m), np.repeat(h[idx], m), None)
                ]
                gl, hl, cl = hist
                gain = gl**2 / (hl + l2) + (gs - gl) ** 2 / (hs - hl + l2) - gs**2 / (hs + l2)
                valid = (cl >= min_leaf) & (len(idx) - cl >= min_leaf)
                for j in range(m):
                    valid[j, len(cuts[j]) :] = False
                gain = np.where(valid, gain, -np.inf)
                j, b = np.unravel_index(np.argmax(gain), gain.shape)
                if gain[j, b] > 1e-6:
                    go = bins[idx, j] <= b
                    left = build(idx[go], d + 1)
                    right = build(idx[~go], d + 1)
                    nodes[k] = [int(j), float(cuts[j][b]), left, right, 0.0]
                    return k
            nodes[k] = [-1, 0.0, -1, -1, float(-gs / (hs + l2) * lr)]
            return k

        build(np.arange(n), 0)
        trees.append(nodes)
        margin += _walk(nodes, x)
    return {"base": base, "depth": depth, "trees": trees}


def predict(model: dict, x: np.ndarray) -> np.ndarray:
    margin = np.full(len(x), model["base"])
    for nodes in model["trees"]:
        margin += _walk(nodes, x)
    return 1 / (1 + np.exp(-margin))


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


def cross_validate(pages: list[dict], folds: int) -> dict[str, np.ndarray]:
    hosts = sorted({p["host"] for p in pages}, key=lambda h: hashlib.sha1(h.encode()).hexdigest())
    fold_of = {h: i % folds for i, h in enumerate(hosts)}
    scores: dict[str, np.ndarray] = {}
    for f in range(folds):
        train = [p for p in pages if fold_of[p["host"]] != f]
        model = fit(*stack(train), **PARAMS)
        for p in pages:
            if fold_of[p["host"]] == f:
                scores[p["id"]] = predict(model, p["X"]) if len(p["y"]) else np.zeros(0)
    return scores


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cv-only", action="store_true", help="report CV numbers, do not write the model")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--threshold", type=float, default=0.7, help="P(boilerplate) at which a block is dropped")
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
    cv_scores = cross_validate(pages, args.folds)
    cv = {}
    for thr in (0.5, 0.6, 0.7, 0.8, 0.9):
        texts = {p["id"]: page_text(p, cv_scores[p["id"]], thr) for p in pages}
        cv[thr] = evaluate(score_mod, truth, pages, texts)
        print(f"host-grouped {args.folds}-fold CV, threshold {thr}: {cv[thr]}")
    if args.cv_only:
        return
    model = fit(*stack(pages), **PARAMS)
    texts = {p["id"]: page_text(p, predict(model, p["X"]), args.threshold) for p in pages}
    print(
        f"in-sample (trained on all dev pages), threshold {args.threshold}:", evaluate(score_mod, truth, pages, texts)
    )
    out = {
        "features": list(ALL_FEATURES),
        "params": PARAMS,
        "threshold": args.threshold,
        "trained_on": "eval/extraction dev half (91 pages, 63 hosts), labels by token alignment to articleBody",
        "cv": {str(k): v for k, v in cv.items()},
        **model,
    }
    Path(args.out).write_text(json.dumps(out, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {args.out} ({Path(args.out).stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
