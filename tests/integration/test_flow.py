"""The Prefect flow end to end on a temp dir: accounting, parts, report, artifacts, workers."""

import json

import pytest

from boilerclean.cleaners.config import parse_config
from boilerclean.flows.flow import run_flow

pytestmark = pytest.mark.integration

CONFIG = {
    "stages": [{"name": "fix_encoding"}, {"name": "normalize_whitespace"}, {"name": "filter_empty", "min_words": 3}],
    "shard": {"max_bytes": 700},
}


@pytest.fixture
def corpus(tmp_path):
    inp = tmp_path / "in"
    (inp / "nested").mkdir(parents=True)
    rows = [json.dumps({"id": f"r{i}", "text": f"Record {i} has CafÃ© text and enough words."}) for i in range(40)]
    rows[5] = "{broken json"
    rows[9] = json.dumps({"id": "short", "text": "two words"})
    rows[12] = json.dumps([1, 2, 3])
    (inp / "rows.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (inp / "nested" / "note.txt").write_text("A plain text note with several words.", encoding="utf-8")
    (inp / "nested" / "blank.txt").write_text("   \n", encoding="utf-8")
    return inp


def read_parts(folder):
    return [json.loads(line) for p in sorted(folder.glob("part-*.jsonl")) for line in p.open()]


def test_flow_accounts_for_every_document(corpus, tmp_path):
    out = tmp_path / "out"
    report = run_flow(parse_config(CONFIG), [str(corpus)], str(out))
    clean, rejected = read_parts(out / "clean"), read_parts(out / "rejected")
    on_disk = json.loads((out / "report.json").read_text())
    assert on_disk["documents"] == report["documents"] == {"in": 42, "clean": 38, "rejected": 4}
    assert report["accounting_ok"] and report["parts"] > 1 and report["this_run"]["files"] == 3
    assert len(clean) == 38 and len(rejected) == 4
    assert {r["reason"] for r in rejected} == {
        "read:invalid_json",
        "read:not_an_object",
        "length:too_few_words",
        "length:empty",
    }
    assert all("CafÃ©" not in r["text"] and "Café" in r["text"] for r in clean if r["id"].startswith("r"))
    assert [s["stage"] for s in report["stages"]] == ["read", "fix_encoding", "normalize_whitespace", "filter_empty"]
    fix = report["stages"][1]
    assert fix["docs_in"] == 40 and fix["counters"]["encoding:repaired"] == 37
    assert not (out / "_work").exists() and not list(out.rglob("*.tmp"))
    assert 10 < report["worker_peak_rss_mb"] < 4000  # the shard workers' own high-water mark, in MB
    card = (out / "README.md").read_text()
    assert "38 clean documents out of 42" in card and "length:too_few_words" in card and "document short" in card


def test_two_workers_give_identical_bytes(corpus, tmp_path):
    cfg = parse_config(CONFIG)
    run_flow(cfg, [str(corpus)], str(tmp_path / "w1"))
    run_flow(
        cfg.model_copy(update={"runner": cfg.runner.model_copy(update={"workers": 2})}),
        [str(corpus)],
        str(tmp_path / "w2"),
    )
    for sub in ("clean", "rejected"):
        one = {p.name: p.read_bytes() for p in (tmp_path / "w1" / sub).glob("*.jsonl")}
        two = {p.name: p.read_bytes() for p in (tmp_path / "w2" / sub).glob("*.jsonl")}
        assert one == two and one


def test_incremental_runs_process_only_new_or_changed_files(corpus, tmp_path):
    out = tmp_path / "out"
    cfg = parse_config(CONFIG)
    first = run_flow(cfg, [str(corpus)], str(out))
    parts_before = {p.name: p.read_bytes() for p in (out / "clean").glob("*.jsonl")}

    again = run_flow(cfg, [str(corpus)], str(out))
    assert again["this_run"]["files"] == 0 and again["documents"] == first["documents"]

    (corpus / "new.txt").write_text("A brand new document arrives here today.", encoding="utf-8")
    added = run_flow(cfg, [str(corpus)], str(out))
    assert added["this_run"]["files"] == 1 and added["this_run"]["documents"] == {"in": 1, "clean": 1, "rejected": 0}
    assert added["documents"] == {"in": 43, "clean": 39, "rejected": 4}
    after = {p.name: p.read_bytes() for p in (out / "clean").glob("*.jsonl")}
    assert {k: after[k] for k in parts_before} == parts_before and len(after) == len(parts_before) + 1

    (corpus / "nested" / "note.txt").write_text("The note was edited and now says something else.", encoding="utf-8")
    changed = run_flow(cfg, [str(corpus)], str(out))
    assert changed["documents"] == {"in": 43, "clean": 39, "rejected": 4}
    texts = [r["text"] for r in read_parts(out / "clean")]
    assert "The note was edited and now says something else." in texts
    assert "A plain text note with several words." not in texts

    full = run_flow(cfg, [str(corpus)], str(out), full=True)
    assert full["this_run"]["files"] == 4 and full["documents"] == {"in": 43, "clean": 39, "rejected": 4}


def test_changed_config_reprocesses_everything(corpus, tmp_path):
    out = tmp_path / "out"
    run_flow(parse_config(CONFIG), [str(corpus)], str(out))
    stricter = dict(CONFIG, stages=[{"name": "normalize_whitespace"}, {"name": "filter_empty", "min_words": 8}])
    report = run_flow(parse_config(stricter), [str(corpus)], str(out))
    assert report["this_run"]["files"] == 3 and report["documents"]["in"] == 42


def test_second_run_on_a_locked_output_stops_with_a_clear_message(corpus, tmp_path):
    from boilerclean.flows.state import OutputLock

    out = tmp_path / "out"
    with OutputLock(out), pytest.raises(RuntimeError, match="another boilerclean run"):
        run_flow(parse_config(CONFIG), [str(corpus)], str(out))
    assert not (out / "clean").exists()


def test_artifacts_are_published(corpus, tmp_path):
    from prefect import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    run_flow(parse_config(CONFIG), [str(corpus)], str(tmp_path / "out"))
    with get_client(sync_client=True) as client:
        arts = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=["boilerclean-stages", "boilerclean-summary"]))
        )
    kinds = {a.key: a.type for a in arts}
    assert kinds.get("boilerclean-stages") == "table" and kinds.get("boilerclean-summary") == "markdown"


