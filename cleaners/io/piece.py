"""What a shard is made of: whole files, or byte ranges of one large JSONL file.

Its own module because both sides need it: the readers of each format take a ``Piece``, and the
planner that cuts inputs into shards makes them; neither side should import the other for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Piece:
    """A whole file, or the byte range [start, end) of an uncompressed JSONL file."""

    path: str
    rel: str
    start: int = 0
    end: int | None = None
    first_line: int = 1


@dataclass(frozen=True, slots=True)
class Shard:
    """One unit of work: a few pieces adding up to about ``max_bytes`` of input."""

    index: int
    pieces: tuple[Piece, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return f"part-{self.index:05d}"
