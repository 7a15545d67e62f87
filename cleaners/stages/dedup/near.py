"""Drop documents that nearly repeat an earlier one: MinHash signatures, LSH bands, verified.

Near duplicates are the same article re-posted with a changed intro, a different footer,
paragraphs reordered or a few edits; exact hashing misses them all. A document is a near
duplicate of an earlier *kept* document when the estimated Jaccard similarity of their word
shingle sets reaches ``threshold``; it is rejected ``dedup:near`` with ``duplicate_of`` (the
kept document's id) and the estimate as ``value``.

* ``observe`` (per shard): word ``shingle``-grams of the normalised text (as ``dedup_exact``),
  hashed (a polynomial hash of each word's bytes computed with numpy prefix sums, mixed,
  rolled into n-gram hashes: deterministic in every process); ``num_perm`` multiply-shift
  hash functions from a fixed seed give the MinHash signature (numpy, no Python loop per
  word or shingle). Only the lowest 8 bits of each minimum are
  kept (b-bit MinHash, Li & König 2010): ``num_perm`` bytes per document, plus its id.
* ``merge`` (partials in shard order = input order): each signature is cut into ``bands``
  bands; documents sharing a band are candidates. Documents are visited in input order; a
  candidate is compared with the earlier kept documents of its buckets (earliest first) and
  becomes a duplicate of the first whose estimated similarity reaches the threshold, else it
  is kept. No transitive chains: every rejected document was verified against the document
  named in its ``duplicate_of``, so two distinct articles are never merged through a third.
* ``apply``: reject the documents the state names.

The 8-bit estimate: a chance byte collision has probability 1/256, so the match rate m gives
J = (m - 1/256) / (1 - 1/256). With 128 permutations its standard error is ~0.035 at J = 0.8.
Bands of r rows catch a pair with probability 1 - (1 - J^r)^b: 32 x 4 finds 99.98 % of pairs at
J = 0.7 and proposes ~5 % of pairs at J = 0.2 (discarded by the verification).

Sizes: a partial holds ``num_perm`` bytes + the id (~25 B) + 8 B offset per document, ~160 MB
per million documents at 128 permutations; merge holds the same plus the bucket dicts of the
candidate documents only. The state is one dict entry (~250 B) per rejected document.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import Field, model_validator

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import CorpusStage, Params, Reject, StageLog
from boilerclean.cleaners.stages.dedup.exact import PackedIds, normalized_bytes

_MIX = np.uint64(0x9E3779B97F4A7C15)
_ROLL = np.uint64(0x100000001B3)
_CHUNK = 4096  # shingles per block: bounds the (num_perm x block) work array at 4 MB
_PIECE = 1 << 16  # bytes per word-hashing piece: bounds the power tables at 2 x 512 kB


class _Powers:
    """Powers of the byte-hash base and of its inverse mod 2**64, grown on demand and shared."""

    base = np.uint64(0x100000001B3 * 2 + 1)
    inverse = np.uint64(pow(int(base), -1, 2**64))
    up = np.ones(1, np.uint64)
    down = np.ones(1, np.uint64)

    @classmethod
    def ensure(cls, n: int) -> None:
        if len(cls.up) <= n:
            size = 1 << n.bit_length()
            one = np.ones(1, np.uint64)  # a plain [1] would promote uint64 to float64
            cls.up = np.concatenate((one, np.cumprod(np.full(size, cls.base, np.uint64))))
            cls.down = np.concatenate((one, np.cumprod(np.full(size, cls.inverse, np.uint64))))


def _word_hashes(data: bytes) -> np.ndarray:
    """A 64-bit hash per white-space separated word of ``data``, without a Python loop per word.

    Polynomial hash of the bytes from prefix sums (mod 2**64), brought to a common origin with
    inverse powers, then mixed (xorshift-multiply) so every bit depends on every byte. Long
    texts go in pieces cut at white space, so the power tables stay at most ``_PIECE`` long.
    """
    arr = np.frombuffer(data, np.uint8)
    if len(arr) <= _PIECE:
        return _piece_hashes(arr)
    pieces, start = [], 0
    while start < len(arr):
        window = arr[start : start + _PIECE]
        blanks = np.flatnonzero(window <= 32)
        cut = len(window) if start + _PIECE >= len(arr) or not len(blanks) else int(blanks[-1]) + 1
        pieces.append(_piece_hashes(window[:cut]))
        start += cut
    return np.concatenate(pieces)


def _piece_hashes(arr: np.ndarray) -> np.ndarray:
    if not len(arr):
        return np.zeros(0, np.uint64)
    edges = np.diff(np.concatenate((np.zeros(1, np.int8), (arr > 32).view(np.int8), np.zeros(1, np.int8))))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    _Powers.ensure(len(arr))
    prefix = np.zeros(len(arr) + 1, np.uint64)
    np.cumsum((arr.astype(np.uint64) + np.uint64(1)) * _Powers.up[: len(arr)], out=prefix[1:])
    h = (prefix[ends] - prefix[starts]) * _Powers.down[starts]
    h ^= h >> np.uint64(31)
    h *= _MIX
    h ^= h >> np.uint64(29)
    return h


class DedupNearParams(Params):
    shingle: int = Field(5, ge=1, le=20, description="words per shingle: smaller finds looser copies, merges more")
    num_perm: int = Field(128, ge=16, le=1024, description="MinHash permutations: more = finer estimate, more bytes")
    bands: int = Field(32, ge=1, description="LSH bands (num_perm must divide by it): more bands = more recall, work")
    threshold: float = Field(
        0.7, gt=0.0, le=1.0, description="estimated Jaccard at or above which a document is a duplicate"
    )
    max_candidates: int = Field(64, ge=1, description="earlier kept documents compared per candidate (work bound)")
    seed: int = Field(1, description="seed of the hash functions; changing it changes which pairs are found")

    @model_validator(mode="after")
    def _bands_divide(self) -> DedupNearParams:
        if self.num_perm % self.bands:
            raise ValueError(f"num_perm ({self.num_perm}) must be a multiple of bands ({self.bands})")
        return self


class NearPartial:
    """One shard's signatures (``num_perm`` bytes each) and ids, in shard order."""

    __slots__ = ("ids", "sigs")

    def __init__(self) -> None:
        self.sigs = bytearray()
        self.ids = PackedIds()

    def __getstate__(self) -> tuple[bytes, PackedIds]:
        return bytes(self.sigs), self.ids

    def __setstate__(self, state: tuple[bytes, PackedIds]) -> None:
        self.sigs = bytearray(state[0])
        self.ids = state[1]


