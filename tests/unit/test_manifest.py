"""The manifest's decisions, without running anything: what is up to date, what must be redone, what is refused."""

import os
from pathlib import Path

import orjson
import pytest

from boilerclean.cleaners.io.parts import PartWriter, describe_part
from boilerclean.cleaners.io.piece import Piece, Shard
from boilerclean.flows.manifest import Manifest, ManifestError, snapshot


def write_input(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path), name


def process(out, manifest, shards, dropped=frozenset()):
    """What a run does for ``shards``: write each part (one record per piece) and record it."""
    results = []
    for shard in shards:
        writer = PartWriter(out / "clean" / f"{shard.name}.jsonl")
        for piece in shard.pieces:
            writer.write({"id": piece.rel, "text": Path(piece.path).read_text()})
        writer.commit()
        outputs = {"clean": describe_part(writer.path, writer.count), "rejected": None}
        results.append({"shard": shard.name, "segment": 0, "outputs": outputs, "unreadable": []})
    snapshots = {p.path: snapshot(p.path) for s in shards for p in s.pieces}
    manifest.record(shards, results, set(dropped), snapshots, {})
    manifest.save("fp")


@pytest.fixture
def world(tmp_path):
    """Three inputs in two parts: a+b in part-00000, c in part-00001."""
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    files = [write_input(inp, n, f"text of {n}") for n in ("a.txt", "b.txt", "c.txt")]
    shards = [
        Shard(0, (Piece(*files[0]), Piece(*files[1]))),
        Shard(1, (Piece(*files[2]),)),
    ]
    manifest = Manifest(out)
    process(out, manifest, shards)
    return inp, out, files


def test_a_missing_manifest_is_empty_and_an_unreadable_one_is_an_error(tmp_path):
    assert Manifest.load(tmp_path).parts == {}
    (tmp_path / "manifest.json").write_text('{"version": 2, "files": {', encoding="utf-8")
    with pytest.raises(ManifestError, match=r"manifest.json cannot be used: not valid JSON.*--full"):
        Manifest.load(tmp_path)
    (tmp_path / "manifest.json").write_text('{"files": {}, "parts": {}}', encoding="utf-8")
    with pytest.raises(ManifestError, match="format version None"):
        Manifest.load(tmp_path)


def test_nothing_to_do_when_nothing_changed(world):
    _inp, out, files = world
    manifest = Manifest.load(out)
    assert manifest.verify() == {}
    pending = manifest.pending(files, {})
    assert pending.todo == [] and pending.dropped == set()


def test_a_touched_file_is_not_reprocessed_but_its_new_mtime_is_remembered(world):
    _inp, out, files = world
    os.utime(files[0][0], ns=(1, 1))
    manifest = Manifest.load(out)
    assert manifest.pending(files, {}).todo == []
    assert manifest.files[files[0][0]]["mtime_ns"] == 1


def test_a_changed_file_takes_its_part_and_the_other_inputs_of_that_part_with_it(world):
    inp, out, files = world
    write_input(inp, "a.txt", "new text of a.txt, longer")
    pending = Manifest.load(out).pending(files, {})
    assert [rel for _, rel in pending.todo] == ["a.txt", "b.txt"] and pending.dropped == {"part-00000"}


def test_a_damaged_part_is_found_and_rebuilt_from_its_inputs(world):
    _inp, out, files = world
    part = out / "clean" / "part-00001.jsonl"
    part.write_bytes(part.read_bytes().replace(b"text", b"TEXT"))  # same size, other content
    manifest = Manifest.load(out)
    damaged = manifest.verify()
    assert list(damaged) == ["part-00001"] and "differs" in damaged["part-00001"]
    pending = manifest.pending(files, damaged)
    assert [rel for _, rel in pending.todo] == ["c.txt"] and pending.dropped == {"part-00001"}
    part.unlink()
    assert "is missing" in Manifest.load(out).verify()["part-00001"]


