"""What keeps runs on one output folder apart: the lock, the writers' lease and the resume records.

* ``.lock`` - an exclusive ``flock`` held by the run's main process: a second run on the same
  output waits or stops, it never interleaves writes with the first.
* ``.writers.lock`` - a shared ``flock`` held by every process that writes shard output (pool
  workers and their killable children inherit it). A run that gets ``.lock`` also waits until no
  one holds this one, and a run releases ``.lock`` only after its own writers are gone: so no
  process of an earlier, killed run can still be writing when the next one starts, whatever killed it.
* ``_work/run.json`` + ``_work/done/`` - the plan of the run in progress (with the snapshot of
  every input it reads) and one record per finished shard pass. After a crash (even ``kill -9``)
  the same command finds them, skips what is done and redoes the rest; every file is written by
  temp + rename, so the result is byte-identical to an uninterrupted run.

The manifest of what the folder holds is ``flows/manifest.py``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import logging
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

from boilerclean.cleaners.io.parts import write_atomic
from boilerclean.cleaners.io.piece import Piece, Shard

LOCK = ".lock"
WRITERS = ".writers.lock"
WRITERS_GONE_S = 30.0


class OutputBusyError(RuntimeError):
    """Another run holds the output folder."""


def _write_json(path: Path, data: Any) -> None:
    write_atomic(path, orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))


def _read_json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None


def _flock(fd: int, mode: int, wait_s: float) -> bool:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)


def wait_for_writers(out: Path, wait_s: float = WRITERS_GONE_S) -> None:
    """Return once no process holds a writer's lease on ``out``; raise if one still does after ``wait_s``."""
    fd = os.open(out / WRITERS, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _flock(fd, fcntl.LOCK_EX, wait_s):
            raise OutputBusyError(
                f"processes of an earlier run are still writing into {out} after {wait_s:g} s "
                f"(see: fuser {out / WRITERS}); stop them, then run again"
            )
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextlib.contextmanager
def writer_lease(out_dir: str | Path) -> Iterator[None]:
    """Hold a shared lease on the output while writing into it; children forked meanwhile hold it too.

    Where the storage has no ``flock`` (some network file systems) the lease is skipped: the run lock
    still keeps runs apart, only the wait for a killed run's stragglers is lost.
    """
    try:
        fd = os.open(Path(out_dir) / WRITERS, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH)
        except OSError:
            pass
        yield
    finally:
        os.close(fd)


class OutputLock:
    """An exclusive lock on an output folder, held for the whole run."""

    def __init__(self, out: Path, wait_s: float = 0.0) -> None:
        self.out = out
        self.path = out / LOCK
        self.wait_s = wait_s
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _flock(fd, fcntl.LOCK_EX, self.wait_s):
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise OutputBusyError(
                f"another boilerclean run is writing {self.out} (lock held by pid {holder}); "
                "wait for it to finish, or pass --wait SECONDS"
            )
        self._fd = fd
        try:
            wait_for_writers(self.out)
        except BaseException:
            self._release()
            raise
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        return self

    def _release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __exit__(self, *exc: object) -> None:
        try:
            wait_for_writers(self.out)  # our own workers are gone before the lock is
        except OutputBusyError as busy:
            logging.getLogger("boilerclean").warning("%s", busy)
        finally:
            self._release()


class RunState:
    """The plan and finished shard passes of the run in progress, for resume after a crash."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.plan_path = work / "run.json"

    @staticmethod
    def encode(shards: list[Shard]) -> list[dict[str, Any]]:
        return [{"index": s.index, "pieces": [dataclasses.asdict(p) for p in s.pieces]} for s in shards]

    @staticmethod
    def decode(data: list[dict[str, Any]]) -> list[Shard]:
        return [Shard(d["index"], tuple(Piece(**p) for p in d["pieces"])) for d in data]

    def resume_or_start(
        self, fingerprint: str, shards: list[Shard], dropped: set[str], snapshots: dict[str, Any]
    ) -> bool:
        """True when an interrupted run of exactly this plan, over inputs exactly as they are now, left records."""
        plan = {
            "config_fingerprint": fingerprint,
            "shards": self.encode(shards),
            "dropped": sorted(dropped),
            "snapshots": {path: list(s) if s else None for path, s in sorted(snapshots.items())},
        }
        if _read_json(self.plan_path) == plan:
            return True
        shutil.rmtree(self.work, ignore_errors=True)
        _write_json(self.plan_path, plan)
        return False

    def done_path(self, segment: int, name: str) -> Path:
        return self.work / "done" / f"pass{segment}-{name}.json"

    def done(self, segment: int, name: str) -> dict[str, Any] | None:
        return _read_json(self.done_path(segment, name))

    def mark_done(self, segment: int, name: str, result: dict[str, Any]) -> None:
        _write_json(self.done_path(segment, name), result)
