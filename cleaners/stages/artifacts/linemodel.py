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
(recall 0.911 -> 0.916 cross-validated, precision unchanged). It is the place where corpus-level cues
(how many documents of a site carry a line) would go.

Every removal is ``model:<family>``, the family of features that pushed the line's score up the most
(``shape``, ``position``, ``run``, ``tokens``, ...); with ``--explain`` the removed text carries the
probability. ``benchmarks/train_line_model.py`` trains the trees and prints the cross-validated score.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import regex

from boilerclean.cleaners.resources import MODELS_DIR
from boilerclean.cleaners.stages.title import slug_match, slug_segments

DEFAULT_MODEL = "artifact_lines"

_WORD = regex.compile(r"\w+")
_DATE = regex.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d\d-\d\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"[a-z]*\.?\s+\d{1,2}\b|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b)",
    regex.IGNORECASE,
)
_TIME = regex.compile(r"\b\d{1,2}[:.]\d\d\s*(?:[ap]\.?m\b|[A-Z]{2,4}\b)?|\b\d{1,2}\s*[ap]\.?m\.?(?=\W|$)", regex.I)
_YEAR = regex.compile(r"\b(?:19|20)\d\d\b")
_URL = regex.compile(r"https?://|www\.|\b[\w-]+\.(?:com|org|net|co|io|info|news|tv)\b", regex.IGNORECASE)
_HANDLE = regex.compile(r"(?<![\w.])@\w{2,}")
_EMAIL = regex.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
_LIST = regex.compile(r"^(?:[-–—•*·▪►>»]|\d{1,2}[.)])\s")
_QUOTE = regex.compile(r"[\"“”«»„]")
_INNER_END = regex.compile(r"[.!?][\"'”’)]*\s+[\"“‘(]?[\p{Lu}\d]")
_SEPARATORS = regex.compile(r"\s[|•·/]\s|\s[-–—]\s")
_SYMBOL = regex.compile(r"[©®™»«›‹→←↑↓▶►|#]")
_TERMINAL = ".!?…:;"
_CLOSERS = "\"'”’“)]»*"

# family of each feature: a removal is named after the family that pushed its score up the most
FEATURES: tuple[tuple[str, str], ...] = (
    *((name, "length") for name in ("chars_log", "words_log", "words_le3", "words_le8", "doc_lines_log")),
    *(
        (name, "shape")
        for name in (
            "ends_sentence",
            "ends_colon",
            "ends_question",
            "ends_ellipsis",
            "no_end_mark",
            "inner_sentences",
            "comma_rate",
            "quotes",
            "separators",
            "brackets",
            "symbols",
            "headline_like",
        )
    ),
    *((name, "case") for name in ("title_case", "upper_case", "starts_lower")),
    *((name, "tokens") for name in ("digit_share", "date", "time", "year", "url", "handle", "email")),
    *((name, "list") for name in ("list_marker", "numbered")),
    *((name, "position") for name in ("rel_position", "first_lines", "last_lines", "chars_after_share")),
    *((name, "body") for name in ("before_core", "after_core", "core_distance", "body_distance", "prose_before")),
    ("title_similarity", "title"),
    *(
        (name, "neighbours")
        for name in (
            "prev_short",
            "next_short",
            "prev_prose",
            "next_prose",
            "prev_removed",
            "next_removed",
            "removed_near",
            "prev_list",
            "next_list",
        )
    ),
    *((name, "run") for name in ("repeated_in_doc", "short_run", "list_run", "headline_run")),
    *(
        (name, "position")
        for name in ("short_after_core", "short_before_core", "list_after_core", "headline_after_core")
    ),
    ("prose_after_core", "body"),
    ("doc_prose_share", "length"),
    ("doc_prose_chars", "length"),
)
FEATURE_NAMES = tuple(name for name, _ in FEATURES)
FEATURE_FAMILIES = tuple(family for _, family in FEATURES)


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


def _terminal(s: str) -> bool:
    rest = s.rstrip(_CLOSERS)
    return bool(rest) and rest[-1] in _TERMINAL


def _run_lengths(flags: list[bool]) -> list[int]:
    """For each position, the length of the run of True it is in (0 where False)."""
    out = [0] * len(flags)
    i = 0
    while i < len(flags):
        if not flags[i]:
            i += 1
            continue
        j = i
        while j < len(flags) and flags[j]:
            j += 1
        out[i:j] = [j - i] * (j - i)
        i = j
    return out


def core_region(prose: list[bool], words: list[int]) -> tuple[int, int]:
    """The article's core: the run of lines with the largest sum of +words per prose line and -8 per other
    line (Kadane), so a block of teasers or comments after the text, or a header above it, lies outside."""
    best, cur, start, span = 0.0, 0.0, 0, (len(prose), -1)
    for i, (p, w) in enumerate(zip(prose, words, strict=True)):
        v = min(w, 60) if p else -8.0
        if cur <= 0:
            cur, start = v, i
        else:
            cur += v
        if cur > best:
            best, span = cur, (start, i)
    return span


