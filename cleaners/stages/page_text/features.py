"""Per-line features and the two logistic regressions that score whole-page text, numpy only.

Every cue is a count (words, CJK characters counted as half words, punctuation incl. 。！？,
case, digits, symbols, position), never a word of some language, so the model trained on
mostly English pages reads any script. Stage 1 scores each line from its shape and its
neighbourhood's; stage 2 re-scores it from the same features plus the stage-1 scores around it.
``benchmarks/train_page_text.py`` fits both from these very functions, so training and serving
cannot drift apart.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import numpy as np
import regex

from boilerclean.cleaners.resources import MODELS_DIR

_WORD = regex.compile(r"\w+")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
SENT_END = regex.compile(r"[.!?。！？…։۔।][\p{Pf}\p{Pe}\"'»”’)\]]*$")
_INNER_END = regex.compile(r"[.!?][\"'»”’)]*\s|[。！？]")
_COMMA = regex.compile(r"[,;，、؛]")
_SYMBOL = regex.compile(r"[|•·»«›‹©®™/\\>#@_]")
_COLON_END = regex.compile(r"[:：]$")
_ELLIPSIS_END = regex.compile(r"(\.\.\.|…)$")
_URL = regex.compile(r"(https?://|www\.)\S+")
_QUOTE = regex.compile(r"[“”\"«»„]")
_BULLET = regex.compile(r"^[-–—•*·►▶▪◦]")
_WINDOWS = (1, 3, 8, 20)
_CTX_WINDOWS = (1, 2, 4, 8, 16)


def line_units(line: str) -> tuple[float, list[str], int]:
    """Word-like units: ``\\w+`` tokens, two CJK characters counting as one word (no spaces there)."""
    cjk = len(_CJK.findall(line))
    words = _WORD.findall(_CJK.sub(" ", line)) if cjk else _WORD.findall(line)
    return len(words) + cjk / 2.0, words, cjk


def _line_shape(line: str) -> tuple[list[float], float]:
    n, words, cjk = line_units(line)
    chars = max(len(line), 1)
    alpha = [w for w in words if not w.isdigit()]
    na = max(len(alpha), 1)
    digits = sum(map(str.isdigit, line))
    shape = [
        np.log1p(n),
        np.log1p(len(line)),
        1.0 if SENT_END.search(line) else 0.0,
        1.0 if _COLON_END.search(line) else 0.0,
        1.0 if _ELLIPSIS_END.search(line) else 0.0,
        min(len(_INNER_END.findall(line)), 10) / 10.0,
        min(len(_COMMA.findall(line)) / max(n, 1.0), 0.5) * 2,
        sum(1 for w in alpha if w[0].isupper()) / na,  # title case: menus, headlines
        1.0 if line[:1].islower() else 0.0,
        sum(1 for w in alpha if len(w) <= 3) / na,  # short words: a stop-word proxy in any script with spaces
        digits / chars,
        min(len(_SYMBOL.findall(line)) / max(n, 1.0), 1.0),
        1.0 if cjk else 0.0,
        1.0 if _URL.search(line) else 0.0,
        1.0 if n <= 8 and digits else 0.0,  # dates, counters, scores
        1.0 if n <= 3 else 0.0,
        1.0 if _QUOTE.search(line) else 0.0,  # speech: articles quote people, menus do not
        1.0 if _BULLET.search(line) else 0.0,
    ]
    return shape, n


def run_lengths(flags: np.ndarray) -> np.ndarray:
    """Per line: the length of the run of consecutive True flags it belongs to (0 where False)."""
    out = np.zeros(len(flags))
    if not len(flags):
        return out
    edges = np.flatnonzero(np.diff(np.r_[0, flags.astype(np.int8), 0]))
    for start, stop in zip(edges[::2], edges[1::2], strict=True):
        out[start:stop] = stop - start
    return out


def in_runs(flags: np.ndarray, min_run: int) -> np.ndarray:
    """Boolean per line: part of a run of at least ``min_run`` consecutive True flags (a menu, a link row)."""
    return run_lengths(flags) >= min_run


def _window_mean(values: np.ndarray, weights: np.ndarray, w: int) -> np.ndarray:
    """Weighted mean of ``values`` over the ``w`` lines on each side, the line itself left out."""
    n = len(values)
    idx = np.arange(n)
    lo, hi = np.maximum(idx - w, 0), np.minimum(idx + w + 1, n)
    cv = np.concatenate([[0.0], np.cumsum(values * weights)])
    cw = np.concatenate([[0.0], np.cumsum(weights)])
    return (cv[hi] - cv[lo] - values * weights) / np.maximum(cw[hi] - cw[lo] - weights, 1e-9)


def max_run(scores: np.ndarray) -> tuple[int, int]:
    """First and last index of the contiguous run with the largest sum (Kadane)."""
    best, cur, start, span = -np.inf, 0.0, 0, (0, -1)
    for i, v in enumerate(scores.tolist()):
        cur, start = (v, i) if cur <= 0 else (cur + v, start)
        if cur > best:
            best, span = cur, (start, i)
    return span


def page_features(lines: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Stage-1 features (one row per line) and each line's units."""
    shapes = [_line_shape(line) for line in lines]
    n = len(lines)
    base = np.array([s for s, _ in shapes], dtype=float).reshape(n, -1)
    units = np.array([u for _, u in shapes], dtype=float)
    prose = ((units >= 8) & (base[:, 2] > 0)).astype(float)
    prose_units = prose * units
    idx = np.arange(n)
    cum = np.cumsum(prose_units)
    total = cum[-1] if n else 0.0
    seen: set[str] = set()
    dup = np.zeros(n)
    for i, line in enumerate(lines):
        dup[i] = line in seen
        seen.add(line)

    cols = [
        idx / max(n - 1, 1),
        (cum - prose_units) / total if total else np.zeros(n),
        (total - cum) / total if total else np.zeros(n),
        units / units.max() if n and units.max() else np.zeros(n),
        dup,
    ]
    ones = np.ones(n)
    for w in _WINDOWS:
        cols.append(_window_mean(prose, ones, w))  # share of prose lines around
        cols.append(_window_mean(prose, units, w))  # share of prose words around
    for d in (-1, 1):
        j = np.clip(idx + d, 0, max(n - 1, 0))
        valid = (idx + d >= 0) & (idx + d < n)
        cols.append(np.where(valid, np.log1p(units[j]), 0.0))
        cols.append(np.where(valid, base[j, 2], 0.0))
    where = np.flatnonzero(prose)
    if len(where):
        pos = np.searchsorted(where, idx)
        left = np.abs(idx - where[np.clip(pos - 1, 0, len(where) - 1)])
        right = np.abs(where[np.clip(pos, 0, len(where) - 1)] - idx)
        cols.append(np.log1p(np.minimum(np.minimum(left, right), 1000)))
        cols.append(((idx >= where[0]) & (idx <= where[-1])).astype(float))
    else:
        cols += [np.full(n, np.log1p(1000)), np.zeros(n)]
    return np.hstack([base, np.column_stack(cols)]) if n else np.zeros((0, base.shape[1] + len(cols))), units


