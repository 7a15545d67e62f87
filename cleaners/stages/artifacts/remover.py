"""remove_artifacts: line-level debris a scraper leaves in article text (share buttons, ad labels,
subscribe prompts, bylines, captions, "Source: <url>", polls, promos, footer blocks).

Why rules *and* position: the same words are debris in one place and article text in another
("Facebook" as a share button vs. a how-to subheading; "Jane Doe is a reporter..." as the closing
bio vs. a sentence in the body). So every rule of a pack (``configs/rules/<pack>.yaml``) says where it
may fire: anywhere, before the body (``top``), after it (``bottom``) or either (``edge``); a few fire
only in a run of their own kind (a row of share buttons). The body is found from the text itself:
lines long enough and ending like sentences. Structural cues that no regex can express (a page summary
glued together from the first paragraphs, a trailing photo caption, a separator left after the footer
was removed) are rules in code with ids too (``STRUCTURAL_RULES``), and can be disabled like pack rules.
Removing a footer exposes new bottom lines, so the rules run again until nothing changes.
Speed: a rule is only searched in lines that show the words its pattern cannot match without
(``needles`` derives them from the pattern; ``index`` and ``scan`` find them in a whole document in one
pass); the output is the same as searching every rule.

Every removed line goes through ``log.removed(doc, "artifact:<rule id>", line)``; a mixed line keeps
its article part and the cut span is recorded the same way. Kept lines are byte-identical; blank-line
separation between kept lines is preserved (runs of removed lines collapse into one separator).
"""

from __future__ import annotations

import regex

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import DocumentStage, StageLog
from boilerclean.cleaners.stages.artifacts.index import RuleIndex
from boilerclean.cleaners.stages.artifacts.linemodel import LineModel, load_model, model_pass
from boilerclean.cleaners.stages.artifacts.params import RemoveArtifactsParams
from boilerclean.cleaners.stages.artifacts.rules import Rule, load_packs
from boilerclean.cleaners.stages.artifacts.scan import NeedleScan
from boilerclean.cleaners.stages.artifacts.shape import terminal
from boilerclean.cleaners.stages.artifacts.structure import StructuralCues, join_kept
from boilerclean.cleaners.stages.artifacts.wordkeys import DocKeys, present

_DEBRIS_LEFTOVER = " \t\u00a0-–—|:·•,"
_MAX_PASSES = 10


