"""Turn input files into documents, and cut them into shards first.

Every input unit (a JSONL line, a CSV or parquet row, a WARC response, a text or HTML file)
becomes exactly one ``Document`` or one ``Rejected`` record with a ``read:*`` reason: a broken
unit is accounted for, never skipped, and a file that holds no unit at all is one
``read:empty_file`` reject. Large uncompressed JSONL files are sliced at line boundaries so one
huge file still spreads over all workers; the slice remembers its first line number so derived
ids stay stable. Other files are one piece each.

Formats (by suffix, each optionally ``.gz`` or ``.zst`` compressed): ``.jsonl``/``.ndjson``
(and dolma's compressed ``.json.gz``), ``.txt``, ``.html``/``.htm``, ``.csv``/``.tsv``
(``formats_csv``), ``.warc`` (``formats_warc``), and uncompressed ``.parquet``
(``formats_parquet``, needs pyarrow). Paths may be fsspec URLs (``memory://``, ``s3://`` with
s3fs, ...); ``file://`` URLs are read as local paths.
"""

from __future__ import annotations

import importlib.util
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlparse

from boilerclean.cleaners.config import InputConfig
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.io.csv import read_csv
from boilerclean.cleaners.io.files import (
    InputTooLargeError,
    check_regular,
    decode_bytes,
    file_size,
    is_url,
    looks_binary,
    open_input,
    split_compression,
)
from boilerclean.cleaners.io.jsonl import line_splits, read_jsonl
from boilerclean.cleaners.io.parquet import read_parquet
from boilerclean.cleaners.io.piece import Piece, Shard
from boilerclean.cleaners.io.records import clean_string, reject
from boilerclean.cleaners.io.warc import decode_html, read_warc
from boilerclean.cleaners.stage import Rejected

__all__ = [
    "InputError",
    "Piece",
    "Shard",
    "decode_bytes",
    "input_format",
    "list_inputs",
    "plan_files",
    "plan_shards",
    "read_file_document",
    "read_jsonl",
    "read_shard",
]

FORMATS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".tsv": "csv",
    ".parquet": "parquet",
    ".warc": "warc",
}
# dolma names its JSON-lines files *.json.gz; a bare .json is usually a manifest, not documents.
COMPRESSED_ONLY = {".json": "jsonl"}


class InputError(ValueError):
    """An input path that does not exist or holds nothing we can read."""


def input_format(name: str) -> str | None:
    """``jsonl``, ``text``, ``html``, ``csv``, ``parquet`` or ``warc`` for a file name; None if not an input."""
    inner, codec = split_compression(name)
    suffix = PurePosixPath(inner).suffix
    fmt = FORMATS.get(suffix) or (COMPRESSED_ONLY.get(suffix) if codec else None)
    if fmt == "parquet" and codec:  # parquet compresses its pages itself
        return None
    if fmt == "warc" and codec == "zstd":  # .warc.zst needs its embedded dictionary: not supported
        return None
    return fmt


def _local(raw: str) -> str:
    return unquote(urlparse(raw).path) if raw.startswith("file://") else raw


def _list_url(raw: str) -> list[tuple[str, str]]:
    try:
        from fsspec.core import url_to_fs

        fs, root = url_to_fs(raw)
    except (ImportError, ValueError) as exc:
        raise InputError(f"input {raw!r}: {exc} (s3:// needs s3fs, gs:// needs gcsfs)") from None
    if not fs.exists(root):
        raise InputError(f"input {raw!r} does not exist")
    if fs.isfile(root):
        return [(raw, PurePosixPath(root).name)]
    prefix = root.rstrip("/") + "/"
    found = []
    for path in fs.find(root):
        rel = path[len(prefix) :] if path.startswith(prefix) else PurePosixPath(path).name
        if input_format(rel):
            found.append((fs.unstrip_protocol(path), rel))
    return sorted(found, key=lambda item: item[1])


def list_inputs(paths: list[str], follow_symlinks: bool = False) -> list[tuple[str, str]]:
    """(path, id-relative name) of every supported file under ``paths``, each root walked in sorted order.

    A symlink whose target lies outside its input root is skipped unless ``follow_symlinks``:
    a hostile input tree must not make us read ``/etc``.
    """
    found: list[tuple[str, str]] = []
    for given in paths:
        raw = _local(given)
        if is_url(raw):
            found.extend(_list_url(raw))
            continue
        root = Path(raw)
        if not root.exists():
            raise InputError(f"input {given!r} does not exist")
        if not root.is_dir():
            found.append((str(root), root.name))
            continue
        if not os.access(root, os.R_OK | os.X_OK):
            raise InputError(f"input {given!r} is a folder that cannot be read (permissions)")
        real_root = root.resolve()
        under_root = []

        def unlistable(err: OSError, root: Path = root, under_root: list = under_root) -> None:
            # a sub-folder we may not list: one input that the reader rejects as read:unreadable,
            # so the report shows it instead of its files silently not existing
            path = Path(err.filename)
            under_root.append((str(path), path.relative_to(root).as_posix()))

        for dirpath, _dirnames, filenames in os.walk(root, onerror=unlistable, followlinks=follow_symlinks):
            for name in filenames:
                path = Path(dirpath, name)
                if not input_format(name):
                    continue
                if not follow_symlinks and not path.resolve().is_relative_to(real_root):
                    continue
                under_root.append((str(path), path.relative_to(root).as_posix()))
        found.extend(sorted(under_root, key=lambda item: item[1]))
    if any(input_format(p) == "parquet" for p, _ in found) and importlib.util.find_spec("pyarrow") is None:
        raise InputError("reading .parquet inputs needs pyarrow: pip install pyarrow")
    return found