def test_repetition_map_reduce_is_identical_for_1_and_2_workers(tmp_path):
    """remove_repeated_lines over real scraped news, sliced into many shards: the count/merge/apply
    passes give the same bytes whatever the number of workers, and do remove site boilerplate."""
    from tests.conftest import shared_path

    corpus = shared_path("corpus", "news_dev.jsonl")
    cfg = parse_config(
        {
            "stages": [
                {"name": "fix_encoding"},
                {"name": "normalize_whitespace"},
                {"name": "remove_repeated_lines"},
                {"name": "filter_empty"},
            ],
            "shard": {"max_bytes": 60_000},
        }
    )
    one = run_flow(cfg, [str(corpus)], str(tmp_path / "w1"))
    two_cfg = cfg.model_copy(update={"runner": cfg.runner.model_copy(update={"workers": 2})})
    two = run_flow(two_cfg, [str(corpus)], str(tmp_path / "w2"))
    assert one["passes"] == 2 and one["parts"] > 3
    removed = one["stages"][3]["lines_removed"].get("repeated:line", 0)
    assert removed >= 20 and two["stages"][3]["lines_removed"]["repeated:line"] == removed
    for sub in ("clean", "rejected"):
        a = {p.name: p.read_bytes() for p in (tmp_path / "w1" / sub).glob("*.jsonl")}
        b = {p.name: p.read_bytes() for p in (tmp_path / "w2" / sub).glob("*.jsonl")}
        assert a == b
