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
    assert detect.detect("12345 -- 678") == ("und", 0.0)
    stage = DetectLanguage(LanguageParams(min_confidence=0.9))
    with pytest.raises(Reject) as info:
        stage.apply(Document(id="d", text="ok"), StageLog("language"))
    assert info.value.reason == "language:low_confidence"
    assert info.value.details["threshold"] == 0.9


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
