"""The parameters of ``extract_html``, one trade-off per field (what ``boilerclean stages`` prints)."""

from __future__ import annotations

from pydantic import Field

from boilerclean.cleaners.stage import Params


class ExtractHtmlParams(Params):
    max_chars: int = Field(
        5_000_000,
        ge=1,
        description="pages longer than this (characters) are rejected as extract:too_large; "
        "higher keeps odd giant pages at the cost of memory and time per worker",
    )
    max_elements: int = Field(
        50_000,
        ge=1,
        description="pages whose DOM has more elements are rejected as extract:too_large: the in-process bound "
        "on trafilatura's time, which grows with the tree (~1 s per 10k elements on a busy core; news pages "
        "have 1-5k); higher keeps monster pages at the risk of extract:timeout",
    )
    timeout_s: float = Field(
        10.0,
        gt=0,
        description="per-page time limit enforced by the runner's killable worker "
        "(extract:timeout); trafilatura cannot be interrupted in-process",
    )
    fast: bool = Field(
        True,
        description="trafilatura without its readability/jusText comparison: about twice as fast; with the "
        "block scorer behind it, it also scored better on the dev pages (the comparison mostly adds boilerplate)",
    )
    favor_precision: bool = Field(False, description="trafilatura's precision mode: less text, less boilerplate")
    favor_recall: bool = Field(
        True,
        description="trafilatura's recall mode: more text and more boilerplate, which the block scorer then "
        "removes; off loses article paragraphs the scorer cannot bring back",
    )
    include_tables: bool = Field(True, description="keep tables (as '| a | b |' rows); off drops data tables too")
    fallback: bool = Field(
        True,
        description="when fast mode extracts less than short_page_chars, retry in trafilatura's full mode and keep "
        "the longer; when nothing is found, take trafilatura's baseline(); off rejects such pages as extract:empty",
    )
    short_page_chars: int = Field(
        500,
        ge=0,
        description="an extraction shorter than this (characters) is retried in full mode: fast mode misses text "
        "on odd layouts; higher costs a second extraction on more short pages",
    )
    drop_boilerplate: bool = Field(
        True, description="score each extracted block with the shipped model and drop the boilerplate ones"
    )
    drop_threshold: float = Field(
        0.7,
        gt=0,
        le=1,
        description="P(boilerplate) at which a block is dropped, calibrated by host-grouped CV (at 0.7, 9 in 10 "
        "dropped words were boilerplate); lower removes more boilerplate and more real paragraphs",
    )
    max_drop_share: float = Field(
        0.5,
        gt=0,
        le=1,
        description="a page where the scorer would drop more than this share of the words is unlike the pages it "
        "learned from: it gets bare trafilatura's precision mode instead; 1 trusts the scorer on every page "
        "(one it would empty keeps all its blocks)",
    )
    set_title: bool = Field(True, description="fill doc.title from og:title/<title>/<h1> when it is empty")
