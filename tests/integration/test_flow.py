"""The Prefect flow end to end on a temp dir: accounting, parts, report, artifacts, workers."""

import json

import pytest

from cleaners.config import parse_config
from flows.flow import run_flow

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
    assert report["accounting_ok"] and report["shards"] > 1
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


def test_rerun_replaces_previous_parts(corpus, tmp_path):
    out = tmp_path / "out"
    run_flow(parse_config(CONFIG), [str(corpus)], str(out))
    (corpus / "rows.jsonl").unlink()
    report = run_flow(parse_config(CONFIG), [str(corpus)], str(out))
    assert report["documents"] == {"in": 2, "clean": 1, "rejected": 1}
    assert len(read_parts(out / "clean")) == 1


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
