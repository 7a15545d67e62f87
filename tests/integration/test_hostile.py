"""Hostile input never stops a run and never loses a document (generated corpus: tests/hostile/corpus.py)."""

import json
import resource

import pytest

from boilerclean.cleaners.config import load_config
from boilerclean.flows.flow import run_flow
from tests.hostile.corpus import write_corpus

pytestmark = pytest.mark.integration


def test_hostile_corpus_completes_with_every_document_accounted_for(tmp_path):
    inp, out = tmp_path / "hostile", tmp_path / "out"
    write_corpus(inp)
    cfg = load_config("configs/news-html.yaml")
    cfg = cfg.model_copy(
        update={
            "limits": cfg.limits.model_copy(update={"stage_timeout_s": 20}),
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
    assert rejected["many-attrs.html"]["reason"] in ("extract:timeout", "extract:too_large")
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
