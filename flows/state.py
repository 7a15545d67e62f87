"""What an output folder remembers between runs: the manifest, the lock and the resume records.

* ``manifest.json`` - every input file processed into this output (path, size, mtime, content
  hash), the parts it went to, and each part's counters. The next run processes only new or
  changed files, appends parts, and rebuilds the report from all parts' counters.
* ``.lock`` - an exclusive ``flock``: a second run on the same output waits or stops, it
  never interleaves writes with the first.
* ``_work/run.json`` + ``_work/done/`` - the plan of the run in progress and one record per
  finished shard pass. After a crash (even ``kill -9``) the same command finds them, skips
  what is done and redoes the rest; every file is written by temp + rename, so the result is
  byte-identical to an uninterrupted run.
"""

from __future__ import annotations

import dataclasses
import fcntl
import hashlib
import os
import time
from pathlib import Path
from typing import Any

import orjson

from boilerclean.cleaners.io.files import is_url, open_raw
from boilerclean.cleaners.io.parts import write_atomic
from boilerclean.cleaners.io.piece import Piece, Shard

MANIFEST = "manifest.json"


def _write_json(path: Path, data: Any) -> None:
    write_atomic(path, orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))


def _read_json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None


def _stat(path: str) -> tuple[int, int]:
    """(size, mtime_ns) of a local file or an fsspec URL (mtime 0 where the store has none)."""
    if not is_url(path):
        st = os.stat(path)
        return st.st_size, st.st_mtime_ns
    import fsspec

    fs, _, (target,) = fsspec.get_fs_token_paths(path)
    info = fs.info(target)
    mtime = info.get("mtime") or info.get("LastModified") or info.get("created") or 0
    return int(info.get("size") or 0), int(getattr(mtime, "timestamp", lambda: mtime)() * 1e9)


def file_hash(path: str) -> str:
    h = hashlib.sha256()
    with open_raw(path) as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class OutputLock:
    """An exclusive lock on an output folder, held for the whole run."""

    def __init__(self, out: Path, wait_s: float = 0.0) -> None:
        self.path = out / ".lock"
        self.wait_s = wait_s
        self._fd: int | None = None

    def __enter__(self) -> OutputLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
                    os.close(fd)
                    raise RuntimeError(
                        f"another boilerclean run is writing {self.path.parent} (lock held by pid {holder}); "
                        "wait for it to finish, or pass --wait SECONDS"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class Manifest:
    """Input files already processed into an output folder, and the counters of every part."""

    def __init__(self, out: Path) -> None:
        self.path = out / MANIFEST
        data = _read_json(self.path) or {}
        self.fingerprint: str | None = data.get("config_fingerprint")
        self.files: dict[str, dict[str, Any]] = data.get("files", {})
        self.parts: dict[str, list[dict[str, Any]]] = data.get("parts", {})
        self.runs: list[dict[str, Any]] = data.get("runs", [])

    def next_index(self) -> int:
        return 1 + max((int(name.split("-")[1]) for name in self.parts), default=-1)

    def pending(self, files: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], set[str]]:
        """Files to (re)process and parts to drop: new or changed files, and part-mates of changed ones.

        size + mtime unchanged means unchanged (as make and rsync assume); otherwise the content
        hash decides, so a file that was only touched is not processed again.
        """
        changed, todo = set(), []
        for path, rel in files:
            size, mtime_ns = _stat(path)
            known = self.files.get(path)
            if known and known["size"] == size and known["mtime_ns"] == mtime_ns:
                continue
            if known and known["size"] == size and known["sha256"] == file_hash(path):
                known["mtime_ns"] = mtime_ns
                continue
            todo.append((path, rel))
            if known:
                changed.add(path)
        drop = {part for path in changed for part in self.files[path]["parts"]}
        mates = {p for p, meta in self.files.items() if set(meta["parts"]) & drop}
        listed = {path for path, _ in todo}
        todo += [(path, rel) for path, rel in files if path in mates and path not in listed]
        order = {path: i for i, (path, _) in enumerate(files)}
        return sorted(todo, key=lambda item: order[item[0]]), drop

    def record(self, shards: list[Shard], results: list[dict[str, Any]], dropped: set[str], run: dict) -> None:
        for name in dropped:
            self.parts.pop(name, None)
        for _path, meta in list(self.files.items()):
            meta["parts"] = [p for p in meta["parts"] if p not in dropped]
        by_part: dict[str, list[dict[str, Any]]] = {}
        for res in results:
            by_part.setdefault(res["shard"], []).append(res)
        for shard in shards:
            self.parts[shard.name] = sorted(by_part.get(shard.name, []), key=lambda r: r["segment"])
            for piece in shard.pieces:
                size, mtime_ns = _stat(piece.path)
                meta = self.files.setdefault(
                    piece.path, {"size": size, "mtime_ns": mtime_ns, "sha256": "", "parts": []}
                )
                if not meta["sha256"] or meta["size"] != size or meta["mtime_ns"] != mtime_ns:
                    meta.update(size=size, mtime_ns=mtime_ns, sha256=file_hash(piece.path))
                if shard.name not in meta["parts"]:
                    meta["parts"].append(shard.name)
        self.runs.append(run)

    def all_results(self) -> list[dict[str, Any]]:
        return [res for name in sorted(self.parts) for res in self.parts[name]]

    def save(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        _write_json(
            self.path,
            {"config_fingerprint": fingerprint, "files": self.files, "parts": self.parts, "runs": self.runs[-100:]},
        )


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

    def resume_or_start(self, fingerprint: str, shards: list[Shard], dropped: set[str]) -> bool:
        """True when an interrupted run of exactly this plan left records to resume from."""
        plan = {"config_fingerprint": fingerprint, "shards": self.encode(shards), "dropped": sorted(dropped)}
        if _read_json(self.plan_path) == plan:
            return True
        import shutil

        shutil.rmtree(self.work, ignore_errors=True)
        _write_json(self.plan_path, plan)
        return False

    def done_path(self, segment: int, name: str) -> Path:
        return self.work / "done" / f"pass{segment}-{name}.json"

    def done(self, segment: int, name: str) -> dict[str, Any] | None:
        return _read_json(self.done_path(segment, name))

    def mark_done(self, segment: int, name: str, result: dict[str, Any]) -> None:
        _write_json(self.done_path(segment, name), result)
