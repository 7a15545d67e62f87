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
from boilerclean.cleaners.stages.repetition.keys import normalise_line
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
    out, _ = clean_documents([RemoveRepeatedLines(RemoveRepeatedLines.Params(long_line_min_share=0.2))], docs)
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
