"""Remove lines that recur across many documents of the same site in this run.

A line that a site prints under a large share of its articles ("Subscribe to ... for free",
"Posted on by ...", a commenting policy) is the site's template, not the article, whatever it
says. No phrase list can know every site's template; counting can. Per-document rules see one
page; this stage sees the run, so it runs as a map-reduce over shards:

* ``observe`` (map, per shard): for every document, hash each distinct normalised line once
  and count documents per (host, line hash), plus documents per host.
* ``merge`` (reduce, partials in shard order): add the counts. Sums do not depend on how the
  documents were cut into shards, so 1, 2 or 20 workers give identical output.
* ``bind``: keep only the (host, hash) pairs that pass the thresholds; ``apply`` drops those lines.

Normalisation (casefold, digit runs -> ``0``, white space collapsed, punctuation trimmed at
the edges) makes "Posted on 3 May 2017 by X" and "Posted on 12 June 2018 by X" the same line.

Why two thresholds and a stricter bar for long lines: a quote or a fact box that two articles
of a big site share is content, so a line must be in ``min_docs`` documents AND in
``min_share`` of that host's documents. Long lines are more often real prose (a quoted
paragraph, a syndicated intro), so above ``long_line_chars`` they need ``long_line_min_share``.
Hosts with fewer than ``min_host_docs`` documents are left alone: with two pages, "in every
page" means nothing.

State size: a partial holds, per host, the distinct (line hash -> document count) pairs of its
shard; pickled (and in ``merge``) that is two sorted numpy arrays, 8 bytes (uint64 hash) + 4
bytes (uint32 count) = 12 bytes per distinct (host, line) pair. Measured on
shared/corpus/news_dev.jsonl: 15 countable lines per article -> 180 bytes per document, i.e.
**~180 MB per million documents** for the merged state before ``bind`` in the worst case (no
line shared); template lines repeated across a host are stored once, so real crawls need less.
After ``bind`` only the boilerplate pairs are kept (kilobytes per site). While a shard is being
observed its counts live in Python dicts (~100 B per pair: ~15 MB for a 10k-document shard).
Documents without a host are counted but their lines are not (they are never acted on).
Whole-page text (configs/page-text.yaml) has ~150 lines a page, so there the worst case is
~1.8 GB per million pages; run this stage after select_main_text, which cuts that tenfold.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import regex
from pydantic import Field

from boilerclean.cleaners.document import Document, Removal
from boilerclean.cleaners.stage import CorpusStage, Params, StageLog

RULE = "repeated:line"
_DIGITS = regex.compile(r"\d+")
_SPACE = regex.compile(r"\s+")
_EDGE = regex.compile(r"^[\p{P}\p{S}\s]+|[\p{P}\p{S}\s]+$")
_LETTER = regex.compile(r"\p{L}")
_BLANKS = regex.compile(r"\n{3,}")
_NO_HOST = ""


def normalise_line(line: str) -> str:
    """The form under which two lines count as the same: case, digits, spacing, edge punctuation ignored."""
    s = _SPACE.sub(" ", _DIGITS.sub("0", line.casefold()))
    return _EDGE.sub("", s)


def line_hash(norm: str) -> int:
    """A stable 64-bit hash (Python's ``hash`` is salted per process, so workers would disagree)."""
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "little")


