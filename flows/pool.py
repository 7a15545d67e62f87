"""The flow's shard workers: a process pool that dies with the run and says why a worker died.

Pool processes come from a forkserver because the flow's process has Prefect's threads, and
fork() with threads is unsafe; each pool process is single-threaded, so the per-shard watchdog
(flows/guard.py) can fork() its killable child cheaply there. The forkserver, every worker and
every shard child die with their parent (flows/lifeline.py), so killing the run kills them all.

A worker that cannot build its stages (a config naming a rule pack that does not exist) does not
die in the pool's initializer, which would leave only "BrokenProcessPool: A child process
terminated abruptly": the build error is raised again by the first shard pass, as the run's error.
A worker that dies (OOM killer, a crash outside the watchdog) is reported with its exit status,
and the pool is replaced so that the task's retry has somewhere to run.
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
import threading
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from boilerclean.cleaners import catalog
from boilerclean.cleaners.config import PipelineConfig
from boilerclean.flows import lifeline
from boilerclean.flows.shard import warm_up


class WorkerDiedError(RuntimeError):
    """A pool process died while it ran a shard pass."""


def _stage_entries(cfg: PipelineConfig) -> dict[str, str]:
    return {spec.name: catalog.STAGES[spec.name] for spec in cfg.stages}


def _init_worker(cfg: PipelineConfig, entries: dict[str, str]) -> None:
    lifeline.die_with_parent()
    lifeline.ignore_interrupts()
    # stages registered at run time in the parent (a plugin, a test's stage) exist here too
    missing = {name: where for name, where in entries.items() if catalog.STAGES.get(name) != where}
    if missing:
        catalog.STAGES.update(missing)
        catalog.stage_class.cache_clear()
    try:
        warm_up(cfg)
    except Exception:  # noqa: BLE001 - raised again, with its message, by the first shard pass
        pass


def _describe_exit(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        name = signal.Signals(-code).name
        hint = " (the out-of-memory killer, or someone's kill -9?)" if -code == signal.SIGKILL else ""
        return f"killed by {name}{hint}"
    return f"exited with status {code}"


def _death_cause(executor: cf.ProcessPoolExecutor, wait_s: float = 30.0) -> str:
    """Why a broken pool broke, from its processes' exit statuses, read once the pool has reaped them.

    Why wait: the pool's manager thread fails the futures first, then terminates and joins the
    processes. An exit status read meanwhile races it on the forkserver's status pipe, and the loser
    reads EOF, which multiprocessing reports as status 255: a worker killed by SIGKILL was reported
    as "exited with status 255" (a flaky test showed it).
    """
    processes = list((getattr(executor, "_processes", None) or {}).values())
    manager = getattr(executor, "_executor_manager_thread", None)
    if manager is not None and manager is not threading.current_thread():
        manager.join(wait_s)
    codes = [p.exitcode for p in processes if p.exitcode]
    # the pool terminates the other workers once one died: name the death that broke it
    codes = [c for c in codes if c != -signal.SIGTERM] or codes
    return ", ".join(sorted({_describe_exit(c) for c in codes})) or "it terminated abruptly"


class WorkerPool:
    """``workers`` processes with the stages built; ``run`` a function there, ``kill`` them all at once."""

    def __init__(self, cfg: PipelineConfig) -> None:
        self.cfg = cfg
        self._lock = threading.Lock()
        self._broken: tuple[cf.ProcessPoolExecutor, str] | None = None  # the last pool that broke, and why
        self._executor = self._start()

    def _start(self) -> cf.ProcessPoolExecutor:
        lifeline.mark_children_of_this_process()
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["boilerclean.flows.lifeline", "boilerclean.flows.shard"])
        workers = self.cfg.runner.workers
        executor = cf.ProcessPoolExecutor(
            workers, mp_context=ctx, initializer=_init_worker, initargs=(self.cfg, _stage_entries(self.cfg))
        )
        for _ in range(workers):  # start every worker now (the pool spawns them on demand)
            executor.submit(os.getpid)
        return executor

    def run(self, fn, *args) -> Any:
        """``fn(*args)`` in a worker; a dead worker becomes ``WorkerDiedError`` naming its exit status."""
        if lifeline.STOPPING.is_set():
            raise WorkerDiedError("the run is stopping")
        with self._lock:
            executor = self._executor
        try:
            return executor.submit(fn, *args).result()
        except BrokenProcessPool:
            with self._lock:
                # every task of a broken pool asks why; the first works it out, the others read its answer
                if self._broken is None or self._broken[0] is not executor:
                    self._broken = (executor, _death_cause(executor))
                cause = self._broken[1]
                if self._executor is executor and not lifeline.STOPPING.is_set():
                    executor.shutdown(wait=False, cancel_futures=True)
                    self._executor = self._start()
            raise WorkerDiedError(f"a shard worker died: {cause}") from None

    def kill(self) -> None:
        """Stop every worker now (their shard children follow them) and wait until they are gone."""
        with self._lock:
            executor = self._executor
        processes = list((getattr(executor, "_processes", None) or {}).values())
        for proc in processes:
            if proc.is_alive():
                proc.kill()
        for proc in processes:
            proc.join(10)
        executor.shutdown(wait=False, cancel_futures=True)

    def shutdown(self) -> None:
        with self._lock:
            self._executor.shutdown(cancel_futures=True)