def test_a_removed_input_keeps_its_part_and_comes_back_without_duplicates(world):
    inp, out, files = world
    os.rename(files[2][0], inp / "away")
    manifest = Manifest.load(out)
    pending = manifest.pending(files[:2], {})
    assert pending.newly_removed == [files[2][0]] and pending.todo == [] and pending.dropped == set()
    manifest.save("fp")
    os.rename(inp / "away", files[2][0])
    manifest = Manifest.load(out)
    assert manifest.pending(files, {}).todo == [] and manifest.removed_inputs() == []


def test_a_part_that_holds_a_removed_input_cannot_be_rebuilt_and_says_so(world):
    inp, out, files = world
    os.remove(files[1][0])  # b.txt gone: its documents live only in part-00000
    write_input(inp, "a.txt", "a changed a.txt forces part-00000 to be rebuilt")
    with pytest.raises(ManifestError, match=r"part-00000 \(input a.txt is new or changed\) holds .*b.txt.*--full"):
        Manifest.load(out).pending([files[0], files[2]], {})


def test_an_input_that_changed_while_read_is_processed_again(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    path, rel = write_input(inp, "grows.txt", "first line\n")
    manifest = Manifest(out)
    shard = Shard(0, (Piece(path, rel),))
    planned = snapshot(path)
    with open(path, "a") as f:
        f.write("appended while the run read it\n")
    writer = PartWriter(out / "clean" / "part-00000.jsonl")
    writer.write({"id": rel, "text": "first line"})
    writer.commit()
    result = {"shard": "part-00000", "segment": 0, "outputs": {"clean": describe_part(writer.path, 1)}}
    manifest.record([shard], [result], set(), {path: planned}, {})
    assert manifest.changed_while_read() == [path]
    assert manifest.pending([(path, rel)], {}).todo == [(path, rel)]


def test_an_unreadable_input_is_retried_only_once_it_can_be_read(tmp_path):
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    link = inp / "later.txt"
    link.symlink_to(inp / "target.txt")  # dangling: cannot be read (root or not)
    manifest = Manifest(out)
    shard = Shard(0, (Piece(str(link), "later.txt"),))
    writer = PartWriter(out / "rejected" / "part-00000.jsonl")
    writer.write({"id": "later.txt", "reason": "read:unreadable"})
    writer.commit()
    outputs = {"clean": None, "rejected": describe_part(writer.path, 1)}
    result = {"shard": "part-00000", "segment": 0, "outputs": outputs, "unreadable": ["later.txt"]}
    manifest.record([shard], [result], set(), {str(link): snapshot(str(link))}, {})
    assert manifest.files[str(link)]["state"] == "unreadable"
    assert manifest.pending([(str(link), "later.txt")], {}).todo == []
    (inp / "target.txt").write_text("now it exists", encoding="utf-8")
    assert manifest.pending([(str(link), "later.txt")], {}).todo == [(str(link), "later.txt")]


def test_records_and_hashes_are_what_is_in_the_files(world):
    _inp, out, _files = world
    data = orjson.loads((out / "manifest.json").read_bytes())
    entry = data["parts"]["part-00000"]["outputs"]["clean"]
    assert entry["records"] == 2 and entry["bytes"] == (out / "clean" / "part-00000.jsonl").stat().st_size
    assert Manifest.load(out).records_on_disk() == {"clean": 3, "rejected": 0}


def test_with_corpus_wide_stages_one_damaged_part_rebuilds_them_all(world):
    """Repeated lines and dedup decide from every document of a run: a part rebuilt alone would differ."""
    import logging

    from boilerclean.cleaners.config import parse_config
    from boilerclean.flows.plan import plan_run

    _inp, out, files = world
    cfg = parse_config({"stages": [{"name": "normalize_whitespace"}, {"name": "remove_repeated_lines"}]})
    manifest = Manifest.load(out)
    manifest.save(cfg.fingerprint())
    (out / "clean" / "part-00001.jsonl").unlink()
    plan = plan_run(cfg, [str(Path(files[0][0]).parent)], out, False, logging.getLogger("test"))
    assert plan.pending.dropped == {"part-00000", "part-00001"}
    assert sorted(rel for _, rel in plan.pending.todo) == ["a.txt", "b.txt", "c.txt"]
    assert plan.shards[0].name == "part-00000"  # numbered as an uninterrupted run numbers them