class DedupNear(CorpusStage):
    """Reject documents whose MinHash similarity to an earlier kept document reaches the threshold."""

    name = "dedup_near"
    Params = DedupNearParams
    state: dict[str, tuple[str, float]] | None = None

    def __init__(self, params: DedupNearParams | None = None) -> None:
        super().__init__(params)
        rng = np.random.default_rng(self.params.seed)
        self._a = rng.integers(1, 2**63, self.params.num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        self._b = rng.integers(0, 2**63, self.params.num_perm, dtype=np.uint64)

    # -- signatures -------------------------------------------------------------------------
    def _shingles(self, text: str) -> np.ndarray:
        h = _word_hashes(normalized_bytes(text))
        grams = h
        for k in range(1, min(self.params.shingle, len(h))):
            grams = grams[:-1] * _ROLL + h[k:]
        return grams

    def signature(self, text: str) -> np.ndarray | None:
        """``num_perm`` bytes: the low 8 bits of each MinHash minimum; None for a text without words."""
        shingles = self._shingles(text)
        if not len(shingles):
            return None
        mins = None
        for start in range(0, len(shingles), _CHUNK):
            values = np.multiply.outer(self._a, shingles[start : start + _CHUNK])
            values += self._b[:, None]
            values >>= np.uint64(32)
            block = values.min(axis=1)
            mins = block if mins is None else np.minimum(mins, block)
        return (mins & np.uint64(0xFF)).astype(np.uint8)

    @staticmethod
    def similarity(sig_a: np.ndarray, sig_b: np.ndarray) -> float | np.ndarray:
        """Estimated Jaccard of two 8-bit signatures (or of one against a stack of them)."""
        match = (sig_b == sig_a).mean(axis=-1)
        return np.maximum(0.0, (match - 1 / 256) / (1 - 1 / 256))

    # -- map / reduce ---------------------------------------------------------------------------
    def new_partial(self) -> NearPartial:
        return NearPartial()

    def observe(self, partial: NearPartial, doc: Document) -> None:
        sig = self.signature(doc.text)
        if sig is not None:  # a text without words can only be an exact duplicate
            partial.sigs += sig.tobytes()
            partial.ids.append(doc.id)

    def merge(self, partials: Sequence[NearPartial]) -> dict[str, tuple[str, float]]:
        p = self.params
        blocks = [np.frombuffer(bytes(part.sigs), np.uint8).reshape(-1, p.num_perm) for part in partials]
        sigs = np.concatenate(blocks) if blocks else np.zeros((0, p.num_perm), np.uint8)
        n = len(sigs)
        if n < 2:
            return {}
        keys = self._band_keys(sigs)
        candidate = np.zeros(n, bool)
        for band in range(p.bands):
            col = keys[:, band]
            order = np.argsort(col, kind="stable")
            same = col[order][1:] == col[order][:-1]
            candidate[order[1:][same]] = True
            candidate[order[:-1][same]] = True
        starts = np.cumsum([0] + [len(part.ids) for part in partials])

        def doc_id(i: int) -> str:
            shard = int(np.searchsorted(starts, i, side="right") - 1)
            return partials[shard].ids[i - int(starts[shard])]

        buckets: list[dict[int, list[int]]] = [{} for _ in range(p.bands)]
        losers: dict[str, tuple[str, float]] = {}
        for i in np.flatnonzero(candidate).tolist():
            row = keys[i].tolist()
            earlier: set[int] = set()
            for band, key in enumerate(row):
                kept = buckets[band].get(key)
                if kept:
                    earlier.update(kept)
            if earlier:
                ordered = sorted(earlier)[: p.max_candidates]
                sims = self.similarity(sigs[i], sigs[ordered])
                hits = np.flatnonzero(sims >= p.threshold)
                if len(hits):
                    j = ordered[int(hits[0])]
                    losers[doc_id(i)] = (doc_id(j), round(float(sims[hits[0]]), 4))
                    continue
            for band, key in enumerate(row):
                buckets[band].setdefault(key, []).append(i)
        return losers

    def _band_keys(self, sigs: np.ndarray) -> np.ndarray:
        """One 64-bit key per (document, band): the band's bytes rolled into a hash."""
        rows = self.params.num_perm // self.params.bands
        banded = sigs.reshape(len(sigs), self.params.bands, rows).astype(np.uint64)
        keys = np.zeros(banded.shape[:2], np.uint64)
        for r in range(rows):
            keys = keys * np.uint64(257) + banded[:, :, r] + np.uint64(1)
        return keys

    # -- decide ---------------------------------------------------------------------------------
    def apply(self, doc: Document, log: StageLog) -> Document:
        hit = self.state.get(doc.id) if self.state else None
        if hit is not None:
            raise Reject("dedup:near", duplicate_of=hit[0], value=hit[1], threshold=self.params.threshold)
        return doc
