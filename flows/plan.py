"""Before a run writes anything: check the output against its manifest and decide what to process.

The order matters. The manifest is read first (an unreadable one stops the run here, before any
file is touched), the parts are checked against it, then the inputs are compared with it; only
then is the plan fixed, compared with an interrupted run's (resume), and the output folder cleared
of what no finished run accounts for. Prefect-free, so it can be reasoned about and tested alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from boilerclean.cleaners.config import PipelineConfig
from boilerclean.cleaners.io.piece import Shard
from boilerclean.cleaners.io.readers import list_inputs, plan_files
from boilerclean.flows.manifest import Manifest, Pending
from boilerclean.flows.shard import WORK
from boilerclean.flows.state import RunState


@dataclass
class RunPlan:
    manifest: Manifest
    pending: Pending
    shards: list[Shard]
    state: RunState
    resumed: bool
    listed: int


def plan_run(cfg: PipelineConfig, inputs: list[str], out: Path, full: bool, logger: logging.Logger) -> RunPlan:
    """What this run does to ``out``; ``full`` (or a changed config) starts from an empty manifest."""
    fingerprint = cfg.fingerprint()
    manifest = Manifest(out) if full else Manifest.load(out)
    if manifest.fingerprint not in (None, fingerprint):
        logger.info("configuration changed since the last run into %s: reprocessing everything", out)
        manifest = Manifest(out)
    if manifest.fingerprint is None:
        manifest.path.unlink(missing_ok=True)
    damaged = manifest.verify()
    for name, problem in damaged.items():
        logger.warning("%s: %s; rebuilding it from its inputs", name, problem)
    if damaged and cfg.passes() > 1:
        # corpus-wide stages (repeated lines, dedup) decide from every document of a run: a part
        # rebuilt alone would come out otherwise than it was, so every part is rebuilt together
        logger.warning("the chain has corpus-wide stages: rebuilding every part, not only the damaged ones")
        damaged = {name: damaged.get(name, "rebuilt with the damaged parts") for name in manifest.parts}
    files = list_inputs(inputs, cfg.input.follow_symlinks)
    pending = manifest.pending(files, damaged)
    if pending.newly_removed:
        logger.warning(
            "%d input(s) processed before are gone (their documents stay in the output): %s",
            len(pending.newly_removed), ", ".join(pending.newly_removed[:10]),
        )  # fmt: skip
    # a rebuild of every part numbers them from 0 again: the same names as an uninterrupted run's
    start = 0 if pending.dropped >= set(manifest.parts) else manifest.next_index()
    shards = plan_files(pending.todo, cfg.shard.max_bytes, start)
    state = RunState(out / WORK)
    resumed = state.resume_or_start(fingerprint, shards, pending.dropped, pending.snapshots)
    resumable = {s.name for s in shards} if resumed else set()
    sweep(out, manifest.expected_files(skip=pending.dropped), resumable, logger)
    return RunPlan(manifest, pending, shards, state, resumed, len(files))


def sweep(out: Path, expected: dict[str, set[str]], resumable: set[str], logger: logging.Logger) -> None:
    """Remove what the manifest does not account for: temp files, and parts of no run that finished.

    Such parts come from a run that was stopped before it recorded them, or sit beside a manifest that
    was deleted; left there, their documents would be counted twice. Parts of the interrupted run that
    this one resumes (``resumable``) stay: they are checked when the resume reaches them.
    """
    stray = []
    for kind, names in expected.items():
        folder = out / kind
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.name.endswith(".tmp") or (
                path.name.startswith("part-") and path.name not in names and path.name.split(".")[0] not in resumable
            ):
                stray.append(path)
    for path in stray:
        path.unlink(missing_ok=True)
    parts = [p for p in stray if not p.name.endswith(".tmp")]
    if parts:
        logger.warning(
            "removed %d part file(s) that manifest.json does not list (left by a stopped run, or beside a lost "
            "manifest); their inputs are processed again: %s",
            len(parts), ", ".join(f"{p.parent.name}/{p.name}" for p in parts[:10]),
        )  # fmt: skip
