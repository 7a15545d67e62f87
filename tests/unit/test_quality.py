"""quality_filter: the C4 / Gopher / FineWeb rules, their ids, switches, and the news fixes."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerclean.cleaners.config import load_config
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.pipeline import clean_documents
from boilerclean.cleaners.stage import Reject, Rejected, StageLog
from boilerclean.cleaners.stages.quality.filter import QualityFilter, QualityParams
from boilerclean.cleaners.stages.quality.rules import (
    NgramStats,
    TextStats,
    c4_terminal,
    ends_sentence,
    newline_runs,
    newline_split,
)

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", REPO / ".." / "shared"))
NEWSLINES = SHARED / "eval" / "newslines" / "dev_docs.jsonl"
FAMILIES = ("c4", "gopher_quality", "gopher_repetition", "fineweb")

PARAGRAPHS = [
    "The city council met on Tuesday to discuss the budget for the coming year, and the mood was tense.",
    "Several members said that the proposal would have to be changed before they could support it.",
    "The mayor, who has held the office since 2015, defended the plan with a long speech to the chamber.",
    "Residents who attended the meeting asked why the library would lose a third of its funding.",
    "A final vote is expected next month, after a public hearing that will be held at the town hall.",
    "Officials with the state government said they were watching the debate closely and would comment later.",
]
ARTICLE = "\n\n".join(PARAGRAPHS)


def only(family: str, **rules) -> QualityFilter:
    """A filter running one family, with some of its rules re-set."""
    params = {fam: {"enabled": False} for fam in FAMILIES}
    params[family] = rules
    return QualityFilter(QualityParams.model_validate(params))


def reject_of(stage: QualityFilter, text: str) -> Reject | None:
    try:
        stage.apply(Document(id="d", text=text), StageLog(stage.name))
    except Reject as r:
        return r
    return None


def test_a_real_article_passes_every_family_at_datatrove_thresholds():
    assert reject_of(QualityFilter(), ARTICLE) is None


# -- terminal punctuation: the fix -------------------------------------------------------------
@pytest.mark.parametrize(
    "line", ["He said “stop.”", "Is it ‘over?’", "It was (mostly) fine.)", "Quoted: “yes!”", "End."]
)
def test_closing_quotes_and_brackets_end_a_sentence(line):
    assert ends_sentence(line) and c4_terminal(line)


@pytest.mark.parametrize(
    "line",
    ["The ship landed at dawn. [G1 / G2]", "It was first sighted in 1910.[4]", "They won. (Source: league table)"],
)
def test_a_reference_after_the_full_stop_still_ends_the_sentence(line):
    assert ends_sentence(line) and c4_terminal(line)


@pytest.mark.parametrize(
    "line",
    ["Read more", "Trailing off...", "Trailing off…", "Share this:", "", "(Artist: Jane Roe)", "Photos [all]", "[3]"],
)
def test_non_terminal_lines(line):
    assert not c4_terminal(line)


def test_c4_keeps_a_quote_ending_in_a_curly_quote_and_removes_a_menu_line():
    stage = only("c4", min_sentences=None)
    doc = Document(id="d", text="Home News Sport\n\n" + ARTICLE + "\n\nShe said: “We will be back next year.”")
    doc.removals = []
    log = StageLog("quality_filter")
    out = stage.apply(doc, log)
    assert out.text.endswith("“We will be back next year.”")
    assert "Home News Sport" not in out.text
    assert log.lines == {"quality:c4_no_terminal_punct": 1}
    assert [(r.rule, r.text) for r in doc.removals] == [("quality:c4_no_terminal_punct", "Home News Sport")]
    assert out.text.split("\n\n") == [*PARAGRAPHS, "She said: “We will be back next year.”"]


def test_c4_line_rules_in_datatrove_order_and_removals_booked_only_for_kept_documents():
    stage = only("c4")
    text = "Please enable JavaScript to view this page.\n\nWe use cookies to improve the site.\n\n" + ARTICLE
    log = StageLog("quality_filter")
    stage.apply(Document(id="d", text=text), log)
    assert log.lines == {"quality:c4_javascript": 1, "quality:c4_policy": 1}
    log = StageLog("quality_filter")
    with pytest.raises(Reject) as info:
        stage.apply(Document(id="d", text="Please enable JavaScript now.\n\nOne short line here."), log)
    assert info.value.reason == "quality:c4_too_few_sentences"
    assert info.value.details == {"value": 1, "threshold": 5}
    assert not log.lines  # the document is gone: its line removals are not counted


def test_c4_document_rules_and_switches():
    assert reject_of(only("c4"), ARTICLE + "\n\nLorem ipsum dolor sit amet, consectetur.").reason == (
        "quality:c4_lorem_ipsum"
    )
    assert reject_of(only("c4"), ARTICLE + "\n\nThe code was {x: 1} in the end.").reason == "quality:c4_curly_bracket"
    assert reject_of(only("c4", curly_bracket=False), ARTICLE + "\n\nThe code was {x: 1} here.") is None
    assert reject_of(only("c4", min_sentences=7), ARTICLE).details == {"value": 6, "threshold": 7}


def test_c4_phrase_rules_spare_long_paragraphs_when_limited():
    para = (
        "The privacy policy of the company was changed in March, and regulators in three countries "
        "said they would look at whether users had been told about it in time."
    )
    stage = only("c4", no_terminal_punct=False, min_words_per_line=None, phrase_line_max_words=20)
    doc = stage.apply(Document(id="d", text=ARTICLE + "\n\n" + para), StageLog("q"))
    assert doc.text.endswith(para)


# -- Gopher quality ----------------------------------------------------------------------------
def test_gopher_stop_words_reason_value_threshold():
    text = " ".join("Alpha Beta Gamma Delta Epsilon." for _ in range(20))
    r = reject_of(only("gopher_quality"), text)
    assert (r.reason, r.details) == ("quality:gopher_stop_words", {"value": 0, "threshold": 2})
    assert reject_of(only("gopher_quality", min_stop_words=None), text) is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("The cat sat on the mat.", "quality:gopher_short_doc"),
        (" ".join(["the to and of a b c d"] * 20), "quality:gopher_mean_word_length_low"),
        (
            " ".join(["the to internationalisations counterrevolutionaries"] * 20),
            "quality:gopher_mean_word_length_high",
        ),
        (ARTICLE + " " + " ".join(["#tag"] * 30), "quality:gopher_hash_ratio"),
        (ARTICLE + " " + " ".join(["more..."] * 30), "quality:gopher_ellipsis_ratio"),
        ("\n".join(f"- item {i} of the list and more" for i in range(20)), "quality:gopher_bullet_lines"),
        ("\n\n".join(p[:-1] + "…" for p in PARAGRAPHS), "quality:gopher_ellipsis_lines"),
        (ARTICLE + " " + " ".join(str(1000 + i) for i in range(60)), "quality:gopher_alpha_words"),
    ],
)
def test_gopher_quality_rules(text, reason):
    assert reject_of(only("gopher_quality"), text).reason == reason


# -- Gopher repetition -------------------------------------------------------------------------
def test_gopher_repetition_rules():
    assert reject_of(only("gopher_repetition"), ARTICLE + "\n\n" + ARTICLE).reason == "quality:gopher_dup_para_frac"
    spam = ARTICLE + "\n\n" + " ".join(["buy cheap pills now"] * 40)
    assert reject_of(only("gopher_repetition"), spam).reason == "quality:gopher_top_2_gram"
    stage = only("gopher_repetition", top_ngram_char_frac={})
    assert reject_of(stage, spam).reason == "quality:gopher_dup_5_gram"
    assert reject_of(only("gopher_repetition", top_ngram_char_frac={}, dup_ngram_char_frac={}), spam) is None


def _top_reference(words: list[str], n: int) -> int:
    """datatrove's find_top_duplicate over get_n_grams."""
    grams = [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
    if not grams:
        return 0
    gram, count = Counter(grams).most_common(1)[0]
    return len(gram) * count


def _dup_reference(words: list[str], n: int) -> int:
    """datatrove's find_all_duplicate."""
    unique, repeated, idx = set(), 0, 0
    while idx < len(words) - n + 1:
        gram = "".join(words[idx : idx + n])
        if gram in unique:
            repeated += len(gram)
            idx += n
        else:
            unique.add(gram)
            idx += 1
    return repeated


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["a", "bb", "the", "cat", "sat", "mat", "xyzzy"]), max_size=80))
def test_ngram_measures_equal_datatrove_reference(words):
    stats = NgramStats(words)
    for n in (2, 3, 4):
        assert stats.top_chars(n) == _top_reference(words, n)
    for n in (5, 6, 7, 8, 9, 10):
        assert stats.dup_chars(n) == _dup_reference(words, n)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["a", "bb", "the", "cat", "sat", "mat", "xyzzy"]), max_size=80))
