"""The default sentence splitter: a regex candidate finder plus cheap, explainable decisions.

Why not Punkt alone: Punkt decides from statistics of one training corpus and misses what web
text is made of (``ok. so then``, ``Best, / Darrell``, ``U.S. How``, enumerations with no
final period). Why not pySBD: its hundreds of regex rewrites are slow and superlinear.

Here a text is cut into paragraphs (blank lines), then lines (unless the paragraph is
hard-wrapped), then pieces at boundaries that need no decision (``layout``: list items, bullets,
rule lines, caption labels, broken-off speech; ``letters``: bare addresses and mail headers),
each found by its own fast scan and only in texts that have its marker. In each piece one
compiled regex finds the runs of ``. ? ! …`` followed by whitespace (with the closing quotes,
brackets and citation markers that belong to them), and each is decided from the token before
it and the token after it (``decide``); salutations and closings (``Hi Jane,`` / ``Thanks,``)
are split off where a sentence starts. Scanning runs in C and the Python work is a few string
operations per candidate, so the cost is linear in the text. The word lists (``words``) are
general English and the statistics (``stats``) are learned from unlabelled text; neither is
lifted from an evaluation set.
"""

from __future__ import annotations

import itertools
import re

from boilerclean.cleaners.stages.sentences.decide import decide
from boilerclean.cleaners.stages.sentences.layout import (
    BULLETS,
    CAPTION_LABELS,
    SEPARATOR_MARKS,
    Finder,
    bullet_cuts,
    caption_cut,
    citation_end,
    dash_finder,
    inline_list_cuts,
    list_cuts,
    separator_cuts,
)
from boilerclean.cleaners.stages.sentences.letters import open_sentence, web_finder
from boilerclean.cleaners.stages.sentences.tokens import NEXT, OPENERS, TOKEN, is_starter, opens_sentence, trim_end

Spans = list[tuple[int, int]]

# A paragraph break: a line with nothing but whitespace on it (and the whitespace after it).
_BLANK = re.compile(r"\n[^\S\n]*\n\s*")
# Every place a sentence may end in running text: a run of terminal punctuation (spaced
# ellipses ``. . .`` included) with its closing quotes and brackets and any citation markers
# glued to it (``end.[12]``), followed by whitespace; the lookahead captures the whitespace and
# the next token, which is all the context a decision needs besides the token before. A match
# only starts at the first mark of a run and the run is atomic, so a long run of marks is read
# once (linear time) and never split into shorter ones; a plain character class leads the
# pattern so that the scan between candidates runs in C.
_TERM = re.compile(
    r"[.?!…‽](?<![.?!…‽].)(?>[.?!…‽]*(?: [.?!…]+){0,8}[\"'”’»)\]}“]*)"
    r"((?:\[\d{1,3}(?:[-–,]\d{1,3})*\])*)(?=(\s+)(\S+))"
)
_ALNUM = re.compile(r"[^\W_]")
_CAPTION_INITIALS = frozenset(label[0] for label in CAPTION_LABELS)
_DASHES = frozenset(("-", "--", "---", "—", "–"))


def _finders(text: str) -> tuple[Finder, ...]:
    """The scans for boundaries without punctuation that this document needs (one substring test each)."""
    finders: list[Finder] = []
    if any(b in text for b in BULLETS):
        finders.append(bullet_cuts)
    web = web_finder(text)
    if web is not None:
        finders.append(web)
    if any(s in text for s in SEPARATOR_MARKS):
        finders.append(separator_cuts)
    dashes = dash_finder(text)
    if dashes is not None:
        finders.append(dashes)
    if " 1) " in text:
        finders.append(inline_list_cuts)
    return tuple(finders)


