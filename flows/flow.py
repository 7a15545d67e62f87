"""The Prefect flow: plan shards, run each pass of the chain as one task per shard, report.

No ``from __future__ import annotations`` here: Prefect validates the pydantic ``cfg``
parameter of deployment runs from the annotations, and string annotations break that
(see ../shared/PREFECT.md, gotcha 5).

Parallelism. ``runner.type: local`` runs shard tasks on a bounded thread pool, and each task
hands its shard to a process pool (``workers`` processes) that the flow owns. The pool
processes import only ``cleaners`` and ``boilerclean.flows.shard``, never Prefect, so embedded mode
keeps a single temporary API server (a process-based task runner would start one per
worker). ``dask`` and ``ray`` use Prefect's own runners on an existing cluster.
"""

import concurrent.futures as cf
import multiprocessing
import os
import shutil
import time
from pathlib import Path
from typing import Any

import orjson
from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from boilerclean.cleaners.config import PipelineConfig
from boilerclean.cleaners.io.files import file_size
from boilerclean.cleaners.io.parts import write_atomic
from boilerclean.cleaners.io.readers import Shard, list_inputs, plan_files
from boilerclean.flows.card import render_card
from boilerclean.flows.embedded import EmbeddedServer
from boilerclean.flows.progress import ProgressLine
from boilerclean.flows.report import build_report, markdown_summary, stage_table
from boilerclean.flows.shard import WORK, merge_partials, run_segment_guarded, state_path, warm_up
from boilerclean.flows.state import Manifest, OutputLock, RunState

_POOL: cf.ProcessPoolExecutor | None = None


def start_pool(cfg: PipelineConfig) -> cf.ProcessPoolExecutor:
    """The flow's worker processes, already building their stages (models, regexes) when this returns.

    Pool processes are single-threaded, so the per-shard watchdog can fork() its killable worker
    cheaply there; the pool itself comes from a forkserver because this process has Prefect's
    threads, and fork() with threads is unsafe.
    """
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["boilerclean.flows.shard"])
    pool = cf.ProcessPoolExecutor(cfg.runner.workers, mp_context=ctx, initializer=warm_up, initargs=(cfg,))
    for _ in range(cfg.runner.workers):  # start every worker now (the pool spawns them on demand)
        pool.submit(os.getpid)
    return pool


def _run(fn, *args):
    """Run in the flow's process pool when there is one, else right here."""
    if _POOL is not None:
        return _POOL.submit(fn, *args).result()
    return fn(*args)


@task(name="clean-shard", retries=2, retry_delay_seconds=[1, 5], task_run_name="{shard.name}-pass{segment}")
def clean_shard(shard: Shard, segment: int, cfg: PipelineConfig, out_dir: str, state: RunState) -> dict[str, Any]:
    """One pass over one shard; retried whole (outputs are written atomically, so a retry is safe)."""
    result = _run(run_segment_guarded, shard, segment, cfg, out_dir)
    state.mark_done(segment, shard.name, result)
    get_run_logger().info(
        "%s pass %d: %d documents kept, %d rejected", shard.name, segment, result["passed_on"], result["rejected"]
    )
    return result


@task(name="merge-corpus-statistics", retries=1)
def merge_statistics(cfg: PipelineConfig, segment: int, shard_names: list[str], out_dir: str) -> str:
    return _run(merge_partials, cfg, segment, shard_names, out_dir)


def _remove_parts(out: Path, names: set[str] | None) -> None:
    """Delete the clean and rejected parts named (all of them for ``None``)."""
    for sub in ("clean", "rejected"):
        folder = out / sub
        if folder.exists():
            for part in folder.glob("part-*"):
                if names is None or part.name.split(".")[0] in names:
                    part.unlink()


def _shard_bytes(shard: Shard) -> int:
    return sum((p.end if p.end is not None else file_size(p.path)) - p.start for p in shard.pieces)


@flow(
    name="boilerclean",
    flow_run_name="boilerclean-{output}",
    validate_parameters=True,
    task_runner=ThreadPoolTaskRunner(max_workers=16),
)
def clean_corpus(
    cfg: PipelineConfig, inputs: list[str], output: str, full: bool = False, wait_s: float = 0.0
) -> dict[str, Any]:
    """Clean ``inputs`` into ``output``: clean/ and rejected/ parts, report.json, README.md.

    Incremental: input files already processed into ``output`` (same config) are skipped;
    ``full`` reprocesses everything. Resumable: an interrupted run of the same command picks
    up where it stopped. Exclusive: a second run on the same output waits ``wait_s`` or stops.
    """
    out = Path(output)
    with OutputLock(out, wait_s):
        return _clean_locked(cfg, inputs, out, full)


