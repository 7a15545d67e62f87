"""Input formats (CSV, parquet, WARC, zstd, fsspec URLs), broken inputs, and output formats/layouts.

Every fixture is generated here from code: no binary files in the repository.
"""

from __future__ import annotations

import collections
import gzip
import io
import json
import random

import orjson
import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from boilerclean.cleaners.config import ConfigError, InputConfig, OutputConfig, parse_config
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.io.files import looks_binary, sniff_utf16
from boilerclean.cleaners.io.readers import input_format, list_inputs, plan_shards, read_shard
from boilerclean.cleaners.io.schema import to_boilerclean
from boilerclean.cleaners.io.writers import open_part
from boilerclean.cleaners.stage import Rejected


def read_all(paths, max_bytes=10**9, inp=None, counters=None):
    out = []
    for shard in plan_shards([str(p) for p in paths], max_bytes):
        out.extend(read_shard(shard, inp, counters))
    return out


def reasons(items):
    return [i.reason if isinstance(i, Rejected) else "doc" for i in items]


# ---------------------------------------------------------------- CSV


def test_csv_columns_ids_metadata_and_broken_rows(tmp_path):
    (tmp_path / "a.csv").write_bytes(
        b"doc_id,body,url,title,lang\n"
        b'7,"first line\nsecond line",https://x.org/a,A title,en\n'
        b",no id here,,,de\n"
        b"only,two\n"
        b"\n"
        b"9,,,,fr\n"
        b"10,caf\xe9 cp1252,,,fr\n"
    )
    items = read_all([tmp_path], inp=InputConfig(text_field="body", id_field="doc_id"))
    assert reasons(items) == ["doc", "doc", "read:csv_field_count", "read:empty_line", "read:no_text", "doc"]
    first, second = items[0], items[1]
    assert (first.id, first.text, first.url, first.title) == (
        "7",
        "first line\nsecond line",
        "https://x.org/a",
        "A title",
    )
    assert first.metadata == {"lang": "en"}
    assert second.id == "a.csv:2" and second.url is None and second.metadata == {"lang": "de"}
    assert items[2].doc.id == "a.csv:3" and items[2].details == {"expected": 5, "got": 2}
    assert items[5].text == "café cp1252"


def test_tsv_gzip_zstd_and_utf16_csv(tmp_path):
    (tmp_path / "t.tsv.gz").write_bytes(gzip.compress(b"text\tscore\nhello, world\t3\n"))
    (tmp_path / "u.csv.zst").write_bytes(zstandard.ZstdCompressor().compress(b"text\nzstd row\n"))
    (tmp_path / "w.csv").write_bytes("text\nwindows row\n".encode("utf-16"))
    docs = read_all([tmp_path])
    assert [(d.id, d.text) for d in docs] == [
        ("t.tsv.gz:1", "hello, world"),
        ("u.csv.zst:1", "zstd row"),
        ("w.csv:1", "windows row"),
    ]
    assert docs[0].metadata == {"score": "3"}


def test_csv_empty_header_only_binary_and_huge_field(tmp_path):
    (tmp_path / "e.csv").write_bytes(b"")
    (tmp_path / "h.csv").write_bytes(b"id,text\n")
    (tmp_path / "r.csv").write_bytes(random.Random(1).randbytes(4000))
    (tmp_path / "z.csv").write_bytes(b"text\n" + b"x" * 5000 + b"\nsmall\n")
    items = read_all([tmp_path], inp=InputConfig(max_doc_bytes=1000))
    assert reasons(items) == ["read:empty_file", "read:empty_file", "read:binary", "read:too_large", "doc"]
    assert items[-1].text == "small"


# ---------------------------------------------------------------- parquet


