"""The Prefect flow: plan shards, run each pass of the chain as one task per shard, report.

No ``from __future__ import annotations`` here: Prefect validates the pydantic ``cfg``
parameter of deployment runs from the annotations, and string annotations break that
(see ../shared/PREFECT.md, gotcha 5).

Parallelism. ``runner.type: local`` runs shard tasks on a bounded thread pool, and each task
hands its shard to a process pool (``workers`` processes) that the flow owns. The pool
processes import only ``cleaners`` and ``flows.shard``, never Prefect, so embedded mode
keeps a single temporary API server (a process-based task runner would start one per
worker). ``dask`` and ``ray`` use Prefect's own runners on an existing cluster.
"""

import concurrent.futures as cf
import multiprocessing
import shutil
import time
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task, unmapped
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.task_runners import ThreadPoolTaskRunner

from cleaners.config import PipelineConfig
from cleaners.readers import Shard, plan_shards
from flows.report import build_report, markdown_summary, stage_table
from flows.shard import WORK, merge_partials, run_segment_guarded, segments_for

_POOL: cf.ProcessPoolExecutor | None = None


def _run(fn, *args):
    """Run in the flow's process pool when there is one, else right here."""
    if _POOL is not None:
        return _POOL.submit(fn, *args).result()
    return fn(*args)


@task(name="clean-shard", retries=2, retry_delay_seconds=[1, 5], task_run_name="{shard.name}-pass{segment}")
def clean_shard(shard: Shard, segment: int, cfg: PipelineConfig, out_dir: str) -> dict[str, Any]:
    """One pass over one shard; retried whole (outputs are written atomically, so a retry is safe)."""
    result = _run(run_segment_guarded, shard, segment, cfg, out_dir)
    get_run_logger().info("%s pass %d: %d clean, %d rejected", shard.name, segment, result["clean"], result["rejected"])
    return result


@task(name="merge-corpus-statistics", retries=1)
def merge_statistics(cfg: PipelineConfig, segment: int, shard_names: list[str], out_dir: str) -> str:
    return _run(merge_partials, cfg, segment, shard_names, out_dir)


def _prepare_output(out: Path) -> None:
    """Clear the parts of an earlier run: a run's output is exactly its own shards."""
    for sub in ("clean", "rejected"):
        d = out / sub
        if d.exists():
            for p in d.glob("part-*.jsonl*"):
                p.unlink()
    shutil.rmtree(out / WORK, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)


def _write_report(out: Path, report: dict[str, Any]) -> None:
    import orjson

    tmp = out / "report.json.tmp"
    tmp.write_bytes(orjson.dumps(report, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE))
    tmp.replace(out / "report.json")


@flow(name="boilerclean", flow_run_name="boilerclean-{output}", validate_parameters=True)
def clean_corpus(cfg: PipelineConfig, inputs: list[str], output: str) -> dict[str, Any]:
    """Clean ``inputs`` into ``output``: clean/ and rejected/ parts plus report.json."""
    global _POOL
    logger = get_run_logger()
    started = time.perf_counter()
    out = Path(output)
    _prepare_output(out)
    shards = plan_shards(inputs, cfg.shard.max_bytes, cfg.input.follow_symlinks)
    passes = len(segments_for(cfg))
    logger.info("%d shard(s), %d pass(es), runner %s x%d", len(shards), passes, cfg.runner.type, cfg.runner.workers)

    if cfg.runner.type == "local" and shards:
        # Pool processes are single-threaded, so the per-shard watchdog can fork() its killable
        # worker cheaply there; the pool itself comes from a forkserver because this process has
        # Prefect's threads, and fork() with threads is unsafe.
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["flows.shard"])
        _POOL = cf.ProcessPoolExecutor(min(cfg.runner.workers, len(shards)), mp_context=ctx)
    try:
        results: list[dict[str, Any]] = []
        names = [s.name for s in shards]
        for segment in range(passes):
            if segment > 0:
                merge_statistics(cfg, segment, names, str(out))
            futures = clean_shard.map(shards, segment=segment, cfg=unmapped(cfg), out_dir=unmapped(str(out)))
            results.extend(futures.result())
    finally:
        if _POOL is not None:
            _POOL.shutdown(cancel_futures=True)
            _POOL = None
    shutil.rmtree(out / WORK, ignore_errors=True)

    report = build_report(
        results,
        [s.name for s in cfg.stages],
        {
            "shards": len(shards),
            "passes": passes,
            "workers": cfg.runner.workers,
            "config_fingerprint": cfg.fingerprint(),
            "seconds": round(time.perf_counter() - started, 3),
            "inputs": inputs,
        },
    )
    _write_report(out, report)
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
    return ThreadPoolTaskRunner(max_workers=min(r.workers, 64))


def run_flow(cfg: PipelineConfig, inputs: list[str], output: str) -> dict[str, Any]:
    """Run the flow with the configured task runner and heartbeats off (they cost ~1 s per run)."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        return clean_corpus.with_options(task_runner=task_runner_for(cfg))(cfg=cfg, inputs=inputs, output=output)
