"""Train remove_artifacts' line model on all labelled line data, and say how well it does on unseen sites.

    .venv/bin/python benchmarks/train_line_model.py             # CV report, writes cleaners/models/artifact_lines.json
    .venv/bin/python benchmarks/train_line_model.py --cv-only   # CV report only
    .venv/bin/python benchmarks/train_line_model.py --precision 0.97   # a stricter threshold

Data (``benchmarks/linedata.py``): newslines dev, ``trafilatura_lines.jsonl`` and ``lines.jsonl`` of the
extraction dev half; the holdouts are never read. Each document goes through ``configs/news-text.yaml`` up
to remove_artifacts and through the stage's rules; the lines the model would judge there
(``linemodel.candidates``) get their gold label by text. Headlines and standfirsts are left out (the title
stage takes headlines; the two label sets disagree on standfirsts), so are lines no gold line matches.

Model: 100 gradient-boosted trees of depth 3 on the logistic loss (numpy, written out here; the stage only
walks them); each set weighs the same in the fit, so the many lines of whole pages do not drown newslines.
A logistic regression over the same features was tried first: shape cues interact (a short line is debris
after the article and a subheading inside it), and it could not hold precision on any set. Threshold: the
lowest probability at which the model's removals reach ``--precision`` in every set on out-of-fold
predictions of a site-grouped CV inside the training data, so the model removes a line only when it is
confident and leaves the rest to the rules.

Report: the model's own removals (precision, recall of the debris the rules left) with every site scored by
a model trained without it (``--folds`` folds by site). The chain-level numbers are eval_lines.py's.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import linedata
from eval_newslines import build_chain
from linedata import REPO, Case

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.pipeline import clean_documents
from boilerclean.cleaners.resources import MODELS_DIR
from boilerclean.cleaners.stage import Rejected, StageLog
from boilerclean.cleaners.stages.artifacts.linemodel import (
    DEFAULT_MODEL,
    FEATURE_NAMES,
    LineModel,
    candidates,
)

NEWS = REPO / "configs" / "news-text.yaml"
PRECISION = 0.95
INNER_FOLDS = 3
TREES, DEPTH, RATE, LAMBDA, MIN_LEAF = 100, 3, 0.1, 1.0, 5.0


@dataclass
class Sample:
    """The judged lines of one document: feature rows, labels (1 debris), texts, and where it comes from."""

    dataset: str
    site: str
    x: np.ndarray
    y: np.ndarray
    texts: list[str]


def collect(data: dict[str, list[Case]], config: Path = NEWS) -> list[Sample]:
    """Feature rows and labels of the lines the model judges, per document, as the chain presents them."""
    chain = build_chain(config, {"remove_artifacts": {"model": "none"}})
    names = [s.name for s in chain]
    prefix, stage = chain[: names.index("remove_artifacts")], chain[names.index("remove_artifacts")]
    out = []
    for cases in data.values():
        docs = [Document(id=c.id, text=c.text, url=c.url, title=c.title) for c in cases]
        results, _ = clean_documents(prefix, docs)
        seen = {r.id: r for r in results if not isinstance(r, Rejected)}
        for case in cases:
            doc = seen.get(case.id)
            if doc is None or not doc.text.strip():
                continue
            _, lines, alive, reason = stage.rule_pass(doc, StageLog("remove_artifacts"))
            idx, x = candidates(stage, doc, lines, alive, reason)
            texts = [lines[i].strip() for i in idx]
            labels = linedata.label_lines(case, texts)
            keep = [k for k, y in enumerate(labels) if y is not None]
            if keep:
                y = np.array([labels[k] for k in keep], float)
                out.append(Sample(case.dataset, case.site, x[keep], y, [texts[k] for k in keep]))
    return out


def _stack(samples: list[Sample]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows, labels and weights (each set weighs the same in total)."""
    x = np.vstack([s.x for s in samples])
    y = np.concatenate([s.y for s in samples])
    sets = np.concatenate([[s.dataset] * len(s.y) for s in samples])
    w = np.ones(len(y))
    names = sorted(set(sets.tolist()))
    for name in names:
        mask = sets == name
        w[mask] = len(y) / (len(names) * mask.sum())
    return x, y, w


