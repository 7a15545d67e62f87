"""Run a chain of stages over a stream of documents, keeping the books.

``Pipeline.run`` is a generator chain: memory does not grow with the input. Each stage is
wrapped so that documents in/out and its own seconds are counted (a stage's time is its
inclusive time minus its upstream's), and documents a stage rejects leave the chain at once.

A chain containing ``CorpusStage``s is cut into segments at each of them: the orchestrator runs
segment by segment over all shards (map), merging the corpus statistics in between (reduce).
``clean_documents`` does the same in memory, for one document or a test.
"""

from __future__ import annotations

import collections
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import CorpusStage, Rejected, Stage, StageLog


def _counted(docs: Iterable[Document], log: StageLog, on_enter: Callable[[int], None] | None, index: int):
    if on_enter is None:
        for doc in docs:
            log.docs_in += 1
            yield doc
        return
    for doc in docs:
        log.docs_in += 1
        on_enter(index)
        yield doc


def _timed(docs: Iterator[Document], log: StageLog) -> Iterator[Document]:
    """Count outputs and accumulate the stage's inclusive time (upstream included) in ``log``."""
    perf = time.perf_counter
    while True:
        t0 = perf()
        try:
            doc = next(docs)
        except StopIteration:
            log.seconds += perf() - t0
            return
        log.seconds += perf() - t0
        log.docs_out += 1
        yield doc


class Pipeline:
    """An ordered list of built stages, run lazily over documents."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        self.stages = list(stages)

    def new_logs(self) -> list[StageLog]:
        sink: collections.deque = collections.deque()
        return [StageLog(stage.name, sink) for stage in self.stages]

    def run(
        self,
        docs: Iterable[Document],
        logs: list[StageLog],
        on_enter: Callable[[int], None] | None = None,
    ) -> Iterator[Document | Rejected]:
        """Yield clean documents and ``Rejected`` records, in the order they are decided.

        ``on_enter(i)`` is called as a document enters stage ``i``: the hook a watchdog uses
        to tell which stage a stuck document is stuck in.
        """
        sink = logs[0].sink if logs else collections.deque()
        stream: Iterator[Document] = iter(docs)
        for index, (stage, log) in enumerate(zip(self.stages, logs, strict=True)):
            stream = _timed(iter(stage.process(_counted(stream, log, on_enter, index), log)), log)
        for doc in stream:
            while sink:
                yield sink.popleft()
            yield doc
        while sink:
            yield sink.popleft()
        # inclusive -> own time: each stage's clock also ran while it pulled from upstream
        for upstream, log in zip(reversed(logs[:-1]), reversed(logs[1:]), strict=True):
            log.seconds = max(0.0, log.seconds - upstream.seconds)

    def segments(self) -> list[Pipeline]:
        """Cut before every CorpusStage (except a leading one): each segment is one pass over the shards."""
        cuts: list[list[Stage]] = [[]]
        for stage in self.stages:
            if isinstance(stage, CorpusStage) and cuts[-1]:
                cuts.append([])
            cuts[-1].append(stage)
        return [Pipeline(part) for part in cuts]

    @property
    def corpus_stage(self) -> CorpusStage | None:
        """The CorpusStage this segment starts with, if any."""
        first = self.stages[0] if self.stages else None
        return first if isinstance(first, CorpusStage) else None


def clean_documents(stages: Sequence[Stage], docs: Iterable[Document]) -> tuple[list[Any], list[dict]]:
    """Run a whole chain in memory, corpus stages included (observe all, then apply).

    For one document (``boilerclean clean``), tests and small inputs; the flow does the same
    as a map-reduce over shards. Returns (results in order, per-stage report dicts).
    """
    docs = list(docs)
    results: list[Any] = []
    reports: dict[int, dict] = {}
    offset = 0
    for segment in Pipeline(stages).segments():
        corpus = segment.corpus_stage
        if corpus is not None:
            partial = corpus.new_partial()
            for doc in docs:
                corpus.observe(partial, doc)
            corpus.bind(corpus.merge([partial]))
        logs = segment.new_logs()
        kept = []
        for item in segment.run(docs, logs):
            (results if isinstance(item, Rejected) else kept).append(item)
        docs = kept
        for i, log in enumerate(logs):
            reports[offset + i] = log.as_dict()
        offset += len(logs)
    results.extend(docs)
    return results, [reports[i] for i in sorted(reports)]
