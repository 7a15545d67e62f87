"""A run's processes live and die together, and a signal stops the run in an orderly way.

Why: a run is a tree of processes (the CLI, Prefect's temporary server, the pool's forkserver, the
pool workers, each worker's killable shard child). When the CLI dies, by ``kill -9`` or the OOM
killer, nothing else tells the others: they used to go on writing into the output after the lock
was free and a new run had started. So every process of the tree asks the kernel to kill it when
its parent dies (Linux ``PR_SET_PDEATHSIG``; the forkserver watches its parent process instead, see
``watch_parent``): the chain CLI -> forkserver -> worker -> shard child unwinds from the top, whatever
killed the top.

A signal to the CLI itself (Ctrl-C, ``kill``, a supervisor's SIGTERM) is turned into ``Interrupted``
in the main thread; the flow then kills its workers, waits for them, releases the lock and the CLI
exits 130 (SIGINT) or 143 (SIGTERM) with one line. A second signal exits at once.
Workers and shard children ignore SIGINT: Ctrl-C reaches the whole terminal process group, and the
stop is the CLI's to conduct, not each child's to improvise.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator

# Set by the CLI's process before it starts the pool's forkserver, so that the forkserver (and only
# it: its parent is that process) knows to die with its parent when it imports this module.
PARENT_ENV = "BOILERCLEAN_RUN_PID"

# Set once a run is being stopped: no task retries, no new shard passes.
STOPPING = threading.Event()
_received: list[int] = []  # signals this process got while stop_on_signals() was active
# Held while a shard task records a finished pass: a stopping flow takes it once after setting
# STOPPING, after which no task of the run writes into the output again. (Here, not in the flow
# module: a task that Dask pickles by value must not carry a lock in its globals.)
BOOKKEEPING = threading.Lock()


class Interrupted(KeyboardInterrupt):
    """The run was asked to stop by a signal; a KeyboardInterrupt so that Prefect reports it as one."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def __str__(self) -> str:
        return signal.Signals(self.signum).name


def die_with_parent(sig: int = signal.SIGKILL) -> None:
    """Have the kernel send ``sig`` to this process when its parent dies (Linux; elsewhere a no-op).

    If the parent is already gone by the time the request is made, exit now: nobody is left to
    collect what this process would produce.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    parent = os.getppid()
    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(sig))
    if os.getppid() != parent:
        os._exit(1)


def ignore_interrupts() -> None:
    """Ctrl-C is for the run's main process; a child that got it would fail a shard instead of stopping."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def mark_children_of_this_process() -> None:
    """Tell processes started from here (the pool's forkserver) that this process is their run."""
    os.environ[PARENT_ENV] = str(os.getpid())


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGINT and SIGTERM raise ``Interrupted`` in the main thread; a second one exits immediately.

    Outside the main thread (an embedding application) signals are left alone.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _received.clear()

    def handler(signum: int, _frame) -> None:
        if _received:
            os._exit(128 + _received[0])  # the children die with us; the kernel releases the lock
        _received.append(signum)
        STOPPING.set()
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def interrupt_signal(exc: BaseException) -> int | None:
    """The signal number behind an exception that stopped a run, if a signal did.

    A signal may surface as another exception (a worker that died of the same SIGTERM first), so
    the signals this process received count too.
    """
    if _received:
        return _received[0]
    if isinstance(exc, Interrupted):
        return exc.signum
    code = getattr(exc, "signal", None)  # prefect.exceptions.TerminationSignal
    if isinstance(code, int):
        return code
    if isinstance(exc, KeyboardInterrupt):
        return signal.SIGINT
    return None


def watch_parent(interval_s: float = 0.1) -> None:
    """Exit as soon as this process's parent process is gone, checked from a daemon thread.

    For the forkserver, not ``die_with_parent``: the kernel sends ``PR_SET_PDEATHSIG`` when the parent
    *thread* that forked this process ends, and the pool may start its forkserver from a thread that ends
    long before the run does (a Prefect task that restarts the pool after a worker died, a flow that
    ``serve`` runs in a thread). The forkserver then died with the thread and took the next pool with it.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval_s)
        os._exit(1)

    threading.Thread(target=watch, name="boilerclean-lifeline", daemon=True).start()


# Imported by the pool's forkserver as a preload (flows/pool.py): there, the parent is the run.
if os.environ.get(PARENT_ENV) == str(os.getppid()):
    watch_parent()
