"""``normalize_whitespace``: one canonical layout so later stages and users see paragraphs.

Scrapers emit ``\r\n``, non-breaking spaces, zero-width characters, trailing blanks and runs
of empty lines. Every stage after this one can then assume: lines without edge spaces, and
paragraphs separated by exactly one blank line (the output contract).
"""

from __future__ import annotations

import re

from pydantic import Field

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import DocumentStage, Params, StageLog
from boilerclean.cleaners.textutil import drop_invisible

# runs that need rewriting only (a lone space is already canonical, and most gaps are one)
_SPACES = re.compile(r"[^\S \n][^\S\n]*| [^\S\n]+")
_BLANKS = re.compile(r"\n\s*\n\s*")


class NormalizeWhitespaceParams(Params):
    paragraph_per_line: bool = Field(
        True,
        description="treat every line as its own paragraph (scraped text: one line = one block); "
        "off keeps single line breaks inside paragraphs",
    )
    remove_invisible: bool = Field(True, description="drop zero-width spaces, soft hyphens, BOMs and bidi controls")


class NormalizeWhitespace(DocumentStage):
    """Canonical spacing: collapsed runs, stripped lines, one blank line between paragraphs."""

    name = "normalize_whitespace"
    Params = NormalizeWhitespaceParams

    def apply(self, doc: Document, log: StageLog) -> Document:
        text = doc.text
        if self.params.remove_invisible:
            text = drop_invisible(text)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if self.params.paragraph_per_line:
            lines = (line.strip() for line in _SPACES.sub(" ", text).split("\n"))
            text = "\n\n".join(line for line in lines if line)
        else:
            blocks = (
                "\n".join(s for s in (_SPACES.sub(" ", ln).strip() for ln in block.split("\n")) if s)
                for block in _BLANKS.split(text)
            )
            text = "\n\n".join(b for b in blocks if b)
        if text != doc.text:
            log.changed(doc, "whitespace:normalized", chars=len(doc.text) - len(text))
            doc.text = text
        if doc.title:
            doc.title = _SPACES.sub(" ", drop_invisible(doc.title)).strip() or None
        return doc
