"""boilerclean's cleaning library: stages, configuration and I/O, with no orchestration in it.

Usable on its own: ``clean_documents(load_config(path).build_stages(), docs)``.
"""

from boilerclean.cleaners.config import ConfigError, PipelineConfig, load_config, parse_config
from boilerclean.cleaners.document import Document, Removal
from boilerclean.cleaners.pipeline import Pipeline, clean_documents
from boilerclean.cleaners.stage import CorpusStage, DocumentStage, Reject, Rejected, Stage, StageLog

__all__ = [
    "ConfigError",
    "CorpusStage",
    "Document",
    "DocumentStage",
    "Pipeline",
    "PipelineConfig",
    "Reject",
    "Rejected",
    "Removal",
    "Stage",
    "StageLog",
    "clean_documents",
    "load_config",
    "parse_config",
]