def fit_trees(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> dict:
    """Gradient-boosted trees of depth DEPTH on the logistic loss (Newton leaf values, L2 ``LAMBDA``), splits
    searched over at most 32 quantile cuts per feature; every node keeps its value so a removal can be explained."""
    n, d = x.shape
    cuts = []
    for j in range(d):
        u = np.unique(x[:, j])
        c = (u[:-1] + u[1:]) / 2 if len(u) <= 32 else np.unique(np.quantile(x[:, j], np.linspace(0, 1, 33)[1:-1]))
        cuts.append(c)
    binned = np.stack([np.searchsorted(c, x[:, j], side="right") for j, c in enumerate(cuts)], axis=1)
    width = max(len(c) for c in cuts) + 1
    flat = binned + np.arange(d) * width  # one bincount finds every feature's histogram at once
    usable = np.zeros((d, width - 1), bool)
    for j, c in enumerate(cuts):
        usable[j, : len(c)] = True
    prior = np.clip(np.average(y, weights=w), 1e-3, 1 - 1e-3)
    base = float(np.log(prior / (1 - prior)))
    margin = np.full(n, base)
    inner, nodes = 2**DEPTH - 1, 2 ** (DEPTH + 1) - 1
    features, splits, values = [], [], []
    for _ in range(TREES):
        p = 1.0 / (1.0 + np.exp(-margin))
        g, h = w * (p - y), w * p * (1 - p)
        feature, split, value = np.zeros(inner, int), np.full(inner, np.inf), np.zeros(nodes)
        node = np.zeros(n, int)
        for k in range(nodes):
            here = np.flatnonzero(node == k)
            gk, hk = g[here].sum(), h[here].sum()
            value[k] = -gk / (hk + LAMBDA) * RATE
            if k >= inner:
                continue
            if hk >= 2 * MIN_LEAF:  # else no split: everything goes left (split stays +inf)
                cells = flat[here].ravel()
                gl = np.bincount(cells, np.repeat(g[here], d), d * width).reshape(d, width).cumsum(1)[:, :-1]
                hl = np.bincount(cells, np.repeat(h[here], d), d * width).reshape(d, width).cumsum(1)[:, :-1]
                ok = usable & (hl >= MIN_LEAF) & (hk - hl >= MIN_LEAF)
                gain = np.where(ok, gl**2 / (hl + LAMBDA) + (gk - gl) ** 2 / (hk - hl + LAMBDA), -np.inf)
                j, b = np.unravel_index(int(np.argmax(gain)), gain.shape)
                if gain[j, b] > gk * gk / (hk + LAMBDA):
                    feature[k], split[k] = j, cuts[j][b]
            node[here] = 2 * k + 1 + (x[here, feature[k]] > split[k])
        margin += value[node]
        features.append(feature.tolist())
        splits.append([round(v, 6) if np.isfinite(v) else 1e300 for v in split.tolist()])
        values.append([round(v, 6) for v in value.tolist()])
    return {
        "features": list(FEATURE_NAMES),
        "base": base,
        "depth": DEPTH,
        "feature": features,
        "split": splits,
        "value": values,
    }


def predict(model: dict, x: np.ndarray) -> np.ndarray:
    return LineModel.from_dict({**model, "threshold": model.get("threshold", 1.0)}).probability(x)


def out_of_fold(samples: list[Sample], folds: int, salt: str = "") -> tuple[np.ndarray, np.ndarray, list[Sample]]:
    """Probabilities of every line from a model trained without its site's fold; labels; samples in order."""
    fold = [linedata.fold_of(salt + s.site, folds) for s in samples]
    probs, labels, order = [], [], []
    for k in range(folds):
        train = [s for s, f in zip(samples, fold, strict=True) if f != k]
        held = [s for s, f in zip(samples, fold, strict=True) if f == k]
        if not held or not train:
            continue
        model = fit_trees(*_stack(train))
        for s in held:
            probs.append(predict(model, s.x))
            labels.append(s.y)
            order.append(s)
    return np.concatenate(probs), np.concatenate(labels), order


def calibrate(p: np.ndarray, y: np.ndarray, sets: np.ndarray, precision: float) -> float:
    """The lowest threshold at which the model's removals reach ``precision`` in every set (pooled, the large
    set of whole pages would hide what it does to article text); 1.0 (remove nothing) if none does. Below
    0.5 is never taken: the model must at least think debris more likely than not."""
    for t in np.unique(p[p >= 0.5]):
        ok = True
        for name in np.unique(sets):
            mine = (sets == name) & (p >= t)
            if mine.any() and y[mine].mean() < precision:
                ok = False
                break
        if ok:
            return float(t)
    return 1.0


def fit_model(samples: list[Sample], precision: float = PRECISION) -> dict:
    """The model on all ``samples``, its threshold from a site-grouped CV inside them."""
    p, y, order = out_of_fold(samples, INNER_FOLDS, salt="inner:")
    sets = np.concatenate([[s.dataset] * len(s.y) for s in order])
    model = fit_trees(*_stack(samples))
    model["threshold"] = calibrate(p, y, sets, precision)
    return model


def report(samples: list[Sample], folds: int, precision: float) -> dict:
    """Out-of-fold removals of the model (thresholds calibrated inside each training part)."""
    per_set: dict[str, list[int]] = {}
    fold = [linedata.fold_of(s.site, folds) for s in samples]
    for k in range(folds):
        train = [s for s, f in zip(samples, fold, strict=True) if f != k]
        held = [s for s, f in zip(samples, fold, strict=True) if f == k]
        if not held:
            continue
        model = fit_model(train, precision=precision)
        for s in held:
            removed = predict(model, s.x) >= model["threshold"]
            tp_fp_fn = per_set.setdefault(s.dataset, [0, 0, 0, 0])
            tp_fp_fn[0] += int((removed & (s.y == 1)).sum())
            tp_fp_fn[1] += int((removed & (s.y == 0)).sum())
            tp_fp_fn[2] += int((~removed & (s.y == 1)).sum())
            tp_fp_fn[3] += int(sum(len(t) for t, r, yy in zip(s.texts, removed, s.y, strict=True) if r and not yy))
    out = {}
    for name, (tp, fp, fn, lost_chars) in sorted(per_set.items()):
        prec = tp / (tp + fp) if tp + fp else float("nan")
        rec = tp / (tp + fn) if tp + fn else float("nan")
        out[name] = {"precision": prec, "recall_of_left_debris": rec, "tp": tp, "fp": fp, "fn": fn}
        print(
            f"  {name:12s} model removals P {prec:.3f}  R {rec:.3f} of the debris the rules left"
            f"   [TP {tp} FP {fp} FN {fn}; content chars removed {lost_chars}]"
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5, help="CV folds grouped by site")
    ap.add_argument("--precision", type=float, default=PRECISION, help="precision the threshold is calibrated for")
    ap.add_argument("--cv-only", action="store_true", help="report only, write no model")
    ap.add_argument("--out", type=Path, default=MODELS_DIR / f"{DEFAULT_MODEL}.json")
    args = ap.parse_args()
    print(f"$ {' '.join([Path(sys.executable).name, *sys.argv])}")
    data = linedata.load()
    samples = collect(data)
    n = sum(len(s.y) for s in samples)
    print(
        f"lines judged: {n} ({int(sum(s.y.sum() for s in samples))} debris) in {len(samples)} documents, "
        f"{len({s.site for s in samples})} sites"
    )
    print(f"site-grouped {args.folds}-fold CV (threshold calibrated inside each training part):")
    cv = report(samples, args.folds, args.precision)
    if args.cv_only:
        return
    model = fit_model(samples, precision=args.precision)
    model["trained_on"] = "newslines dev, extraction dev trafilatura_lines.jsonl + lines.jsonl (../shared/eval)"
    model["cv"] = cv
    model["calibrated_precision"] = args.precision
    args.out.write_text(json.dumps(model, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out} (threshold {model['threshold']:.3f})")


if __name__ == "__main__":
    main()
