"""The default sentence splitter: a regex candidate finder plus cheap, explainable decisions.

Why not Punkt alone: Punkt decides from statistics of one training corpus and misses what web
text is made of (``ok. so then``, ``Best, / Darrell``, ``U.S. How``, enumerations with no
final period). Why not pySBD: its hundreds of regex rewrites are slow and superlinear.

Here a text is cut into paragraphs (blank lines), then lines (unless the paragraph is
hard-wrapped), then pieces at boundaries that need no decision (in-line list items, bullets,
bare URLs and e-mail headers, each found by its own fast scan and only in texts that have
them). In each piece one compiled regex finds the runs of ``. ? ! …`` followed by whitespace,
and each is decided from the token before it and the token after it; salutations and
closings (``Hi Jane,`` / ``Thanks,``) are split off where a sentence starts. Scanning runs in
C and the Python work is a few string operations per candidate, so the cost is linear in the
text. The word lists in ``boilerclean.cleaners.stages.sentences.words`` are general English, not lifted from
any evaluation set.
"""

from __future__ import annotations

import itertools
import re

from boilerclean.cleaners.stages.sentences.words import (
    ABBREVIATIONS,
    CAPITALISED_ABBREVIATIONS,
    CLOSINGS,
    DISCOURSE_WORDS,
    EXCLAMATION_NAMES,
    GREETINGS,
    NUMBER_ABBREVIATIONS,
    PREPOSITIVE,
    STARTERS,
)

# A paragraph break: a line with nothing but whitespace on it (and the whitespace after it).
_BLANK = re.compile(r"\n[^\S\n]*\n\s*")

_CLOSERS = "\"'”’»)]}“"
# Every place a sentence may end in running text: a run of terminal punctuation (spaced
# ellipses ``. . .`` included) with its closing quotes and brackets, followed by whitespace; the
# lookahead captures the whitespace and the next token, which is all the context a decision
# needs besides the token before. A match only starts at the first mark of a run and the run is
# atomic, so a long run of marks is read once (linear time) and never split into shorter ones;
# a plain character class leads the pattern so that the scan between candidates runs in C.
_TERM = re.compile(r"[.?!…‽](?<![.?!…‽].)(?>[.?!…‽]*(?: [.?!…]+){0,8}[\"'”’»)\]}“]*)(?=(\s+)(\S+))")
# Line-like text has boundaries with no punctuation at all. These are found separately, only in
# documents that contain them, so that ordinary prose pays one fast scan for each:
_BULLET = re.compile(r"(?<=\s)[•‣⁃◦▪●■►▸]")  # an in-line list item
_WEB_ANCHOR = re.compile(r"@|:(?://|\d\d)|www\.")  # an address or a clock time
_ADDRESS = re.compile(r"[<(\[\"]?(?:https?://|www\.|[\w.+-]+@)")
_STAMP = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d\d(?::\d\d)? ?[AaPp]\.?[Mm]\b\.?")
_NEXT = re.compile(r"\s+(?=\S)")
_TOKEN = re.compile(r"\S*")
_ENUMERATOR = re.compile(r"(\d{1,3}|[aA])(\.\)|\)|\.)\s")
_BULLETS = "•‣⁃◦▪●■►▸"
_WORD = re.compile(r"[\"'“‘(\[]*([A-Za-z]+(?:'[a-z]+)?)")
_ACRONYM = re.compile(r"(?:[a-z]{1,2}\.)+[a-z]{1,2}")  # ``u.s``, ``e.g``, ``ph.d`` (the final period is the candidate)
_OPENERS = "\"'“‘«([{<"
_ALNUM = re.compile(r"[^\W_]")
# A letter's salutation or closing standing before the next sentence, at the start of a sentence:
# ``Best regards, Al``, ``Hi Jane, Please``, ``Louise, There are``.
_SALUTATION = re.compile(
    r"(?:(?i:" + "|".join(sorted((re.escape(c) for c in CLOSINGS), key=len, reverse=True)) + r")"
    r"|(?P<greet>(?i:" + "|".join(GREETINGS) + r"))(?: [A-Z][\w.'-]*){1,3}"
    r"|(?P<name>[A-Z][a-z]+))"
    r"(?P<comma>,)[^\S\n]+(?=(?P<after>[A-Z]\S*))"
)


def _is_starter(token: str) -> bool:
    """Whether ``token`` is a word that typically opens an English sentence (``The``, ``It``, ``How``)."""
    m = _WORD.match(token)
    if m is None or not m.group(1)[0].isupper():
        return False
    word = m.group(1)
    if len(word) == 1 and token[m.end() : m.end() + 1] == ".":
        return False  # ``A.`` / ``I.`` is an initial, not the article or the pronoun
    return word in STARTERS or word.split("'")[0] in STARTERS


