"""Generate the hostile-input corpus: every kind of broken, huge or malicious input we know of.

Used by tests/integration/test_hostile.py (small sizes, in CI) and runnable by hand at full
size for the robustness table:

    .venv/bin/python -m tests.hostile.corpus OUT_DIR [--full]

Each case is a (file name, bytes) pair plus what it should become; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import random
from pathlib import Path

ARTICLE = (
    "The harbour authority said on Monday that the new terminal would open in the spring, "
    "two years later than planned, after a dispute over steel prices was settled."
)


def cases(full: bool = False) -> dict[str, bytes]:
    """File name -> content. ``full`` uses the sizes named in the robustness issue."""
    big_mb = 50 if full else 6
    line_mb = 10 if full else 2
    n_short = 1_000_000 if full else 100_000
    depth = 100_000 if full else 20_000
    rng = random.Random(7)
    files: dict[str, bytes] = {}

    jsonl = [
        b'{"id": "ok-1", "text": "' + ARTICLE.encode() + b'"}',
        b"{this is not json",
        b"[1, 2, 3]",
        b'"just a string"',
        b'{"id": "wrong-type", "text": 42}',
        b'{"id": "missing-text", "title": "no body"}',
        b'{"id": "null-text", "text": null}',
        b'{"id": "empty-text", "text": ""}',
        b'{"id": "nul-bytes", "text": "before\\u0000after ' + ARTICLE.encode() + b'"}',
        b'{"id": "lone-surrogate", "text": "broken \\ud800 pair ' + ARTICLE.encode() + b'"}',
        b'{"id": "latin1-bytes", "text": "caf\xe9 ' + ARTICLE.encode() + b'"}',
        b'{"id": "zero-width", "text": "in\\u200bvis\\u200bible \\u202eevil\\u202c ' + ARTICLE.encode() + b'"}',
        b'{"id": "mixed-scripts", "text": "\xd0\x9c\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0 \xe6\x9d\xb1\xe4\xba\xac '
        b"\xd8\xa7\xd9\x84\xd9\x82\xd8\xa7\xd9\x87\xd8\xb1\xd8\xa9 " + ARTICLE.encode() + b'"}',
        b'{"id": "deep-json", "text": "x", "meta": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b"",
    ]
    files["records.jsonl"] = b"\n".join(jsonl) + b"\n"
    files["big-doc.jsonl"] = json.dumps({"id": "big", "text": (ARTICLE + "\n\n") * (big_mb * 6000)}).encode() + b"\n"
    files["one-long-line.jsonl"] = (
        json.dumps({"id": "long-line", "text": "word " * (line_mb * 200_000)}).encode() + b"\n"
    )
    files["short-lines.txt"] = b"\n".join(b"line %d" % i for i in range(n_short))
    files["empty.txt"] = b""
    files["empty.jsonl"] = b""
    files["utf16-no-bom.txt"] = ARTICLE.encode("utf-16-le")
    files["binary.txt"] = bytes(rng.getrandbits(8) for _ in range(200_000))
    files["nested.html"] = b"<html><body>" + b"<div>" * depth + b"deep" + b"</div>" * depth + b"</body></html>"
    files["entities.html"] = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><html><body><p>&lol3;</p><p>'
        + ARTICLE.encode()
        + b"</p></body></html>"
    )
    files["many-attrs.html"] = (
        b"<html><body><p " + b" ".join(b'a%d="%d"' % (i, i) for i in range(50_000)) + b">x</p></body></html>"
    )
    files["truncated.jsonl.gz"] = gzip.compress(b"".join(b'{"text": "line %d ok"}\n' % i for i in range(5000)))[:3000]
    bomb = io.BytesIO()
    with gzip.GzipFile(fileobj=bomb, mode="wb", mtime=0) as gz:
        chunk = b'{"text": "' + b"A" * (1 << 20) + b'"}\n'
        for _ in range(400 if full else 80):
            gz.write(chunk)
    files["bomb.jsonl.gz"] = bomb.getvalue()
    files["broken.warc"] = (
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: notanumber\r\n\r\ngarbage\r\n\r\n"
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.org/\r\nContent-Length: 10\r\n\r\nshort"
    )
    return files


def write_corpus(out: Path, full: bool = False) -> dict[str, int]:
    out.mkdir(parents=True, exist_ok=True)
    sizes = {}
    for name, data in cases(full).items():
        (out / name).write_bytes(data)
        sizes[name] = len(data)
    return sizes


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--full", action="store_true")
    args = ap.parse_args()
    for name, size in write_corpus(Path(args.out), args.full).items():
        print(f"{size:>12,}  {os.path.join(args.out, name)}")
