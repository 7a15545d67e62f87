"""select_main_text: the article region of a whole page given as lines, in any language."""

from __future__ import annotations

import importlib.util
import json
import os
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaners.config import parse_config
from cleaners.document import Document
from cleaners.page_text import MODELS, SelectMainText, load_model, max_run, page_features
from cleaners.pipeline import clean_documents
from cleaners.stage import Reject, Rejected, StageLog

SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", Path(__file__).resolve().parents[2] / ".." / "shared"))
EXTRACTION = SHARED / "eval" / "extraction"

NAV = ["Home", "World", "Politics", "Business", "Sport", "Subscribe", "Sign in", "Search"]
FOOTER = ["About us", "Contact", "Privacy Policy", "Terms of Use", "© 2019 Example Media. All rights reserved."]
TEASERS = ["Most read", "Ten things you missed this week", "Why the market fell on Friday", "Weather warning issued"]
EN_BODY = [
    "The city council voted on Tuesday to close the old bridge for repairs, ending a debate that lasted two years.",
    "Engineers had warned that the steel supports were corroding faster than expected after last winter's floods.",
    "Residents on both sides of the river said the closure would add half an hour to their daily commute.",
    "The mayor promised that a temporary ferry service would run every fifteen minutes while the work goes on.",
    "Repairs are expected to cost about 12 million euros and to be finished before the end of next summer.",
]
JA_BODY = [
    "市議会は火曜日、老朽化した橋を修理のために閉鎖することを決めた。二年間続いた議論に決着がついた形だ。",
    "技術者たちは、昨年の冬の洪水の後、鋼製の支柱が予想以上に速く腐食していると警告していた。",
    "川の両岸に住む人々は、閉鎖によって毎日の通勤時間が三十分ほど長くなると話している。",
    "市長は工事の間、臨時のフェリーを十五分ごとに運航すると約束した。修理は来年の夏までに終わる予定だ。",
]


def _page(body: list[str], headline: str = "Old bridge to close for two years of repairs") -> str:
    return "\n".join([*NAV, headline, "By Jane Doe", "19 November 2019", *body, *TEASERS, *FOOTER])


def _clean(text: str, **params) -> Document | Rejected:
    stage = SelectMainText(SelectMainText.Params(**params))
    out, _ = clean_documents([stage], [Document(id="p", text=text, removals=[])])
    return out[0]


def test_keeps_the_article_and_drops_the_template():
    doc = _clean(_page(EN_BODY))
    kept = doc.text.split("\n\n")
    assert kept == EN_BODY
    rules = {r.rule for r in doc.removals}
    assert rules <= {"structure:outside_main", "structure:weak_line"}
    assert any(r.text == "Privacy Policy" and r.rule == "structure:outside_main" for r in doc.removals)


def test_cjk_page_without_spaces():
    doc = _clean(_page(JA_BODY, headline="老朽化した橋、修理のため閉鎖へ"))
    assert doc.text.split("\n\n") == JA_BODY


def test_subheading_between_paragraphs_survives_cut_menu_does_not():
    body = [*EN_BODY[:3], "What happens next", *EN_BODY[3:]]
    doc = _clean(_page(body))
    assert doc.text.split("\n\n") == body


def test_page_of_menus_only_is_rejected_with_reason():
    out = _clean("\n".join(NAV + FOOTER))
    assert isinstance(out, Rejected)
    assert out.reason == "structure:no_main_text"


def test_short_text_passes_unchanged():
    text = "Just one line.\nAnd another one."
    assert _clean(text).text == text


def test_every_line_is_kept_or_accounted_for():
    text = _page(EN_BODY)
    doc = _clean(text)
    kept = doc.text.split("\n\n")
    removed = [r.text for r in doc.removals]
    assert sorted(kept + removed) == sorted(line for line in text.split("\n") if line.strip())


def test_max_run():
    import numpy as np

    assert max_run(np.array([-1.0, 2.0, -0.5, 3.0, -4.0, 1.0])) == (1, 3)
    assert max_run(np.array([-3.0, -1.0, -2.0])) == (1, 1)


def test_model_matches_features_and_is_small():
    model = load_model("page_text_lr.json")
    x, _ = page_features(["A line.", "Another line of text here, with words."])
    assert len(model["stage1"]["weights"]) == x.shape[1]
    assert (MODELS / "page_text_lr.json").stat().st_size < 16_000


def test_config_builds_stage_by_name():
    stages = parse_config({"stages": [{"name": "select_main_text", "keep_threshold": 0.4}]}).build_stages()
    assert isinstance(stages[0], SelectMainText) and stages[0].params.keep_threshold == 0.4


@settings(max_examples=80, deadline=None)
@given(st.lists(st.text(max_size=120), max_size=30))
def test_never_raises_and_invents_no_text(lines: list[str]):
    stage = SelectMainText()
    text = "\n".join(lines)
    try:
        doc = stage.apply(Document(id="h", text=text), StageLog("t"))
    except Reject as rej:  # the only exception allowed: the documented rejection
        assert rej.reason == "structure:no_main_text"
        return
    if doc.text == text:  # passed unchanged (too few lines)
        return
    source = {line.strip() for line in text.split("\n")}
    assert all(line in source for line in doc.text.split("\n\n") if line)


def _dev_pages() -> tuple[dict[str, str], dict]:
    if not (EXTRACTION / "lines.jsonl").exists():
        pytest.skip(f"{EXTRACTION} not found (set BOILERCLEAN_SHARED)")
    rows = defaultdict(list)
    for line in (EXTRACTION / "lines.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        rows[r["page_id"]].append((r["line_no"], r["text"]))
    gt = json.loads((EXTRACTION / "ground-truth.json").read_text(encoding="utf-8"))
    return {pid: "\n".join(t for _, t in sorted(ls)) for pid, ls in rows.items()}, gt


def test_golden_dev_pages_score():
    """Regression guard on the dev pages the model was trained on (honest CV numbers: benchmarks/)."""
    pages, gt = _dev_pages()
    spec = importlib.util.spec_from_file_location("extraction_score", EXTRACTION / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    out, _ = clean_documents([SelectMainText()], [Document(id=k, text=v) for k, v in pages.items()])
    preds = {d.id: d.text for d in out if isinstance(d, Document)}
    rows = []
    for k, item in gt.items():
        tp, fp, fn = score.doc_counts(item["articleBody"], preds.get(k, ""))
        rows.append({"precision": score.doc_precision(tp, fp, fn), "recall": score.doc_recall(tp, fp, fn)})
    rows = [{**r, "f1": 0.0, "exact": False} for r in rows]
    assert score.aggregate(rows)["f1"] >= 0.92
