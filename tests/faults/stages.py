"""Test-only stages that are slow or stuck by construction, so no test depends on how fast a machine is.

``hang`` never returns on a marked document (the killable worker must cut it at its ``timeout_s``);
``gate`` holds the run on a marked document until the test opens the gate, and says when it is
waiting (its pid in ``<path>.waiting``), so a test can interrupt a run at a known point instead of
racing it; ``die`` kills the process it runs in, as the OOM killer would. All pass every other
document through unchanged, so a run through them gives the same bytes as one without.

Registered in this process's stage catalog by ``register()``; the flow's pool hands the entries to
its workers (flows/pool.py), so they also work inside ``boilerclean run`` (see ``tests/faults/cli.py``).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from pydantic import Field

from boilerclean.cleaners import catalog
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import DocumentStage, Params, StageLog

ARTICLE_STUCK = "This paragraph is where a hostile page would keep the parser busy forever."


class HangParams(Params):
    marker: str = Field("HANG", description="documents containing this never leave the stage")
    timeout_s: float = Field(1.0, gt=0, description="the killable worker's limit for this stage")


class Hang(DocumentStage):
    """Sleeps forever on marked documents: the slowest page imaginable, on any machine."""

    name = "hang"
    Params = HangParams

    def apply(self, doc: Document, log: StageLog) -> Document:
        if self.params.marker in doc.text:
            while True:
                time.sleep(3600)
        return doc


class GateParams(Params):
    marker: str = Field("GATE", description="documents containing this wait at the gate")
    path: str = Field(description="the gate is open once this file exists; <path>.waiting appears while closed")
    timeout_s: float = Field(3600.0, gt=0, description="long: waiting at the gate is not a stuck document")


class Gate(DocumentStage):
    """Waits on marked documents until the gate file exists; announces the wait in ``<path>.waiting``."""

    name = "gate"
    Params = GateParams

    def apply(self, doc: Document, log: StageLog) -> Document:
        if self.params.marker in doc.text:
            gate = Path(self.params.path)
            if not gate.exists():
                Path(f"{gate}.waiting").write_text(str(os.getpid()))
            while not gate.exists():
                time.sleep(0.02)
        return doc


class DieParams(Params):
    marker: str = Field("DIE", description="the process handling a document containing this kills itself")


class Die(DocumentStage):
    """Kills its own process on marked documents, as the OOM killer would: what a worker's death looks like."""

    name = "die"
    Params = DieParams

    def apply(self, doc: Document, log: StageLog) -> Document:
        if self.params.marker in doc.text:
            os.kill(os.getpid(), signal.SIGKILL)
        return doc


ENTRIES = {"hang": f"{__name__}:Hang", "gate": f"{__name__}:Gate", "die": f"{__name__}:Die"}


def register() -> None:
    catalog.STAGES.update(ENTRIES)
    catalog.stage_class.cache_clear()


def unregister() -> None:
    for name in ENTRIES:
        catalog.STAGES.pop(name, None)
    catalog.stage_class.cache_clear()
