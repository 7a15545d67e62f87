"""The learned half of remove_artifacts: a per-line debris classifier for the lines the rules left.

Why: a rule pack knows the phrases of the sites it was written from; an unseen site words its debris
differently, but debris still has the *shape* of debris: short, no sentence end, title-cased or shouting,
dates and handles, list markers, in a run of its own kind, outside the article's core (the densest run of
prose). Those cues are counts, not words of a language, so they carry to sites no one has read. A small
gradient-boosted tree ensemble over them (numpy only at run time; the trees are in
``cleaners/models/artifact_lines.json``) scores each line the rules kept. It removes a line only when its
probability reaches a threshold calibrated by site-grouped cross-validation to hold precision 0.95 in each
labelled set, so where it is unsure the rules-only result stands.

Safe by construction: a body sentence (the stage's own test: ``body_min_words`` words ending like a
sentence, not a list item) is never scored unless it is one of the first or last ``edge_lines`` lines, so
the model cannot cut a paragraph out of an article; and a document whose body sentences hold less than
``model_min_prose`` of its characters (credits, schedules, price lists, a whole page) is left to the rules.

What it buys, measured leave-site-out (``benchmarks/eval_lines.py``): little. On article text (newslines,
trafilatura output) the debris the rules leave is too varied for these cues at that precision, and the
calibrated model removes nothing there; on whole-page text it takes some of what select_main_text left
(news-text on whole pages: recall 0.842 -> 0.849 cross-validated, precision unchanged). It is the place
where corpus-level cues (how many documents of a site carry a line) would go.

Every removal is ``model:<family>``, the family of features that pushed the line's score up the most
(``shape``, ``position``, ``run``, ``tokens``, ...); with ``--explain`` the removed text carries the
probability. ``benchmarks/train_line_model.py`` trains the trees and prints the cross-validated score.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from boilerclean.cleaners.resources import MODELS_DIR
from boilerclean.cleaners.stages.artifacts.linefeatures import FEATURE_FAMILIES, FEATURE_NAMES, LIST, line_features

DEFAULT_MODEL = "artifact_lines"


@dataclass(frozen=True, slots=True)
class LineModel:
    """Gradient-boosted trees of equal depth over ``FEATURE_NAMES``, in heap layout (node k's children are
    2k+1 and 2k+2; the last level holds the leaves), with its calibrated threshold."""

    base: float
    depth: int
    feature: np.ndarray  # (trees, internal nodes): feature index of each split
    split: np.ndarray  # (trees, internal nodes): go right when x[feature] > split
    value: np.ndarray  # (trees, all nodes): each node's value (leaves: what the tree adds to the margin)
    threshold: float

    @classmethod
    def from_dict(cls, data: dict) -> LineModel:
        names = tuple(data["features"])
        if names != FEATURE_NAMES:
            differ = sorted(set(FEATURE_NAMES) ^ set(names)) or ["(order)"]
            raise ValueError(f"line model features do not match this code (differ: {differ[:5]}); retrain it")
        return cls(
            base=float(data["base"]),
            depth=int(data["depth"]),
            feature=np.asarray(data["feature"], dtype=np.intp),
            split=np.asarray(data["split"], float),
            value=np.asarray(data["value"], float),
            threshold=float(data["threshold"]),
        )

    def _leaves(self, x: np.ndarray) -> np.ndarray:
        """(rows, trees): the node each row ends in, in every tree."""
        rows = np.arange(len(x))[:, None]
        trees = np.arange(len(self.feature))[None, :]
        node = np.zeros((len(x), len(self.feature)), dtype=np.intp)
        for _ in range(self.depth):
            f = self.feature[trees, node]
            node = 2 * node + 1 + (x[rows, f] > self.split[trees, node])
        return node

    def probability(self, x: np.ndarray) -> np.ndarray:
        node = self._leaves(x)
        margin = self.base + self.value[np.arange(len(self.feature))[None, :], node].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-np.clip(margin, -50, 50)))

    def top_family(self, row: np.ndarray) -> str:
        """The feature family that pushed one line's score up the most: along each tree's path, the change of
        node value at a split is credited to the split's feature (Saabas), then summed per family."""
        totals: dict[str, float] = {}
        for t in range(len(self.feature)):
            node = 0
            for _ in range(self.depth):
                f = int(self.feature[t, node])
                child = 2 * node + 1 + int(row[f] > self.split[t, node])
                family = FEATURE_FAMILIES[f]
                totals[family] = totals.get(family, 0.0) + self.value[t, child] - self.value[t, node]
                node = child
        return max(totals, key=totals.__getitem__) if totals else "shape"


def resolve_model(name: str) -> Path:
    """``artifact_lines`` -> the shipped ``cleaners/models/artifact_lines.json``; a path is a path."""
    if name.endswith(".json") or "/" in name or "\\" in name:
        return Path(name).expanduser()
    return MODELS_DIR / f"{name}.json"


@cache
def load_model(name: str) -> LineModel:
    path = resolve_model(name)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"line model {name!r}: cannot read {path}: {exc.strerror or exc}") from None
    return LineModel.from_dict(data)


def candidates(stage, doc, lines: list[str], alive: list[bool], reason: dict) -> tuple[list[int], np.ndarray]:
    """(line indices, feature rows) of the live lines the model may judge: every line that is not body text,
    and body-shaped lines only among the first and last ``edge_lines`` (a bio, a standfirst); the body in
    between is never scored."""
    live = [i for i, a in enumerate(alive) if a]
    if not live:
        return [], np.zeros((0, len(FEATURE_NAMES)))
    texts = [lines[i].strip() for i in live]
    edge = stage.params.edge_lines
    n = len(live)
    # a list item is never body for this test: a block of "- Teaser headline. Its summary." lines is not article
    body = [not LIST.match(t) and stage._is_body(t) for t in texts]
    chars = sum(len(t) for t in texts)
    if sum(len(t) for t, b in zip(texts, body, strict=True) if b) < stage.params.model_min_prose * chars:
        # a document made mostly of short lines (credits, schedules, price lists, a page the gate passed)
        # is not the article-plus-debris shape the model knows: the rules alone decide there
        return [], np.zeros((0, len(FEATURE_NAMES)))
    rows = [k for k in range(n) if k < edge or k >= n - edge or not body[k]]
    if not rows:
        return [], np.zeros((0, len(FEATURE_NAMES)))
    nonblank = [i for i, line in enumerate(lines) if line.strip() or i in reason]
    order = {i: k for k, i in enumerate(nonblank)}

    def removed_next_to(i: int, step: int) -> bool:
        k = order[i] + step
        return 0 <= k < len(nonblank) and nonblank[k] in reason

    before = [removed_next_to(i, -1) for i in live]
    after = [removed_next_to(i, 1) for i in live]
    x = line_features(texts, before, after, doc.title, doc.url, rows)
    return [live[k] for k in rows], x


def model_pass(stage, doc, lines: list[str], alive: list[bool], reason: dict, log) -> None:
    """Remove the live lines the model is confident about, each as ``model:<family>``."""
    model = stage.model
    idx, x = candidates(stage, doc, lines, alive, reason)
    if not idx:
        return
    p = model.probability(x)
    for k in np.flatnonzero(p >= stage.threshold).tolist():
        i = idx[k]
        rule = f"model:{model.top_family(x[k])}"
        alive[i] = False
        reason[i] = (rule, "model")
        log.removed(doc, rule, lines[i], score=round(float(p[k]), 4))
