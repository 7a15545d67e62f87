"""Keep the main-content region of a whole web page given as text, one block element per line.

Whole-page text (navigation, teasers, footer, comments and all) has no markup left to say
where the article is, but its shape still does: the article is a run of long lines that end
like sentences, the template is short, title-cased, link-like lines, and both come in runs.
Phrase lists cannot see that; a per-line classifier with page context can, in any language:
every cue is a count (words, CJK characters counted as half words, punctuation incl. 。！？,
case, digits, symbols, position), never a word of some language.

Three steps, jusText-like but learned:

1. Stage 1 scores each line from its own shape and its neighbourhood's (share of prose lines
   within 1, 3, 8 and 20 lines; prose mass before and after; distance to the nearest prose line;
   duplicates of earlier lines, because the second copy of a text is template).
2. Stage 2 re-scores each line from its own features plus the stage-1 scores around it, so a
   short subheading between two paragraphs comes up and a lone paragraph in a footer goes down.
3. The densest contiguous region: a maximum-sum run over ``(p - region_threshold) * units **
   length_power`` cuts headers, footers, teasers and comment threads off; inside the region a
   line is kept when ``p >= keep_threshold``.

The weights (two logistic regressions, under 3 KB of JSON in ``cleaners/models/``) are trained
by ``benchmarks/train_page_text.py`` on the dev half of the extraction set only. On those 91
pages, shingle F1 with 5-fold CV grouped by host (pages of a site never in train and test):
0.916 for this stage alone, 0.926 followed by remove_artifacts (in-sample: 0.939 / 0.946;
one-line rule 0.842, whole page 0.679). ``benchmarks/eval_textmode.py --cv`` reproduces them.

The gate (``mode: auto``) lets the same stage sit in a chain for already-extracted article text:
it acts only when the text has the shape of a whole page, i.e. the selected region is flanked on
BOTH sides by a page template, at least ``gate_edge_lines`` short non-sentence lines (menus, link
rows, footer links) above it and as many below it, in a text of ``gate_min_lines`` lines or more.
An extractor's output can carry a few debris lines at one end or a long list (credits, a reading
list) at one end, but not a header and a footer at once; any other text passes unchanged.
The gate opens on 78 of the 91 dev pages (news-text chain: shingle F1 0.933 in-sample, 0.914
host-grouped CV) and on 0 of 44 newslines articles, 0 of 91 news_dev and 1 of 326 horne2017
texts; gate_edge_lines anywhere from 3 to 8 gives the same picture (benchmarks/eval_textmode.py
--config configs/news-text.yaml prints both sides). The numbers above are ``mode: always``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Literal

import numpy as np
import regex
from pydantic import Field

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.resources import MODELS_DIR
from boilerclean.cleaners.stage import DocumentStage, Params, Reject, StageLog

_WORD = regex.compile(r"\w+")
_CJK = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}]")
_SENT_END = regex.compile(r"[.!?。！？…։۔।][\p{Pf}\p{Pe}\"'»”’)\]]*$")
_INNER_END = regex.compile(r"[.!?][\"'»”’)]*\s|[。！？]")
_COMMA = regex.compile(r"[,;，、؛]")
_SYMBOL = regex.compile(r"[|•·»«›‹©®™/\\>#@_]")
_COLON_END = regex.compile(r"[:：]$")
_ELLIPSIS_END = regex.compile(r"(\.\.\.|…)$")
_URL = regex.compile(r"(https?://|www\.)\S+")
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
        1.0 if _SENT_END.search(line) else 0.0,
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
    ]
    return shape, n


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
    mass = np.cumsum(p * units)
    total = mass[-1] if n and mass[-1] > 0 else 1.0
    cols += [(mass - p * units) / total, (total - mass) / total]
    for threshold, power in ((0.5, 1.0), (0.3, 0.5)):
        a, b = max_run((p - threshold) * units**power)
        cols.append(((idx >= a) & (idx <= b)).astype(float))
    return np.column_stack(cols)


def _logistic(model: dict, x: np.ndarray) -> np.ndarray:
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
    p1 = _logistic(model["stage1"], x1)
    p2 = _logistic(model["stage2"], np.hstack([x1, context_features(p1, units)]))
    return p2, units


def select_lines(p: np.ndarray, units: np.ndarray, region: float, keep: float, power: float) -> np.ndarray:
    """Boolean mask: lines in the densest region whose score reaches ``keep``."""
    a, b = max_run((p - region) * np.maximum(units, 1.0) ** power)
    idx = np.arange(len(p))
    return (idx >= a) & (idx <= b) & (p >= keep)


def template_around(lines: list[str], units: np.ndarray, mask: np.ndarray, max_words: float) -> tuple[int, int]:
    """Template lines (<= ``max_words`` units, not ending like a sentence) above and below the kept region.

    With nothing kept the whole text counts as above: no region, nothing flanked, so the gate stays shut.
    """
    short = (units <= max_words) & np.array([not _SENT_END.search(line) for line in lines], dtype=bool)
    kept = np.flatnonzero(mask)
    if not len(kept):
        return int(short.sum()), 0
    return int(short[: kept[0]].sum()), int(short[kept[-1] + 1 :].sum())


class SelectMainText(DocumentStage):
    """Reduce a whole page's text (one block per line) to its main-content lines."""

    name = "select_main_text"

    class Params(Params):
        model: str = Field(
            "page_text_lr.json",
            description="weights file in cleaners/models/ (or a path); retrain with benchmarks/train_page_text.py",
        )
        region_threshold: float = Field(
            0.5,
            ge=0.0,
            le=1.0,
            description="a line adds to the main region when its score is above this; lower grows the region "
            "over teasers and comments, higher cuts off weak paragraphs at its edges",
        )
        keep_threshold: float = Field(
            0.5,
            ge=0.0,
            le=1.0,
            description="score a line inside the region needs to be kept; lower keeps more subheadings and "
            "list items, and more captions and bylines",
        )
        length_power: float = Field(
            0.5,
            ge=0.0,
            le=2.0,
            description="how much a line's length weighs in the region sum (0: every line counts the same, "
            "1: in proportion to its words)",
        )
        min_lines: int = Field(
            4,
            ge=1,
            description="texts with fewer non-blank lines pass unchanged: too little page to find a region in",
        )
        min_words: float = Field(
            10,
            ge=0,
            description="a selection of fewer words (CJK: two characters a word) is no article: the page is "
            "rejected as structure:no_main_text; 0 keeps whatever was found",
        )
        mode: Literal["auto", "always"] = Field(
            "auto",
            description="auto: act only on text shaped like a whole page (template above and below the region, "
            "see gate_*), pass already-extracted article text unchanged; always: select on every text (page-text)",
        )
        gate_min_lines: int = Field(
            15,
            ge=1,
            description="auto mode: texts with fewer non-blank lines pass unchanged; a page with a header, an "
            "article and a footer has dozens; lower lets the gate consider short texts",
        )
        gate_edge_lines: int = Field(
            5,
            ge=1,
            description="auto mode: template lines needed above AND below the region; lower acts on pages with "
            "a thin header or footer, and risks cutting an article that has a few debris lines at both ends",
        )
        gate_template_words: float = Field(
            6,
            ge=1,
            description="auto mode: a line of at most this many words (CJK: two characters a word) not ending "
            "like a sentence counts as template (menu item, link, label)",
        )

    params: Params

    def __init__(self, params: Params | None = None) -> None:
        super().__init__(params)
        self.model = load_model(self.params.model)

    def apply(self, doc: Document, log: StageLog) -> Document:
        lines = [line.strip() for line in (doc.text or "").split("\n")]
        lines = [line for line in lines if line]
        if len(lines) < self.params.min_lines:
            return doc
        prm = self.params
        if prm.mode == "auto" and (
            len(lines) < prm.gate_min_lines
            # every template line lacks a sentence ending; too few such lines and no region can be
            # flanked by gate_edge_lines of them on both sides, so the model need not even run
            or sum(1 for line in lines if not _SENT_END.search(line)) < 2 * prm.gate_edge_lines
        ):
            log.counters["structure:gate_closed"] += 1
            return doc
        p, units = line_scores(lines, self.model)
        mask = select_lines(p, units, prm.region_threshold, prm.keep_threshold, prm.length_power)
        if prm.mode == "auto":
            above, below = template_around(lines, units, mask, prm.gate_template_words)
            if min(above, below) < prm.gate_edge_lines:
                log.counters["structure:gate_closed"] += 1
                return doc
            log.counters["structure:gate_open"] += 1
        words = float(units[mask].sum())
        if not mask.any() or words < prm.min_words:
            raise Reject("structure:no_main_text", value=words, threshold=prm.min_words)
        first, last = np.flatnonzero(mask)[[0, -1]]
        for i, line in enumerate(lines):
            if not mask[i]:
                log.removed(doc, "structure:outside_main" if i < first or i > last else "structure:weak_line", line)
        doc.text = "\n\n".join(line for line, keep in zip(lines, mask.tolist(), strict=True) if keep)
        return doc
