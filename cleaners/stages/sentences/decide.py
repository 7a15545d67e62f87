"""Whether a run of ``. ? ! …`` ends a sentence, decided from the token before it and the token after it.

The scanner (``rules``) finds the candidates; everything here is a few string operations on two
tokens, so the cost per candidate is constant. The knowledge comes from the word lists in ``words``
(abbreviations of style guides) and the statistics in ``stats`` (learned from unlabelled text).
"""

from __future__ import annotations

import re

from boilerclean.cleaners.stages.sentences.stats import learned_abbreviations
from boilerclean.cleaners.stages.sentences.tokens import (
    BULLETS,
    CLOSERS,
    OPENERS,
    is_starter,
    opens_sentence,
    prev_token,
    token_start,
)
from boilerclean.cleaners.stages.sentences.words import (
    ABBREVIATIONS,
    CAPITALISED_ABBREVIATIONS,
    EXCLAMATION_NAMES,
    NUMBER_ABBREVIATIONS,
    PREPOSITIVE,
    UNITS,
)

_ACRONYM = re.compile(r"(?:[a-z]{1,2}\.)+[a-z]{1,2}")  # ``u.s``, ``e.g``, ``ph.d`` (the final period is the candidate)
_NUMBER = re.compile(r"[\d.,/-]*\d")
# The hand list and the types learned from unlabelled text (``stats``), looked up as one set.
_ABBREVIATIONS = ABBREVIATIONS | learned_abbreviations()
# Every listed type; a word outside it takes the short path in ``period_splits``.
_LISTED = _ABBREVIATIONS | PREPOSITIVE | UNITS | NUMBER_ABBREVIATIONS | {w.lower() for w in CAPITALISED_ABBREVIATIONS}


def decide(text: str, seg: int, start: int, cluster_end: int, nxt: str) -> int:
    """Where the punctuation cluster ``text[start:cluster_end]`` ends a sentence (an offset), or -1."""
    punct_end = cluster_end
    while text[punct_end - 1] in CLOSERS:
        punct_end -= 1
    closers = punct_end != cluster_end
    if punct_end - start == 1 and text[start] == ".":
        tok = token_start(text, seg, start)
        first = tok == seg or (tok - seg < 8 and not text[seg:tok].strip(BULLETS + " \t\n"))
        return cluster_end if period_splits(text, seg, tok, start, nxt, closers, first) else -1
    cluster = text[start:punct_end]
    if "?" in cluster or "!" in cluster or "‽" in cluster:
        return cluster_end if mark_splits(prev_token(text, seg, start), nxt, closers) else -1
    cut = ellipsis_cut(text, start, punct_end, cluster, nxt, seg)
    return cluster_end if cut == punct_end else cut


def _after_number(text: str, seg: int, tok: int) -> bool:
    """Whether the token before ``text[tok:]`` is a number (``5 mm.``, ``3.5 lbs.``)."""
    before = text[max(seg, tok - 24) : tok].rstrip()
    return bool(before) and _NUMBER.fullmatch(before.rsplit(None, 1)[-1]) is not None


def period_splits(text: str, seg: int, tok: int, period: int, nxt: str, closers: bool, first_token: bool) -> bool:
    """Decide a single ``.`` at ``period`` from its token (``text[tok:period]``) and the token after it."""
    core = text[tok:period].lstrip(OPENERS)
    c0 = nxt[0]
    if len(core) > 1 and core.isalpha() and core.lower() not in _LISTED:
        # The common case, an ordinary word: a boundary unless a comma-like mark follows, or a
        # lower-case word follows a closing quote (``'Great.' she said``).
        return not closers if c0.islower() else c0 not in ",;:"
    if not core:
        return c0 not in ".,;:" or c0 == "."  # detached ``proof .``: an ordinary full stop
    if "@" in core or "://" in core or core.startswith("www."):
        return not c0.islower()  # the period ends an address, it is not part of it
    lower = core.lower()
    if lower in PREPOSITIVE:
        return False
    # A unit is an abbreviation only after a number (``5 mm. The``); alone it is a word (``Mm. Hot out.``).
    unit = lower in UNITS and _after_number(text, seg, tok)
    if c0.isdigit():
        if lower in NUMBER_ABBREVIATIONS or lower in _ABBREVIATIONS or unit:
            return False
        return (core.isalpha() and len(core) > 1) or core[-1].isdigit()
    enumerator = core.lstrip(BULLETS)
    if first_token and (enumerator.isdigit() or (len(enumerator) == 1 and enumerator.isalpha())):
        return False  # an enumerator (``1. The first item``), not a sentence of its own
    if len(core) == 1 and core.isalpha():
        return is_starter(nxt)  # an initial: names follow it (``J. Smith``), so only a typical opener splits
    if _ACRONYM.fullmatch(lower):
        return is_starter(nxt)  # ``U.S. Government``: a capitalised noun after an acronym is part of a name
    # Capitals without periods are an acronym whose period is a full stop (``the CPA. State``).
    acronym = len(core) > 1 and core.isupper() and core.isalpha()
    if not acronym and (lower in _ABBREVIATIONS or unit or core in CAPITALISED_ABBREVIATIONS):
        return opens_sentence(nxt)
    if c0.islower():
        # Informal web text often starts sentences in lower case (``ok. so then``); a closing
        # quote or bracket before it means a quotation inside the sentence (``'Great.' she said``).
        return not closers and core[-1].isalpha() and len(core) > 1
    return c0 not in ",;:"


def ellipsis_cut(text: str, start: int, end: int, cluster: str, nxt: str, seg: int) -> int:
    """Where a cluster of dots splits (an offset into ``text``), or -1 when it does not.

    Three dots are an omission inside a sentence (``I wasn't really ... well``) unless a
    capitalised word other than ``I`` follows; four are an omission plus a full stop. A period
    glued to a word and followed by a spaced ellipsis (``compounds. . . . The``) ends the
    sentence at the period: the ellipsis opens the next one. An ellipsis in brackets
    (``[...]``) marks an omission in a quotation and never ends a sentence.
    """
    dots = cluster.count(".") + 3 * cluster.count("…")
    c0 = nxt[0]
    if dots < 3:  # ``well.. Then``: a doubled full stop; before lower case, a trailing-off pause
        if c0.islower():
            return -1
        tok = token_start(text, seg, start)
        if "." in text[tok:start] and c0.isupper():
            return end  # ``L.P.. Further``: the abbreviation's own period, then the full stop
        return end if period_splits(text, seg, tok, start, nxt, False, False) else -1
    if not (c0.isupper() or c0.isdigit() or c0 in "\"'“‘«") or text[start - 1] in "[(":
        return -1
    if " " in cluster:
        if not text[start - 1].isspace() and text[start + 1] == " " and dots >= 4:
            return start + 1
        return end if dots >= 4 else -1
    if dots >= 4:
        return end
    return -1 if nxt == "I" or nxt.startswith(("I'", "I’")) else end


def mark_splits(prev: str, nxt: str, closers: bool) -> bool:
    """Decide ``?`` / ``!`` clusters: almost always a boundary, even before lower case."""
    core = prev.lstrip(OPENERS)
    if core.lower() in EXCLAMATION_NAMES:
        return is_starter(nxt)
    c0 = nxt[0]
    if c0.islower() or c0 in ",;:":
        return not closers and c0.isalpha()
    return True
