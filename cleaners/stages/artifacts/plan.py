"""The filter of one rule (``Check``) and a set of them indexed for one kind of line (``Plan``).

Why apart from ``index``: a ``Check`` is what ``needles`` says of one pattern, put in the form a line is
tested with; a ``Plan`` finds the candidates of one zone and length class with a ``startswith``, a set
lookup of word keys and a substring test per remaining string. ``RuleIndex`` builds and caches the plans.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from boilerclean.cleaners.stages.artifacts.needles import Needs
from boilerclean.cleaners.stages.artifacts.stringsets import literal
from boilerclean.cleaners.stages.artifacts.wordkeys import word_key


@dataclass(frozen=True, slots=True)
class Check:
    """The filter of one rule: the text starts with one of ``prefixes`` (if any) and contains a string of
    each group of ``confirm``. ``keyed`` (word key -> strings) and ``literals`` (strings without a key),
    from the rule's cheapest factor set, say how a ``Plan`` finds the rule as a candidate."""

    rule: Any
    prefixes: tuple[str, ...] | None
    keyed: dict[str, tuple[str, ...]] | None
    literals: tuple[str, ...] | None
    confirm: tuple[tuple[str, ...], ...]

    @classmethod
    def of(cls, rule: Any, need: Needs, words_ok: bool) -> Check:
        groups = [g for g in (need.cheap, need.factors) if g and all(map(literal, g))]
        keyed: dict[str, set[str]] = {}
        literals = set()
        for factor in groups[0] if groups else ():
            key = word_key(factor) if words_ok else None
            if key and len(key) < 4 and len(literal(factor)) > len(key) + 1:
                key = None  # "the" of "join the": in every line, while "join the " is rare
            if key:
                keyed.setdefault(key, set()).add(literal(factor))
            else:
                literals.add(literal(factor))
        confirm = tuple(tuple(sorted({literal(x) for x in g})) for g in dict.fromkeys(groups))
        keyed_ = {k: tuple(sorted(v)) for k, v in keyed.items()} or None
        return cls(rule, need.prefixes, keyed_, tuple(sorted(literals)) or None, confirm)

    def passes(self, low: str, prefixes: bool = True) -> bool:
        """``low``: the searched text, lower-cased."""
        if prefixes and self.prefixes is not None and not low.startswith(self.prefixes):
            return False
        return all(any(map(low.__contains__, group)) for group in self.confirm)


@dataclass(frozen=True, slots=True)
class Plan:
    """The checks a zone, length class and first character leave, in pack order, and which of them a line
    must look at: ``always``; ``prefixed`` if it starts with one of ``prefixes``; ``by_key[k]`` if it has
    the word k; ``by_literal[s]`` if it contains s (s: the shortest literals, each standing for the
    rules of every literal that contains it)."""

    checks: tuple[Check, ...]
    always: tuple[int, ...]
    prefixed: tuple[int, ...]
    prefixes: tuple[str, ...]
    by_key: dict[str, tuple[int, ...]]
    keys: frozenset[str]
    by_literal: dict[str, tuple[int, ...]]
    literals: tuple[str, ...]
    by_first: dict[str, tuple[tuple[int, ...], tuple[str, ...]]]  # filled as lines come

    @classmethod
    def of(cls, checks: list[Check], use_prefixes: bool = True, inside: dict[str, list[str]] | None = None) -> Plan:
        """``inside[s]``: the literals of the pack found in s (s itself included), when known."""
        always, prefixed, by_key, by_literal = [], [], {}, {}
        for j, check in enumerate(checks):
            if use_prefixes and check.prefixes is not None:
                prefixed.append(j)
            elif check.keyed is None and check.literals is None:
                always.append(j)
            else:
                for key in check.keyed or ():
                    by_key.setdefault(key, []).append(j)
                for lit in check.literals or ():
                    by_literal.setdefault(lit, []).append(j)
        if inside is None:
            inside = {a: [b for b in by_literal if b in a] for a in by_literal}
        shortest = {a for a in by_literal if all(b == a or b not in by_literal for b in inside[a])}
        merged: dict[str, set[int]] = {a: set() for a in shortest}
        for lit, js in by_literal.items():
            for a in inside[lit]:
                if a in merged:
                    merged[a].update(js)
        return cls(
            checks=tuple(checks),
            always=tuple(always),
            prefixed=tuple(prefixed),
            prefixes=tuple(sorted({p for j in prefixed for p in checks[j].prefixes})),
            by_key={k: tuple(v) for k, v in by_key.items()},
            keys=frozenset(by_key),
            by_literal={a: tuple(sorted(js)) for a, js in merged.items()},
            literals=tuple(sorted(merged, key=len, reverse=True)),
            by_first={},
        )

    def _first(self, first: str) -> tuple[tuple[int, ...], tuple[str, ...]]:
        """The prefixed checks with a prefix that starts with ``first``, and those prefixes."""
        found = self.by_first.get(first)
        if found is None:
            idx, prefixes = [], set()
            for j in self.prefixed:
                mine = [p for p in self.checks[j].prefixes if p.startswith(first)]
                if mine:
                    idx.append(j)
                    prefixes.update(mine)
            found = self.by_first[first] = (tuple(idx), tuple(sorted(prefixes)))
        return found

    def candidates(self, low: str, words_around: frozenset[str]) -> list[int] | tuple[int, ...]:
        """Indices into ``checks`` of the rules worth a closer look (``Check.passes``), in pack order.
        ``words_around``: word keys of the line, or of a text around it (more candidates, same result)."""
        found = self.always
        if self.prefixed:
            idx, prefixes = self._first(low[:1])
            if idx and low.startswith(prefixes):
                found = found + idx
        for key in self.keys.intersection(words_around):
            found = found + self.by_key[key]
        for lit in filter(low.__contains__, self.literals):
            found = found + self.by_literal[lit]
        return sorted(set(found)) if len(found) > 1 else found
