"""The shipped deployment's protection against piled-up and colliding scheduled runs (prefect.yaml)."""

from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]


def test_prefect_yaml_runs_one_at_a_time_and_skips_a_busy_output():
    spec = yaml.safe_load((REPO / "prefect.yaml").read_text(encoding="utf-8"))
    for deployment in spec["deployments"]:
        assert deployment["concurrency_limit"] == {"limit": 1, "collision_strategy": "CANCEL_NEW"}
        assert deployment["parameters"]["on_busy"] == "skip"