def _period_splits(prev: str, nxt: str, closers: bool, first_token: bool) -> bool:
    """Decide a single ``.`` from the token before it and the token after it."""
    core = prev.lstrip(_OPENERS)
    c0 = nxt[0]
    if not core:
        return c0 not in ".,;:" or c0 == "."  # detached ``proof .``: an ordinary full stop
    if "@" in core or "://" in core or core.startswith("www."):
        return not c0.islower()  # the period ends an address, it is not part of it
    lower = core.lower()
    if lower in PREPOSITIVE:
        return False
    if c0.isdigit():
        if lower in NUMBER_ABBREVIATIONS or lower in ABBREVIATIONS:
            return False
        return (core.isalpha() and len(core) > 1) or core[-1].isdigit()
    enumerator = core.lstrip(_BULLETS)
    if first_token and (enumerator.isdigit() or (len(enumerator) == 1 and enumerator.isalpha())):
        return False  # an enumerator (``1. The first item``), not a sentence of its own
    if (
        lower in ABBREVIATIONS
        or core in CAPITALISED_ABBREVIATIONS
        or _ACRONYM.fullmatch(lower)
        or (len(core) == 1 and core.isalpha())
    ):
        return _is_starter(nxt)
    if c0.islower():
        # Informal web text often starts sentences in lower case (``ok. so then``); a closing
        # quote or bracket before it means a quotation inside the sentence (``'Great.' she said``).
        return not closers and core[-1].isalpha() and len(core) > 1
    return c0 not in ",;:"


def _ellipsis_cut(text: str, start: int, end: int, cluster: str, nxt: str, seg: int) -> int:
    """Where a cluster of dots splits (an offset into ``text``), or -1 when it does not.

    Three dots are an omission inside a sentence (``I wasn't really ... well``) unless a
    capitalised word other than ``I`` follows; four are an omission plus a full stop. A period
    glued to a word and followed by a spaced ellipsis (``compounds. . . . The``) ends the
    sentence at the period: the ellipsis opens the next one. An ellipsis in brackets
    (``[...]``) marks an omission in a quotation and never ends a sentence.
    """
    dots = cluster.count(".") + 3 * cluster.count("…")
    c0 = nxt[0]
    if dots < 3:  # ``well.. Then``: a doubled full stop; before lower case, a trailing-off pause
        split = not c0.islower() and _period_splits(_prev_token(text, seg, start), nxt, False, False)
        return end if split else -1
    if not (c0.isupper() or c0.isdigit() or c0 in "\"'“‘«") or text[start - 1] in "[(":
        return -1
    if " " in cluster:
        if not text[start - 1].isspace() and text[start + 1] == " " and dots >= 4:
            return start + 1
        return end if dots >= 4 else -1
    if dots >= 4:
        return end
    return -1 if nxt == "I" or nxt.startswith("I'") else end


def _mark_splits(prev: str, nxt: str, closers: bool) -> bool:
    """Decide ``?`` / ``!`` clusters: almost always a boundary, even before lower case."""
    core = prev.lstrip(_OPENERS)
    if core.lower() in EXCLAMATION_NAMES:
        return _is_starter(nxt)
    c0 = nxt[0]
    if c0.islower() or c0 in ",;:":
        return not closers and c0.isalpha()
    return True


def _prev_token(text: str, lo: int, pos: int) -> str:
    """The token that ends at ``pos`` (no whitespace inside), looking back no further than ``lo``."""
    return text[_token_start(text, lo, pos) : pos]


def _token_start(text: str, lo: int, pos: int) -> int:
    """Start of the token ending at ``pos``; only its last 80 characters count, which keeps the
    look-back constant however long a run of text without spaces gets (linear time)."""
    lo = max(lo, pos - 80)
    i = text.rfind(" ", lo, pos) + 1 or lo
    if "\n" in text[i:pos] or "\t" in text[i:pos]:
        i = max(text.rfind("\n", i, pos), text.rfind("\t", i, pos)) + 1
    return i


