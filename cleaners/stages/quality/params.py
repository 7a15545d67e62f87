"""Parameters of ``quality_filter``: one model per rule family, one field per rule.

Defaults are datatrove 0.10's thresholds; ``null`` / ``false`` switches a rule off. Each
description says what the rule catches and what real text it can take with it, because the
trade-off is the whole point of re-thresholding (see ``configs/dataset.yaml``).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from boilerclean.cleaners.stage import Params
from boilerclean.cleaners.stages.quality.rules import STOP_WORDS


def _f(default, description: str):
    return Field(default, description=description)


class C4Rules(Params):
    """C4 (Raffel et al. 2020): line rules remove lines, document rules drop the document."""

    enabled: bool = _f(True, "run the C4 family at all")
    remove_citations: bool = _f(True, "strip wiki citation marks [1] [edit]; harmless on news, rare there")
    max_word_length: int | None = _f(1000, "line rule: drop lines with a longer non-space run (base64, minified code)")
    no_terminal_punct: bool = _f(
        True, "line rule: drop lines not ending a sentence; removes menus but also subheadings and list items"
    )
    min_words_per_line: int | None = _f(3, "line rule: drop shorter lines; also removes short headings and datelines")
    javascript: bool = _f(True, "line rule: drop lines mentioning javascript (enable-JS notices)")
    policy: bool = _f(True, "line rule: drop lines with cookie / privacy-policy / terms-of-use phrases")
    phrase_line_max_words: int | None = _f(
        None, "apply javascript/policy only to lines up to this many words (null = any line, as C4)"
    )
    lorem_ipsum: bool = _f(True, "document rule: drop documents with 'lorem ipsum' (template filler)")
    curly_bracket: bool = _f(True, "document rule: drop documents with '{' (code, templates; also some prose)")
    min_sentences: int | None = _f(5, "document rule: fewer sentences left after line rules drops the document")


class GopherQualityRules(Params):
    """Gopher quality (Rae et al. 2021): document shape statistics."""

    enabled: bool = _f(True, "run the Gopher quality family at all")
    min_doc_words: int | None = _f(50, "fewer words drops the document (stubs, captions, link lists)")
    max_doc_words: int | None = _f(100_000, "more words drops the document (dumps, concatenated pages)")
    min_avg_word_length: float | None = _f(3, "mean word length below this: gibberish, tables of numbers")
    max_avg_word_length: float | None = _f(10, "mean word length above this: URLs, code, glued words")
    max_hash_ratio: float | None = _f(0.1, "'#' per token above this: hashtag spam, markdown debris")
    max_ellipsis_ratio: float | None = _f(0.1, "'...' per token above this: truncated teaser lists")
    max_bullet_lines_ratio: float | None = _f(0.9, "share of lines starting with a bullet (-, •) above this")
    max_ellipsis_lines_ratio: float | None = _f(0.3, "share of lines ending in an ellipsis above this: teasers")
    min_alpha_words_ratio: float | None = _f(0.8, "share of tokens with a letter below this: numbers, symbols")
    alpha_words_measure: Literal["tokens", "words"] = _f(
        "tokens",
        "what the alpha share counts: tokens (datatrove: words plus every punctuation mark, so quotes, dashes, "
        "links and figures weigh against prose) or white-space words (punctuation stays attached to its word)",
    )
    min_lines_matched: int = _f(
        1,
        "the bullet and ellipsis line shares reject only with at least this many such lines: in a three-"
        "paragraph item one quote trailing off is a third of the lines; a teaser list has dozens",
    )
    min_stop_words: int | None = _f(2, "fewer distinct stop words drops the document: not running English prose")
    stop_words: tuple[str, ...] = _f(STOP_WORDS, "the stop words (case-sensitive, as Gopher); set for other languages")


class GopherRepetitionRules(Params):
    """Gopher repetition: repeated lines, paragraphs and n-grams (spam, boilerplate loops)."""

    enabled: bool = _f(True, "run the Gopher repetition family at all")
    dup_para_frac: float | None = _f(0.3, "share of paragraphs that repeat an earlier one")
    dup_para_char_frac: float | None = _f(0.2, "share of characters in repeated paragraphs")
    dup_line_frac: float | None = _f(0.3, "share of lines that repeat an earlier one")
    dup_line_char_frac: float | None = _f(0.2, "share of characters in repeated lines")
    top_ngram_char_frac: dict[int, float] = _f(
        {2: 0.20, 3: 0.18, 4: 0.16}, "n -> max char share of the most frequent n-gram; {} disables"
    )
    collapse_doubled: bool = _f(
        False,
        "a text whose repeated paragraphs (8+ words) each occur exactly twice is a page carrying its article "
        "twice: keep the first copies and judge those; three copies or more is a loop, judged as is",
    )
    dup_ngram_char_frac: dict[int, float] = _f(
        {5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10},
        "n -> max char share of duplicated n-grams; {} disables",
    )


class FineWebRules(Params):
    """FineWeb (Penedo et al. 2024): line-shape rules tuned on CommonCrawl extractions."""

    enabled: bool = _f(True, "run the FineWeb family at all")
    min_line_punct_ratio: float | None = _f(0.12, "share of lines ending a sentence below this: lists, menus")
    line_punct_measure: Literal["lines", "chars", "lines_or_chars"] = _f(
        "lines",
        "share of sentence-ending lines by count (FineWeb), by characters (a list article's prose counts) or "
        "the larger of the two (passes list articles of either shape; menus fail both)",
    )
    max_short_line_ratio: float | None = _f(0.67, "share of short lines above this: navigation, tables")
    short_line_length: int = _f(30, "a line up to this many characters is short")
    short_line_measure: Literal["lines", "chars"] = _f(
        "lines", "share of short lines by count (FineWeb) or by characters (a listicle's short heads stay)"
    )
    max_dup_line_char_ratio: float | None = _f(0.01, "chars of repeated lines / all chars above this")
    max_newline_ratio: float | None = _f(0.3, "newlines per token above this: lists")
    count_blank_lines: bool = _f(
        True, "count every newline (datatrove); false counts line breaks, so blank paragraph separators count once"
    )


class QualityParams(Params):
    c4: C4Rules = _f(C4Rules(), "C4 rules")
    gopher_quality: GopherQualityRules = _f(GopherQualityRules(), "Gopher quality rules")
    gopher_repetition: GopherRepetitionRules = _f(GopherRepetitionRules(), "Gopher repetition rules")
    fineweb: FineWebRules = _f(FineWebRules(), "FineWeb rules")
