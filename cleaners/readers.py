"""Turn input files into documents, and cut them into shards first.

Every input unit (a JSONL line, a text file, a page) becomes exactly one ``Document`` or one
``Rejected`` record with a ``read:*`` reason: a broken line is accounted for, never skipped.
Large uncompressed JSONL files are sliced at line boundaries so one huge file still spreads
over all workers; the slice remembers its first line number so derived ids stay stable.
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from cleaners.config import InputConfig
from cleaners.document import Document
from cleaners.stage import Rejected

JSONL = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
TEXT = (".txt", ".txt.gz")
HTML = (".html", ".htm", ".html.gz", ".htm.gz")
SUPPORTED = JSONL + TEXT + HTML
KNOWN_FIELDS = ("id", "text", "html", "url", "title", "domain", "metadata")
_SCAN_CHUNK = 1 << 20


@dataclass(frozen=True, slots=True)
class Piece:
    """A whole file, or the byte range [start, end) of an uncompressed JSONL file."""

    path: str
    rel: str
    start: int = 0
    end: int | None = None
    first_line: int = 1


@dataclass(frozen=True, slots=True)
class Shard:
    """One unit of work: a few pieces adding up to about ``max_bytes`` of input."""

    index: int
    pieces: tuple[Piece, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}"


class InputError(ValueError):
    """An input path that does not exist or holds nothing we can read."""


def list_inputs(paths: list[str], follow_symlinks: bool = False) -> list[tuple[str, str]]:
    """(path, id-relative name) of every supported file under ``paths``, each root walked in sorted order.

    A symlink whose target lies outside its input root is skipped unless ``follow_symlinks``:
    a hostile input tree must not make us read ``/etc``.
    """
    found: list[tuple[str, str]] = []
    for raw in paths:
        root = Path(raw)
        if not root.exists():
            raise InputError(f"input {raw!r} does not exist")
        if root.is_file():
            found.append((str(root), root.name))
            continue
        real_root = root.resolve()
        under_root = []
        for dirpath, _dirnames, filenames in os.walk(root, followlinks=follow_symlinks):
            for name in filenames:
                path = Path(dirpath, name)
                if not name.lower().endswith(SUPPORTED):
                    continue
                if not follow_symlinks and not path.resolve().is_relative_to(real_root):
                    continue
                under_root.append((str(path), path.relative_to(root).as_posix()))
        found.extend(sorted(under_root, key=lambda item: item[1]))
    return found


def _line_splits(path: str, max_bytes: int) -> list[tuple[int, int]]:
    """(byte offset, line number) of slice starts, each at a line start about ``max_bytes`` apart."""
    splits = [(0, 1)]
    line = 1
    size = os.path.getsize(path)
    with open(path, "rb") as f:
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


def plan_shards(paths: list[str], max_bytes: int, follow_symlinks: bool = False) -> list[Shard]:
    """Group small files and slice large JSONL files into shards of about ``max_bytes``."""
    shards: list[Shard] = []
    pending: list[Piece] = []
    pending_bytes = 0

    def flush() -> None:
        nonlocal pending, pending_bytes
        if pending:
            shards.append(Shard(len(shards), tuple(pending)))
            pending, pending_bytes = [], 0

    for path, rel in list_inputs(paths, follow_symlinks):
        size = os.path.getsize(path)
        if size > max_bytes and path.lower().endswith((".jsonl", ".ndjson")):
            flush()
            splits = _line_splits(path, max_bytes)
            for (start, first_line), nxt in zip(splits, [*splits[1:], (None, None)], strict=True):
                shards.append(Shard(len(shards), (Piece(path, rel, start, nxt[0], first_line),)))
            continue
        if pending and pending_bytes + size > max_bytes:
            flush()
        pending.append(Piece(path, rel))
        pending_bytes += size
    flush()
    return shards


def _open_bytes(path: str):
    return gzip.open(path, "rb") if path.lower().endswith(".gz") else open(path, "rb")


def decode_bytes(data: bytes) -> str:
    """Best-effort text from bytes: UTF-8 (BOM-aware), UTF-16 with a BOM, else Windows-1252.

    Scraped archives mix encodings; cp1252 is the common non-UTF-8 case on the web, and its
    mojibake is what fix_encoding repairs later. Never raises.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _from_record(rec: dict[str, Any], fallback_id: str, text_field: str, html_field: str, id_field: str) -> Document:
    text = rec.get(text_field)
    html = rec.get(html_field)
    raw_id = rec.get(id_field)
    doc_id = fallback_id if raw_id is None or raw_id == "" else str(raw_id)
    metadata = dict(rec["metadata"]) if isinstance(rec.get("metadata"), dict) else {}
    skip = {text_field, html_field, id_field, "url", "title", "domain", "metadata"}
    metadata.update((k, v) for k, v in rec.items() if k not in skip)
    title, url, domain = rec.get("title"), rec.get("url"), rec.get("domain")
    return Document(
        id=doc_id,
        text=text if isinstance(text, str) else "",
        html=html if isinstance(html, str) else None,
        title=title if isinstance(title, str) and title.strip() else None,
        url=url if isinstance(url, str) and url else None,
        domain=domain if isinstance(domain, str) and domain else None,
        metadata=metadata,
        raw=rec,
    )


