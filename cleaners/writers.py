"""Write part files so that a reader never sees half a file.

Each part is written to ``<name>.tmp`` and renamed into place on commit; a crash leaves only
a temp file, which the next run overwrites. JSON is produced with orjson; a string orjson
refuses (lone surrogates from a broken source) is repaired rather than losing the record.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import orjson

from cleaners.config import OutputConfig

_OPTS = orjson.OPT_APPEND_NEWLINE


def _scrub(value: Any) -> Any:
    """Replace lone surrogates anywhere in a JSON value (orjson refuses them, rightly)."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_scrub(v) for v in value]
    return value


def _default(value: Any) -> Any:
    if isinstance(value, tuple):  # NamedTuples (Removal) are not serialised by orjson itself
        return list(value)
    return str(value)


def dumps(record: Any) -> bytes:
    """One JSONL line; never raises on odd strings or non-JSON values (they become strings)."""
    try:
        return orjson.dumps(record, option=_OPTS, default=_default)
    except (TypeError, orjson.JSONEncodeError):
        return orjson.dumps(_scrub(record), option=_OPTS, default=_default)


class PartWriter:
    """A JSONL part written atomically: ``commit`` renames the temp file into place."""

    def __init__(self, path: str | Path, keep_empty: bool = True) -> None:
        self.path = Path(path)
        self.tmp = self.path.with_name(self.path.name + ".tmp")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.keep_empty = keep_empty
        self.count = 0
        self._f = open(self.tmp, "wb")  # noqa: SIM115 - closed in commit/abort

    def write(self, record: Any) -> None:
        self._f.write(dumps(record))
        self.count += 1

    def write_raw(self, line: bytes) -> None:
        self._f.write(line)
        self.count += 1

    def commit(self) -> None:
        self._f.flush()
        os.fsync(self._f.fileno())
        self._f.close()
        if self.count or self.keep_empty:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)
            self.path.unlink(missing_ok=True)

    def abort(self) -> None:
        self._f.close()
        self.tmp.unlink(missing_ok=True)

    def __enter__(self) -> PartWriter:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


def open_part(directory: Path, name: str, output: OutputConfig) -> PartWriter:
    """The writer for one clean part in the configured output format."""
    return PartWriter(directory / f"{name}.jsonl")
