"""MinHash signatures of word shingles, and the similarity estimates ``dedup_near`` decides with.

Kept apart from the stage so the estimates can be checked against exact set arithmetic on
their own (``tests/unit/test_dedup.py``) and reused by the benchmark's curve.

* Words: the normalised text of ``dedup_exact`` (NFKC, case-folded, punctuation blanked), so
  quotes, case and spacing never make two copies differ. Each word gets a 64-bit polynomial
  hash computed with numpy prefix sums (no Python loop per word), mixed so every bit depends on
  every byte; deterministic in every process (Python's ``hash`` is salted).
* Shingles: ``k`` consecutive word hashes rolled into one 64-bit value; the *distinct*
  shingles are the set whose Jaccard similarity and containment are estimated.
* Signature: ``num_perm`` multiply-shift hash functions from a fixed seed; the minimum of each
  over the shingles, of which the low 16 bits are kept. With 16 bits a chance collision of two
  different minima has probability 2**-16, so the match rate estimates Jaccard with
  practically no bias (8 bits would add 1/256 of noise), and two values make a 32-bit band key.

Estimates: ``J = P(min_a == min_b)`` (Broder 1997), standard error sqrt(J(1-J)/num_perm),
0.044 at J = 0.5 with 128 permutations. Containment of B in A follows from J and the set
sizes: |A n B| = J (|A| + |B|) / (1 + J), so C(B in A) = |A n B| / |B|. Its error grows when B
is much smaller than A (the estimate then rests on few shared shingles), which is why the
stage only trusts it for pairs LSH proposes.
"""

from __future__ import annotations

import numpy as np

from boilerclean.cleaners.stages.dedup.exact import normalized_bytes

_MIX = np.uint64(0x9E3779B97F4A7C15)
_ROLL = np.uint64(0x100000001B3)
_CHUNK = 4096  # shingles per block: bounds the (num_perm x block) work array at 4 MB
_PIECE = 1 << 16  # bytes per word-hashing piece: bounds the power tables at 2 x 512 kB
_BITS = 16
_LOW = np.uint64((1 << _BITS) - 1)
CHANCE = 2.0**-_BITS  # two different minima agree on their low bits by chance


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


def word_hashes(data: bytes) -> np.ndarray:
    """A 64-bit hash per white-space separated word of ``data``, without a Python loop per word.

    Polynomial hash of the bytes from prefix sums (mod 2**64), brought to a common origin with
    inverse powers, then mixed (xorshift-multiply) so every bit depends on every byte. Long
    texts go in pieces cut at white space, so the power tables stay at most ``_PIECE`` long.
    """
    arr = np.frombuffer(data, np.uint8)
    if len(arr) <= _PIECE:
        return piece_hashes(arr)
    pieces, start = [], 0
    while start < len(arr):
        window = arr[start : start + _PIECE]
        blanks = np.flatnonzero(window <= 32)
        cut = len(window) if start + _PIECE >= len(arr) or not len(blanks) else int(blanks[-1]) + 1
        pieces.append(piece_hashes(window[:cut]))
        start += cut
    return np.concatenate(pieces)


def piece_hashes(arr: np.ndarray) -> np.ndarray:
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


def shingles(text: str, k: int) -> np.ndarray:
    """The distinct ``k``-word shingle hashes of the normalised text (one shingle if it has fewer words)."""
    h = word_hashes(normalized_bytes(text))
    grams = h
    for i in range(1, min(k, len(h))):
        grams = grams[:-1] * _ROLL + h[i:]
    return np.unique(grams)


class MinHasher:
    """``num_perm`` seeded hash functions; the same seed gives the same signatures in every process."""

    def __init__(self, num_perm: int, seed: int) -> None:
        rng = np.random.default_rng(seed)
        self.a = rng.integers(1, 2**63, num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
        self.b = rng.integers(0, 2**63, num_perm, dtype=np.uint64)

    def signature(self, grams: np.ndarray) -> np.ndarray | None:
        """Low 16 bits of each hash function's minimum over ``grams``; None for an empty set."""
        if not len(grams):
            return None
        mins = None
        for start in range(0, len(grams), _CHUNK):
            values = np.multiply.outer(self.a, grams[start : start + _CHUNK])
            values += self.b[:, None]
            values >>= np.uint64(32)
            block = values.min(axis=1)
            mins = block if mins is None else np.minimum(mins, block)
        return (mins & _LOW).astype(np.uint16)


def jaccard(sig_a: np.ndarray, sig_b: np.ndarray) -> float | np.ndarray:
    """Estimated Jaccard of two signatures (or of one against a stack of them), chance matches removed."""
    match = (sig_b == sig_a).mean(axis=-1)
    return np.maximum(0.0, (match - CHANCE) / (1 - CHANCE))


def containment(j: float | np.ndarray, size_kept: float | np.ndarray, size_new: float | np.ndarray):
    """Share of the new document's shingles that the kept one has, from Jaccard and the two set sizes."""
    shared = j * (size_kept + size_new) / (1.0 + j)
    return np.minimum(1.0, shared / np.maximum(size_new, 1))
