"""The features of remove_artifacts' line model: what a line looks like, where it sits, what is around it.

Language-light on purpose: lengths, punctuation and case shape, digits, dates, URLs, handles and e-mails,
list markers, position from the top and the bottom, distance to the article's core (the densest run of
prose lines), similarity to the title or the URL slug, the neighbours' shape, and runs (a block of short
"- Headline" lines). A few date words are English; everything else is a count. ``FEATURES`` names each
column with its family, which is what a removal is named after (``model:<family>``).
"""

from __future__ import annotations

import math

import numpy as np
import regex

from boilerclean.cleaners.stages.artifacts.shape import CLOSERS, terminal
from boilerclean.cleaners.stages.title import slug_match, slug_segments

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
LIST = regex.compile(r"^(?:[-–—•*·▪►>»]|\d{1,2}[.)])\s")
_QUOTE = regex.compile(r"[\"“”«»„]")
_INNER_END = regex.compile(r"[.!?][\"'”’)]*\s+[\"“‘(]?[\p{Lu}\d]")
_SEPARATORS = regex.compile(r"\s[|•·/]\s|\s[-–—]\s")
_SYMBOL = regex.compile(r"[©®™»«›‹→←↑↓▶►|#]")

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
    ends = [terminal(s) for s in texts]
    listed = [bool(LIST.match(s)) for s in texts]
    short = [w <= 8 and not t for w, t in zip(words, ends, strict=True)]
    prose = [w >= 10 and t and not li for w, t, li in zip(words, ends, listed, strict=True)]
    caps = []
    for toks in tokens:
        letters = [t for t in toks if not t.isdigit()]
        caps.append(sum(1 for t in letters if t[0].isupper()) / max(len(letters), 1))
    headline = [3 <= w <= 20 and not t and c >= 0.6 for w, t, c in zip(words, ends, caps, strict=True)]
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
        end = s.rstrip(CLOSERS)[-1:]
        out[r] = (
            math.log1p(len(s)),
            math.log1p(w),
            w <= 3,
            w <= 8,
            math.log1p(n),
            ends[i] and end in ".!?…",
            s.endswith((":", "：")),
            end in ("?", "!"),
            s.endswith(("...", "…")),
            not ends[i],
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
