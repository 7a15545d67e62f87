"""The CLI commands that never start Prefect (clean, stages, validate), `run` refusing bad usage, and exit codes."""

import io
import json
import os
import sys
from pathlib import Path

import pytest

from boilerclean.flows.cli import EXIT_FAILED, EXIT_OK, EXIT_USAGE, main

SIMPLE = "stages:\n  - name: fix_encoding\n  - name: normalize_whitespace\n  - name: filter_empty\n"


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "simple.yaml"
    path.write_text(SIMPLE, encoding="utf-8")
    return str(path)


def feed_stdin(monkeypatch, data: bytes):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def test_clean_from_stdin(monkeypatch, capsys, config):
    feed_stdin(monkeypatch, "CafÃ©  opens\r\n\r\n\r\nat nine".encode())
    assert main(["clean", "--config", config]) == EXIT_OK
    assert capsys.readouterr().out == "Café opens\n\nat nine\n"


def test_clean_json_and_explain(tmp_path, capsys):
    path = tmp_path / "debris.yaml"
    path.write_text("stages:\n  - name: normalize_whitespace\n  - name: remove_artifacts\n", encoding="utf-8")
    doc = tmp_path / "a.txt"
    doc.write_text("Share\n\nThe council met on Tuesday to discuss the budget for the coming year.", encoding="utf-8")
    assert main(["clean", "--config", str(path), "--json", "--explain", str(doc)]) == EXIT_OK
    out, err = capsys.readouterr()
    assert json.loads(out) == {
        "id": "a.txt",
        "text": "The council met on Tuesday to discuss the budget for the coming year.",
        "title": "",
        "url": "",
        "sentences": None,
        "sentence_spans": None,
        "metadata": "{}",
    }
    assert "--- 1 removal(s)" in err and "[remove_artifacts] artifact:" in err and ": Share" in err


def test_clean_rejected_document_exits_1(monkeypatch, capsys, config):
    feed_stdin(monkeypatch, b"   \n\n  ")
    assert main(["clean", "--config", config]) == EXIT_FAILED
    assert "length:empty" in capsys.readouterr().err


def test_validate_ok_and_bad(tmp_path, capsys, config):
    assert main(["validate", config]) == EXIT_OK
    assert "OK (3 stages" in capsys.readouterr().out
    bad = tmp_path / "bad.yaml"
    bad.write_text("stages:\n  - name: nope\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert str(bad) in err and "unknown stage 'nope'" in err and "fix_encoding" in err


def _server_children() -> set[str]:
    """Pids of this process's live children that are Prefect API servers (Linux /proc)."""
    found = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        for pid in (task / "children").read_text().split():
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue  # it ended meanwhile
            if "prefect.server" in cmdline:
                found.add(pid)
    return found


def test_run_refuses_bad_usage_and_leaves_no_server_behind(tmp_path, capsys, config, monkeypatch):
    # `run` starts Prefect's API server first (its start is the longest); a refused command must stop it
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect"))
    linux = Path("/proc/self/task").exists()
    before = _server_children() if linux else set()  # other tests' servers in this process live on
    environ = dict(os.environ)
    try:
        assert main(["run", config]) == EXIT_USAGE
        assert main(["run", config, "-i", str(tmp_path / "missing"), "-o", str(tmp_path / "o")]) == EXIT_USAGE
        assert (
            main(["run", str(tmp_path / "no-such.yaml"), "-i", str(tmp_path), "-o", str(tmp_path / "o")]) == EXIT_USAGE
        )
    finally:  # `run` sets Prefect's defaults in the environment: they must not reach the next tests
        os.environ.clear()
        os.environ.update(environ)
    assert "input not found" in capsys.readouterr().err
    if linux:
        assert _server_children() - before == set()


def test_usage_error_is_exit_2():
    with pytest.raises(SystemExit) as exc:
        main(["frobnicate"])
    assert exc.value.code == EXIT_USAGE


def test_stages_lists_every_stage_with_parameters(capsys):
    from boilerclean.cleaners.catalog import STAGES

    assert main(["stages"]) == EXIT_OK
    out = capsys.readouterr().out
    for name in STAGES:
        assert f"\n{name}: " in "\n" + out
    assert "min_words (int, default 0)" in out


def test_validate_builds_the_stages_so_a_missing_rule_pack_fails_here(tmp_path, capsys):
    bad = tmp_path / "packs.yaml"
    bad.write_text("stages:\n  - name: remove_artifacts\n    packs: [no-such-pack]\n", encoding="utf-8")
    assert main(["validate", str(bad)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert str(bad) in err and "remove_artifacts" in err and "no-such-pack" in err


def test_validate_compiles_the_patterns_of_a_rule_pack(tmp_path, capsys):
    pack = tmp_path / "broken-pack.yaml"
    pack.write_text("rules:\n  - {id: x, family: test, pattern: '(unclosed'}\n", encoding="utf-8")
    config = tmp_path / "c.yaml"
    config.write_text(f"stages:\n  - name: remove_artifacts\n    packs: ['{pack}']\n", encoding="utf-8")
    assert main(["validate", str(config)]) == EXIT_USAGE
    assert "broken-pack" in capsys.readouterr().err


@pytest.mark.parametrize(
    "data",
    [b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8, __import__("gzip").compress(b"a gzipped text " * 200)],
    ids=["elf", "gzip"],
)
def test_clean_rejects_binary_input_as_run_does(tmp_path, capsys, config, data):
    path = tmp_path / "blob.txt"
    path.write_bytes(data)
    assert main(["clean", "--config", config, str(path)]) == EXIT_FAILED
    out, err = capsys.readouterr()
    assert out == "" and "read:binary" in err


def test_clean_refuses_a_folder_as_usage(tmp_path, capsys, config):
    assert main(["clean", "--config", config, str(tmp_path)]) == EXIT_USAGE
    assert "is a folder" in capsys.readouterr().err


def test_a_closed_pipe_ends_quietly():
    """`boilerclean stages | head -0`: the reader is gone before anything is written; no traceback,
    and SIGPIPE's exit status, as other tools give."""
    import subprocess

    proc = subprocess.Popen(
        [sys.executable, "-m", "boilerclean.flows.cli", "stages"], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141 and err == ""
