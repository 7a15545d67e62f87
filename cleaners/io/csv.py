"""CSV/TSV files: the first row names the columns, each later row is one document or one reject.

Columns map like JSON fields (``input.text_field``, ``html_field``, ``id_field``; ``url``,
``title``, ``domain``; the rest into ``metadata``). An empty cell is a missing value (left out). Ids
default to ``<file>:<row>`` with rows counted from 1 after the header (a quoted field may
span lines, so line numbers would be ambiguous). The file is decoded as UTF-8 (UTF-16 when it
looks like it); cells that are not valid UTF-8 are decoded cell by cell as cp1252.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from boilerclean.cleaners.config import InputConfig
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.io.files import head, looks_binary, open_input, sniff_utf16, split_compression
from boilerclean.cleaners.io.piece import Piece
from boilerclean.cleaners.io.records import record_item, reject, unescape_bytes
from boilerclean.cleaners.stage import Rejected

_FIELD_LIMIT_PREFIX = "field larger than field limit"


def read_csv(piece: Piece, inp: InputConfig | None = None) -> Iterator[Document | Rejected]:
    """Documents (or ``read:*`` rejects) of one CSV/TSV file, one per data row."""
    inp = inp or InputConfig()
    delimiter = inp.csv_delimiter or ("\t" if split_compression(piece.rel)[0].endswith(".tsv") else ",")
    # The limit is process-wide in the csv module; raising it to ours only ever loosens it.
    csv.field_size_limit(max(csv.field_size_limit(), inp.max_doc_bytes))
    with open_input(piece.path, inp.max_file_bytes) as f:
        first = head(f)
        if looks_binary(first):
            yield reject(f"{piece.rel}:*", "read:binary", {"path": piece.rel})
            return
        utf16 = sniff_utf16(first)
        # surrogateescape keeps non-UTF-8 bytes for a per-cell cp1252 decode; it cannot carry the
        # ASCII bytes a broken UTF-16 stream fails on, so UTF-16 replaces instead.
        errors = "replace" if utf16 else "surrogateescape"
        text = io.TextIOWrapper(f, encoding=utf16 or "utf-8-sig", errors=errors, newline="")
        reader = csv.reader(text, delimiter=delimiter)
        try:
            header = [unescape_bytes(h).strip() for h in next(reader)]
        except StopIteration:
            yield reject(f"{piece.rel}:*", "read:empty_file", {"path": piece.rel})
            return
        except csv.Error as exc:
            yield reject(f"{piece.rel}:*", "read:invalid_csv", {"path": piece.rel}, error=str(exc))
            return
        row_no = 0
        while True:
            line_before = reader.line_num
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                row_no += 1
                reason = "read:too_large" if str(exc).startswith(_FIELD_LIMIT_PREFIX) else "read:invalid_csv"
                yield reject(f"{piece.rel}:{row_no}", reason, {"row": row_no}, error=str(exc))
                if reader.line_num == line_before:  # no progress: the reader cannot go on
                    break
                continue
            row_no += 1
            fallback_id = f"{piece.rel}:{row_no}"
            if not cells:
                yield reject(fallback_id, "read:empty_line", {"row": row_no})
                continue
            values = [unescape_bytes(c) for c in cells]
            if len(values) != len(header):
                raw = {"row": row_no, "cells": values[:50]}
                yield reject(fallback_id, "read:csv_field_count", raw, expected=len(header), got=len(values))
                continue
            rec = {k: v for k, v in zip(header, values, strict=True) if v != ""}
            yield record_item(rec, fallback_id, inp)
    if row_no == 0:
        yield reject(f"{piece.rel}:*", "read:empty_file", {"path": piece.rel, "header": header})
