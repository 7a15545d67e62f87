"""Scheduled runs: a deployment served by one process, one run at a time, nothing piling up.

Three things go wrong with a naive schedule, and each has its answer here:

* **Collisions**: an hourly run that takes two hours would overlap the next. The deployment has a
  concurrency limit of one with ``CANCEL_NEW``: a run due while one is going is cancelled, not
  queued (it would only start after the first with nothing left to do). The run that holds the
  output processes whatever arrived meanwhile, because runs are incremental.
* **A busy output**: a manual ``boilerclean run`` on the same folder holds its lock; a scheduled run
  that finds it held ends as Cancelled ("Skipped") instead of failing (``on_busy: skip``).
* **A backlog**: while nothing serves the deployment, the server would go on creating runs, and a
  restarted ``serve`` would start them all at once. When ``serve`` stops (Ctrl-C, SIGTERM) it pauses
  the schedule; serving again resumes it. If ``serve`` was killed without a chance to pause, the late
  runs it finds collide on the concurrency limit: one runs, the others are cancelled.
"""

from __future__ import annotations

import asyncio
from typing import Any

from boilerclean.cleaners.config import PipelineConfig
from boilerclean.flows.flow import deployment_parameters, flow_for


def one_run_at_a_time():
    """A deployment's concurrency: one run at a time; a run due while one is going is cancelled."""
    from prefect.client.schemas.objects import ConcurrencyLimitConfig, ConcurrencyLimitStrategy

    return ConcurrencyLimitConfig(limit=1, collision_strategy=ConcurrencyLimitStrategy.CANCEL_NEW)


def serve_runner(cfg: PipelineConfig, inputs: list[str], output: str, name: str, cron: str) -> Any:
    """The Prefect runner that ``boilerclean serve`` starts, with its one deployment added."""
    from prefect.runner import Runner

    runner = Runner(name=name, pause_on_shutdown=True)
    runner.add_flow(
        flow_for(cfg),
        name=name,
        cron=cron,
        parameters=deployment_parameters(cfg, inputs, output),
        concurrency_limit=one_run_at_a_time(),
    )
    return runner


def serve(cfg: PipelineConfig, inputs: list[str], output: str, name: str, cron: str) -> None:
    """Serve until stopped; stopping pauses the schedule (see the module doc)."""
    from prefect.exceptions import TerminationSignal

    runner = serve_runner(cfg, inputs, output, name, cron)
    print(f"serving boilerclean/{name} on {cron!r}; Ctrl-C stops serving and pauses the schedule", flush=True)
    try:
        asyncio.run(runner.start())
    except (KeyboardInterrupt, TerminationSignal):
        print(f"stopped serving boilerclean/{name}; its schedule is paused until served again", flush=True)
