"""Where each block sits relative to the article's own container in the source page.

Sites wrap the article body in one element (whatever they call it, in whatever language) and
put the page furniture around it: a newsletter box between two paragraphs sits in a container
of its own, a "more stories" rail or a company blurb sits beside the article's container, not in
it. So once the source elements of the long, sentence-terminated paragraphs are known, the
deepest element holding most of their text is the article's container, and three numbers about
a block follow without any vocabulary: is it inside that container, how far below it, and how
much of the article's prose shares its parent (a paragraph of the article has its siblings
around it; a promo paragraph in a box has none).
"""

from __future__ import annotations

from lxml import etree

CONTAINER_FEATURE_NAMES: tuple[str, ...] = (
    "container_found",
    "in_container",
    "below_container",
    "parent_body_share",
    "grandparent_body_share",
)

# the container is the deepest element holding at least this share of the body paragraphs' words
_CONTAINER_SHARE = 0.8
_NONE = [0.0] * len(CONTAINER_FEATURE_NAMES)


def _ancestors(el: etree._Element, limit: int = 200) -> list[etree._Element]:
    """``el``'s ancestors, nearest first; bounded, because pages can nest thousands deep."""
    out: list[etree._Element] = []
    cur = el.getparent()
    while cur is not None and len(out) < limit:
        out.append(cur)
        cur = cur.getparent()
    return out


def container_features(sources: list[etree._Element | None], body: list[int], weights: list[int]) -> list[list[float]]:
    """One ``CONTAINER_FEATURE_NAMES`` row per block.

    ``sources`` are the blocks' source elements (None when not found), ``body`` the indices of
    the body paragraphs, ``weights`` the blocks' lengths in words.
    """
    chains = [_ancestors(el) if el is not None else [] for el in sources]
    under: dict[etree._Element, float] = {}
    total = 0.0
    for i in body:
        if sources[i] is None:
            continue
        total += weights[i]
        for anc in chains[i]:
            under[anc] = under.get(anc, 0.0) + weights[i]
    if total <= 0:
        return [list(_NONE) for _ in sources]
    # deepest heavy ancestor: the first one met walking up from any body paragraph, at the largest depth
    container, best_height = None, -1
    for i in body:
        chain = chains[i]
        for k, anc in enumerate(chain):
            if under[anc] >= _CONTAINER_SHARE * total:
                height = len(chain) - k  # distance from the root: larger is deeper
                if height > best_height:
                    container, best_height = anc, height
                break
    rows = []
    body_set = set(body)
    for i, el in enumerate(sources):
        if el is None:
            rows.append(list(_NONE))
            continue
        chain = chains[i]
        own = weights[i] if i in body_set else 0.0
        parent_share = (under.get(chain[0], 0.0) - own) / total if chain else 0.0
        grand_share = (under.get(chain[1], 0.0) - own) / total if len(chain) > 1 else 0.0
        if el is container:
            inside, below = 1.0, 0.0
        elif container is not None and container in chain:
            inside, below = 1.0, float(chain.index(container) + 1)
        else:
            inside, below = 0.0, 0.0
        rows.append([1.0, inside, min(below, 10.0) / 10.0, max(0.0, parent_share), max(0.0, grand_share)])
    return rows
