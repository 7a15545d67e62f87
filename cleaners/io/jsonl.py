"""JSON lines (also dolma's ``.json.gz``): one document or one ``read:*`` reject per line.

Lines are read with a length cap, so a multi-gigabyte line without a newline costs one reject
(``read:too_large``), not the worker's memory. A line that is not UTF-8 is decoded as the
rest of the web would be (cp1252) and parsed again before it is called invalid JSON, and a
UTF-16 file is transcoded as a whole (it is never sliced: its newlines are two bytes).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import BinaryIO

import orjson

from boilerclean.cleaners.config import InputConfig
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.io.files import decode_bytes, head, open_input, open_raw, sniff_utf16
from boilerclean.cleaners.io.piece import Piece
from boilerclean.cleaners.io.records import record_item, reject
from boilerclean.cleaners.stage import Rejected

_SCAN_CHUNK = 1 << 20
_UTF8_BOM = b"\xef\xbb\xbf"


def line_splits(path: str, size: int, max_bytes: int) -> list[tuple[int, int]]:
    """(byte offset, line number) of slice starts, each at a line start about ``max_bytes`` apart."""
    splits = [(0, 1)]
    line = 1
    with open_raw(path) as f:
        if sniff_utf16(head(f)):
            return splits
        pos = 0
        target = max_bytes
        while True:
            chunk = f.read(_SCAN_CHUNK)
            if not chunk:
                break
            while target < pos + len(chunk):
                nl = chunk.find(b"\n", max(0, target - pos))
                if nl < 0:
                    break
                line_at = line + chunk.count(b"\n", 0, nl + 1)
                if pos + nl + 1 < size:
                    splits.append((pos + nl + 1, line_at))
                target = pos + nl + 1 + max_bytes
            line += chunk.count(b"\n")
            pos += len(chunk)
    return splits


def _lines(f: BinaryIO | _Utf8Lines, limit: int) -> Iterator[tuple[bytes | None, int]]:
    """(line, bytes consumed); line is None for a line longer than ``limit`` (skipped to its end)."""
    while True:
        line = f.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            consumed = len(line)
            while more := f.readline(_SCAN_CHUNK):
                consumed += len(more)
                if more.endswith(b"\n"):
                    break
            yield None, consumed
        else:
            yield line, len(line)


def _parse(line: bytes):
    """The JSON value of a line, tolerating a BOM and non-UTF-8 bytes; raises JSONDecodeError."""
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        retry = line[len(_UTF8_BOM) :] if line.startswith(_UTF8_BOM) else line
        try:
            retry.decode("utf-8")
        except UnicodeDecodeError:
            return orjson.loads(decode_bytes(retry))
        if retry is not line:
            return orjson.loads(retry)
        if b"\\u" not in line:
            raise
        # An escaped lone surrogate ("\\ud800") is valid JSON that orjson refuses; the standard
        # library parses it, and the half-character is replaced so the text can still be cleaned.
        try:
            value = json.loads(line.decode("utf-8"))
        except ValueError:
            raise orjson.JSONDecodeError("invalid JSON", "", 0) from None
        return _replace_surrogates(value)


def _replace_surrogates(value):
    if isinstance(value, str):
        if not _has_surrogate(value):
            return value
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    return value


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def read_jsonl(piece: Piece, inp: InputConfig | None = None) -> Iterator[Document | Rejected]:
    """Documents (or ``read:*`` rejects) of one JSONL piece, one per line, blank lines included."""
    inp = inp or InputConfig()
    limit = inp.max_doc_bytes
    line_no = piece.first_line - 1
    with open_input(piece.path, inp.max_file_bytes) as f:
        stream: BinaryIO | _Utf8Lines = f
        encoding = sniff_utf16(head(f)) if not piece.start else None
        if encoding:  # transcode to UTF-8 lines; the cap then counts characters
            stream = _Utf8Lines(io.TextIOWrapper(f, encoding=encoding, errors="replace", newline="\n"))
        elif piece.start:
            f.seek(piece.start)
        pos = piece.start
        for line, consumed in _lines(stream, limit):
            line_no += 1
            if piece.end is not None and pos >= piece.end:
                break
            pos += consumed
            fallback_id = f"{piece.rel}:{line_no}"
            if line is None:
                yield reject(fallback_id, "read:too_large", {"line": line_no}, bytes=consumed, limit=limit)
                continue
            stripped = line.strip()
            if not stripped:
                yield reject(fallback_id, "read:empty_line", {"line": line_no})
                continue
            try:
                rec = _parse(stripped)
            except orjson.JSONDecodeError as exc:
                preview = decode_bytes(stripped[:200])
                yield reject(fallback_id, "read:invalid_json", {"line": line_no, "raw": preview}, error=str(exc))
                continue
            if not isinstance(rec, dict):
                yield reject(fallback_id, "read:not_an_object", {"line": line_no, "value": rec})
                continue
            yield record_item(rec, fallback_id, inp)
    if line_no == 0 and not piece.start:
        yield reject(f"{piece.rel}:*", "read:empty_file", {"path": piece.rel})


class _Utf8Lines:
    """``readline`` over a text stream, re-encoded to UTF-8 bytes (what the JSONL loop expects)."""

    def __init__(self, text: io.TextIOBase) -> None:
        self._text = text

    def readline(self, limit: int = -1) -> bytes:
        return self._text.readline(limit).encode("utf-8", "replace")
