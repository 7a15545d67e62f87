"""Which rules of a pack are worth searching in a line: the filters of ``needles``, indexed.

Why: the filters are cheap one by one, but a page has hundreds of lines and a pack some 60 rules; asking
every filter about every line cost more than the regexes it saved. ``RuleIndex`` sorts a pack's rules by
zone, length class and first character (``Plan``); ``NeedleScan`` finds the strings of every filter in a
whole document in one pass of a C automaton (pyahocorasick) and gives each line a bit mask of the rules
whose strings it holds, so that a line of article text costs a few integer operations. A line the scan
cannot speak for (changed by a cut, or every line without the automaton) finds its candidates with
``Plan.candidates``: a ``startswith``, a set intersection for the word keys and a substring test per
remaining string. Only candidates that pass all their tests (``Check.passes``) are searched with the rule's
own regex, so the output is the same whichever way the candidates were found.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from boilerclean.cleaners.stages.artifacts.needles import needs
from boilerclean.cleaners.stages.artifacts.plan import Check, Plan
from boilerclean.cleaners.stages.artifacts.wordkeys import odd_case_chars


class RuleIndex:
    """The rules of a pack that may match a line, in pack order, by position, length and literals.

    Plans are cached per (zone, length class, first character), so a typical line costs a dict lookup,
    one ``startswith``, one set intersection and a few substring tests for the rules it could match.
    """

    def __init__(self, rules: list) -> None:
        self.rules = list(rules)
        self.needs = [needs(rule.pattern.pattern) for rule in self.rules]
        # a rule that reads the tail of a line sees a word edge where the tail starts: no word lookups
        self.checks = [
            Check.of(rule, need, words_ok=not getattr(rule, "tail_chars", None))
            for rule, need in zip(self.rules, self.needs, strict=True)
        ]
        self.limits = sorted({r.max_chars for r in self.rules if r.max_chars is not None})
        # the cased letters the filters look for, with a-z always in: most packs then share one computation
        used = "".join(
            "".join(n.prefixes or ()) + "".join(n.factors or ()) + "".join(n.cheap or ()) for n in self.needs
        )
        letters = {c for c in used if c.lower() != c.upper()} | set("abcdefghijklmnopqrstuvwxyz")
        self.odd = odd_case_chars("".join(sorted(letters)))
        literals = {lit for c in self.checks for lit in (c.literals or ())}
        literals |= {lit for c in self.checks for group in (c.keyed or {}).values() for lit in group}
        self._inside = {a: [b for b in literals if b in a] for a in literals}
        # the word keys that find candidates (a rule with prefixes is found by those instead)
        self.keys = frozenset(k for c in self.checks if c.prefixes is None for k in (c.keyed or ()))
        self._plans: dict[tuple, Plan] = {}
        self._zones: dict[tuple[bool, bool], tuple[Check, ...]] = {}
        # bit j of a mask stands for self.checks[j] (pack order = bit order); see NeedleScan
        self._bit = {id(check): 1 << j for j, check in enumerate(self.checks)}
        self._masks: dict[tuple, tuple[int, int, Plan]] = {}
        self._first_masks: dict[tuple[int, str], tuple[int, tuple[str, ...]]] = {}
        self.head = max((len(p) for c in self.checks for p in c.prefixes or ()), default=0)
        self._longest = max(self.limits, default=0) + 1
        self.no_first = sum(1 << j for j, c in enumerate(self.checks) if not c.confirm)  # no group to find
        self.no_second = sum(1 << j for j, c in enumerate(self.checks) if len(c.confirm) < 2)

    def needles(self, groups: int = 2) -> dict[str, int]:
        """The strings of the rules' filters (``Check.confirm``), each with the mask of the rules whose group g
        holds it in bits ``g * len(checks) + j`` (g < ``groups``): group 0 is the cheapest factor set, what
        makes a rule a candidate; with group 1, the masks say all of ``Check.passes`` but the prefixes."""
        out: dict[str, int] = {}
        n = len(self.checks)
        for j, check in enumerate(self.checks):
            assert len(check.confirm) <= 2  # (cheap, factors), see Check.of
            for g, group in enumerate(check.confirm[:groups]):
                for lit in group:
                    out[lit] = out.get(lit, 0) | 1 << (g * n + j)
        return out

    def groups_ok(self, found: int) -> int:
        """The rules whose filter groups (``Check.confirm``) are all in a ``found`` mask (``needles``): only
        those can match (for a rule that reads the tail of a line: the groups are in the tail, so in the line)."""
        return (found | self.no_first) & ((found >> len(self.checks)) | self.no_second)

    def masks(self, top: bool, bottom: bool, length: int | None) -> tuple[int, int, int, Plan]:
        """(always, found, prefixed, plan) of a zone and line length (None: the cut plan of the zone): as masks,
        the rules that are candidates anyway, those a needle of the line makes candidates, those its prefix
        does."""
        if length is not None:
            length = min(length, self._longest)  # longer lines than any rule's max_chars share one plan
        key = (top, bottom, length)
        got = self._masks.get(key)
        if got is None:
            plan = self.zone_plan(top, bottom) if length is None else self.plan("", top, bottom, length, True)
            bits = [self._bit[id(c)] for c in plan.checks]
            always = sum(bits[j] for j in plan.always)
            prefixed = sum(bits[j] for j in plan.prefixed) if length is not None else 0
            found = sum(bits) & ~always & ~prefixed
            got = self._masks[key] = (always, found, prefixed, plan)
        return got

    def line_candidates(self, s: str, found: int, exact: bool, top: bool, bottom: bool) -> list[Check]:
        """The checks of a line's plan whose regex must be searched in the stripped line ``s``, in pack order,
        from ``found``, the line's NeedleScan mask; ``exact``: the mask speaks of ``s`` itself (no whitespace
        stripped around it, no CRLF), so it says all of ``Check.passes`` but the prefixes. Only for lines
        the filters apply to (see ``odd``)."""
        got = self._masks.get((top, bottom, min(len(s), self._longest)))  # masks(), without the call
        always, lits, prefixed, plan = got if got is not None else self.masks(top, bottom, len(s))
        checks = self.checks
        ok = (found | self.no_first) & ((found >> len(checks)) | self.no_second)  # groups_ok, inlined
        todo = (always | (found & lits)) & ok
        head = None
        if prefixed & ok and s:
            mask, prefixes = self.first_mask(plan, s[0])
            if mask & ok:
                head = s[: self.head]
                # the lower-cased ASCII head of a line is the head of the lower-cased line (prefixes are shorter)
                head = head.lower() if head.isascii() else s.lower()
                if head.startswith(prefixes):
                    todo |= mask & ok
        out = []
        low = None
        while todo:  # lowest bit first: pack order
            bit = todo & -todo
            todo ^= bit
            check = checks[bit.bit_length() - 1]
            if exact:
                if check.prefixes is None or head.startswith(check.prefixes):
                    out.append(check)
                continue
            if low is None:
                low = s.lower()
            if check.passes(low):
                out.append(check)
        return out

    def cut_candidates(self, found: int, top: bool, bottom: bool) -> int:
        """The mask of cut rules of the zone worth searching in a line with the NeedleScan mask ``found``."""
        always, lits, _, _ = self.masks(top, bottom, None)
        return (always | (found & lits)) & self.groups_ok(found)

    def positions(self, plan: Plan, mask: int) -> list[int]:
        """The indices into ``plan.checks`` of the rules in ``mask``."""
        return [j for j, check in enumerate(plan.checks) if self._bit[id(check)] & mask]

    def first_mask(self, plan: Plan, first: str) -> tuple[int, tuple[str, ...]]:
        """``Plan._first`` as a mask of rules; ``first``: the line's first character, not lower-cased."""
        got = self._first_masks.get((id(plan), first))
        if got is None:
            idx, prefixes = plan._first(first.lower()[:1])
            got = self._first_masks[id(plan), first] = (sum(self._bit[id(plan.checks[j])] for j in idx), prefixes)
        return got

    def has_odd_case(self, text: str) -> bool:
        return any(ch in text for ch in self.odd)  # callers skip ASCII text (text.isascii()) first

    def in_zone(self, top: bool, bottom: bool) -> tuple[Check, ...]:
        """The checks of the rules that may fire in this zone, whatever the line's length."""
        zone = self._zones.get((top, bottom))
        if zone is None:
            zone = self._zones[top, bottom] = tuple(c for c in self.checks if _fires(c.rule, top, bottom))
        return zone

    def plan(self, low: str, top: bool, bottom: bool, length: int, filtered: bool = True) -> Plan:
        key = (top, bottom, bisect_left(self.limits, length), filtered)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = self._plan(*key)
        return plan

    def zone_plan(self, top: bool, bottom: bool) -> Plan:
        """All rules of the zone, found by their factors alone (a cut rule's prefix is one of its tail)."""
        key = (top, bottom, "zone")
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = Plan.of(list(self.in_zone(top, bottom)), False, self._inside)
        return plan

    def _plan(self, top: bool, bottom: bool, size: int, filtered: bool) -> Plan:
        checks = []
        for check in self.in_zone(top, bottom):
            rule = check.rule
            if rule.max_chars is not None and bisect_left(self.limits, rule.max_chars) < size:
                continue  # too long for the rule
            checks.append(check if filtered else Check(rule, None, None, None, ()))
        return Plan.of(checks, True, self._inside)


def _fires(rule: Any, top: bool, bottom: bool) -> bool:
    """The rule's ``where`` allows a line in the top / bottom zone (both: an edge line of a short text)."""
    where = rule.where
    return where == "any" or (top and where in ("top", "edge")) or (bottom and where in ("bottom", "edge"))