def context_features(p: np.ndarray, units: np.ndarray) -> np.ndarray:
    """Stage-2 features: the stage-1 scores around each line and the regions they outline."""
    n = len(p)
    idx = np.arange(n)
    units = np.maximum(units, 1.0)
    cols = [p, np.log((p + 1e-9) / (1 - p + 1e-9))]
    for w in _CTX_WINDOWS:
        cols.append(_window_mean(p, np.ones(n), w))
        cols.append(_window_mean(p, units, w))
    # one side at a time: an article's first line has content below it only, its last line above it only
    before = np.concatenate([[0.0], np.cumsum(p)])
    lo, hi = np.maximum(idx - 3, 0), np.minimum(idx + 4, n)
    cols.append((before[idx] - before[lo]) / np.maximum(idx - lo, 1))
    cols.append((before[hi] - before[idx + 1]) / np.maximum(hi - idx - 1, 1))
    mass = np.cumsum(p * units)
    total = mass[-1] if n and mass[-1] > 0 else 1.0
    cols += [(mass - p * units) / total, (total - mass) / total]
    for threshold, power in ((0.5, 1.0), (0.3, 0.5)):
        a, b = max_run((p - threshold) * units**power)
        cols.append(((idx >= a) & (idx <= b)).astype(float))
    return np.column_stack(cols)


def logistic(model: dict, x: np.ndarray) -> np.ndarray:
    z = (x - np.asarray(model["mean"])) / np.asarray(model["scale"]) @ np.asarray(model["weights"]) + model["bias"]
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


@cache
def load_model(name: str) -> dict:
    """The two-stage weights: a file name in ``cleaners/models/``, else a path."""
    path = MODELS_DIR / name if (MODELS_DIR / name).is_file() else Path(name)
    try:
        model = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"select_main_text model {name!r}: cannot read {path}: {exc}") from None
    width = page_features(["x"])[0].shape[1]
    if len(model["stage1"]["weights"]) != width:
        raise ValueError(f"{path}: {len(model['stage1']['weights'])} weights for {width} features; retrain it")
    return model


def line_scores(lines: list[str], model: dict) -> tuple[np.ndarray, np.ndarray]:
    """P(content) per line after both stages, and each line's units."""
    x1, units = page_features(lines)
    p1 = logistic(model["stage1"], x1)
    p2 = logistic(model["stage2"], np.hstack([x1, context_features(p1, units)]))
    return p2, units


def select_lines(p: np.ndarray, units: np.ndarray, region: float, keep: float, power: float) -> np.ndarray:
    """Boolean mask: lines in the densest region whose score reaches ``keep``."""
    a, b = max_run((p - region) * np.maximum(units, 1.0) ** power)
    idx = np.arange(len(p))
    return (idx >= a) & (idx <= b) & (p >= keep)
