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
  A heading that sits right after a widget's removed lines (a newsletter box, a share row) announces nothing:
  it is the next widget's title ("Join our free contest"), and it goes with the run.
  A kicker line ("Design Week 2024 | A lamp made of paper": a label, one pipe, a headline) is a teaser item too.
* ``lead_teasers`` - a run of 3+ title-cased headlines (5-25 words, no sentence end) right above the first
  paragraph: a related-stories strip kept over the article. An article opens with a headline and a dek.
* ``widget_island`` - a line (at most 30 words) whose nearest lines above and below were both removed by
  rules of one widget family: the text inside the widget (a newsletter box's pitch between its name and its
  "Thanks for signing up!", an author's name between "By" and the date, a label inside a second rendering of
  the page). The removed lines around it must be a block (3 at least). Families whose removals are single
  lines scattered through real text (ad labels, links, captions, layout marks, comments) never make an
  island: an article's paragraph between two "Advertisement" lines stays.
* ``comment_thread`` - what follows a comment counter (a comment-family line with a number: "12 comments",
  "3 responses", "7 Kommentare") in the second half of the text: the readers' comments. A counter in the
  first half is a byline widget and takes nothing along.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Mapping

import regex

from boilerclean.cleaners.stages.artifacts.shape import terminal, title_cased

_WORD = regex.compile(r"\w+")
_LIST_ITEM = regex.compile(r"^(?:[-–—•*·▪►]|\d{1,2}[.)])\s+(?=\S)")
_KICKER = regex.compile(r"^[^|\s][^|]{1,40}?\s\|\s+(?=\S)")  # "Design Week 2024 | A lamp of paper"
_ELLIPSIS = ("...", "…")
_COPY_MIN_WORDS = 4
_OPENERS = "\"'“‘«(["
_SENTENCE_END = regex.compile(r"[.!?…][\"'”’)\]»]*$")
_CODE_MARKS = regex.compile(r"[/:;=$(){}\[\]<>\\]")
_PROSE_MIN_WORDS = 8
_NUMBER = regex.compile(r"\d+")
_TRUNCATED_MIN_CHARS = 20
TEASER_MIN_RUN = 3
_TEASER_TAIL = 2
_WIDGET_LINE_MAX_WORDS = 30
_ISLAND_MIN_BLOCK = 3
BLOCK_RULES = ("repeated_in_doc", "truncated_copy", "teaser_run", "lead_teasers", "widget_island", "comment_thread")
# families whose removed lines come in a widget's block: a live line between two of them belongs to the widget
WIDGET_FAMILIES = frozenset(
    {"subscribe", "share", "navigation", "byline", "promo", "embed", "repetition", "copyright", "read_more", "bio"}
    | {"contact", "republication", "poll", "source"}
)


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
    m = _LIST_ITEM.match(s) or _KICKER.match(s)
    if m is None or (m.re is _KICKER and "|" in s[m.end() :]):
        return False  # a kicker teaser has one pipe; more make a table row or a metadata line
    rest = s[m.end() :]
    words = len(_WORD.findall(rest))
    head = rest.lstrip(_OPENERS)[:1]
    kicker = m.re is _KICKER  # after a kicker the headline may start in lower case ("Paris | a new museum")
    return 4 <= words <= 40 and (kicker or head.isupper() or head.isdigit()) and not rest.endswith(":")


def teaser_run(lines: list[str], live: list[int], removed: Mapping[int, str] | None = None) -> list[int]:
    """The lines of a trailing run of headline-shaped list items that nothing announces (see module doc).
    ``removed``: the family of each removed line."""
    n = len(live)
    end = n
    while end > 0 and n - end <= _TEASER_TAIL and not _teaser_item(lines[live[end - 1]].strip()):
        end -= 1
    start = end
    while start > 0 and _teaser_item(lines[live[start - 1]].strip()):
        start -= 1
    run = live[start:end]
    if len(run) < TEASER_MIN_RUN or start == 0:
        return []
    if 3 * sum(terminal(lines[i].strip()) for i in run) > len(run):
        return []  # a list of sentences is the article's own list
    heading = live[start - 1]
    before = lines[heading].strip()
    if _LIST_ITEM.match(before):
        return []  # the tail of a longer list whose first items are no headlines: the article's list
    if not terminal(before) or before.endswith((":", "：")):
        above = _nearest(lines, heading, -1)
        widget = removed is not None and above is not None and removed.get(above) in WIDGET_FAMILIES
        if not widget or len(_WORD.findall(before)) > _WIDGET_LINE_MAX_WORDS:
            return []  # a heading or an introduction announces the list: it is the article's
        run = [heading, *run]  # the title of the next widget, after the last one's removed lines
        start -= 1
    chars = [len(lines[i]) for i in live]
    if sum(chars[:start]) < sum(chars) / 2:
        return []
    return run


