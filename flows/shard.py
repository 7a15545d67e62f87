"""Run one pass of the stage chain over one shard, Prefect-free.

This is what a Prefect task (or a pool process inside one) executes. It never imports Prefect,
so worker processes start in milliseconds and the same code runs under any task runner.

Passes: a chain is cut at each corpus stage (``Pipeline.segments``). Pass k reads the
input (k = 0) or pass k-1's documents from ``_work/``, writes its documents for pass k+1
(or the clean part, on the last pass), and, when pass k+1 starts with a corpus stage, the
compact statistics that stage needs from this shard. Every file is written atomically.
"""

from __future__ import annotations

import collections
import multiprocessing
import os
import pickle
import resource
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson

from boilerclean.cleaners.config import PipelineConfig
from boilerclean.cleaners.document import Document, Removal
from boilerclean.cleaners.io.parts import PartWriter, describe_part, dumps, with_path, write_atomic
from boilerclean.cleaners.io.readers import Shard, read_shard
from boilerclean.cleaners.io.writers import open_part
from boilerclean.cleaners.pipeline import Pipeline
from boilerclean.cleaners.stage import Rejected, StageLog
from boilerclean.flows.guard import Progress, supervise
from boilerclean.flows.state import writer_lease

WORK = "_work"


class StageBuildError(RuntimeError):
    """The configured stages cannot be built (a rule pack that does not exist, a pattern that does not
    compile): the same on every retry and every worker, so the run stops with this as its error."""


def work_path(out_dir: str | Path, segment: int, name: str, kind: str) -> Path:
    return Path(out_dir, WORK, f"pass{segment}", f"{name}.{kind}")


def state_path(out_dir: str | Path, segment: int) -> Path:
    return Path(out_dir, WORK, f"pass{segment}.state.pkl")


@lru_cache(maxsize=4)
def _segments(cfg_json: str) -> list[Pipeline]:
    """Build the stages once per process and config: regexes and models are not free."""
    cfg = PipelineConfig.model_validate_json(cfg_json)
    return Pipeline(cfg.build_stages()).segments()


def segments_for(cfg: PipelineConfig) -> list[Pipeline]:
    try:
        return _segments(cfg.model_dump_json(by_alias=True))
    except Exception as exc:  # noqa: BLE001 - any build failure is a configuration problem, reported as one
        raise StageBuildError(f"cannot build the stages: {type(exc).__name__}: {exc}") from None


def warm_up(cfg: PipelineConfig) -> int:
    """Build the stages in this process ahead of the first shard (run in each pool worker)."""
    segments_for(cfg)
    return os.getpid()


def _load_docs(path: Path, explain: bool):
    with open(path, "rb") as f:
        for line in f:
            rec = orjson.loads(line)
            if rec.get("removals") is not None:
                rec["removals"] = [Removal(*r) for r in rec["removals"]]
            elif explain:
                rec["removals"] = []
            if rec.get("sentence_spans") is not None:
                rec["sentence_spans"] = [tuple(s) for s in rec["sentence_spans"]]
            yield Document(**rec)


def _clean_record(doc: Document, explain: bool) -> dict[str, Any]:
    rec = doc.output_record()
    if explain and doc.removals:
        rec["metadata"] = dict(doc.metadata, removals=[r._asdict() for r in doc.removals])
    return rec