class HostLineCounts:
    """Per host: documents seen and documents containing each line hash. Picklable and compact.

    While a shard is observed, a host's counts are a ``Counter`` (cheap to update); pickled or
    merged they are two arrays sorted by hash (uint64 hashes, uint32 counts), which is what
    travels between workers and what ``merge`` adds.
    """

    __slots__ = ("docs", "lines")

    def __init__(self) -> None:
        self.docs: Counter[str] = Counter()
        self.lines: dict[str, Counter[int] | tuple[np.ndarray, np.ndarray]] = {}

    def arrays(self, host: str) -> tuple[np.ndarray, np.ndarray]:
        counts = self.lines.get(host)
        if isinstance(counts, tuple):
            return counts
        if not counts:
            return np.empty(0, np.uint64), np.empty(0, np.uint32)
        keys = np.fromiter(counts.keys(), np.uint64, len(counts))
        vals = np.fromiter(counts.values(), np.uint32, len(counts))
        order = np.argsort(keys, kind="stable")
        return keys[order], vals[order]

    def __getstate__(self) -> dict[str, Any]:
        return {"docs": dict(self.docs), "lines": {h: self.arrays(h) for h in sorted(self.lines)}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.docs = Counter(state["docs"])
        self.lines = dict(state["lines"])

    def nbytes(self) -> int:
        """Bytes of the arrays of the pickled form: what a partial costs on the wire and in the reduce."""
        return sum(len(self.arrays(h)[0]) for h in self.lines) * 12


class RemoveRepeatedLines(CorpusStage):
    """Drop lines that a site repeats across many of its documents in this run."""

    name = "remove_repeated_lines"

    class Params(Params):
        min_docs: int = Field(
            2,
            ge=2,
            description="a line must occur in at least this many documents of its host; lower catches small "
            "sites' templates, but also a quote two articles share",
        )
        min_share: float = Field(
            0.2,
            gt=0.0,
            le=1.0,
            description="... and in at least this share of the host's documents; lower removes more template "
            "lines of big sites and more shared quotes",
        )
        min_host_docs: int = Field(
            3,
            ge=2,
            description="hosts with fewer documents in the run are left untouched (two pages of a site share "
            "too much real content to tell)",
        )
        long_line_chars: int = Field(
            200,
            ge=1,
            description="lines longer than this (normalised chars) are held to long_line_min_share: long lines "
            "are usually prose, so repetition alone is weaker evidence",
        )
        long_line_min_share: float = Field(
            0.3,
            gt=0.0,
            le=1.0,
            description="share of the host's documents a long line needs; 1.0 effectively spares long lines",
        )
        max_line_chars: int = Field(
            2000,
            ge=1,
            description="longer lines are neither counted nor removed (whole articles on one line); saves state",
        )
        min_doc_share_kept: float = Field(
            0.0,
            ge=0.0,
            le=1.0,
            description="if removal would leave less than this share of a document's characters, remove "
            "nothing from it (0 = always remove; guards exact duplicates of a page)",
        )

    params: Params

    def __init__(self, params: Params | None = None) -> None:
        super().__init__(params)
        self.state: dict[str, dict[int, int]] = {}
        self._host_docs: dict[str, int] = {}

    # -- map -------------------------------------------------------------------------------
    def _hashes(self, text: str) -> dict[int, str]:
        """Hash -> original line, for the distinct countable lines of a text."""
        out: dict[int, str] = {}
        limit = self.params.max_line_chars
        for line in text.split("\n"):
            if not line or line.isspace() or len(line) > limit * 2:
                continue
            norm = normalise_line(line)
            if not norm or len(norm) > limit or not _LETTER.search(norm):
                continue
            out.setdefault(line_hash(norm), line)
        return out

    def new_partial(self) -> HostLineCounts:
        return HostLineCounts()

    def observe(self, partial: HostLineCounts, doc: Document) -> None:
        host = doc.host() or _NO_HOST
        partial.docs[host] += 1
        if host == _NO_HOST:  # no site to be a template of: never acted on, so never counted
            return
        hashes = self._hashes(doc.text or "")
        if hashes:
            partial.lines.setdefault(host, Counter()).update(hashes.keys())

    # -- reduce ----------------------------------------------------------------------------
    def merge(self, partials: Sequence[HostLineCounts]) -> HostLineCounts:
        merged = HostLineCounts()
        for part in partials:
            merged.docs.update(part.docs)
        for host in sorted({h for part in partials for h in part.lines}):
            pairs = [p.arrays(host) for p in partials if host in p.lines]
            keys = np.concatenate([k for k, _ in pairs])
            vals = np.concatenate([v for _, v in pairs])
            uniq, inverse = np.unique(keys, return_inverse=True)
            sums = np.bincount(inverse, weights=vals, minlength=len(uniq))
            merged.lines[host] = (uniq, sums.astype(np.uint32))
        return merged

    def bind(self, state: HostLineCounts) -> None:
        """Keep only the (host, line) pairs that pass the thresholds, with their document counts."""
        p = self.params
        bound: dict[str, dict[int, int]] = {}
        for host in sorted(state.lines):
            n_docs = state.docs.get(host, 0)
            if host == _NO_HOST or n_docs < p.min_host_docs:
                continue
            keys, counts = state.arrays(host)
            hit = counts >= max(p.min_docs, p.min_share * n_docs)
            if hit.any():
                bound[host] = dict(zip(keys[hit].tolist(), counts[hit].tolist(), strict=True))
        self.state = bound
        self._host_docs = {h: state.docs[h] for h in bound}

    # -- apply -----------------------------------------------------------------------------
    def apply(self, doc: Document, log: StageLog) -> Document:
        host = doc.host() or _NO_HOST
        repeated = self.state.get(host)
        if not repeated or not doc.text:
            return doc
        p = self.params
        n_host = self._host_docs[host]
        long_need = p.long_line_min_share * n_host
        kept: list[str] = []
        dropped: list[tuple[str, int]] = []
        for line in doc.text.split("\n"):
            count = 0
            if line and not line.isspace() and len(line) <= p.max_line_chars * 2:
                norm = normalise_line(line)
                if norm and len(norm) <= p.max_line_chars:
                    count = repeated.get(line_hash(norm), 0)
                    if count and len(norm) > p.long_line_chars and count < long_need:
                        count = 0
            if count:
                dropped.append((line, count))
            else:
                kept.append(line)
        if not dropped:
            return doc
        text = _BLANKS.sub("\n\n", "\n".join(kept)).strip("\n")
        if p.min_doc_share_kept and len(text) < p.min_doc_share_kept * len(doc.text):
            log.counters["repeated:doc_spared"] += 1
            return doc
        for line, count in dropped:
            log.removed(doc, RULE, line)
            if doc.removals is not None:  # explaining: say how common the line was
                doc.removals[-1] = Removal(self.name, RULE, f"{line} (seen in {count} of {n_host} docs of {host})")
        log.counters["repeated:docs_changed"] += 1
        doc.text = text
        return doc
