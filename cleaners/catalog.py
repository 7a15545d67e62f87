"""The stages a config may name, and where each one lives.

Import paths rather than classes: a config that never names ``extract_html`` should not pay
for importing trafilatura, and ``boilerclean stages`` can still list everything.
"""

from __future__ import annotations

import importlib
from functools import cache

from cleaners.stage import Stage

STAGES: dict[str, str] = {
    "extract_html": "cleaners.extract:ExtractHtml",
    "fix_encoding": "cleaners.encoding:FixEncoding",
    "normalize_whitespace": "cleaners.whitespace:NormalizeWhitespace",
    "remove_artifacts": "cleaners.artifacts:RemoveArtifacts",
    "remove_repeated_lines": "cleaners.repetition:RemoveRepeatedLines",
    "title": "cleaners.title:ExtractTitle",
    "filter_empty": "cleaners.length:FilterEmpty",
    "segment_sentences": "cleaners.sentences:SegmentSentences",
    "quality_filter": "cleaners.quality:QualityFilter",
    "language": "cleaners.language:DetectLanguage",
    "dedup_exact": "cleaners.dedup_exact:DedupExact",
    "dedup_near": "cleaners.dedup_near:DedupNear",
    "pii": "cleaners.pii:RedactPii",
    "select_main_text": "cleaners.page_text:SelectMainText",
}


@cache
def stage_class(name: str) -> type[Stage]:
    """The class registered under ``name``; KeyError if there is none."""
    module, _, attr = STAGES[name].partition(":")
    cls = getattr(importlib.import_module(module), attr)
    if getattr(cls, "name", None) != name:
        raise TypeError(f"{STAGES[name]} declares name {getattr(cls, 'name', None)!r}, catalog says {name!r}")
    return cls
