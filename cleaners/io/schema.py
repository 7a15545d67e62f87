"""Clean-record layouts other tools read: boilerclean's own, datatrove's and dolma's.

The pipeline produces ``{"id", "text", "title"?, "url"?, "sentences"?, "metadata"}``.

* ``datatrove`` (its JsonlReader/ParquetReader default adapter): ``{"text", "id", "metadata"}``
  with everything else (title, url, sentences, ...) inside ``metadata``.
* ``dolma`` (docs/data-format.md): ``{"id", "text", "source", "added"?, "created"?, "metadata"}``.
  ``source`` is ``output.source``, else the record's own (read from dolma input into metadata),
  else ``"boilerclean"``. ``added``/``created`` come from the record (dolma input) or, for
  ``added``, from ``output.added``; never from the clock, so a rerun writes the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from boilerclean.cleaners.config import OutputConfig

Record = dict[str, Any]
CORE = ("id", "text", "metadata")


def _folded_metadata(rec: Record) -> dict[str, Any]:
    """The record's metadata with every non-core top-level field folded in (top level wins)."""
    meta = dict(rec.get("metadata") or {})
    meta.update((k, v) for k, v in rec.items() if k not in CORE)
    return meta


def to_datatrove(rec: Record) -> Record:
    return {"text": rec.get("text", ""), "id": rec.get("id"), "metadata": _folded_metadata(rec)}


def _take(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    if isinstance(value, str) and value:
        del meta[key]
        return value
    return None


def dolma_mapper(source: str | None, added: str | None) -> Callable[[Record], Record]:
    def to_dolma(rec: Record) -> Record:
        meta = _folded_metadata(rec)
        out: Record = {"id": rec.get("id"), "text": rec.get("text", "")}
        out["source"] = source or _take(meta, "source") or "boilerclean"
        stamp = _take(meta, "added") or added
        created = _take(meta, "created")
        if stamp:
            out["added"] = stamp
        if created:
            out["created"] = created
        out["metadata"] = meta
        return out

    return to_dolma


def record_mapper(output: OutputConfig) -> Callable[[Record], Record] | None:
    """The function turning a boilerclean record into the configured layout (None: as it is)."""
    if output.record_schema == "datatrove":
        return to_datatrove
    if output.record_schema == "dolma":
        return dolma_mapper(output.source, output.added)
    return None


# Parquet needs fixed columns: these, with ``metadata`` stored as a JSON string (free-form
# per-document metadata has no single Arrow type). datatrove's readers decode it back.
PARQUET_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "boilerclean": (
        ("id", "string"),
        ("text", "string"),
        ("title", "string"),
        ("url", "string"),
        ("sentences", "list<string>"),
        ("sentence_spans", "list<list<int64>>"),
        ("metadata", "json"),
    ),
    "datatrove": (("text", "string"), ("id", "string"), ("metadata", "json")),
    "dolma": (
        ("id", "string"),
        ("text", "string"),
        ("source", "string"),
        ("added", "string"),
        ("created", "string"),
        ("metadata", "json"),
    ),
}
