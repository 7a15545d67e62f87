"""Identify each document's language and keep only the languages a dataset wants.

py3langid (a maintained fork of langid.py) ships its model inside the wheel, so nothing is
downloaded at run time, and it classifies a few kilobytes in about a millisecond. Its
normalised probabilities are calibrated by text length (softmax temperature sqrt(bytes)), so
``min_confidence`` means about the same on a tweet and on an essay.

Losing a real article costs more than keeping a doubtful one (the quality rules after this
stage still read English stop words), so the stage only *rejects* a language when it is sure:

* The sample is the evidence, not the layout. The model counts byte n-grams learnt from
  mixed-case prose; a news article opens with what it knows least: an ALL-CAPS heading or
  dateline, a byline of names, a table of scores. So the sample is built from the text's lines
  in order: lines in capitals are lower-cased (the model only does that for a text that is all
  capitals), lines with fewer than ``min_line_letters`` letters ("Share", scores) and lines in
  which every word is capitalised (names, Title Case headings) are skipped, digits are left out,
  until ``max_chars`` characters; if nothing is left, the text as is.
* ``language:not_kept`` (value = the language found) needs a language outside ``keep`` with
  probability >= ``min_confidence`` on a sample of at least ``min_chars`` letters.
* Anything else that is not a confident kept language is ``language:uncertain``: too short to
  tell, or no language probable enough. ``uncertain: keep`` keeps it (counted under
  ``language:uncertain`` in the report and flagged ``metadata.language_uncertain``);
  ``uncertain: reject`` drops it with that reason.

Only the sample is classified: language does not change halfway through a news article, and
the cost of the classifier grows with the text.

Writes ``metadata.language`` (ISO 639-1 code, ``und`` when there is nothing to classify) and
``metadata.language_confidence``.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from pydantic import Field

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import DocumentStage, Params, Reject, StageLog

_LETTER = re.compile(r"[^\W\d_]")
_NOT_EVIDENCE = re.compile(r"[\d_]+")  # digits carry no language and dilute the calibration
_OPENERS = "\"'“‘«(["


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
        description="probability a language needs to be trusted: below it a text is uncertain, neither kept "
        "as nor rejected for a language; high values make more texts uncertain",
    )
    min_chars: int = Field(
        0,
        ge=0,
        description="letters the sample needs before a text may be rejected as another language; shorter "
        "texts are uncertain (short texts are where the model errs)",
    )
    uncertain: Literal["keep", "reject"] = Field(
        "reject",
        description="what happens to uncertain texts: keep (flagged, counted) or reject as language:uncertain",
    )
    min_line_letters: int = Field(
        12,
        ge=0,
        description="lines with fewer letters (names, scores, buttons) are left out of the sample; 0 keeps all",
    )
    max_chars: int = Field(
        1000, ge=100, description="classify only this much sample: cost grows with it; more helps mixed texts"
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

    def sample(self, text: str) -> str:
        """The lines that carry language evidence, capitals lower-cased, digits out, up to ``max_chars``."""
        limit, need = self.params.max_chars, self.params.min_line_letters
        parts: list[str] = []
        size = 0
        for raw in text[: limit * 8].splitlines():
            line = _NOT_EVIDENCE.sub("", raw).strip()
            if not line or len(_LETTER.findall(line)) < need:
                continue
            if line.isupper():
                line = line.lower()
            elif not any(word.lstrip(_OPENERS)[:1].islower() for word in line.split()):
                # every word capitalised: names, a Title Case heading
                continue
            parts.append(line)
            size += len(line) + 1
            if size >= limit:
                break
        return "\n".join(parts)[:limit] if parts else text[:limit]

    def detect(self, text: str) -> tuple[str, float, int]:
        """(ISO 639-1 code, probability, letters in the sample); ``("und", 0.0, 0)`` without letters."""
        sample = self.sample(text)
        letters = len(_LETTER.findall(sample))
        if not letters:
            return "und", 0.0, 0
        lang, confidence = self._identifier.classify(sample)
        return lang, round(float(confidence), 4), letters

    def apply(self, doc: Document, log: StageLog) -> Document:
        p = self.params
        lang, confidence, letters = self.detect(doc.text)
        doc.metadata["language"] = lang
        doc.metadata["language_confidence"] = confidence
        sure = confidence >= p.min_confidence
        if sure and (not self._keep or lang in self._keep):
            log.counters[f"language:{lang}"] += 1
            return doc
        if sure and self._keep and letters >= p.min_chars:
            raise Reject("language:not_kept", value=lang, confidence=confidence, keep=sorted(self._keep))
        if p.uncertain == "reject":
            raise Reject(
                "language:uncertain",
                value=lang,
                confidence=confidence,
                letters=letters,
                min_confidence=p.min_confidence,
                min_chars=p.min_chars,
            )
        doc.metadata["language_uncertain"] = True
        log.counters["language:uncertain"] += 1
        return doc
