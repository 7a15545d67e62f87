"""Scale-out through Prefect's Dask and Ray task runners on real local clusters (loopback only).

Ray is the optional ``[ray]`` extra: CI installs the lock without it, so its case skips there; with
``pip install -e '.[ray]'`` it starts a real local Ray. Each runner's output is compared with the
local runner's, byte for byte.
"""

import json

import pytest

from boilerclean.cleaners.config import parse_config
from boilerclean.flows.flow import run_flow

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(("runner", "package"), [("dask", "prefect_dask"), ("ray", "prefect_ray")])
def test_cluster_runner_gives_the_same_output_as_local(runner, package, tmp_path):
    pytest.importorskip(package)
    inp = tmp_path / "in"
    inp.mkdir()
    rows = [json.dumps({"id": f"d{i}", "text": f"Document {i} with CafÃ© and words enough."}) for i in range(300)]
    rows[10] = "broken"
    (inp / "a.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    base = {
        "stages": [{"name": "fix_encoding"}, {"name": "normalize_whitespace"}, {"name": "filter_empty"}],
        "shard": {"max_bytes": 4000},
    }
    local = run_flow(parse_config(base), [str(inp)], str(tmp_path / "local"))
    cfg = parse_config(dict(base, runner={"type": runner, "workers": 2}))
    other = run_flow(cfg, [str(inp)], str(tmp_path / runner))
    assert other["documents"] == local["documents"] == {"in": 300, "clean": 299, "rejected": 1}
    for sub in ("clean", "rejected"):
        a = {p.name: p.read_bytes() for p in (tmp_path / "local" / sub).glob("*.jsonl")}
        b = {p.name: p.read_bytes() for p in (tmp_path / runner / sub).glob("*.jsonl")}
        assert a == b and a
    assert len(list((tmp_path / runner / "clean").glob("*.jsonl"))) > 2
