"""Literal prefilters for ``remove_artifacts`` rules: cheap necessary conditions read off each pattern.

Why: almost every line of a page is article text that no rule can match, and asking ~60 case-insensitive
``regex`` patterns about every paragraph is what made the stage slow. Most patterns cannot match unless
the line contains one of a few words ("click here", "http", "©") or starts with one ("share", "by ").
Those words are derived here from the pattern itself, so a pack stays plain regexes and a rule edited
in YAML can never disagree with a hand-written filter. How lines are matched against them is
``artifacts_index``.

How: ``needs`` parses a pattern with the standard library's ``re`` parser and works out, node by node,
strings every match must start with (``prefixes``, for ``^`` patterns) or contain (``factors``, and the
smallest such set, ``cheap``), keeping word edges (``\\b``, ``^``, ``\\s``) so that "published" in
``\\s(?:published|posted)\\b`` is known to be a whole word (``word_key``).

The derivation only ever *weakens* a condition when unsure: a pattern it cannot read (syntax of the
``regex`` module that ``re`` does not know or reads differently: fuzzy matching, POSIX classes, V1,
``\\N{...}``) gets no filter and is always searched. A filter is a test on the lower-cased line, which is
exact for case-insensitive patterns except for a handful of characters whose case partner is another
letter ("ſ" is an "s", dotted capital I an "i"): lines holding one of those skip the filters (see
``odd_case_chars``). tests/unit/test_artifacts.py checks that no line a rule matches is ever filtered out.
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass
from itertools import product
from typing import Any

import regex

try:  # the parser of the standard library's ``re``: private, so its absence only costs speed
    from re import _constants as _c
    from re import _parser as _sre
except ImportError:  # pragma: no cover - older or future Pythons
    _c = _sre = None

_MAX_SET = 64  # more alternatives than this stop being worth a filter
_MAX_CLASS = 6  # a character class of up to this many literal characters is expanded ("[\[(]")
_UNICODE_PROPERTY = re.compile(r"(?<!\\)((?:\\\\)*)\\[pP](?:\{[^}]*\}|\w)")
_FUZZY_OR_ODD = re.compile(r"(?<!\\)((?:\\\\)*)\{(?!\d*,?\d*\})")
_VERSION1 = re.compile(r"\(\?[a-zA-Z-]*V")
_POSIX_CLASS = re.compile(r"\[(?::\^?\w+:|=[^=\]]*=|\.[^.\]]*\.)\]")  # "[[:digit:]]": ``re`` reads "[[:digit:]" + "]"


@dataclass(frozen=True, slots=True)
class Needs:
    """What a line must show, lower-cased, before the pattern can match it (None: nothing known)."""

    prefixes: tuple[str, ...] | None = None  # the searched text starts with one of these
    factors: tuple[str, ...] | None = None  # the searched text contains one of these
    cheap: tuple[str, ...] | None = None  # ... and one of these (fewer strings: what candidates are found by)


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


def _char(code: int) -> str | None:
    low = chr(code).lower()
    return low if len(low) == 1 else None


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


_MEMO: dict[int, tuple[Any, _Info]] = {}  # id(parsed sequence) -> (sequence, info), during one needs() call


def _seq(items: list) -> _Info:
    """A sequence, folded from the left and from the right: "NOTE\\s*:" joins "note" to what follows only
    when "\\s*:" is taken as one piece (the factors of both folds hold; the better is kept)."""
    seen = _MEMO.get(id(items))
    if seen is not None and seen[0] is items:
        return seen[1]
    info = _seq_info(items)
    _MEMO[id(items)] = (items, info)
    return info


def _seq_info(items: list) -> _Info:
    nodes, run = [], ""
    for op, av in items:  # a run of literal characters is one node: far fewer joins to make
        ch = _char(av) if op is _c.LITERAL else None
        if ch is not None:
            run += ch
            continue
        if run:
            nodes.append(_from_exact({run}))
            run = ""
        nodes.append(_node(op, av))
    if run:
        nodes.append(_from_exact({run}))
    left = right = _EMPTY
    for node in nodes:
        left = _concat(left, node)
    for node in reversed(nodes):
        right = _concat(node, right)
    return _Info(
        left.exact,
        left.prefix,
        left.suffix,
        _better(left.factors, right.factors),
        left.nullable,
        left.edge_start,
        left.edge_end,
        _cheaper(left.cheap, right.cheap),
    )


def _alternatives(infos: list[_Info]) -> _Info:
    if all(i.exact is not None for i in infos):
        exact = frozenset().union(*(i.exact for i in infos))
        if len(exact) <= _MAX_SET:
            return _from_exact(exact)
    return _Info(
        None,
        _union([i.prefix for i in infos]),
        _union([i.suffix for i in infos], "start"),
        _union([i.factors for i in infos]),
        any(i.nullable for i in infos),
        all(i.edge_start for i in infos),
        all(i.edge_end for i in infos),
        _union([i.cheap for i in infos]),
    )


def _no_letter(kind, value) -> bool:
    """A class item that cannot match a character whose lower case is a-z (a word edge for ``words``)."""
    if kind is _c.LITERAL:
        return not ("a" <= chr(value).lower() <= "z" or len(chr(value).lower()) != 1)
    if kind is _c.CATEGORY:
        return value in (_c.CATEGORY_SPACE, _c.CATEGORY_DIGIT, _c.CATEGORY_NOT_WORD)
    if kind is _c.RANGE:
        lo, hi = value
        return hi < 0x41 or (lo > 0x5A and hi < 0x61) or (lo > 0x7A and hi < 0x80)  # ASCII, no letters
    return False


def _node(op, av) -> _Info:
    if op is _c.LITERAL:
        ch = _char(av)
        return _from_exact({ch}) if ch is not None else _ONE_CHAR
    if op is _c.IN:
        chars = set()
        for kind, value in av:
            if kind is not _c.LITERAL or len(chars) >= _MAX_CLASS or _char(value) is None:
                return _GAP_CHAR if all(_no_letter(k, v) for k, v in av) else _ONE_CHAR
            chars.add(_char(value))
        return _from_exact(chars)
    if op in (_c.ANY, _c.NOT_LITERAL):
        return _ONE_CHAR
    if op is _c.AT:
        return _EDGE if av in _EDGES else _EMPTY
    if op is _c.ASSERT_NOT:
        return _EMPTY
    if op is _c.ASSERT:  # zero-width, but what it looks at is in the line
        inner = _seq(av[1])
        return _Info(frozenset({""}), _NONE, _NONE, inner.factors, True, cheap=inner.cheap)
    if op is _c.SUBPATTERN:
        return _seq(av[-1])
    if op is _c.ATOMIC_GROUP:
        return _seq(av)
    if op is _c.BRANCH:
        return _alternatives([_seq(branch) for branch in av[1]])
    if op in _REPEATS:
        low, high, sub = av
        inner = _seq(sub)
        if inner.exact is not None and high <= 4 and len(inner.exact) ** high <= _MAX_SET:
            strings = {"".join(p) for k in range(low, high + 1) for p in product(inner.exact, repeat=k)}
            return _from_exact(strings)
        if low == 0:  # a non-empty match starts (ends) like one of the repeated node's
            return _Info(None, inner.prefix, inner.suffix, None, True)
        return _Info(
            None,
            inner.prefix,
            inner.suffix,
            inner.factors,
            inner.nullable,
            inner.edge_start,
            inner.edge_end,
            inner.cheap,
        )
    return _UNKNOWN  # GROUPREF, GROUPREF_EXISTS, ...


_EDGES = tuple(
    getattr(_c, name)
    for name in ("AT_BEGINNING", "AT_BEGINNING_STRING", "AT_END", "AT_END_STRING", "AT_BOUNDARY")
    if hasattr(_c, name)
)
_REPEATS = tuple(getattr(_c, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(_c, name))


def _line_prefix(items: list) -> frozenset[str] | None:
    """Prefixes of the searched text itself: only where every alternative starts with ``^``."""
    if not items:
        return None
    op, av = items[0]
    if op is _c.AT and av in (_c.AT_BEGINNING, _c.AT_BEGINNING_STRING):
        anchored = _seq(items)  # "^" is zero-width: its non-empty matches start the line
        return None if anchored.nullable or not anchored.prefix else anchored.prefix
    if len(items) == 1 and op is _c.BRANCH:
        return _union([_line_prefix(branch) for branch in av[1]])
    if len(items) == 1 and op is _c.SUBPATTERN:
        return _line_prefix(av[-1])
    return None


@functools.lru_cache(maxsize=4096)
def needs(pattern: str) -> Needs:
    """Necessary conditions of ``pattern`` (``regex`` syntax, any case flags) on the lower-cased text."""
    plain = _UNICODE_PROPERTY.sub(lambda m: m.group(1) + r"\w", pattern)  # a class, like any other
    if _sre is None or _FUZZY_OR_ODD.search(plain) or _VERSION1.search(plain) or _POSIX_CLASS.search(plain):
        return Needs()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = _sre.parse(plain, re.IGNORECASE)
    except (re.error, RecursionError, OverflowError, ValueError, TypeError, IndexError):
        return Needs()
    items = list(parsed)
    try:
        info = _seq(items)
        prefixes = None if parsed.state.flags & re.MULTILINE else _line_prefix(items)
    finally:
        _MEMO.clear()
    if prefixes:
        prefixes = frozenset(p.replace(MARK, "").split(GAP)[0] for p in prefixes)
    return Needs(
        prefixes=tuple(sorted(prefixes)) if prefixes and all(prefixes) else None,
        factors=tuple(sorted(info.factors)) if info.factors else None,
        cheap=tuple(sorted(info.cheap)) if info.cheap and info.factors else None,
    )


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
