"""Gradient-boosted depth-limited trees on logistic loss, numpy only: the block scorer's trainer.

Small enough to read in one sitting and deterministic (the same data gives the same trees), so
a model file in ``cleaners/models/`` can always be rebuilt and diffed. Histogram splits at
feature quantiles; the output is the JSON layout ``BlockScorer`` packs for inference.
"""

from __future__ import annotations

import numpy as np


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
