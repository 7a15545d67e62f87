"""What is known of the strings a regex node can match: the set algebra behind ``needles``.

Why a module of its own: ``needles`` walks a parsed pattern; what it carries from node to node (the strings
every match starts with, ends with or contains, kept small and with the word edges the pattern asserts) and
how two such descriptions combine when one node follows another or is an alternative to it is a small
algebra of its own, and it is where a wrong step would let a filter hide a match.
"""

from __future__ import annotations

import functools
import string
from dataclasses import dataclass
from itertools import product

import regex

from boilerclean.cleaners.stages.artifacts.wordkeys import _LETTERS, _strong_key

_MAX_SET = 64  # more alternatives than this stop being worth a filter


@dataclass(frozen=True, slots=True)
class _Info:
    """What is known of the strings a regex node matches; sets hold lower-cased strings, None is unknown.

    ``prefix``/``suffix`` speak of the node's non-empty matches (an empty set: it has none); ``factors`` of
    every match, lookaround context included (so a node that can match nothing has none of its own)."""

    exact: frozenset[str] | None  # every string the node can match, when few
    prefix: frozenset[str] | None  # every non-empty match starts with one of these
    suffix: frozenset[str] | None  # every non-empty match ends with one of these
    factors: frozenset[str] | None  # every match (or the text a lookaround checks) contains one of these
    nullable: bool  # the node can match the empty string
    edge_start: bool = False  # every match starts where a word edge holds
    edge_end: bool = False  # every match ends where a word edge holds
    cheap: frozenset[str] | None = None  # like factors, but the fewest strings (cheapest to look for)


MARK = "\x01"  # zero-width in a string below: a word edge (^, $, \\b) the pattern asserts there
GAP = "\x02"  # one character that is not a-z, not known which ("\\s", "\\d", "[(\\[]" when too wide)


def literal(string: str) -> str:
    """The longest stretch of a derived string that is plain text (what ``in`` can look for)."""
    return max(string.replace(MARK, "").split(GAP), key=len)


_NONE: frozenset[str] = frozenset()
_UNKNOWN = _Info(None, None, None, None, True)
_ONE_CHAR = _Info(None, None, None, None, False)  # ".", "\\w", "[^x]": one character, not known which
_EMPTY = _Info(frozenset({""}), _NONE, _NONE, None, True)
_EDGE = _Info(frozenset({MARK}), _NONE, _NONE, None, True, True, True)
_GAP_CHAR = _Info(frozenset({GAP}), frozenset({GAP}), frozenset({GAP}), frozenset({GAP}), False)


def _solid(strings: frozenset[str]) -> frozenset[str]:
    """The strings that stand for at least one character (markers are zero-width)."""
    return frozenset(x for x in strings if x.strip(MARK))


def _has_empty(strings: frozenset[str]) -> bool:
    return any(not x.strip(MARK) for x in strings)


def _empties(strings: frozenset[str]) -> frozenset[str]:
    """The zero-width strings (nothing, or word edges only)."""
    return frozenset(x for x in strings if not x.strip(MARK))


def _small(strings: frozenset[str] | None, cut: str = "end") -> frozenset[str] | None:
    """Cut a set down to _MAX_SET strings by shortening them (a prefix of a required prefix is required too;
    ``cut="start"`` keeps the ends, for suffixes); None when even single characters are too many."""
    if strings is None:
        return None
    width = max(map(len, strings), default=0)
    while len(strings) > _MAX_SET and width > 1:
        width -= 1
        strings = frozenset(x[:width] if cut == "end" else x[-width:] for x in strings)
    return strings if len(strings) <= _MAX_SET else None


def _from_exact(strings: set[str] | frozenset[str]) -> _Info:
    strings = frozenset(strings)
    nullable = _has_empty(strings)
    solid = _solid(strings)
    if len(strings) > _MAX_SET:
        some = None if nullable else _small(solid)
        return _Info(None, _small(solid), _small(solid, "start"), some, nullable, cheap=some)
    starts = all(x.startswith(MARK) for x in strings)
    ends = all(x.endswith(MARK) for x in strings)
    every = None if nullable else solid
    return _Info(strings, solid, solid, every, nullable, starts, ends, every)


def _better(*sets: frozenset[str] | None) -> frozenset[str] | None:
    """The factor set cheapest to test that still says something: whole words first (a set lookup each),
    then a longer shortest string (6+ characters count as equally rare), then fewer strings."""
    known = [_cores(s) for s in sets if s and not _has_empty(s)]
    if not known:
        return None
    return max(known, key=lambda s: (all(map(_strong_key, s)), min(6, min(len(literal(x)) for x in s)), -len(s)))


def _telling(string: str) -> bool:
    """A string worth looking for first: 4+ characters or a sign prose seldom uses ("(", "@"); " ", "the",
    ":" are in nearly every line (a short word key would not do either: "of" is one)."""
    text = literal(string).strip()
    return len(text) >= 4 or (text != "" and all(c in "([{@©®™%$#|<>!?" for c in text))


