"""Token-level helpers every part of the sentence splitter shares: where a token starts, what word
it holds, and whether that word opens a sentence.

Kept in one small module so that the punctuation decisions (``decide``), the boundaries without
punctuation (``layout``) and the scanner (``rules``) agree on what a token is. Every look-back is
bounded, so the splitter stays linear in the text however it is called.
"""

from __future__ import annotations

import bisect
import re

from boilerclean.cleaners.stages.sentences.stats import capital_opens_sentence
from boilerclean.cleaners.stages.sentences.words import STARTERS

OPENERS = "\"'“‘«([{<"
CLOSERS = "\"'”’»)]}“"
BULLETS = "•‣⁃◦▪●■►▸"
NEXT = re.compile(r"\s+(?=\S)")
TOKEN = re.compile(r"\S*")
WORD = re.compile(r"[\"'“‘(\[]*([A-Za-z]+(?:['’][a-z]+)?)")


def token_start(text: str, lo: int, pos: int) -> int:
    """Start of the token ending at ``pos``; only its last 80 characters count, which keeps the
    look-back constant however long a run of text without spaces gets (linear time)."""
    lo = max(lo, pos - 80)
    i = text.rfind(" ", lo, pos) + 1 or lo
    if "\n" in text[i:pos] or "\t" in text[i:pos]:
        i = max(text.rfind("\n", i, pos), text.rfind("\t", i, pos)) + 1
    return i


def prev_token(text: str, lo: int, pos: int) -> str:
    """The token that ends at ``pos`` (no whitespace inside), looking back no further than ``lo``."""
    return text[token_start(text, lo, pos) : pos]


def occurrences(text: str, marks: tuple[str, ...], offset: int = 0) -> list[int]:
    """Sorted positions (plus ``offset``) of every occurrence of every mark: one C-speed scan per mark."""
    found = []
    for mark in marks:
        i = text.find(mark)
        while i >= 0:
            found.append(i + offset)
            i = text.find(mark, i + 1)
    found.sort()
    return found


def in_chunk(positions: list[int], lo: int, hi: int) -> list[int]:
    """The sorted ``positions`` that fall in ``[lo, hi)``: one bisection when there are none (the common case).

    Finders locate their markers once per document and look them up per chunk with this, so a
    document of many short lines does not pay for a scan per line.
    """
    first = bisect.bisect_left(positions, lo)
    if first == len(positions) or positions[first] >= hi:
        return []
    return positions[first : bisect.bisect_left(positions, hi, first)]


def trim_end(text: str, lo: int, end: int) -> int:
    """``end`` moved left over whitespace, never past ``lo``."""
    while end > lo and text[end - 1].isspace():
        end -= 1
    return end


def is_starter(token: str) -> bool:
    """Whether ``token`` is a word that typically opens an English sentence (``The``, ``It``, ``How``)."""
    m = WORD.match(token)
    if m is None or not m.group(1)[0].isupper():
        return False
    word = m.group(1)
    if len(word) == 1 and token[m.end() : m.end() + 1] == ".":
        return False  # ``A.`` / ``I.`` is an initial, not the article or the pronoun
    return word in STARTERS or word.split("'")[0].split("’")[0] in STARTERS


def opens_sentence(token: str) -> bool:
    """``is_starter``, or a capitalised word the learned statistics say is lower case inside sentences.

    Used after an abbreviation, where capitalisation is the evidence: ``Inc. Shares fell`` ends a
    sentence (``shares`` is written lower case inside sentences), ``Co. Ltd.`` or ``Gen. Motors``
    does not. A word the statistics do not know gets the word list's answer.
    """
    if is_starter(token):
        return True
    m = WORD.match(token)
    return m is not None and capital_opens_sentence(m.group(1))


def is_capitalised_word(text: str, pos: int) -> bool:
    """``Please`` or ``The`` but not ``USA`` or ``A1``: a word a sentence could start with."""
    m = WORD.match(text, pos)
    return m is not None and m.group(1)[0].isupper() and (len(m.group(1)) == 1 or m.group(1)[1:].islower())
