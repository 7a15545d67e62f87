"""One input record (a JSON object, a CSV row, a parquet row) to one Document or one read reject.

All tabular formats share this mapping so a field means the same thing whatever file it came in:
the configured id/text/html fields, ``url``/``title``/``domain`` (also found inside ``metadata``,
where datatrove and dolma keep them), and every other field into ``metadata``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import orjson

from boilerclean.cleaners.config import InputConfig
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.io.files import decode_bytes
from boilerclean.cleaners.stage import Rejected

LIFTED = ("url", "title", "domain")
_SURROGATES = re.compile("[\udc80-\udcff]")


def reject(doc_id: str, reason: str, raw: dict[str, Any], **details: Any) -> Rejected:
    return Rejected(Document(id=doc_id, raw=raw), "read", reason, details)


def clean_string(value: str) -> str:
    """NUL characters out: lxml refuses them, and no text needs them."""
    return value.replace("\x00", "") if "\x00" in value else value


def unescape_bytes(value: str) -> str:
    """Bytes smuggled through a ``surrogateescape`` decode, decoded as ``decode_bytes`` would."""
    if _SURROGATES.search(value):
        value = decode_bytes(value.encode("utf-8", "surrogateescape"))
    return clean_string(value)


def _as_text(value: Any) -> Any:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return decode_bytes(bytes(value))
    return value


def metadata_object(value: Any) -> dict[str, Any]:
    """A record's ``metadata`` as a fresh dict: a mapping, or JSON text of one (our JSONL and parquet, datatrove's)."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, str) and value.startswith("{"):  # JSON-encoded (our parquet, datatrove's)
        try:
            parsed = orjson.loads(value)
        except orjson.JSONDecodeError:
            return {"metadata": value}
        if isinstance(parsed, dict):
            return parsed
    return {} if value is None else {"metadata": value}


@lru_cache(maxsize=16)
def _skipped(text_field: str, html_field: str, id_field: str) -> frozenset[str]:
    return frozenset((text_field, html_field, id_field, "metadata", *LIFTED))


def record_item(rec: dict[str, Any], fallback_id: str, inp: InputConfig) -> Document | Rejected:
    """The Document of ``rec``, or why it cannot be one (``read:no_text``, ``read:text_not_a_string``, ...)."""
    text_field, html_field, id_field = inp.text_field, inp.html_field, inp.id_field
    text, html = rec.get(text_field), rec.get(html_field)
    if text is not None and not isinstance(text, str):
        text = _as_text(text)
    if html is not None and not isinstance(html, str):
        html = _as_text(html)
    raw_id = rec.get(id_field)
    doc_id = fallback_id if raw_id is None or raw_id == "" else str(raw_id)
    if text is None and html is None:
        return reject(doc_id, "read:no_text", rec, expected_field=text_field)
    if not isinstance(text, (str, type(None))) or not isinstance(html, (str, type(None))):
        return reject(doc_id, "read:text_not_a_string", rec, type=type(text if html is None else html).__name__)
    size = (len(text) if text else 0) + (len(html) if html else 0)
    if size > inp.max_doc_bytes:
        slim = {k: v for k, v in rec.items() if k not in (text_field, html_field)}
        return reject(doc_id, "read:too_large", slim, chars=size, limit=inp.max_doc_bytes)
    meta_value = rec.get("metadata")
    metadata = {} if meta_value is None else metadata_object(meta_value)
    skip = _skipped(text_field, html_field, id_field)
    for key, value in rec.items():
        if key not in skip:
            metadata[key] = value
    title, url, domain = rec.get("title"), rec.get("url"), rec.get("domain")
    if metadata and not (title and url and domain):  # datatrove/dolma keep these inside metadata
        title = _lift(metadata, "title", title)
        url = _lift(metadata, "url", url)
        domain = _lift(metadata, "domain", domain)
    return Document(
        id=doc_id,
        text=clean_string(text) if text else "",
        html=clean_string(html) if html is not None else None,
        title=title if isinstance(title, str) and title.strip() else None,
        url=url if isinstance(url, str) and url.strip() else None,
        domain=domain if isinstance(domain, str) and domain.strip() else None,
        metadata=metadata,
        raw=rec,
    )


def _lift(metadata: dict[str, Any], key: str, value: Any) -> Any:
    """``value`` if it is a real string, else a string kept under ``metadata[key]`` (moved out)."""
    if isinstance(value, str) and value.strip():
        return value
    inner = metadata.get(key)
    if isinstance(inner, str) and inner.strip():
        del metadata[key]
        return inner
    return value
