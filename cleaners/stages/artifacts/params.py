"""The parameters of remove_artifacts, each with its trade-off (what ``boilerclean stages`` prints)."""

from __future__ import annotations

from pydantic import Field

from boilerclean.cleaners.stage import Params
from boilerclean.cleaners.stages.artifacts.linemodel import DEFAULT_MODEL


class RemoveArtifactsParams(Params):
    packs: list[str] = Field(
        default_factory=lambda: ["en"],
        description="rule packs, by name (configs/rules/<name>.yaml) or path; later packs add rules, "
        "a duplicate id keeps the first. Add a language's pack to clean that language's debris.",
    )
    disable: list[str] = Field(
        default_factory=list,
        description="rule ids to switch off (pack rules, the structural trailing_caption, trailing_separator, "
        "teaser_repeat, or the block cues repeated_in_doc, truncated_copy, teaser_run, lead_teasers, widget_island, "
        "comment_thread), for a corpus where a rule removes real text",
    )
    body_min_words: int = Field(
        12,
        ge=1,
        description="a line with at least this many words ending like a sentence is article body; top/bottom "
        "rules fire only outside the body. Lower finds the body sooner (fewer edge lines considered debris).",
    )
    edge_lines: int = Field(
        3,
        ge=0,
        description="the first and last N lines always count as top/bottom zone, even when they look like body "
        "(author bios and footers are long sentences too). Higher catches longer footers, risks last paragraphs.",
    )
    caption_max_words: int = Field(
        20,
        ge=0,
        description="a last line without sentence punctuation and at most this many words, right after a body "
        "paragraph, is taken for a photo caption (0 disables). Higher catches long captions, risks list endings.",
    )
    model: str = Field(
        "none",
        description=f"a line model that removes debris the rules missed ({DEFAULT_MODEL}: the shipped one, or a path; "
        "none: rules only). It acts only where confident; elsewhere the rules decide. Off by default: it costs "
        "~4x this stage's time and added recall only on whole-page text (benchmarks/eval_lines.py).",
    )
    model_threshold: float | None = Field(
        None,
        gt=0,
        le=1,
        description="probability at which the model removes a line (default: the model's own, calibrated by "
        "site-grouped CV for high precision). Lower removes more debris and more real lines.",
    )
    model_min_prose: float = Field(
        0.6,
        ge=0,
        le=1,
        description="the model acts only on documents whose body sentences hold at least this share of the "
        "characters; list-shaped texts (credits, schedules, price lists) are left to the rules. Lower: acts on more.",
    )
    regex_timeout: float = Field(
        0.25,
        gt=0,
        description="seconds one pattern may spend on one line; a pattern that exceeds it counts as no match "
        "(counter artifact:regex_timeout) instead of hanging the run",
    )
