"""Structural cues of remove_artifacts: debris no phrase gives away, only its shape and place.

A page summary glued together from the first paragraphs (``teaser_repeat``), a separator left after
the footer went (``trailing_separator``), a photo caption as the last line under a paragraph
(``trailing_caption``). Each is a rule id like a pack rule's, and ``disable`` switches it off the same way.
Also how kept lines are rejoined; what ends a sentence is ``shape``.
"""

from __future__ import annotations

from collections.abc import Callable

import regex

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import StageLog
from boilerclean.cleaners.stages.artifacts import blocks
from boilerclean.cleaners.stages.artifacts.shape import WORD, terminal

_SEPARATOR = regex.compile(r"^[\W_xX]{1,40}$")
# a sign-off ("God bless you all", "Stay with us") speaks to the reader; a caption describes a picture
_PERSONAL = regex.compile(r"\b(?:I|we|you|my|our|your|us|me|thanks?|bless|please)\b", regex.IGNORECASE)
_CAPTION_START = regex.compile(r"^[\p{Lu}\d\"“‘']")
STRUCTURAL_RULES = ("trailing_caption", "trailing_separator", "teaser_repeat")  # + blocks.BLOCK_RULES


class StructuralCues:
    """The structural rules (these three and ``blocks``'), each switchable by its id (``disable``)."""

    def __init__(self, disabled: frozenset[str], caption_max_words: int, is_body: Callable[[str], bool]) -> None:
        self.blocks = {rule: rule not in disabled for rule in blocks.BLOCK_RULES}
        self.teaser_repeat = "teaser_repeat" not in disabled
        self.separator = "trailing_separator" not in disabled
        self.caption = caption_max_words > 0 and "trailing_caption" not in disabled
        self.caption_max_words = caption_max_words
        self.is_body = is_body

    def apply(self, doc: Document, lines: list[str], alive: list[bool], reason: dict, log: StageLog) -> bool:
        """Remove what the cues find among the live lines; True when something went."""
        live = [i for i, a in enumerate(alive) if a]
        changed = False

        def drop(i: int, rule: str, family: str) -> None:
            alive[i] = False
            reason[i] = (f"artifact:{rule}", family)
            log.removed(doc, f"artifact:{rule}", lines[i])

        changed |= self._blocks(lines, live, reason, drop)
        live = [i for i, a in enumerate(alive) if a]
        if self.teaser_repeat and len(live) >= 3 and repeats_following(lines, live):
            drop(live.pop(0), "teaser_repeat", "structure")
            changed = True
        if self.separator and len(live) >= 2 and _SEPARATOR.match(lines[live[-1]].strip()):
            drop(live.pop(), "trailing_separator", "structure")
            changed = True
        if self.caption and len(live) >= 2 and self.is_caption(lines[live[-1]].strip(), lines[live[-2]]):
            drop(live[-1], "trailing_caption", "caption")
            changed = True
        return changed

    def _blocks(self, lines: list[str], live: list[int], reason: dict, drop: Callable[[int, str, str], None]) -> bool:
        """The cues of ``blocks``: copies, truncated copies, teaser runs, text inside a widget, a comment thread."""
        on = self.blocks
        gone: set[int] = set()

        def take(found: list[int], rule: str, family: str) -> None:
            for i in found:
                if i not in gone:
                    gone.add(i)
                    drop(i, rule, family)

        if on["repeated_in_doc"] and len(live) >= 2:
            take(blocks.later_copies(lines, live), "repeated_in_doc", "repetition")
        if on["truncated_copy"] and len(live) >= 2:
            take(blocks.truncated_copies(lines, [i for i in live if i not in gone]), "truncated_copy", "repetition")

        def removed() -> dict[int, str]:
            """The family of each removed line, as the cues so far left them."""
            return {i: family for i, (_, family) in reason.items()}

        if on["teaser_run"] and len(live) >= 4:
            take(blocks.teaser_run(lines, [i for i in live if i not in gone], removed()), "teaser_run", "promo")
        if on["lead_teasers"] and len(live) >= 2 * blocks.TEASER_MIN_RUN:
            take(blocks.lead_teasers(lines, [i for i in live if i not in gone], self.is_body), "lead_teasers", "promo")
        if on["widget_island"]:
            for i, family in blocks.widget_islands(lines, [i for i in live if i not in gone], removed()):
                take([i], "widget_island", family)
        if on["comment_thread"]:
            counters = [i for i, (_, family) in reason.items() if family == "comments" and blocks.is_counter(lines[i])]
            take(
                blocks.comment_thread(lines, [i for i in live if i not in gone], counters), "comment_thread", "comments"
            )
        return bool(gone)

    def is_caption(self, last: str, before: str) -> bool:
        """A last line shaped like a photo caption under a body paragraph: no sentence end, a capital start,
        4 to caption_max_words words, no quote or colon, not shouting, not speaking to the reader."""
        return (
            not terminal(last)  # the cheap tests first: most texts end with a sentence
            and _CAPTION_START.match(last) is not None
            and not any(c in last for c in ',:;“”"')
            and 4 <= len(WORD.findall(last)) <= self.caption_max_words
            and sum(1 for w in last.split() if len(w) >= 3 and w.isupper()) <= 1  # shouting is a heading
            and not _PERSONAL.search(last)
            and self.is_body(before)
        )


def repeats_following(lines: list[str], live: list[int], window: int = 10) -> bool:
    """The first line is a page summary made of the next lines glued together (one whole line, then the
    start of the line after it): the text itself follows, so the summary is a duplicate. A first line that
    repeats only one paragraph (a dek) is left alone."""
    first = lines[live[0]].strip()
    for k in range(1, min(window, len(live) - 1)):
        part = lines[live[k]].strip()
        if len(part) < 20 or not first.startswith(part) or len(first) - len(part) < 20:
            continue
        rest = first[len(part) :].strip()
        if lines[live[k + 1]].strip().startswith(rest):
            return True
    return False


def join_kept(original: list[str], lines: list[str], alive: list[bool]) -> str:
    """Kept lines in order; two kept lines are separated by a blank line when the input had one between them."""
    out: list[str] = []
    blank_between = False
    for i, line in enumerate(lines):
        if alive[i]:
            if out:
                out.append("\n\n" if blank_between else "\n")
            out.append(line)
            blank_between = False
        elif not original[i].strip():
            blank_between = True
    return "".join(out)
