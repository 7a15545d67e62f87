"""The stages a config may name, and where each one lives.

Import paths rather than classes: a config that never names ``extract_html`` should not pay
for importing trafilatura, and ``boilerclean stages`` can still list everything.
"""

from __future__ import annotations

import importlib
from functools import cache

from boilerclean.cleaners.stage import Stage

STAGES: dict[str, str] = {
    "extract_html": "boilerclean.cleaners.stages.extract.extractor:ExtractHtml",
    "fix_encoding": "boilerclean.cleaners.stages.encoding:FixEncoding",
    "normalize_whitespace": "boilerclean.cleaners.stages.whitespace:NormalizeWhitespace",
    "remove_artifacts": "boilerclean.cleaners.stages.artifacts.remover:RemoveArtifacts",
    "remove_repeated_lines": "boilerclean.cleaners.stages.repetition.stage:RemoveRepeatedLines",
    "title": "boilerclean.cleaners.stages.title:ExtractTitle",
    "filter_empty": "boilerclean.cleaners.stages.length:FilterEmpty",
    "segment_sentences": "boilerclean.cleaners.stages.sentences.segmenter:SegmentSentences",
    "quality_filter": "boilerclean.cleaners.stages.quality.filter:QualityFilter",
    "language": "boilerclean.cleaners.stages.language:DetectLanguage",
    "dedup_exact": "boilerclean.cleaners.stages.dedup.exact:DedupExact",
    "dedup_near": "boilerclean.cleaners.stages.dedup.near:DedupNear",
    "pii": "boilerclean.cleaners.stages.pii:RedactPii",
    "select_main_text": "boilerclean.cleaners.stages.page_text.selector:SelectMainText",
}


@cache
def stage_class(name: str) -> type[Stage]:
    """The class registered under ``name``; KeyError if there is none."""
    module, _, attr = STAGES[name].partition(":")
    cls = getattr(importlib.import_module(module), attr)
    if getattr(cls, "name", None) != name:
        raise TypeError(f"{STAGES[name]} declares name {getattr(cls, 'name', None)!r}, catalog says {name!r}")
    return cls
