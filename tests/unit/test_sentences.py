"""segment_sentences: the sentence contract on any text, the rules on known cases, scores on the dev sets."""

from __future__ import annotations

import importlib.util
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from boilerclean.cleaners.catalog import stage_class
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import StageLog
from boilerclean.cleaners.stages.sentences.rules import paragraph_spans, split_sentences
from boilerclean.cleaners.stages.sentences.segmenter import SegmentSentences, _per_paragraph, cap_length
from tests.conftest import shared_path

BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def sentences(text: str, **params) -> list[str]:
    stage = SegmentSentences(SegmentSentences.Params(**params))
    return stage.apply(Document("t", text), StageLog(stage.name)).sentences


def assert_contract(text: str, spans: list[tuple[int, int]]) -> None:
    """Exact trimmed substrings, in order, non-overlapping, covering all non-space text, within paragraphs."""
    covered = bytearray(len(text))
    pos = 0
    for a, b in spans:
        assert pos <= a < b <= len(text), spans
        piece = text[a:b]
        assert piece == piece.strip(), piece
        assert not BLANK_LINE.search(piece), piece
        covered[a:b] = b"\x01" * (b - a)
        pos = b
    missing = [i for i, c in enumerate(text) if not c.isspace() and not covered[i]]
    assert not missing, (text, spans, missing)


# --- the rules on known cases -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said “No.” Then he left.", ["He said “No.”", "Then he left."]),
        ("She turned to him, 'This is great.' she said.", ["She turned to him, 'This is great.' she said."]),
        ("Dr. Smith met Mrs. Jones at 5 p.m. on Jan. 5.", ["Dr. Smith met Mrs. Jones at 5 p.m. on Jan. 5."]),
        ("I live in the U.S. How about you?", ["I live in the U.S.", "How about you?"]),
        ("I work for the U.S. Government in Virginia.", ["I work for the U.S. Government in Virginia."]),
        ("Please turn to p. 55 and see Fig. 3 there.", ["Please turn to p. 55 and see Fig. 3 there."]),
        ("Her email is jane.doe@example.com. I wrote.", ["Her email is jane.doe@example.com.", "I wrote."]),
        ("ok. so then we left. it was late.", ["ok.", "so then we left.", "it was late."]),
        ("Hello!! Is that you?! Yes...", ["Hello!!", "Is that you?!", "Yes..."]),
        ("She works at Yahoo! in the accounting department.", ["She works at Yahoo! in the accounting department."]),
        ("I wasn't really ... well, what I mean... see.", ["I wasn't really ... well, what I mean... see."]),
        ("I never meant that.... She left.", ["I never meant that....", "She left."]),
        ("1) The first item 2) The second item", ["1) The first item", "2) The second item"]),
        ("a. The first item b. The second c. The third", ["a. The first item", "b. The second", "c. The third"]),
        ("A. Smith and B. Jones wrote it.", ["A. Smith and B. Jones wrote it."]),
        (
            "She has a Ph.D. She is smart. Ph.D. students agree.",
            ["She has a Ph.D.", "She is smart.", "Ph.D. students agree."],
        ),
        ("• 9. Buy milk • 10. Call Sam", ["• 9. Buy milk", "• 10. Call Sam"]),
        ("I have 2) reasons to stay 3) here.", ["I have 2) reasons to stay 3) here."]),
        ("Would this be fine? Thanks, Martin", ["Would this be fine?", "Thanks,", "Martin"]),
        ("Thanks, I will do that.", ["Thanks, I will do that."]),
        ("Hi Jane, Please see the file.", ["Hi Jane,", "Please see the file."]),
        ("Louise, There are two files.", ["Louise,", "There are two files."]),
        ("However, There is more.", ["However, There is more."]),
        ("We have 5 locations: http://example.com/a The best one is here.", None),
        ("Is it good? ? I think so.", ["Is it good? ?", "I think so."]),
        ("That is great. :) See you.", ["That is great. :)", "See you."]),
        (
            "It is on company servers. (ZD Net) It looks bad.",
            ["It is on company servers.", "(ZD Net)", "It looks bad."],
        ),
        ("Shot in 2016. (Photo by Pete Souza) Public Domain", ["Shot in 2016.", "(Photo by Pete Souza) Public Domain"]),
        ("Email: ann@example.com WE HAVE A DATE", ["Email: ann@example.com", "WE HAVE A DATE"]),
        ("Visit www.example.org for more.", ["Visit www.example.org for more."]),
        (
            "Kevin@ENRON 01/24/2001 03:51 PM Per our talk, yes.",
            ["Kevin@ENRON", "01/24/2001 03:51 PM", "Per our talk, yes."],
        ),
        ("We met at 10:30 AM Eastern time.", ["We met at 10:30 AM Eastern time."]),
        ("The site is: https://www.example.50.com/a_b.html. Please check it out.", None),
    ],
)
def test_rules(text: str, expected: list[str] | None) -> None:
    got = sentences(text)
    if expected is None and "5 locations" in text:  # a URL standing alone between a colon and a sentence
        expected = ["We have 5 locations:", "http://example.com/a", "The best one is here."]
    elif expected is None:  # a URL with its sentence's full stop stays in that sentence
        expected = [text[: text.index(". ") + 1], "Please check it out."]
    assert got == expected


