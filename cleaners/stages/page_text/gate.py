"""When may ``select_main_text`` act on a text in ``mode: auto``? Only when the text is unmistakably a whole page.

In a chain for extracted article text the stage sees mostly articles, and an article cut by
mistake is the worst thing this project can do, so the gate is built to stay shut on any
article, however page-like, and to open only on the one shape no article has: **menus**, i.e.
runs of consecutive navigation lines, both above AND below the region the model picked.

A navigation line is very short (``gate_nav_words`` units or fewer), holds no digit and does not
end like a sentence: "Home", "World", "Sign in", "Privacy Policy", "Terms of Use". A run is
``gate_nav_run`` or more of them in a row. Those three conditions are what separates a menu from
the short lines articles are made of:

* market reports, price lists, schedules, sports results and tables alternate labels with
  numbers, so their short lines come with digits and no run of label-only lines forms;
* recipes list quantities ("2 lemons", "500 g potatoes");
* Q&A pages end their short lines with a question mark;
* a key-points box or a list of teasers has lines of four words and more.

Two kinds of article text are made of short, digit-free, unended lines all the same, and are
told apart by what a menu label never carries (indentation is gone by the time the gate looks,
so the cue is in the line's own characters):

* **code** (a tutorial's SQL, Python, JSON or HTML blocks): brackets left open or closing a
  line, a call ``f(``, ``=``, ``;``, braces, backticks, tags, ``snake_case`` names, quoted JSON
  keys, box-drawing of a query's printed output; a comma, a backslash or a spaced operator at
  the end. A keyword-only line ("FROM", "else:", "orders") has no such mark, but it sits within
  ``CODE_REACH`` lines of one that has, or in a short run between two of them, so it is code too;
* **hard-wrapped prose** (plain-text memos, RFC-like documents, mail wrapped at ~72 columns):
  a continuation line starts in lower case right after a long line that does not end a
  sentence. A menu item follows another short label, never half a sentence.

Menu labels carry none of those marks ("Google+", "News & Events", "Log in / Register", "« Back"):
on the 91 dev pages 59 of 7,149 menu lines stop counting, mostly template placeholders in braces
and their neighbours, and the gate opens on the same 69 pages as before.

An extractor's output can carry a share row or a reading list at one end, but not a menu at
both. Measured (``benchmarks/eval_textmode.py --readability``, ``--config configs/news-text.yaml``):
the gate opens on none of the 130 trafilatura outputs of Mozilla Readability's test pages
(unseen: never used to build it; before the code and wrap cues it opened on 2, a SQL tutorial
and a hard-wrapped Internet-Draft, and cut 60,718 characters, ~90 % of each), none of 44
newslines articles, 91 news_dev texts, 326 horne2017 texts, 91 trafilatura outputs of the dev
pages and the short-line, code and hard-wrapped articles of the unit tests, and on 69 of the 91
dev pages; the shape-only gate before it opened on 6 of 7 short-line articles and kept ~3 lines
of each.
"""

from __future__ import annotations

import re

import numpy as np
import regex

from boilerclean.cleaners.stages.page_text.features import SENT_END, in_runs

# marks of code that no menu label carries: braces, statement ends, assignment, backticks, box-drawing
# (a query's printed output), a call "f(", snake_case, a markup tag; a quoted JSON key opens the line
_CODE = re.compile(r"[{};=`\u2500-\u257f]|\w\(|[^\W\d_]_\w|<[/!]?[A-Za-z][\w:-]*(?:[\s>]|$)")
_JSON_KEY = re.compile(r'"[^"\s]+"\s*:')
_DIGIT = re.compile(r"\d")
_LOWER_START = regex.compile(r"[\p{Ps}\p{Pi}\"']?\p{Ll}")
CODE_REACH = 2  # a keyword line within this many lines of a marked code line is part of that block ...
CODE_BLOCK = 8  # ... and so is a run of up to this many keyword lines between two code lines
WRAP_CHARS = 40  # a hard-wrapped line before a continuation is at least this long (wraps sit at ~60-80)


