"""Cues from the page's own DOM for each block trafilatura keeps.

trafilatura flattens the page into its own body tree and drops the class/id names and the
ancestors that tell a reader at a glance that a paragraph sits in a newsletter box, a caption,
a "latest stories" rail or a comment thread. We tag every source element with its index
(``data-bc``; trafilatura copies attributes of the paragraphs it keeps), find each output
block's source element again (by that index, else by its text) and describe the source's
ancestry with a few word families of class/id names and ancestor tags. The families are
generic web-design vocabulary (``caption``, ``newsletter``, ``related``, ``share``), not any
site's names.
"""

from __future__ import annotations

import re

from lxml import etree

ATTR = "data-bc"

# class/id vocabulary families: generic front-end naming, matched as substrings of the lower-cased
# names. Most sites name classes in English whatever their language, but not all: each family also
# carries the common German, French, Spanish, Portuguese, Italian, Dutch and Polish words.
FAMILIES: tuple[tuple[str, str], ...] = (
    (
        "comment",
        r"comment|respond|reply|disqus|discussion|kommentar|comentario|commenti|reactie|komentarz",
    ),
    (
        "related",
        r"related|recommend|latest|trending|popular|more-|teaser|outbrain|taboola|widget|sidebar|rail"
        r"|verwandt|aehnlich|weitere|empfehl|lire-aussi|a-lire|voir-aussi|relacionad|leia-tambem|veja-tambem"
        r"|correlat|gerelateerd|zobacz",
    ),
    (
        "promo",
        r"newsletter|subscri|signup|sign-up|(?:^|[^a-z])cta|promo|register|paywall|offer|donat|member"
        r"|advert|sponsor|(?:^|[^a-z])ads?(?:$|[^a-z])|werbung|anzeige|abonn|publicit|suscri|assinatura"
        r"|anuncio|patrocin|reklam",
    ),
    ("share", r"share|social|follow|sharing|teilen|partage|compartir|compartilh|condivid|udostepnij"),
    (
        "caption",
        r"caption|credit|figure|photo|image|img|media|gallery|video|thumb|bildunter|legende|legenda"
        r"|didascalia|pie-de-foto|foto|imagen",
    ),
    (
        "meta",
        r"byline|author|date|time|meta|(?:^|[^a-z])tags?(?:$|[^a-z])|categor|breadcrumb|kicker|label"
        r"|autor|auteur|datum|fecha|rubri|schlagw|etiquet",
    ),
    (
        "chrome",
        r"footer|header|(?:^|[^a-z])nav|menu|copyright|legal|banner|masthead|fusszeile|kopfzeile|impressum"
        r"|pied|rodape|cabecera|cabecalho|en-tete|entete",
    ),
    ("hidden", r"(?:^|[^a-z])hid(?:e|den)|modal|overlay|popup|scrim|print|sr-only|screen-reader"),
    (
        "content",
        r"article|content|body|entry|post|story|text|artikel|inhalt|beitrag|contenu|contenido|conteudo"
        r"|cuerpo|(?:^|[^a-z])corpo(?:$|[^a-z])|noticia|nachricht|articolo|testo|tresc|inhoud",
    ),
)
ANCESTOR_TAGS = ("figure", "aside", "footer", "header", "nav", "form", "li", "a", "table", "blockquote", "article")
OWN_TAGS = ("h1", "h2", "hx", "li", "p", "div", "td")

DOM_FEATURE_NAMES: tuple[str, ...] = (
    "dom_found",
    *(f"dom_family_{name}" for name, _ in FAMILIES),
    *(f"dom_in_{tag}" for tag in ANCESTOR_TAGS),
    *(f"dom_own_{tag}" for tag in OWN_TAGS),
    "dom_log_depth",
)

_FAMILY_RE = [re.compile(rx) for _, rx in FAMILIES]
_ANCESTOR_BIT = {tag: 1 << (len(FAMILIES) + k) for k, tag in enumerate(ANCESTOR_TAGS)}
_TEXT_TAGS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "blockquote", "dd", "dt", "pre"))
_WS = re.compile(r"\s+")
_KEY_CHARS = 60
_N_FLAGS = len(FAMILIES) + len(ANCESTOR_TAGS)


def _key(text: str) -> str:
    return _WS.sub(" ", text[: _KEY_CHARS * 3]).strip().lstrip("-•*· ").lower()[:_KEY_CHARS]


