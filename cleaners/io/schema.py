"""Clean-record layouts other tools read: boilerclean's own, datatrove's and dolma's.

* ``boilerclean``: one shape for every record of a run, in JSONL and parquet alike, because
  columnar loaders (pyarrow, polars, pandas, Hugging Face ``datasets``) infer a schema from the
  first records and then either fail or silently drop what does not fit it. So: ``id``, ``text``,
  ``title`` and ``url`` are always strings (``""`` when a document has none); ``sentences`` and
  ``sentence_spans`` are lists on every record when ``segment_sentences`` ran and ``null`` on every
  record when it did not; ``metadata`` is a JSON object *encoded as a string* (``"{}"`` when empty),
  since free-form per-document fields have no single column type and an empty struct cannot be
  written to parquet at all. ``json.loads(record["metadata"])`` gives the object back, and
  boilerclean's readers decode it when the output is read again.

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
from boilerclean.cleaners.io.parts import dumps

Record = dict[str, Any]
CORE = ("id", "text", "metadata")


def _folded_metadata(rec: Record) -> dict[str, Any]:
    """The record's metadata with every non-core top-level field folded in (top level wins)."""
    meta = dict(rec.get("metadata") or {})
    meta.update((k, v) for k, v in rec.items() if k not in CORE)
    return meta


def metadata_json(meta: Any) -> str:
    """A metadata mapping as the JSON text a string column holds (never raises: see ``dumps``)."""
    return dumps(meta or {}).decode("utf-8").rstrip("\n")


def to_boilerclean(rec: Record) -> Record:
    meta = rec.get("metadata")
    return {
        "id": rec["id"],
        "text": rec.get("text") or "",
        "title": rec.get("title") or "",
        "url": rec.get("url") or "",
        "sentences": rec.get("sentences"),
        "sentence_spans": rec.get("sentence_spans"),
        "metadata": meta if isinstance(meta, str) else metadata_json(meta),
    }


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


def record_mapper(output: OutputConfig) -> Callable[[Record], Record]:
    """The function turning a pipeline record (``Document.output_record``) into the configured layout."""
    if output.record_schema == "datatrove":
        return to_datatrove
    if output.record_schema == "dolma":
        return dolma_mapper(output.source, output.added)
    return to_boilerclean


# Parquet needs fixed columns: these, with ``metadata`` stored as a JSON string (free-form
# per-document metadata has no single Arrow type; boilerclean's JSONL stores it the same way).
# datatrove's and dolma's readers decode it back.
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