def test_sentence_never_crosses_a_paragraph_break() -> None:
    assert sentences("A heading without a stop\n\nthe body starts here. Then more\n \nend") == [
        "A heading without a stop",
        "the body starts here.",
        "Then more",
        "end",
    ]


def test_hard_wrapped_paragraphs_are_joined_but_line_lists_are_not() -> None:
    wrapped = (
        "Because the mail client does not care where sentences end, it breaks\r\n"
        "the text anywhere it likes, at a width of about seventy characters\r\n"
        "Tuesday or not. The End"
    )
    assert sentences(wrapped) == [wrapped[: wrapped.index(" The End")], "The End"]
    names = "James Kunder, assistant administrator for communications policy\nJohn Kasich, Governor\nAnn Lee, Mayor"
    assert sentences(names) == names.split("\n")


def test_single_line_breaks_follow_the_newline_param() -> None:
    text = "Best regards\nJohn Smith\nSales Director"
    assert sentences(text) == ["Best regards", "John Smith", "Sales Director"]
    assert sentences(text, newline="never") == [text]
    wrapped = "This paragraph was wrapped by an e-mail client at a fixed width of\nseventy characters or so."
    assert sentences(wrapped) == [wrapped]
    assert sentences(wrapped, newline="always") == wrapped.split("\n")


def test_max_sentence_chars_caps_and_counts() -> None:
    text = ("word " * 400).strip() + ". Next one."
    stage = SegmentSentences(SegmentSentences.Params(max_sentence_chars=300))
    log = StageLog(stage.name)
    doc = stage.apply(Document("t", text), log)
    assert all(len(s) <= 300 for s in doc.sentences)
    assert doc.sentences[-1] == "Next one."
    assert log.counters["sentences:capped"] == len(doc.sentences) - 2
    assert sentences(text, max_sentence_chars=0)[0] == text[: text.index(".") + 1]


def test_spans_are_filled_when_asked() -> None:
    text = "  One here.  Two there.\n\nThree.  "
    stage = SegmentSentences(SegmentSentences.Params(spans=True))
    doc = stage.apply(Document("t", text), StageLog(stage.name))
    assert doc.sentences == ["One here.", "Two there.", "Three."]
    assert [text[a:b] for a, b in doc.sentence_spans] == doc.sentences
    assert sentences("", spans=True) == [] and sentences(" \n\n ") == []


def test_stage_is_registered_and_params_are_strict() -> None:
    assert stage_class("segment_sentences") is SegmentSentences
    with pytest.raises(ValidationError):
        SegmentSentences.Params(backend="nonsense")
    with pytest.raises(ValidationError):
        SegmentSentences.Params(max_chars=10)


@pytest.mark.parametrize("backend", ["pysbd", "blingfire", "spacy"])
def test_missing_optional_backend_names_the_package(backend: str) -> None:
    if importlib.util.find_spec(backend) is not None:
        pytest.skip(f"{backend} is installed")
    with pytest.raises(ImportError, match=r"pip install"):
        SegmentSentences(SegmentSentences.Params(backend=backend))


