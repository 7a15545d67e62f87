"""Parquet in and out (pyarrow, imported only when a parquet file is read or written).

Reading: rows are streamed in small batches; each row maps like a JSON object, with ids
defaulting to ``<file>:<row>`` (rows counted from 1); a null cell is a missing field. A file
pyarrow cannot open or decode is ``read:unreadable`` (for the rows not yet read).

Writing: rows are buffered and written one row group at a time (``output.row_group_rows`` or
~64 MB of text, whichever comes first), so memory stays bounded. Columns are fixed per layout
(``formats_schema.PARQUET_COLUMNS``): ``metadata`` is a JSON string because per-document
metadata has no single Arrow type, and a file must have one schema for all its row groups.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from boilerclean.cleaners.config import InputConfig, OutputConfig
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.io.files import open_input
from boilerclean.cleaners.io.parts import AtomicPart, scrub
from boilerclean.cleaners.io.piece import Piece
from boilerclean.cleaners.io.records import metadata_object, record_item, reject
from boilerclean.cleaners.io.schema import PARQUET_COLUMNS, metadata_json, record_mapper
from boilerclean.cleaners.stage import Rejected

_BATCH_ROWS = 256
_GROUP_CHARS = 64_000_000


def read_parquet(piece: Piece, inp: InputConfig | None = None) -> Iterator[Document | Rejected]:
    """Documents (or ``read:*`` rejects) of one parquet file, one per row."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    inp = inp or InputConfig()
    row = 0
    with open_input(piece.path, inp.max_file_bytes) as f:
        try:
            rows = pq.ParquetFile(f).iter_batches(batch_size=_BATCH_ROWS)
            for batch in rows:
                for rec in batch.to_pylist():
                    row += 1
                    present = {k: v for k, v in rec.items() if v is not None}  # null: missing, as in CSV
                    yield record_item(present, f"{piece.rel}:{row}", inp)
        except (pa.ArrowException, ValueError, OSError) as exc:
            raw = {"path": piece.rel, "rows_read": row}
            yield reject(f"{piece.rel}:*", "read:unreadable", raw, error=f"{type(exc).__name__}: {exc}")
            return
    if row == 0:
        yield reject(f"{piece.rel}:*", "read:empty_file", {"path": piece.rel})


def _arrow_type(pa, name: str):
    return {
        "string": pa.string(),
        "json": pa.string(),
        "list<string>": pa.list_(pa.string()),
        "list<list<int64>>": pa.list_(pa.list_(pa.int64())),
    }[name]


class ParquetPartWriter(AtomicPart):
    """A parquet part written atomically: row groups go to ``<name>.parquet.tmp``, renamed on commit."""

    def __init__(self, path: str | Path, output: OutputConfig, keep_empty: bool = True) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self._pa = pa
        self.path = Path(path)
        self.tmp = self.path.with_name(self.path.name + ".tmp")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.keep_empty = keep_empty
        self.count = 0
        self._map = record_mapper(output)
        columns = PARQUET_COLUMNS[output.record_schema]
        self._strings = {n for n, t in columns if t == "string"}
        self._names = [n for n, _ in columns]
        self._schema = pa.schema([(n, _arrow_type(pa, t)) for n, t in columns])
        self._group_rows = output.row_group_rows
        self._rows: list[dict[str, Any]] = []
        self._chars = 0
        self._writer = pq.ParquetWriter(self.tmp, self._schema, compression="zstd")

    def write(self, record: dict[str, Any]) -> None:
        rec = self._map(record)
        meta = rec.get("metadata")
        extra = {k: v for k, v in rec.items() if k not in self._names}  # kept, in metadata
        row: dict[str, Any] = {}
        for key in self._names:
            value = rec.get(key)
            row[key] = value if key not in self._strings or value is None or isinstance(value, str) else str(value)
        if extra or not isinstance(meta, str):
            meta = metadata_object(meta)
            meta.update(extra)
            row["metadata"] = metadata_json(meta)
        self._rows.append(row)
        self._chars += len(row.get("text") or "")
        self.count += 1
        if len(self._rows) >= self._group_rows or self._chars >= _GROUP_CHARS:
            self._flush()

    def _flush(self) -> None:
        if not self._rows:
            return
        pa = self._pa
        try:
            table = pa.Table.from_pylist(self._rows, schema=self._schema)
        except (pa.ArrowException, UnicodeEncodeError):  # lone surrogates from a broken source
            table = pa.Table.from_pylist([scrub(r) for r in self._rows], schema=self._schema)
        self._writer.write_table(table, row_group_size=len(self._rows))
        self._rows, self._chars = [], 0

    def write_raw(self, line: bytes) -> None:
        raise TypeError("a parquet part takes records, not JSON lines")

    def commit(self) -> None:
        self._flush()
        self._writer.close()
        fd = os.open(self.tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        self._publish()

    def abort(self) -> None:
        try:
            self._writer.close()
        finally:
            self.tmp.unlink(missing_ok=True)