def plan_shards(paths: list[str], max_bytes: int, follow_symlinks: bool = False) -> list[Shard]:
    """Group small files and slice large JSONL files into shards of about ``max_bytes``."""
    return plan_files(list_inputs(paths, follow_symlinks), max_bytes)


def plan_files(files: list[tuple[str, str]], max_bytes: int, start_index: int = 0) -> list[Shard]:
    """Shards over already-listed (path, rel) files, numbered from ``start_index`` (incremental runs)."""
    shards: list[Shard] = []
    pending: list[Piece] = []
    pending_bytes = 0

    def flush() -> None:
        nonlocal pending, pending_bytes
        if pending:
            shards.append(Shard(start_index + len(shards), tuple(pending)))
            pending, pending_bytes = [], 0

    for path, rel in files:
        try:
            size = file_size(path)
            splits = (
                line_splits(path, size, max_bytes)
                if size > max_bytes and input_format(path) == "jsonl" and split_compression(path)[1] is None
                else None
            )
        except OSError:  # unreadable: one piece, which the reader turns into a read:unreadable reject
            size, splits = 0, None
        if splits is not None:
            flush()
            for (start, first_line), nxt in zip(splits, [*splits[1:], (None, None)], strict=True):
                shards.append(Shard(start_index + len(shards), (Piece(path, rel, start, nxt[0], first_line),)))
            continue
        if pending and pending_bytes + size > max_bytes:
            flush()
        pending.append(Piece(path, rel))
        pending_bytes += size
    flush()
    return shards


def read_file_document(piece: Piece, inp: InputConfig | None = None) -> Document | Rejected:
    """A ``.txt`` or ``.html`` file as one document; its id is its path relative to the input root.

    HTML is decoded by its ``<meta charset>`` when it declares one (else as text is).
    """
    inp = inp or InputConfig()
    limit = inp.max_doc_bytes
    raw = {"path": piece.rel}
    try:
        with open_input(piece.path, inp.max_file_bytes) as f:
            data = f.read(limit + 1)
    except InputTooLargeError as exc:
        return reject(piece.rel, "read:too_large", raw, limit=exc.limit)
    except (OSError, EOFError) as exc:
        return reject(piece.rel, "read:unreadable", raw, error=str(exc))
    if len(data) > limit:
        return reject(piece.rel, "read:too_large", raw, limit=limit)
    if not data:
        return reject(piece.rel, "read:empty_file", raw)
    if looks_binary(data):
        return reject(piece.rel, "read:binary", raw)
    if input_format(piece.path) == "html":
        html = clean_string(decode_html(data, ""))
        return Document(id=piece.rel, html=html, raw={**raw, "html": html})
    text = clean_string(decode_bytes(data))
    return Document(id=piece.rel, text=text, raw={**raw, "text": text})


def _read_piece(piece: Piece, fmt: str, inp: InputConfig, counters: Counter[str]) -> Iterator[Document | Rejected]:
    if fmt == "jsonl":
        return read_jsonl(piece, inp)
    if fmt == "csv":
        return read_csv(piece, inp)
    if fmt == "parquet":
        return read_parquet(piece, inp)
    if fmt == "warc":
        return read_warc(piece, inp, counters)
    return iter((read_file_document(piece, inp),))


def read_shard(
    shard: Shard, inp: InputConfig | None = None, counters: Counter[str] | None = None
) -> Iterator[Document | Rejected]:
    """Every document and read-reject of a shard, in input order.

    A file that fails part-way (truncated gzip, I/O error, decompression bomb, or a reader bug:
    ``read:crash``) keeps what was read and adds one reject with id ``<file>:*`` for the rest.
    ``counters`` receives counts of things that are not input units (skipped WARC records).
    """
    inp = inp or InputConfig()
    counters = counters if counters is not None else Counter()
    for piece in shard.pieces:
        fmt = input_format(piece.path) or input_format(piece.rel) or "text"
        raw = {"path": piece.rel}
        whole = fmt not in ("jsonl", "csv", "parquet", "warc")  # the piece is the document
        try:
            check_regular(piece.path)
            yield from _read_piece(piece, fmt, inp, counters)
        except InputTooLargeError as exc:
            yield reject(f"{piece.rel}:*", "read:too_large", raw, limit=exc.limit)
        except (OSError, EOFError) as exc:  # truncated gzip, I/O error: the rest of the file is lost
            yield reject(piece.rel if whole else f"{piece.rel}:*", "read:unreadable", raw, error=str(exc))
        except Exception as exc:  # noqa: BLE001 - one hostile file must not end the run; the reason says so
            yield reject(f"{piece.rel}:*", "read:crash", raw, error=f"{type(exc).__name__}: {exc}")
