"""Sentence boundaries of letters and e-mail: salutations, closings, addresses, header time stamps.

Mail and forum text carries structure in words, not punctuation: ``Hi Jane, Please find``,
``Thanks, Martin``, ``Kay Mann 04/26/2001 07:17 AM Will you``, ``Email: "Jo"<jo@x.org> Groups:``.
The scans here find those boundaries; they run only on documents that contain an address or a
clock time (``web_finder`` finds those once per document).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from boilerclean.cleaners.stages.sentences.tokens import (
    NEXT,
    TOKEN,
    WORD,
    in_chunk,
    is_capitalised_word,
    is_starter,
    occurrences,
    token_start,
    trim_end,
)
from boilerclean.cleaners.stages.sentences.words import (
    BARE_GREETINGS,
    CLOSINGS,
    DISCOURSE_WORDS,
    GREETINGS,
    STARTERS,
)

_COLON_ANCHOR = re.compile(r":(?://|\d\d)")  # a URL's scheme or a clock time
_ADDRESS = re.compile(r"[<(\[\"]?(?:https?://|www\.|[\w.+-]+@)")
# A date and a clock time with AM/PM or seconds: ``01/24/2001 03:51 PM``, ``04/25/01 12:42:55``.
_STAMP = re.compile(r"\d{1,2}/\d{1,2}/\d{2,4},? \d{1,2}:\d\d(?::\d\d(?: ?[AaPp]\.?[Mm]\b\.?)?| ?[AaPp]\.?[Mm]\b\.?)")
# A letter's salutation or closing standing before the next sentence, at the start of a sentence:
# ``Best regards, Al``, ``Hi Jane, Please``, ``Louise, There are``.
_SALUTATION = re.compile(
    r"(?:(?i:" + "|".join(sorted((re.escape(c) for c in CLOSINGS), key=len, reverse=True)) + r")"
    r"|(?P<greet>(?i:" + "|".join(GREETINGS) + r"))(?P<named>(?: [A-Z][\w.'-]*){1,3})?"
    r"|(?P<name>[A-Z][a-z]+))"
    r"(?P<comma>,)[^\S\n]+(?=(?P<after>[A-Z]\S*))"
)

Cuts = list[tuple[int, int]]
Finder = Callable[[str, int, int], Cuts]


def _is_vocative(name: str, after: str) -> bool:
    """``Louise, There are ...`` opening a message: a bare name, then a typical sentence opener."""
    return name not in STARTERS and name not in DISCOURSE_WORDS and not name.endswith("ly") and is_starter(after)


def open_sentence(text: str, pos: int, hi: int, at_line_start: bool, out: Cuts) -> int:
    """Split off salutations and closings at the start of a sentence; return where the sentence starts."""
    while pos < hi and text[pos].isalpha() and text.find(",", pos, pos + 48) > 0:
        m = _SALUTATION.match(text, pos, hi)
        if m is None:
            break
        if m.group("name") is not None:
            if not (at_line_start and _is_vocative(m.group("name"), m.group("after"))):
                break
        elif m.group("greet") is not None and m.group("named") is None:
            if m.group("greet").lower() not in BARE_GREETINGS or not is_starter(m.group("after")):
                break  # ``Hi, Yes we can`` splits; ``Good, I will`` is a sentence of its own
        elif m.group("greet") is None and is_starter(m.group("after")):
            break  # ``Thanks, I will`` goes on; ``Thanks, Martin`` is a signature
        out.append((pos, m.end("comma")))
        pos = m.end()
        at_line_start = False
    return pos


def _signed(text: str, lo: int, pos: int) -> bool:
    """Whether a name or an address stands right before ``pos`` with no punctuation: a mail header's sender."""
    before = trim_end(text, lo, pos)
    if before in (lo, pos):
        return False
    token = text[token_start(text, lo, before) : before]
    if "@" in token or token.endswith(">"):
        return True
    m = WORD.match(token)
    return m is not None and m.end() == len(token) and m.group(1)[0].isupper()


def _stamp_cuts(text: str, lo: int, hi: int, start: int, end: int, cuts: Cuts) -> int:
    """Cuts around a date-time stamp near ``text[start:end]``; returns where scanning may resume.

    After a sender (``Kay Mann 04/26/2001 07:17 AM Will you``) the stamp is a header line of its
    own: cut before it, and after it before any word. Elsewhere only a capitalised word after it
    starts a new sentence (``on 01/24/2001 03:51 PM Per our conversation``).
    """
    stamp = _STAMP.search(text, max(lo, start - 11), min(hi, end + 6))
    if stamp is None:
        return end
    header = _signed(text, lo, stamp.start())
    if header:
        cuts.append((trim_end(text, lo, stamp.start()), stamp.start()))
    ws = NEXT.match(text, stamp.end(), hi) if stamp.end() < hi else None
    if ws is None:
        return stamp.end()
    if is_capitalised_word(text, ws.end()) or (header and text[ws.end()].isalpha()):
        cuts.append((stamp.end(), ws.end()))
        return ws.end()
    return stamp.end()


def web_finder(text: str) -> Finder | None:
    """``web_cuts`` for this document, or None when it has no address or clock time.

    The anchors (``@``, ``www.``, ``://``, ``:12``) are found once per document, each by a scan
    that runs at memory speed, and looked up per chunk.
    """
    anchors = sorted([m.start() for m in _COLON_ANCHOR.finditer(text)] + occurrences(text, ("@", "www.")))
    if not anchors:
        return None

    def find(text: str, lo: int, hi: int) -> Cuts:
        here = in_chunk(anchors, lo, hi)
        return web_cuts(text, lo, hi, here) if here else []

    return find


def web_cuts(text: str, lo: int, hi: int, anchors: list[int]) -> Cuts:
    """Boundaries without punctuation around addresses and time stamps, as ``(end, next start)``.

    ``anchors`` are the positions of ``@``, ``www.`` and ``:`` (of a URL or a clock time) in the
    chunk ``text[lo:hi]``. A URL or e-mail address with no final punctuation followed by a
    capitalised word or another address ends a sentence (forum signatures, link lists,
    ``"Jo"<jo@x.org> Groups:``); so does a colon that introduces an address standing alone
    (``5 locations: http://...``), and a mail header's date-time stamp (``_stamp_cuts``).
    """
    cuts: Cuts = []
    done = lo
    for at in anchors:
        if at < done:
            continue
        start = token_start(text, lo, at)
        end = TOKEN.match(text, at, hi).end()
        done = end
        if text[at] == ":" and text[at + 1] != "/":
            done = _stamp_cuts(text, lo, hi, start, end, cuts)
            continue
        angle = text.rfind("<", start, at)  # ``"Jo Lee"<jo@x.org>``: the address starts at ``<``
        if not _ADDRESS.match(text, angle if angle >= 0 else start, end):
            continue
        if not (text[end - 1].isalnum() or text[end - 1] in "/>"):
            continue  # trailing punctuation: the full-stop rules decide
        colon = trim_end(text, lo, start)
        if colon > lo + 1 and text[colon - 1] == ":" and text[colon - 2].isalnum() and "@" not in text[start:end]:
            cuts.append((colon, start))
        ws = NEXT.match(text, end, hi)
        if ws is not None and (_ADDRESS.match(text, ws.end(), hi) or text[ws.end()].isupper()):
            cuts.append((end, ws.end()))
    return cuts
