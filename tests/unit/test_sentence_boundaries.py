"""segment_sentences: the general boundary mechanisms, each on invented examples, and the learned statistics.

Every example here was written for the test; none is taken from an evaluation set.
"""

from __future__ import annotations

import json

import pytest

from boilerclean.cleaners.stages.sentences import stats
from boilerclean.cleaners.stages.sentences.rules import split_sentences


def split(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # citation markers and omissions belong to the sentence they follow
        ("The bridge opened in 1931. [12] It carried trams.", ["The bridge opened in 1931. [12]", "It carried trams."]),
        ("The bridge opened in 1931.[12] It carried trams.", ["The bridge opened in 1931.[12]", "It carried trams."]),
        ("Most lakes froze. [3 - 5] Some did not.", ["Most lakes froze. [3 - 5]", "Some did not."]),
        ("Most lakes froze. [4, 7][9] Some did not.", ["Most lakes froze. [4, 7][9]", "Some did not."]),
        ("Rain fell all week. [4]", ["Rain fell all week. [4]"]),
        ("He spoke for hours. [...] Then he sat down.", ["He spoke for hours. [...]", "Then he sat down."]),
        # a bare footnote number before a sentence opener, but not a count
        ("The tax rose twice. 7 However, nobody noticed.", ["The tax rose twice. 7", "However, nobody noticed."]),
        ("She counted to 3. 4 apples were left.", ["She counted to 3.", "4 apples were left."]),
    ],
)
def test_citations_and_footnotes(text: str, expected: list[str]) -> None:
    assert split(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Thanks for reading. ---------- See you soon", ["Thanks for reading.", "----------", "See you soon"]),
        ("*****NOTICE***** This note is private.", ["*****NOTICE*****", "This note is private."]),
        ("Welcome all. ----== Join the club today ==---- More below", None),
        ("The table a----b stays whole.", ["The table a----b stays whole."]),
        ("See you soon. -- Posted by Ann", ["See you soon.", "--", "Posted by Ann"]),
        ("-- Sent from my phone", ["--", "Sent from my phone"]),
    ],
)
def test_rule_lines_and_signature_dashes(text: str, expected: list[str] | None) -> None:
    if expected is None:  # a short decoration opens the text after a sentence end and closes the text it ends
        expected = ["Welcome all.", "----== Join the club today ==----", "More below"]
    assert split(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I was going to — No, forget it.", ["I was going to —", "No, forget it."]),
        ("We need a -- Do you have a pen?", ["We need a --", "Do you have a pen?"]),
        ("I think you — I think you know.", ["I think you — I think you know."]),
        ("PARIS — The mayor resigned.", ["PARIS — The mayor resigned."]),
        ('Her answer was short — "It is late."', ['Her answer was short — "It is late."']),
        ("The team — Smith, Jones — won.", ["The team — Smith, Jones — won."]),
        ("It rained all day — the roads flooded.", ["It rained all day — the roads flooded."]),
    ],
)
def test_broken_off_speech(text: str, expected: list[str]) -> None:
    assert split(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Figure 2.3 The river in spring.", ["Figure 2.3", "The river in spring."]),
        ("Table 4 Yields by region", ["Table 4", "Yields by region"]),
        ("Figure 2 shows the river.", ["Figure 2 shows the river."]),
        (
            "I have two questions 1) which bus is best 2) where to stay",
            ["I have two questions", "1) which bus is best", "2) where to stay"],
        ),
        ("Option 1) is fine for me.", ["Option 1) is fine for me."]),
    ],
)
def test_captions_and_inline_lists(text: str, expected: list[str]) -> None:
    assert split(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jo Ray 03/01/2002 09:15 AM please call me", ["Jo Ray", "03/01/2002 09:15 AM", "please call me"]),
        ("We met on 03/01/2002 09:15 AM and talked.", ["We met on 03/01/2002 09:15 AM and talked."]),
        ("Logged on 03/01/02 17:45:10 Server restarted", ["Logged on 03/01/02 17:45:10", "Server restarted"]),
        ('From: "Jo Ray"<jo@example.org> Subject: lunch', ['From: "Jo Ray"<jo@example.org>', "Subject: lunch"]),
        ("Hi, Yes we are open on Sundays.", ["Hi,", "Yes we are open on Sundays."]),
        ("Good, I will come.", ["Good, I will come."]),
    ],
)
def test_mail_structure(text: str, expected: list[str]) -> None:
    assert split(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cut it to 5 mm. Then sand it.", ["Cut it to 5 mm.", "Then sand it."]),
        ("It is 5 mm. wide at the top.", ["It is 5 mm. wide at the top."]),
        ("Mm. Hot today.", ["Mm.", "Hot today."]),
        ("Use a tool (e.g. The Widget) for this.", ["Use a tool (e.g. The Widget) for this."]),
        ("It was Lakers vs. Celtics again.", ["It was Lakers vs. Celtics again."]),
        ("She joined the NATO. Officials cheered.", ["She joined the NATO.", "Officials cheered."]),
        ("The buyer is Acme L.P.. Further terms follow.", ["The buyer is Acme L.P..", "Further terms follow."]),
        ("Dr. Smith met Drs. Lee and Park.", ["Dr. Smith met Drs. Lee and Park."]),
    ],
)
def test_abbreviations(text: str, expected: list[str]) -> None:
    assert split(text) == expected


def test_learned_orthography_decides_after_an_abbreviation(monkeypatch: pytest.MonkeyPatch) -> None:
    """A capitalised word after an abbreviation opens a sentence when the statistics say it is a
    lower-case word; a word they do not know gets the word lists' answer (no split)."""
    text = "The firm is Acme Co. Shares rose today."
    monkeypatch.setattr(stats, "_model", lambda: (frozenset(), frozenset({"shares"})))
    assert split(text) == ["The firm is Acme Co.", "Shares rose today."]
    monkeypatch.setattr(stats, "_model", lambda: (frozenset(), frozenset()))
    assert split(text) == [text]


def test_shipped_statistics_are_consistent() -> None:
    """The model file has the fields the splitter reads, and the statistics behave as documented."""
    data = json.loads(stats.STATS_FILE.read_text(encoding="utf-8"))
    assert data["orthography"]["columns"] == ["lower_inside", "upper_inside", "upper_at_start"]
    assert all(
        isinstance(score, float | int) and score >= data["params"]["min_score"]
        for score in data["abbreviations"].values()
    )
    words = data["orthography"]["words"]
    for word in ("said", "would"):  # everyday words: lower case inside sentences
        assert stats.capital_opens_sentence(word.capitalize()), words.get(word)
    assert not stats.capital_opens_sentence("Zyxwvut")  # unknown: no evidence
    assert not stats.capital_opens_sentence("said")  # not capitalised: no evidence either
