"""What a stage is, and the bookkeeping every stage shares.

Three shapes cover every cleaning step we know of:

* ``DocumentStage`` - a per-document function (``apply``) lifted into a stream. Most stages.
* ``Stage`` - a stream transformer (``process``) for steps that need to look across documents.
* ``CorpusStage`` - a step that can only decide once it has seen the whole run (repeated
  lines of a site, duplicates). It splits into observe (per shard) / merge / apply, so the
  orchestrator can run it as a map-reduce over shards without any global in-memory state.

Stages never read files or know about Prefect; they get documents and a ``StageLog`` and
report every removal through it, so each one can say which rule removed what.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from boilerclean.cleaners.document import Document, Removal


class Params(BaseModel):
    """Base of every stage's parameter model: unknown keys are errors, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Reject(Exception):  # noqa: N818 - it is a signal, not an error
    """Raised by ``DocumentStage.apply`` to drop a document with a stable reason id.

    ``details`` (e.g. ``value``, ``threshold``, ``duplicate_of``) go into the rejected record so
    a user can see why without re-running anything.
    """

    def __init__(self, reason: str, **details: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.details = details


class Rejected(tuple):
    """A dropped document with the stage and reason that dropped it."""

    __slots__ = ()

    def __new__(cls, doc: Document, stage: str, reason: str, details: dict[str, Any]):
        return tuple.__new__(cls, (doc, stage, reason, details))

    doc = property(lambda self: self[0])
    stage = property(lambda self: self[1])
    reason = property(lambda self: self[2])
    details = property(lambda self: self[3])

    def output_record(self) -> dict[str, Any]:
        """``{"id", "stage", "reason", ...details, ...the input record}`` as the contract says."""
        rec: dict[str, Any] = {"id": self.doc.id, "stage": self.stage, "reason": self.reason}
        rec.update(self.details)
        for key, value in (self.doc.raw or {}).items():
            rec.setdefault(key, value)
        return rec


class StageLog:
    """Counters of one stage over one shard; merged across shards into the run report."""

    __slots__ = (
        "chars",
        "counters",
        "docs_in",
        "docs_out",
        "examples",
        "lines",
        "rejected",
        "seconds",
        "sink",
        "stage",
    )

    #: examples kept per rule, for the dataset card: enough to judge a rule, too few to cost memory
    EXAMPLES = 3

    def __init__(self, stage: str, sink: collections.deque | None = None) -> None:
        self.stage = stage
        self.docs_in = 0
        self.docs_out = 0
        self.seconds = 0.0
        self.rejected: collections.Counter[str] = collections.Counter()
        self.lines: collections.Counter[str] = collections.Counter()
        self.chars: collections.Counter[str] = collections.Counter()
        self.counters: collections.Counter[str] = collections.Counter()
        self.examples: dict[str, list[str]] = {}
        self.sink = sink if sink is not None else collections.deque()

    def removed(self, doc: Document, rule: str, text: str, score: float | None = None) -> None:
        """Record that ``rule`` removed ``text`` (a line or span) from ``doc``; ``score``: a model's probability."""
        self.lines[rule] += 1
        self.chars[rule] += len(text)
        if self.lines[rule] <= self.EXAMPLES:
            self.examples.setdefault(rule, []).append(text[:200])
        if doc.removals is not None:
            doc.removals.append(Removal(self.stage, rule, text, score))

    def changed(self, doc: Document, rule: str, chars: int = 0, text: str | None = None) -> None:
        """Record an in-place change (a repair, a redaction) that is not a line removal."""
        self.counters[rule] += 1
        if chars:
            self.chars[rule] += chars
        if doc.removals is not None and text is not None:
            doc.removals.append(Removal(self.stage, rule, text))

    def reject(self, doc: Document, reason: str, **details: Any) -> None:
        """Drop ``doc``: it goes to the rejects with this reason and never reaches later stages."""
        self.rejected[reason] += 1
        if self.rejected[reason] <= self.EXAMPLES:
            self.examples.setdefault(reason, []).append(f"document {doc.id}")
        self.sink.append(Rejected(doc, self.stage, reason, details))

    def as_dict(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "docs_in": self.docs_in,
            "docs_out": self.docs_out,
            "rejected": dict(sorted(self.rejected.items())),
            "lines_removed": dict(sorted(self.lines.items())),
            "chars_removed": dict(sorted(self.chars.items())),
            "counters": dict(sorted(self.counters.items())),
            "seconds": round(self.seconds, 4),
            "examples": dict(sorted(self.examples.items())),
        }

    @staticmethod
    def merge_dicts(a: dict[str, Any] | None, b: dict[str, Any]) -> dict[str, Any]:
        """Add two ``as_dict`` results of the same stage (shard reports into a run report)."""
        if a is None:
            return {k: (dict(v) if isinstance(v, dict) else v) for k, v in b.items()}
        out = dict(a)
        for key, value in b.items():
            if key == "examples":
                merged_examples = {k: list(v) for k, v in a.get(key, {}).items()}
                for rule, texts in value.items():
                    have = merged_examples.setdefault(rule, [])
                    have.extend(texts[: max(0, StageLog.EXAMPLES - len(have))])
                out[key] = dict(sorted(merged_examples.items()))
            elif isinstance(value, dict):
                merged = collections.Counter(a.get(key, {}))
                merged.update(value)
                out[key] = dict(sorted(merged.items()))
            elif isinstance(value, (int, float)) and key != "stage":
                out[key] = round(a.get(key, 0) + value, 4) if isinstance(value, float) else a.get(key, 0) + value
        return out


class Stage:
    """A stream transformer: documents in, documents out, rejects and removals through ``log``."""

    name: ClassVar[str]
    Params: ClassVar[type[Params]] = Params

    def __init__(self, params: Params | None = None) -> None:
        self.params = params if params is not None else self.Params()

    def process(self, docs: Iterable[Document], log: StageLog) -> Iterator[Document]:
        raise NotImplementedError


class DocumentStage(Stage):
    """A per-document function lifted into a stream; ``apply`` returns the document or raises ``Reject``.

    An unexpected exception in ``apply`` rejects that one document with ``error:<Type>`` instead
    of killing the shard: one hostile page must not cost the other ten thousand.
    """

    def apply(self, doc: Document, log: StageLog) -> Document:
        raise NotImplementedError

    def process(self, docs: Iterable[Document], log: StageLog) -> Iterator[Document]:
        apply = self.apply
        for doc in docs:
            try:
                yield apply(doc, log)
            except Reject as r:
                log.reject(doc, r.reason, **r.details)
            except Exception as exc:  # noqa: BLE001 - accounted for, never swallowed silently
                log.reject(doc, f"error:{type(exc).__name__}", error=str(exc)[:500])


class CorpusStage(DocumentStage):
    """A stage whose decision needs statistics of the whole run.

    The orchestrator calls ``new_partial`` / ``observe`` on every shard (map), ``merge`` on the
    partials in shard order (reduce, so results do not depend on the number of workers) and
    ``bind`` before ``apply``. Partials must be compact and picklable: hashes and counts, never
    documents.
    """

    state: Any = None

    def new_partial(self) -> Any:
        raise NotImplementedError

    def observe(self, partial: Any, doc: Document) -> None:
        raise NotImplementedError

    def merge(self, partials: Sequence[Any]) -> Any:
        raise NotImplementedError

    def bind(self, state: Any) -> None:
        self.state = state
