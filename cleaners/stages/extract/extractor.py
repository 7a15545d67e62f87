"""extract_html: a saved web page in, the article's text out (paragraphs kept, boilerplate out).

trafilatura finds the main content; it is the best open extractor we measured, but it leaves
headlines, standfirsts, newsletter boxes, "latest stories" rails, captions and copyright lines
in. So we run it with comments off, keep its structured body instead of its flat text, cut
the body into blocks and let ``boilerclean.cleaners.stages.extract.cleanup`` drop the blocks that look like page
furniture: by structure, position, link density and title match (``boilerclean.cleaners.stages.extract.blocks``),
the class names up the source DOM (``boilerclean.cleaners.stages.extract.dom``), where the block sits relative to
the article's own container (``boilerclean.cleaners.stages.extract.container``) and whether readability, a second
extractor, keeps the block too (``boilerclean.cleaners.stages.extract.agreement``).

An extractor that is sometimes worse than the library it wraps is a regression nobody sees
coming, so the scorer only acts where cross-validation says it can be trusted:

* a block goes only at ``drop_threshold``, the lowest score at which, out of fold (folds by site),
  at least 9 in 10 of the dropped words were boilerplate;
* a page on which the scorer would drop more than ``max_drop_share`` of the words is unlike the
  pages it learned from: its output is bare trafilatura in precision mode (the mode host-grouped
  CV favours over the defaults), not a guess;
* a fast-mode extraction shorter than ``short_page_chars`` is retried in trafilatura's full mode,
  whose readability/jusText comparison finds text fast mode misses on odd layouts.

Extraction dev pages (91, Zyte benchmark metric), host-grouped 5-fold CV of this stage with a
model trained on the other folds (``benchmarks/train_extract_model.py``): F1 0.968 (P 0.963,
R 0.973), above bare trafilatura in every fold (precision mode, comments off: 0.951 pooled;
defaults: 0.942); in-sample 0.98. Readability's test pages (130, many languages; no gold,
``benchmarks/eval_readability.py``): 0.8 % of the text trafilatura and Readability both keep is
missing from our output, against 1.7 % for bare precision mode.

Rejections, each with its own reason:

* ``extract:too_large``: page over ``max_chars`` characters, or a DOM over ``max_elements``;
* ``extract:undecodable``: mostly U+FFFD/control characters (a page decoded with the wrong codec);
* ``extract:not_html``: no markup at all, or lxml builds no tree;
* ``extract:empty``: nothing extracted, even after trafilatura's full mode and its ``baseline()``;
* ``extract:timeout`` (``timeout_reason``): trafilatura cannot be interrupted in-process (its
  issues #651, #704), so the hard per-page limit ``timeout_s`` is enforced by the runner's
  killable worker. In-process we only bound the input: page size, DOM size, and lxml's own
  depth/text-node limits (``huge_tree`` stays off).

A document without ``html`` passes through unchanged (plain-text input).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import DocumentStage, Reject, StageLog
from boilerclean.cleaners.stages.extract.params import ExtractHtmlParams

_MARKUP = re.compile(r"<\s*[a-zA-Z!/?]")
_BAD_CHARS = re.compile(r"[\ufffd\x00-\x08\x0e-\x1f]")
_SAMPLE = 65_536


def page_feature_names() -> tuple[str, ...]:
    """The columns of ``PageExtraction.rows``, in order: what the shipped model must have been trained on."""
    from boilerclean.cleaners.stages.extract.agreement import AGREEMENT_FEATURE_NAMES
    from boilerclean.cleaners.stages.extract.blocks import FEATURE_NAMES
    from boilerclean.cleaners.stages.extract.container import CONTAINER_FEATURE_NAMES
    from boilerclean.cleaners.stages.extract.dom import DOM_FEATURE_NAMES

    return FEATURE_NAMES + DOM_FEATURE_NAMES + CONTAINER_FEATURE_NAMES + AGREEMENT_FEATURE_NAMES


@dataclass(slots=True)
class PageExtraction:
    """What trafilatura kept, as blocks with their feature rows, plus the page's title candidates."""

    blocks: list
    rows: list[list[float]]
    titles: list[str]


