"""The C4 family (Raffel et al. 2020): line rules that remove lines, document rules that reject.

Kept apart from the other families because it is the only one that edits the text: it walks the
lines once, removes what a line rule names, keeps the paragraph structure, and counts the
sentences left. ``check(rule, value, threshold, too_low)`` decides (raises) or records (measure).
"""

from __future__ import annotations

from collections.abc import Callable

from boilerclean.cleaners.stage import Reject
from boilerclean.cleaners.stages.quality.params import C4Rules
from boilerclean.cleaners.stages.quality.rules import (
    CITATION_RE,
    HAS_CJK,
    WORD_CJK_RE,
    c4_terminal,
    count_sentences,
    has_policy_phrase,
    longest_word,
)

Check = Callable[[str, float, "float | None", bool], None]


def line_rule(c4: C4Rules, line: str) -> str | None:
    """The rule id that removes ``line`` (or a document Reject), in datatrove's order; None keeps it."""
    if c4.max_word_length and len(line) > c4.max_word_length and longest_word(line) > c4.max_word_length:
        return "quality:c4_too_long_word"
    if c4.no_terminal_punct and not c4_terminal(line):
        return "quality:c4_no_terminal_punct"
    n_words = 0
    if c4.min_words_per_line or c4.phrase_line_max_words:
        n_words = len(line.split())  # C4 counts white-space words
        if c4.min_words_per_line and n_words < c4.min_words_per_line and HAS_CJK(line):
            n_words = len(WORD_CJK_RE.findall(line))  # no spaces between CJK words: count characters
    if c4.min_words_per_line and n_words < c4.min_words_per_line:
        return "quality:c4_too_few_words"
    low = line.lower()
    if c4.lorem_ipsum and "lorem ipsum" in low:
        raise Reject("quality:c4_lorem_ipsum", value=1, threshold=0)
    phrase_rules = c4.phrase_line_max_words is None or n_words <= c4.phrase_line_max_words
    if c4.javascript and phrase_rules and "javascript" in low:
        return "quality:c4_javascript"
    if c4.curly_bracket and "{" in line:
        raise Reject("quality:c4_curly_bracket", value=1, threshold=0)
    if c4.policy and phrase_rules and has_policy_phrase(low):
        return "quality:c4_policy"
    return None


def needs_lines(c4: C4Rules, text: str) -> bool:
    """Whether any C4 rule can fire on some line: one scan of the text saves the per-line loop."""
    if c4.no_terminal_punct or c4.min_words_per_line or (c4.remove_citations and "[" in text):
        return True
    if c4.max_word_length and len(text) > c4.max_word_length and longest_word(text) > c4.max_word_length:
        return True
    if c4.curly_bracket and "{" in text:
        return True
    if c4.lorem_ipsum or c4.javascript or c4.policy:
        low = text.lower()
        return bool(
            (c4.lorem_ipsum and "lorem ipsum" in low)
            or (c4.javascript and "javascript" in low)
            or (c4.policy and has_policy_phrase(low))
        )
    return False


def run_c4(c4: C4Rules, text: str, check: Check) -> tuple[str, list[tuple[str, str]], int]:
    """(text left, removed (rule, line) pairs, citation characters cut); document rules call ``check`` or raise."""
    removed: list[tuple[str, str]] = []
    citations = 0
    paragraphs: list[str] = []
    if not needs_lines(c4, text):  # no line can fire: only count sentences
        if c4.min_sentences is not None:
            n_lines = len(list(filter(str.strip, text.splitlines())))
            check("c4_too_few_sentences", count_sentences(text, n_lines), c4.min_sentences, too_low=True)
        return text, removed, citations
    for para in text.split("\n\n"):
        kept = []
        for raw_line in para.splitlines():
            line = raw_line.strip()
            if not line:
                continue
            if c4.remove_citations and "[" in line:
                cleaned = CITATION_RE.sub("", line).strip()
                citations += len(line) - len(cleaned)
                line = cleaned
                if not line:
                    continue
            rule = line_rule(c4, line)
            if rule is not None:
                removed.append((rule, raw_line))
                continue
            kept.append(line)
        if kept:
            paragraphs.append("\n".join(kept))
    out = text if not removed and not citations else "\n\n".join(paragraphs)
    if c4.min_sentences is not None:
        n_lines = sum(para.count("\n") + 1 for para in paragraphs)
        check("c4_too_few_sentences", count_sentences(out, n_lines), c4.min_sentences, too_low=True)
    return out, removed, citations
