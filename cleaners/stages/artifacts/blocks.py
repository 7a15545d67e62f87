"""Structural cues over blocks of lines: what an extractor leaves around an article that no phrase gives away.

Each cue is a rule id like a pack rule's (``disable`` switches it off) and looks at the live lines only:

* ``repeated_in_doc`` - a later copy of a line of the same document (4+ words): page metadata, a summary
  and a second rendering of the body often follow the article in extractor output. Text is never lost:
  the first copy stays. A short label ("Yes", "Cornerback") may repeat in real text, a sentence seldom does;
  a table row ("| Pos | Player |") is left alone, as each table of a text has its header, and so is code,
  a command's output or a protocol line, which tutorials and specifications repeat on purpose (``copyable``).
* ``truncated_copy`` - a line cut short with an ellipsis whose start is another line of the document ("The
  council voted to..."): a teaser of a paragraph that is there in full.
* ``teaser_run`` - a run of 3+ list items after the article, shaped like headlines (capital start, 4-40
  words, hardly any ending like a sentence) and announced by nothing: a list the text introduces ends its
  introduction with a colon or sits under a heading, a related-stories widget follows the last paragraph
  directly. At most ``_TEASER_TAIL`` lines may follow it (an editor's note, a sign-off), and it must lie
  in the second half of the text.
* ``comment_thread`` - what follows a comment counter (a comment-family line with a number: "12 comments",
  "3 responses", "7 Kommentare") in the second half of the text: the readers' comments. A counter in the
  first half is a byline widget and takes nothing along.
"""

from __future__ import annotations

import collections

import regex

from boilerclean.cleaners.stages.artifacts.shape import terminal

_WORD = regex.compile(r"\w+")
_LIST_ITEM = regex.compile(r"^(?:[-–—•*·▪►]|\d{1,2}[.)])\s+(?=\S)")
_ELLIPSIS = ("...", "…")
_COPY_MIN_WORDS = 4
_OPENERS = "\"'“‘«(["
_SENTENCE_END = regex.compile(r"[.!?…][\"'”’)\]»]*$")
_CODE_MARKS = regex.compile(r"[/:;=$(){}\[\]<>\\]")
_PROSE_MIN_WORDS = 8
_NUMBER = regex.compile(r"\d+")
_TRUNCATED_MIN_CHARS = 20
_TEASER_MIN_RUN = 3
_TEASER_TAIL = 2
BLOCK_RULES = ("repeated_in_doc", "truncated_copy", "teaser_run", "comment_thread")


def copy_key(line: str) -> str:
    """Case and spacing do not make a line another line."""
    return " ".join(line.split()).casefold()


def later_copies(lines: list[str], live: list[int]) -> list[int]:
    """The live lines (4+ words) that repeat an earlier live line of the document."""
    keys = [(i, copy_key(lines[i])) for i in live]
    counts = collections.Counter(key for _, key in keys)
    seen: set[str] = set()
    out = []
    for i, key in keys:
        if counts[key] < 2:
            continue  # no copy anywhere: counting its words was most of this cue's cost
        if key.startswith("|"):
            continue  # a table row: every table of the text has its header
        if key in seen:
            if copyable(lines[i]):
                out.append(i)
        elif len(_WORD.findall(key)) >= _COPY_MIN_WORDS:
            seen.add(key)
    return out


def copyable(line: str) -> bool:
    """A line whose copy may be a page's second rendering: prose or a headline. Not code, a command, its output
    or a protocol line, which a tutorial or a specification shows again on purpose ("HTTP/1.1 200 OK",
    "added 1 changesets", "SELECT * FROM t;"): such a line starts in lower case or with a digit or a symbol, or
    holds a mark of code, unless it is a sentence of some length (prose has colons and brackets too)."""
    s = line.strip().lstrip(_OPENERS)
    if not s or s[0].islower() or not (s[0].isalpha() or (s[0].isdigit() and len(_NUMBER.findall(s)) == 1)):
        return False  # a number may open a headline ("10 things to know today"), not a line of figures
    if _SENTENCE_END.search(s) and len(_WORD.findall(s)) >= _PROSE_MIN_WORDS:
        return True
    return _CODE_MARKS.search(s) is None


def truncated_copies(lines: list[str], live: list[int]) -> list[int]:
    """The live lines that end in an ellipsis and whose start (20+ characters) begins a longer live line."""
    stems = []
    for i in live:
        s = lines[i].strip()
        if s.endswith(_ELLIPSIS):
            stem = copy_key(s.rstrip(".… "))
            if len(stem) >= _TRUNCATED_MIN_CHARS:
                stems.append((i, stem))
    if not stems:
        return []
    keys = [(j, copy_key(lines[j])) for j in live]
    return [
        i for i, stem in stems if any(j != i and k.startswith(stem) and _WORD.search(k, len(stem)) for j, k in keys)
    ]


def _teaser_item(s: str) -> bool:
    m = _LIST_ITEM.match(s)
    if m is None:
        return False
    rest = s[m.end() :]
    words = len(_WORD.findall(rest))
    return 4 <= words <= 40 and (rest[:1].isupper() or rest[:1].isdigit()) and not rest.endswith(":")


def teaser_run(lines: list[str], live: list[int]) -> list[int]:
    """The lines of a trailing run of headline-shaped list items that nothing announces (see module doc)."""
    n = len(live)
    end = n
    while end > 0 and n - end <= _TEASER_TAIL and not _teaser_item(lines[live[end - 1]].strip()):
        end -= 1
    start = end
    while start > 0 and _teaser_item(lines[live[start - 1]].strip()):
        start -= 1
    run = live[start:end]
    if len(run) < _TEASER_MIN_RUN or start == 0:
        return []
    if 3 * sum(terminal(lines[i].strip()) for i in run) > len(run):
        return []  # a list of sentences is the article's own list
    before = lines[live[start - 1]].strip()
    if not terminal(before) or before.endswith((":", "：")):
        return []  # a heading or an introduction announces the list: it is the article's
    chars = [len(lines[i]) for i in live]
    if sum(chars[:start]) < sum(chars) / 2:
        return []
    return run


def comment_thread(lines: list[str], live: list[int], removed_counters: list[int]) -> list[int]:
    """The live lines after the first comment counter that lies in the second half of the text."""
    if not removed_counters:
        return []
    total = sum(len(lines[i]) for i in live) + sum(len(lines[i]) for i in removed_counters)
    for c in sorted(removed_counters):
        before = sum(len(lines[i]) for i in live if i < c)
        if before >= total / 2:
            return [i for i in live if i > c]
    return []


def is_counter(line: str) -> bool:
    """A comment-family line that counts ("12 comments", "Comments (3)", "7 Kommentare", "댓글 3"): the header
    of a thread, not a prompt to write one."""
    s = line.strip()
    return any(c.isdigit() for c in s) and len(_WORD.findall(s)) <= 5
