"""manifest.json: what an output folder holds and what it was made from, checked before it is trusted.

Why it is strict: an incremental run decides what to skip from this file alone, so a wrong
manifest loses or duplicates documents silently. Hence:

* **Inputs are described as they were read.** Each input is stat'ed when the run plans it (size,
  mtime) and hashed after it was processed, and stat'ed again after the hash. A file that changed
  in between (lines appended while the run read it) is recorded as ``changed`` and processed again
  by the next run; a file that could not be read is recorded as ``unreadable`` and retried once it
  can be read. An input that disappears is marked ``removed``: its documents stay in the output
  (there is nothing to rebuild them from), and when it comes back it is compared like any other.
  An unreadable input that disappears takes its reject with it: the reject described nothing else.
* **Parts are described as they were written**: file name, bytes, SHA-256 and the number of
  records counted in the file. Every run first checks the disk against this (``verify``); a missing
  or altered part is rebuilt from its inputs, and a part that cannot be rebuilt (its inputs are
  gone too) stops the run with a message saying which, instead of going on without it.
* **A manifest that cannot be read is an error**, never an empty manifest: an empty one would
  restart the part numbering next to the old parts and duplicate every document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from boilerclean.cleaners.io.files import Snapshot, file_hash, readable, snapshot
from boilerclean.cleaners.io.parts import part_problem, write_atomic
from boilerclean.cleaners.io.piece import Shard

MANIFEST = "manifest.json"
VERSION = 2
OUTPUT_KINDS = ("clean", "rejected")


class ManifestError(RuntimeError):
    """The output folder's record cannot be trusted or cannot be honoured; the message says what to do."""


def outputs_problem(out: Path, outputs: dict[str, Any]) -> str | None:
    """Why a part's files (as a shard pass described them) do not match the disk, or None."""
    for kind in OUTPUT_KINDS:
        entry = outputs.get(kind)
        problem = part_problem(out / kind / entry["file"], entry) if entry else None
        if problem:
            return problem
    return None


@dataclass
class Pending:
    """What a run has to do: the inputs to (re)process and the parts their old output was in."""

    todo: list[tuple[str, str]]
    dropped: set[str]
    snapshots: dict[str, Snapshot]
    newly_removed: list[str] = field(default_factory=list)


