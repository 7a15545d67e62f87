"""Word keys: the whole a-z words a rule's filter can be found by with a set lookup, and the case quirks
that decide when a lower-cased line may be filtered at all.

Why: a substring test per filter string and line is what the filters were meant to save; a line's words
are one set, and a rule whose factor holds a whole word (" published ") is a candidate only when that word
is in the set. ``DocKeys`` keeps the words of a whole document for the lines the one-pass scan cannot
speak for.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import regex


@functools.lru_cache(maxsize=8)
def odd_case_chars(letters: str) -> str:
    """Characters that a case-insensitive ``regex`` equates with one of ``letters`` but that do not
    lower-case to it (the long s is an "s", dotted capital I an "i"): a lower-cased line holding one of
    them could hide a match from a filter."""
    everything = "".join(map(chr, range(0x20000)))  # no letter above plane 1 has a case
    letters = "".join(sorted(set(letters)))
    flags = regex.IGNORECASE | regex.VERSION0
    partners = set(regex.findall("[" + "".join(regex.escape(c) for c in letters) + "]", everything, flags=flags))
    odd = {
        x
        for x in partners
        for letter in letters
        if x.lower() != letter and regex.fullmatch(regex.escape(letter), x, flags=flags)
    }
    return "".join(sorted(odd))


_LETTERS = re.compile("[a-z]+")


_ONLY_LETTERS = bytes(c if 0x61 <= c <= 0x7A else 0x20 for c in range(256))


def words(low: str) -> frozenset[str]:
    """The runs of a-z in a lower-cased text (every other character, "?" for the non-ASCII ones, is a
    separator; bytes.translate is much cheaper than a regex): the text's words a word key can be."""
    return frozenset(low.encode("ascii", "replace").translate(_ONLY_LETTERS).decode("ascii").split())


def present(low: str, keys: frozenset[str]) -> frozenset[str]:
    """The keys (words of the document) that occur in the line ``low``: as substrings, which is cheaper than
    splitting the line into words and can only add candidates, never lose one."""
    return frozenset([key for key in keys if key in low]) if keys else keys


@functools.lru_cache(maxsize=65536)
def word_key(factor: str) -> str | None:
    """The longest run of a-z in a factor with a non-letter (or a word edge the pattern asserts) on both
    sides: wherever the factor occurs, that run is a whole a-z word of the line, so a set lookup finds it
    (one-letter runs are in every line: not keys)."""
    best = None
    for m in _LETTERS.finditer(factor):
        if m.start() > 0 and m.end() < len(factor) and (best is None or len(m.group()) > len(best)):
            best = m.group()
    return best if best is not None and len(best) >= _MIN_KEY else None


_MIN_KEY = 2


def _strong_key(factor: str) -> str | None:
    """A word key long enough to be rare ("the" is in every line; "published" is not)."""
    key = word_key(factor)
    return key if key is not None and len(key) >= 4 else None


class DocKeys:
    """The word keys of the rules found anywhere in a document's text (for lines without NeedleScan masks):
    computed on first use, and grown by the words a cut makes when it joins head and tail."""

    def __init__(self, stage: Any, text: str) -> None:
        self.stage, self.text, self.keys = stage, text, None

    def get(self, kind: str) -> frozenset[str]:
        if self.keys is None:
            found = words(self.text.lower())
            self.keys = {"line": self.stage.line_index.keys & found, "cut": self.stage.cut_index.keys & found}
        return self.keys[kind]

    def add(self, line: str) -> None:
        self.get("line")
        found = words(line.lower())
        self.keys["line"] |= self.stage.line_index.keys & found
        self.keys["cut"] |= self.stage.cut_index.keys & found
