"""remove_repeated_lines: site templates found by counting, identical for any sharding."""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.pipeline import clean_documents
from boilerclean.cleaners.stage import StageLog
from boilerclean.cleaners.stages.repetition.keys import line_template, normalise_line, url_section
from boilerclean.cleaners.stages.repetition.stage import RemoveRepeatedLines

SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", Path(__file__).resolve().parents[2] / ".." / "shared"))
NEWS_DEV = SHARED / "corpus" / "news_dev.jsonl"


def _site_docs(n: int = 10, host: str = "example.com") -> list[Document]:
    words = [
        "alpha",
        "bravo",
        "charlie",
        "delta",
        "echo",
        "foxtrot",
        "golf",
        "hotel",
        "india",
        "juliet",
        "kilo",
        "lima",
        "mike",
        "november",
    ]
    docs = []
    for i in range(n):
        topic = words[i % len(words)] + " " + words[i // len(words)]
        body = f"Article {i} says something unique about {topic}.\n\nA second paragraph on {topic}, {i} words."
        text = f"Home | News | Sport\n\n{body}\n\nPosted on {i + 1} May 2017 by admin\n\nShare this:"
        docs.append(Document(id=f"{host}-{i}", text=text, url=f"https://www.{host}/a/{i}"))
    return docs


def _run(stage: RemoveRepeatedLines, docs: list[Document], n_shards: int) -> list[tuple[str, str]]:
    """Map over ``n_shards`` contiguous shards, merge in shard order, bind, apply: the flow's shape."""
    size = -(-len(docs) // n_shards)
    shards = [docs[i : i + size] for i in range(0, len(docs), size)]
    partials = []
    for shard in shards:
        part = stage.new_partial()
        for doc in shard:
            stage.observe(part, doc)
        partials.append(pickle.loads(pickle.dumps(part)))  # partials travel between processes
    stage.bind(stage.merge(partials))
    log = StageLog(stage.name)
    return [(d.id, stage.apply(Document(d.id, d.text, url=d.url, domain=d.domain), log).text) for d in docs]


def test_site_template_lines_removed_content_kept():
    docs = _site_docs()
    out, reports = clean_documents([RemoveRepeatedLines()], docs)
    assert len(out) == 10
    for doc in out:
        assert "Home | News | Sport" not in doc.text
        assert "Posted on" not in doc.text  # dates differ, digits normalised away
        assert "Share this" not in doc.text
        assert doc.text.startswith("Article ")
        assert "\n\n\n" not in doc.text
    assert reports[0]["lines_removed"] == {"repeated:line": 30}


def test_hosts_are_counted_separately_and_small_hosts_spared():
    docs = _site_docs(4, "a.org")[:2] + _site_docs(4, "b.org")[:2]
    out, _ = clean_documents([RemoveRepeatedLines()], docs)
    assert all("Home | News | Sport" in d.text for d in out)  # 2 docs per host < min_host_docs


def test_documents_without_host_are_left_alone():
    docs = [Document(id=d.id, text=d.text) for d in _site_docs()]
    out, _ = clean_documents([RemoveRepeatedLines()], docs)
    assert [d.text for d in out] == [d.text for d in docs]


def test_rare_shared_line_on_big_site_is_kept():
    docs = _site_docs(20)
    quote = '"We will not back down," the minister said on Tuesday.'
    for doc in docs[:2]:
        doc.text += "\n\n" + quote
    out, _ = clean_documents([RemoveRepeatedLines()], docs)
    assert quote in out[0].text and quote in out[1].text  # 2 of 20 < min_share


def test_long_line_needs_larger_share():
    docs = _site_docs(10)
    para = "A long paragraph of real prose that two articles happen to share, " * 4
    for doc in docs[:2]:
        doc.text += "\n\n" + para
    out, _ = clean_documents([RemoveRepeatedLines()], docs)
    assert para in out[0].text  # 20% share, long lines need 30%
    lower = RemoveRepeatedLines.Params(long_line_min_share=0.2, min_doc_share_kept=0.0)  # the share rule alone
    out, _ = clean_documents([RemoveRepeatedLines(lower)], docs)
    assert para not in out[0].text


def test_line_counted_once_per_document():
    docs = _site_docs(10)
    docs[0].text += "\n\nBuy now\n\nBuy now\n\nBuy now"
    out, _ = clean_documents([RemoveRepeatedLines()], docs)
    assert "Buy now" in out[0].text


def test_explain_carries_the_count():
    docs = _site_docs(5)
    for d in docs:
        d.removals = []
    out, _ = clean_documents([RemoveRepeatedLines()], docs)
    texts = [r.text for r in out[0].removals]
    assert "Home | News | Sport (seen in 5 of 5 docs of example.com)" in texts
    assert {r.rule for r in out[0].removals} == {"repeated:line"}


def test_normalise_line():
    assert normalise_line("  Posted on 12  June 2018 by X. ") == normalise_line("posted on 3 june 2017 by x")
    assert normalise_line("— Share this: —") == "share this"


@pytest.mark.parametrize("n_shards", [2, 3, 7])
def test_sharding_does_not_change_output(n_shards: int):
    docs = _site_docs(12, "a.com") + _site_docs(5, "b.com") + _site_docs(2, "c.com")
    docs = docs[::2] + docs[1::2]  # hosts interleaved across shards
    stage = RemoveRepeatedLines()
    assert _run(stage, docs, n_shards) == _run(RemoveRepeatedLines(), docs, 1)


def test_idempotent():
    docs = _site_docs()
    once, _ = clean_documents([RemoveRepeatedLines()], docs)
    again, _ = clean_documents([RemoveRepeatedLines()], [Document(d.id, d.text, url=d.url) for d in once])
    assert [d.text for d in again] == [d.text for d in once]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=200), min_size=1, max_size=8))
