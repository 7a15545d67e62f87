"""A killable worker for one shard pass: per-document, per-stage time limits that really stop work.

Python cannot interrupt a thread stuck in C code (lxml on a hostile page, a catastrophic
regex), and trafilatura has no in-process limit. So the pass runs in a child process that
publishes, in shared memory, which document and which stage it is on. The parent watches;
when one (document, stage) holds longer than its limit, or the child dies, the parent kills
it and starts a new child that skips that document, which goes to the rejects as
``timeout:<stage>`` (or the stage's own timeout reason) or, after crashing a worker twice,
``crash:<stage>``. The child re-does the shard from the start into fresh temp files, so
outputs stay byte-identical to an uninterrupted run and nothing is duplicated.

A shard pays one fork (copy-on-write, milliseconds) and no per-document IPC.
"""

from __future__ import annotations

import multiprocessing
import threading
import time
from typing import Any

from boilerclean.flows import lifeline

POLL_S = 0.05


class Progress:
    """Three shared int64 slots the child writes and the parent reads: doc ordinal, stage, tick."""

    __slots__ = ("arr",)

    def __init__(self, ctx) -> None:
        self.arr = ctx.Array("q", 3, lock=False)
        self.arr[0] = -1
        self.arr[1] = -1

    def at(self, doc: int, stage: int) -> None:
        arr = self.arr
        arr[0] = doc
        arr[1] = stage
        arr[2] += 1

    def stage(self, stage: int) -> None:
        arr = self.arr
        arr[1] = stage
        arr[2] += 1

    def read(self) -> tuple[int, int, int]:
        arr = self.arr
        return arr[0], arr[1], arr[2]


def _child(conn, fn, args, kwargs) -> None:
    # killed with the worker that watches it: a pass nobody collects must not go on writing
    lifeline.die_with_parent()
    lifeline.ignore_interrupts()
    try:
        conn.send(("ok", fn(*args, **kwargs)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which decides
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _context():
    # fork is instant and inherits the built stages; it is only safe without other threads.
    return multiprocessing.get_context("fork" if threading.active_count() == 1 else "forkserver")


def supervise(
    fn,
    args: tuple,
    limits: list[float],
    stage_names: list[str],
    timeout_reasons: list[str],
) -> dict[str, Any]:
    """Run ``fn(*args, progress=..., skips=...)`` in killable children until it completes.

    ``fn`` must report progress through ``Progress.at`` / ``Progress.stage`` and honour
    ``skips``: {doc ordinal: (stage index, reason, details)} documents to reject unseen.
    """
    skips: dict[int, tuple[int, str, dict[str, Any]]] = {}
    crashes: dict[int, int] = {}
    ctx = _context()
    while True:
        progress = Progress(ctx)
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_child, args=(send, fn, args, {"progress": progress, "skips": dict(skips)}))
        proc.start()
        send.close()
        last_tick, since = -1, time.monotonic()
        outcome = None
        while outcome is None:
            if recv.poll(POLL_S):
                try:
                    outcome = recv.recv()
                except EOFError:
                    outcome = ("died", None)
                break
            if not proc.is_alive():
                outcome = ("died", None) if not recv.poll(0) else recv.recv()
                break
            doc, stage, tick = progress.read()
            now = time.monotonic()
            if tick != last_tick:
                last_tick, since = tick, now
            elif doc >= 0 and 0 <= stage < len(limits) and limits[stage] and now - since > limits[stage]:
                proc.kill()
                outcome = ("timeout", (doc, stage, now - since))
        proc.join()
        recv.close()
        kind, payload = outcome
        if kind == "ok":
            return payload
        if kind == "error":
            raise RuntimeError(f"shard pass failed: {payload}")
        if kind == "timeout":
            doc, stage, held = payload
            skips[doc] = (stage, timeout_reasons[stage], {"seconds": round(held, 2), "limit_s": limits[stage]})
            continue
        doc, stage, _ = progress.read()
        if doc < 0 or stage < 0:
            raise RuntimeError(f"shard worker died outside any document (exit code {proc.exitcode})")
        crashes[doc] = crashes.get(doc, 0) + 1
        if crashes[doc] >= 2:
            skips[doc] = (stage, f"crash:{stage_names[stage]}", {"exit_code": proc.exitcode})


__all__ = ["Progress", "supervise"]
