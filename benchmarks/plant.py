"""Planted near copies of real articles: the kinds of change a re-post, mirror or update makes.

Shared by ``eval_neardup.py`` (recall per kind, curve) and the tests. Every change is generic
and invented here: debris lines of the kinds scrapers leave ("Share", "Advertisement"), a
dropped paragraph, a paragraph of another article added, words substituted, deleted or
inserted, paragraphs re-flowed. Nothing is copied from the evaluation data.

A copy is made from the *raw* original, so it goes through the whole chain (debris removal,
title, filters) exactly as a scraped re-post would.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

TOP_DEBRIS = (
    "Share",
    "Share this:",
    "Tweet",
    "Email this story",
    "Follow us on social media",
    "SHARE ON FACEBOOK",
    "Listen to this article",
    "Updated 2 hours ago",
)
BOTTOM_DEBRIS = (
    "Advertisement",
    "ADVERTISEMENT",
    "Related stories",
    "Comments are closed.",
    "Sign up for our daily newsletter",
    "Click here to read more",
    "Report a typo",
    "Copyright 2019. All rights reserved.",
)
_PARA = re.compile(r"\n[ \t]*\n\s*")


def paragraphs(text: str) -> list[str]:
    """Blank-line separated paragraphs (raw scraped text also uses single newlines inside them)."""
    return [p for p in _PARA.split(text.replace("\r\n", "\n").strip()) if p.strip()]


def join(paras: list[str]) -> str:
    return "\n\n".join(paras)


def add_debris(text: str, rng: random.Random, top: int, bottom: int, middle: int = 0) -> str:
    """Debris lines above, below and between paragraphs, as a different scraper leaves them."""
    paras = paragraphs(text)
    for _ in range(middle):
        paras.insert(rng.randint(1, max(1, len(paras) - 1)), rng.choice(TOP_DEBRIS + BOTTOM_DEBRIS))
    head = rng.sample(TOP_DEBRIS, top)
    tail = rng.sample(BOTTOM_DEBRIS, bottom)
    return join(head + paras + tail)


def drop_paragraphs(text: str, rng: random.Random, n: int, content: Callable[[str], bool] = bool) -> str:
    """``n`` article paragraphs left out (never all of them): a shortened re-post or an update.

    ``content`` says which raw paragraphs are article text (those the cleaning chain keeps), so
    the dropped one is never a debris line, which would make the copy easier to catch.
    """
    paras = paragraphs(text)
    article = [i for i, p in enumerate(paras) if content(p)]
    n = min(n, len(article) - 1)
    gone = set(rng.sample(article, n)) if n > 0 else set()
    return join([p for i, p in enumerate(paras) if i not in gone])


def add_paragraphs(text: str, rng: random.Random, donors: list[str], n: int) -> str:
    """``n`` paragraphs of other articles inserted at random places (an update, a related blurb).

    A paragraph is 15-80 words, as an update or a blurb is: a donor "paragraph" of 500 words
    would make the copy a copy of the donor rather than of its source.
    """
    paras = paragraphs(text)
    pool = [p for d in donors for p in paragraphs(d) if 15 <= len(p.split()) <= 80] or ["An update was added."]
    for _ in range(n):
        paras.insert(rng.randint(0, len(paras)), rng.choice(pool))
    return join(paras)


def edit_words(text: str, rng: random.Random, share: float) -> str:
    """About ``share`` of the words altered: substituted (by another word of the text), deleted or
    inserted, spread over the whole text, paragraph breaks kept."""
    paras = [p.split(" ") for p in paragraphs(text)]
    slots = [(i, j) for i, words in enumerate(paras) for j in range(len(words))]
    if not slots:
        return text
    vocabulary = [w for words in paras for w in words if w.isalpha()] or ["news"]
    n_edits = max(1, round(share * len(slots)))
    chosen = sorted(rng.sample(slots, min(n_edits, len(slots))), reverse=True)  # back to front: indices hold
    for i, j in chosen:
        op = rng.random()
        if op < 0.5:
            paras[i][j] = rng.choice(vocabulary)
        elif op < 0.75 and len(paras[i]) > 1:
            del paras[i][j]
        else:
            paras[i].insert(j, rng.choice(vocabulary))
    return join([" ".join(words) for words in paras])


def reflow(text: str, rng: random.Random) -> str:
    """Same words, another layout: paragraphs merged in pairs, quotes straightened, spacing doubled."""
    paras = paragraphs(text)
    merged = [" ".join(paras[i : i + 2]) for i in range(0, len(paras), 2)]
    out = join(merged).replace("“", '"').replace("”", '"').replace("’", "'")
    return out.replace(". ", ".  ") if rng.random() < 0.5 else out


@dataclass(frozen=True)
class Kind:
    """One kind of change at one strength; ``make(text, rng, donors, content)`` returns the copy's text.

    ``donors`` are other articles (for added paragraphs), ``content`` tells article paragraphs
    from debris (see ``drop_paragraphs``); ``min_paragraphs`` article paragraphs make a source eligible.
    """

    name: str
    make: Callable[[str, random.Random, list[str], Callable[[str], bool]], str]
    min_paragraphs: int = 1


def _combined(drop: int, share: float, top: int, bottom: int):
    def make(t: str, r: random.Random, d: list[str], c: Callable[[str], bool]) -> str:
        return add_debris(edit_words(drop_paragraphs(t, r, drop, c), r, share), r, top, bottom)

    return make


KINDS: tuple[Kind, ...] = (
    Kind("exact", lambda t, r, d, c: t),
    Kind("reflow", lambda t, r, d, c: reflow(t, r)),
    Kind("debris 1+1", lambda t, r, d, c: add_debris(t, r, 1, 1)),
    Kind("debris 3+3+2 inside", lambda t, r, d, c: add_debris(t, r, 3, 3, middle=2)),
    Kind("drop 1 paragraph", lambda t, r, d, c: drop_paragraphs(t, r, 1, c), min_paragraphs=3),
    Kind("drop 2 paragraphs", lambda t, r, d, c: drop_paragraphs(t, r, 2, c), min_paragraphs=5),
    Kind("add 1 paragraph", lambda t, r, d, c: add_paragraphs(t, r, d, 1), min_paragraphs=3),
    Kind("add 2 paragraphs", lambda t, r, d, c: add_paragraphs(t, r, d, 2), min_paragraphs=5),
    Kind("edit 1.5% words", lambda t, r, d, c: edit_words(t, r, 0.015)),
    Kind("edit 3% words", lambda t, r, d, c: edit_words(t, r, 0.03)),
    Kind("edit 5% words", lambda t, r, d, c: edit_words(t, r, 0.05)),
    # the case of issue 16: one paragraph dropped, ~1.5 % of words altered, debris on both ends
    Kind("drop 1 + 1.5% + debris 1+1", _combined(1, 0.015, 1, 1), min_paragraphs=3),
    Kind("drop 1 + 3% + debris 2+2", _combined(1, 0.03, 2, 2), min_paragraphs=3),
    Kind("drop 2 + 3% + debris 2+2", _combined(2, 0.03, 2, 2), min_paragraphs=5),
)
