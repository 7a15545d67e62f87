"""Drop documents that are not prose worth training on: the C4, Gopher and FineWeb rule families.

These are the standard heuristic filters of web-scale dataset building, with the definitions
and default thresholds of datatrove 0.10 (``C4QualityFilter``, ``GopherQualityFilter``,
``GopherRepetitionFilter``, ``FineWebQualityFilter``), so a dataset built here is comparable to
one built there. Every rule is a named field of its family's parameters (``quality_params``):
``null`` / ``false`` switches it off, a number re-thresholds it. Every rejection carries the
rule id, the measured value and the threshold (``quality:gopher_stop_words``, value 1,
threshold 2). Rule ids, all prefixed ``quality:``:

* C4, line removals: ``c4_too_long_word c4_no_terminal_punct c4_too_few_words c4_javascript
  c4_policy`` (and ``c4_citation``, an in-place change); documents: ``c4_lorem_ipsum
  c4_curly_bracket c4_too_few_sentences``.
* Gopher quality: ``gopher_short_doc gopher_long_doc gopher_mean_word_length_low
  gopher_mean_word_length_high gopher_hash_ratio gopher_ellipsis_ratio gopher_bullet_lines
  gopher_ellipsis_lines gopher_alpha_words gopher_stop_words``.
* Gopher repetition: ``gopher_dup_para_frac gopher_dup_para_char_frac gopher_dup_line_frac
  gopher_dup_line_char_frac gopher_top_<n>_gram gopher_dup_<n>_gram`` (``gopher_empty``).
* FineWeb: ``fineweb_line_punct fineweb_short_lines fineweb_dup_line_chars
  fineweb_newline_ratio`` (``fineweb_empty``).

Deliberate differences from datatrove, because they destroy real news text there:

* Terminal punctuation includes closing quotes and brackets (``.”``, ``!’``, ``?)``).
* Words come from one regex pass, not spaCy (see ``quality_rules``): datatrove spends ~84 % of
  its filter time in spaCy; here the four families run at several MB/s per core.
* C4 counts sentences with a regex (``Mr. X`` counts two: it errs towards keeping), keeps the
  document's paragraph structure when it removes lines (datatrove re-joins the kept lines
  with single newlines), and books removed lines only once the document has passed every
  rule, so rejected documents do not inflate the line counters.
* Line-based ratios (Gopher bullets/ellipsis) ignore blank lines: with paragraphs separated by
  a blank line, datatrove's ratios would be halved by the separators.
* Opt-in switches for news (``configs/dataset.yaml``): C4 phrase rules limited to short lines,
  FineWeb newlines counted as line breaks, punctuated and short lines measured by characters,
  the alpha share counted over white-space words (quotes, dashes and links are not non-words),
  bullet/ellipsis line shares only with ``min_lines_matched`` such lines, and a page carrying
  its article twice collapsed to one copy (``collapse_doubled``, removals booked as
  ``quality:doubled_paragraph``) instead of rejected.

``measure(text)`` runs every rule on its own and returns each value with its threshold: how a
benchmark sees which rule would reject which real article, and how close the others came.

The families run in datatrove's order (C4, Gopher quality, Gopher repetition, FineWeb), each
on the text the previous one left.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import DocumentStage, Reject, StageLog
from boilerclean.cleaners.stages.quality.c4 import Check, run_c4
from boilerclean.cleaners.stages.quality.params import QualityParams
from boilerclean.cleaners.stages.quality.rules import (
    NgramStats,
    TextStats,
    alpha_share_of_words,
    collapse_doubled,
    ends_sentence,
    find_duplicates,
    newline_runs,
    newline_split,
)


def _check(rule: str, value: float, threshold: float | None, too_low: bool) -> None:
    if threshold is None:
        return
    if (value < threshold) if too_low else (value > threshold):
        raise Reject(f"quality:{rule}", value=round(float(value), 4), threshold=threshold)


_PARA_SPLIT = re.compile(r"\n{2,}")


class QualityFilter(DocumentStage):
    """The four rule families as one document filter; see the module docstring."""

    name = "quality_filter"
    Params = QualityParams

    def __init__(self, params: QualityParams | None = None) -> None:
        super().__init__(params)
        self._stop = frozenset(self.params.gopher_quality.stop_words)

    def apply(self, doc: Document, log: StageLog) -> Document:
        p = self.params
        text = doc.text
        removed: list[tuple[str, str]] = []
        citations = 0
        if p.c4.enabled:
            text, removed, citations = run_c4(p.c4, text, _check)
        if p.gopher_repetition.enabled and p.gopher_repetition.collapse_doubled:
            text, doubled = collapse_doubled(text)
            removed.extend(("quality:doubled_paragraph", para) for para in doubled)
        stats = TextStats(text)
        if p.gopher_quality.enabled:
            self._gopher_quality(stats)
        if p.gopher_repetition.enabled:
            self._gopher_repetition(stats)
        if p.fineweb.enabled:
            self._fineweb(stats)
        for rule, line in removed:
            log.removed(doc, rule, line)
        if citations:
            log.changed(doc, "quality:c4_citation", chars=citations)
        doc.text = text
        return doc

    def measure(self, text: str) -> list[tuple[str, float, float, bool]]:
        """Every enabled rule on ``text``, each on its own: (rule id, value, threshold, rejects).

        What ``apply`` decides with, without stopping at the first failing rule (n-gram shares
        computed exactly): for benchmarks and for explaining how close a text came to a threshold.
        """
        p = self.params
        rows: list[tuple[str, float, float, bool]] = []

        def record(rule: str, value: float, threshold: float | None, too_low: bool) -> None:
            if threshold is not None:
                fails = (value < threshold) if too_low else (value > threshold)
                rows.append((f"quality:{rule}", round(float(value), 4), threshold, fails))

        def guarded(family: Callable[[], object]) -> None:
            try:
                family()
            except Reject as r:  # a rule that rejects outright (empty text, lorem ipsum)
                rows.append((r.reason, r.details.get("value", 0), r.details.get("threshold", 0), True))

        if p.c4.enabled:
            try:
                text = run_c4(p.c4, text, record)[0]
            except Reject as r:
                rows.append((r.reason, r.details.get("value", 0), r.details.get("threshold", 0), True))
        if p.gopher_repetition.enabled and p.gopher_repetition.collapse_doubled:
            text = collapse_doubled(text)[0]
        stats = TextStats(text)
        if p.gopher_quality.enabled:
            guarded(lambda: self._gopher_quality(stats, record))
        if p.gopher_repetition.enabled:
            guarded(lambda: self._gopher_repetition(stats, record, exact=True))
        if p.fineweb.enabled:
            guarded(lambda: self._fineweb(stats, record))
        return rows

    # -- Gopher quality ---------------------------------------------------------------------
    def _gopher_quality(self, stats: TextStats, check: Check = _check) -> None:
        g = self.params.gopher_quality
        text, words = stats.text, stats.words
        n_words = len(words)
        check("gopher_short_doc", n_words, g.min_doc_words, too_low=True)
        check("gopher_long_doc", n_words, g.max_doc_words, too_low=False)
        if not n_words:
            raise Reject("quality:gopher_short_doc", value=0, threshold=g.min_doc_words or 1)
        mean_len = sum(map(len, words)) / n_words
        check("gopher_mean_word_length_low", mean_len, g.min_avg_word_length, too_low=True)
        check("gopher_mean_word_length_high", mean_len, g.max_avg_word_length, too_low=False)
        n_tokens = stats.n_tokens
        check("gopher_hash_ratio", text.count("#") / n_tokens, g.max_hash_ratio, too_low=False)
        ellipses = text.count("...") + text.count("…")
        check("gopher_ellipsis_ratio", ellipses / n_tokens, g.max_ellipsis_ratio, too_low=False)
        lines = [line.strip() for line in text.splitlines()]
        lines = [line for line in lines if line]
        bullets = sum(1 for line in lines if line.startswith(("•", "-")))
        if bullets >= g.min_lines_matched:
            check("gopher_bullet_lines", bullets / len(lines), g.max_bullet_lines_ratio, too_low=False)
        trailing = sum(1 for line in lines if line.endswith(("...", "…")))
        if trailing >= g.min_lines_matched:
            check("gopher_ellipsis_lines", trailing / len(lines), g.max_ellipsis_lines_ratio, too_low=False)
        if g.min_alpha_words_ratio is not None:
            by_words = g.alpha_words_measure == "words"
            share = alpha_share_of_words(text) if by_words else stats.alpha_words() / n_tokens
            check("gopher_alpha_words", share, g.min_alpha_words_ratio, too_low=True)
        if g.min_stop_words is not None:
            check("gopher_stop_words", len(self._stop.intersection(words)), g.min_stop_words, too_low=True)

    # -- Gopher repetition ------------------------------------------------------------------
    def _gopher_repetition(self, stats: TextStats, check: Check = _check, exact: bool = False) -> None:
        r = self.params.gopher_repetition
        text = stats.text
        if not text:
            raise Reject("quality:gopher_empty", value=0, threshold=1)
        size = len(text)
        body = text.strip()
        paragraphs = _PARA_SPLIT.split(body) if "\n\n\n" in body else body.split("\n\n")
        dup_n, dup_chars = find_duplicates(paragraphs)
        check("gopher_dup_para_frac", dup_n / len(paragraphs), r.dup_para_frac, too_low=False)
        check("gopher_dup_para_char_frac", dup_chars / size, r.dup_para_char_frac, too_low=False)
        lines = newline_split(text)
        dup_n, dup_chars = find_duplicates(lines)
        check("gopher_dup_line_frac", dup_n / len(lines), r.dup_line_frac, too_low=False)
        check("gopher_dup_line_char_frac", dup_chars / size, r.dup_line_char_frac, too_low=False)
        if not (r.top_ngram_char_frac or r.dup_ngram_char_frac):
            return
        grams = NgramStats(stats.words)
        for n, frac in sorted(r.top_ngram_char_frac.items()):
            check(
                f"gopher_top_{n}_gram",
                grams.top_chars(n, limit=None if exact else frac * size) / size,
                frac,
                too_low=False,
            )
        for n, frac in sorted(r.dup_ngram_char_frac.items()):
            check(
                f"gopher_dup_{n}_gram",
                grams.dup_chars(n, limit=None if exact else frac * size) / size,
                frac,
                too_low=False,
            )

    # -- FineWeb ------------------------------------------------------------------------------
    def _fineweb(self, stats: TextStats, check: Check = _check) -> None:
        f = self.params.fineweb
        text = stats.text
        lines = [line for line in text.split("\n") if line.strip()]
        if not lines:
            raise Reject("quality:fineweb_empty", value=0, threshold=1)
        n = len(lines)
        if f.min_line_punct_ratio is not None:
            ended = [len(line) for line in lines if ends_sentence(line)]
            by_lines, by_chars = len(ended) / n, sum(ended) / max(1, sum(map(len, lines)))
            share = {"lines": by_lines, "chars": by_chars}.get(f.line_punct_measure, max(by_lines, by_chars))
            check("fineweb_line_punct", share, f.min_line_punct_ratio, too_low=True)
        if f.max_short_line_ratio is not None:
            short = [len(line) for line in lines if len(line) <= f.short_line_length]
            by_chars = f.short_line_measure == "chars"
            share = sum(short) / max(1, sum(map(len, lines))) if by_chars else len(short) / n
            check("fineweb_short_lines", share, f.max_short_line_ratio, too_low=False)
        if f.max_dup_line_char_ratio is not None:
            dup_chars = find_duplicates(lines)[1]
            check(
                "fineweb_dup_line_chars",
                dup_chars / max(1, len(text) - text.count("\n")),
                f.max_dup_line_char_ratio,
                too_low=False,
            )
        if f.max_newline_ratio is not None:
            breaks = text.count("\n") if f.count_blank_lines else newline_runs(text)
            check("fineweb_newline_ratio", breaks / max(1, stats.n_tokens), f.max_newline_ratio, too_low=False)