def test_parquet_rows_are_documents(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table(
        {
            "id": ["p1", None, "p3", "p4"],
            "text": ["one", "two", None, "four"],
            "url": ["https://x.org/1", None, None, None],
            "metadata": ['{"source": "web", "url": "https://m.org/2"}', None, None, None],
            "score": [0.5, 1.0, 2.0, None],
        }
    )
    pq.write_table(table, tmp_path / "d.parquet", row_group_size=2)
    items = read_all([tmp_path])
    assert reasons(items) == ["doc", "doc", "read:no_text", "doc"]
    assert [i.id if isinstance(i, Document) else i.doc.id for i in items] == ["p1", "d.parquet:2", "p3", "p4"]
    assert items[0].url == "https://x.org/1" and items[0].metadata == {
        "source": "web",
        "url": "https://m.org/2",
        "score": 0.5,
    }
    assert items[1].metadata == {"score": 1.0}


def test_parquet_wrong_type_corrupt_and_empty(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    pq.write_table(pa.table({"text": [1, 2]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"text": pa.array([], pa.string())}), tmp_path / "b.parquet")
    (tmp_path / "c.parquet").write_bytes(b"PAR1 this is not parquet PAR1")
    items = read_all([tmp_path])
    assert reasons(items) == ["read:text_not_a_string", "read:text_not_a_string", "read:empty_file", "read:unreadable"]


# ---------------------------------------------------------------- WARC


def make_warc(gz: bool, responses, extra_request: bool = True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("t.warc", {"software": "test"}))
    for url, status, content_type, body in responses:
        if extra_request:
            req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x.org")], is_http_request=True)
            writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req))
        headers = [("Content-Type", content_type)] if content_type else []
        http = StatusAndHeaders(status, headers, protocol="HTTP/1.1")
        record = writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http)
        writer.write_record(record)
    return buf.getvalue()


RESPONSES = [
    (
        "https://x.org/a",
        "200 OK",
        "text/html; charset=iso-8859-1",
        "<html><p>café “quoted”</p></html>".encode("cp1252"),
    ),
    ("https://x.org/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n...."),
    ("https://x.org/old", "301 Moved Permanently", "text/html", b"<a href=/new>moved</a>"),
    ("https://x.org/b", "200 OK", None, b"<!DOCTYPE html><html><p>no content type</p></html>"),
    ("https://x.org/c", "200 OK", "text/html", '<meta charset="utf-8"><p>naïve</p>'.encode()),
]


@pytest.mark.parametrize("gz", [False, True])
def test_warc_responses(tmp_path, gz):
    name = "crawl.warc.gz" if gz else "crawl.warc"
    (tmp_path / name).write_bytes(make_warc(gz, RESPONSES))
    counters = collections.Counter()
    items = read_all([tmp_path], counters=counters)
    assert reasons(items) == ["doc", "read:not_html", "read:http_status", "doc", "doc"]
    a, _png, moved, b, c = items
    assert a.url == "https://x.org/a" and a.id.startswith("urn:uuid:") and a.text == ""
    assert a.html == "<html><p>café “quoted”</p></html>"
    assert a.metadata["http_status"] == 200 and a.metadata["warc_record_id"] == a.id
    assert moved.details == {"status": "301"} and moved.doc.raw["url"] == "https://x.org/old"
    assert "html" not in _png.doc.raw and _png.doc.raw["content_type"] == "image/png"
    assert b.html.startswith("<!DOCTYPE html>") and c.html.endswith("<p>naïve</p>")
    assert counters == {"warc:skipped_warcinfo": 1, "warc:skipped_request": 5}


@pytest.mark.parametrize(
    "body, content_type, expected",
    [
        ("naïve “quotes”".encode(), "text/html; charset=iso-8859-1", "naïve “quotes”"),  # mislabelled UTF-8
        ("naïve “quotes”".encode("cp1252"), "text/html; charset=ISO-8859-1", "naïve “quotes”"),
        ("Привет".encode("koi8-r"), "text/html; charset=koi8-r", "Привет"),
        ('<meta charset="shift_jis">日本'.encode("shift_jis"), "text/html", '<meta charset="shift_jis">日本'),
        ("naïve".encode("cp1252"), "text/html; charset=no-such-codec", "naïve"),
    ],
)
def test_decode_html(body, content_type, expected):
    from boilerclean.cleaners.io.warc import decode_html

    assert decode_html(body, content_type) == expected


