"""The scheduled use: a deployment's flow run twice, a new file arriving in between (no cron wait)."""

import asyncio
import datetime as dt
import json

import pytest

from boilerclean.cleaners.config import parse_config
from boilerclean.flows.flow import clean_corpus, deployment_parameters

pytestmark = pytest.mark.integration

CFG = parse_config({"stages": [{"name": "normalize_whitespace"}, {"name": "filter_empty"}]})


def test_schedule_definition():
    from prefect.server.schemas.schedules import CronSchedule

    dep = clean_corpus.to_deployment(
        name="hourly", cron="0 * * * *", parameters=deployment_parameters(CFG, ["in"], "out")
    )
    assert dep.schedules[0].schedule.cron == "0 * * * *"
    dates = asyncio.run(
        CronSchedule(cron="0 * * * *", timezone="UTC").get_dates(n=3, start=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    )
    assert [d.hour for d in dates] == [0, 1, 2]


def test_deployment_runs_incrementally(tmp_path):
    from prefect import get_client
    from prefect.deployments import run_deployment
    from prefect.runner import Runner

    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    (inp / "a.txt").write_text("first document", encoding="utf-8")
    runner = Runner(name="ci-runner")
    runner.add_flow(
        clean_corpus, name="hourly-ci", cron="0 * * * *", parameters=deployment_parameters(CFG, [str(inp)], str(out))
    )

    def trigger():
        asyncio.run(runner.start(run_once=True))  # registers the deployment
        flow_run = run_deployment("boilerclean/hourly-ci", timeout=0)
        asyncio.run(runner.start(run_once=True))  # executes the scheduled-now run in a subprocess
        with get_client(sync_client=True) as client:
            assert client.read_flow_run(flow_run.id).state.is_completed()
        return json.loads((out / "report.json").read_text())

    first = trigger()
    assert first["this_run"]["files"] == 1 and first["documents"]["clean"] == 1
    (inp / "b.txt").write_text("second document", encoding="utf-8")
    second = trigger()
    assert second["this_run"]["files"] == 1 and second["documents"] == {"in": 2, "clean": 2, "rejected": 0}


def _states(client, runs):
    return [client.read_flow_run(r.id).state for r in runs]


def test_late_runs_collapse_into_one_and_serving_stops_by_pausing_the_schedule(tmp_path):
    """What `boilerclean serve` sets up: after an outage, the backlog of late runs becomes one run
    (the others are cancelled, none fails), and stopping the runner pauses the schedule."""
    from prefect import get_client
    from prefect.client.schemas.objects import StateType
    from prefect.deployments import run_deployment

    from boilerclean.flows.serve import serve_runner

    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    (inp / "a.txt").write_text("first document", encoding="utf-8")
    runner = serve_runner(CFG, [str(inp)], str(out), "backlog-ci", "0 * * * *")
    asyncio.run(runner.start(run_once=True))  # registers the deployment (and pauses it on the way out)
    now = dt.datetime.now(dt.UTC)
    late = [
        run_deployment("boilerclean/backlog-ci", timeout=0, scheduled_time=now - dt.timedelta(hours=h))
        for h in (3, 2, 1)
    ]
    asyncio.run(runner.start(run_once=True))
    with get_client(sync_client=True) as client:
        states = _states(client, late)
        deployment = client.read_deployment_by_name("boilerclean/backlog-ci")
    # the runner starts every due run at once; the first takes the deployment's only slot
    assert sorted(s.type for s in states) == sorted([StateType.COMPLETED, StateType.CANCELLED, StateType.CANCELLED])
    assert all("concurrency limit" in s.message for s in states if s.type == StateType.CANCELLED)
    assert json.loads((out / "report.json").read_text())["documents"]["clean"] == 1
    assert deployment.paused


def test_a_scheduled_run_that_finds_the_output_locked_is_skipped_not_failed(tmp_path):
    from prefect import get_client
    from prefect.client.schemas.objects import StateType
    from prefect.deployments import run_deployment

    from boilerclean.flows.serve import serve_runner
    from boilerclean.flows.state import OutputLock

    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    (inp / "a.txt").write_text("first document", encoding="utf-8")
    runner = serve_runner(CFG, [str(inp)], str(out), "busy-ci", "0 * * * *")
    asyncio.run(runner.start(run_once=True))
    flow_run = run_deployment("boilerclean/busy-ci", timeout=0)
    with OutputLock(out):  # a manual run is writing this output
        asyncio.run(runner.start(run_once=True))
    with get_client(sync_client=True) as client:
        state = client.read_flow_run(flow_run.id).state
    assert state.type == StateType.CANCELLED and state.name == "Skipped", state
    assert "another boilerclean run is writing" in state.message
    assert not (out / "report.json").exists()
