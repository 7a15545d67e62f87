"""Hostile input never stops a run and never loses a document (generated corpus: tests/hostile/corpus.py).

How long a hostile page takes depends on the machine, so no assertion here does: the page that
must time out goes through a test-only stage that never returns (tests/faults/stages.py), and the
real monster pages are only required to be accounted for, whichever way they end.
"""

import json
import resource

import pytest

from boilerclean.cleaners.config import StageSpec, load_config
from boilerclean.flows.flow import run_flow
from tests.faults.stages import ARTICLE_STUCK, register, unregister
from tests.hostile.corpus import ARTICLE, write_corpus

pytestmark = pytest.mark.integration


@pytest.fixture
def hang_stage():
    register()
    yield
    unregister()


def test_hostile_corpus_completes_with_every_document_accounted_for(tmp_path, hang_stage):
    inp, out = tmp_path / "hostile", tmp_path / "out"
    write_corpus(inp)
    (inp / "stuck.txt").write_text(f"{ARTICLE}\n\n{ARTICLE_STUCK}", encoding="utf-8")
    cfg = load_config("configs/news-html.yaml")
    stages = [cfg.stages[0], StageSpec(name="hang", marker=ARTICLE_STUCK, timeout_s=5), *cfg.stages[1:]]
    cfg = cfg.model_copy(
        update={
            "stages": stages,
            "limits": cfg.limits.model_copy(update={"stage_timeout_s": 60}),
            "input": cfg.input.model_copy(update={"max_doc_bytes": 4_000_000, "max_file_bytes": 40_000_000}),
        }
    )
    report = run_flow(cfg, [str(inp)], str(out))
    d = report["documents"]
    assert report["accounting_ok"] and d["in"] == d["clean"] + d["rejected"] and d["in"] >= 25

    rejected = {r["id"]: r for p in (out / "rejected").glob("*.jsonl") for r in map(json.loads, p.open())}
    clean = {r["id"]: r for p in (out / "clean").glob("*.jsonl") for r in map(json.loads, p.open())}
    reasons = {r["reason"] for r in rejected.values()}
    assert {"read:invalid_json", "read:not_an_object", "read:text_not_a_string", "read:no_text"} <= reasons
    assert rejected["big-doc.jsonl:1"]["reason"] == "read:too_large"
    assert rejected["stuck.txt"]["reason"] == "timeout:hang" and rejected["stuck.txt"]["limit_s"] == 5
    for monster in ("many-attrs.html", "nested.html", "entities.html"):  # machine-dependent outcome, never lost
        assert monster in clean or rejected[monster]["reason"].startswith("extract:"), monster
    assert any(reason.startswith("read:") and "gz" in rid for rid, r in rejected.items() for reason in [r["reason"]])
    for rid in ("ok-1", "zero-width", "mixed-scripts", "nul-bytes", "latin1-bytes", "lone-surrogate"):
        assert rid in clean, (rid, rejected.get(rid))
    assert "\u200b" not in clean["zero-width"]["text"] and "\u202e" not in clean["zero-width"]["text"]
    assert "\x00" not in clean["nul-bytes"]["text"]
    assert "Москва" in clean["mixed-scripts"]["text"]
    for record in clean.values():
        record["text"].encode("utf-8")  # valid UTF-8 everywhere: no lone surrogates survive
    # memory stays bounded: no process of the run grew past what the limits allow
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    assert peak_mb < 1500, peak_mb