def test_broken_utf16_csv_and_a_reader_crash_are_rejects(tmp_path, monkeypatch):
    (tmp_path / "a.csv").write_bytes("text\nrow one\nrow two\n".encode("utf-16-le") + b"A")
    items = read_all([tmp_path])
    assert [i.text for i in items] == ["row one", "row two", "\ufffd"]

    def broken(*args, **kwargs):
        raise RuntimeError("reader bug")

    monkeypatch.setattr("boilerclean.cleaners.io.readers.read_csv", broken)
    (crash,) = read_all([tmp_path])
    assert (crash.doc.id, crash.reason, crash.details) == (
        "a.csv:*",
        "read:crash",
        {"error": "RuntimeError: reader bug"},
    )


def test_csv_delimiter_option(tmp_path):
    (tmp_path / "a.csv").write_text("text;k\nsemi, colon;1\n")
    (doc,) = read_all([tmp_path], inp=InputConfig(csv_delimiter=";"))
    assert (doc.text, doc.metadata) == ("semi, colon", {"k": "1"})


def test_broken_warc_keeps_what_came_before(tmp_path):
    data = make_warc(False, RESPONSES, extra_request=False)
    second = data.index(b"WARC/1.0", data.index(b"WARC-Type: response"))  # the 2nd response's version line
    (tmp_path / "a.warc").write_bytes(data[:second] + b"XXXX/1.0" + data[second + 8 :])
    (tmp_path / "b.warc").write_bytes(b"this is not a WARC file at all\r\n\r\n")
    (tmp_path / "c.warc").write_bytes(make_warc(False, [], extra_request=False))  # warcinfo only
    items = read_all([tmp_path])
    assert reasons(items) == ["doc", "read:warc_corrupt", "read:warc_corrupt", "read:no_responses"]
    assert items[1].doc.id == "a.warc:*" and items[1].details["error"].startswith("ArchiveLoadFailed")
    assert items[1].doc.raw["records_read"] == 1


def test_warc_body_over_the_document_limit(tmp_path):
    big = b"<html><p>" + b"x" * 5000 + b"</p></html>"
    (tmp_path / "a.warc.gz").write_bytes(make_warc(True, [("https://x.org/big", "200 OK", "text/html", big)]))
    items = read_all([tmp_path], inp=InputConfig(max_doc_bytes=1000))
    assert reasons(items) == ["read:too_large"]


# ---------------------------------------------------------------- compression, limits, encodings


def test_zstd_jsonl_and_text(tmp_path):
    z = zstandard.ZstdCompressor()
    (tmp_path / "a.jsonl.zst").write_bytes(z.compress(b'{"text": "zstd line"}\n'))
    (tmp_path / "b.txt.zst").write_bytes(z.compress(b"zstd text"))
    (tmp_path / "c.json.gz").write_bytes(gzip.compress(b'{"id": "dolma-1", "text": "dolma", "source": "s"}\n'))
    docs = read_all([tmp_path])
    assert [(d.id, d.text) for d in docs] == [
        ("a.jsonl.zst:1", "zstd line"),
        ("b.txt.zst", "zstd text"),
        ("dolma-1", "dolma"),
    ]


def test_gzip_and_zstd_bombs_stop_at_the_file_limit(tmp_path):
    payload = b'{"text": "before"}\n' + b" " * 3_000_000 + b"\n"
    (tmp_path / "a.jsonl.gz").write_bytes(gzip.compress(payload))
    (tmp_path / "b.jsonl.zst").write_bytes(zstandard.ZstdCompressor().compress(payload))
    (tmp_path / "c.txt.gz").write_bytes(gzip.compress(b"a" * 3_000_000))
    items = read_all([tmp_path], inp=InputConfig(max_file_bytes=1_000_000))
    assert reasons(items) == ["doc", "read:too_large", "doc", "read:too_large", "read:too_large"]
    assert items[1].doc.id == "a.jsonl.gz:*" and items[1].details == {"limit": 1_000_000}


