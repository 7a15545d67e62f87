"""The unit of work every stage passes along, and the record of what was taken out of it.

A plain slotted dataclass rather than a pydantic model: millions of these are built per run
and validation already happened at the reader, so construction must cost next to nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Removal(NamedTuple):
    """One explained removal: which stage, which rule, what text (a line, a span or a field), and for a learned
    model the probability it acted on (``None`` for a rule): the text stays exactly what was removed."""

    stage: str
    rule: str
    text: str
    score: float | None = None


@dataclass(slots=True)
class Document:
    """A document on its way through the pipeline.

    ``raw`` keeps the input record as read, so a rejected document can be written out whole
    and a user can re-run it. ``removals`` is ``None`` unless explaining was asked for: the
    hot path then pays nothing for explainability beyond the per-rule counters.
    """

    id: str
    text: str = ""
    html: str | None = None
    title: str | None = None
    url: str | None = None
    domain: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    sentences: list[str] | None = None
    sentence_spans: list[tuple[int, int]] | None = None
    raw: dict[str, Any] | None = None
    removals: list[Removal] | None = None

    def output_record(self) -> dict[str, Any]:
        """The clean-output JSON object of the contract: optional fields only when present."""
        rec: dict[str, Any] = {"id": self.id, "text": self.text}
        if self.title:
            rec["title"] = self.title
        if self.url:
            rec["url"] = self.url
        if self.sentences is not None:
            rec["sentences"] = self.sentences
        if self.sentence_spans is not None:
            rec["sentence_spans"] = self.sentence_spans
        rec["metadata"] = self.metadata
        return rec

    def host(self) -> str | None:
        """The site a document belongs to, for per-site statistics: domain, else the URL host."""
        if self.domain:
            return self.domain.lower().removeprefix("www.")
        if self.url:
            rest = self.url.split("://", 1)[-1]
            host = rest.split("/", 1)[0].split("?", 1)[0].split("@")[-1].split(":")[0]
            return host.lower().removeprefix("www.") or None
        return None
