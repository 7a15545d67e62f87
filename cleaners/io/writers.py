"""Open the writer for one clean part in the configured format and record layout.

Clean parts come in ``jsonl``, ``jsonl.gz`` (a fixed gzip header, so reruns are byte-identical) or
``parquet``, with the record layout of ``io.schema``; the writing itself is ``io.parts``.
"""

from __future__ import annotations

from pathlib import Path

from boilerclean.cleaners.config import OutputConfig
from boilerclean.cleaners.io.parts import Part, PartWriter
from boilerclean.cleaners.io.schema import record_mapper


def open_part(directory: Path, name: str, output: OutputConfig) -> Part:
    """The writer for one clean part in the configured format and layout: ``<name>.<format>``."""
    if output.format == "parquet":
        from boilerclean.cleaners.io.parquet import ParquetPartWriter

        return ParquetPartWriter(Path(directory) / f"{name}.parquet", output)
    mapper = record_mapper(output)
    return PartWriter(Path(directory) / f"{name}.{output.format}", compress=output.format == "jsonl.gz", mapper=mapper)
