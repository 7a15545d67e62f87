"""Drop documents that nearly repeat an earlier one: MinHash signatures, LSH bands, verified.

Near duplicates are the common case of scraped news: the same article syndicated, mirrored or
updated, with other debris around it, a paragraph dropped or added, a few words edited. Exact
hashing misses them all. A document is a near duplicate of an earlier *kept* document when
either measure, estimated from the two MinHash signatures, reaches its threshold:

* Jaccard similarity of the two shingle sets >= ``threshold``: the two texts are mostly the same
  (catches edits, reflowed layout, debris on either side, an added paragraph);
* containment >= ``containment``: that share of the *new* document's shingles is already in the
  kept one (catches a copy with paragraphs left out, whose Jaccard falls with every paragraph
  dropped although it adds nothing new). Rejecting such a document loses at most the rest.
  Containment is derived from the Jaccard estimate and the two sizes, so against a document many
  times longer it rests on a few matching values: it counts only when Jaccard is at least
  ``containment_min_jaccard`` (0.2: 26 of 128 values agree).

The rejection is ``dedup:near`` with ``duplicate_of`` (the kept document's id), ``measure`` (which
test decided), its ``value`` and ``threshold``, and both estimates (``jaccard``, ``containment``).

* ``observe`` (per shard): the distinct ``shingle``-word shingles of the text as the chain hands
  it over (after the cleaning stages, so debris lines are gone) and their MinHash signature
  (``minhash.py``): ``num_perm`` 16-bit values and the shingle count, plus the id.
* ``merge`` (partials in shard order = input order): each signature is cut into ``bands`` bands
  of ``num_perm / bands`` values; documents sharing a band key are candidates. Documents are
  visited in input order; a candidate is compared with the earlier kept documents that share a
  band with it, most shared bands first (at most ``max_candidates``), and becomes a duplicate of
  the most similar one that passes a test; otherwise it is kept. No transitive chains: every
  rejected document was verified against the document named in its ``duplicate_of``, so two
  distinct articles are never merged through a third.
* ``apply``: reject the documents the state names.

Bands of r rows find a pair with probability 1 - (1 - J^r)^b. With 64 bands of 2 rows: 99.8 % at
J = 0.3, 93 % at J = 0.2, so a copy with a third of its paragraphs gone (J ~ 0.6, containment
~ 1) is always proposed; the tests then decide. The thresholds of ``configs/dataset.yaml`` come
from a measured curve (``benchmarks/eval_neardup.py``).

Sizes: a partial holds 2 x ``num_perm`` bytes of signature + 4 bytes of shingle count + the id
(~25 B) and an 8 B offset per document: ~293 B per document at 128 permutations, i.e. ~293 MB per
million documents in transit and at merge, plus one bit per (document, band) and bucket lists for
the documents that share a band with another. The state is one dict entry (~250 B) per rejected
document.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Sequence

import numpy as np
from pydantic import Field, model_validator

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import CorpusStage, Params, Reject, StageLog
from boilerclean.cleaners.stages.dedup.exact import PackedIds
from boilerclean.cleaners.stages.dedup.minhash import MinHasher, containment, jaccard, shingles

_KEY_BASE = np.uint64(65537)  # > 2**16: rolling 16-bit values with it is injective for 2-3 rows


def band_keys(values: np.ndarray) -> np.ndarray:
    """One 64-bit key per row of 16-bit values (the last axis is one band's rows), rolled together."""
    keys = np.zeros(values.shape[:-1], np.uint64)
    for r in range(values.shape[-1]):
        keys = keys * _KEY_BASE + values[..., r].astype(np.uint64) + np.uint64(1)
    return keys


class DedupNearParams(Params):
    shingle: int = Field(
        3, ge=1, le=20, description="words per shingle: fewer = copies with edits look closer, so do distinct texts"
    )
    num_perm: int = Field(128, ge=16, le=1024, description="MinHash values per document: more = finer estimates, bytes")
    bands: int = Field(
        64, ge=1, description="LSH bands (num_perm must divide by it): more bands propose less similar pairs, work"
    )
    threshold: float = Field(
        0.7, gt=0.0, le=1.0, description="estimated Jaccard at or above which a document is a duplicate"
    )
    containment: float | None = Field(
        0.8,
        gt=0.0,
        le=1.0,
        description="share of a document's shingles already in a kept one at or above which it is a duplicate "
        "(copies with paragraphs dropped); null = Jaccard only",
    )
    containment_min_jaccard: float = Field(
        0.2,
        ge=0.0,
        le=1.0,
        description="containment counts only at or above this Jaccard: against a much longer document it rests on "
        "a few matching values and a couple of common phrases would read as containment",
    )
    max_candidates: int = Field(64, ge=1, description="earlier kept documents compared per candidate (work bound)")
    seed: int = Field(1, description="seed of the hash functions; changing it changes which pairs are found")

    @model_validator(mode="after")
    def _bands_divide(self) -> DedupNearParams:
        if self.num_perm % self.bands:
            raise ValueError(f"num_perm ({self.num_perm}) must be a multiple of bands ({self.bands})")
        return self


class NearPartial:
    """One shard's signatures (``num_perm`` 16-bit values each), shingle counts and ids, in shard order."""

    __slots__ = ("ids", "sigs", "sizes")

    def __init__(self) -> None:
        self.sigs = bytearray()
        self.sizes = array("I")
        self.ids = PackedIds()

    def __getstate__(self) -> tuple[bytes, bytes, PackedIds]:
        return bytes(self.sigs), self.sizes.tobytes(), self.ids

    def __setstate__(self, state: tuple[bytes, bytes, PackedIds]) -> None:
        self.sigs = bytearray(state[0])
        self.sizes = array("I")
        self.sizes.frombytes(state[1])
        self.ids = state[2]


class DedupNear(CorpusStage):
    """Reject documents a kept earlier document nearly repeats (Jaccard) or contains (containment)."""

    name = "dedup_near"
    Params = DedupNearParams
    state: dict[str, tuple[str, str, float, float]] | None = None

    def __init__(self, params: DedupNearParams | None = None) -> None:
        super().__init__(params)
        self._hasher = MinHasher(self.params.num_perm, self.params.seed)

    # -- signatures -------------------------------------------------------------------------
    def sketch(self, text: str) -> tuple[np.ndarray, int] | None:
        """(signature, number of distinct shingles); None for a text without words."""
        grams = shingles(text, self.params.shingle)
        sig = self._hasher.signature(grams)
        return None if sig is None else (sig, len(grams))

    def signature(self, text: str) -> np.ndarray | None:
        found = self.sketch(text)
        return None if found is None else found[0]

    similarity = staticmethod(jaccard)

    # -- map / reduce ---------------------------------------------------------------------------
    def new_partial(self) -> NearPartial:
        return NearPartial()

    def observe(self, partial: NearPartial, doc: Document) -> None:
        found = self.sketch(doc.text)
        if found is not None:  # a text without words can only be an exact duplicate
            partial.sigs += found[0].tobytes()
            partial.sizes.append(min(found[1], 2**32 - 1))
            partial.ids.append(doc.id)

    def merge(self, partials: Sequence[NearPartial]) -> dict[str, tuple[str, str, float, float]]:
        p = self.params
        sigs = np.concatenate(
            [np.frombuffer(bytes(part.sigs), np.uint16).reshape(-1, p.num_perm) for part in partials]
            or [np.zeros((0, p.num_perm), np.uint16)]
        )
        n = len(sigs)
        if n < 2:
            return {}
        sizes = np.concatenate([np.frombuffer(part.sizes, np.uint32) for part in partials]).astype(np.float64)
        shared = self._shared_bands(sigs)  # packed bits: (document, band) keys another document has too
        starts = np.cumsum([0] + [len(part.ids) for part in partials])

        def doc_id(i: int) -> str:
            shard = int(np.searchsorted(starts, i, side="right") - 1)
            return partials[shard].ids[i - int(starts[shard])]

        rows = p.num_perm // p.bands
        buckets: list[dict[int, list[int]]] = [{} for _ in range(p.bands)]
        losers: dict[str, tuple[str, str, float, float]] = {}
        for i in np.flatnonzero(shared.any(axis=1)).tolist():
            bands = np.flatnonzero(np.unpackbits(shared[i], count=p.bands)).tolist()
            keys = band_keys(sigs[i].reshape(p.bands, rows)).tolist()
            votes: Counter[int] = Counter()
            for band in bands:
                kept = buckets[band].get(keys[band])
                if kept:
                    votes.update(kept)
            if votes:
                ranked = sorted(votes, key=lambda j: (-votes[j], j))[: p.max_candidates]
                js = jaccard(sigs[i], sigs[ranked])
                cs = containment(js, sizes[ranked], sizes[i])
                passing = js >= p.threshold
                if p.containment is not None:
                    passing |= (cs >= p.containment) & (js >= p.containment_min_jaccard)
                if passing.any():
                    best = int(np.argmax(np.where(passing, js + cs, -1.0)))
                    j, c = float(js[best]), float(cs[best])
                    measure = "jaccard" if j >= p.threshold else "containment"
                    losers[doc_id(i)] = (doc_id(ranked[best]), measure, round(j, 4), round(c, 4))
                    continue
            for band in bands:
                buckets[band].setdefault(keys[band], []).append(i)
        return losers

    def _shared_bands(self, sigs: np.ndarray) -> np.ndarray:
        """Bit (i, band) set when another document has the same key in that band; packed, 1 bit each.

        One band at a time, so the merge never holds every key of every document at once.
        """
        n, bands = len(sigs), self.params.bands
        rows = self.params.num_perm // bands
        shared = np.zeros((n, (bands + 7) // 8), np.uint8)
        for band in range(bands):
            keys = band_keys(sigs[:, band * rows : (band + 1) * rows])
            order = np.argsort(keys, kind="stable")
            same = keys[order][1:] == keys[order][:-1]
            column = np.zeros(n, np.uint8)
            column[order[1:][same]] = 1
            column[order[:-1][same]] = 1
            shared[:, band // 8] |= column << np.uint8(7 - band % 8)
        return shared

    # -- decide ---------------------------------------------------------------------------------
    def apply(self, doc: Document, log: StageLog) -> Document:
        hit = self.state.get(doc.id) if self.state else None
        if hit is None:
            return doc
        winner, measure, j, c = hit
        p = self.params
        raise Reject(
            "dedup:near",
            duplicate_of=winner,
            measure=measure,
            value=j if measure == "jaccard" else c,
            threshold=p.threshold if measure == "jaccard" else p.containment,
            jaccard=j,
            containment=c,
        )
