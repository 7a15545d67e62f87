"""extract_html on layouts unlike English news: cues that carry across languages, and its safety nets.

Every page here is invented; each reproduces a layout family where the block scorer once lost
text (a post written as bulleted lists, one paragraph repeated under several headings) or a cue
the scorer relies on (the article's own container, class names in other languages).
"""

from __future__ import annotations

import numpy as np
import pytest
from lxml import html as lxml_html

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import StageLog
from boilerclean.cleaners.stages.extract.blocks import Block, block_weights, body_indices
from boilerclean.cleaners.stages.extract.container import CONTAINER_FEATURE_NAMES, container_features
from boilerclean.cleaners.stages.extract.dom import DOM_FEATURE_NAMES, SourceIndex
from boilerclean.cleaners.stages.extract.extractor import ExtractHtml
from boilerclean.cleaners.stages.extract.params import ExtractHtmlParams

PROSE = [
    "The river rose by two metres overnight after three days of heavy rain in the hills above the town.",
    "Firefighters moved sandbags to the old bridge while residents of the lower streets were told to leave.",
    "By the afternoon the water had reached the market square, where traders carried their stock upstairs.",
    "Officials said the level would fall slowly over the weekend if the forecast of dry weather held.",
]


@pytest.fixture(scope="module")
def stage() -> ExtractHtml:
    return ExtractHtml()


def run(stage: ExtractHtml, html: str, explain: bool = False) -> tuple[Document, StageLog]:
    log = StageLog(stage.name)
    doc = stage.apply(Document(id="p", html=html, removals=[] if explain else None), log)
    return doc, log


def feature(row: list[float], names: tuple[str, ...], name: str) -> float:
    return row[names.index(name)]


def test_container_features_place_blocks_inside_and_outside_the_article():
    tree = lxml_html.fromstring(
        "<html><body><div id='a'><div id='text'>"
        + "".join(f"<p>{p}</p>" for p in PROSE)
        + "<div id='box'><p>A boxed note inside the article.</p></div></div></div>"
        "<div id='rail'><p>Something else entirely, beside the article.</p></div></body></html>"
    )
    paragraphs = tree.findall(".//p")
    blocks = [Block(p.text_content(), "p", 0, 0) for p in paragraphs]
    weights = block_weights(blocks)
    rows = container_features(list(paragraphs), body_indices(blocks, weights), weights)
    names = CONTAINER_FEATURE_NAMES
    article, boxed, rail = rows[0], rows[-2], rows[-1]
    assert feature(article, names, "container_found") == 1.0
    assert feature(article, names, "in_container") == 1.0 and feature(rail, names, "in_container") == 0.0
    assert feature(boxed, names, "in_container") == 1.0 and feature(boxed, names, "below_container") > 0
    # an article paragraph shares its parent with the rest of the prose; the boxed note shares it with nothing
    assert feature(article, names, "parent_body_share") > 0.5
    assert feature(boxed, names, "parent_body_share") == 0.0


def test_container_features_without_located_sources_are_all_zero():
    blocks = [Block(p, "p", 0, 0) for p in PROSE]
    weights = block_weights(blocks)
    rows = container_features([None] * len(blocks), body_indices(blocks, weights), weights)
    assert rows == [[0.0] * len(CONTAINER_FEATURE_NAMES)] * len(blocks)


@pytest.mark.parametrize(
    ("class_name", "family"),
    [
        ("kommentare-liste", "comment"),
        ("commentaires", "comment"),
        ("lire-aussi", "related"),
        ("artikel-empfehlungen", "related"),
        ("werbung-rechts", "promo"),
        ("bloc-publicite", "promo"),
        ("compartir-redes", "share"),
        ("bildunterschrift", "caption"),
        ("legenda-foto", "caption"),
        ("autor-datum", "meta"),
        ("rodape", "chrome"),
        ("artikel-inhalt", "content"),
        ("contenido-noticia", "content"),
    ],
)
def test_class_names_in_other_languages_join_their_family(class_name, family):
    tree = lxml_html.fromstring(f"<html><body><div class='{class_name}'><p>Some words here.</p></div></body></html>")
    index = SourceIndex(tree)
    row = index.features(tree.find(".//p"))
    assert feature(row, DOM_FEATURE_NAMES, f"dom_family_{family}") == 1.0