def _scan(text: str, lo: int, hi: int, finders: tuple[Finder, ...], out: Spans) -> None:
    """Append the sentences of the trimmed chunk ``text[lo:hi]`` (no paragraph break inside).

    Boundaries that need no decision (list items, bullets, addresses...) cut the chunk into pieces
    first; the punctuation scan then runs on each piece.
    """
    cuts: list[tuple[int, int]] = []
    first = text[lo]
    if first in "0123456789aA":
        cuts = list_cuts(text, lo, hi)
    elif first in _CAPTION_INITIALS and text.startswith(CAPTION_LABELS, lo):
        cuts = caption_cut(text, lo, hi)
    for find in finders:
        cuts += find(text, lo, hi)
    if not cuts:
        _scan_piece(text, lo, hi, out, True)
        return
    seg = lo
    for end, resume in sorted(cuts):
        if end > seg:
            _scan_piece(text, seg, end, out, seg == lo)
            seg = resume
    if seg < hi:
        _scan_piece(text, seg, hi, out, seg == lo)


def _scan_piece(text: str, lo: int, hi: int, out: Spans, at_line_start: bool) -> None:
    """Decide every punctuation candidate of ``text[lo:hi]`` in order and append the sentences."""
    seg = lo
    if at_line_start and text[lo] == "(":
        seg = _aside(text, lo, hi, out)
    elif text.startswith("-- ", lo):
        seg = _signature_dash(text, lo, hi, out)
    seg = open_sentence(text, seg, hi, at_line_start, out)
    for m in _TERM.finditer(text, lo, hi):
        start = m.start()
        if start < seg:
            continue
        cluster_end = m.start(1)  # the marks and closers; glued citations follow
        nxt = m.group(3)
        end = m.end()
        resume = m.start(3)
        c0 = nxt[0]
        if c0 == "[" or (c0.isdigit() and len(nxt) <= 3 and nxt.isdigit() and text[cluster_end - 1] == "."):
            # ``end. [12] Next``: the citation belongs to the sentence it follows; so does a bare
            # footnote number before a sentence opener (``rights. 4 Even though``): style guides
            # spell out a number that opens a sentence, so a numeral there is a flattened superscript.
            cited = citation_end(text, resume, hi) if c0 == "[" else _footnote_end(text, resume, hi)
            if cited > 0:
                ws = NEXT.match(text, cited, hi)
                if ws is None:
                    continue  # it closes the piece, so it stays with this sentence
                end, resume = cited, ws.end()
                nxt = TOKEN.match(text, resume, hi).group()
                c0 = nxt[0]
        if not c0.isalnum() and c0 not in OPENERS and not _ALNUM.search(nxt):
            # ``? ?``, ``:)``: symbols after the mark stay with the sentence they follow, which
            # then ends after them if the word after them starts a new one. A dash before a
            # capitalised word opens the next sentence instead (``act. -- Posted by``).
            ws = NEXT.match(text, resume + len(nxt), hi)
            if ws is None:
                continue
            follow = TOKEN.match(text, ws.end(), hi).group()
            if nxt not in _DASHES or not follow[0].isupper():
                end, resume = resume + len(nxt), ws.end()
            nxt = follow
        cut = decide(text, seg, start, cluster_end, nxt)
        if cut < 0:
            continue
        if cut != cluster_end:  # ``compounds. . . . The``: the sentence ends at the first period
            end, resume = cut, cut + 1
        if end > seg:
            out.append((seg, end))
            if text[resume] == "(":
                resume = _aside(text, resume, hi, out)
            elif text.startswith("-- ", resume):
                resume = _signature_dash(text, resume, hi, out)
            seg = open_sentence(text, resume, hi, False, out)
    if seg < hi:
        out.append((seg, hi))


def _footnote_end(text: str, pos: int, hi: int) -> int:
    """End of the footnote number at ``pos`` when a typical sentence opener follows it, else -1."""
    end = TOKEN.match(text, pos, hi).end()
    ws = NEXT.match(text, end, hi)
    if ws is None or not text[ws.end()].isupper():
        return -1  # ``Jan. 5 and``: a number inside the sentence
    return end if opens_sentence(TOKEN.match(text, ws.end(), hi).group()) else -1


