"""The product's seed article (shared/seed/article.txt): debris out, headline to title, 15 paragraphs intact.

Runs the configs/news-text.yaml chain when every stage it names exists, else remove_artifacts + title
directly, so the golden result holds for the stages this file is about either way.
"""

import os
from pathlib import Path

import pytest

from boilerclean.cleaners.config import ConfigError, load_config
from boilerclean.cleaners.document import Document
from boilerclean.cleaners.pipeline import clean_documents
from boilerclean.cleaners.stages.artifacts.remover import RemoveArtifacts
from boilerclean.cleaners.stages.title import ExtractTitle

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("BOILERCLEAN_SHARED", REPO / ".." / "shared"))
HEADLINE = "Syrian Regime’s New Offensive To Capture Aleppo Targets Rebel-Held Areas"
DEBRIS = {"Share", "Advertisement", "Syrian pro-regime fighters patrol the Ramussa area south of the city of Aleppo"}


def seed_text() -> str:
    for path in (SHARED / "seed" / "article.txt", REPO / "data" / "seed-article.txt"):
        if path.is_file():
            return path.read_text(encoding="utf-8")
    pytest.skip("seed article not found (../shared/seed/article.txt or data/seed-article.txt)")


def chain() -> list:
    try:
        return load_config(REPO / "configs" / "news-text.yaml").build_stages()
    except (ImportError, ConfigError):  # a stage of the config is not written yet
        return [RemoveArtifacts(), ExtractTitle()]


def test_seed_article_golden():
    raw = seed_text()
    paragraphs = [line for line in raw.split("\n") if line.strip() and line.strip() not in DEBRIS | {HEADLINE}]
    assert len(paragraphs) == 15
    results, _ = clean_documents(chain(), [Document(id="seed", text=raw, removals=[])])
    (doc,) = results
    assert doc.title == HEADLINE
    assert doc.text == "\n\n".join(paragraphs)
    assert doc.text.startswith("His comments came as USA secretary of state John Kerry")
    assert doc.text.endswith("emerge as a global terror threat.")
    assert {r.rule for r in doc.removals} == {
        "artifact:share_button",
        "artifact:ad_label",
        "artifact:trailing_caption",
        "title:leading_headline",
    }