def lead_teasers(lines: list[str], live: list[int], is_body) -> list[int]:
    """The run of 3+ title-cased headlines (5-25 words, no sentence end, few numbers) right above the first
    paragraph (8+ words), with a short label when that is all above it: a related-stories strip the extractor
    kept over the article. The article's own opening is a headline and a dek (two lines), or a list of
    sentences; a table of contents has short lines; a score table has numbers."""
    first = next((k for k, i in enumerate(live) if _opening(lines[i].strip())), None)
    if first is None or first < TEASER_MIN_RUN:
        return []
    run = []
    for i in reversed(live[:first]):
        s = lines[i].strip()
        words = _WORD.findall(s)
        if terminal(s) or not 5 <= len(words) <= 25 or not title_cased(s):
            break
        if 4 * sum(w.isdigit() for w in words) > len(words):
            break  # a score line or a table row ("Harbour 14 11 6 15 - 46")
        run.append(i)
    if len(run) < TEASER_MIN_RUN:
        return []
    bodies = (k for k, i in enumerate(live[first:]) if is_body(lines[i]))
    if next(itertools.islice(bodies, TEASER_MIN_RUN - 1, None), None) is None:
        return []  # not an article under the strip
    above = live[: first - len(run)]  # the run ends right above the first paragraph
    if len(above) == 1 and not terminal(lines[above[0]].strip()) and len(_WORD.findall(lines[above[0]])) <= 4:
        run.append(above[0])  # the strip's own label ("Election 2024") opens the text
    return sorted(run)


def _opening(s: str) -> bool:
    """The article's first paragraph: a sentence of 8+ words."""
    return terminal(s) and not s.endswith((":", "：")) and len(_WORD.findall(s)) >= _PROSE_MIN_WORDS


def widget_islands(lines: list[str], live: list[int], removed: Mapping[int, str]) -> list[tuple[int, str]]:
    """(line, family) of each live line whose nearest non-blank lines on both sides were removed by rules of one
    widget family (see module doc). ``removed``: the family of each removed line."""
    out = []
    alive = set(live)
    family_of = removed.get
    # only a line right under a widget's removed line can be an island: no need to look at every line
    under = (_nearest(lines, r, 1) for r, family in removed.items() if family in WIDGET_FAMILIES)
    for i in sorted({j for j in under if j in alive}):
        above = _nearest(lines, i, -1)
        below = _nearest(lines, i, 1)
        if below is None or below in alive:
            continue
        family = family_of(above)
        if family not in WIDGET_FAMILIES or family_of(below) != family:
            continue
        if len(_WORD.findall(lines[i])) > _WIDGET_LINE_MAX_WORDS:
            continue
        # one removed line on each side may be a paragraph's own neighbours (a repeated paragraph around a
        # heading); a widget is a block
        if _removed_run(lines, alive, above, -1) + _removed_run(lines, alive, below, 1) >= _ISLAND_MIN_BLOCK:
            out.append((i, family))
    return out


def _nearest(lines: list[str], i: int, step: int) -> int | None:
    """The nearest non-blank line from line ``i`` in direction ``step``, None at the text's edge."""
    j = i + step
    while 0 <= j < len(lines) and not lines[j].strip():
        j += step
    return j if 0 <= j < len(lines) else None


def _removed_run(lines: list[str], alive: set[int], start: int, step: int) -> int:
    """How many removed non-blank lines follow one another from ``start`` in direction ``step``."""
    k, j = 0, start
    while 0 <= j < len(lines) and j not in alive:
        k += bool(lines[j].strip())
        j += step
    return k


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
