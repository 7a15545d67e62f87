"""What ends a sentence, for every part of remove_artifacts that tells body text from debris by its shape.

Its own module because the rules, the structural cues, the block cues and the line model's features must
agree on it, and none of them should import another for it.
"""

from __future__ import annotations

import regex

TERMINAL = regex.compile(r"[.!?…:;][\"'”’“)\]»*]*$|[\"”’][.!?,]?$")
CLOSERS = "\"'”’“)]»*"  # what may follow the sentence mark in TERMINAL
WORD = regex.compile(r"\w+")


def terminal(s: str) -> bool:
    """``TERMINAL.search(s)`` for a stripped line, without a regex scan of the whole line: the last character
    that is not a closing quote/bracket is a sentence mark, or the line ends in a quote (plus one mark)."""
    rest = s.rstrip(CLOSERS)
    if rest and rest[-1] in ".!?…:;":
        return True
    return bool(s) and (s[-1] in '"”’' or (len(s) >= 2 and s[-1] in ".!?," and s[-2] in '"”’'))


SMALL_WORDS = frozenset(
    {
        *("a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on"),
        *("or", "over", "per", "the", "to", "up", "via", "vs", "with", "is", "are", "was", "be"),
    }
)  # what a title-cased headline leaves in lower case


def title_cased(s: str, share: float = 0.7) -> bool:
    """Most content words start with a capital or a digit, as a headline's do ("Ferry Fares to Rise in Spring");
    a line in capitals is a heading, not this."""
    content = [w for w in s.split() if w.lower().strip("\"'“”‘’(") not in SMALL_WORDS]
    if not content or s.isupper():
        return False
    capital = sum(1 for w in content if w.lstrip("\"'“‘(")[:1].isupper() or w[:1].isdigit())
    return capital >= share * len(content)