def extract_page(
    html: str,
    url: str | None = None,
    *,
    fast: bool = True,
    favor_precision: bool = False,
    favor_recall: bool = True,
    include_tables: bool = True,
    max_elements: int | None = None,
) -> PageExtraction | None:
    """Run trafilatura on ``html`` and describe every kept block; None if lxml finds no tree.

    Shared by the stage and ``benchmarks/train_extract_model.py``, so the model is trained on
    exactly the features it sees at run time.
    """
    import trafilatura  # lazy: heavy import
    from trafilatura.utils import load_html

    from boilerclean.cleaners.stages.extract.agreement import agreement_features, readability_text
    from boilerclean.cleaners.stages.extract.blocks import (
        block_features,
        block_weights,
        body_blocks,
        body_indices,
        page_description,
        page_titles,
    )
    from boilerclean.cleaners.stages.extract.container import container_features
    from boilerclean.cleaners.stages.extract.dom import SourceIndex

    tree = load_html(html)
    if tree is None and _MARKUP.search(html[:_SAMPLE]):
        # a bare fragment ("<p>..</p><p>..</p>") fails trafilatura's is-this-a-page check; wrap it once
        tree = load_html(f"<html><body>{html}</body></html>")
    if tree is None:
        return None
    if max_elements is not None:
        count = int(tree.xpath("count(//*)"))
        if count > max_elements:
            raise Reject("extract:too_large", value=count, threshold=max_elements, unit="elements")
    titles = page_titles(tree)
    description = page_description(tree)
    source = SourceIndex(tree)
    result = trafilatura.bare_extraction(
        tree,
        url=url,
        fast=fast,
        include_comments=False,
        include_links=True,
        include_tables=include_tables,
        favor_precision=favor_precision,
        favor_recall=favor_recall,
    )
    blocks = body_blocks(result.body if result is not None else None)
    rows = block_features(blocks, " ".join(titles), description)
    sources = [source.locate(block.element, block.text, block.tag) for block in blocks]
    for row, el in zip(rows, sources, strict=True):
        row.extend(source.features(el))
    weights = block_weights(blocks)
    for row, extra in zip(rows, container_features(sources, body_indices(blocks, weights), weights), strict=True):
        row.extend(extra)
    if blocks:  # last: readability rewrites the source tree, which the DOM cues above needed intact
        votes = agreement_features([b.text for b in blocks], readability_text(tree))
        for row, vote in zip(rows, votes, strict=True):
            row.extend(vote)
    return PageExtraction(blocks, rows, titles)


def join_blocks(blocks: list) -> str:
    """Paragraphs apart by one blank line; consecutive list items / table rows stay one paragraph."""
    parts: list[str] = []
    prev_tag = None
    for block in blocks:
        if parts and block.tag == prev_tag and block.tag in ("item", "row"):
            parts.append("\n")
        elif parts:
            parts.append("\n\n")
        parts.append(block.text)
        prev_tag = block.tag
    return "".join(parts)


