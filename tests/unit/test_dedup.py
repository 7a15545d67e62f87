"""dedup_exact / dedup_near: planted duplicates found, distinct articles never merged, any sharding."""

from __future__ import annotations

import json
import os
import pickle
import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.pipeline import clean_documents
from boilerclean.cleaners.stage import CorpusStage, Reject, Rejected, StageLog
from boilerclean.cleaners.stages.dedup.exact import DedupExact, exact_key
from boilerclean.cleaners.stages.dedup.minhash import (
    MinHasher,
    containment,
    jaccard,
    piece_hashes,
    shingles,
    word_hashes,
)
from boilerclean.cleaners.stages.dedup.near import DedupNear, DedupNearParams

SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", Path(__file__).resolve().parents[2] / ".." / "shared"))
CORPUS = [SHARED / "corpus" / "news_dev.jsonl", SHARED / "corpus" / "horne2017.jsonl"]

_WORDS = (
    "government council budget minister police court election voters school hospital company market river storm "
    "village farmers teachers students museum festival football season player coach report study scientists "
    "climate energy prices workers union strike bridge road train airport city state country border trade deal "
    "talks summit leaders protest crowd church family children"
)
VOCAB = _WORDS.split()


def article(seed: int, paragraphs: int = 6) -> str:
    """A distinct synthetic article: paragraphs of random words from one vocabulary."""
    rng = random.Random(seed)
    paras = []
    for _ in range(paragraphs):
        words = [rng.choice(VOCAB) for _ in range(rng.randint(25, 45))]
        paras.append(" ".join(words).capitalize() + ".")
    return "\n\n".join(paras)


def edit(text: str, seed: int, n_words: int = 4) -> str:
    """A few word substitutions, as a copy editor or a re-poster makes them."""
    rng = random.Random(seed)
    words = text.split(" ")
    for _ in range(n_words):
        words[rng.randrange(len(words))] = "revised"
    return " ".join(words)


def reorder(text: str) -> str:
    paras = text.split("\n\n")
    return "\n\n".join(paras[1:] + paras[:1])


def new_boilerplate(text: str) -> str:
    return "Breaking: shared from our partner site.\n\n" + text + "\n\nFollow us and share this story with friends."