def _cheaper(*sets: frozenset[str] | None) -> frozenset[str] | None:
    """The factor set with the fewest strings (then the longest) that are all worth looking for first."""
    known = [s for s in sets if s and all(map(_telling, s))]
    return min(known, key=lambda s: (len(s), -min(len(literal(x)) for x in s))) if known else None


def _cores(strings: frozenset[str]) -> frozenset[str]:
    """Factors cut down to their word key and its two edges ("was first published|" -> " published|"):
    still in every match, and "is published", "was published", ... become one string."""
    out = set()
    for x in strings:
        key = _strong_key(x)
        if key is None:
            out.add(x)
            continue
        for m in _LETTERS.finditer(x):
            if m.group() == key and m.start() > 0 and m.end() < len(x):
                out.add(x[m.start() - 1 : m.end() + 1])
                break
    return frozenset(out)


@functools.cache
def _char(code: int) -> str | None:
    """The lower-cased character a needle holds for a literal, or None (any character). None also for a letter
    that an ASCII letter matches case-insensitively without lower-casing to it (the dotless "ı" matches "I",
    which lower-cases to "i"): a needle holding it would make "I" an odd-case character (``odd_case_chars``),
    and every non-ASCII line with a capital I would skip the filters: a Turkish word in one rule made the
    stage twice as slow on English text."""
    low = chr(code).lower()
    if len(low) != 1:
        return None
    if not low.isascii() and any(
        x.lower() != low and regex.fullmatch(regex.escape(low), x, flags=regex.IGNORECASE | regex.VERSION0)
        for x in string.ascii_letters
    ):
        return None
    return low


def _product(a: frozenset[str], b: frozenset[str], cut: str = "end") -> frozenset[str] | None:
    if len(a) * len(b) > 8 * _MAX_SET:
        return None
    return _small(frozenset(x + y for x, y in product(a, b)), cut)


def _union(sets: list[frozenset[str] | None], cut: str = "end") -> frozenset[str] | None:
    return None if any(s is None for s in sets) else _small(frozenset().union(*sets), cut)


def _concat(a: _Info, b: _Info) -> _Info:
    """A then B."""
    exact = None
    if a.exact is not None and b.exact is not None and len(a.exact) * len(b.exact) <= _MAX_SET:
        exact = frozenset(x + y for x, y in product(a.exact, b.exact))
        info = _from_exact(exact)
        factors = _better(info.factors, a.factors, b.factors)
        cheap = _cheaper(info.cheap, a.cheap, b.cheap)
        return _Info(exact, info.prefix, info.suffix, factors, info.nullable, info.edge_start, info.edge_end, cheap)
    nullable = a.nullable and b.nullable
    zero_a = a.exact is not None and not _solid(a.exact)
    zero_b = b.exact is not None and not _solid(b.exact)
    # B's non-empty matches start at a word edge when A ends at one; A's end at one when B starts at one
    b_prefix = _product(frozenset({MARK}), b.prefix) if a.edge_end and b.prefix else b.prefix
    a_suffix = _product(a.suffix, frozenset({MARK}), "start") if b.edge_start and a.suffix else a.suffix
    if a.exact is not None:  # a non-empty match starts with a (and what B adds), or is B's alone
        heads = frozenset({""}) if b.nullable or b.prefix is None else b.prefix
        if heads == {""} and b.edge_start:
            heads = frozenset({MARK})
        after_empty = _product(_empties(a.exact), b_prefix) if b_prefix is not None else None
        prefix = _union([_product(_solid(a.exact), heads) or _solid(a.exact), after_empty or _NONE])
        if after_empty is None and _has_empty(a.exact):
            prefix = None
    else:
        prefix = _union([a.prefix, b_prefix]) if a.nullable else a.prefix
    if b.exact is not None:
        tails = frozenset({""}) if a.nullable or a.suffix is None else a.suffix
        if tails == {""} and a.edge_end:
            tails = frozenset({MARK})
        before_empty = _product(a_suffix, _empties(b.exact), "start") if a_suffix is not None else None
        suffix = _union([_product(tails, _solid(b.exact), "start") or _solid(b.exact), before_empty or _NONE], "start")
        if before_empty is None and _has_empty(b.exact):
            suffix = None
    else:
        suffix = _union([a_suffix, b.suffix], "start") if b.nullable else b.suffix
    joined = []
    if not a.nullable and not b.nullable and a.suffix and b.prefix:
        joined.append(_product(a.suffix, b.prefix))
    if a.edge_end and not b.nullable and b.prefix:
        joined.append(_product(frozenset({MARK}), b.prefix))
    if b.edge_start and not a.nullable and a.suffix:
        joined.append(_product(a.suffix, frozenset({MARK}), "start"))
    return _Info(
        None,
        prefix,
        suffix,
        _better(a.factors, b.factors, *joined),
        nullable,
        a.edge_start or (zero_a and b.edge_start),
        b.edge_end or (zero_b and a.edge_end),
        _cheaper(a.cheap, b.cheap, *joined),
    )