def line_features(
    texts: list[str],
    removed_before: list[bool],
    removed_after: list[bool],
    title: str | None,
    url: str | None,
    rows: list[int] | None = None,
) -> np.ndarray:
    """Features of the live lines of one document (``texts``, stripped, in order), one row per line of ``rows``
    (default: all). ``removed_before/after``: a rule removed the line right above / below it (debris comes in
    clusters)."""
    n = len(texts)
    rows = list(range(n)) if rows is None else rows
    tokens = [_WORD.findall(s) for s in texts]
    words = [len(t) for t in tokens]
    terminal = [_terminal(s) for s in texts]
    listed = [bool(_LIST.match(s)) for s in texts]
    short = [w <= 8 and not t for w, t in zip(words, terminal, strict=True)]
    prose = [w >= 10 and t and not li for w, t, li in zip(words, terminal, listed, strict=True)]
    caps = []
    for toks in tokens:
        letters = [t for t in toks if not t.isdigit()]
        caps.append(sum(1 for t in letters if t[0].isupper()) / max(len(letters), 1))
    headline = [3 <= w <= 20 and not t and c >= 0.6 for w, t, c in zip(words, terminal, caps, strict=True)]
    first_core, last_core = core_region(prose, words)
    prose_idx = [i for i in range(n) if prose[i]]
    chars = [len(s) for s in texts]
    total_chars = max(sum(chars), 1)
    prose_total = sum(c for c, p in zip(chars, prose, strict=True) if p)
    cum_chars, cum_prose, acc, acc_prose = [], [], 0, 0
    for c, p in zip(chars, prose, strict=True):
        cum_chars.append(acc)
        cum_prose.append(acc_prose)
        acc += c
        acc_prose += c if p else 0
    slugs = slug_segments(url)
    title_tokens = {t.lower() for t in _WORD.findall(title)} if title else set()
    seen: dict[str, int] = {}
    for s in texts:
        seen[s] = seen.get(s, 0) + 1
    removed = [rb or ra for rb, ra in zip(removed_before, removed_after, strict=True)]
    short_run, list_run = _run_lengths(short), _run_lengths(listed)
    headline_run = _run_lengths([h or li for h, li in zip(headline, listed, strict=True)])
    prose_share = len(prose_idx) / max(n, 1)

    out = np.zeros((len(rows), len(FEATURE_NAMES)))
    for r, i in enumerate(rows):
        s = texts[i]
        w = words[i]
        letters = [t for t in tokens[i] if not t.isdigit()]
        nl = max(len(letters), 1)
        after, before = i > last_core, i < first_core
        core_distance = first_core - i if before else (i - last_core if after else 0)
        similarity = 0.0
        if title_tokens and w:
            mine = {t.lower() for t in tokens[i]}
            similarity = 2 * len(mine & title_tokens) / (len(mine) + len(title_tokens))
        if slugs and w <= 30:
            similarity = max(similarity, max(slug_match(s, seg) for seg in slugs))
        near = removed[max(0, i - 3) : i + 4]
        end = s.rstrip(_CLOSERS)[-1:]
        out[r] = (
            math.log1p(len(s)),
            math.log1p(w),
            w <= 3,
            w <= 8,
            math.log1p(n),
            terminal[i] and end in ".!?…",
            s.endswith((":", "：")),
            end in ("?", "!"),
            s.endswith(("...", "…")),
            not terminal[i],
            min(len(_INNER_END.findall(s)), 5) / 5,
            min(s.count(",") / max(w, 1), 0.5),
            bool(_QUOTE.search(s)),
            min(len(_SEPARATORS.findall(s)), 3) / 3,
            "[" in s or "]" in s,
            min(len(_SYMBOL.findall(s)), 3) / 3,
            headline[i],
            caps[i],
            sum(1 for t in letters if len(t) > 1 and t.isupper()) / nl,
            s[:1].islower(),
            sum(c.isdigit() for c in s) / max(len(s), 1),
            bool(_DATE.search(s)),
            bool(_TIME.search(s)),
            bool(_YEAR.search(s)),
            bool(_URL.search(s)),
            bool(_HANDLE.search(s)),
            bool(_EMAIL.search(s)),
            listed[i],
            s[:1].isdigit() and listed[i],
            i / max(n - 1, 1),
            max(0, 3 - i) / 3,
            max(0, 3 - (n - 1 - i)) / 3,
            (total_chars - cum_chars[i] - chars[i]) / total_chars,
            before,
            after,
            min(core_distance, 10) / 10,
            min((abs(i - j) for j in prose_idx), default=n) / max(n, 1),
            cum_prose[i] / max(prose_total, 1),
            similarity,
            short[i - 1] if i > 0 else 1.0,
            short[i + 1] if i + 1 < n else 1.0,
            prose[i - 1] if i > 0 else 0.0,
            prose[i + 1] if i + 1 < n else 0.0,
            removed_before[i],
            removed_after[i],
            sum(near) / len(near),
            listed[i - 1] if i > 0 else 0.0,
            listed[i + 1] if i + 1 < n else 0.0,
            seen[s] > 1,
            min(short_run[i], 8) / 8,
            min(list_run[i], 8) / 8,
            min(headline_run[i], 8) / 8,
            short[i] and after,
            short[i] and before,
            listed[i] and after,
            headline[i] and after,
            prose[i] and after,
            prose_share,
            prose_total / total_chars,
        )
    return out


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
    body = [not _LIST.match(t) and stage._is_body(t) for t in texts]
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
        log.removed(doc, rule, lines[i])
        if doc.removals is not None:  # explaining: say how sure the model was
            last = doc.removals[-1]
            doc.removals[-1] = last._replace(text=f"{lines[i]} (p={p[k]:.2f})")
