"""Drop the boilerplate blocks trafilatura lets through, with a small learned scorer.

What trafilatura leaves in (headline and standfirst, newsletter boxes, "latest stories" rails,
captions, copyright and contact lines, comment headers) is a long tail: most residual lines
are unique, so no phrase list catches them. Their *shape* repeats though: position before or
after the article body, heading or list-item tags, link density, the page title again, a
class name from the newsletter/caption/related family up the source DOM, a place outside the
article's own container, readability leaving the block out. A gradient-boosted ensemble of 100
depth-3 trees over those cues, trained by ``benchmarks/train_extract_model.py`` on the dev pages
only (its calibration and cross-validated scores are in the JSON's ``cv`` and ``calibration``)
and shipped as JSON (``cleaners/models/extract_lines.json``, ~50 KiB), scores each block; the
stage removes blocks at or above its threshold and logs each as ``extract:boilerplate_block``
with its score.

Inference is a handful of numpy operations per page: all trees are packed into arrays and
walked level by level for all blocks at once.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from boilerclean.cleaners.resources import MODELS_DIR

MODEL_PATH = MODELS_DIR / "extract_lines.json"


class BlockScorer:
    """P(boilerplate) for each block's feature row, from the packed tree ensemble."""

    __slots__ = ("base", "depth", "feature", "feature_names", "left", "meta", "right", "threshold", "value")

    def __init__(self, path: Path | str = MODEL_PATH, expected_features: tuple[str, ...] | None = None) -> None:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        self.feature_names = tuple(data["features"])
        if expected_features is not None and self.feature_names != tuple(expected_features):
            raise ValueError(
                f"{path}: model features do not match the code's feature list; "
                "retrain with benchmarks/train_extract_model.py"
            )
        trees = data["trees"]
        width = max(len(t) for t in trees) if trees else 1
        n = len(trees)
        # leaves point to themselves, so walking `depth` levels always ends on a leaf
        self.feature = np.zeros((n, width), dtype=np.int64)
        self.threshold = np.zeros((n, width), dtype=np.float64)
        self.left = np.tile(np.arange(width), (n, 1))
        self.right = np.tile(np.arange(width), (n, 1))
        self.value = np.zeros((n, width), dtype=np.float64)
        for t, nodes in enumerate(trees):
            for k, (feat, thr, left, right, value) in enumerate(nodes):
                if feat < 0:
                    self.value[t, k] = value
                else:
                    self.feature[t, k] = feat
                    self.threshold[t, k] = thr
                    self.left[t, k] = left
                    self.right[t, k] = right
        self.depth = int(data["depth"])
        self.base = float(data["base"])
        self.meta = {k: v for k, v in data.items() if k not in ("trees", "features")}

    def predict(self, rows: list[list[float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        x = np.asarray(rows, dtype=np.float64)
        n_rows, n_trees = len(x), len(self.feature)
        trees = np.arange(n_trees)[None, :]
        node = np.zeros((n_rows, n_trees), dtype=np.int64)
        row_idx = np.arange(n_rows)[:, None]
        for _ in range(self.depth):
            feat = self.feature[trees, node]
            go_left = x[row_idx, feat] <= self.threshold[trees, node]
            node = np.where(go_left, self.left[trees, node], self.right[trees, node])
        margin = self.base + self.value[trees, node].sum(axis=1)
        return 1.0 / (1.0 + np.exp(-margin))
