"""Part files that a reader never sees half written, and the JSON they hold.

Each part is written to ``<name>.tmp`` and renamed into place on commit; a crash leaves only
a temp file, which the next run removes. A failed write (disk full, quota, I/O error) removes the
temp file even when closing it fails again, and names the file: the OS's own message does not.
JSON is produced with orjson; a string orjson refuses (lone surrogates from a broken source) is
repaired rather than losing the record.
Every format's writer builds on ``AtomicPart`` here (JSONL below, parquet in ``io.parquet``), and
``io.writers`` picks one; so no format module needs to import the module that chooses it.
"""

from __future__ import annotations

import dataclasses
import gzip
import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import orjson

_OPTS = orjson.OPT_APPEND_NEWLINE


def scrub(value: Any) -> Any:
    """Replace lone surrogates anywhere in a JSON value (orjson refuses them, rightly)."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {scrub(k): scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(v) for v in value]
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
        return orjson.dumps(scrub(record), option=_OPTS, default=_default)


class Part(Protocol):
    """What the shard runner needs of a clean part, whatever its format."""

    count: int

    def write(self, record: Any) -> None: ...
    def commit(self) -> None: ...
    def abort(self) -> None: ...


def with_path(exc: OSError, path: Path | str) -> OSError:
    """``exc`` with the file it concerns in its message ("No space left on device" alone says not where)."""
    if exc.filename is not None or exc.errno is None:
        return exc
    named = OSError(exc.errno, exc.strerror or str(exc), str(path))
    named.__cause__ = exc
    return named


def write_atomic(path: Path, data: bytes) -> None:
    """Write a small file (report, manifest, state) so that readers see the old or the new one, never half."""
    tmp = path.with_name(path.name + ".tmp")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise with_path(exc, tmp) from None


def count_records(path: Path) -> int:
    """Records in a finished part, counted in the file itself (one JSON line each, or parquet's row count)."""
    name = path.name
    if name.endswith(".parquet"):
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    opener = gzip.open if name.endswith(".gz") else open
    count = 0
    with opener(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            count += block.count(b"\n")
    return count


def _sha256(path: Path) -> tuple[str, int]:
    h, size = hashlib.sha256(), 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
            size += len(block)
    return h.hexdigest(), size


def describe_part(path: Path, written: int) -> dict[str, Any] | None:
    """What the manifest keeps of a published part (None when there is none): name, bytes, SHA-256, records.

    The records are counted in the file, not taken from the writer: a part that does not hold what
    was written to it is an error here, not a wrong total in the report later.
    """
    if not path.exists():
        if written:
            raise OSError(f"{path}: {written} records were written, but the part is not there")
        return None
    digest, size = _sha256(path)
    records = count_records(path)
    if records != written:
        raise OSError(f"{path}: {written} records were written, but the file holds {records}")
    return {"file": path.name, "bytes": size, "sha256": digest, "records": records}


def part_problem(path: Path, described: dict[str, Any]) -> str | None:
    """Why the part at ``path`` is not the one ``describe_part`` described (missing, resized, altered), or None."""
    try:
        size = path.stat().st_size
    except OSError:
        return f"{path} is missing"
    if size != described["bytes"]:
        return f"{path} has {size} bytes, {described['bytes']} were written"
    if _sha256(path)[0] != described["sha256"]:
        return f"{path} differs from what was written (SHA-256)"
    return None


class AtomicPart:
    """Context-manager behaviour shared by every part writer: commit on success, abort on error."""

    path: Path
    tmp: Path
    count: int
    keep_empty: bool

    def commit(self) -> None:
        raise NotImplementedError

    def abort(self) -> None:
        raise NotImplementedError

    def _publish(self) -> None:
        """Rename the finished temp file into place (or drop it, and any older part, when empty)."""
        if self.count or self.keep_empty:
            os.replace(self.tmp, self.path)
        else:
            self.tmp.unlink(missing_ok=True)
            self.path.unlink(missing_ok=True)

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.abort()


class PartWriter(AtomicPart):
    """A JSONL part written atomically: ``commit`` renames the temp file into place.

    ``compress``: gzip with a fixed header (no name, mtime 0). ``mapper``: record layout applied
    by ``write`` (not by ``write_raw``, which takes finished lines).
    """

    def __init__(
        self,
        path: str | Path,
        keep_empty: bool = True,
        *,
        compress: bool = False,
        mapper: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
    ) -> None:
        self.path = Path(path)
        self.tmp = self.path.with_name(self.path.name + ".tmp")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.keep_empty = keep_empty
        self.count = 0
        self._map = mapper
        self._raw = open(self.tmp, "wb")  # noqa: SIM115 - closed in commit/abort
        self._f = _gzip_stream(self._raw) if compress else self._raw

    def write(self, record: Any) -> None:
        try:
            self._f.write(dumps(self._map(record) if self._map is not None else record))
        except OSError as exc:
            raise with_path(exc, self.tmp) from None
        self.count += 1

    def write_raw(self, line: bytes) -> None:
        try:
            self._f.write(line)
        except OSError as exc:
            raise with_path(exc, self.tmp) from None
        self.count += 1

    def commit(self) -> None:
        try:
            if self._f is not self._raw:
                self._f.close()  # writes the gzip trailer into the still-open file
                if not self.count:
                    # an empty part is an empty file, as for plain JSONL: polars refuses a gzip stream
                    # that holds no line ("cannot infer types on empty reader") and fails the whole glob
                    self._raw.seek(0)
                    self._raw.truncate()
            self._raw.flush()
            os.fsync(self._raw.fileno())
            self._raw.close()
            self._publish()
        except OSError as exc:
            self.abort()
            raise with_path(exc, self.tmp) from None

    def abort(self) -> None:
        """Drop the temp file; closing may fail again (the disk is still full), the removal must not."""
        for stream in (self._f, self._raw):
            try:
                stream.close()
            except OSError:
                pass
        self.tmp.unlink(missing_ok=True)


def _gzip_stream(raw):
    # filename="" and mtime=0: the header would otherwise hold the temp file's name and the clock
    return gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0)
