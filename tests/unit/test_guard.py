"""The killable worker: a stuck or crashing document costs itself, never the shard."""

import json
import os
import time

import pytest

from boilerclean.cleaners import catalog
from boilerclean.cleaners.config import parse_config
from boilerclean.cleaners.io.readers import plan_shards
from boilerclean.cleaners.stage import DocumentStage, Params
from boilerclean.flows.shard import run_segment, run_segment_guarded


class HazardParams(Params):
    timeout_s: float = 2.0  # its own limit, short; the others keep the generous default


class Hazard(DocumentStage):
    """Hangs in a way no exception can interrupt, or kills its own process, on cue."""

    name = "hazard"
    Params = HazardParams

    def apply(self, doc, log):
        if "HANG" in doc.text:
            time.sleep(3600)
        if "CRASH" in doc.text:
            os._exit(7)
        return doc


@pytest.fixture
def hazard_stage(monkeypatch):
    # The test stage lives only in this process's catalog, so the killable worker must be forked
    # from here (a forkserver child would not know it). In production the pool process that runs
    # the guard is single-threaded and forks anyway; under pytest other tests may leave threads.
    import multiprocessing

    import boilerclean.flows.guard

    monkeypatch.setattr(boilerclean.flows.guard, "_context", lambda: multiprocessing.get_context("fork"))
    monkeypatch.setitem(catalog.STAGES, "hazard", f"{__name__}:Hazard")
    catalog.stage_class.cache_clear()
    yield
    catalog.stage_class.cache_clear()


def make_input(tmp_path, texts):
    inp = tmp_path / "in"
    inp.mkdir()
    (inp / "a.jsonl").write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(texts)))
    return plan_shards([str(inp)], 10**9)[0]


def read(path):
    return [json.loads(line) for line in path.open()] if path.exists() else []


def test_hanging_and_crashing_documents_are_rejected_and_the_rest_kept(tmp_path, hazard_stage):
    shard = make_input(tmp_path, ["one", "HANG here", "two", "CRASH here", "three"])
    cfg = parse_config(
        {
            "stages": [{"name": "normalize_whitespace"}, {"name": "hazard"}, {"name": "filter_empty"}],
            # generous: a loaded machine may stall an ordinary document for a while, and that is no hang
            "limits": {"stage_timeout_s": 60},
        }
    )
    out = tmp_path / "out"
    result = run_segment_guarded(shard, 0, cfg, str(out))
    clean = read(out / "clean" / "part-00000.jsonl")
    rejected = {r["id"]: r for r in read(out / "rejected" / "part-00000.jsonl")}
    assert [r["text"] for r in clean] == ["one", "two", "three"]
    assert rejected["d1"]["reason"] == "timeout:hazard" and rejected["d1"]["stage"] == "hazard"
    assert rejected["d1"]["limit_s"] == 2.0
    assert rejected["d3"]["reason"] == "crash:hazard" and rejected["d3"]["exit_code"] == 7
    assert result["clean"] == 3 and result["rejected"] == 2
    hazard_log = result["stages"][1]
    assert hazard_log["rejected"] == {"crash:hazard": 1, "timeout:hazard": 1}


def test_guarded_output_equals_unguarded(tmp_path):
    shard = make_input(tmp_path, [f"text {i}" for i in range(50)] + ["", "x"])
    cfg = parse_config({"stages": [{"name": "normalize_whitespace"}, {"name": "filter_empty"}]})
    run_segment_guarded(shard, 0, cfg, str(tmp_path / "a"))
    run_segment(shard, 0, cfg, str(tmp_path / "b"))
    for sub in ("clean", "rejected"):
        assert (tmp_path / "a" / sub / "part-00000.jsonl").read_bytes() == (
            tmp_path / "b" / sub / "part-00000.jsonl"
        ).read_bytes()
