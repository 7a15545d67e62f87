"""WARC files (``.warc``, ``.warc.gz``): each HTTP response record is one document or one reject.

Only ``response`` records are input units. ``warcinfo``, ``request``, ``metadata``,
``revisit`` and the like describe the crawl, not pages: they are skipped and counted
(``warc:skipped_<type>`` in the read counters). A response becomes a document when it is a
2xx HTML page (``read:http_status`` otherwise) whose body is HTML (``text/html``,
``application/xhtml+xml``, or no content type and a body that starts like HTML); images,
PDFs and other payloads are rejected as ``read:not_html`` with their content type and URL, so
a user sees what the crawl held without the bytes. The id is the WARC-Record-ID (else the
target URI, else ``<file>:<record>``); the URL is the target URI.

warcio cannot find the next record after a broken WARC header, so the rest of such a file is
one ``read:warc_corrupt`` reject that says how many records were read before it.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from boilerclean.cleaners.config import InputConfig
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.io.files import (
    InputTooLargeError,
    InputUnreadableError,
    decode_bytes,
    open_input,
    sniff_utf16,
)
from boilerclean.cleaners.io.piece import Piece
from boilerclean.cleaners.io.records import clean_string, reject
from boilerclean.cleaners.stage import Rejected

HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_LOOKS_HTML = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
# WHATWG: a page labelled latin-1 or ascii is decoded as windows-1252 by every browser.
_AS_CP1252 = {"latin_1", "iso8859_1", "ascii", "cp1252"}


def _charset(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label).name.replace("-", "_")
    except LookupError:
        return None
    return "cp1252" if name in _AS_CP1252 else name


def decode_html(body: bytes, content_type: str) -> str:
    """The page's text: UTF-8 if it is valid UTF-8, else the declared charset (HTTP header, then
    ``<meta>``), else cp1252.

    Valid UTF-8 wins over the label because mislabelled UTF-8 pages are common, while text in
    another encoding that happens to be valid UTF-8 is vanishingly rare.
    """
    if not sniff_utf16(body[:4096]):
        try:
            return body.decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
    header = _CHARSET.search(content_type)
    meta = _META_CHARSET.search(body[:4096])
    for label in (header.group(1) if header else None, meta.group(1).decode("ascii", "replace") if meta else None):
        codec = _charset(label)
        if codec and codec != "utf_8":
            try:
                return body.decode(codec)
            except (UnicodeDecodeError, LookupError):
                continue
    return decode_bytes(body)


def _is_html(content_type: str, body_head: bytes) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    if media:
        return media in HTML_TYPES
    return bool(_LOOKS_HTML.match(body_head[:1024]))


def _response_item(record, ordinal: int, piece: Piece, limit: int) -> Document | Rejected:
    headers = record.rec_headers
    url = headers.get_header("WARC-Target-URI") or None
    record_id = (headers.get_header("WARC-Record-ID") or "").strip("<> ")
    doc_id = record_id or url or f"{piece.rel}:{ordinal}"
    meta: dict[str, Any] = {"warc_record_id": record_id or None, "warc_date": headers.get_header("WARC-Date")}
    http = record.http_headers
    status_line = (http.get_statuscode() if http is not None else None) or ""
    status = int(status_line[:3]) if status_line[:3].isdigit() else None
    content_type = (http.get_header("Content-Type") if http is not None else None) or ""
    raw = {"id": doc_id, "url": url, "http_status": status, "content_type": content_type or None, **meta}
    if status is None or not 200 <= status < 300:
        return reject(doc_id, "read:http_status", raw, status=status_line or None)
    body = record.content_stream().read(limit + 1)
    if len(body) > limit:
        return reject(doc_id, "read:too_large", raw, bytes=len(body), limit=limit)
    if not _is_html(content_type, body):
        return reject(doc_id, "read:not_html", raw)
    html = clean_string(decode_html(body, content_type))
    if not html.strip():
        return reject(doc_id, "read:empty_body", raw)
    metadata = {**meta, "http_status": status, "content_type": content_type or None}
    return Document(id=doc_id, html=html, url=url, metadata=metadata, raw={**raw, "html": html})


def read_warc(
    piece: Piece, inp: InputConfig | None = None, counters: Counter[str] | None = None
) -> Iterator[Document | Rejected]:
    """Documents (or ``read:*`` rejects) of one WARC file, one per response record."""
    from warcio.archiveiterator import ArchiveIterator

    inp = inp or InputConfig()
    counters = counters if counters is not None else Counter()
    ordinal = skipped = 0
    with open_input(piece.path, inp.max_file_bytes) as f:
        records = iter(ArchiveIterator(f, check_digests=False))
        while True:
            try:
                record = next(records)
            except StopIteration:
                break
            except (InputTooLargeError, InputUnreadableError):
                raise  # read_shard turns these into one reject for the rest of the file
            except Exception as exc:  # noqa: BLE001 - a third-party parser on hostile bytes
                raw = {"path": piece.rel, "records_read": ordinal}
                yield reject(f"{piece.rel}:*", "read:warc_corrupt", raw, error=f"{type(exc).__name__}: {exc}")
                return
            if record.format != "warc":  # warcio guesses ARC for bytes that are not WARC at all
                raw = {"path": piece.rel, "records_read": ordinal}
                yield reject(f"{piece.rel}:*", "read:warc_corrupt", raw, error=f"not a WARC record ({record.format})")
                return
            if record.rec_type != "response":
                counters[f"warc:skipped_{record.rec_type}"] += 1
                skipped += 1
                continue
            ordinal += 1
            try:
                yield _response_item(record, ordinal, piece, inp.max_doc_bytes)
            except (InputTooLargeError, InputUnreadableError):
                raise
            except Exception as exc:  # noqa: BLE001 - broken HTTP headers or body encoding of one record
                doc_id = (record.rec_headers.get_header("WARC-Record-ID") or "").strip(
                    "<> "
                ) or f"{piece.rel}:{ordinal}"
                raw = {"id": doc_id, "url": record.rec_headers.get_header("WARC-Target-URI")}
                yield reject(doc_id, "read:warc_bad_record", raw, error=f"{type(exc).__name__}: {exc}")
    if ordinal == 0:
        yield reject(f"{piece.rel}:*", "read:no_responses", {"path": piece.rel, "skipped": skipped})
