"""A second opinion on each block: does readability, a different main-content algorithm, keep it?

trafilatura and readability fail differently (on the extraction dev pages they score 0.95 and
0.948 F1 alone, with different pages wrong), so "readability keeps this block too" is a cheap,
language-independent vote that no single-extractor cue gives: a related-stories rail or a
newsletter box trafilatura let through is usually outside readability's article node. The
votes feed the block scorer as features; readability's text is never output.
"""

from __future__ import annotations

import re

from lxml import etree

_WORD = re.compile(r"\w+")

AGREEMENT_FEATURE_NAMES: tuple[str, ...] = ("readability_contains", "readability_token_share", "readability_empty")


def readability_text(tree: etree._Element) -> str:
    """Lower-cased word tokens of readability's article, space-joined ("" when it finds none).

    Readability rewrites the tree it is given, so callers pass a tree they no longer need.
    """
    from trafilatura.external import try_readability  # lazy: heavy import

    article = try_readability(tree)
    return " ".join(_WORD.findall(" ".join(article.itertext()).lower()))


def agreement_features(texts: list[str], other: str) -> list[list[float]]:
    """Per block: whole block found in ``other``, share of its distinct words in ``other``, ``other`` empty."""
    vocab = set(other.split())
    empty = 0.0 if other else 1.0
    rows = []
    for text in texts:
        toks = _WORD.findall(text.lower())
        distinct = set(toks)
        contained = 1.0 if toks and " ".join(toks) in other else 0.0
        share = len(distinct & vocab) / len(distinct) if distinct else 0.0
        rows.append([contained, share, empty])
    return rows
