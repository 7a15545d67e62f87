"""Identify each document's language and keep only the languages a dataset wants.

py3langid (a maintained fork of langid.py) ships its model inside the wheel, so nothing is
downloaded at run time, and it classifies a few kilobytes in a fraction of a millisecond. Its
normalised probabilities are calibrated by text length (softmax temperature sqrt(bytes)), so
``min_confidence`` means about the same on a tweet and on an essay.

Only the first ``max_chars`` characters are classified: language does not change halfway
through a news article, and the cost of the classifier grows with the text.

Writes ``metadata.language`` (ISO 639-1 code, ``und`` when there is nothing to classify) and
``metadata.language_confidence``. Rejects ``language:not_kept`` (value = the language found)
when ``keep`` is set and the language is not in it, and ``language:low_confidence`` when the
best guess is below ``min_confidence``.
"""

from __future__ import annotations

import re
from functools import cache

from pydantic import Field

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import DocumentStage, Params, Reject, StageLog

_LETTER = re.compile(r"[^\W\d_]")


@cache
def _identifier():
    """py3langid's shipped model (~2 MB, ~0.5 s to load): loaded once per process, shared read-only."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


class LanguageParams(Params):
    keep: tuple[str, ...] = Field(
        (), description="language codes to keep (e.g. [en]); empty keeps every language and only labels"
    )
    min_confidence: float = Field(
        0.0,
        ge=0.0,
        le=1.0,
        description="reject documents whose best language is less likely than this; high values drop short "
        "or mixed-language texts along with the noise",
    )
    max_chars: int = Field(
        1000, ge=100, description="classify only this prefix: cost grows with it; more helps mixed-language texts"
    )


class DetectLanguage(DocumentStage):
    """Label ``metadata.language`` / ``language_confidence``; keep only the configured languages."""

    name = "language"
    Params = LanguageParams

    def __init__(self, params: LanguageParams | None = None) -> None:
        super().__init__(params)
        self._identifier = _identifier()
        unknown = set(self.params.keep) - set(self._identifier.labels)
        if unknown:
            raise ValueError(
                f"language: unknown code(s) in keep: {sorted(unknown)}; valid: {', '.join(self._identifier.labels)}"
            )
        self._keep = frozenset(self.params.keep)

    def detect(self, text: str) -> tuple[str, float]:
        """(ISO 639-1 code, probability); ``("und", 0.0)`` when the text has no letters."""
        sample = text[: self.params.max_chars]
        if not _LETTER.search(sample):
            return "und", 0.0
        lang, confidence = self._identifier.classify(sample)
        return lang, round(float(confidence), 4)

    def apply(self, doc: Document, log: StageLog) -> Document:
        lang, confidence = self.detect(doc.text)
        doc.metadata["language"] = lang
        doc.metadata["language_confidence"] = confidence
        if self._keep and lang not in self._keep:
            raise Reject("language:not_kept", value=lang, confidence=confidence, keep=sorted(self._keep))
        if confidence < self.params.min_confidence:
            raise Reject(
                "language:low_confidence", value=confidence, threshold=self.params.min_confidence, language=lang
            )
        log.counters[f"language:{lang}"] += 1
        return doc
