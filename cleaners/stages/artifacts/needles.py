"""Literal prefilters for ``remove_artifacts`` rules: cheap necessary conditions read off each pattern.

Why: almost every line of a page is article text that no rule can match, and asking ~60 case-insensitive
``regex`` patterns about every paragraph is what made the stage slow. Most patterns cannot match unless
the line contains one of a few words ("click here", "http", "©") or starts with one ("share", "by ").
Those words are derived here from the pattern itself, so a pack stays plain regexes and a rule edited
in YAML can never disagree with a hand-written filter. How lines are matched against them is
``index``.

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

How it carries what it knows from node to node is ``stringsets``; the word keys are ``wordkeys``.

The needles of the shipped packs are derived once and shipped beside this module (``needles.json``,
written by ``needletable``): deriving them took ~1.2 s of every worker's start, on the cores where
Prefect's server was starting too. The table is keyed by pattern and stamped with a hash of the code
that derives it, so a pattern it lacks (a user's pack, an edited rule) or a table from other code is
derived as before: the table can make a build faster, never different.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys
import warnings
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

try:  # the parser of the standard library's ``re``: private, so its absence only costs speed
    from re import _constants as _c
    from re import _parser as _sre
except ImportError:  # pragma: no cover - older or future Pythons
    _c = _sre = None

from boilerclean.cleaners.stages.artifacts.stringsets import (
    _EDGE,
    _EMPTY,
    _GAP_CHAR,
    _MAX_SET,
    _NONE,
    _ONE_CHAR,
    _UNKNOWN,
    GAP,
    MARK,
    _better,
    _char,
    _cheaper,
    _concat,
    _from_exact,
    _Info,
    _union,
)

_MAX_CLASS = 6  # a character class of up to this many literal characters is expanded ("[\[(]")
_UNICODE_PROPERTY = re.compile(r"(?<!\\)((?:\\\\)*)\\[pP](?:\{[^}]*\}|\w)")
_FUZZY_OR_ODD = re.compile(r"(?<!\\)((?:\\\\)*)\{(?!\d*,?\d*\})")
_VERSION1 = re.compile(r"\(\?[a-zA-Z-]*V")
_POSIX_CLASS = re.compile(r"\[(?::\^?\w+:|=[^=\]]*=|\.[^.\]]*\.)\]")  # "[[:digit:]]": ``re`` reads "[[:digit:]" + "]"
_MEMO: dict[int, tuple[Any, _Info]] = {}  # id(parsed sequence) -> (sequence, info), during one needs() call


@dataclass(frozen=True, slots=True)
class Needs:
    """What a line must show, lower-cased, before the pattern can match it (None: nothing known)."""

    prefixes: tuple[str, ...] | None = None  # the searched text starts with one of these
    factors: tuple[str, ...] | None = None  # the searched text contains one of these
    cheap: tuple[str, ...] | None = None  # ... and one of these (fewer strings: what candidates are found by)


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


TABLE = Path(__file__).with_name("needles.json")
PYTHON = f"{sys.version_info[0]}.{sys.version_info[1]}"  # whose ``re`` parser the derivation reads
_DERIVATION = ("needles.py", "stringsets.py", "wordkeys.py")


def code_stamp() -> str:
    """What a derived needle depends on besides its pattern: this code and the Python whose parser it reads."""
    digest = hashlib.sha256(f"python {PYTHON}".encode())
    for name in _DERIVATION:
        digest.update(Path(__file__).with_name(name).read_bytes().replace(b"\r\n", b"\n"))
    return digest.hexdigest()[:16]


@functools.cache
def shipped() -> dict[str, Needs]:
    """The table of the shipped packs' needles; empty when missing, unreadable or stamped by other code."""
    try:
        data = json.loads(TABLE.read_text(encoding="utf-8"))
        if data["stamp"] != code_stamp():
            return {}
        return {
            pattern: Needs(*(None if part is None else tuple(part) for part in parts))
            for pattern, parts in data["needs"].items()
        }
    except (OSError, ValueError, TypeError, KeyError):
        return {}


@functools.lru_cache(maxsize=4096)
def needs(pattern: str) -> Needs:
    """Necessary conditions of ``pattern`` (``regex`` syntax, any case flags) on the lower-cased text."""
    known = shipped().get(pattern)
    return known if known is not None else derive(pattern)


def derive(pattern: str) -> Needs:
    """``needs``, worked out from the pattern (what the shipped table holds for the shipped packs)."""
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
