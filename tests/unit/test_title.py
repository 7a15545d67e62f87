"""title: the headline at the top of the text moves to doc.title (known title, URL slug, or shape)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import StageLog
from boilerclean.cleaners.stages.title import ExtractTitle, ExtractTitleParams, slug_match, slug_segments

STAGE = ExtractTitle()
PARA = "The committee met on Tuesday to discuss the budget and agreed to postpone the vote until next month."
DEK = "The Supply of Physicians in Canada: Projections and Assessment"


def run(text, stage=STAGE, **kw):
    doc = Document(id="d", text=text, removals=[], **kw)
    return stage.apply(doc, StageLog(stage.name))


def test_known_title_repeated_as_first_line_is_removed():
    doc = run(f"Budget Vote Postponed | Example News\n\n{PARA}", title="Budget Vote Postponed")
    assert doc.text == PARA
    assert doc.title == "Budget Vote Postponed"
    assert [r.rule for r in doc.removals] == ["title:repeated_headline"]


def test_known_title_leaves_a_different_first_line():
    text = f"Committee Meets Again\n\n{PARA}"
    assert run(text, title="Budget Vote Postponed").text == text


def test_url_slug_picks_the_headline_below_a_dek():
    headline = "Canada has almost 20 per cent fewer doctors per capita than OECD average"
    url = "http://example.com/article/canada-has-almost-20-per-cent-fewer-doctors-per-capita-than-oecd-average"
    doc = run(f"{DEK}\n\n{headline}\n\n{PARA}", url=url)
    assert doc.title == headline
    assert doc.text == f"{DEK}\n\n{PARA}"
    assert [r.rule for r in doc.removals] == ["title:url_headline"]


def test_section_label_above_a_url_headline_goes():
    doc = run(f"Poetry online\n\nMigraine Nightmare\n\n{PARA}", url="http://example.com/article/migraine-nightmare")
    assert (doc.title, doc.text) == ("Migraine Nightmare", PARA)


def test_slug_words_and_one_word_slugs():
    assert slug_segments("https://x.com/a/2018/01/05/the-return-of-empires-ii.html?x=1") == [
        ["a"],
        ["the", "return", "of", "empires", "ii"],
    ]
    assert slug_match("The Return of Empires (II)", ["the", "return", "of", "empires", "ii"]) == 1.0
    assert slug_match("Jim Bray", ["jimbray"]) == 1.0
    (slug,) = slug_segments("http://x.com/politics/trump-s-new-plan-for-syria-is-illegal-2345.html")[1:]
    assert slug_match("Trump’s New Plan For Syria Is Illegal", slug) == 1.0
    assert slug_match("Trump’s New Plan For Syria Is Illegal Under Federal Law, Senator Says", slug) == 1.0  # cut short
    assert slug_match("Apple cider vinegar", ["probiotics", "apple", "cider", "vinegar", "kombucha"]) < 0.85


def test_headline_shape_without_title_or_url():
    headline = "Syrian Regime’s New Offensive To Capture Aleppo Targets Rebel-Held Areas"
    doc = run(f"{headline}\n\n{PARA}")
    assert (doc.title, doc.text) == (headline, PARA)


def test_shapes_that_are_not_headlines_stay():
    for first in (
        "Fermented vegetables",
        "UPDATE: GOP official in Virginia calls union members “terrorists”",
        "Never Hike Alone USA | 2017 | 54 min",
        "His opening statement (the one not yet on Youtube).",
    ):
        text = f"{first}\n\n{PARA}"
        assert run(text).text == text
    text = f"Fermented Vegetables\n\nKefir\n\n{PARA}"  # a list, not a headline over a paragraph
    assert run(text).text == text


def test_sentence_case_headline_over_a_paragraph():
    for headline in (
        "Council approves the harbour budget after a night of debate",
        "Ferry strike: unions and operator agree to talks on Monday",
    ):
        doc = run(f"{headline}\n\n{PARA}")
        assert (doc.title, doc.text) == (headline, PARA)
        assert [r.rule for r in doc.removals] == ["title:leading_headline"]


def test_sentence_case_lines_that_are_not_headlines_stay():
    for first in (
        "The council met twice this week",  # ... over a list, not a paragraph
        "The mayor asked whether anyone had read the report?”",  # a sentence ending in a quote
        "Tested by: Ana Silva Price: £24.99 More info: www.example.org",  # a fact box
        "This review copy was sent by the publisher. All opinions are mine #sponsored",  # two sentences
        "We met the crew at dawn, took the ferry at noon, and came back at night",  # a clause list
        "Five ferries run on weekdays",  # too short to tell from a sentence without its full stop
    ):
        following = "- Monday: budget\n- Tuesday: roads" if first.startswith("The council") else PARA
        text = f"{first}\n\n{following}"
        assert run(text).text == text
    text = "Council approves the harbour budget after a night of debate\n\nThe vote was close and it ran late"
    assert run(text).text == text  # the line under it does not end like a paragraph
    off = ExtractTitle(ExtractTitleParams(sentence_case_min_words=0))
    text = f"Council approves the harbour budget after a night of debate\n\n{PARA}"
    assert run(text, off).text == text


def test_shape_inference_can_be_switched_off():
    text = f"Budget Vote Postponed Again\n\n{PARA}"
    assert run(text, ExtractTitle(ExtractTitleParams(infer_from_shape=False))).text == text


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(st.sampled_from(["Budget Vote Postponed", PARA, DEK, ""]), st.text(max_size=60)), max_size=8),
    st.one_of(st.none(), st.text(max_size=40)),
    st.one_of(st.none(), st.just("http://x.com/budget-vote-postponed")),
)
def test_never_raises_and_invents_nothing(lines, title, url):
    text = "\n\n".join(lines)
    doc = run(text, title=title, url=url)
    assert all(word in text for word in doc.text.split())
    assert doc.title is None or doc.title == title or doc.title in text


def test_slug_cut_inside_its_last_word_still_spells_the_headline():
    headline = "Ferry fares rise as island council votes on a new winter schedule"
    url = "https://example.com/2024/mar/05/ferry-fares-rise-as-island-council-votes-on-a-new-win/"
    doc = run(f"{headline}\n\n{PARA}", url=url)
    assert (doc.title, doc.text) == (headline, PARA)
    assert [r.rule for r in doc.removals] == ["title:url_headline"]


def test_slug_holding_most_of_the_first_lines_words_marks_a_sentence_case_headline():
    headline = "Ferry fares to rise after the council vote"
    doc = run(f"{headline}\n\n{PARA}", url="https://example.com/news/ferry-fares-council-vote-winter")
    assert (doc.title, doc.text) == (headline, PARA)


def test_loose_slug_match_needs_a_headline_shape_first():
    url = "https://example.com/news/ferry-fares-council-vote-winter"
    for first in (
        "Ferry fares and the council vote.",  # a sentence
        "Ferry fares | council news | 2024",  # metadata
        "Council vote",  # too short
    ):
        text = f"{first}\n\n{PARA}"
        assert run(text, url=url).text == text
    text = f"Island news\n\nFerry fares to rise after the council vote\n\n{PARA}"  # not the first line
    assert run(text, url=url, stage=ExtractTitle(ExtractTitleParams(infer_from_shape=False))).text == text