def run_segment(
    shard: Shard,
    segment: int,
    cfg: PipelineConfig,
    out_dir: str,
    progress: Progress | None = None,
    skips: dict[int, tuple[int, str, dict[str, Any]]] | None = None,
) -> dict[str, Any]:
    """Run pass ``segment`` of ``cfg`` over ``shard``; return the shard's counters (small, JSON-able).

    ``progress`` and ``skips`` come from the supervisor (``boilerclean.flows.guard``): where we are, and
    which documents an earlier attempt got stuck on, to be rejected without being touched.
    """
    started = time.perf_counter()
    skips = skips or {}
    segments = segments_for(cfg)
    pipeline = segments[segment]
    last = segment == len(segments) - 1
    explain = cfg.output.explain
    out = Path(out_dir)
    read_log = StageLog("read")

    corpus = pipeline.corpus_stage
    if corpus is not None:
        with open(state_path(out, segment), "rb") as f:
            corpus.bind(pickle.load(f))
    nxt = segments[segment + 1].corpus_stage if not last else None
    partial = nxt.new_partial() if nxt is not None else None

    logs = pipeline.new_logs()
    reject_sink = logs[0].sink
    lengths: collections.Counter[str] = collections.Counter()
    languages: collections.Counter[str] = collections.Counter()
    unreadable: set[str] = set()  # inputs (by relative name) that could not be read, for the manifest

    def documents():
        if segment > 0:
            yield from _load_docs(work_path(out, segment - 1, shard.name, "docs.jsonl"), explain)
            return
        for item in read_shard(shard, cfg.input, read_log.counters):
            read_log.docs_in += 1
            if isinstance(item, Rejected):
                read_log.rejected[item.reason] += 1
                if item.reason == "read:unreadable":
                    unreadable.add(item.doc.raw.get("path"))
                reject_sink.append(item)
                continue
            read_log.docs_out += 1
            if explain:
                item.removals = []
            yield item

    def source():
        for ordinal, doc in enumerate(documents()):
            if ordinal in skips:
                stage, reason, details = skips[ordinal]
                logs[stage].docs_in += 1
                logs[stage].reject(doc, reason, **details)
                continue
            if progress is not None:
                progress.at(ordinal, -1)
            yield doc

    if last:
        kept = open_part(out / "clean", shard.name, cfg.output)
        rejected = PartWriter(out / "rejected" / f"{shard.name}.jsonl", keep_empty=False)
        for earlier in range(segment):
            path = work_path(out, earlier, shard.name, "rejected.jsonl")
            if path.exists():
                with open(path, "rb") as f:
                    for line in f:
                        rejected.write_raw(line)
    else:
        kept = PartWriter(work_path(out, segment, shard.name, "docs.jsonl"))
        rejected = PartWriter(work_path(out, segment, shard.name, "rejected.jsonl"))
    try:
        for item in pipeline.run(source(), logs, progress.stage if progress is not None else None):
            if isinstance(item, Rejected):
                rejected.write(item.output_record())
            elif last:
                kept.write(_clean_record(item, explain))
                lengths[_length_bucket(len(item.text))] += 1
                lang = item.metadata.get("language")
                if isinstance(lang, str):
                    languages[lang] += 1
            else:
                kept.write_raw(dumps(item))
                if partial is not None:
                    nxt.observe(partial, item)
        # rejects decided after the last document left the chain (read errors at the end)
        while reject_sink:
            rejected.write(reject_sink.popleft().output_record())
    except BaseException as exc:
        kept.abort()
        rejected.abort()
        if isinstance(exc, OSError):
            raise with_path(exc, kept.tmp) from None
        raise
    if partial is not None:
        write_atomic(work_path(out, segment, shard.name, "partial.pkl"), pickle.dumps(partial, protocol=5))
    try:
        rejected.commit()
        kept.commit()
    except OSError as exc:
        kept.abort()
        raise with_path(exc, kept.tmp) from None
    outputs = None
    if last:  # what the manifest will check this part against in every later run
        outputs = {
            "clean": describe_part(kept.path, kept.count),
            "rejected": describe_part(rejected.path, rejected.count),
        }
    return {
        "shard": shard.name,
        "segment": segment,
        "read": read_log.as_dict() if segment == 0 else None,
        "unreadable": sorted(unreadable) if segment == 0 else None,
        "outputs": outputs,
        "stages": [log.as_dict() for log in logs],
        "clean": kept.count if last else 0,
        "passed_on": kept.count,
        "rejected": sum(sum(log.rejected.values()) for log in logs) + sum(read_log.rejected.values()),
        "clean_stats": {"lengths": dict(lengths), "languages": dict(languages)} if last else None,
        # this process's high-water mark: the memory a worker needs, apart from Prefect's own processes
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "seconds": round(time.perf_counter() - started, 3),
    }


LENGTH_BUCKETS = (100, 300, 1_000, 3_000, 10_000, 30_000, 100_000)


def _length_bucket(chars: int) -> str:
    """A coarse, fixed histogram bucket of a clean text's length (for the dataset card)."""
    for bound in LENGTH_BUCKETS:
        if chars < bound:
            return f"<{bound}"
    return f">={LENGTH_BUCKETS[-1]}"


def stage_limits(cfg: PipelineConfig, segment: int) -> tuple[list[float], list[str], list[str]]:
    """Per-stage time limit, name and timeout reason of one pass (a stage's own ``timeout_s`` wins)."""
    stages = segments_for(cfg)[segment].stages
    limits = [float(getattr(s.params, "timeout_s", None) or cfg.limits.stage_timeout_s) for s in stages]
    reasons = [getattr(s, "timeout_reason", None) or f"timeout:{s.name}" for s in stages]
    return limits, [s.name for s in stages], reasons


def run_segment_guarded(shard: Shard, segment: int, cfg: PipelineConfig, out_dir: str) -> dict[str, Any]:
    """``run_segment`` under the killable-worker supervisor when ``limits.isolate`` is on.

    A daemonic process (a Dask worker with ``distributed.worker.daemon: true``, the default)
    may not start children, so there the pass runs in-process: no hard time limit, but every
    document is still accounted for. Set that Dask option to false to get the limits back.
    """
    with writer_lease(out_dir):
        if not cfg.limits.isolate or multiprocessing.current_process().daemon:
            return run_segment(shard, segment, cfg, out_dir)
        limits, names, reasons = stage_limits(cfg, segment)  # also builds the stages before the fork
        return supervise(run_segment, (shard, segment, cfg, out_dir), limits, names, reasons)


def merge_partials(cfg: PipelineConfig, segment: int, shard_names: list[str], out_dir: str) -> str:
    """Reduce the shards' statistics for the corpus stage opening pass ``segment``, in shard order."""
    corpus = segments_for(cfg)[segment].corpus_stage
    assert corpus is not None, f"pass {segment} does not start with a corpus stage"
    partials = []
    for name in shard_names:
        path = work_path(out_dir, segment - 1, name, "partial.pkl")
        with open(path, "rb") as f:
            partials.append(pickle.load(f))
    state = corpus.merge(partials)
    path = state_path(out_dir, segment)
    with writer_lease(out_dir):
        write_atomic(path, pickle.dumps(state, protocol=5))
    return str(path)