def test_corporate_is_not_the_portuguese_body():
    tree = lxml_html.fromstring("<html><body><div class='corporate-links'><p>Words.</p></div></body></html>")
    row = SourceIndex(tree).features(tree.find(".//p"))
    assert feature(row, DOM_FEATURE_NAMES, "dom_family_content") == 0.0


def test_a_post_written_as_lists_counts_its_long_items_as_body():
    items = [Block(f"- {p}", "item", 0, 1) for p in PROSE]
    blocks = [Block("Release notes", "head", 0, 0), *items, Block("Short closing line.", "p", 0, 0)]
    assert body_indices(blocks, block_weights(blocks)) == [1, 2, 3, 4]
    # with enough prose paragraphs, list items stay out of the body
    prose = [Block(p, "p", 0, 0) for p in PROSE]
    assert body_indices([*prose, items[0]], block_weights([*prose, items[0]])) == [0, 1, 2, 3]


CHANGELOG_ITEMS = [
    "Printing now accepts page ranges with gaps, such as pages one to three and then page six, "
    "<a href='/b/1'>bug 101</a>.",
    "The download panel no longer freezes when a very large file finishes while the window is minimised, "
    "<a href='/b/2'>bug 102</a>.",
    "Tab previews load faster on slow disks because thumbnails are now cached in memory, <a href='/b/3'>bug 103</a>.",
    "Keyboard users can reach the new settings search with a single shortcut from any page, "
    "<a href='/b/4'>bug 104</a>.",
    "Saved passwords can be imported from two more managers, thanks to a volunteer contributor, "
    "<a href='/b/5'>bug 105</a>.",
    "Reader view keeps the reading position when the window is resized, <a href='/b/6'>bug 106</a>.",
]


def test_a_changelog_post_made_of_linked_list_items_keeps_its_items(stage):
    """Meeting notes, release notes: sections of bulleted items with links, hardly a paragraph in sight."""
    sections = "".join(
        f"<h3>Area {k}</h3><ul>" + "".join(f"<li>{item}</li>" for item in CHANGELOG_ITEMS[k::2]) + "</ul>"
        for k in range(2)
    )
    page = f"""<html><head><title>Weekly notes, week 12 - Example Project Blog</title></head><body>
    <header><nav><a href="/">Home</a> <a href="/blog">Blog</a> <a href="/about">About</a></nav></header>
    <main><article class="post"><h1>Weekly notes, week 12</h1>
    <h2>Highlights</h2>{sections}</article></main>
    <footer><p>Example Project. Content available under a licence.</p></footer></body></html>"""
    doc, _ = run(stage, page)
    kept = sum(item.split(",")[0] in doc.text for item in CHANGELOG_ITEMS)
    assert kept == len(CHANGELOG_ITEMS), doc.text


def test_a_paragraph_repeated_under_several_headings_comes_through_in_full_mode(stage):
    """A page repeating one paragraph under several headings: fast mode keeps only a sliver of it."""
    paragraph = " ".join(PROSE[:2])
    sections = "".join(
        f"<hr/><h2>Section {n}</h2><figure><img src='i{n}.jpg' alt=''/><figcaption>Figure {n}</figcaption></figure>"
        f"<p>{paragraph}</p>"
        for n in range(1, 5)
    )
    page = (
        f"<html><head><title>Test page</title></head><body><h1>Test page</h1><p>{paragraph}</p>{sections}</body></html>"
    )
    doc, log = run(stage, page)
    assert doc.text.count(PROSE[0]) == 5
    assert log.counters["extract:fallback_full"] == 1


def test_short_extraction_is_retried_in_full_mode_only_when_allowed(monkeypatch):
    import boilerclean.cleaners.stages.extract.extractor as extract_mod

    real = extract_mod.extract_page
    calls: list[bool] = []

    def record(html, url=None, **kw):
        calls.append(kw.get("fast", True))
        return real(html, url, **kw)

    monkeypatch.setattr(extract_mod, "extract_page", record)
    short = "<html><body><article><p>" + PROSE[0] + "</p></article></body></html>"
    run(ExtractHtml(), short)
    assert calls == [True, False]
    calls.clear()
    run(ExtractHtml(ExtractHtmlParams(short_page_chars=0)), short)
    assert calls == [True]


