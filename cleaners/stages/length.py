"""``filter_empty``: reject documents with nothing (or too little) left to be worth keeping.

Runs after the removing stages so that a page that was all debris ends in the rejects with
a reason, instead of as an empty record in the clean output.
"""

from __future__ import annotations

import re

from pydantic import Field

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import DocumentStage, Params, Reject, StageLog

_WORD = re.compile(r"\w+")


class FilterEmptyParams(Params):
    min_chars: int = Field(1, ge=0, description="reject when fewer non-space characters remain")
    min_words: int = Field(0, ge=0, description="reject when fewer words remain (0: no word minimum)")


class FilterEmpty(DocumentStage):
    """Reject ``length:empty`` (nothing left) or ``length:too_short`` (under the minimums)."""

    name = "filter_empty"
    Params = FilterEmptyParams

    def apply(self, doc: Document, log: StageLog) -> Document:
        if not doc.text.strip():
            raise Reject("length:empty", value=0, threshold=max(1, self.params.min_chars))
        chars = len(doc.text) - doc.text.count(" ") - doc.text.count("\n")
        if chars < self.params.min_chars:
            raise Reject("length:too_short", value=chars, threshold=self.params.min_chars)
        if self.params.min_words:
            words = len(_WORD.findall(doc.text))
            if words < self.params.min_words:
                raise Reject("length:too_few_words", value=words, threshold=self.params.min_words)
        return doc