def _clean_locked(cfg: PipelineConfig, inputs: list[str], out: Path, full: bool) -> dict[str, Any]:
    global _POOL
    logger = get_run_logger()
    started = time.perf_counter()
    fingerprint = cfg.fingerprint()
    manifest = Manifest(out)
    if full or manifest.fingerprint not in (None, fingerprint):
        if manifest.fingerprint not in (None, fingerprint):
            logger.info("configuration changed since the last run into %s: reprocessing everything", out)
        _remove_parts(out, None)
        manifest.path.unlink(missing_ok=True)
        manifest = Manifest(out)
    files = list_inputs(inputs, cfg.input.follow_symlinks)
    todo, dropped = manifest.pending(files)
    _remove_parts(out, dropped)
    shards = plan_files(todo, cfg.shard.max_bytes, manifest.next_index())
    passes = cfg.passes()
    state = RunState(out / WORK)
    resumed = state.resume_or_start(fingerprint, shards, dropped)
    logger.info(
        "%d input file(s), %d new or changed -> %d shard(s), %d pass(es), runner %s x%d%s",
        len(files), len(todo), len(shards), passes, cfg.runner.type, cfg.runner.workers,
        " (resuming an interrupted run)" if resumed else "",
    )  # fmt: skip

    sizes = {s.name: _shard_bytes(s) for s in shards}
    progress = ProgressLine(passes * sum(sizes.values()))
    own_pool = cfg.runner.type == "local" and shards and _POOL is None
    if own_pool:
        _POOL = start_pool(cfg)
    try:
        results: list[dict[str, Any]] = []
        names = [s.name for s in shards]
        for segment in range(passes):
            if segment > 0 and not state_path(out, segment).exists():
                merge_statistics(cfg, segment, names, str(out))
            todo_shards = []
            for shard in shards:
                done = state.done(segment, shard.name) if resumed else None
                if done is None:
                    todo_shards.append(shard)
                else:
                    results.append(done)
                    progress.advance(sizes[shard.name], (done.get("read") or {}).get("docs_in", 0))
            futures = clean_shard.map(
                todo_shards, segment=segment, cfg=unmapped(cfg), out_dir=unmapped(str(out)), state=unmapped(state)
            )
            for future in as_completed(futures):
                res = future.result()
                results.append(res)
                progress.advance(sizes[res["shard"]], (res.get("read") or {}).get("docs_in", 0))
    finally:
        progress.close()
        if own_pool:
            _POOL.shutdown(cancel_futures=True)
            _POOL = None

    run_info = {
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "files": len(todo),
        "shards": [s.name for s in shards],
        "seconds": round(time.perf_counter() - started, 3),
    }
    manifest.record(shards, results, dropped, run_info)
    manifest.save(fingerprint)
    shutil.rmtree(out / WORK, ignore_errors=True)

    this_run = build_report(results, [s.name for s in cfg.stages], {})
    report = build_report(
        manifest.all_results(),
        [s.name for s in cfg.stages],
        {
            "this_run": {
                "files": len(todo),
                "shards": len(shards),
                "documents": this_run["documents"],
                "shard_seconds": this_run["shard_seconds"],
            },
            "parts": len(manifest.parts),
            "passes": passes,
            "workers": cfg.runner.workers,
            "config_fingerprint": fingerprint,
            "seconds": run_info["seconds"],
            "inputs": inputs,
        },
    )
    write_atomic(out / "report.json", orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
    write_atomic(out / "README.md", render_card(report, cfg.model_dump(mode="json", by_alias=True)).encode())
    create_table_artifact(key="boilerclean-stages", table=stage_table(report), description="per-stage counts")
    create_markdown_artifact(key="boilerclean-summary", markdown=markdown_summary(report))
    d = report["documents"]
    logger.info("done: %d in, %d clean, %d rejected -> %s", d["in"], d["clean"], d["rejected"], out)
    if not report["accounting_ok"]:
        raise RuntimeError(f"accounting broken: {d} (report in {out / 'report.json'})")
    return report


def task_runner_for(cfg: PipelineConfig):
    """The Prefect task runner the config asks for (Dask/Ray imported only when used)."""
    r = cfg.runner
    if r.type == "dask":
        from prefect_dask import DaskTaskRunner

        if r.address:
            return DaskTaskRunner(address=r.address)
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": r.workers, "threads_per_worker": 1, "dashboard_address": None}
        )
    if r.type == "ray":
        try:
            from prefect_ray import RayTaskRunner
        except ImportError as exc:
            raise RuntimeError("runner type 'ray' needs: pip install 'prefect[ray]'") from exc
        return RayTaskRunner(address=r.address) if r.address else RayTaskRunner(init_kwargs={"num_cpus": r.workers})
    # twice the workers in flight: while one task does its Prefect bookkeeping, its next shard is
    # already queued in the pool, so a worker never waits on the API between shards
    return ThreadPoolTaskRunner(max_workers=min(2 * r.workers, 64))


def flow_for(cfg: PipelineConfig):
    """The flow bound to the task runner the config asks for."""
    return clean_corpus.with_options(task_runner=task_runner_for(cfg))


def deployment_parameters(cfg: PipelineConfig, inputs: list[str], output: str) -> dict[str, Any]:
    """Flow parameters as plain JSON, as a deployment stores them."""
    return {"cfg": cfg.model_dump(mode="json", by_alias=True), "inputs": inputs, "output": output}


def run_flow(
    cfg: PipelineConfig,
    inputs: list[str],
    output: str,
    full: bool = False,
    wait_s: float = 0.0,
    server: EmbeddedServer | None = None,
) -> dict[str, Any]:
    """Run the flow with the configured task runner and heartbeats off (they cost ~1 s per run).

    ``server``: a temporary API the caller started before importing Prefect and adopted
    (flows/embedded.py); the pool warms up while it finishes starting.
    """
    from prefect.settings import (
        PREFECT_FLOWS_HEARTBEAT_FREQUENCY,
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS,
        temporary_settings,
    )

    global _POOL
    # Started before the flow, the pool builds its stages while the API server starts: the largest
    # one-time costs of a run overlap instead of adding up.
    if cfg.runner.type == "local" and _POOL is None:
        _POOL = start_pool(cfg)
    try:
        if server is not None:
            server.wait_ready(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
        with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            return flow_for(cfg)(cfg=cfg, inputs=inputs, output=output, full=full, wait_s=wait_s)
    finally:
        if _POOL is not None:
            _POOL.shutdown(cancel_futures=True)
            _POOL = None
