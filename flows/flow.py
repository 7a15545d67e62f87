"""The Prefect flow: check the output, plan shards, run each pass of the chain as one task per shard, report.

No ``from __future__ import annotations`` here: Prefect validates the pydantic ``cfg``
parameter of deployment runs from the annotations, and string annotations break that
(see ../shared/PREFECT.md, gotcha 5).

Parallelism. ``runner.type: local`` runs shard tasks on a bounded thread pool, and each task
hands its shard to a process pool (``workers`` processes, flows/pool.py) that the flow owns. The
pool processes import only ``cleaners`` and ``boilerclean.flows.shard``, never Prefect, so embedded
mode keeps a single temporary API server (a process-based task runner would start one per
worker). ``dask`` and ``ray`` use Prefect's own runners on an existing cluster.

Faults. Before anything is planned, the output is checked against its manifest (flows/manifest.py)
and what does not match is rebuilt or refused. A run that stops for any reason (a failed shard, a
signal) kills its workers and waits for them before it releases the output lock, so nothing writes
into the output after the lock is free, and what is done stays resumable.
"""

import shutil
import time
from pathlib import Path
from typing import Any, Literal

import orjson
from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.futures import as_completed
from prefect.states import Cancelled
from prefect.task_runners import ThreadPoolTaskRunner

from boilerclean.cleaners.config import PipelineConfig
from boilerclean.cleaners.io.files import file_size
from boilerclean.cleaners.io.parts import write_atomic
from boilerclean.cleaners.io.readers import Shard
from boilerclean.flows import lifeline
from boilerclean.flows.card import render_card
from boilerclean.flows.embedded import EmbeddedServer
from boilerclean.flows.manifest import outputs_problem
from boilerclean.flows.plan import plan_run
from boilerclean.flows.pool import WorkerDiedError, WorkerPool
from boilerclean.flows.progress import ProgressLine
from boilerclean.flows.report import build_report, markdown_summary, stage_table
from boilerclean.flows.shard import WORK, StageBuildError, merge_partials, run_segment_guarded, state_path
from boilerclean.flows.state import OutputBusyError, OutputLock, RunState

_POOL: WorkerPool | None = None


def _run(fn, *args):
    """Run in the flow's process pool when there is one, else right here."""
    if lifeline.STOPPING.is_set():
        raise WorkerDiedError("the run is stopping")
    pool = _POOL
    return pool.run(fn, *args) if pool is not None else fn(*args)


def _worth_retrying(_task, _task_run, state) -> bool:
    """Retry what may pass next time (a worker killed by the OOM killer), not what cannot (a config error)."""
    if lifeline.STOPPING.is_set():
        return False
    return not isinstance(state.result(raise_on_failure=False), StageBuildError)


@task(
    name="clean-shard",
    retries=2,
    retry_delay_seconds=[1, 5],
    retry_condition_fn=_worth_retrying,
    task_run_name="{shard.name}-pass{segment}",
)
def clean_shard(shard: Shard, segment: int, cfg: PipelineConfig, out_dir: str, state: RunState) -> dict[str, Any]:
    """One pass over one shard; retried whole (outputs are written atomically, so a retry is safe)."""
    try:
        result = _run(run_segment_guarded, shard, segment, cfg, out_dir)
    except WorkerDiedError:
        if lifeline.STOPPING.is_set():  # the flow killed the workers: not this shard's failure
            return Cancelled(message="the run is stopping")
        raise
    with lifeline.BOOKKEEPING:
        if lifeline.STOPPING.is_set():  # the lock may be gone: write nothing more
            return Cancelled(message="the run is stopping")
        state.mark_done(segment, shard.name, result)
    get_run_logger().info(
        "%s pass %d: %d documents kept, %d rejected", shard.name, segment, result["passed_on"], result["rejected"]
    )
    return result


@task(name="merge-corpus-statistics", retries=1, retry_condition_fn=_worth_retrying)
def merge_statistics(cfg: PipelineConfig, segment: int, shard_names: list[str], out_dir: str) -> str:
    return _run(merge_partials, cfg, segment, shard_names, out_dir)


def _shard_bytes(shard: Shard) -> int:
    try:
        return sum((p.end if p.end is not None else file_size(p.path)) - p.start for p in shard.pieces)
    except OSError:  # an input that cannot be stat'ed: read as a reject, weighs nothing for the progress line
        return 0


@flow(
    name="boilerclean",
    flow_run_name="boilerclean-{output}",
    validate_parameters=True,
    task_runner=ThreadPoolTaskRunner(max_workers=16),
)
def clean_corpus(
    cfg: PipelineConfig,
    inputs: list[str],
    output: str,
    full: bool = False,
    wait_s: float = 0.0,
    on_busy: Literal["fail", "skip"] = "fail",
) -> dict[str, Any]:
    """Clean ``inputs`` into ``output``: clean/ and rejected/ parts, report.json, README.md.

    Incremental: input files already processed into ``output`` (same config) are skipped;
    ``full`` reprocesses everything. Resumable: an interrupted run of the same command picks
    up where it stopped. Exclusive: a second run on the same output waits ``wait_s``, then fails
    (``on_busy: fail``, the command line's choice) or ends as Cancelled/"Skipped" without touching
    anything (``skip``, what scheduled runs use: the run holding the lock does the work).
    """
    out = Path(output)
    try:
        lock = OutputLock(out, wait_s).__enter__()
    except OutputBusyError as busy:
        if on_busy == "skip":
            get_run_logger().warning("skipped: %s", busy)
            return Cancelled(name="Skipped", message=f"skipped: {busy}")
        raise
    try:
        return _clean_locked(cfg, inputs, out, full)
    finally:
        lock.__exit__(None, None, None)