def _reject(doc_id: str, reason: str, raw: dict[str, Any], **details: Any) -> Rejected:
    return Rejected(Document(id=doc_id, raw=raw), "read", reason, details)


def read_jsonl(piece: Piece, text_field: str = "text", html_field: str = "html", id_field: str = "id"):
    """Documents (or ``read:*`` rejects) of one JSONL piece, one per line, blank lines included."""
    line_no = piece.first_line - 1
    with _open_bytes(piece.path) as f:
        if piece.start:
            f.seek(piece.start)
        pos = piece.start
        for line in f:
            line_no += 1
            if piece.end is not None and pos >= piece.end:
                break
            pos += len(line)
            fallback_id = f"{piece.rel}:{line_no}"
            stripped = line.strip()
            if not stripped:
                yield _reject(fallback_id, "read:empty_line", {"line": line_no})
                continue
            try:
                rec = orjson.loads(stripped)
            except orjson.JSONDecodeError as exc:
                preview = decode_bytes(stripped[:200])
                yield _reject(fallback_id, "read:invalid_json", {"line": line_no, "raw": preview}, error=str(exc))
                continue
            if not isinstance(rec, dict):
                yield _reject(fallback_id, "read:not_an_object", {"line": line_no, "value": rec})
                continue
            text, html = rec.get(text_field), rec.get(html_field)
            if text is None and html is None:
                yield _reject(str(rec.get(id_field) or fallback_id), "read:no_text", rec)
                continue
            if not isinstance(text, (str, type(None))) or not isinstance(html, (str, type(None))):
                yield _reject(str(rec.get(id_field) or fallback_id), "read:text_not_a_string", rec)
                continue
            yield _from_record(rec, fallback_id, text_field, html_field, id_field)


def read_file_document(piece: Piece) -> Document | Rejected:
    """A ``.txt`` or ``.html`` file as one document; its id is its path relative to the input root."""
    try:
        with _open_bytes(piece.path) as f:
            data = f.read()
    except (OSError, EOFError) as exc:
        return _reject(piece.rel, "read:unreadable", {"path": piece.rel}, error=str(exc))
    text = decode_bytes(data)
    is_html = piece.rel.lower().endswith(HTML)
    raw = {"path": piece.rel, "html" if is_html else "text": text}
    if is_html:
        return Document(id=piece.rel, html=text, raw=raw)
    return Document(id=piece.rel, text=text, raw=raw)


def read_shard(shard: Shard, inp: InputConfig | None = None):
    """Every document and read-reject of a shard, in input order."""
    inp = inp or InputConfig()
    for piece in shard.pieces:
        if piece.path.lower().endswith(JSONL):
            try:
                yield from read_jsonl(piece, inp.text_field, inp.html_field, inp.id_field)
            except (OSError, EOFError) as exc:  # truncated gzip, I/O error: the rest of the file is lost
                yield _reject(f"{piece.rel}:*", "read:unreadable", {"path": piece.rel}, error=str(exc))
        else:
            yield read_file_document(piece)
