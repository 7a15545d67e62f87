"""One pass of a C automaton over a whole document finds the needles of every rule (see ``NeedleScan``)."""

from __future__ import annotations

from boilerclean.cleaners.stages.artifacts.index import RuleIndex

try:  # a C automaton finds every filter string of a document in one pass; without it the lines do the work
    import ahocorasick
except ImportError:  # pragma: no cover - optional speed-up
    ahocorasick = None


class NeedleScan:
    """Every needle (``RuleIndex.needles``) of the line and cut rules, found in one pass over a document.

    Why: testing some 40 strings on every line cost more than the rules themselves. ``hits`` gives each line
    the masks of the rules whose needles it holds (line rules in the low bits, cut rules above them, see
    ``RuleIndex.needles`` for the two groups); a mask bit is a candidate, not a verdict: the rule's regex still
    decides, so the output is the same as with the per-line filters."""

    def __init__(self, line_index: RuleIndex, cut_index: RuleIndex) -> None:
        self.shift = 2 * len(line_index.checks)
        table = line_index.needles()
        for lit, mask in cut_index.needles().items():
            table[lit] = table.get(lit, 0) | mask << self.shift
        # a needle is in a line exactly when the pass finds it there, unless it could end in the "\r" that
        # ends a CRLF line (or spans lines: "\n" is left out, as it is in no line)
        self.exact = not any("\r" in lit for lit in table)
        self.automaton = None
        if ahocorasick is not None:
            self.automaton = ahocorasick.Automaton()  # any Python int: a pack may have more than 63 rules
            for lit, mask in table.items():
                if "\n" not in lit:
                    self.automaton.add_word(lit, mask)
            self.automaton.add_word("\n", -1)
            self.automaton.make_automaton()

    def hits(self, text: str, n_lines: int) -> list[int] | None:
        """Per line of ``text.split("\\n")``, the mask of rules with a needle in it; None when unknown (no
        automaton, or lower-casing changes the text's length so that offsets would not match)."""
        if self.automaton is None:
            return None
        low = text.lower()
        if len(low) != len(text):
            return None
        hits = [0] * n_lines
        k = 0
        for _, mask in self.automaton.iter(low):
            if mask < 0:
                k += 1
            else:
                hits[k] |= mask
        return hits