def test_long_line_is_one_reject_and_reading_goes_on(tmp_path):
    text = '{"text": "%s"}' % ("y" * 10_000)
    (tmp_path / "a.jsonl").write_text(f'{{"text": "a"}}\n{text}\n{{"text": "b"}}\n')
    items = read_all([tmp_path], inp=InputConfig(max_doc_bytes=1000))
    assert reasons(items) == ["doc", "read:too_large", "doc"]
    assert [i.id if isinstance(i, Document) else i.doc.id for i in items] == ["a.jsonl:1", "a.jsonl:2", "a.jsonl:3"]


def test_undecodable_bytes_nul_and_empty_inputs(tmp_path):
    (tmp_path / "a.jsonl").write_bytes('{"text": "café"}\n'.encode("latin-1") + b'\xef\xbb\xbf{"text": "bom"}\n')
    (tmp_path / "b.jsonl").write_bytes('{"text": "utf-16 line"}\n{"text": "two"}\n'.encode("utf-16-le"))
    (tmp_path / "c.txt").write_bytes("a text file in UTF-16 without a BOM".encode("utf-16-be"))
    (tmp_path / "d.txt").write_bytes(b"text with a stray NUL\x00 byte in the middle of a long enough line")
    (tmp_path / "e.jsonl").write_bytes(b'{"text": "json nul \\u0000 escape", "html": "<p>a\\u0000b</p>"}\n')
    (tmp_path / "f.txt").write_bytes(random.Random(7).randbytes(2000))
    (tmp_path / "g.txt").write_bytes(b"")
    (tmp_path / "h.jsonl").write_bytes(b"")
    items = read_all([tmp_path])
    got = [(i.doc.id, i.reason) if isinstance(i, Rejected) else (i.id, i.text or i.html) for i in items]
    assert got == [
        ("a.jsonl:1", "café"),
        ("a.jsonl:2", "bom"),
        ("b.jsonl:1", "utf-16 line"),
        ("b.jsonl:2", "two"),
        ("c.txt", "a text file in UTF-16 without a BOM"),
        ("d.txt", "text with a stray NUL byte in the middle of a long enough line"),
        ("e.jsonl:1", "json nul  escape"),
        ("f.txt", "read:binary"),
        ("g.txt", "read:empty_file"),
        ("h.jsonl:*", "read:empty_file"),
    ]
    assert items[6].html == "<p>ab</p>"