def test_ngram_bounds_never_hide_a_rejection(words):
    stats, size = NgramStats(words), max(1, sum(map(len, words)))
    for n in (2, 3, 4):
        limit = 0.2 * size
        assert (stats.top_chars(n, limit=limit) > limit) == (_top_reference(words, n) > limit)
    for n in (5, 6, 7):
        limit = 0.1 * size
        assert (stats.dup_chars(n, limit=limit) > limit) == (_dup_reference(words, n) > limit)


@given(st.text(max_size=300))
def test_alpha_word_count_matches_definition(text):
    stats = TextStats(text)
    exact = sum(1 for w in stats.words if any(c.isalpha() for c in w))
    assert stats.alpha_words() == exact


# -- FineWeb -----------------------------------------------------------------------------------
def test_fineweb_rules():
    menu = "\n".join(["Home", "News", "Sport", "Weather", "Contact us", "About"] * 3) + "\n" + PARAGRAPHS[0]
    assert reject_of(only("fineweb"), menu).reason == "quality:fineweb_line_punct"
    names = "\n".join(f"Person Number {i}, Senator of the State of Somewhere" for i in range(60))
    list_article = ARTICLE.replace("\n\n", "\n") + "\n" + names
    assert reject_of(only("fineweb", max_dup_line_char_ratio=None), list_article).reason == "quality:fineweb_line_punct"
    by_chars = only("fineweb", line_punct_measure="chars", short_line_measure="chars")
    assert reject_of(by_chars, list_article) is None
    either = only("fineweb", line_punct_measure="lines_or_chars", short_line_measure="chars")
    assert reject_of(either, list_article) is None
    menu_only = "\n".join(["Home", "News", "Sport", "Weather", "Contact us", "About us today"])
    assert reject_of(either, menu_only).reason == "quality:fineweb_line_punct"
    short = "\n".join(f"Item {i}." for i in range(20)) + "\n" + ARTICLE
    assert reject_of(only("fineweb"), short).reason == "quality:fineweb_short_lines"
    assert reject_of(only("fineweb", short_line_measure="chars"), short) is None
    dup = ARTICLE + "\n\n" + PARAGRAPHS[0]
    assert reject_of(only("fineweb"), dup).reason == "quality:fineweb_dup_line_chars"
    listy = "\n\n".join(f"Yes, {i}." for i in range(10))
    r = reject_of(only("fineweb", max_short_line_ratio=None), listy)
    assert r.reason == "quality:fineweb_newline_ratio"
    assert reject_of(only("fineweb", max_short_line_ratio=None, count_blank_lines=False), listy) is None