def _list_cuts(text: str, lo: int, hi: int) -> list[int]:
    """Starts of in-line enumeration items (``1) a 2) b``) when the chunk opens with item one.

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
    return cuts


def _trim_end(text: str, lo: int, end: int) -> int:
    while end > lo and text[end - 1].isspace():
        end -= 1
    return end


def _is_vocative(name: str, after: str) -> bool:
    """``Louise, There are ...`` opening a message: a bare name, then a typical sentence opener."""
    return name not in STARTERS and name not in DISCOURSE_WORDS and not name.endswith("ly") and _is_starter(after)


def _open(text: str, pos: int, hi: int, at_line_start: bool, out: list[tuple[int, int]]) -> int:
    """Split off salutations and closings at the start of a sentence; return where the sentence starts."""
    while pos < hi and text[pos].isalpha() and text.find(",", pos, pos + 48) > 0:
        m = _SALUTATION.match(text, pos, hi)
        if m is None:
            break
        if m.group("name") is not None:
            if not (at_line_start and _is_vocative(m.group("name"), m.group("after"))):
                break
        elif m.group("greet") is None and _is_starter(m.group("after")):
            break  # ``Thanks, I will`` goes on; ``Thanks, Martin`` is a signature
        out.append((pos, m.end("comma")))
        pos = m.end()
        at_line_start = False
    return pos


def _web_cuts(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Boundaries without punctuation around addresses and time stamps, as ``(end, next start)``.

    A URL or e-mail address with no final punctuation followed by a capitalised word or another
    address ends a sentence (forum signatures, link lists); so does a colon that introduces an
    address standing alone (``5 locations: http://...``), and a date-time stamp followed by a
    capitalised word (``01/24/2001 03:51 PM Per our conversation``, e-mail headers).
    """
    cuts: list[tuple[int, int]] = []
    done = lo
    for m in _WEB_ANCHOR.finditer(text, lo, hi):
        if m.start() < done:
            continue
        start = _token_start(text, lo, m.start())
        end = _TOKEN.match(text, m.start(), hi).end()
        done = end
        if text[m.start()] == ":" and text[m.start() + 1] != "/":
            stamp = _STAMP.search(text, max(lo, start - 11), min(hi, end + 6))
            if stamp is None or stamp.end() >= hi or not _NEXT.match(text, stamp.end(), hi):
                continue
            nxt = _NEXT.match(text, stamp.end(), hi).end()
            if _is_capitalised_word(text, nxt):
                cuts.append((stamp.end(), nxt))
                done = nxt
            continue
        if not _ADDRESS.match(text, start, end) or not (text[end - 1].isalnum() or text[end - 1] in "/>"):
            continue  # trailing punctuation: the full-stop rules decide
        colon = _trim_end(text, lo, start)
        if colon > lo + 1 and text[colon - 1] == ":" and text[colon - 2].isalnum() and "@" not in text[start:end]:
            cuts.append((colon, start))
        ws = _NEXT.match(text, end, hi)
        if ws is not None and (_ADDRESS.match(text, ws.end(), hi) or text[ws.end()].isupper()):
            cuts.append((end, ws.end()))
    return cuts


def _scan(text: str, lo: int, hi: int, web: bool, bullets: bool, out: list[tuple[int, int]]) -> None:
    """Append the sentences of the trimmed chunk ``text[lo:hi]`` (no paragraph break inside).

    Boundaries that need no decision (list items, bullets, addresses) cut the chunk into pieces
    first; the punctuation scan then runs on each piece.
    """
    cuts: list[tuple[int, int]] = []
    if text[lo] in "0123456789aA":
        cuts = [(_trim_end(text, lo, c), c) for c in _list_cuts(text, lo, hi)]
    if bullets:
        cuts += [(_trim_end(text, lo, m.start()), m.start()) for m in _BULLET.finditer(text, lo, hi)]
    if web:
        cuts += _web_cuts(text, lo, hi)
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


def _scan_piece(text: str, lo: int, hi: int, out: list[tuple[int, int]], at_line_start: bool) -> None:
    """Decide every punctuation candidate of ``text[lo:hi]`` in order and append the sentences."""
    seg = _open(text, lo, hi, at_line_start, out)
    for m in _TERM.finditer(text, lo, hi):
        start = m.start()
        if start < seg:
            continue
        nxt = m.group(2)
        end = m.end()
        resume = m.start(2)
        c0 = nxt[0]
        if not c0.isalnum() and c0 not in _OPENERS and not _ALNUM.search(nxt):
            # ``? ?``, ``:)``, ``--``: symbols after the mark stay with the sentence they follow,
            # which then ends after them if the word after them starts a new one.
            ws = _NEXT.match(text, resume + len(nxt), hi)
            if ws is None:
                continue
            end, resume = resume + len(nxt), ws.end()
            nxt = _TOKEN.match(text, resume, hi).group()
        cut = _decide(text, seg, start, m.end(), nxt)
        if cut < 0:
            continue
        if cut != m.end():  # ``compounds. . . . The``: the sentence ends at the first period
            end, resume = cut, cut + 1
        if end > seg:
            out.append((seg, end))
            if text[resume] == "(":
                resume = _aside(text, resume, hi, out)
            seg = _open(text, resume, hi, False, out)
    if seg < hi:
        out.append((seg, hi))