@pytest.mark.parametrize("backend", ["punkt", "nupunkt"])
def test_installed_backends_keep_the_contract(backend: str) -> None:
    pytest.importorskip(backend)
    text = "Dr. Smith went home.  He slept.\n\nThe end came late. Really late!"
    stage = SegmentSentences(SegmentSentences.Params(backend=backend, spans=True))
    doc = stage.apply(Document("t", text), StageLog(stage.name))
    assert_contract(text, doc.sentence_spans)
    assert doc.sentences[-2:] == ["The end came late.", "Really late!"]


# --- the contract on arbitrary text ---------------------------------------------------------------

PIECES = st.sampled_from(
    [*"aZ. ?!…\n\t,:;\"'”“()[]•⁃1290@/-_\u00a0\r\u2028IM", "Mr.", "U.S.", " . . .", "...", "http://x.co",
     "a@b.com", "1) ", "a. ", " 2. ", "Best, ", "Hi Jo, ", "01/02/2000 10:22 PM ", ": http://a.b/c ", "\n\n",
     "[12]", " [3 - 5] ", "[...]", " 7 ", " — ", " -- ", "-----", "*****", "==", "Figure 1.2 ", " 1) ", " 2) ",
     '"Jo"<j@x.org> ', "Hi, ", "mm. ", "e.g. ", "CPA. ", "L.P.. ", "Even ", "The "]
)  # fmt: skip
TEXTS = st.lists(PIECES, max_size=50).map("".join) | st.text(max_size=120)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.sampled_from(["auto", "always", "never"]), st.integers(0, 25))
def test_contract_holds_on_any_text(text: str, newline: str, cap: int) -> None:
    spans = split_sentences(text, newline=newline)
    assert_contract(text, spans)
    if cap:
        capped, _ = cap_length(text, spans, cap)
        assert_contract(text, capped)
        assert all(b - a <= cap for a, b in capped)
    stage = SegmentSentences(SegmentSentences.Params(newline=newline, max_sentence_chars=cap, spans=True))
    doc = stage.apply(Document("t", text), StageLog(stage.name))
    assert doc.sentences == [text[a:b] for a, b in doc.sentence_spans]
    assert doc.text == text  # the stage only reads the text
    again = stage.apply(Document("t", text), StageLog(stage.name))
    assert again.sentences == doc.sentences  # deterministic


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.integers(0, 3))
def test_third_party_output_is_mapped_onto_the_text(text: str, mode: int) -> None:
    """Whatever a backend returns (normalised, dropped or invented text), the stage's output keeps the contract."""

    def unreliable(paragraph: str) -> list[str]:
        words = paragraph.split()
        if mode == 0:
            return [" ".join(words[i : i + 3]) for i in range(0, len(words), 3)]
        if mode == 1:
            return [w.upper() for w in words]
        if mode == 2:
            return ["invented", *words[::2]]
        return []

    assert_contract(text, _per_paragraph(unreliable)(text))


def test_paragraph_spans() -> None:
    text = " a b \n \n c\nd \n\n\n e "
    assert [text[a:b] for a, b in paragraph_spans(text)] == ["a b", "c\nd", "e"]


# --- scores on the dev sets (floors well under the measured numbers; the benchmark prints those) ---


def _score_module():
    path = shared_path("eval", "sentences", "score.py")
    spec = importlib.util.spec_from_file_location("sentence_score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _predict(records: list[dict], field: str) -> dict[str, dict]:
    return {r["id"]: {"sentences": sentences(r[field])} for r in records}


def _read(name: str) -> list[dict]:
    with shared_path("eval", "sentences", name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_golden_rules() -> None:
    gold = _read("golden_rules_en.jsonl")
    result = _score_module().score_golden(gold, _predict(gold, "text"))
    assert result["passed"] >= 44, result["fails"]


@pytest.mark.parametrize(
    ("name", "floor"),
    [
        ("ud_ewt_test.dev.jsonl", 0.93),
        ("ud_gum_test.dev.jsonl", 0.985),
        ("ud_ewt_devsplit.jsonl", 0.94),  # UD's own dev split: nothing was learned from it
        ("ud_gum_devsplit.jsonl", 0.975),
    ],
)
def test_ud_dev_f1_per_paragraph(name: str, floor: float) -> None:
    gold = _read(name)
    result = _score_module().score_boundaries(gold, _predict(gold, "text_paragraphs"))
    assert result["f1"] >= floor, result["per_doc"]
    assert not result["realigned"]  # every prediction is the gold text, character for character