def _signature_dash(text: str, pos: int, hi: int, out: Spans) -> int:
    """The mail signature separator ``--`` before a capitalised line (``-- Posted by``) is a sentence of its own."""
    ws = NEXT.match(text, pos + 2, hi)
    if ws is None or not text[ws.end()].isupper():
        return pos
    out.append((pos, pos + 2))
    return ws.end()


def _aside(text: str, pos: int, hi: int, out: Spans) -> int:
    """A short parenthetical between two sentences (``servers. (ZD Net) It looks``) is one of its own.

    Only a fragment (no sentence end inside, closed within a few words) followed by a typical
    sentence opener (a caption such as ``(Photo by X) Public Domain`` goes on); a full sentence in
    parentheses is decided by its own punctuation.
    """
    close = text.find(")", pos, min(hi, pos + 60))
    if close < 0 or close + 2 >= hi or not text[close + 1].isspace() or "(" in text[pos + 1 : close]:
        return pos
    if _TERM.search(text, pos, close + 1):
        return pos
    ws = NEXT.match(text, close + 1, hi)
    if ws is None or not is_starter(TOKEN.match(text, ws.end(), hi).group()):
        return pos
    out.append((pos, close + 1))
    return ws.end()


def _paragraph(text: str, lo: int, hi: int, newline: str, finders: tuple[Finder, ...], out: Spans) -> None:
    """Cut a paragraph into lines where a line break ends a sentence, then scan each piece.

    With ``newline="auto"`` a line break is a boundary (web text extracted from HTML puts
    headings, list items and signature lines on lines of their own) unless the next line starts
    in lower case (a break inside a sentence) or the whole paragraph looks hard-wrapped.
    """
    i = text.find("\n", lo, hi)
    if i < 0 or newline == "never":
        _scan(text, lo, hi, finders, out)
        return
    lines = []  # (start, trimmed end) of each line
    start = lo
    while i >= 0:
        lines.append((start, trim_end(text, start, i)))
        start = i + 1
        while text[start].isspace():
            start += 1
        i = text.find("\n", start, hi)
    lines.append((start, hi))
    if newline == "auto" and _hard_wrapped(lines):
        _scan(text, lo, hi, finders, out)
        return
    chunk = lo
    for (_, end), (nxt, _) in itertools.pairwise(lines):
        if newline == "always" or not text[nxt].islower():
            _scan(text, chunk, end, finders, out)
            chunk = nxt
    _scan(text, chunk, hi, finders, out)


def _hard_wrapped(lines: list[tuple[int, int]]) -> bool:
    """Prose wrapped at a fixed width (plain-text e-mail, Gutenberg): every line but the last
    fills most of the width, and the width is that of a text column, not of a list of names."""
    if len(lines) < 3:
        return False
    widths = [end - start for start, end in lines[:-1]]
    width = max(widths)
    return width >= 50 and sum(w >= 0.7 * width for w in widths) >= 0.8 * len(widths)


def paragraph_spans(text: str) -> Spans:
    """Trimmed ``[start, end)`` of the paragraphs of ``text`` (separated by blank lines)."""
    n = len(text)
    lo = 0
    while lo < n and text[lo].isspace():
        lo += 1
    hi = trim_end(text, lo, n)
    if lo >= hi:
        return []
    out = []
    for m in _BLANK.finditer(text, lo, hi):
        out.append((lo, trim_end(text, lo, m.start())))
        lo = m.end()
    out.append((lo, hi))
    return out


def split_sentences(text: str, *, newline: str = "auto") -> Spans:
    """Sentence spans ``[start, end)`` of ``text``: trimmed, in order, covering all non-space text.

    ``newline`` says what a single line break inside a paragraph means: ``"always"`` a boundary,
    ``"never"`` a space, ``"auto"`` a boundary unless the next line starts in lower case or the
    paragraph looks hard-wrapped (see ``_paragraph``). A blank line always ends a sentence.
    """
    out: Spans = []
    paragraphs = paragraph_spans(text)
    if paragraphs:
        finders = _finders(text)
        for lo, hi in paragraphs:
            _paragraph(text, lo, hi, newline, finders, out)
    return out
