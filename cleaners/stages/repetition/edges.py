"""The edge walk of remove_repeated_lines: repeated lines that form a block with a document's start or end.

Why position is the evidence: a sign-off, a feed's footer or a site's header sits at the edge of every
document that carries it; a quote or a fact two articles share sits inside them, with unrepeated text on
both sides. So rare repetition (a sub-source's handful of documents, or a site with only two documents in
the run) is acted on only where it touches an edge, never in the body.
"""

from __future__ import annotations


def edge_block(verdicts: list[tuple], rules: list[str | None], need: int, max_lines: int | None = None) -> list[int]:
    """The lines of the blocks at the start and the end made of repeated lines (already marked in ``rules``,
    or seen in ``need`` documents: ``verdicts[i][1]``). Walking in from each edge, such lines extend the
    block, lines without letters (count -1) are passed over, and the first other line ends it. If the walk
    from the top meets the walk from the bottom, nothing in the document is unrepeated: a duplicate, not a
    sign-off, so nothing is returned. A block longer than ``max_lines`` (when given) is left out."""
    n = len(verdicts)
    block: list[int] = []
    for order in (range(n), range(n - 1, -1, -1)):
        start = len(block)
        for i in order:
            if verdicts[i][1] < 0:  # blank or no letters: layout, neither ends nor extends a block
                continue
            if rules[i] is None and verdicts[i][1] < need:
                break
            block.append(i)
        else:  # reached the other edge: every line is repeated, a duplicate rather than a sign-off
            return []
        if max_lines is not None and len(block) - start > max_lines:
            del block[start:]
    return block