def test_truncated_gzip_keeps_the_lines_before_the_damage(tmp_path):
    data = gzip.compress(b"".join(b'{"text": "line %d"}\n' % i for i in range(40_000)))
    (tmp_path / "t.jsonl.gz").write_bytes(data[: len(data) // 2])
    items = read_all([tmp_path])
    assert len(items) > 10_000 and reasons(items[:-1]) == ["doc"] * (len(items) - 1)
    assert items[-1].doc.id == "t.jsonl.gz:*" and items[-1].reason == "read:unreadable"


def test_html_file_declared_charset(tmp_path):
    page = '<html><head><meta charset="windows-1251"></head><p>Привет</p></html>'
    (tmp_path / "p.html").write_bytes(page.encode("cp1251"))
    (doc,) = read_all([tmp_path])
    assert doc.html == page


def test_utf16_jsonl_is_never_sliced(tmp_path):
    lines = "".join(json.dumps({"text": f"line {i}"}) + "\n" for i in range(200))
    (tmp_path / "a.jsonl").write_bytes(lines.encode("utf-16-le"))
    shards = plan_shards([str(tmp_path)], max_bytes=500)
    assert len(shards) == 1
    assert [d.text for d in read_shard(shards[0])] == [f"line {i}" for i in range(200)]


def test_url_title_domain_come_from_metadata_when_absent(tmp_path):
    rec = {"id": "d", "text": "t", "metadata": {"url": "https://m.org/x", "title": "M", "dump": "CC-1"}}
    (tmp_path / "a.jsonl").write_text(json.dumps(rec) + "\n")
    (doc,) = read_all([tmp_path])
    assert (doc.url, doc.title, doc.domain, doc.metadata) == ("https://m.org/x", "M", None, {"dump": "CC-1"})


def test_sniffers():
    assert sniff_utf16("plain ascii text".encode("utf-16-le")) == "utf-16-le"
    assert sniff_utf16(b"plain ascii text") is None
    assert looks_binary(bytes(range(256)) * 4)
    assert not looks_binary("naïve café “text”\n\tindented".encode())
    assert input_format("a/b.JSONL.ZST") == "jsonl" and input_format("x.parquet.gz") is None
    assert input_format("x.json") is None and input_format("x.json.gz") == "jsonl"


# ---------------------------------------------------------------- fsspec URLs


def test_memory_and_file_urls(tmp_path):
    fsspec = pytest.importorskip("fsspec")
    fs = fsspec.filesystem("memory")
    fs.pipe("/bc-test/in/a.jsonl", "".join(json.dumps({"text": f"m{i}"}) + "\n" for i in range(100)).encode())
    fs.pipe("/bc-test/in/sub/b.txt", b"memory text")
    fs.pipe("/bc-test/in/skip.bin", b"\x00")
    fs.pipe("/bc-test/in/z.jsonl.gz", gzip.compress(b'{"text": "zipped in memory"}\n'))
    try:
        assert [rel for _, rel in list_inputs(["memory://bc-test/in"])] == ["a.jsonl", "sub/b.txt", "z.jsonl.gz"]
        shards = plan_shards(["memory://bc-test/in"], max_bytes=300)
        assert len(shards) > 3  # the JSONL file is sliced by byte range through fsspec too
        docs = [d for s in shards for d in read_shard(s)]
        assert [d.id for d in docs] == [f"a.jsonl:{i + 1}" for i in range(100)] + ["sub/b.txt", "z.jsonl.gz:1"]
        assert (docs[-2].text, docs[-1].text) == ("memory text", "zipped in memory")
    finally:
        fs.rm("/bc-test", recursive=True)
    (tmp_path / "c.txt").write_text("local via url")
    (doc,) = read_all([f"file://{tmp_path}"])
    assert (doc.id, doc.text) == ("c.txt", "local via url")


def test_missing_url_is_an_input_error():
    pytest.importorskip("fsspec")
    from boilerclean.cleaners.io.readers import InputError

    with pytest.raises(InputError):
        list_inputs(["memory://bc-test-does-not-exist"])


# ---------------------------------------------------------------- accounting over everything


def test_every_unit_is_accounted_for(tmp_path):
    """units in == documents + rejects, over a folder that mixes every format with broken units."""
    units = 0
    (tmp_path / "a.jsonl").write_bytes(b'{"text": "ok"}\n\nnot json\n[1]\n{"x": 1}\n{"text": 5}\n')
    units += 6
    (tmp_path / "b.csv").write_bytes(b"text,k\nok,1\nbroken\n\n,2\n")
    units += 4
    (tmp_path / "c.warc.gz").write_bytes(make_warc(True, RESPONSES))
    units += len(RESPONSES)
    (tmp_path / "d.txt").write_bytes(b"a file")
    (tmp_path / "e.html.gz").write_bytes(gzip.compress(b"<p>page</p>"))
    (tmp_path / "f.txt").write_bytes(b"")
    units += 3
    items = read_all([tmp_path], max_bytes=200)
    assert len(items) == units
    assert all(isinstance(i, (Document, Rejected)) for i in items)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".jsonl", ".csv", ".txt", ".warc", ".jsonl.gz", ".html"]))
