"""Scale-out through Prefect's Dask task runner on a real local Dask cluster (loopback only)."""

import json

import pytest

from cleaners.config import parse_config
from flows.flow import run_flow

pytestmark = pytest.mark.integration


def test_dask_runner_gives_the_same_output_as_local(tmp_path):
    pytest.importorskip("prefect_dask")
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
    dask = run_flow(parse_config(dict(base, runner={"type": "dask", "workers": 2})), [str(inp)], str(tmp_path / "dask"))
    assert dask["documents"] == local["documents"] == {"in": 300, "clean": 299, "rejected": 1}
    for sub in ("clean", "rejected"):
        a = {p.name: p.read_bytes() for p in (tmp_path / "local" / sub).glob("*.jsonl")}
        b = {p.name: p.read_bytes() for p in (tmp_path / "dask" / sub).glob("*.jsonl")}
        assert a == b and a
    assert len(list((tmp_path / "dask" / "clean").glob("*.jsonl"))) > 2