# the source tags an output block can come from; only these are numbered (cheaper than all)
_NUMBERED = (
    "p",
    "div",
    "li",
    "td",
    "th",
    "blockquote",
    "pre",
    "span",
    "section",
    "article",
    "dd",
    "dt",
    "figcaption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "center",
)
# which source tags to search by text for an output block that lost its index, per output tag
_TEXT_SOURCES = {
    "head": ("h1", "h2", "h3", "h4", "h5", "h6", "p", "div"),
    "item": ("li", "dd", "dt"),
    "quote": ("blockquote", "p", "div"),
}
_DEFAULT_SOURCES = ("p", "div", "td", "span", "li", "blockquote", "pre", "figcaption")


class SourceIndex:
    """The source page's candidate elements, numbered, with memoised ancestry flags."""

    __slots__ = ("_by_text", "_depth", "_flags", "elements")

    def __init__(self, tree: etree._Element) -> None:
        self.elements: list[etree._Element] = list(tree.iter(*_NUMBERED))
        for k, el in enumerate(self.elements):
            el.set(ATTR, str(k))
        self._flags: dict[etree._Element, int] = {}
        self._depth: dict[etree._Element, int] = {}
        self._by_text: dict[tuple[str, ...], dict[str, etree._Element]] = {}

    def _text_map(self, tags: tuple[str, ...]) -> dict[str, etree._Element]:
        found = self._by_text.get(tags)
        if found is None:
            found = {}
            wanted = frozenset(tags)
            for el in self.elements:
                if el.tag not in wanted:
                    continue
                if el.tag in _TEXT_TAGS:
                    text = "".join(el.itertext())
                elif el.text and not el.text.isspace():
                    text = el.text
                else:
                    continue
                key = _key(text)
                if len(key) >= 4:
                    found.setdefault(key, el)
            self._by_text[tags] = found
        return found

    def locate(self, block_el: etree._Element | None, text: str, tag: str = "p") -> etree._Element | None:
        """The source element an output block came from, or None."""
        if block_el is not None:
            for child in block_el.iter():
                idx = child.get(ATTR)
                if idx is not None:
                    k = int(idx)
                    return self.elements[k] if k < len(self.elements) else None
        return self._text_map(_TEXT_SOURCES.get(tag, _DEFAULT_SOURCES)).get(_key(text))

    def _own(self, el: etree._Element) -> int:
        names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
        own = _ANCESTOR_BIT.get(el.tag, 0)
        if names.strip():
            for bit, rx in enumerate(_FAMILY_RE):
                if rx.search(names):
                    own |= 1 << bit
        return own

    def _ancestry(self, el: etree._Element) -> tuple[int, int]:
        """(flags of el and all its ancestors, depth); iterative, pages can nest thousands deep."""
        chain: list[etree._Element] = []
        cur: etree._Element | None = el
        while cur is not None and cur not in self._flags:
            chain.append(cur)
            cur = cur.getparent()
        flags, depth = (self._flags[cur], self._depth[cur]) if cur is not None else (0, -1)
        for node in reversed(chain):
            if isinstance(node.tag, str):
                flags |= self._own(node)
            depth += 1
            self._flags[node] = flags
            self._depth[node] = depth
        return self._flags[el], self._depth[el]

    def features(self, el: etree._Element | None) -> list[float]:
        """The ``DOM_FEATURE_NAMES`` row of source element ``el`` (all zero when not found)."""
        if el is None:
            return [0.0] * len(DOM_FEATURE_NAMES)
        parent = el.getparent()
        # ancestry starts at the parent (the element's own tag is reported separately) ...
        flags, depth = self._ancestry(parent) if parent is not None else (0, 0)
        # ... but its own class/id names count as much as an ancestor's
        flags |= self._own(el) & ((1 << len(FAMILIES)) - 1)
        tag = el.tag
        own = [
            1.0 if tag == "h1" else 0.0,
            1.0 if tag == "h2" else 0.0,
            1.0 if tag in ("h3", "h4", "h5", "h6") else 0.0,
            1.0 if tag == "li" else 0.0,
            1.0 if tag == "p" else 0.0,
            1.0 if tag == "div" else 0.0,
            1.0 if tag in ("td", "th") else 0.0,
        ]
        bits = [1.0 if flags >> b & 1 else 0.0 for b in range(_N_FLAGS)]
        return [1.0, *bits, *own, float(min(depth, 40)) / 10.0]