def test_cjk_counts_characters_as_words():
    text = "。".join(["今天天气很好我们去公园散步了"] * 8) + "。"
    assert len(TextStats(text).words) > 50


# -- config, report, properties -------------------------------------------------------------------
def test_dataset_config_builds_and_report_counts_rules():
    cfg = load_config(REPO / "configs" / "dataset.yaml")
    params = next(s.params for s in cfg.stages if s.name == "quality_filter")
    stage = QualityFilter(QualityParams.model_validate(params))
    docs = [Document(id="a", text=ARTICLE), Document(id="b", text="Too short to be an article.")]
    results, reports = clean_documents([stage], docs)
    assert [r.reason for r in results if isinstance(r, Rejected)] == ["quality:c4_too_few_sentences"]
    assert reports[0]["rejected"] == {"quality:c4_too_few_sentences": 1}


def test_unknown_rule_is_a_config_error():
    with pytest.raises(ValueError):
        QualityParams.model_validate({"c4": {"no_such_rule": 1}})


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_never_raises_and_invents_no_text(text):
    stage = only("c4", min_sentences=None)
    try:
        out = stage.apply(Document(id="d", text=text), StageLog("q")).text
    except Reject:
        return
    source = {line.strip() for line in text.splitlines()}
    assert all(line.strip() in source for line in out.split("\n") if line.strip())
    assert stage.apply(Document(id="d", text=out), StageLog("q")).text == out  # idempotent
    for family in ("gopher_quality", "gopher_repetition", "fineweb"):
        try:
            only(family).apply(Document(id="d", text=text), StageLog("q"))
        except Reject:
            pass


@pytest.mark.skipif(not NEWSLINES.exists(), reason="shared/eval/newslines not available")
def test_dataset_config_rejects_no_real_article_over_80_words():
    cfg = load_config(REPO / "configs" / "dataset.yaml")
    params = next(s.params for s in cfg.stages if s.name == "quality_filter")
    stage = QualityFilter(QualityParams.model_validate(params))
    docs = [json.loads(line) for line in NEWSLINES.open(encoding="utf-8")]
    long_docs = [d for d in docs if len(d["expected"].split()) > 80]
    assert len(long_docs) > 30
    rejected = {d["doc_id"]: r.reason for d in long_docs if (r := reject_of(stage, d["expected"]))}
    assert rejected == {}


