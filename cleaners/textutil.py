"""Character classes several stages agree on, defined once so their results compose."""

from __future__ import annotations

import re

# Zero-width and bidi controls, soft hyphen and BOM carry no text; ZWJ/ZWNJ are kept (Persian,
# Indic scripts and emoji need them).
INVISIBLE_CHARS = "\u200b\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
INVISIBLE = dict.fromkeys(map(ord, INVISIBLE_CHARS))
INVISIBLE_RE = re.compile(f"[{INVISIBLE_CHARS}]")


def drop_invisible(text: str) -> str:
    """``text`` without invisible characters; a regex scan (50+ MB/s), not ``str.translate`` (~5 MB/s)."""
    return INVISIBLE_RE.sub("", text) if INVISIBLE_RE.search(text) else text
