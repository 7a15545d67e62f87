"""Blocks of trafilatura's output tree, and the language-independent cues that describe each one.

trafilatura keeps a structured body (``<head>``, ``<p>``, ``<list>/<item>``, ``<table>/<row>``,
``<quote>``, ``<ref>`` for links) and then flattens it to text, throwing away exactly the cues
that separate an article paragraph from the boilerplate it lets through: is the line a heading,
a list item, mostly link text, the page title again, the first or last thing on the page, a
copy of another line? We keep the tree, cut it into blocks (one output line each) and describe
every block by such cues, so ``boilerclean.cleaners.stages.extract.cleanup`` can score it. Nothing here knows any
site, phrase or language: only structure, position, punctuation, digits and repetition.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from lxml import etree

_WORD = re.compile(r"\w+")
# sentence ends in scripts we meet: Latin/Cyrillic/Greek, CJK full stops, Devanagari danda, Arabic
_TERMINAL = frozenset(".!?。！？…;；।۔؟\"'”’»)）」』")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.I)
_EMAIL_HANDLE = re.compile(r"\S+@\S+\.\w+|(?<!\w)@\w{2,}")
_DATE_TIME = re.compile(r"\d{1,4}[-/.:]\d{1,2}(?:[-/.:]\d{1,4})?")
_COPYRIGHT = re.compile(r"©|\(c\)\s*\d{4}|\bcopyright\b", re.I)
_BRACKETED = re.compile(r"^\s*[\[(<{【「].*[\])>}】」]\s*$", re.S)
_BULLET = re.compile(r"^\s*[-*•·–—]\s*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

BLOCK_TAGS = ("p", "head", "item", "quote", "row")
# below this share of the page's words in prose paragraphs, a page is read as a post written in lists
_LIST_POST_SHARE = 0.25

FEATURE_NAMES: tuple[str, ...] = (
    *(f"tag_{t}" for t in BLOCK_TAGS),
    "tag_other",
    "log_tokens",
    "log_chars",
    "link_density",
    "mostly_links",
    "ends_terminal",
    "ends_colon",
    "n_sentence_marks",
    "rel_position",
    "is_first",
    "is_last",
    "share_before",
    "share_after",
    "title_cover_block",
    "title_cover_title",
    "title_equal",
    "has_url",
    "url_share",
    "email_or_handle",
    "date_time",
    "digit_share",
    "upper_share",
    "copyright",
    "bracketed",
    "has_pipe",
    "bullet",
    "duplicate",
    "prev_log_tokens",
    "next_log_tokens",
    "prev_link_density",
    "next_link_density",
    "prev_terminal",
    "next_terminal",
    "rel_to_max",
    "log_blocks",
    "cjk_share",
    "depth",
    "head_then_long",
    "short_tail_run",
    "before_body",
    "after_body",
    "steps_before_body",
    "steps_after_body",
    "body_share_after",
    "same_tag_run",
    "description_cover_block",
    "description_equal",
)


@dataclass(slots=True)
class Block:
    """One output line (a paragraph, heading, list item, table row, quote) of trafilatura's body."""

    text: str
    tag: str
    link_chars: int
    depth: int
    element: etree._Element | None = None


def _leaves(body: etree._Element) -> list[tuple[etree._Element, str, int]]:
    out: list[tuple[etree._Element, str, int]] = []

    def walk(el: etree._Element, depth: int) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag in ("list", "div", "article", "section"):
                walk(child, depth + 1)
            elif tag == "table":
                out.extend((row, "row", depth + 1) for row in child.iter("row"))
            else:
                out.append((child, tag, depth))

    walk(body, 0)
    return out


def body_blocks(body: etree._Element | None) -> list[Block]:
    """Cut trafilatura's body into blocks; link targets are stripped (their text is kept)."""
    from trafilatura.xml import xmltotxt  # lazy: heavy import

    if body is None:
        return []
    blocks: list[Block] = []
    for el, tag, depth in _leaves(body):
        tail, el.tail = el.tail, None
        if tag == "ref":
            text = "".join(el.itertext()).strip()
            link_chars = len(text)
        else:
            refs = list(el.iter("ref"))
            link_chars = sum(len("".join(r.itertext())) for r in refs)
            if refs:
                etree.strip_tags(el, "ref")
            text = xmltotxt(el, False).strip()
        el.tail = tail
        text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
        if tag == "item":
            text = _BULLET.sub("- ", text, count=1) if _BULLET.match(text) else text
        if not _WORD.search(text) and tag not in ("p",):
            continue
        if text:
            blocks.append(Block(text, tag, link_chars, depth, el))
    return blocks