class Manifest:
    """Inputs processed into an output folder, and every part's outputs and counters."""

    def __init__(self, out: Path, data: dict[str, Any] | None = None) -> None:
        self.out = out
        self.path = out / MANIFEST
        data = data or {}
        self.fingerprint: str | None = data.get("config_fingerprint")
        self.files: dict[str, dict[str, Any]] = data.get("files", {})
        self.parts: dict[str, dict[str, Any]] = data.get("parts", {})
        self.runs: list[dict[str, Any]] = data.get("runs", [])

    @classmethod
    def load(cls, out: Path) -> Manifest:
        """The manifest of ``out`` (empty when there is none); an unreadable one raises ``ManifestError``."""
        path = out / MANIFEST
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return cls(out)
        except OSError as exc:
            raise ManifestError(f"{path}: cannot read it: {exc.strerror or exc}") from None
        try:
            data = orjson.loads(raw)
            problem = None if isinstance(data, dict) else "not a JSON object"
        except orjson.JSONDecodeError as exc:
            data, problem = None, f"not valid JSON ({exc})"
        if problem is None and data.get("version") != VERSION:
            problem = f"format version {data.get('version')!r}, this boilerclean reads version {VERSION}"
        if problem is None and not (isinstance(data.get("files"), dict) and isinstance(data.get("parts"), dict)):
            problem = "'files' or 'parts' is missing"
        if problem:
            raise ManifestError(
                f"{path} cannot be used: {problem}. It records which inputs this output already holds; "
                "without it a run would duplicate or lose documents. Restore it from a backup, or rebuild "
                "the output from the inputs with --full."
            )
        return cls(out, data)

    def next_index(self) -> int:
        return 1 + max((int(name.split("-")[1]) for name in self.parts), default=-1)

    def expected_files(self, skip: set[str] = frozenset()) -> dict[str, set[str]]:
        """File names each output folder should hold for the parts recorded here (minus ``skip``)."""
        names: dict[str, set[str]] = {kind: set() for kind in OUTPUT_KINDS}
        for name, part in self.parts.items():
            if name in skip:
                continue
            for kind in OUTPUT_KINDS:
                entry = part["outputs"].get(kind)
                if entry:
                    names[kind].add(entry["file"])
        return names

    def verify(self) -> dict[str, str]:
        """{part: problem} for every part whose files are missing or differ from what was written."""
        damaged = {}
        for name, part in sorted(self.parts.items()):
            problem = outputs_problem(self.out, part["outputs"])
            if problem:
                damaged[name] = problem
        return damaged

    def check_sizes(self) -> list[str]:
        """Part files missing or of another size than recorded: the cheap re-check when a run ends."""
        problems = []
        for part in self.parts.values():
            for kind in OUTPUT_KINDS:
                entry = part["outputs"].get(kind)
                if not entry:
                    continue
                path = self.out / kind / entry["file"]
                try:
                    size = path.stat().st_size
                except OSError:
                    problems.append(f"{path} is missing")
                    continue
                if size != entry["bytes"]:
                    problems.append(f"{path} has {size} bytes, the manifest says {entry['bytes']}")
        return problems

    def _up_to_date(self, path: str, known: dict[str, Any], snap: Snapshot, damaged: dict[str, str]) -> bool:
        if not known["parts"] or any(p in damaged for p in known["parts"]):
            return False
        if known["state"] == "unreadable":
            return snap == _snap(known) and not readable(path)
        if known["state"] != "ok" or snap is None:
            return False
        if snap == _snap(known):
            return True
        try:
            same = snap[0] == known["size"] and file_hash(path) == known["sha256"]
        except OSError:
            return False
        if same:  # only touched: remember the new mtime, do not reprocess
            known["mtime_ns"] = snap[1]
        return same

    def pending(self, files: list[tuple[str, str]], damaged: dict[str, str]) -> Pending:
        """Inputs to (re)process and parts to drop, from the listed inputs and the damaged parts.

        An input is up to date when its size and mtime are unchanged (as make and rsync assume) or,
        if only they changed, its content hash is; and its parts are intact. A part that must be
        rebuilt takes all its inputs with it; if one of them is gone, the part cannot be rebuilt
        and this raises ``ManifestError`` rather than silently dropping that input's documents.
        """
        listed = dict(files)
        snapshots: dict[str, Snapshot] = {}
        todo, why = [], dict(damaged)
        for path, rel in files:
            snap = snapshot(path)
            known = self.files.get(path)
            if known is not None:
                known.pop("removed", None)
                if self._up_to_date(path, known, snap, damaged):
                    continue
                for part in known["parts"]:
                    why.setdefault(part, f"input {rel} is new or changed")
            todo.append((path, rel))
            snapshots[path] = snap
        newly_removed = []
        for path, known in list(self.files.items()):
            if path in listed:
                continue
            if known["state"] == "unreadable":
                # its only trace in the output is the reject saying it could not be read: that goes with it
                for part in known["parts"]:
                    why.setdefault(part, f"unreadable input {path} is gone")
                del self.files[path]
            elif not known.get("removed"):
                known["removed"] = True
                newly_removed.append(path)
        dropped = set(why)
        queued = {path for path, _ in todo}
        lost: dict[str, list[str]] = {}
        for path, known in self.files.items():
            hit = [p for p in known["parts"] if p in dropped]
            if not hit or path in queued:
                continue
            if path in listed:
                todo.append((path, listed[path]))
                snapshots[path] = snapshot(path)
                queued.add(path)
            else:
                for part in hit:
                    lost.setdefault(part, []).append(path)
        if lost:
            detail = "; ".join(f"{part} ({why[part]}) holds {', '.join(sorted(paths))}" for part, paths in lost.items())
            raise ManifestError(
                f"{self.out}: parts must be rebuilt but hold documents of inputs that are no longer there: {detail}. "
                "Restore those inputs (or the parts), or rebuild the output from the inputs present now with --full."
            )
        order = {path: i for i, (path, _) in enumerate(files)}
        todo.sort(key=lambda item: order[item[0]])
        return Pending(todo, dropped, snapshots, newly_removed)

    def record(
        self,
        shards: list[Shard],
        results: list[dict[str, Any]],
        dropped: set[str],
        snapshots: dict[str, Snapshot],
        run: dict[str, Any],
    ) -> None:
        """Add this run's parts and inputs; each input is hashed now and checked against its planned snapshot."""
        for name in dropped:
            self.parts.pop(name, None)
        for meta in self.files.values():
            meta["parts"] = [p for p in meta["parts"] if p not in dropped]
        by_part: dict[str, list[dict[str, Any]]] = {}
        for res in results:
            by_part.setdefault(res["shard"], []).append(res)
        seen: set[str] = set()
        for shard in shards:
            part_results = sorted(by_part.get(shard.name, []), key=lambda r: r["segment"])
            self.parts[shard.name] = {"results": part_results, "outputs": part_results[-1]["outputs"]}
            unreadable = set(part_results[0].get("unreadable") or ())
            for piece in shard.pieces:
                if piece.path not in seen:
                    seen.add(piece.path)
                    parts = [p for p in self.files.get(piece.path, {}).get("parts", []) if p not in dropped]
                    self.files[piece.path] = {**_fingerprint(piece.path, snapshots.get(piece.path)), "parts": parts}
                meta = self.files[piece.path]
                if piece.rel in unreadable:
                    meta["state"] = "unreadable"
                if shard.name not in meta["parts"]:
                    meta["parts"].append(shard.name)
        self.runs.append(run)

    def all_results(self) -> list[dict[str, Any]]:
        return [res for name in sorted(self.parts) for res in self.parts[name]["results"]]

    def records_on_disk(self) -> dict[str, int]:
        """Records per output kind, as counted in the part files when they were written and hashed."""
        totals = dict.fromkeys(OUTPUT_KINDS, 0)
        for part in self.parts.values():
            for kind in OUTPUT_KINDS:
                entry = part["outputs"].get(kind)
                totals[kind] += entry["records"] if entry else 0
        return totals

    def changed_while_read(self) -> list[str]:
        return sorted(path for path, meta in self.files.items() if meta["state"] == "changed")

    def removed_inputs(self) -> list[str]:
        return sorted(path for path, meta in self.files.items() if meta.get("removed"))

    def save(self, fingerprint: str) -> None:
        self.fingerprint = fingerprint
        data = {
            "version": VERSION,
            "config_fingerprint": fingerprint,
            "files": self.files,
            "parts": self.parts,
            "runs": self.runs[-100:],
        }
        write_atomic(self.path, orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS))


def _snap(meta: dict[str, Any]) -> Snapshot:
    return None if meta.get("size") is None else (meta["size"], meta["mtime_ns"])


def _fingerprint(path: str, before: Snapshot) -> dict[str, Any]:
    """The manifest entry of an input processed from ``before``: hashed now, stat'ed again after the hash."""
    entry: dict[str, Any] = {
        "size": before[0] if before else None,
        "mtime_ns": before[1] if before else None,
        "sha256": None,
    }
    if before is None:
        return {**entry, "state": "unreadable"}
    try:
        digest = file_hash(path)
    except OSError:
        return {**entry, "state": "unreadable"}
    if snapshot(path) != before:  # changed while this run read it: what we read is not what is there
        return {**entry, "state": "changed"}
    return {**entry, "sha256": digest, "state": "ok"}