def _aside(text: str, pos: int, hi: int, out: list[tuple[int, int]]) -> int:
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
    ws = _NEXT.match(text, close + 1, hi)
    if ws is None or not _is_starter(_TOKEN.match(text, ws.end(), hi).group()):
        return pos
    out.append((pos, close + 1))
    return ws.end()


def _decide(text: str, seg: int, start: int, cluster_end: int, nxt: str) -> int:
    """Where the punctuation cluster ``text[start:cluster_end]`` ends a sentence, or -1."""
    punct_end = cluster_end
    while text[punct_end - 1] in _CLOSERS:
        punct_end -= 1
    closers = punct_end != cluster_end
    if punct_end - start == 1 and text[start] == ".":
        tok = _token_start(text, seg, start)
        first = tok == seg or (tok - seg < 8 and not text[seg:tok].strip(_BULLETS + " \t\n"))
        return cluster_end if _period_splits(text[tok:start], nxt, closers, first) else -1
    cluster = text[start:punct_end]
    if "?" in cluster or "!" in cluster or "‽" in cluster:
        return cluster_end if _mark_splits(_prev_token(text, seg, start), nxt, closers) else -1
    cut = _ellipsis_cut(text, start, punct_end, cluster, nxt, seg)
    return cluster_end if cut == punct_end else cut


def _is_capitalised_word(text: str, pos: int) -> bool:
    """``Please`` or ``The`` but not ``USA`` or ``A1``: a word a sentence could start with."""
    m = _WORD.match(text, pos)
    return m is not None and m.group(1)[0].isupper() and (len(m.group(1)) == 1 or m.group(1)[1:].islower())


def _paragraph(text: str, lo: int, hi: int, newline: str, flags: tuple[bool, bool], out: list) -> None:
    """Cut a paragraph into lines where a line break ends a sentence, then scan each piece.

    With ``newline="auto"`` a line break is a boundary (web text extracted from HTML puts
    headings, list items and signature lines on lines of their own) unless the next line starts
    in lower case (a break inside a sentence) or the whole paragraph looks hard-wrapped.
    """
    i = text.find("\n", lo, hi)
    if i < 0 or newline == "never":
        _scan(text, lo, hi, *flags, out)
        return
    lines = []  # (start, trimmed end) of each line
    start = lo
    while i >= 0:
        lines.append((start, _trim_end(text, start, i)))
        start = i + 1
        while text[start].isspace():
            start += 1
        i = text.find("\n", start, hi)
    lines.append((start, hi))
    if newline == "auto" and _hard_wrapped(lines):
        _scan(text, lo, hi, *flags, out)
        return
    chunk = lo
    for (_, end), (nxt, _) in itertools.pairwise(lines):
        if newline == "always" or not text[nxt].islower():
            _scan(text, chunk, end, *flags, out)
            chunk = nxt
    _scan(text, chunk, hi, *flags, out)


def _hard_wrapped(lines: list[tuple[int, int]]) -> bool:
    """Prose wrapped at a fixed width (plain-text e-mail, Gutenberg): every line but the last
    fills most of the width, and the width is that of a text column, not of a list of names."""
    if len(lines) < 3:
        return False
    widths = [end - start for start, end in lines[:-1]]
    width = max(widths)
    return width >= 50 and sum(w >= 0.7 * width for w in widths) >= 0.8 * len(widths)


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Trimmed ``[start, end)`` of the paragraphs of ``text`` (separated by blank lines)."""
    n = len(text)
    lo = 0
    while lo < n and text[lo].isspace():
        lo += 1
    hi = _trim_end(text, lo, n)
    if lo >= hi:
        return []
    out = []
    for m in _BLANK.finditer(text, lo, hi):
        out.append((lo, _trim_end(text, lo, m.start())))
        lo = m.end()
    out.append((lo, hi))
    return out


def split_sentences(text: str, *, newline: str = "auto") -> list[tuple[int, int]]:
    """Sentence spans ``[start, end)`` of ``text``: trimmed, in order, covering all non-space text.

    ``newline`` says what a single line break inside a paragraph means: ``"always"`` a boundary,
    ``"never"`` a space, ``"auto"`` a boundary unless the next line starts in lower case or the
    paragraph looks hard-wrapped (see ``_paragraph``). A blank line always ends a sentence.
    """
    out: list[tuple[int, int]] = []
    paragraphs = paragraph_spans(text)
    if paragraphs:
        flags = (_WEB_ANCHOR.search(text) is not None, any(b in text for b in _BULLETS))
        for lo, hi in paragraphs:
            _paragraph(text, lo, hi, newline, flags, out)
    return out
