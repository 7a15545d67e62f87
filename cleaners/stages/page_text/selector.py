"""Keep the main-content region of a whole web page given as text, one block element per line.

Whole-page text (navigation, teasers, footer, comments and all) has no markup left to say
where the article is, but its shape still does: the article is a run of long lines that end
like sentences, the template is short, title-cased, link-like lines, and both come in runs.
Phrase lists cannot see that; a per-line classifier with page context can, in any language:
every cue is a count (words, CJK characters counted as half words, punctuation incl. 。！？,
case, digits, symbols, position), never a word of some language.

Three steps, jusText-like but learned:

1. Stage 1 scores each line from its own shape and its neighbourhood's (share of prose lines
   within 1, 3, 8 and 20 lines; prose mass before and after; distance to the nearest prose line;
   duplicates of earlier lines, because the second copy of a text is template).
2. Stage 2 re-scores each line from its own features plus the stage-1 scores around it, so a
   short subheading between two paragraphs comes up and a lone paragraph in a footer goes down.
3. The densest contiguous region: a maximum-sum run over ``(p - region_threshold) * units **
   length_power`` cuts headers, footers, teasers and comment threads off; inside the region a
   line is kept when ``p >= keep_threshold``.

The weights (two logistic regressions, ~3 KB of JSON in ``cleaners/models/``) are trained by
``benchmarks/train_page_text.py`` on the dev half of the extraction set only. On those 91 pages,
shingle F1 with 5-fold CV grouped by host (pages of a site never in train and test): 0.919 for
this stage alone, 0.927 for configs/page-text.yaml (in-sample: 0.937 / 0.944; one-line rule
0.842, whole page 0.679). ``benchmarks/eval_textmode.py --cv`` reproduces them.

The gate (``mode: auto``) lets the same stage sit in a chain for already-extracted article text:
it acts only when the text is unmistakably a whole page, with menus (runs of short, digit-free
navigation lines) both above and below the region; see ``gate.py`` for why articles made of
short lines (market reports, recipes, schedules, results, tables, Q&A, code blocks, hard-wrapped
text) never look like that.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import DocumentStage, Params, Reject, StageLog
from boilerclean.cleaners.stages.page_text.features import line_scores, line_units, load_model, select_lines
from boilerclean.cleaners.stages.page_text.gate import maybe_label, menu_lines, menus_around


class SelectMainText(DocumentStage):
    """Reduce a whole page's text (one block per line) to its main-content lines."""

    name = "select_main_text"

    class Params(Params):
        model: str = Field(
            "page_text_lr.json",
            description="weights file in cleaners/models/ (or a path); retrain with benchmarks/train_page_text.py",
        )
        region_threshold: float = Field(
            0.5,
            ge=0.0,
            le=1.0,
            description="a line adds to the main region when its score is above this; lower grows the region "
            "over teasers and comments, higher cuts off weak paragraphs at its edges",
        )
        keep_threshold: float = Field(
            0.5,
            ge=0.0,
            le=1.0,
            description="score a line inside the region needs to be kept; lower keeps more subheadings and "
            "list items, and more captions and bylines",
        )
        length_power: float = Field(
            0.5,
            ge=0.0,
            le=2.0,
            description="how much a line's length weighs in the region sum (0: every line counts the same, "
            "1: in proportion to its words)",
        )
        min_lines: int = Field(
            4,
            ge=1,
            description="texts with fewer non-blank lines pass unchanged: too little page to find a region in",
        )
        min_words: float = Field(
            10,
            ge=0,
            description="a selection of fewer words (CJK: two characters a word) is no article: the page is "
            "rejected as structure:no_main_text; 0 keeps whatever was found",
        )
        mode: Literal["auto", "always"] = Field(
            "auto",
            description="auto: act only on text that is unmistakably a whole page (menus above and below the "
            "region, see gate_*), pass any other text unchanged; always: select on every text (page-text)",
        )
        gate_min_lines: int = Field(
            15,
            ge=1,
            description="auto mode: texts with fewer non-blank lines pass unchanged; a page with a header, an "
            "article and a footer has dozens; lower lets the gate consider short texts",
        )
        gate_edge_lines: int = Field(
            5,
            ge=1,
            description="auto mode: menu lines needed above AND below the region; lower acts on pages with a "
            "thin header or footer, and on articles with a few label-only lines at both ends",
        )
        gate_nav_words: float = Field(
            3,
            ge=1,
            description="auto mode: a navigation line has at most this many words (CJK: two characters a word), "
            "no digit, no sentence ending, no code marks and no wrapped-sentence start; higher counts key "
            "points and teasers as menus",
        )
        gate_nav_run: int = Field(
            3,
            ge=1,
            description="auto mode: navigation lines count as a menu only in runs of this many in a row; lower "
            "counts the labels of tables and lists that alternate with numbers",
        )

    params: Params

    def __init__(self, params: Params | None = None) -> None:
        super().__init__(params)
        self.model = load_model(self.params.model)

    def apply(self, doc: Document, log: StageLog) -> Document:
        lines = [line.strip() for line in (doc.text or "").split("\n")]
        lines = [line for line in lines if line]
        if len(lines) < self.params.min_lines:
            return doc
        prm = self.params
        if prm.mode == "auto":
            if len(lines) < prm.gate_min_lines:
                log.counters["structure:gate_closed"] += 1
                return doc
            # menus are the one cue the gate trusts; too few menu lines in the whole text and no region
            # can have gate_edge_lines of them on both sides, so the model need not even run
            units = np.array([line_units(line)[0] if maybe_label(line) else np.inf for line in lines])
            if menu_lines(lines, units, prm.gate_nav_words, prm.gate_nav_run).sum() < 2 * prm.gate_edge_lines:
                log.counters["structure:gate_closed"] += 1
                return doc
        p, units = line_scores(lines, self.model)
        mask = select_lines(p, units, prm.region_threshold, prm.keep_threshold, prm.length_power)
        if prm.mode == "auto":
            above, below = menus_around(lines, units, mask, prm.gate_nav_words, prm.gate_nav_run)
            if min(above, below) < prm.gate_edge_lines:
                log.counters["structure:gate_closed"] += 1
                return doc
            log.counters["structure:gate_open"] += 1
        words = float(units[mask].sum())
        if not mask.any() or words < prm.min_words:
            raise Reject("structure:no_main_text", value=words, threshold=prm.min_words)
        first, last = np.flatnonzero(mask)[[0, -1]]
        for i, line in enumerate(lines):
            if not mask[i]:
                log.removed(doc, "structure:outside_main" if i < first or i > last else "structure:weak_line", line)
        doc.text = "\n\n".join(line for line, keep in zip(lines, mask.tolist(), strict=True) if keep)
        return doc
