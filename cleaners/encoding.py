"""``fix_encoding``: repair mojibake, HTML entities and stray control characters with ftfy.

Typographic quotes and dashes are article text, not damage, so they are kept unless the
config asks to uncurl them: ML users want the text as written, not an ASCII-fied copy.
"""

from __future__ import annotations

from pydantic import Field

from cleaners.document import Document
from cleaners.stage import DocumentStage, Params, StageLog
from cleaners.textutil import INVISIBLE


class FixEncodingParams(Params):
    fix_mojibake: bool = Field(True, description="undo UTF-8 read as Latin-1/Windows-1252 (D√ºsseldorf -> Düsseldorf)")
    unescape_html: bool = Field(True, description="turn leftover entities (&amp; &rsquo;) into characters")
    remove_control_chars: bool = Field(
        True, description="drop C0/C1 controls and invisible format debris (zero-width spaces, soft hyphens, BOMs)"
    )
    uncurl_quotes: bool = Field(False, description="turn ‘ ’ “ ” into ' and \"; off keeps the text as written")
    normalization: str | None = Field(
        None, pattern="^(NFC|NFKC|NFD|NFKD)$", description="Unicode normalization form; NFKC also folds ligatures"
    )
    fix_title: bool = Field(True, description="apply the same repairs to the title")


class FixEncoding(DocumentStage):
    """ftfy with product defaults: repair damage, keep the author's typography."""

    name = "fix_encoding"
    Params = FixEncodingParams

    def __init__(self, params: FixEncodingParams | None = None) -> None:
        super().__init__(params)
        import ftfy

        p = self.params
        self._fix = ftfy.fix_text
        self._config = ftfy.TextFixerConfig(
            unescape_html=p.unescape_html,
            remove_terminal_escapes=True,
            fix_encoding=p.fix_mojibake,
            restore_byte_a0=p.fix_mojibake,
            replace_lossy_sequences=p.fix_mojibake,
            decode_inconsistent_utf8=p.fix_mojibake,
            fix_c1_controls=p.fix_mojibake,
            fix_latin_ligatures=False,
            fix_character_width=False,
            uncurl_quotes=p.uncurl_quotes,
            fix_line_breaks=True,
            fix_surrogates=True,
            remove_control_chars=p.remove_control_chars,
            normalization=p.normalization,
            explain=False,
        )

    def _repair(self, text: str) -> str:
        # ftfy is ~3 MB/s; pure-ASCII text without entities or controls cannot need it.
        if text.isascii() and "&" not in text and "\r" not in text and (text.isprintable() or _only_ws_controls(text)):
            return text
        if self.params.remove_control_chars:
            # before ftfy, so that text split by a soft hyphen or zero-width space is repaired whole
            text = text.translate(INVISIBLE)
        return self._fix(text, self._config)

    def apply(self, doc: Document, log: StageLog) -> Document:
        fixed = self._repair(doc.text)
        if fixed != doc.text:
            log.changed(doc, "encoding:repaired", chars=abs(len(doc.text) - len(fixed)))
            doc.text = fixed
        if self.params.fix_title and doc.title:
            doc.title = self._repair(doc.title)
        return doc


def _only_ws_controls(text: str) -> bool:
    """True when the only non-printable characters are newlines and tabs (the common case)."""
    return text.translate(_WS_DELETE).isprintable()


_WS_DELETE = str.maketrans("", "", "\n\t")
