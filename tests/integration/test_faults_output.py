"""Faults on disk between and during runs (issue #18's table): parts lost or altered, the manifest
truncated or deleted, inputs removed, restored, unreadable or growing while read.

Each ends with the same documents as an uninterrupted run over the inputs as they are now, or with
an error that names the cause; never with a document silently lost or counted twice.
"""

import json
import os
import shutil
import threading

import pytest

from boilerclean.cleaners.config import StageSpec, parse_config
from boilerclean.flows.flow import run_flow
from boilerclean.flows.manifest import ManifestError
from tests.faults.helpers import assert_same_documents, part_bytes, records, wait_for
from tests.faults.stages import register, unregister

pytestmark = pytest.mark.integration

CONFIG = {
    "stages": [{"name": "fix_encoding"}, {"name": "normalize_whitespace"}, {"name": "filter_empty", "min_words": 3}],
    "shard": {"max_bytes": 900},
}


def write_inputs(folder, names=("alpha", "beta", "gamma")):
    folder.mkdir(parents=True, exist_ok=True)
    for k, name in enumerate(names):
        text = "Record {} of {} has CafÃ© text and words."
        rows = [json.dumps({"id": f"{name}-{i}", "text": text.format(i, name)}) for i in range(12)]
        rows[3 + k] = "{broken json"
        (folder / f"{name}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "note.txt").write_text("A plain text note with several words in it.", encoding="utf-8")
    return folder


def run(inp, out, cfg=None, **kw):
    return run_flow(cfg or parse_config(CONFIG), [str(inp)], str(out), **kw)


def reference(tmp_path, inp, name="reference", cfg=None):
    """An uninterrupted run over the inputs as they are now, into a fresh folder."""
    ref = tmp_path / name
    shutil.rmtree(ref, ignore_errors=True)
    run(inp, ref, cfg)
    return ref


@pytest.fixture
def inp(tmp_path):
    return write_inputs(tmp_path / "in")


def test_a_deleted_or_altered_part_is_rebuilt_from_its_inputs(inp, tmp_path):
    out = tmp_path / "out"
    run(inp, out)
    parts = sorted((out / "clean").glob("part-*"))
    assert len(parts) >= 3
    parts[0].unlink()  # lost on storage
    cut = parts[1].read_bytes().splitlines(keepends=True)
    parts[1].write_bytes(b"".join(cut[:-1]))  # truncated
    rejected = sorted((out / "rejected").glob("part-*"))[0]
    rejected.write_bytes(rejected.read_bytes().replace(b"broken", b"BROKEN"))  # same size, other bytes
    report = run(inp, out)
    assert report["this_run"]["files"] >= 2
    assert_same_documents(out, reference(tmp_path, inp))


def test_a_truncated_manifest_stops_the_run_and_full_rebuilds(inp, tmp_path):
    out = tmp_path / "out"
    run(inp, out)
    (inp / "delta.jsonl").write_text(json.dumps({"id": "delta-0", "text": "A late record with some words."}) + "\n")
    run(inp, out)  # incremental: appends a part
    manifest = out / "manifest.json"
    manifest.write_bytes(manifest.read_bytes()[:200])
    before = part_bytes(out / "clean")
    with pytest.raises(ManifestError, match=r"manifest.json cannot be used: not valid JSON.*--full"):
        run(inp, out)
    assert part_bytes(out / "clean") == before  # nothing touched
    run(inp, out, full=True)
    ref = reference(tmp_path, inp)
    assert part_bytes(out / "clean") == part_bytes(ref / "clean")
    assert_same_documents(out, ref)


def test_a_deleted_manifest_rebuilds_without_duplicates(inp, tmp_path):
    out = tmp_path / "out"
    run(inp, out)
    (inp / "delta.jsonl").write_text(json.dumps({"id": "delta-0", "text": "A late record with some words."}) + "\n")
    run(inp, out)
    (out / "manifest.json").unlink()
    run(inp, out)
    assert_same_documents(out, reference(tmp_path, inp))


def test_a_removed_input_keeps_its_documents_and_is_not_duplicated_when_restored(inp, tmp_path):
    out = tmp_path / "out"
    run(inp, out)
    ref = reference(tmp_path, inp)
    shutil.move(inp / "beta.jsonl", tmp_path / "beta.jsonl")
    gone = run(inp, out)
    assert gone["inputs_removed"] == 1 and gone["this_run"]["files"] == 0
    assert_same_documents(out, ref)
    shutil.copy(tmp_path / "beta.jsonl", inp / "beta.jsonl")  # back, unchanged, with a new mtime
    back = run(inp, out)
    assert back["inputs_removed"] == 0 and back["this_run"]["files"] == 0
    assert_same_documents(out, ref)
    os.remove(inp / "beta.jsonl")
    run(inp, out)
    (inp / "beta.jsonl").write_text(json.dumps({"id": "beta-new", "text": "The restored file says something new."}))
    changed = run(inp, out)  # back, changed: its old documents go, its new ones come in
    assert changed["this_run"]["files"] >= 1
    assert_same_documents(out, reference(tmp_path, inp, "reference-2"))


def test_a_lost_part_whose_input_is_gone_stops_the_run(inp, tmp_path):
    out = tmp_path / "out"
    run(inp, out)
    manifest = json.loads((out / "manifest.json").read_text())
    beta = str(inp / "beta.jsonl")
    part = manifest["files"][beta]["parts"][0]
    os.remove(beta)
    (out / "clean" / f"{part}.jsonl").unlink()
    with pytest.raises(ManifestError, match=rf"{part} \(.*is missing\) holds .*beta.jsonl.*--full"):
        run(inp, out)


def test_unreadable_inputs_are_rejects_and_are_read_once_readable(inp, tmp_path):
    out = tmp_path / "out"
    (inp / "dangling.txt").symlink_to(inp / "not-there-yet.txt")
    os.mkfifo(inp / "pipe.jsonl")
    first = run(inp, out)
    rejected = {json.loads(line)["id"]: json.loads(line) for line in records(out, "rejected")}
    assert rejected["dangling.txt"]["reason"] == "read:unreadable"
    assert rejected["pipe.jsonl:*"]["reason"] == "read:unreadable"
    assert first["accounting_ok"]
    again = run(inp, out)
    assert again["this_run"]["files"] == 0  # still unreadable: not reprocessed every run
    (inp / "not-there-yet.txt").write_text("The target arrived and has enough words now.", encoding="utf-8")
    os.remove(inp / "pipe.jsonl")
    fixed = run(inp, out)
    assert fixed["this_run"]["files"] >= 1
    assert_same_documents(out, reference(tmp_path, inp))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_a_file_without_read_permission_is_a_reject_in_planning_reading_and_fingerprinting(inp, tmp_path):
    out = tmp_path / "out"
    locked = inp / "locked.jsonl"
    locked.write_text("\n".join(json.dumps({"id": f"l{i}", "text": "words " * 400}) for i in range(20)) + "\n")
    locked.chmod(0)  # big enough to be sliced: planning opens it too
    cfg = parse_config(dict(CONFIG, shard={"max_bytes": 900}))
    report = run(inp, out, cfg)
    assert report["accounting_ok"] and report["rejected_by_reason"]["read:unreadable"] == 1
    locked.chmod(0o644)
    fixed = run(inp, out, cfg)
    assert fixed["this_run"]["files"] >= 1
    assert_same_documents(out, reference(tmp_path, inp, cfg=cfg))


def test_lines_appended_while_the_run_reads_the_input_are_processed_by_the_next_run(inp, tmp_path):
    register()
    try:
        gate = tmp_path / "gate"
        cfg = parse_config(CONFIG)
        stages = [*cfg.stages[:2], StageSpec(name="gate", path=str(gate)), cfg.stages[2]]
        cfg = cfg.model_copy(update={"stages": stages})
        growing = inp / "growing.jsonl"
        growing.write_text(
            "".join(json.dumps({"id": f"g{i}", "text": f"Growing record {i} has words GATE"}) + "\n" for i in range(3))
        )
        out = tmp_path / "out"
        result = {}
        runner = threading.Thread(target=lambda: result.update(run(inp, out, cfg)))
        runner.start()
        wait_for(tmp_path / "gate.waiting")
        with growing.open("a") as f:  # a scraper appends while the run is inside this very file
            f.writelines(json.dumps({"id": f"g{i}", "text": f"Appended {i}, words"}) + "\n" for i in range(3, 50))
        gate.touch()
        runner.join()
        assert result["inputs_changed_while_read"] == [str(growing)]
        follow_up = run(inp, out, cfg)
        assert follow_up["this_run"]["files"] >= 1 and not follow_up["inputs_changed_while_read"]
        assert_same_documents(out, reference(tmp_path, inp, cfg=cfg))
    finally:
        unregister()


def test_with_corpus_wide_stages_a_lost_part_is_rebuilt_to_the_same_bytes(tmp_path):
    """remove_repeated_lines decides from every document of a run: a line seen in two parts is site
    debris only when both are counted, so a lost part is rebuilt together with all the others."""
    inp = tmp_path / "in"
    inp.mkdir()
    for k in range(3):
        rows = []
        for i in (2 * k, 2 * k + 1):
            topic = ("harbour", "budget", "school", "river", "museum", "railway")[i]
            text = f"The {topic} story has its own words about the {topic}, written for this page alone."
            if i in (0, 3):
                text += "\n\nRead more from the desk on our pages"
            rows.append(json.dumps({"id": f"s{i}", "url": f"https://desk.example/story-{i}", "text": text}))
        (inp / f"site-{k}.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    cfg = parse_config(
        {
            "stages": [{"name": "normalize_whitespace"}, {"name": "remove_repeated_lines"}, {"name": "filter_empty"}],
            "shard": {"max_bytes": 300},
        }
    )
    out = tmp_path / "out"
    first = run(inp, out, cfg)
    assert first["parts"] == 3 and first["stages"][2]["lines_removed"] == {"repeated:line": 2}
    (out / "clean" / "part-00000.jsonl").unlink()
    run(inp, out, cfg)
    ref = reference(tmp_path, inp, cfg=cfg)
    assert part_bytes(out / "clean") == part_bytes(ref / "clean")
    assert_same_documents(out, ref)