def test_never_raises_and_invents_no_lines(texts: list[str]):
    docs = [Document(id=str(i), text=t + "\nshared line", domain="x.net") for i, t in enumerate(texts * 2)]
    originals = {d.id: set(d.text.split("\n")) for d in docs}
    out, _ = clean_documents([RemoveRepeatedLines()], docs)
    assert len(out) == len(docs)
    for doc in out:
        assert set(doc.text.split("\n")) <= originals[doc.id] | {""}


def test_news_dev_sharded_identically_and_templates_found():
    if not NEWS_DEV.exists():
        pytest.skip(f"{NEWS_DEV} not found (set BOILERCLEAN_SHARED)")
    recs = [json.loads(line) for line in NEWS_DEV.read_text(encoding="utf-8").splitlines()]
    docs = [Document(id=r["id"], text=r["text"], url=r["url"], domain=r["domain"]) for r in recs]
    one = _run(RemoveRepeatedLines(), docs, 1)
    assert one == _run(RemoveRepeatedLines(), docs, 2) == _run(RemoveRepeatedLines(), docs, 3)
    changed = [new for (_, new), doc in zip(one, docs, strict=True) if new != doc.text]
    assert 10 <= len(changed) <= 30
    assert not any("Subscribe to Canada Free Press for FREE" in text for _, text in one)


# -- a hub: one domain, many authors and feeds -------------------------------------------------
TOPICS = ["harbour", "orchard", "railway", "library", "glacier", "bakery", "stadium", "vineyard", "canal", "museum"]
PLACES = ["Northfield", "Eastbank", "Millbrook", "Oakham", "Westvale", "Southport"]
QUOTE = '"We will rebuild it stone by stone," the mayor told the crowd on Saturday.'
FEEDS = [
    "Example Media",
    "Other Press",
    "Harbour Wire",
    "Valley Post",
    "Night Desk",
    "Green Ledger",
    "Pine Herald",
    "Hill Times",
]
SIGN_OFF = ["Jane Roe writes about science and cities for the hub.", "Follow her on Twitter @janeroe_writes"]


def _body(i: int) -> list[str]:
    """Three paragraphs no other document has (numbers differ, and so do the words)."""
    topic, place = TOPICS[i % len(TOPICS)], PLACES[i % len(PLACES)]
    return [
        f"The {topic} in {place} reopened after {i % 7 + 2} years, and story {i} is about what changed there.",
        f"Residents said the {topic} had been missed, while officials in {place} promised a review of costs.",
        f"Visitors to the {topic} will find new signs in {place}, a detail that article {i} dwells on at length.",
    ]