class _AllBoilerplate:
    """A scorer that calls every block boilerplate: what a page unlike the training pages can look like."""

    def predict(self, rows):
        return np.ones(len(rows))


def _news_page() -> str:
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    return (
        "<html><head><title>Flood in the town</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>Flood in the town</h1>{body}</article><footer><p>Footer text.</p></footer></body></html>"
    )


def test_a_page_the_scorer_would_mostly_drop_gets_trafilatura_precision_mode(stage):
    import trafilatura

    unsure = ExtractHtml()
    unsure.scorer = _AllBoilerplate()
    doc, log = run(unsure, _news_page())
    expected = trafilatura.extract(_news_page(), favor_precision=True, include_comments=False)
    assert doc.text.split("\n\n") == [line.strip() for line in expected.splitlines() if line.strip()]
    assert log.counters["extract:unsure_page_precision_mode"] == 1
    assert not log.lines  # nothing is reported as dropped by the scorer


def test_page_guard_can_be_switched_off():
    trusting = ExtractHtml(ExtractHtmlParams(max_drop_share=1.0))
    trusting.scorer = _AllBoilerplate()
    doc, log = run(trusting, _news_page())
    # every block dropped is not an answer either: the page keeps all that trafilatura found
    assert all(p in doc.text for p in PROSE)
    assert log.counters["extract:kept_all_blocks"] == 1


def test_each_dropped_block_is_explained_with_its_score(stage):
    page = _news_page().replace(
        "</article>", "</article><div class='related'><ul><li><a href='/x'>Another story</a></li></ul></div>"
    )
    doc, log = run(stage, page, explain=True)
    assert doc.removals, "the headline or the furniture should go"
    for removal in doc.removals:
        assert removal.rule == "extract:boilerplate_block"
        assert removal.text and removal.text not in doc.text
        assert removal.score >= ExtractHtmlParams().drop_threshold
    assert log.lines["extract:boilerplate_block"] == len(doc.removals)


STORY_JA = [
    "むかしむかし、山のふもとの小さな村に、働き者のおじいさんとおばあさんが住んでいました。",
    "ある日、おじいさんが川へ行くと、大きな桃が流れてきたので、家に持って帰ることにしました。",
    "おばあさんが桃を切ろうとすると、中から元気な男の子が飛び出してきて、二人はたいそう驚きました。",
    "二人はその子を大切に育て、男の子はやがて村一番の力持ちになったということです。",
]
SIDEBAR_JA = ["きょうの記念日", "きょうの誕生花", "なぞなぞ", "占いのページ", "姉妹サイトの案内", "病気の相談室"]


def test_a_table_layout_page_in_japanese_keeps_the_story_and_drops_the_link_sidebar(stage):
    """Old table layouts: the story in one cell, a column of links to other sections beside it."""
    story = "".join(f"<p>{s}</p>" for s in STORY_JA)
    sidebar = "".join(f"<tr><td><a href='/s{k}'>{t}</a></td></tr>" for k, t in enumerate(SIDEBAR_JA))
    page = f"""<html lang="ja"><head><title>桃から生まれた子 - 昔話の部屋</title></head><body>
    <table width="100%"><tr><td valign="top"><a href="/">昔話の部屋</a> &gt; <a href="/m">今月の話</a></td></tr>
    <tr><td valign="top" width="70%"><h1>桃から生まれた子</h1>{story}</td>
    <td valign="top"><table>{sidebar}</table></td></tr></table></body></html>"""
    doc, _ = run(stage, page)
    assert all(s in doc.text for s in STORY_JA)
    assert sum(t in doc.text for t in SIDEBAR_JA) <= 1


def test_a_lead_repeated_as_a_summary_is_kept_once(stage):
    """A summary box that repeats the first paragraph: one copy stays, the article is whole."""
    body = "".join(f"<p>{p}</p>" for p in PROSE)
    page = f"""<html><head><title>Flood in the town</title></head><body>
    <article><h1>Flood in the town</h1><div class="summary"><p>{PROSE[0]}</p></div>{body}</article></body></html>"""
    doc, _ = run(stage, page)
    assert all(p in doc.text for p in PROSE)