def test_arbitrary_bytes_never_crash_a_reader(tmp_path, data, suffix):
    path = tmp_path / f"x{suffix}"
    path.write_bytes(data)
    items = read_all([path])
    assert items  # at least one document or reject per file
    assert all(isinstance(i, (Document, Rejected)) for i in items)
    for item in items:
        if isinstance(item, Rejected):
            assert item.reason.startswith("read:")
        else:
            assert "\x00" not in item.text and "\x00" not in (item.html or "")


# ---------------------------------------------------------------- output formats and layouts


RECORDS = [
    {
        "id": "a",
        "text": "one.",
        "title": "T",
        "url": "https://x.org/a",
        "sentences": ["one."],
        "metadata": {"lang": "en"},
    },
    {"id": "b", "text": "two.", "sentences": ["two."], "metadata": {}},
]


def write_part(directory, output, records=RECORDS, name="part-00000"):
    part = open_part(directory, name, output)
    for rec in records:
        part.write(rec)
    part.commit()
    return part


def jsonl_lines(path):
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return [orjson.loads(line) for line in data.splitlines()]


def test_jsonl_and_gzip_outputs_are_atomic_and_reproducible(tmp_path):
    for fmt in ("jsonl", "jsonl.gz"):
        out = OutputConfig(format=fmt)
        first = write_part(tmp_path / "one", out)
        assert first.count == 2
        write_part(tmp_path / "two", out)
        a, b = tmp_path / "one" / f"part-00000.{fmt}", tmp_path / "two" / f"part-00000.{fmt}"
        assert a.read_bytes() == b.read_bytes()  # gzip header carries no name and no clock
        assert jsonl_lines(a) == [to_boilerclean(r) for r in RECORDS]
    assert sorted(p.name for p in (tmp_path / "one").iterdir()) == ["part-00000.jsonl", "part-00000.jsonl.gz"]
    part = open_part(tmp_path / "three", "part-00000", OutputConfig(format="jsonl.gz"))
    part.write(RECORDS[0])
    part.abort()
    assert list((tmp_path / "three").iterdir()) == []


def test_datatrove_and_dolma_layouts(tmp_path):
    write_part(tmp_path / "dt", OutputConfig.model_validate({"schema": "datatrove"}))
    dt = jsonl_lines(tmp_path / "dt" / "part-00000.jsonl")
    assert dt[0] == {
        "text": "one.",
        "id": "a",
        "metadata": {"lang": "en", "title": "T", "url": "https://x.org/a", "sentences": ["one."]},
    }
    dolma_in = {"id": "c", "text": "x", "metadata": {"source": "cc", "added": "2024-01-01T00:00:00Z", "k": 1}}
    out = OutputConfig.model_validate({"schema": "dolma", "added": "2025-06-01T00:00:00Z"})
    write_part(tmp_path / "do", out, [RECORDS[1], dolma_in])
    do = jsonl_lines(tmp_path / "do" / "part-00000.jsonl")
    assert do[0] == {
        "id": "b",
        "text": "two.",
        "source": "boilerclean",
        "added": "2025-06-01T00:00:00Z",
        "metadata": {"sentences": ["two."]},
    }
    assert do[1] == {"id": "c", "text": "x", "source": "cc", "added": "2024-01-01T00:00:00Z", "metadata": {"k": 1}}
    named = OutputConfig.model_validate({"schema": "dolma", "source": "mycrawl"})
    write_part(tmp_path / "dn", named, [dolma_in])
    assert jsonl_lines(tmp_path / "dn" / "part-00000.jsonl")[0]["source"] == "mycrawl"