def _hub(n: int = 30) -> list[Document]:
    """``n`` documents of hub.example: 6 opinion pieces, 3 by Jane Roe, a quote three articles share."""
    docs = []
    for i in range(n):
        section = "opinion" if i < 6 else "news"
        lines = _body(i)
        if i in (10, 17, 24):  # a quote three news articles of different authors happen to share
            lines.insert(2, QUOTE)
        if section == "opinion":
            lines.append("The views expressed here are the author's own.")
        if i in (7, 15, 22):  # one author among many: her sign-off, in 3 of 30 documents
            lines += SIGN_OFF
        lines.append(f"(c) {2015 + i % 6} {FEEDS[i % len(FEEDS)]}")  # each feed's own: 4 of 30 at most
        url = f"https://hub.example/{section}/{2018 + i % 3}/story-{i}"
        docs.append(Document(id=f"hub-{i}", text="\n\n".join(lines), url=url))
    return docs


def _by_id(docs: list[Document], **params) -> dict[str, Document]:
    for doc in docs:
        doc.removals = []
    out, _ = clean_documents([RemoveRepeatedLines(RemoveRepeatedLines.Params(**params))], docs)
    return {d.id: d for d in out}


def _rules(doc: Document) -> dict[str, str]:
    return {r.text.split(" (seen in ")[0]: r.rule for r in doc.removals}


def test_templates_catch_lines_whose_names_and_years_vary():
    out = _by_id(_hub())
    for doc in out.values():
        assert "(c)" not in doc.text
    assert _rules(out["hub-0"])["(c) 2015 Example Media"] == "repeated:template"
    exact_only = _by_id(_hub(), templates=False, signatures=False)["hub-0"]
    assert "(c) 2015 Example Media" in exact_only.text  # as an exact line it is in 4 of 30 documents only


def test_a_sub_source_sign_off_goes_a_shared_quote_stays():
    out = _by_id(_hub())
    for i in (7, 15, 22):
        assert not any(line in out[f"hub-{i}"].text for line in SIGN_OFF)
        assert set(_rules(out[f"hub-{i}"]).values()) <= {"repeated:signature", "repeated:template"}
        assert _rules(out[f"hub-{i}"])[SIGN_OFF[0]] == "repeated:signature"
    for i in (10, 17, 24):  # 3 of 30 too, but inside the article: content
        assert QUOTE in out[f"hub-{i}"].text
    for i in range(30):  # and no article line went anywhere
        assert all(line in out[f"hub-{i}"].text for line in _body(i))


def test_signature_needs_enough_documents():
    docs = _hub()
    for doc in docs:
        if doc.id == "hub-22":
            doc.text = doc.text.replace("\n\n".join(SIGN_OFF), "Something else entirely, written once.")
    out = _by_id(docs)  # the sign-off is now in 2 documents: two articles may end alike (an event's fact box)
    assert all(line in out["hub-7"].text for line in SIGN_OFF)
    assert all(line not in _by_id(docs, signature_min_docs=2)["hub-7"].text for line in SIGN_OFF)
    assert all(line in _by_id(_hub(), signatures=False)["hub-7"].text for line in SIGN_OFF)


def test_a_section_keeps_its_own_template():
    out = _by_id(_hub())
    disclaimer = "The views expressed here are the author's own."
    for i in range(6):  # 6 of 30 documents (20%) but all 6 of /opinion/
        assert disclaimer not in out[f"hub-{i}"].text
        assert _rules(out[f"hub-{i}"])[disclaimer] in {"repeated:section", "repeated:line", "repeated:signature"}
    few = _by_id(_hub(), section_min_docs=7, min_share=0.3, signatures=False)  # section too small, share too low
    assert disclaimer in few["hub-0"].text


def test_section_rule_explains_where():
    docs = _hub(40)  # 6 of 40 documents: 15% of the host, only the section rule sees the disclaimer
    out = _by_id(docs, signatures=False)
    notes = [r.text for r in out["hub-0"].removals if r.rule == "repeated:section"]
    assert notes == ["The views expressed here are the author's own. (seen in 6 of 6 docs of hub.example/opinion)"]


def test_duplicates_are_not_emptied_by_the_signature_rule():
    docs = _hub()
    copies = [Document(id=f"copy-{k}", text=docs[3].text, url=f"https://hub.example/news/copy-{k}") for k in range(3)]
    out = _by_id([*docs, *copies])
    assert all(line in out["copy-0"].text for line in _body(3))  # 4 copies of one article: dedup's call


def test_hub_sharding_does_not_change_output():
    docs = _hub()
    docs = docs[::3] + docs[1::3] + docs[2::3]
    assert _run(RemoveRepeatedLines(), docs, 4) == _run(RemoveRepeatedLines(), docs, 1)


