import gzip
import json
import os

import pytest

from boilerclean.cleaners.io.readers import InputError, decode_bytes, list_inputs, plan_shards, read_shard
from boilerclean.cleaners.stage import Rejected


def write_jsonl(path, records):
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


def read_all(paths, max_bytes=10**9, **kw):
    out = []
    for shard in plan_shards([str(p) for p in paths], max_bytes):
        out.extend(read_shard(shard, **kw))
    return out


def test_jsonl_fields_ids_and_metadata(tmp_path):
    write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"id": 7, "text": "t", "url": "https://x.org/a", "title": "T", "domain": "x.org", "lang": "en"},
            {"text": "no id", "metadata": {"k": 1}, "score": 0.5},
        ],
    )
    docs = read_all([tmp_path])
    assert [d.id for d in docs] == ["7", "a.jsonl:2"]
    assert docs[0].url == "https://x.org/a" and docs[0].title == "T" and docs[0].metadata == {"lang": "en"}
    assert docs[1].metadata == {"k": 1, "score": 0.5}


def test_every_broken_line_is_accounted_for(tmp_path):
    (tmp_path / "b.jsonl").write_bytes(
        b'{"text": "ok"}\n\nnot json\n[1, 2]\n{"title": "no text"}\n{"text": 5}\n{"html": "<p>x</p>"}\n'
    )
    items = read_all([tmp_path])
    assert len(items) == 7
    reasons = [i.reason if isinstance(i, Rejected) else "doc" for i in items]
    assert reasons == [
        "doc",
        "read:empty_line",
        "read:invalid_json",
        "read:not_an_object",
        "read:no_text",
        "read:text_not_a_string",
        "doc",
    ]
    assert items[6].html == "<p>x</p>"


def test_text_html_and_gzip_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "p.html.gz").write_bytes(gzip.compress(b"<html><p>hi</p></html>"))
    with gzip.open(tmp_path / "z.jsonl.gz", "wt") as f:
        f.write('{"text": "zipped"}\n')
    (tmp_path / "ignored.bin").write_bytes(b"\x00")
    docs = read_all([tmp_path])
    assert [(d.id, d.text, d.html) for d in docs] == [
        ("p.html.gz", "", "<html><p>hi</p></html>"),
        ("sub/a.txt", "hello", None),
        ("z.jsonl.gz:1", "zipped", None),
    ]


def test_large_jsonl_is_sliced_without_loss_or_duplicates(tmp_path):
    records = [{"text": f"document number {i} " * (i % 7 + 1)} for i in range(500)]
    write_jsonl(tmp_path / "big.jsonl", records)
    shards = plan_shards([str(tmp_path)], max_bytes=2000)
    assert len(shards) > 5
    docs = [d for s in shards for d in read_shard(s)]
    assert [d.text for d in docs] == [r["text"] for r in records]
    assert [d.id for d in docs] == [f"big.jsonl:{i + 1}" for i in range(500)]


def test_small_files_are_grouped(tmp_path):
    for i in range(10):
        (tmp_path / f"{i}.txt").write_text("x" * 100)
    shards = plan_shards([str(tmp_path)], max_bytes=350)
    assert [len(s.pieces) for s in shards] == [3, 3, 3, 1]


def test_symlink_outside_root_not_followed(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    root = tmp_path / "root"
    root.mkdir()
    (root / "in.txt").write_text("fine")
    os.symlink(outside, root / "link.txt")
    assert [rel for _, rel in list_inputs([str(root)])] == ["in.txt"]
    assert [rel for _, rel in list_inputs([str(root)], follow_symlinks=True)] == ["in.txt", "link.txt"]


def test_missing_input():
    with pytest.raises(InputError):
        list_inputs(["/no/such/dir"])


def test_truncated_gzip_is_a_reject_not_a_crash(tmp_path):
    data = gzip.compress(b"".join(b'{"text": "line %d"}\n' % i for i in range(2000)))
    (tmp_path / "t.jsonl.gz").write_bytes(data[: len(data) // 2])
    items = read_all([tmp_path])
    assert isinstance(items[-1], Rejected) and items[-1].reason == "read:unreadable"


@pytest.mark.parametrize(
    "data, expected",
    [
        ("café".encode(), "café"),
        ("\ufeffcafé".encode(), "café"),
        ("café".encode("utf-16"), "café"),
        ("café “x”".encode("cp1252"), "café “x”"),
    ],
)
def test_decode_bytes(data, expected):
    assert decode_bytes(data) == expected


def reasons(items):
    return {item.doc.id if isinstance(item, Rejected) else item.id: getattr(item, "reason", "ok") for item in items}


@pytest.mark.timeout(60)  # a FIFO that were opened would block: fail instead of hanging
def test_inputs_that_cannot_be_read_are_rejects_from_planning_on(tmp_path):
    write_jsonl(tmp_path / "fine.jsonl", [{"id": "fine", "text": "readable"}])
    (tmp_path / "dangling.jsonl").symlink_to(tmp_path / "gone.jsonl")  # planned as a big file: stat fails
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    os.mkfifo(tmp_path / "pipe.jsonl")
    os.mkfifo(tmp_path / "pipe.txt")
    got = reasons(read_all([tmp_path], max_bytes=1))
    assert got == {
        "dangling.jsonl:*": "read:unreadable",
        "dangling.txt": "read:unreadable",
        "fine": "ok",
        "pipe.jsonl:*": "read:unreadable",
        "pipe.txt": "read:unreadable",
    }


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_files_and_folders_without_permission_are_rejects(tmp_path):
    write_jsonl(tmp_path / "locked.jsonl", [{"id": f"l{i}", "text": "x" * 100} for i in range(50)])
    (tmp_path / "locked.jsonl").chmod(0)  # big enough to be sliced: planning opens it
    (tmp_path / "closed").mkdir()
    write_jsonl(tmp_path / "closed" / "inside.jsonl", [{"text": "never listed"}])
    (tmp_path / "closed").chmod(0)
    try:
        got = reasons(read_all([tmp_path], max_bytes=500))
    finally:
        (tmp_path / "closed").chmod(0o755)
    assert got == {"locked.jsonl:*": "read:unreadable", "closed": "read:unreadable"}


def test_an_input_folder_that_cannot_be_listed_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(InputError, match="cannot be read"):
        list_inputs([str(tmp_path)])
