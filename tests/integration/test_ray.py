"""Scale-out through Prefect's Ray task runner on a local Ray instance (the optional ``[ray]`` extra).

CI installs the locked dependencies without Ray, so this skips there; with ``pip install -e '.[ray]'``
it starts a real local Ray and checks the output against the local runner's, byte for byte.
"""

import json

import pytest

from cleaners.config import parse_config
from flows.flow import run_flow

pytestmark = pytest.mark.integration


def test_ray_runner_gives_the_same_output_as_local(tmp_path):
    pytest.importorskip("prefect_ray")
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
    ray = run_flow(parse_config(dict(base, runner={"type": "ray", "workers": 2})), [str(inp)], str(tmp_path / "ray"))
    assert ray["documents"] == local["documents"] == {"in": 300, "clean": 299, "rejected": 1}
    for sub in ("clean", "rejected"):
        a = {p.name: p.read_bytes() for p in (tmp_path / "local" / sub).glob("*.jsonl")}
        b = {p.name: p.read_bytes() for p in (tmp_path / "ray" / sub).glob("*.jsonl")}
        assert a == b and a