@pytest.mark.parametrize(
    ("line", "same_as"),
    [
        ("(c) 2019 Example Media", "(c) 2021 Other Press"),
        ("Jane Roe is a staff writer at Example News.", "Sam Poe is a staff writer at Harbour Daily."),
        (
            "The post Why Rents Rose appeared first on Example Hub.",
            "The post Ten Quiet Towns appeared first on Other Site.",
        ),
        ("Follow Jane on Twitter @janeroe", "Follow Sam on Twitter @sampoe"),
    ],
)
def test_template_masks_names_numbers_and_handles(line: str, same_as: str):
    assert line_template(line, 12) is not None
    assert line_template(line, 12) == line_template(same_as, 12)


@pytest.mark.parametrize("line", ["The Road Ahead", "Early Life", "By Jane Roe", "Photo: Reuters", "Share this"])
def test_no_template_for_subheadings_and_bare_labels(line: str):
    assert line_template(line, 12) is None  # all slot, or one literal word: too little to recognise a template


def test_long_lines_get_no_template():
    long = "Jane Roe " + "wrote a sentence that goes on and on " * 3
    assert line_template(long, 12) is None


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("https://hub.example/opinion/2019/05/slug", "opinion"),
        ("https://blogs.example/@alice/my-post", "@alice"),
        ("https://blog.example/2017/12/21/a-post/", ""),
        ("https://site.example/a-post", ""),
        ("https://site.example/Category/Science/", "category"),
        (None, ""),
    ],
)
def test_url_section(url: str | None, section: str):
    assert url_section(url) == section


# -- small hosts (fewer than min_host_docs documents): only short edge blocks that every document carries ---------


def _pair(header: str, quote: str, footer_lines: list[str]) -> list[Document]:
    bodies = [
        ("The river festival drew a record crowd this weekend, organisers said.", "Next year it moves to May."),
        ("A new footbridge over the canal opened to walkers on Friday.", "It was three months late."),
    ]
    docs = []
    for i, (body, closing) in enumerate(bodies):
        text = "\n\n".join([header, body, quote, closing, *footer_lines])
        docs.append(Document(id=f"p{i}", text=text, url=f"https://small.example/news/{i}"))
    return docs


def test_small_host_edge_blocks_go_when_switched_on():
    quote = '"It was the best day of the summer," said one visitor.'
    docs = _pair("Riverside Gazette Top Stories", quote, ["(c) Riverside Gazette"])
    stage = RemoveRepeatedLines(RemoveRepeatedLines.Params(small_host_edges=True))
    out, reports = clean_documents([stage], docs)
    for doc in out:
        assert "Riverside Gazette" not in doc.text  # header and copyright line: at the edges of both
        assert quote in doc.text  # shared, but inside the body
    assert reports[0]["lines_removed"] == {"repeated:edge_pair": 4}


def test_small_host_long_edge_blocks_and_default_stay():
    footer = ["Ticket office", "Adults: 12", "Children: 6", "Open daily from ten"]  # an info box both pages share
    docs = _pair("Riverside Gazette Top Stories", "A quote of its own.", footer)
    stage = RemoveRepeatedLines(RemoveRepeatedLines.Params(small_host_edges=True))
    out, _ = clean_documents([stage], docs)
    assert all("Ticket office" in d.text and "Open daily" in d.text for d in out)  # longer than 2 lines
    assert all("Top Stories" not in d.text for d in out)
    untouched, _ = clean_documents([RemoveRepeatedLines()], _pair("Riverside Gazette Top Stories", "Q.", footer))
    assert all(d.text.startswith("Riverside Gazette Top Stories") for d in untouched)  # off by default


def test_an_article_and_its_syndicated_copy_keep_their_text_on_a_small_site():
    """Two copies of one article share every line: to the counts they look like the site's template."""
    article = "\n\n".join(
        f"Paragraph {i}: the council voted on the district budget, adding {3 * i} teachers next year." for i in range(6)
    )
    others = [
        "\n\n".join(f"Report {k}.{i}: crews finished section {i} of the sea wall before the storms." for i in range(6))
        for k in range(2)
    ]
    docs = [
        Document(id="a", text=article, url="https://news.example/a"),
        *(Document(id=f"o{k}", text=t, url=f"https://news.example/o{k}") for k, t in enumerate(others)),
        Document(id="a-copy", text=article, url="https://news.example/a-syndicated"),
    ]
    out = dict(_run(RemoveRepeatedLines(), docs, 1))
    assert out["a"] == article and out["a-copy"] == article  # dedup decides on copies, not this stage
