"""fix_encoding, normalize_whitespace and filter_empty: the small per-document stages."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerclean.cleaners import Document, StageLog, clean_documents
from boilerclean.cleaners.stage import Reject
from boilerclean.cleaners.stages.encoding import FixEncoding, FixEncodingParams
from boilerclean.cleaners.stages.length import FilterEmpty, FilterEmptyParams
from boilerclean.cleaners.stages.whitespace import NormalizeWhitespace, NormalizeWhitespaceParams
from boilerclean.cleaners.textutil import INVISIBLE, INVISIBLE_CHARS


def run(stage, text, **kw):
    doc = Document(id="d", text=text, **kw)
    return stage.apply(doc, StageLog(stage.name))


def test_mojibake_and_entities_repaired_typography_kept():
    out = run(FixEncoding(), "DÃ¼sseldorf caf&eacute; “quoted” – dash")
    assert out.text == "Düsseldorf café “quoted” – dash"


def test_uncurl_is_an_option():
    out = run(FixEncoding(FixEncodingParams(uncurl_quotes=True)), "“quoted” it’s")
    assert out.text == '"quoted" it\'s'


def test_ascii_fast_path_leaves_clean_text_alone():
    text = "Plain ASCII text.\n\nSecond paragraph."
    assert run(FixEncoding(), text).text == text


def test_title_repaired_too():
    assert run(FixEncoding(), "x", title="CafÃ©").title == "Café"


def test_whitespace_layout():
    out = run(NormalizeWhitespace(), "\ufeffOne\u200b  line \r\n\r\n\r\n\n  Two\tlines\u00a0here \nThree")
    assert out.text == "One line\n\nTwo lines here\n\nThree"


def test_whitespace_keeps_line_breaks_inside_paragraphs_when_asked():
    stage = NormalizeWhitespace(NormalizeWhitespaceParams(paragraph_per_line=False))
    assert run(stage, "a  b\nc\n\n\n\nd").text == "a b\nc\n\nd"


def test_zero_width_joiner_survives():
    assert run(NormalizeWhitespace(), "👩\u200d💻 and \u200cx").text == "👩\u200d💻 and \u200cx"


@pytest.mark.parametrize("text", ["", "   \n\n \t "])
def test_empty_is_rejected(text):
    with pytest.raises(Reject) as r:
        run(FilterEmpty(), text)
    assert r.value.reason == "length:empty"


def test_minimum_words():
    stage = FilterEmpty(FilterEmptyParams(min_words=4))
    with pytest.raises(Reject) as r:
        run(stage, "three short words")
    assert r.value.reason == "length:too_few_words" and r.value.details == {"value": 3, "threshold": 4}
    assert run(stage, "now there are four words").text


def _chain(text: str) -> str:
    results, _ = clean_documents([FixEncoding(), NormalizeWhitespace()], [Document(id="d", text=text)])
    return results[0].text


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_text_stages_never_raise_and_reach_a_fixed_point(text):
    once = _chain(text)
    assert "\n\n\n" not in once and once == once.strip()
    twice = _chain(once)
    # At most one more change: a tab that normalize_whitespace turns into a space can complete a
    # pattern ftfy repairs ("Â" + space is a damaged no-break space); after that, nothing moves.
    assert _chain(twice) == twice


def test_second_pass_changes_only_what_whitespace_completed():
    assert _chain("Â\t\x9d") == "Â \x9d" and _chain("Â \x9d") == "\x9d" == _chain("\x9d")
    assert _chain(_chain("Prices rose 5 %.\tCafé owners said so.")) == "Prices rose 5 %. Café owners said so."


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_normalize_whitespace_is_idempotent(text):
    once = run(NormalizeWhitespace(), text).text if text.strip() else ""
    assert not once or run(NormalizeWhitespace(), once).text == once


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_whitespace_invents_no_text(text):
    out = run(NormalizeWhitespace(), text).text
    squeeze = lambda s: "".join(ch for ch in s if not ch.isspace())  # noqa: E731
    invisible = set(INVISIBLE_CHARS)
    assert squeeze(out) == "".join(ch for ch in squeeze(text) if ch not in invisible)


def test_ftfy_gate_agrees_with_ftfy_on_real_scraped_text():
    import json

    import ftfy

    from tests.conftest import shared_path

    stage = FixEncoding()
    path = shared_path("corpus", "horne2017.jsonl")  # Windows-1252 era text, mojibake included
    texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
    repaired = 0
    for text in texts:
        clean = text.translate(INVISIBLE)
        expected = ftfy.fix_text(clean, stage._config)
        assert stage._repair(text) == expected
        repaired += expected != clean
    assert repaired > 10
