"""language: labels from py3langid's shipped model, keep-list and confidence rejections."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerclean.cleaners.config import parse_config
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.pipeline import clean_documents
from boilerclean.cleaners.stage import Reject, Rejected, StageLog
from boilerclean.cleaners.stages.language import DetectLanguage, LanguageParams

EN = "The council met on Tuesday to discuss the budget, and several members said the plan must change."
DE = "Der Stadtrat hat am Dienstag über den Haushalt beraten, und mehrere Mitglieder lehnten den Plan ab."
FR = "Le conseil municipal s'est réuni mardi pour discuter du budget, et plusieurs membres ont refusé le plan."


@pytest.fixture(scope="module")
def detect() -> DetectLanguage:
    return DetectLanguage()


@pytest.mark.parametrize(("text", "lang"), [(EN, "en"), (DE, "de"), (FR, "fr")])
def test_labels_language_and_confidence(detect, text, lang):
    doc = detect.apply(Document(id="d", text=text), StageLog("language"))
    assert doc.metadata["language"] == lang
    assert 0.5 < doc.metadata["language_confidence"] <= 1.0


def test_keep_list_rejects_with_reason_and_language():
    stage = DetectLanguage(LanguageParams(keep=("en",)))
    results, reports = clean_documents([stage], [Document(id="e", text=EN), Document(id="g", text=DE)])
    rejected = [r for r in results if isinstance(r, Rejected)]
    assert [(r.doc.id, r.reason, r.details["value"]) for r in rejected] == [("g", "language:not_kept", "de")]
    assert reports[0]["rejected"] == {"language:not_kept": 1}
    assert reports[0]["counters"] == {"language:en": 1}


def test_min_confidence_and_undetermined(detect):
    assert detect.detect("12345 -- 678") == ("und", 0.0, 0)
    stage = DetectLanguage(LanguageParams(min_confidence=0.9))
    with pytest.raises(Reject) as info:
        stage.apply(Document(id="d", text="ok"), StageLog("language"))
    assert info.value.reason == "language:uncertain"
    assert info.value.details["min_confidence"] == 0.9


# -- not_kept only when sure; uncertain apart ----------------------------------------------------
def test_short_foreign_text_is_uncertain_long_one_not_kept():
    stage = DetectLanguage(LanguageParams(keep=("en",), min_confidence=0.5, min_chars=200))
    with pytest.raises(Reject) as short:
        stage.apply(Document(id="s", text=DE), StageLog("language"))
    assert short.value.reason == "language:uncertain" and short.value.details["value"] == "de"
    with pytest.raises(Reject) as long:
        stage.apply(
            Document(id="l", text="\n\n".join([DE, DE.replace("Stadtrat", "Landtag"), DE[::-1]])), StageLog("l")
        )
    assert long.value.reason == "language:not_kept" and long.value.details["value"] == "de"


def test_uncertain_kept_is_flagged_and_counted():
    stage = DetectLanguage(LanguageParams(keep=("en",), min_confidence=0.5, min_chars=200, uncertain="keep"))
    docs = [Document(id="s", text=DE), Document(id="e", text=EN)]
    results, reports = clean_documents([stage], docs)
    assert not [r for r in results if isinstance(r, Rejected)]
    assert docs[0].metadata["language_uncertain"] is True and "language_uncertain" not in docs[1].metadata
    assert reports[0]["counters"] == {"language:uncertain": 1, "language:en": 1}


# an English news item as scrapers hand it over: capitals, a byline of names, scores, short paragraphs
HARD_ENGLISH = "\n\n".join(
    [
        "BREAKING: COUNTY BOARD VOTES TO CLOSE TWO SCHOOLS",
        "Maria Lopez, Tom Becker, Ana Silva, Piotr Nowak",
        "7-2 | 14:30 | 2019",
        "The county board voted 7-2 on Tuesday night to close two elementary schools at the end of the year.",
        "“We had no other choice,” said board chair Ana Silva.",
        "Parents packed the meeting. Many of them said they would appeal.",
        "The district expects to save $1.2 million a year.",
    ]
)


def test_sample_leaves_out_lines_without_evidence_and_lowercases_capitals(detect):
    sample = detect.sample(HARD_ENGLISH)
    assert sample.startswith("breaking: county board votes")
    assert "Piotr" not in sample and "14" not in sample and "7-2" not in sample
    assert "The county board voted" in sample
    assert detect.sample("12 34\n\nOK") == "12 34\n\nOK"[:1000]  # nothing qualifies: the text as is


def test_hard_english_article_is_english_with_the_dataset_settings():
    cfg = parse_config({"stages": [{"name": "language", "keep": ["en"], "min_confidence": 0.5, "min_chars": 200}]})
    stage = cfg.build_stages()[0]
    doc = stage.apply(Document(id="d", text=HARD_ENGLISH), StageLog("language"))
    assert doc.metadata["language"] == "en" and doc.metadata["language_confidence"] >= 0.5
    assert stage.detect(HARD_ENGLISH.upper())[0] == "en"


def test_unknown_language_code_is_refused_when_built():
    with pytest.raises(ValueError, match="unknown code"):
        DetectLanguage(LanguageParams(keep=("english",)))


def test_config_round_trip():
    cfg = parse_config({"stages": [{"name": "language", "keep": ["en", "de"], "min_confidence": 0.5}]})
    stage = cfg.build_stages()[0]
    assert stage.params.keep == ("en", "de") and stage.params.min_confidence == 0.5


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_never_raises_and_leaves_text_alone(text):
    doc = _SHARED.apply(Document(id="d", text=text), StageLog("language"))
    assert doc.text == text
    assert isinstance(doc.metadata["language"], str) and 0.0 <= doc.metadata["language_confidence"] <= 1.0


_SHARED = DetectLanguage()
