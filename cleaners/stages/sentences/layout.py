"""Sentence boundaries that punctuation does not mark: list items, rule lines, captions, broken-off speech.

Text from the web and from transcripts puts sentences next to each other with nothing between
them but layout: ``1) first 2) second``, a bullet, a line of dashes, ``Figure 1.5`` before its
caption, a speaker breaking off with a dash (``we need a — Do you have``). Each kind is found by
its own fast scan, and only in documents that contain its marker, so ordinary prose pays for a
substring test per kind. Every function returns cuts as ``(end of one sentence, start of the
next)`` inside the trimmed chunk ``text[lo:hi]`` (no paragraph break inside).

Citation markers are the opposite case: ``[12]`` or ``[3 - 5]`` after a full stop belongs to the
sentence it follows, so ``citation_end`` lets the scanner carry the boundary past them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from boilerclean.cleaners.stages.sentences.tokens import NEXT, TOKEN, in_chunk, is_starter, occurrences, trim_end

Cuts = list[tuple[int, int]]
Finder = Callable[[str, int, int], Cuts]

BULLETS = "•‣⁃◦▪●■►▸"
_BULLET = re.compile(r"(?<=\s)[•‣⁃◦▪●■►▸]")  # an in-line list item
_ENUMERATOR = re.compile(r"(\d{1,3}|[aA])(\.\)|\)|\.)\s")

# A citation or an omission mark in brackets, one or more in a row: ``[12]``, ``[3 - 5]``, ``[4, 7]``,
# ``[a]``, ``[...]``, ``[citation needed]``.
_CITE = r"\[(?:\d{1,3}(?: ?[-–,] ?\d{1,3})*|[a-z]|\.\.\.|…|citation needed)\]"
CITATIONS = re.compile(rf"(?:{_CITE})+")

# A rule line or decoration: four or more of the same character (``-----``, ``_____``, ``*****``).
SEPARATOR_MARKS = ("----", "____", "====", "****", "~~~~", "####")
_SEPARATOR = re.compile(r"([-_=*~#])\1{3}")
_SEPARATOR_CHARS = frozenset("-_=*~#+")
_LONG_RULE = 10  # a run this long standing alone is a rule line: a sentence of its own
_SENTENCE_END = frozenset(".?!…\"'”’)")

# A dash standing between two words, where a speaker breaks off and starts again.
_DASHES = (" — ", " – ", " -- ")

# A caption label at the start of a paragraph (``Figure 1.5``, ``Table 3``), before its caption.
CAPTION_LABELS = ("Figure ", "Fig. ", "Table ", "Tab. ", "Map ", "Chart ", "Plate ", "Exhibit ", "Diagram ", "Graph ")
_CAPTION = re.compile(
    r"(?:" + "|".join(re.escape(w) for w in CAPTION_LABELS) + r")\d{1,3}(?:[.-]\d{1,3})*[a-z]?(?=[^\S\n]+[A-Z])"
)


def citation_end(text: str, pos: int, hi: int) -> int:
    """End of the citation markers starting at ``pos`` (``[12]``, ``[3 - 5]``...), or -1 if none is there."""
    m = CITATIONS.match(text, pos, hi)
    if m is None or (m.end() < hi and not text[m.end()].isspace()):
        return -1
    return m.end()


def list_cuts(text: str, lo: int, hi: int) -> Cuts:
    """Cuts before in-line enumeration items (``1) a 2) b``) when the chunk opens with item one.

    Only the next label in sequence counts (2 after 1, b after a), so a number in running
    text (``I have 2) reasons``) is never taken for an item unless the list really started.
    """
    m = _ENUMERATOR.match(text, lo, hi)
    if m is None:
        return []
    label, suffix = m.group(1), m.group(2)
    if label.isdigit():
        labels = [str(k) for k in range(int(label) + 1, int(label) + 100)]
    else:
        labels = [chr(k) for k in range(ord(label) + 1, ord(label) + 25)]
    cuts, pos = [], m.end()
    for nxt in labels:
        marker = f" {nxt}{suffix} "
        i = text.find(marker, pos, hi)
        if i < 0:
            break
        cuts.append(i + 1)
        pos = i + len(marker)
    if label.isalpha() and len(cuts) < 2:
        return []  # ``A. Smith and B. Jones``: initials, not a list, unless it goes on to ``c.``
    return [(trim_end(text, lo, c), c) for c in cuts]


def inline_list_cuts(text: str, lo: int, hi: int) -> Cuts:
    """Cuts before ``1) ... 2) ...`` items that start after some text (``four nights 1) which island 2) ...``).

    Only a full sequence from item 1 counts, so a lone ``1)`` in running text is never cut.
    """
    i = text.find(" 1) ", lo, hi)
    if i < 0:
        return []
    items = list_cuts(text, i + 1, hi)
    return [(trim_end(text, lo, i), i + 1), *items] if items else []


def bullet_cuts(text: str, lo: int, hi: int) -> Cuts:
    """Cuts before every in-line bullet (``• milk • eggs``)."""
    return [(trim_end(text, lo, m.start()), m.start()) for m in _BULLET.finditer(text, lo, hi)]


def separator_cuts(text: str, lo: int, hi: int) -> Cuts:
    """Cuts around rule lines and decorations (``-----``, ``*****NOTICE*****``, ``== Posted ==----``).

    A long run standing alone is a sentence of its own; a run glued to a word on one side belongs
    to that word and ends (or opens) a sentence on the other side; a short run standing alone
    opens what follows, so it is cut from the text before it.
    """
    cuts: Cuts = []
    pos = lo
    while True:
        m = _SEPARATOR.search(text, pos, hi)
        if m is None:
            return cuts
        a, b = m.start(), m.end()
        while a > lo and text[a - 1] in _SEPARATOR_CHARS:
            a -= 1
        while b < hi and text[b] in _SEPARATOR_CHARS:
            b += 1
        pos = b
        glued_left = a > lo and not text[a - 1].isspace()
        glued_right = b < hi and not text[b].isspace()
        if glued_left and glued_right:
            continue  # inside a token (``a----b``, a table border)
        if glued_left or glued_right or b - a >= _LONG_RULE:
            before, after = not glued_left, not glued_right
        elif a == lo or b == hi:
            continue  # a short run alone at either end of a line decorates that line
        else:  # in mid-line it opens what follows a sentence end, and closes anything else
            before = text[trim_end(text, lo, a) - 1] in _SENTENCE_END
            after = not before
        if before and a > lo:
            cuts.append((trim_end(text, lo, a), a))
        if after and b < hi:
            cuts.append((b, NEXT.match(text, b, hi).end()))


def dash_finder(text: str) -> Finder | None:
    """``dash_cuts`` for this document, or None when it has no spaced dash.

    The dashes are found once per document and looked up per chunk, so the many short chunks of
    a transcript do not each pay for a scan.
    """
    marks = occurrences(text, _DASHES, offset=1)  # the dash itself, after its space
    if not marks:
        return None

    def find(text: str, lo: int, hi: int) -> Cuts:
        here = in_chunk(marks, lo, hi)
        return dash_cuts(text, lo, here) if here else []

    return find


def dash_cuts(text: str, lo: int, marks: list[int]) -> Cuts:
    """Cuts after a dash where a speaker breaks off and starts a new sentence (``we need a — Do you``).

    ``marks`` are the dashes (each with a space before and after it) inside the chunk that starts
    at ``lo``. Only a dash followed by a typical sentence opener counts, and not after a dateline
    in capitals (``WASHINGTON — The``), a number or punctuation. ``I`` does not count as an opener
    here: after a dash it usually repeats or repairs the same sentence (``I think you — I think
    you``), and a quotation after the dash is the dash's own (``said — "It is``).
    """
    cuts: Cuts = []
    for i in marks:
        after = text.find(" ", i) + 1
        nxt = TOKEN.match(text, after).group()
        prev = text[text.rfind(" ", lo, i - 1) + 1 or lo : i - 1]
        if (
            nxt[:1].isalpha()
            and is_starter(nxt)
            and nxt != "I"
            and not nxt.startswith(("I'", "I’"))
            and prev
            and prev[-1] not in ".,;:!?)]\"”'’"
            and not prev.isupper()
            and not prev[-1].isdigit()
        ):
            cuts.append((after - 1, after))
    return cuts


def caption_cut(text: str, lo: int, hi: int) -> Cuts:
    """A caption label opening the chunk (``Figure 1.5 Residents of ...``) is a sentence of its own."""
    m = _CAPTION.match(text, lo, hi)
    if m is None:
        return []
    return [(m.end(), NEXT.match(text, m.end(), hi).end())]
