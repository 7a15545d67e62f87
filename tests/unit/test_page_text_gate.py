"""select_main_text's gate (mode auto): it opens on whole pages only, never on extracted article text."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from boilerclean.cleaners.config import parse_config
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.pipeline import clean_documents
from boilerclean.cleaners.stage import Rejected
from boilerclean.cleaners.stages.page_text.features import SENT_END, line_units
from boilerclean.cleaners.stages.page_text.gate import menu_lines, nav_lines
from boilerclean.cleaners.stages.page_text.selector import SelectMainText
from tests.unit.page_text_examples import (
    CREDITS,
    EN_BODY,
    EXTRA_BODY,
    FOOTER,
    MEMO,
    NAV,
    PYTHON_TUTORIAL,
    SHARE_ROW,
    SQL_TUTORIAL,
    page,
)
from tests.unit.short_articles import ARTICLES

SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", Path(__file__).resolve().parents[2] / ".." / "shared"))


def _run(text: str, **params) -> tuple[Document | Rejected, dict]:
    stage = SelectMainText(SelectMainText.Params(**params))
    out, reports = clean_documents([stage], [Document(id="p", text=text, removals=[])])
    return out[0], reports[-1]["counters"]


def test_gate_opens_on_a_wholepage():
    doc, counters = _run(page(EN_BODY))
    assert doc.text.split("\n\n") == EN_BODY
    assert counters == {"structure:gate_open": 1}


@pytest.mark.parametrize(
    "lines",
    [
        ["Posted on by admin", "from Reuters", *EN_BODY, *EXTRA_BODY, *SHARE_ROW],  # debris at both ends, few on top
        [*EN_BODY, *EXTRA_BODY, *CREDITS],  # a long list at one end is the article's
        [*NAV, "Old bridge to close", *EN_BODY, *EXTRA_BODY],  # header but no footer: not shaped like a page
    ],
    ids=["debris_both_ends", "credits_list", "one_sided"],
)
def test_gate_passes_extracted_text_unchanged(lines: list[str]):
    text = "\n".join(lines)
    assert len(lines) >= 15  # long enough for the gate to look at the shape, not just the length
    doc, counters = _run(text)
    assert doc.text == text and doc.removals == []
    assert counters == {"structure:gate_closed": 1}
    cut, _ = _run(text, mode="always")  # the gate is what keeps these intact: without it lines go
    assert isinstance(cut, Rejected) or cut.text != text


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_gate_never_opens_on_articles_made_of_short_lines(name: str):
    """Market reports, price lists, schedules, results, tables, recipes, Q&A: numbers and question marks
    break every run of label lines, so no menu forms, with or without a share row at the end."""
    for lines in (ARTICLES[name], [*ARTICLES[name], *SHARE_ROW], ["Home", "Markets", "Sport", *ARTICLES[name]]):
        text = "\n".join(lines)
        doc, counters = _run(text)
        assert doc.text == text and doc.removals == []
        assert counters == {"structure:gate_closed": 1}
    cut, _ = _run("\n".join(ARTICLES[name]), mode="always")  # the shape alone would have cut them
    assert isinstance(cut, Rejected) or len(cut.text.split("\n\n")) < len(ARTICLES[name])


def test_gate_needs_menus_not_just_short_lines():
    """Short label lines at both ends open the gate only as runs (menus): alternating with numbers they never do."""
    labels = ["Northfield", "Eastbank", "Harbour", "Westvale", "Oakham", "Millbrook"]
    table = [line for i, name in enumerate(labels) for line in (name, f"{100 + i * 7}")]
    text = "\n".join([*table, *EN_BODY, *EXTRA_BODY, *table])
    assert _run(text)[1] == {"structure:gate_closed": 1}
    menu = "\n".join([*labels, *EN_BODY, *EXTRA_BODY, *labels])
    doc, counters = _run(menu)
    assert counters == {"structure:gate_open": 1} and doc.text.split("\n\n") == EN_BODY + EXTRA_BODY


def _nav(lines: list[str], menus: bool = False) -> list[str]:
    units = np.array([line_units(x)[0] for x in lines])
    flags = menu_lines(lines, units, 3, 3) if menus else nav_lines(lines, units, 3)
    return [line for line, flag in zip(lines, flags, strict=True) if flag]


def _label_shaped(lines: list[str]) -> list[str]:
    """Lines a shape-only test would call navigation: <= 3 words, no digit, no sentence end."""
    return [x for x in lines if line_units(x)[0] <= 3 and not any(map(str.isdigit, x)) and not SENT_END.search(x)]


@pytest.mark.parametrize("lines", [SQL_TUTORIAL, PYTHON_TUTORIAL, MEMO], ids=["sql", "python", "hard_wrapped_memo"])
def test_gate_never_opens_on_code_or_hard_wrapped_text(lines: list[str]):
    """Keyword lines of a code block and the tails of hard-wrapped sentences are short, digit-free and
    unended like menu labels; the code marks around them and the unended line before them tell them apart."""
    text = "\n".join(lines)
    doc, counters = _run(text)
    assert doc.text == text and doc.removals == []
    assert counters == {"structure:gate_closed": 1}
    cut, _ = _run(text, mode="always")  # what the gate protects: the stage cuts or rejects these
    assert isinstance(cut, Rejected) or len(cut.text.split("\n\n")) < len(lines) / 2


@pytest.mark.parametrize("lines", [SQL_TUTORIAL, PYTHON_TUTORIAL], ids=["sql", "python"])
def test_code_lines_are_no_navigation(lines: list[str]):
    """By shape alone these blocks are menus, above and below the prose (they opened the gate before)."""
    assert len(_label_shaped(lines)) >= 15
    assert _nav(lines, menus=True) == []
    assert len(_nav(lines)) <= 1  # a lone keyword line after a block's last mark: no run, no menu


def test_hard_wrapped_continuations_are_no_navigation():
    wrapped = [
        "The committee will meet again once the survey of the eastern wing is",
        "finished",
        "and the contractor has sent a written quote for the roof and the",
        "gutters",
    ]
    assert _nav(wrapped) == []
    assert _label_shaped(wrapped) == ["finished", "gutters"]
    # a lower-case label after another label is still one, and so is one after a sentence
    assert _nav(["home", "about", "contact"]) == ["home", "about", "contact"]
    assert _nav([EN_BODY[0], "archive", "search"]) == ["archive", "search"]
    assert _nav(MEMO, menus=True) == ["version tag", "media type", "content length"]  # a real list of labels


def test_menu_labels_stay_navigation():
    """What code and wrap cues look at is absent from menus: these must all still count."""
    labels = ["Home", "News & Events", "Google+", "Apple TV+", "Sign in", "Log in / Register", "Terms & Conditions"]
    labels += ["Español", "Deutsch", "日本語", "Contact us", "A", "+", "–", "Next »", "« Back", "Follow us:"]
    assert _nav(labels) == labels


def test_gate_still_opens_on_a_page_whose_article_holds_code():
    snippet = ["SELECT", "name,", "total", "FROM", "orders", "WHERE total > 100;"]
    body = [*EN_BODY[:3], *snippet, *EN_BODY[3:], *EXTRA_BODY]
    doc, counters = _run(page(body))
    assert counters == {"structure:gate_open": 1}
    kept = doc.text.split("\n\n")
    assert set(EN_BODY + EXTRA_BODY) <= set(kept)
    assert not set(NAV + FOOTER) & set(kept)


def test_gate_thresholds_are_params():
    text = "\n".join(["Home", "News", "Sport", *EN_BODY, *EXTRA_BODY, "About", "Contact", "Jobs"])
    assert _run(text)[0].text == text  # a 3-line menu a side: below the default gate_edge_lines
    doc, counters = _run(text, gate_edge_lines=3, gate_min_lines=10)
    assert doc.text.split("\n\n") == EN_BODY + EXTRA_BODY and counters == {"structure:gate_open": 1}
    assert _run(text, gate_edge_lines=3, gate_min_lines=20)[0].text == text
    assert _run(text, gate_edge_lines=3, gate_min_lines=10, gate_nav_run=4)[0].text == text  # runs too short
    text = text.replace("Jobs", "Work with us")
    assert _run(text, gate_edge_lines=3, gate_min_lines=10)[1] == {"structure:gate_open": 1}
    assert _run(text, gate_edge_lines=3, gate_min_lines=10, gate_nav_words=2)[0].text == text  # 3 words: no menu


def test_golden_extracted_articles_pass_the_gate_unchanged():
    """newslines dev: article text a scraper already extracted, debris and all; auto must not touch a line."""
    path = SHARED / "eval" / "newslines" / "dev_docs.jsonl"
    if not path.exists():
        pytest.skip(f"{path} not found (set BOILERCLEAN_SHARED)")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    stages = parse_config({"stages": [{"name": "normalize_whitespace"}, {"name": "select_main_text"}]}).build_stages()
    docs = [Document(id=r["doc_id"], text=r["raw"], removals=[]) for r in records]
    out, reports = clean_documents(stages, docs)
    assert [d.removals for d in out] == [[] for _ in records]
    assert "structure:gate_open" not in reports[-1]["counters"]
    spec = [{"name": "normalize_whitespace"}, {"name": "select_main_text", "mode": "always"}]
    always = parse_config({"stages": spec})
    _, reports = clean_documents(always.build_stages(), [Document(id=r["doc_id"], text=r["raw"]) for r in records])
    assert sum(reports[-1]["lines_removed"].values()) > 50  # without the gate the stage does cut these texts
