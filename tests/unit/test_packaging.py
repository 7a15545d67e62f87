"""The installed layout: one namespace, every package folder shipped, no import circles, no Prefect in the library.

These read the source tree, not an installed wheel (CI's wheel check in ``.ci/run`` does that), so
a package folder that pyproject forgets or a circle between modules fails here, in seconds.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from boilerclean.cleaners.resources import CONFIGS_DIR, resolve_config, shipped_configs

REPO = Path(__file__).resolve().parents[2]
NAMESPACE = {"cleaners": "boilerclean.cleaners", "flows": "boilerclean.flows"}


def _modules() -> dict[str, Path]:
    """Every module of the two code folders, by its installed dotted name."""
    found = {}
    for folder, dotted in NAMESPACE.items():
        for path in (REPO / folder).rglob("*.py"):
            rel = path.relative_to(REPO / folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            found[".".join([dotted, *parts])] = path
    return found


def _imports(path: Path, known: set[str]) -> set[str]:
    """Modules of ours that ``path`` imports anywhere: a lazy or TYPE_CHECKING import is still a dependency."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                out.add(full if full in known else node.module)
        elif isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
    return {m for m in out if m in known}


def test_every_package_folder_is_installed():
    declared = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join([NAMESPACE[p.relative_to(REPO).parts[0]], *p.parent.relative_to(REPO).parts[1:]])
        for folder in NAMESPACE
        for p in (REPO / folder).rglob("__init__.py")
    }
    assert on_disk | {"boilerclean.configs"} == declared


def test_no_import_circle():
    modules = _modules()
    graph = {name: _imports(path, set(modules)) for name, path in modules.items()}
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                pytest.fail("import circle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name)


def test_library_never_imports_prefect():
    for name, path in _modules().items():
        if not name.startswith("boilerclean.cleaners"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            assert not any(n.split(".")[0] in {"prefect", "prefect_dask", "prefect_ray"} for n in names), name


def test_shipped_configs_resolve_by_name_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert {"news-text", "news-html", "page-text", "dataset"} <= set(shipped_configs())
    for name in shipped_configs():
        assert resolve_config(name) == CONFIGS_DIR / f"{name}.yaml"
        assert resolve_config(f"{name}.yaml") == CONFIGS_DIR / f"{name}.yaml"


def test_a_local_file_wins_over_a_shipped_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "news-text.yaml").write_text("stages: []\n")
    assert resolve_config("news-text.yaml") == Path("news-text.yaml")
    assert resolve_config("missing/news-text.yaml") == Path("missing/news-text.yaml")