def _clean_locked(cfg: PipelineConfig, inputs: list[str], out: Path, full: bool) -> dict[str, Any]:
    global _POOL
    logger = get_run_logger()
    lifeline.STOPPING.clear()
    started = time.perf_counter()
    plan = plan_run(cfg, inputs, out, full, logger)
    manifest, pending, shards, state, resumed = plan.manifest, plan.pending, plan.shards, plan.state, plan.resumed
    passes = cfg.passes()
    logger.info(
        "%d input file(s), %d new or changed -> %d shard(s), %d pass(es), runner %s x%d%s",
        plan.listed, len(pending.todo), len(shards), passes, cfg.runner.type, cfg.runner.workers,
        " (resuming an interrupted run)" if resumed else "",
    )  # fmt: skip

    sizes = {s.name: _shard_bytes(s) for s in shards}
    progress = ProgressLine(passes * sum(sizes.values()))
    own_pool = cfg.runner.type == "local" and shards and _POOL is None
    if own_pool:
        _POOL = WorkerPool(cfg)
    results: list[dict[str, Any]] = []
    try:
        names = [s.name for s in shards]
        for segment in range(passes):
            if segment > 0 and not state_path(out, segment).exists():
                merge_statistics(cfg, segment, names, str(out))
            todo_shards = []
            for shard in shards:
                done = state.done(segment, shard.name) if resumed else None
                if done is not None and done.get("outputs") and outputs_problem(out, done["outputs"]):
                    done = None  # its part was published, then lost or altered: do it again
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
    except BaseException:
        # Stop every worker now, and wait out a task that is recording a finished pass: after this,
        # nothing of this run writes into the output (the lock is released only after it).
        lifeline.STOPPING.set()
        with lifeline.BOOKKEEPING:
            pass
        if _POOL is not None:
            _POOL.kill()
        raise
    finally:
        progress.close()
        if own_pool:
            _POOL.shutdown()
            _POOL = None

    run_info = {
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "files": len(pending.todo),
        "shards": [s.name for s in shards],
        "seconds": round(time.perf_counter() - started, 3),
    }
    manifest.record(shards, results, pending.dropped, pending.snapshots, run_info)
    manifest.save(cfg.fingerprint())
    shutil.rmtree(out / WORK, ignore_errors=True)
    changed = manifest.changed_while_read()
    if changed:
        logger.warning(
            "%d input(s) changed while this run read them; the next run processes them again: %s",
            len(changed), ", ".join(changed[:10]),
        )  # fmt: skip
    return _report(cfg, inputs, out, manifest, results, len(pending.todo), shards, passes, run_info["seconds"])


def _report(cfg, inputs, out, manifest, results, n_files, shards, passes, seconds) -> dict[str, Any]:
    """report.json and the dataset card, with the documents counted from the part files."""
    this_run = build_report(results, [s.name for s in cfg.stages], {})
    report = build_report(
        manifest.all_results(),
        [s.name for s in cfg.stages],
        {
            "this_run": {
                "files": n_files,
                "shards": len(shards),
                "documents": this_run["documents"],
                "shard_seconds": this_run["shard_seconds"],
            },
            "parts": len(manifest.parts),
            "passes": passes,
            "workers": cfg.runner.workers,
            "config_fingerprint": manifest.fingerprint,
            "seconds": seconds,
            "inputs": inputs,
            "inputs_removed": len(manifest.removed_inputs()),
            "inputs_changed_while_read": manifest.changed_while_read(),
        },
        on_disk=manifest.records_on_disk(),
        disk_problems=manifest.check_sizes(),
    )
    write_atomic(out / "report.json", orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
    write_atomic(out / "README.md", render_card(report, cfg.model_dump(mode="json", by_alias=True)).encode())
    create_table_artifact(key="boilerclean-stages", table=stage_table(report), description="per-stage counts")
    create_markdown_artifact(key="boilerclean-summary", markdown=markdown_summary(report))
    d = report["documents"]
    get_run_logger().info("done: %d in, %d clean, %d rejected -> %s", d["in"], d["clean"], d["rejected"], out)
    if not report["accounting_ok"]:
        raise RuntimeError(f"accounting broken: {d} {report['disk_problems']} (report in {out / 'report.json'})")
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
    """Flow parameters as plain JSON, as a deployment stores them.

    A scheduled run that finds the output locked (a manual run, or an earlier run still going)
    skips instead of failing: the run holding the lock processes whatever is new.
    """
    return {"cfg": cfg.model_dump(mode="json", by_alias=True), "inputs": inputs, "output": output, "on_busy": "skip"}


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
        _POOL = WorkerPool(cfg)
    try:
        if server is not None:
            server.wait_ready(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
        with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            return flow_for(cfg)(cfg=cfg, inputs=inputs, output=output, full=full, wait_s=wait_s)
    except BaseException:
        if _POOL is not None:
            _POOL.kill()
        raise
    finally:
        if _POOL is not None:
            _POOL.shutdown()
            _POOL = None
