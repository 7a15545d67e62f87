"""The shipped needle table (needles.json): current, used, and never able to change a build."""

from __future__ import annotations

import json

import pytest

from boilerclean.cleaners.stages.artifacts import needles, needletable


def test_the_shipped_table_is_current():
    made_by = json.loads(needles.TABLE.read_text(encoding="utf-8"))["python"]
    if made_by != needles.PYTHON:
        pytest.skip(f"the table is made with Python {made_by}; this Python derives the needles itself")
    # fails after a pack or the derivation code changes until `make needles` rewrites the table
    assert needles.TABLE.read_text(encoding="utf-8") == needletable.table(), "run `make needles`"


def test_every_shipped_pattern_is_read_from_the_table():
    table = needles.shipped()
    if not table:
        pytest.skip("no table for this Python (see test_the_shipped_table_is_current)")
    assert set(table) == set(needletable.shipped_patterns())
    assert all(table[p] == needles.derive(p) for p in table)


def test_a_pattern_the_table_lacks_is_derived():
    pattern = r"^\s*my own sign[- ]off\b"
    assert pattern not in needles.shipped()
    assert needles.needs(pattern) == needles.derive(pattern)
    assert needles.needs(pattern).cheap == ("my own sign",)  # derived, not an empty "nothing known"


def _stale(path):
    data = json.loads(needles.TABLE.read_text(encoding="utf-8"))
    data["stamp"] = "0" * 16  # written by other derivation code
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize(
    "make", [_stale, lambda path: path.write_text("{not json", encoding="utf-8"), lambda path: None]
)
def test_a_stale_broken_or_missing_table_is_ignored(tmp_path, monkeypatch, make):
    path = tmp_path / "needles.json"
    make(path)
    monkeypatch.setattr(needles, "TABLE", path)
    needles.shipped.cache_clear()
    try:
        assert needles.shipped() == {}
    finally:
        needles.shipped.cache_clear()