def shortened(text: str, seed: int) -> str:
    """The case scraped news is full of: a paragraph dropped, ~1.5 % of words edited, debris on both ends."""
    rng = random.Random(seed)
    paras = [p for p in text.split("\n\n") if p.strip()]
    del paras[rng.randrange(len(paras))]
    edited = edit("\n\n".join(paras), seed, n_words=max(1, len(text.split()) * 15 // 1000))
    return "Share this story\n\n" + edited + "\n\nSponsored content"


def planted_corpus(n_distinct: int = 40) -> tuple[list[Document], dict[str, str]]:
    """Distinct articles plus planted copies; returns docs and {planted id: id of its original}."""
    originals = [Document(id=f"a{i}", text=article(i)) for i in range(n_distinct)]
    docs = list(originals)
    planted: dict[str, str] = {}
    variants = [
        ("exact", lambda t, i: t),
        ("spacing", lambda t, i: "  " + t.upper().replace(" ", "  ") + "!"),
        ("edit", lambda t, i: edit(t, i)),
        ("reorder", lambda t, i: reorder(t)),
        ("boiler", lambda t, i: new_boilerplate(t)),
        ("mixed", lambda t, i: new_boilerplate(edit(reorder(t), i, 2))),
    ]
    for k, i in enumerate(range(0, n_distinct, 3)):
        name, make = variants[k % len(variants)]
        doc_id = f"copy-{name}-{i}"
        planted[doc_id] = f"a{i}"
        docs.insert(min(len(docs), i + 5 + k), Document(id=doc_id, text=make(originals[i].text, i)))
    return docs, planted


def decisions(stage: CorpusStage, docs: list[Document], n_shards: int) -> list[tuple[str, str, str | None]]:
    """The flow's shape: observe per contiguous shard, merge partials in shard order, bind, apply."""
    size = -(-len(docs) // n_shards)
    shards = [docs[i : i + size] for i in range(0, len(docs), size)]
    partials = []
    for shard in shards:
        partial = stage.new_partial()
        for doc in shard:
            stage.observe(partial, doc)
        partials.append(pickle.loads(pickle.dumps(partial)))  # partials travel between processes
    stage.bind(stage.merge(partials))
    out = []
    for shard in shards:
        log = StageLog(stage.name)
        for item in stage.process(shard, log):
            out.append((item.id, "kept", None))
        while log.sink:
            rej = log.sink.popleft()
            out.append((rej.doc.id, rej.reason, rej.details.get("duplicate_of")))
    return sorted(out)


@pytest.mark.parametrize("stage_cls", [DedupExact, DedupNear])
def test_same_decisions_for_1_2_3_shards(stage_cls):
    docs, _ = planted_corpus()
    one = decisions(stage_cls(), docs, 1)
    assert one == decisions(stage_cls(), docs, 2) == decisions(stage_cls(), docs, 3)
    assert any(reason != "kept" for _, reason, _ in one)


def test_exact_dedup_first_occurrence_wins_with_normalised_text():
    docs = [
        Document(id="1", text="Hello world. A story."),
        Document(id="2", text="Other text entirely."),
        Document(id="3", text="hello   WORLD — a story!"),
        Document(id="4", text="Hello world. A story."),
    ]
    results, reports = clean_documents([DedupExact()], docs)
    rejected = {r.doc.id: (r.reason, r.details) for r in results if isinstance(r, Rejected)}
    assert rejected == {"3": ("dedup:exact", {"duplicate_of": "1"}), "4": ("dedup:exact", {"duplicate_of": "1"})}
    assert reports[0]["rejected"] == {"dedup:exact": 2}
    assert exact_key("a b") != exact_key("a b", normalize=False) or exact_key("A, b") != exact_key("A, b", False)


def test_near_dedup_finds_every_planted_copy_and_merges_no_distinct_article():
    docs, planted = planted_corpus()
    results, _ = clean_documents([DedupExact(), DedupNear()], docs)
    rejected = {r.doc.id: r for r in results if isinstance(r, Rejected)}
    assert set(rejected) == set(planted)
    for doc_id, rej in rejected.items():
        assert rej.details["duplicate_of"] == planted[doc_id]
        expected_stage = "dedup_exact" if doc_id.startswith(("copy-exact", "copy-spacing")) else "dedup_near"
        assert rej.stage == expected_stage
        if rej.stage == "dedup_near":
            assert rej.reason == "dedup:near" and rej.details["value"] >= rej.details["threshold"]


def test_near_dedup_is_not_transitive():
    """B is near A and C is near B, but C is far from A: C stays (it was never compared with a kept twin)."""
    base = article(1, paragraphs=8).split("\n\n")
    other = article(2, paragraphs=8).split("\n\n")
    a = "\n\n".join(base)
    b = "\n\n".join(base[:6] + other[:2])
    c = "\n\n".join(base[2:6] + other[:4])
    stage = DedupNear(DedupNearParams(threshold=0.5))
    sig = [stage.signature(t) for t in (a, b, c)]
    assert stage.similarity(sig[0], sig[1]) >= 0.5 > stage.similarity(sig[0], sig[2])
    results, _ = clean_documents([stage], [Document(id=k, text=t) for k, t in zip("abc", (a, b, c), strict=True)])
    rejected = {r.doc.id: r.details["duplicate_of"] for r in results if isinstance(r, Rejected)}
    assert rejected.get("b") == "a" and rejected.get("c") in (None, "a")


def test_near_params_validate_bands():
    with pytest.raises(ValueError):
        DedupNearParams(num_perm=128, bands=30)


def test_empty_texts_are_not_exact_duplicates_so_filter_empty_names_them():
    docs = [
        Document(id="page.html", html="<p>x</p>"),  # not extracted yet: empty text
        Document(id="blank", text="  \n\n "),
        Document(id="a", text="A story."),
        Document(id="b", text="a story"),
    ]
    results, _ = clean_documents([DedupExact()], docs)
    rejected = {r.doc.id: (r.reason, r.details) for r in results if isinstance(r, Rejected)}
    assert rejected == {"b": ("dedup:exact", {"duplicate_of": "a"})}


def test_empty_texts_are_not_near_duplicates():
    docs = [Document(id="1", text=""), Document(id="2", text="..."), Document(id="3", text=article(5))]
    results, _ = clean_documents([DedupNear()], docs)
    assert not [r for r in results if isinstance(r, Rejected)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=60), max_size=12))
def test_dedup_never_raises_and_points_every_duplicate_at_a_kept_document(texts):
    docs = [Document(id=str(i), text=t) for i, t in enumerate(texts)]
    results, _ = clean_documents([DedupExact(), DedupNear()], docs)
    kept = [r for r in results if not isinstance(r, Rejected)]
    rejected = [r for r in results if isinstance(r, Rejected)]
    with_text = [d for d in kept if d.text.strip()]  # empty texts are left for filter_empty
    assert len({exact_key(d.text) for d in with_text}) == len(with_text)
    assert {r.details["duplicate_of"] for r in rejected} <= {d.id for d in kept}
    assert all(r.reason in ("dedup:exact", "dedup:near") for r in rejected)


def test_apply_without_duplicates_keeps_everything():
    stage = DedupExact()
    stage.bind(stage.merge([stage.new_partial()]))
    assert stage.apply(Document(id="x", text="anything"), StageLog("dedup_exact")).text == "anything"
    with pytest.raises(Reject):
        stage.bind({exact_key("anything"): "y"})
        stage.apply(Document(id="x", text="anything"), StageLog("dedup_exact"))


@pytest.mark.skipif(not all(p.exists() for p in CORPUS), reason="shared/corpus not available")
def test_real_articles_planted_copies_found_and_no_false_merge():
    recs = [json.loads(line) for path in CORPUS for line in path.open(encoding="utf-8")]
    base = [Document(id=r["id"], text=r["text"]) for r in recs]
    results, _ = clean_documents([DedupExact(), DedupNear()], base)
    # the corpus itself holds exactly these duplicates (checked by hand: identical scraped pages)
    known = {r.doc.id: r.details["duplicate_of"] for r in results if isinstance(r, Rejected)}
    assert all(r.stage == "dedup_exact" for r in results if isinstance(r, Rejected))
    long_ones = [d for d in base if len(d.text.split("\n\n")) >= 4 and len(d.text.split()) > 200 and d.id not in known]
    planted = {}
    docs = list(base)
    for k, src in enumerate(long_ones[:40]):
        variant = (edit, lambda t, i: reorder(t), lambda t, i: new_boilerplate(t), shortened)[k % 4]
        planted[f"copy-{k}"] = src.id
        docs.append(Document(id=f"copy-{k}", text=variant(src.text, k)))
    results, _ = clean_documents([DedupExact(), DedupNear()], docs)
    rejected = {r.doc.id: r.details["duplicate_of"] for r in results if isinstance(r, Rejected)}
    assert rejected == {**known, **planted}


def test_long_texts_hash_in_pieces_like_one_piece():
    rng = random.Random(3)
    data = " ".join(rng.choice(VOCAB) + str(rng.randint(0, 99)) for _ in range(30000)).encode()
    assert len(data) > 1 << 16
    whole = piece_hashes(np.frombuffer(data, np.uint8))
    assert len(whole) == 30000 and (word_hashes(data) == whole).all()


# -- the verification: Jaccard or containment, estimated from signatures -------------------------
def test_copy_with_paragraphs_dropped_is_caught_by_containment_not_jaccard():
    full = article(7, paragraphs=6)
    short = "\n\n".join(full.split("\n\n")[:3])  # half the article: Jaccard ~0.5, containment 1
    stage = DedupNear(DedupNearParams(threshold=0.7, containment=0.8))
    results, _ = clean_documents([stage], [Document(id="full", text=full), Document(id="short", text=short)])
    rejected = [r for r in results if isinstance(r, Rejected)]
    assert [(r.doc.id, r.details["duplicate_of"], r.details["measure"]) for r in rejected] == [
        ("short", "full", "containment")
    ]
    details = rejected[0].details
    assert details["jaccard"] < 0.7 <= details["containment"] == details["value"]
    assert details["threshold"] == 0.8
    off = DedupNear(DedupNearParams(threshold=0.7, containment=None))
    results, _ = clean_documents([off], [Document(id="full", text=full), Document(id="short", text=short)])
    assert not [r for r in results if isinstance(r, Rejected)]


def test_longer_later_document_is_not_rejected_for_containing_an_earlier_one():
    """The new document's own text must be in the kept one: a long article quoting a short one stays."""
    brief = article(8, paragraphs=2)
    long = brief + "\n\n" + article(9, paragraphs=8)
    results, _ = clean_documents([DedupNear()], [Document(id="brief", text=brief), Document(id="long", text=long)])
    assert not [r for r in results if isinstance(r, Rejected)]


def test_estimates_follow_exact_set_arithmetic():
    words = [f"w{i}" for i in range(600)]
    a, b = " ".join(words), " ".join(words[150:])  # b inside a: containment 1, Jaccard ~0.75
    grams_a, grams_b = shingles(a, 3), shingles(b, 3)
    inter = len(np.intersect1d(grams_a, grams_b))
    exact_j = inter / (len(grams_a) + len(grams_b) - inter)
    hasher = MinHasher(256, seed=3)
    j = float(jaccard(hasher.signature(grams_a), hasher.signature(grams_b)))
    assert abs(j - exact_j) < 0.1
    assert abs(float(containment(j, len(grams_a), len(grams_b))) - 1.0) < 0.1
    assert containment(exact_j, len(grams_a), len(grams_b)) == pytest.approx(inter / len(grams_b))
    assert float(jaccard(hasher.signature(grams_a), hasher.signature(grams_a))) == 1.0


def test_shingles_are_distinct_and_normalised():
    assert len(shingles("a b c a b c a b c", 3)) == 3
    assert np.array_equal(shingles("The “Cat” sat, on the mat.", 2), shingles("the cat  sat on THE mat", 2))
    assert len(shingles("two words", 3)) == 1


# -- the dataset chain: copies on a small site -------------------------------------------------
_SUBJECTS = ("The council", "A local charity", "The school board", "Police", "The health office", "The mayor")
_PLACES = ("in Millbrook", "near the harbour", "on the east side", "at the county fair", "downtown")
_ACTS = (
    "approved a plan to repair the bridge",
    "warned residents about the flooding",
    "opened a new clinic for children",
    "asked for more money for the library",
    "delayed the vote on the new road",
    "celebrated fifty years of service",
)
_AFTER = (
    "Officials said the work would take most of the summer.",
    "Several residents spoke against it at the meeting.",
    "It was not clear who would pay for the repairs.",
    "Supporters called it a long overdue decision.",
    "The next hearing is set for early April.",
    "A spokesperson declined to comment on the costs.",
)


def prose(seed: int) -> str:
    """A distinct invented news article in plain English (passes the language and quality rules)."""
    rng = random.Random(seed)
    acts, after = rng.sample(_ACTS, len(_ACTS)), rng.sample(_AFTER, len(_AFTER))
    paras = []
    for i in range(5):
        day = rng.choice(("on Monday", "last week", "on Friday night", "this morning"))
        paras.append(
            f"{rng.choice(_SUBJECTS)} {rng.choice(_PLACES)} {acts[i]} {day}, "
            f"and {rng.randint(12, 900)} people came to watch. {after[i]}"
        )
    return "\n\n".join(paras)


def test_dataset_chain_catches_a_shortened_copy_on_a_small_site_and_keeps_the_original_whole():
    """An article and its update on a site with four pages: the shared lines are no template."""
    from boilerclean.cleaners.config import load_config

    stages = load_config(Path(__file__).resolve().parents[2] / "configs" / "dataset.yaml").build_stages()
    site = "smalltown.example"
    docs = [Document(id=f"a{i}", text=prose(100 + i), domain=site) for i in range(3)]
    original = docs[0].text
    docs.append(Document(id="copy", text=shortened(original, 5), domain=site))
    results, _ = clean_documents(stages, docs)
    rejected = {r.doc.id: r for r in results if isinstance(r, Rejected)}
    kept = {d.id: d for d in results if not isinstance(d, Rejected)}
    assert set(rejected) == {"copy"} and rejected["copy"].details["duplicate_of"] == "a0"
    assert kept["a0"].text == original