def block_weights(blocks: list[Block], toks: list[list[str]] | None = None, cjk: list[int] | None = None) -> list[int]:
    """Length of each block in words; CJK runs are single ``\\w+`` tokens, so characters/2 count instead."""
    if toks is None:
        toks = [_WORD.findall(b.text.lower()) for b in blocks]
    if cjk is None:
        cjk = [len(_CJK.findall(b.text)) for b in blocks]
    return [max(len(t), c // 2) for t, c in zip(toks, cjk, strict=True)]


def body_indices(blocks: list[Block], weights: list[int]) -> list[int]:
    """The "body" blocks: long, sentence-terminated paragraphs. The article sits around them.

    A post written as lists (release notes, meeting notes, how-tos) has few such paragraphs:
    when they hold under a quarter of the page's words, long list items count as body too,
    or every block of such a post would look like furniture before or after a missing body.
    """
    prose = [
        i
        for i, b in enumerate(blocks)
        if b.tag in ("p", "quote") and weights[i] >= 12 and b.text.rstrip()[-1:] in _TERMINAL
    ]
    if sum(weights[i] for i in prose) >= _LIST_POST_SHARE * sum(weights):
        return prose
    return [i for i, b in enumerate(blocks) if i in set(prose) or (b.tag == "item" and weights[i] >= 12)]


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def block_features(blocks: list[Block], title: str | None, description: str | None = None) -> list[list[float]]:
    """One feature row per block (order of ``FEATURE_NAMES``); ``description`` is the page's meta summary."""
    n = len(blocks)
    if n == 0:
        return []
    toks = [_WORD.findall(b.text.lower()) for b in blocks]
    nchar = [max(1, len(b.text)) for b in blocks]
    cjk = [len(_CJK.findall(b.text)) for b in blocks]
    weight = block_weights(blocks, toks, cjk)
    total = max(1, sum(weight))
    max_w = max(weight) or 1
    link = [min(1.0, b.link_chars / c) for b, c in zip(blocks, nchar, strict=True)]
    terminal = [1.0 if b.text.rstrip()[-1:] in _TERMINAL else 0.0 for b in blocks]
    title_toks = set(_WORD.findall((title or "").lower()))
    title_norm = _norm(title or "")
    desc_toks = set(_WORD.findall((description or "").lower()))
    desc_norm = _norm(description or "")
    seen: dict[str, int] = {}
    rows: list[list[float]] = []
    before = 0
    # length of the run of short, unterminated blocks that ends the page (related links, widgets)
    tail_run = [0.0] * n
    run = 0
    for i in range(n - 1, -1, -1):
        run = run + 1 if (weight[i] < 15 or not terminal[i]) else 0
        tail_run[i] = 1.0 if run and run == (n - i) else 0.0
    # "body" paragraphs: long, sentence-terminated prose; the article sits between the first and last
    body = body_indices(blocks, weight)
    first_body, last_body = (body[0], body[-1]) if body else (n, -1)
    body_set = set(body)
    body_total = max(1, sum(weight[i] for i in body))
    body_after = [0.0] * n
    acc = 0
    for i in range(n - 1, -1, -1):
        body_after[i] = acc / body_total
        if i in body_set:
            acc += weight[i]
    run_len = [1] * n
    for i in range(1, n):
        if blocks[i].tag == blocks[i - 1].tag:
            run_len[i] = run_len[i - 1] + 1
    for i in range(n - 2, -1, -1):
        if blocks[i].tag == blocks[i + 1].tag:
            run_len[i] = run_len[i + 1]
    for i, b in enumerate(blocks):
        text = b.text
        w = weight[i]
        norm = " ".join(toks[i])
        dup = seen.get(norm, 0)
        seen[norm] = dup + 1
        tset = set(toks[i])
        cover_block = len(tset & title_toks) / len(tset) if tset else 0.0
        cover_title = len(tset & title_toks) / len(title_toks) if title_toks else 0.0
        urls = _URL.findall(text) if ("/" in text or "www" in text) else ()
        letters = sum(map(str.isalpha, text))
        upper = sum(map(str.isupper, text)) / letters if letters else 0.0
        digits = sum(map(str.isdigit, text)) / nchar[i]
        row = [1.0 if b.tag == t else 0.0 for t in BLOCK_TAGS]
        row.append(0.0 if b.tag in BLOCK_TAGS else 1.0)
        row += [
            math.log1p(w),
            math.log1p(nchar[i]),
            link[i],
            1.0 if link[i] >= 0.5 else 0.0,
            terminal[i],
            1.0 if text.rstrip().endswith((":", "：")) else 0.0,
            min(5.0, float(sum(text.count(c) for c in ".!?。！？"))),
            i / (n - 1) if n > 1 else 0.0,
            1.0 if i == 0 else 0.0,
            1.0 if i == n - 1 else 0.0,
            before / total,
            (total - before - w) / total,
            cover_block,
            cover_title,
            1.0 if norm and norm == title_norm else 0.0,
            1.0 if urls else 0.0,
            sum(len(u) for u in urls) / nchar[i],
            1.0 if _EMAIL_HANDLE.search(text) else 0.0,
            min(3.0, float(len(_DATE_TIME.findall(text)))),
            digits,
            upper,
            1.0 if _COPYRIGHT.search(text) else 0.0,
            1.0 if _BRACKETED.match(text) else 0.0,
            1.0 if "|" in text else 0.0,
            1.0 if _BULLET.match(text) else 0.0,
            1.0 if dup else 0.0,
            math.log1p(weight[i - 1]) if i else 0.0,
            math.log1p(weight[i + 1]) if i + 1 < n else 0.0,
            link[i - 1] if i else 0.0,
            link[i + 1] if i + 1 < n else 0.0,
            terminal[i - 1] if i else 0.0,
            terminal[i + 1] if i + 1 < n else 0.0,
            w / max_w,
            math.log1p(n),
            cjk[i] / nchar[i],
            min(4.0, float(b.depth)),
            1.0 if b.tag == "head" and i + 1 < n and weight[i + 1] >= 15 else 0.0,
            tail_run[i],
            1.0 if i < first_body else 0.0,
            1.0 if i > last_body else 0.0,
            min(5.0, float(max(0, first_body - i))),
            min(10.0, float(max(0, i - last_body))) if body else 0.0,
            body_after[i],
            math.log1p(run_len[i]),
            len(tset & desc_toks) / len(tset) if tset else 0.0,
            1.0 if norm and (norm == desc_norm or (len(norm) > 40 and norm in desc_norm)) else 0.0,
        ]
        rows.append(row)
        before += w
    return rows


def _clean_titles(found: list[str]) -> list[str]:
    out: list[str] = []
    for t in found:
        t = " ".join(t.split())
        if t and t not in out:
            out.append(t)
    return out


def page_titles(tree: etree._Element) -> list[str]:
    """Title candidates of a parsed page: og:title/twitter:title, <title>, the first <h1>.

    XPath on the tree lxml already built: trafilatura's metadata extraction (htmldate) would
    cost milliseconds per page, and the candidates only feed "is this line the headline" and
    ``doc.title``.
    """
    found = [
        *tree.xpath("//meta[@property='og:title' or @name='og:title' or @name='twitter:title']/@content"),
        *tree.xpath("//title//text()")[:1],
    ]
    h1 = tree.find(".//h1")
    if h1 is not None:
        found.append(" ".join(h1.itertext()))
    return _clean_titles([str(t) for t in found])


def page_description(tree: etree._Element) -> str:
    """The page's meta/og description (a standfirst usually repeats it), or ""."""
    found = tree.xpath(
        "//meta[@property='og:description' or @name='description' or @name='og:description'"
        " or @name='twitter:description']/@content"
    )
    for text in found:
        text = " ".join(str(text).split())
        if text:
            return text
    return ""
