"""The stage chain: routing of rejects, per-stage books, and corpus stages cut into passes."""

import collections

import pytest

from boilerclean.cleaners import catalog
from boilerclean.cleaners.config import parse_config
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.io.readers import plan_shards
from boilerclean.cleaners.pipeline import Pipeline, clean_documents
from boilerclean.cleaners.stage import CorpusStage, DocumentStage, Reject, Rejected
from boilerclean.cleaners.stages.length import FilterEmpty
from boilerclean.cleaners.stages.whitespace import NormalizeWhitespace


class DropRepeatedText(CorpusStage):
    """Test corpus stage: a text seen in two or more documents of the run is rejected everywhere."""

    name = "drop_repeated_text"

    def new_partial(self):
        return collections.Counter()

    def observe(self, partial, doc):
        partial[doc.text] += 1

    def merge(self, partials):
        total = collections.Counter()
        for p in partials:
            total.update(p)
        return {t for t, n in total.items() if n > 1}

    def apply(self, doc, log):
        if doc.text in self.state:
            raise Reject("test:repeated")
        return doc


class Explode(DocumentStage):
    name = "explode"

    def apply(self, doc, log):
        if "boom" in doc.text:
            raise RuntimeError("kaboom")
        log.removed(doc, "test:first_char", doc.text[:1])
        doc.text = doc.text[1:]
        return doc


@pytest.fixture
def test_stages(monkeypatch):
    monkeypatch.setitem(catalog.STAGES, "drop_repeated_text", f"{__name__}:DropRepeatedText")
    monkeypatch.setitem(catalog.STAGES, "explode", f"{__name__}:Explode")
    catalog.stage_class.cache_clear()
    yield
    catalog.stage_class.cache_clear()


def docs(*texts):
    return [Document(id=str(i), text=t) for i, t in enumerate(texts)]


def test_rejects_leave_the_chain_and_are_counted():
    stages = [NormalizeWhitespace(), FilterEmpty()]
    pipe = Pipeline(stages)
    logs = pipe.new_logs()
    out = list(pipe.run(docs("a", "  ", "b", "\n"), logs))
    clean = [o for o in out if isinstance(o, Document)]
    rejected = [o for o in out if isinstance(o, Rejected)]
    assert [d.text for d in clean] == ["a", "b"]
    assert [(r.doc.id, r.stage, r.reason) for r in rejected] == [("1", "filter_empty", "length:empty")] * 1 + [
        ("3", "filter_empty", "length:empty")
    ]
    assert (logs[0].docs_in, logs[0].docs_out, logs[1].docs_in, logs[1].docs_out) == (4, 4, 4, 2)
    assert all(log.seconds >= 0 for log in logs)


def test_unexpected_exception_rejects_one_document_only():
    results, reports = clean_documents([Explode()], docs("ok", "boom", "fine"))
    assert [r.reason for r in results if isinstance(r, Rejected)] == ["error:RuntimeError"]
    assert [d.text for d in results if isinstance(d, Document)] == ["k", "ine"]
    assert reports[0]["lines_removed"] == {"test:first_char": 2}


def test_explain_records_removals_only_when_asked():
    d1, d2 = docs("xa", "yb")
    d2.removals = []
    clean_documents([Explode()], [d1, d2])
    assert d1.removals is None
    assert [(r.stage, r.rule, r.text) for r in d2.removals] == [("explode", "test:first_char", "y")]


def test_corpus_stage_in_memory(test_stages):
    cfg = parse_config({"stages": [{"name": "normalize_whitespace"}, {"name": "drop_repeated_text"}]})
    results, reports = clean_documents(cfg.build_stages(), docs("same", "other", " same "))
    assert sorted(r.doc.id for r in results if isinstance(r, Rejected)) == ["0", "2"]
    assert [s["stage"] for s in reports] == ["normalize_whitespace", "drop_repeated_text"]


def test_segments_cut_before_corpus_stages(test_stages):
    cfg = parse_config(
        {"stages": [{"name": "normalize_whitespace"}, {"name": "drop_repeated_text"}, {"name": "filter_empty"}]}
    )
    segments = Pipeline(cfg.build_stages()).segments()
    assert [[s.name for s in seg.stages] for seg in segments] == [
        ["normalize_whitespace"],
        ["drop_repeated_text", "filter_empty"],
    ]
    assert segments[0].corpus_stage is None and segments[1].corpus_stage is not None


def test_shard_runner_two_passes_same_output_for_any_sharding(tmp_path, test_stages):
    from boilerclean.flows.shard import merge_partials, run_segment

    inp = tmp_path / "in"
    inp.mkdir()
    texts = [f"text {i % 7}" if i % 3 else f"unique {i}" for i in range(60)] + ["", "not json"]
    lines = [f'{{"id": "d{i}", "text": "{t}"}}' for i, t in enumerate(texts[:-1])] + [texts[-1]]
    (inp / "a.jsonl").write_text("\n".join(lines) + "\n")
    cfg = parse_config(
        {"stages": [{"name": "normalize_whitespace"}, {"name": "drop_repeated_text"}, {"name": "filter_empty"}]}
    )

    def run(max_bytes, out):
        shards = plan_shards([str(inp)], max_bytes)
        names = [s.name for s in shards]
        res = [run_segment(s, 0, cfg, str(out)) for s in shards]
        merge_partials(cfg, 1, names, str(out))
        res += [run_segment(s, 1, cfg, str(out)) for s in shards]
        clean = b"".join(p.read_bytes() for p in sorted((out / "clean").glob("*.jsonl")))
        rejected = b"".join(p.read_bytes() for p in sorted((out / "rejected").glob("*.jsonl")))
        return len(shards), res, clean, rejected

    n1, _res1, clean1, rej1 = run(10**9, tmp_path / "one")
    n3, res3, clean3, rej3 = run(400, tmp_path / "many")
    assert n1 == 1 and n3 > 3
    assert clean1 == clean3
    assert sorted(rej1.splitlines()) == sorted(rej3.splitlines())
    n_in = sum(r["read"]["docs_in"] for r in res3 if r["read"])
    n_clean = sum(r["clean"] for r in res3)
    n_rej = sum(r["rejected"] for r in res3)
    assert n_in == 62 and n_in == n_clean + n_rej
    assert clean1.count(b"unique") == n_clean  # every repeated text went, every unique one stayed


def test_pass_count_is_known_without_building_stages(test_stages):
    cfg = parse_config(
        {"stages": [{"name": "drop_repeated_text"}, {"name": "filter_empty"}, {"name": "drop_repeated_text"}]}
    )
    assert cfg.passes() == len(Pipeline(cfg.build_stages()).segments()) == 2