class RemoveArtifacts(DocumentStage):
    """Drop debris lines and cut debris spans by rule packs and structural cues (see module doc)."""

    name = "remove_artifacts"
    Params = RemoveArtifactsParams

    def __init__(self, params: RemoveArtifactsParams | None = None) -> None:
        super().__init__(params)
        p = self.params
        disabled = frozenset(p.disable)
        self.rules: list[Rule] = load_packs(list(p.packs), disabled)
        self.line_rules = [r for r in self.rules if r.action != "cut"]
        self.cut_rules = [r for r in self.rules if r.action == "cut"]
        # line filters: which rules a line's zone, length and words leave worth searching (index.py)
        self.line_index = RuleIndex(self.line_rules)
        self.cut_index = RuleIndex(self.cut_rules)
        self.scan = NeedleScan(self.line_index, self.cut_index)  # the needles of both, one pass per document
        self._odd = "".join(sorted(set(self.line_index.odd + self.cut_index.odd)))
        self._cut_zones = {
            (top, bottom): self.cut_index.masks(top, bottom, None)[:2]
            for top in (False, True)
            for bottom in (False, True)
        }
        self._body_words = regex.compile(rf"(?:\W*+\w++){{{p.body_min_words}}}")  # >= N runs of \w
        self._teaser_words = regex.compile(r"(?:\W*+\w++){26}")
        self.structure = StructuralCues(disabled, p.caption_max_words, self._is_body)
        self.model: LineModel | None = None if p.model in ("none", "") else load_model(p.model)
        self.threshold = p.model_threshold if p.model_threshold is not None else getattr(self.model, "threshold", 1.0)

    # -- helpers ---------------------------------------------------------------------------------

    def _search(self, rule: Rule, text: str, log: StageLog) -> regex.Match | None:
        try:
            return rule.pattern.search(text, timeout=self.params.regex_timeout)
        except TimeoutError:
            log.counters["artifact:regex_timeout"] += 1
            return None

    def _is_body(self, line: str) -> bool:
        s = line.strip()
        return terminal(s) and self._body_words.match(s) is not None

    def _is_teaser(self, line: str) -> bool:
        """A headline-shaped line of a teaser list: short and not ending like a sentence."""
        s = line.strip()
        return not terminal(s) and self._teaser_words.match(s) is None

    def _zones(
        self, lines: list[str], alive: list[int], body: dict[int, tuple[str, bool]]
    ) -> tuple[set[int], set[int]]:
        """(top, bottom): line indices before the first / after the last body line, plus the edge lines.
        ``body`` caches each line's verdict with the text it was given for (cuts change lines)."""
        n = len(alive)

        def is_body(k: int) -> bool:
            i, line = alive[k], lines[alive[k]]
            seen = body.get(i)
            if seen is None or seen[0] != line:
                seen = body[i] = (line, self._is_body(line))
            return seen[1]

        # only the first and the last body line matter: the lines between them are not asked
        first = next((k for k in range(n) if is_body(k)), n)
        last = next((k for k in range(n - 1, first - 1, -1) if is_body(k)), -1)
        edge = self.params.edge_lines
        top = set(alive[: max(first, edge)])
        bottom = set(alive[min(last + 1, max(n - edge, 0)) :])
        return top, bottom

    def _line_hit(self, s, found, exact, plain, in_top, in_bottom, keys, log) -> Rule | None:
        """The first line rule (pack order) that matches the stripped line ``s``, a rule that fires alone
        before one that needs a neighbour (``in_run``: "Comments" is a share button's name and a comment
        section's heading; the heading need not wait for a neighbour). The filters of index.py skip the rules
        that cannot match. ``found``: the mask of rules with a needle in the line (NeedleScan), None when not
        known (then the line's own filters find the candidates, with ``keys``); ``exact``: the masks speak of
        ``s`` itself (not of the whitespace around it); ``plain``: the text has no odd-case character
        (``RuleIndex.odd``)."""
        index = self.line_index
        filtered = plain or s.isascii() or not index.has_odd_case(s)
        if found is None or not filtered:
            low = s.lower()
            plan = index.plan(low, in_top, in_bottom, len(s), filtered)
            checks = plan.checks
            matching = (
                checks[j].rule
                for j in plan.candidates(low, present(low, keys.get("line")))
                if checks[j].passes(low) and self._search(checks[j].rule, s, log)
            )
        else:
            candidates = index.line_candidates(s, found, exact, in_top, in_bottom)
            matching = (check.rule for check in candidates if self._search(check.rule, s, log))
        in_run = None
        for rule in matching:
            if not rule.in_run:
                return rule
            in_run = in_run or rule
        return in_run

    # -- the stage -------------------------------------------------------------------------------

    def apply(self, doc: Document, log: StageLog) -> Document:
        text = doc.text or ""
        if not text.strip():
            return doc
        original, lines, alive, reason = self.rule_pass(doc, log)
        if self.model is not None:
            model_pass(self, doc, lines, alive, reason, log)
        doc.text = join_kept(original, lines, alive)
        return doc

    def rule_pass(self, doc: Document, log: StageLog) -> tuple[list[str], list[str], list[bool], dict]:
        """The rules and structural cues over the document's lines: (original lines, lines as cut, alive,
        reason per removed line as (reason, family)). The line model reads what this leaves."""
        text = doc.text or ""
        original = [line.rstrip("\r") for line in text.split("\n")]  # CR of CRLF is line ending
        lines = list(original)
        alive = [bool(s.strip()) for s in lines]
        reason: dict[int, tuple[str, str]] = {}  # line -> (reason, family)

        def remove(i: int, rule: Rule) -> None:
            alive[i] = False
            reason[i] = (rule.reason, rule.family)
            log.removed(doc, rule.reason, lines[i])

        # the needles of every line, in one pass; a line changed by a cut, or every line when the pass is not
        # possible, finds its candidates with its own filters and the word keys of the text (_DocKeys)
        hits = self.scan.hits(text, len(original))
        cut_shift, exact = self.scan.shift, self.scan.exact
        keys = DocKeys(self, text)
        # no character whose case partner is another letter: every line may use the filters (cuts add none)
        plain = hits is not None and not any(ch in text for ch in self._odd)
        cut_zones, cut_n = self._cut_zones, len(self.cut_index.checks)
        cut_no_first, cut_no_second = self.cut_index.no_first, self.cut_index.no_second
        runs: dict[int, Rule] = {}  # button-like lines waiting for a neighbour of their family
        checked: dict[int, tuple[str, bool, bool]] = {}  # what each line looked like when last checked
        body: dict[int, tuple[str, bool]] = {}
        for _ in range(_MAX_PASSES):  # removing footers exposes the lines above them as the new bottom
            changed = False
            live = [i for i, a in enumerate(alive) if a]
            top, bottom = self._zones(lines, live, body)
            for i in live:
                in_top, in_bottom = i in top, i in bottom
                state = (lines[i], in_top, in_bottom)
                if not alive[i] or checked.get(i) == state:
                    continue  # same text in the same zone: the rules would say the same as last pass
                checked[i] = state
                line = lines[i]
                s = line.strip()
                found = hits[i] if hits is not None and line is original[i] else None
                hit = self._line_hit(s, found, exact and s is line, plain, in_top, in_bottom, keys, log)
                if hit is not None:
                    if hit.in_run:
                        runs[i] = hit
                        continue
                    remove(i, hit)
                    changed = True
                    if hit.action == "to_end":
                        for j in range(i + 1, len(lines)):
                            if alive[j]:
                                remove(j, hit)
                        break
                    if hit.action == "block":
                        for j in range(i + 1, len(lines)):
                            if alive[j] and not self._is_teaser(lines[j]):
                                break
                            if alive[j]:
                                remove(j, hit)
                    continue
                cut_found = found >> cut_shift if found is not None else None
                if plain and cut_found is not None:
                    always, lits = cut_zones[in_top, in_bottom]
                    # both filter groups of a rule are in the line (in its tail, for a tail rule) if it matches
                    ok = (cut_found | cut_no_first) & ((cut_found >> cut_n) | cut_no_second)  # groups_ok
                    if not (always | (cut_found & lits)) & ok:
                        continue  # the usual case: no cut rule can match
                changed |= self._cut(doc, i, lines, alive, reason, (in_top, in_bottom), log, keys, cut_found)
            runs = {i: rule for i, rule in runs.items() if alive[i]}
            changed |= self._resolve_runs(doc, runs, alive, reason, lines, log)
            changed |= self.structure.apply(doc, lines, alive, reason, log)
            if not changed:
                break
        return original, lines, alive, reason

    def _cut(self, doc, i, lines, alive, reason, zone, log, keys, found=None) -> bool:
        """Cut debris spans out of a line (mixed lines); the line goes when nothing of it is left.
        ``keys``: the document's word keys (updated here); ``found``: the mask of cut rules with a needle in
        the line (NeedleScan), None when not known."""
        index = self.cut_index
        plan = index.zone_plan(*zone)
        filtered = lines[i].isascii() or not index.has_odd_case(lines[i])

        def candidates() -> set[int]:
            if not filtered:
                return set(range(len(plan.checks)))
            low = lines[i].lower()
            # a span cut from the line's tail is in the whole line too: so are its factors
            return set(plan.candidates(low, present(low, keys.get("cut"))))

        if found is not None and filtered:
            todo = set(index.positions(plan, index.cut_candidates(found, *zone)))
        else:
            todo = candidates()
        if not todo:
            return False  # the usual case: no cut rule can match
        changed = False
        for j, check in enumerate(plan.checks):
            if j not in todo:
                continue
            rule = check.rule
            line = lines[i]
            offset = max(0, len(line) - rule.tail_chars) if rule.tail_chars else 0
            part = line[offset:] if offset else line
            if filtered and not check.passes(part.lower()):
                continue
            m = self._search(rule, part, log)
            if m is None or m.end() == m.start():
                continue
            log.removed(doc, rule.reason, m.group(0))
            head, tail = line[: offset + m.start()], line[offset + m.end() :]
            lines[i] = head.rstrip() + (" " if head.strip() and tail.strip() else "") + tail.lstrip()
            changed = True
            keys.add(lines[i])  # joining head and tail can make words the text had not
            todo = candidates()
            if not lines[i].strip(_DEBRIS_LEFTOVER):
                alive[i] = False
                reason[i] = (rule.reason, rule.family)
                return True
        return changed

    @staticmethod
    def _resolve_runs(doc, runs, alive, reason, lines, log) -> bool:
        """Button-like lines ("Facebook", "Email") go only next to another one or a removed line of their family."""
        if not runs:
            return False
        families = {rule.family for rule in runs.values()}
        # lines removed for other reasons are transparent: "Facebook / Advertisement / Email" is still a row
        seen = [i for i, a in enumerate(alive) if a or reason.get(i, ("", ""))[1] in families]
        pos = {i: k for k, i in enumerate(seen)}
        doomed = []
        for i, rule in runs.items():
            k = pos[i]
            neighbours = [seen[k - 1]] if k else []
            neighbours += [seen[k + 1]] if k + 1 < len(seen) else []
            if any(j in runs or reason.get(j, ("", ""))[1] == rule.family for j in neighbours):
                doomed.append(i)
        for i in doomed:
            alive[i] = False
            reason[i] = (runs[i].reason, runs[i].family)
            log.removed(doc, runs[i].reason, lines[i])
        return bool(doomed)