class ExtractHtml(DocumentStage):
    """Main text of an HTML page into ``doc.text``; see the module docstring."""

    name = "extract_html"
    Params = ExtractHtmlParams
    timeout_reason: ClassVar[str] = "extract:timeout"

    def __init__(self, params: ExtractHtmlParams | None = None) -> None:
        super().__init__(params)
        import trafilatura  # noqa: F401 - import once here, not inside the first document

        from boilerclean.cleaners.stages.extract.cleanup import BlockScorer

        self.scorer: BlockScorer | None = None
        if self.params.drop_boilerplate:
            self.scorer = BlockScorer(expected_features=page_feature_names())

    def _check_input(self, html: str) -> None:
        p = self.params
        if len(html) > p.max_chars:
            raise Reject("extract:too_large", value=len(html), threshold=p.max_chars, unit="chars")
        sample = html[:_SAMPLE]
        if not sample.strip():
            raise Reject("extract:empty", value=0)
        bad = len(_BAD_CHARS.findall(sample)) / len(sample)
        if bad > 0.1:
            raise Reject("extract:undecodable", value=round(bad, 3), threshold=0.1)
        if not _MARKUP.search(sample):
            raise Reject("extract:not_html")

    def _extract(self, html: str, url: str | None) -> PageExtraction | None:
        p = self.params
        return extract_page(
            html,
            url,
            fast=p.fast,
            favor_precision=p.favor_precision,
            favor_recall=p.favor_recall,
            include_tables=p.include_tables,
            max_elements=p.max_elements,
        )

    def apply(self, doc: Document, log: StageLog) -> Document:
        html = doc.html
        if html is None:
            return doc
        if isinstance(html, bytes):  # a reader that did not decode: be lenient, but say so
            try:
                html = html.decode("utf-8")
            except UnicodeDecodeError:
                raise Reject("extract:undecodable", encoding="utf-8") from None
        self._check_input(html)
        page = self._extract(html, doc.url)
        if page is None:
            raise Reject("extract:not_html")
        p = self.params
        if p.fallback and (p.fast or not p.favor_recall) and _chars(page) < p.short_page_chars:
            page = self._full_mode(html, doc.url, page, log)
        text = ""
        if page.blocks:
            text = self._clean(doc, html, page, log)
        elif p.fallback:
            text = self._baseline(html, log)
        if not text.strip():
            raise Reject("extract:empty", value=0)
        doc.text = text
        if p.set_title and not doc.title and page.titles:
            doc.title = page.titles[0]
        return doc

    def _full_mode(self, html: str, url: str | None, page: PageExtraction, log: StageLog) -> PageExtraction:
        """trafilatura's full recall mode for a page fast mode found (next to) nothing on.

        Full mode compares its own result with readability's and jusText's and keeps the better:
        on odd layouts (repeated paragraphs, text broken up by inline markup, bare fragments)
        that finds what fast mode misses. Kept only when it finds more.
        """
        full = extract_page(
            html,
            url,
            fast=False,
            favor_recall=True,
            include_tables=self.params.include_tables,
            max_elements=self.params.max_elements,
        )
        if full is not None and _chars(full) > _chars(page):
            log.counters["extract:fallback_full"] += 1
            return full
        return page

    def _clean(self, doc: Document, html: str, page: PageExtraction, log: StageLog) -> str:
        """Drop the blocks the scorer is confident about; on a page it is unsure of, trafilatura decides."""
        from boilerclean.cleaners.stages.extract.blocks import block_weights

        blocks = page.blocks
        if self.scorer is None:
            return join_blocks(blocks)
        p = self.params
        scores = self.scorer.predict(page.rows)
        drop = scores >= p.drop_threshold
        if not drop.any():
            return join_blocks(blocks)
        words = block_weights(blocks)
        dropped_share = sum(w for w, d in zip(words, drop, strict=True) if d) / max(1, sum(words))
        if dropped_share > p.max_drop_share or drop.all():
            # the scorer would remove most of what trafilatura found: a page unlike those it learned from
            text = self._precision_mode(html, doc.url) if p.max_drop_share < 1 else ""
            if text:
                log.counters["extract:unsure_page_precision_mode"] += 1
                return text
            log.counters["extract:kept_all_blocks"] += 1
            return join_blocks(blocks)
        for block, score, dropped in zip(blocks, scores, drop, strict=True):
            if dropped:
                log.removed(doc, "extract:boilerplate_block", block.text, score=round(float(score), 4))
        return join_blocks([b for b, d in zip(blocks, drop, strict=True) if not d])

    def _precision_mode(self, html: str, url: str | None) -> str:
        """Bare ``trafilatura.extract`` in precision mode, comments off: the library's own strict answer."""
        import trafilatura

        text = trafilatura.extract(
            html,
            url=url,
            favor_precision=True,
            include_comments=False,
            include_tables=self.params.include_tables,
        )
        return "\n\n".join(line.strip() for line in (text or "").splitlines() if line.strip())

    def _baseline(self, html: str, log: StageLog) -> str:
        import trafilatura

        _, text, _ = trafilatura.baseline(html)
        if text and text.strip():
            log.counters["extract:fallback_baseline"] += 1
            return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
        return ""


def _chars(page: PageExtraction) -> int:
    return sum(len(b.text) for b in page.blocks)