def test_parquet_output_round_trips_through_the_reader(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = OutputConfig(format="parquet", row_group_rows=1)
    records = [*RECORDS, {"id": "s", "text": "bad \udc80 surrogate", "metadata": {"extra": [1, 2]}}]
    write_part(tmp_path / "clean", out, records)
    path = tmp_path / "clean" / "part-00000.parquet"
    meta = pq.ParquetFile(path).metadata
    assert meta.num_row_groups == 3 and meta.num_rows == 3
    docs = read_all([path])
    assert [(d.id, d.text, d.title, d.url, d.metadata) for d in docs] == [
        ("a", "one.", "T", "https://x.org/a", {"lang": "en", "sentences": ["one."]}),
        ("b", "two.", None, None, {"sentences": ["two."]}),
        ("s", "bad ? surrogate", None, None, {"extra": [1, 2]}),
    ]
    write_part(tmp_path / "again", out, records)
    assert (tmp_path / "again" / "part-00000.parquet").read_bytes() == path.read_bytes()
    write_part(tmp_path / "empty", out, [])
    assert pq.ParquetFile(tmp_path / "empty" / "part-00000.parquet").metadata.num_rows == 0


def test_parquet_layouts_have_fixed_columns(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    for schema, columns in [
        ("datatrove", ["text", "id", "metadata"]),
        ("dolma", ["id", "text", "source", "added", "created", "metadata"]),
    ]:
        write_part(tmp_path / schema, OutputConfig.model_validate({"format": "parquet", "schema": schema}))
        table = pq.read_table(tmp_path / schema / "part-00000.parquet")
        assert table.column_names == columns
        assert json.loads(table.column("metadata")[0].as_py())["title"] == "T"


def test_output_config_validation():
    base = {"stages": [{"name": "normalize_whitespace"}]}
    cfg = parse_config({**base, "output": {"format": "jsonl.gz", "schema": "dolma", "source": "x"}})
    assert cfg.output.record_schema == "dolma" and cfg.output.format == "jsonl.gz"
    assert type(cfg).model_validate_json(cfg.model_dump_json()).output == cfg.output
    with pytest.raises(ConfigError, match="format"):
        parse_config({**base, "output": {"format": "xml"}})
    with pytest.raises(ConfigError, match="schema"):
        parse_config({**base, "output": {"schema": "fineweb"}})


def _write_folder(tmp_path, output):
    clean = tmp_path / "clean"
    write_part(clean, output, RECORDS, "part-00000")
    write_part(
        clean,
        output,
        [{"id": "c", "text": "three.", "sentences": ["three."], "metadata": {"score": 1.5}}],
        "part-00001",
    )
    write_part(clean, output, [], "part-00002")  # an empty shard still leaves an (empty) part
    return clean


def _run_like_records(n=150, with_author_from=120):
    """What a real run writes: most records without title or metadata, a field that appears only late."""
    records = []
    for i in range(n):
        meta = {"author": f"Writer {i}", "rank": i} if i >= with_author_from else {}
        title = f"Headline {i}" if i % 7 == 3 else None
        text = f"Paragraph {i} opens.\n\nIt ends here."
        cut = text.index("\n\n")
        spans = [(0, cut), (cut + 2, len(text))]
        records.append(
            {
                "id": f"feed.jsonl:{i + 1}",
                "text": text,
                **({"title": title} if title else {}),
                "sentences": [text[a:b] for a, b in spans],
                "sentence_spans": spans,
                "metadata": meta,
            }
        )
    return records


def _expected(records):
    return {
        r["id"]: (r["text"], r.get("title", ""), r["sentences"], [list(s) for s in r["sentence_spans"]], r["metadata"])
        for r in records
    }


def _as_rows(frame_records):
    return {
        r["id"]: (
            r["text"],
            r["title"],
            list(r["sentences"]),
            [list(s) for s in r["sentence_spans"]],
            json.loads(r["metadata"]),
        )
        for r in frame_records
    }


@pytest.mark.parametrize("fmt", ["jsonl", "jsonl.gz", "parquet"])
def test_output_folder_loads_losslessly_in_pandas_polars_and_datasets(tmp_path, fmt, monkeypatch):
    """Every loader sees every field of every record, and each round-trips the frame through parquet."""
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    records = _run_like_records()
    clean = tmp_path / "clean"
    write_part(clean, OutputConfig(format=fmt), records[:100], "part-00000")
    write_part(clean, OutputConfig(format=fmt), records[100:], "part-00001")
    write_part(clean, OutputConfig(format=fmt), [], "part-00002")  # an empty shard leaves an empty part
    files = sorted(clean.iterdir())
    want = _expected(records)

    if fmt == "parquet":
        frames = {"pandas": pd.read_parquet(clean), "polars": pl.read_parquet(clean / "*.parquet")}
    else:
        # pandas guesses types per column unless told not to; its own docs' advice for string ids
        frames = {
            "pandas": pd.concat([pd.read_json(p, lines=True, dtype=False) for p in files], ignore_index=True),
            "polars": pl.read_ndjson(clean / f"*.{fmt}"),
        }
    builder = "parquet" if fmt == "parquet" else "json"
    frames["datasets"] = datasets.load_dataset(
        builder, data_dir=str(clean), split="train", cache_dir=str(tmp_path / "hf")
    )
    for name, frame in frames.items():
        again = tmp_path / f"{name}.parquet"
        if name == "pandas":
            assert _as_rows(frame.to_dict("records")) == want, name
            frame.to_parquet(again)
            back = pd.read_parquet(again).to_dict("records")
        elif name == "polars":
            assert _as_rows(frame.to_dicts()) == want, name
            frame.write_parquet(again)
            back = pl.read_parquet(again).to_dicts()
        else:
            assert _as_rows(frame) == want, name
            frame.to_parquet(str(again))
            back = datasets.load_dataset(
                "parquet", data_files=str(again), split="train", cache_dir=str(tmp_path / "hf2")
            )
        assert _as_rows(back) == want, f"{name} -> parquet"


def test_jsonl_and_parquet_hold_the_same_fields_and_values(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    records = _run_like_records(n=20, with_author_from=15)
    write_part(tmp_path / "j", OutputConfig(format="jsonl"), records)
    write_part(tmp_path / "p", OutputConfig(format="parquet"), records)
    from_jsonl = jsonl_lines(tmp_path / "j" / "part-00000.jsonl")
    from_parquet = pq.read_table(tmp_path / "p" / "part-00000.parquet").to_pylist()
    assert from_jsonl == from_parquet
    assert list(from_jsonl[0]) == ["id", "text", "title", "url", "sentences", "sentence_spans", "metadata"]
    assert {r["metadata"] for r in from_jsonl[:15]} == {"{}"}  # never an empty struct


def test_without_segmentation_the_sentence_fields_are_null_on_every_record(tmp_path):
    write_part(tmp_path, OutputConfig(), [{"id": "x", "text": "t.", "metadata": {}}, {"id": "y", "text": "u."}])
    rows = jsonl_lines(tmp_path / "part-00000.jsonl")
    assert [(r["sentences"], r["sentence_spans"], r["title"], r["url"]) for r in rows] == [(None, None, "", "")] * 2


def test_boilerclean_reads_its_own_output_back(tmp_path):
    records = _run_like_records(n=3, with_author_from=2)
    write_part(tmp_path / "clean", OutputConfig(format="jsonl"), records)
    docs = read_all([tmp_path / "clean" / "part-00000.jsonl"])
    assert [d.id for d in docs] == [r["id"] for r in records]
    assert docs[2].metadata["author"] == "Writer 2" and docs[0].title is None


def test_escaped_lone_surrogate_is_repaired_not_rejected(tmp_path):
    from boilerclean.cleaners.io.readers import plan_shards, read_shard

    (tmp_path / "s.jsonl").write_bytes(b'{"id": "s", "text": "half \\ud800 a pair? yes"}\n')
    (doc,) = list(read_shard(plan_shards([str(tmp_path)], 10**9)[0]))
    assert doc.id == "s" and doc.text == "half \ufffd a pair? yes"
