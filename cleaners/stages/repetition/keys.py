"""The forms under which two lines count as the same, and the part of a site a document comes from.

Three keys per line, all 64-bit hashes so that counts travel between workers as numbers:

* the **exact** form (``normalise_line``): case, digit runs, spacing and edge punctuation ignored,
  so "Posted on 3 May 2017" and "Posted on 12 June 2018" are one line;
* the **template** (``line_template``): names masked too. A run of capitalised words, a URL, an
  e-mail address or a handle becomes a slot, so "(c) 2019 Example Media" and "(c) 2021 Other
  Press", or "Jane Roe is a staff writer at Example News" and "John Poe is a staff writer at Other
  Daily", share a key. A template is only formed for short lines that keep at least two literal
  tokens besides their slots: "The Road Ahead" (all slots) or "Early Life" never becomes one,
  so two different subheadings cannot meet under a template;
* the **section** of the document (``url_section``): the first path segment of its URL that is
  neither a number nor the page itself ("/opinion/2019/05/slug" -> "opinion", "/@alice/slug" ->
  "@alice"). Blog platforms and syndication hubs keep one author or feed per section; news
  sites keep their opinion desk or sport pages there, with lines of their own.

Only counts of the form are kept, never the text, so the keys must be stable across processes
(blake2b, not Python's salted ``hash``).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import regex

_DIGITS = re.compile(r"\d+")  # the stdlib engine: the same Unicode digits, and faster on long lines
_EDGE = regex.compile(r"^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$")
_LETTER = regex.compile(r"\p{L}")
# one token per match: slots first (URL, e-mail, handle, capitalised word, number), then literals
_TOKEN = regex.compile(
    r"(?P<url>(?:https?://|www\.)\S+)"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<handle>@\w+)"
    r"|(?P<name>[\p{Lu}\p{Lt}][\p{L}\p{M}\p{N}'’.\-]*)"
    r"|(?P<num>\d[\d.,:/\-]*)"
    r"|(?P<word>[\p{L}\p{M}\p{N}_'’\-]+)"
    r"|(?P<sym>[^\s\w])"
)
# slots are control characters: never in a normalised line, never trimmed as edge punctuation
_SLOTS = {"url": "\x02", "email": "\x03", "handle": "\x04", "name": "\x05", "num": "0"}
_MARKS = regex.compile(r"[\p{So}|]")  # ©, ®, ™, a pipe: literal anchors of a credit or a link row


def normalise_line(line: str) -> str:
    """The exact form: case, digits, spacing, edge punctuation ignored.

    Every line of every document goes through this twice (observe, apply), so it avoids regex
    passes over whole paragraphs: ``str.split`` collapses the spacing, and the edges are trimmed
    by walking in from both ends (``_EDGE`` on a long line tries a match at every position).
    """
    s = " ".join(_DIGITS.sub("0", line.casefold()).split())
    i, j = 0, len(s)
    while i < j and _edge_char(s[i]):
        i += 1
    while j > i and _edge_char(s[j - 1]):
        j -= 1
    return s[i:j]


def _edge_char(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch)[0] in "PS"


def countable(norm: str, max_chars: int) -> bool:
    """Lines worth counting: some letters (a lone "0" or "---" is layout) and not a whole article."""
    return bool(norm) and len(norm) <= max_chars and _LETTER.search(norm) is not None


def line_template(line: str, max_words: int) -> str | None:
    """The line with names, numbers, URLs and handles as slots; None when that would say too little.

    A template needs a name slot (else the exact form already covers it), at most ``max_words``
    words and ``16 * max_words`` characters (longer lines are prose, whose shape two articles may
    share by chance) and at least
    two literal anchors: words, numbers, URLs/handles, or a mark such as ©. A capitalised first
    word is the sentence's, not a name, unless a capitalised word follows ("Posted by X" keeps
    "posted"; "Jane Roe is ..." masks "Jane Roe"; "The Road Ahead" is all slot, so no template).
    """
    if len(line) > 16 * max_words:  # a cheap bound first: most lines are paragraphs, far too long to tokenise
        return None
    tokens = [(m.lastgroup, m.group()) for m in _TOKEN.finditer(line)]
    n_words = sum(1 for kind, _ in tokens if kind != "sym")
    if n_words > max_words:
        return None
    parts: list[str] = []
    names = literals = 0
    first = next((i for i, (kind, _) in enumerate(tokens) if kind != "sym"), None)
    for i, (kind, text) in enumerate(tokens):
        if kind == "name" and i == first and (i + 1 >= len(tokens) or tokens[i + 1][0] != "name"):
            kind = "word"
        if kind == "sym":
            parts.append(text)
            literals += _MARKS.match(text) is not None
        elif kind == "word":
            parts.append(text.casefold())
            literals += 1
        elif kind == "name":
            if parts[-1:] != [_SLOTS["name"]]:  # a run of names is one slot: "Example Media Group"
                parts.append(_SLOTS["name"])
                names += 1
        else:
            parts.append(_SLOTS[kind])
            literals += 1
    if not names or literals < 2:
        return None
    return "\x01" + _EDGE.sub("", " ".join(parts))


def line_hash(key: str) -> int:
    """A stable 64-bit hash (Python's ``hash`` is salted per process, so workers would disagree)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def url_section(url: str | None) -> str:
    """The first path segment that is neither a number nor the page itself; "" when there is none."""
    if not url:
        return ""
    path = url.split("://", 1)[-1].split("?", 1)[0].split("#", 1)[0]
    segments = [s for s in path.split("/")[1:] if s]
    for seg in segments[:-1]:  # the last segment names the page (slug, file, id)
        if not seg.isdigit():
            return seg.lower()
    return ""