@given(st.text(alphabet=st.sampled_from("ab \n"), max_size=40))
def test_line_splitting_shortcuts_equal_the_regex_definitions(text):
    assert newline_split(text) == re.split(r"\n+", text)
    assert newline_runs(text) == len(re.findall(r"\n+", text))


def test_rejected_record_carries_stage_rule_value_and_threshold():
    doc = Document(id="r1", text=" ".join("Alpha Beta Gamma Delta Epsilon." for _ in range(20)), raw={"id": "r1"})
    results, reports = clean_documents([only("gopher_quality")], [doc])
    record = results[0].output_record()
    assert record == {
        "id": "r1",
        "stage": "quality_filter",
        "reason": "quality:gopher_stop_words",
        "value": 0,
        "threshold": 2,
    }
    assert reports[0]["rejected"] == {"quality:gopher_stop_words": 1}


# -- news-safe measures: white-space words, minimum evidence, doubled pages -----------------------
QUOTED = "\n\n".join(
    [
        "“It’s over,” the mayor said — twice — at 9:30 p.m. (local time) on Tuesday, 12/3.",
        "Sources: city hall (https://example.org/a/b/c?x=1), the council’s minutes, pp. 4–7; “Budget ’19.”",
        *PARAGRAPHS,
    ]
)


def test_alpha_share_by_words_spares_punctuated_prose_and_still_catches_tables():
    tokens = only("gopher_quality", min_alpha_words_ratio=0.8)
    words = only("gopher_quality", min_alpha_words_ratio=0.8, alpha_words_measure="words")
    assert reject_of(tokens, QUOTED).reason == "quality:gopher_alpha_words"
    assert reject_of(words, QUOTED) is None
    table = "\n".join(f"Westfield {i} {i + 3} {2 * i} — {i * 7}.{i}% {i + 1}/{i + 2}" for i in range(30))
    assert reject_of(words, table).reason == "quality:gopher_alpha_words"


def test_line_share_rules_need_enough_matching_lines():
    item = "\n\n".join([PARAGRAPHS[0], PARAGRAPHS[1][:-1] + "…", PARAGRAPHS[2]])  # one line of three trails off
    assert reject_of(only("gopher_quality"), item).reason == "quality:gopher_ellipsis_lines"
    assert reject_of(only("gopher_quality", min_lines_matched=3), item) is None
    teasers = "\n\n".join(p[:-1] + "…" for p in PARAGRAPHS)
    assert reject_of(only("gopher_quality", min_lines_matched=3), teasers).reason == "quality:gopher_ellipsis_lines"


def test_doubled_page_keeps_one_copy_and_a_loop_is_still_rejected():
    stage = only("gopher_repetition", collapse_doubled=True)
    doc = Document(id="d", text=ARTICLE + "\n\nWatch the video\n\n" + ARTICLE)
    doc.removals = []
    log = StageLog("q")
    assert stage.apply(doc, log).text == ARTICLE + "\n\nWatch the video"
    assert log.lines == {"quality:doubled_paragraph": len(PARAGRAPHS)}
    assert {r.rule for r in doc.removals} == {"quality:doubled_paragraph"}
    looped = "\n\n".join([ARTICLE] * 3)
    assert reject_of(stage, looped).reason == "quality:gopher_dup_para_frac"
    assert reject_of(only("gopher_repetition"), ARTICLE + "\n\n" + ARTICLE).reason == "quality:gopher_dup_para_frac"


def test_a_rejected_document_books_no_doubled_paragraphs():
    stage = QualityFilter(QualityParams.model_validate({"gopher_repetition": {"collapse_doubled": True}}))
    log = StageLog("q")
    short = PARAGRAPHS[0] + "\n\n" + PARAGRAPHS[0]
    with pytest.raises(Reject):
        stage.apply(Document(id="d", text=short), log)
    assert not log.lines


@pytest.mark.parametrize("text", [ARTICLE, QUOTED, "\n\n".join(p[:-1] + "…" for p in PARAGRAPHS), "", "lorem ipsum"])
def test_measure_agrees_with_apply(text):
    """The first failing rule of ``measure`` is the rule ``apply`` rejects with; none fails when it keeps."""
    stage = QualityFilter()
    failing = [row for row in stage.measure(text) if row[3]]
    rejection = reject_of(stage, text)
    assert (failing[0][0] if failing else None) == (rejection.reason if rejection else None)
