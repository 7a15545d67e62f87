"""The statistics ``remove_repeated_lines`` gathers per shard and adds up: documents per line key, per site section.

Counting by (host, section) rather than by host alone costs nothing for lines only one document
has (each is stored once either way) and lets a section's own template show, while the host's
counts are the sums over its sections. Sums do not depend on how documents were cut into shards,
so 1, 2 or 20 workers bind the same state.

Size: while a shard is observed a section's counts are a ``Counter`` (~100 B a key: ~15 MB for a
10k-document shard); pickled and merged they are two arrays sorted by key, uint64 keys and
uint32 counts, 12 bytes per distinct (host, section, key). ``benchmarks/eval_repetition.py``
prints the bytes per document on real news.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

Group = tuple[str, str]  # (host, section)
_EMPTY = (np.empty(0, np.uint64), np.empty(0, np.uint32))


def sum_arrays(pairs: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Add (sorted keys, counts) pairs: the union of the keys with their counts summed."""
    pairs = [p for p in pairs if len(p[0])]
    if not pairs:
        return _EMPTY
    if len(pairs) == 1:
        return pairs[0]
    keys = np.concatenate([k for k, _ in pairs])
    vals = np.concatenate([v for _, v in pairs])
    uniq, inverse = np.unique(keys, return_inverse=True)
    return uniq, np.bincount(inverse, weights=vals, minlength=len(uniq)).astype(np.uint32)


class LineCounts:
    """Per (host, section): documents seen, and documents containing each line key. Picklable and compact."""

    __slots__ = ("docs", "lines")

    def __init__(self) -> None:
        self.docs: Counter[Group] = Counter()
        self.lines: dict[Group, Counter[int] | tuple[np.ndarray, np.ndarray]] = {}

    def add(self, group: Group, keys: set[int]) -> None:
        """One document of ``group`` with these distinct line keys."""
        self.docs[group] += 1
        if keys:
            counts = self.lines.setdefault(group, Counter())
            assert isinstance(counts, Counter), "a merged state is read-only"
            counts.update(keys)

    def arrays(self, group: Group) -> tuple[np.ndarray, np.ndarray]:
        counts = self.lines.get(group)
        if isinstance(counts, tuple):
            return counts
        if not counts:
            return _EMPTY
        keys = np.fromiter(counts.keys(), np.uint64, len(counts))
        vals = np.fromiter(counts.values(), np.uint32, len(counts))
        order = np.argsort(keys, kind="stable")
        return keys[order], vals[order]

    def hosts(self) -> dict[str, list[str]]:
        """host -> its sections, sorted (so every walk over the state has one order)."""
        out: dict[str, list[str]] = {}
        for host, section in sorted(self.docs):
            out.setdefault(host, []).append(section)
        return out

    def __getstate__(self) -> dict[str, Any]:
        return {"docs": dict(self.docs), "lines": {g: self.arrays(g) for g in sorted(self.lines)}}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.docs = Counter(state["docs"])
        self.lines = dict(state["lines"])

    def nbytes(self) -> int:
        """Bytes of the arrays of the pickled form: what a partial costs on the wire and in the reduce."""
        return sum(len(self.arrays(g)[0]) for g in self.lines) * 12

    @classmethod
    def merged(cls, partials: Sequence[LineCounts]) -> LineCounts:
        out = cls()
        for part in partials:
            out.docs.update(part.docs)
        for group in sorted({g for part in partials for g in part.lines}):
            out.lines[group] = sum_arrays([p.arrays(group) for p in partials if group in p.lines])
        return out