def is_code(line: str) -> bool:
    """Marked as code by its own characters, or by a bracket left open at its end or closed at its start.

    A sentence is not code: prose may hold a ';' or an '='.
    """
    marked = line.endswith(("(", "[")) or line.startswith((")", "]")) or _CODE.search(line) or _JSON_KEY.match(line)
    return bool(marked) and not SENT_END.search(line)


def goes_on(line: str) -> bool:
    """Ends on a comma, a backslash or a spaced operator, so the next line continues it: no menu label does.

    Weaker than :func:`is_code` (a truncated teaser ends on a comma too), so it marks the line alone.
    """
    return line.endswith((",", "\\")) or (len(line) > 1 and line[-2].isspace() and line[-1] in "-+*/&|<%")


def is_continuation(previous: str, line: str) -> bool:
    """The rest of a hard-wrapped sentence: a lower-case start after a long line that does not end one."""
    return len(previous) >= WRAP_CHARS and bool(_LOWER_START.match(line)) and not SENT_END.search(previous)


def maybe_label(line: str) -> bool:
    """False for a line that cannot be a navigation line whatever its length (a digit, a sentence end): its
    words need not be counted. The gate's first look runs on every text; most of their lines end a sentence.
    Only the last characters are searched: a sentence end found there is one of the whole line."""
    return not (_DIGIT.search(line) or SENT_END.search(line, max(len(line) - 16, 0)))


def nav_lines(lines: list[str], units: np.ndarray, max_words: float) -> np.ndarray:
    """Boolean per line: a navigation line - short, digit-free, not ending like a sentence, neither a hard-wrapped
    continuation nor code: not within ``CODE_REACH`` lines of a marked code line, nor in a run of at most
    ``CODE_BLOCK`` such lines with code (or a line that goes on) right above and right below it.

    Lines are non-blank and stripped. The character tests run only on and around short lines: most lines of
    an article are long, and this check runs on every text that reaches the gate.
    """
    n = len(lines)
    code: dict[int, bool] = {}

    def marked(j: int) -> bool:
        if j not in code:
            code[j] = is_code(lines[j])
        return code[j]

    labels = [
        i
        for i in np.flatnonzero(np.asarray(units) <= max_words).tolist()
        if not (_DIGIT.search(lines[i]) or SENT_END.search(lines[i]) or goes_on(lines[i]))
        and not (i and is_continuation(lines[i - 1], lines[i]))
    ]
    nav = np.zeros(n, dtype=bool)
    for run in np.split(np.array(labels, dtype=int), np.flatnonzero(np.diff(labels) > 1) + 1):
        if not len(run):
            continue
        above, below = int(run[0]) - 1, int(run[-1]) + 1
        inside = len(run) <= CODE_BLOCK and above >= 0 and below < n
        if inside and (marked(above) or goes_on(lines[above])) and (marked(below) or goes_on(lines[below])):
            continue  # keyword lines inside a code block
        for i in run.tolist():
            nav[i] = not any(marked(j) for j in range(max(i - CODE_REACH, 0), min(i + CODE_REACH + 1, n)))
    return nav


def menu_lines(lines: list[str], units: np.ndarray, max_words: float, min_run: int) -> np.ndarray:
    """Boolean per line: a navigation line in a run of at least ``min_run`` of them (a menu, a link row)."""
    return in_runs(nav_lines(lines, units, max_words), min_run)


def menus_around(
    lines: list[str], units: np.ndarray, mask: np.ndarray, max_words: float, min_run: int
) -> tuple[int, int]:
    """Menu lines (navigation lines in runs) above and below the kept region.

    With nothing kept there is no region to be flanked: (0, 0), and the gate stays shut.
    """
    kept = np.flatnonzero(mask)
    if not len(kept):
        return 0, 0
    menu = menu_lines(lines, units, max_words, min_run)
    return int(menu[: kept[0]].sum()), int(menu[kept[-1] + 1 :].sum())
