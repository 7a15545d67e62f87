"""remove_artifacts' line model: features, the tree walk, where it may act, how it explains itself."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from boilerclean.cleaners.document import Document
from boilerclean.cleaners.stage import StageLog
from boilerclean.cleaners.stages.artifacts.linemodel import FEATURE_NAMES, LineModel, line_features, load_model
from boilerclean.cleaners.stages.artifacts.remover import RemoveArtifacts, RemoveArtifactsParams

BODY = "The harbour board met on Thursday and voted to extend the ferry timetable through the winter months."
BODY2 = "Members said the extra crossings would cost about two million a year, paid from the port's reserves."
BODY3 = "The first winter sailings leave the north pier at six in the morning, a spokeswoman for the board said."
BODY4 = "Ticket prices stay as they are until March, when the board will look at the figures for the first time."


def stump(tmp_path: Path, feature: str, below: float, above: float, base: float = 0.0, threshold=0.9) -> str:
    """A one-split model: margin ``base + below`` where the feature is <= 0.5, ``base + above`` where it is more."""
    n = 2**1 - 1
    model = {
        "features": list(FEATURE_NAMES),
        "base": base,
        "depth": 1,
        "feature": [[FEATURE_NAMES.index(feature)] * n],
        "split": [[0.5] * n],
        "value": [[0.0, below, above]],
        "threshold": threshold,
    }
    path = tmp_path / "stump.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    return str(path)


def run(text: str, stage: RemoveArtifacts, **kw) -> Document:
    doc = Document(id="d", text=text, removals=[], **kw)
    return stage.apply(doc, StageLog(stage.name))


def test_features_one_finite_row_per_line():
    texts = ["Harbour News", BODY, "- Ferry Fares Rise Again", "- Island Bakery Wins Award", BODY2, "Share this"]
    x = line_features(texts, [False] * 6, [False] * 6, "Ferry timetable extended", "https://example.com/a/ferry")
    assert x.shape == (6, len(FEATURE_NAMES))
    assert np.isfinite(x).all()
    col = {name: x[:, FEATURE_NAMES.index(name)] for name in ("list_marker", "words_le3", "after_core", "list_run")}
    assert col["list_marker"].tolist() == [0, 0, 1, 1, 0, 0]
    assert col["words_le3"].tolist() == [1, 0, 0, 0, 0, 1]
    assert col["after_core"][-1] == 1 and col["after_core"][1] == 0
    assert col["list_run"][2] == col["list_run"][3] > 0


def test_tree_walk_and_the_family_it_names(tmp_path):
    model = load_model(stump(tmp_path, "words_le3", -3.0, 3.0))
    x = line_features(["Sorry", BODY], [False] * 2, [False] * 2, None, None)
    p = model.probability(x)
    assert p[0] == pytest.approx(1 / (1 + np.exp(-3.0)))
    assert p[1] == pytest.approx(1 / (1 + np.exp(3.0)))
    assert model.top_family(x[0]) == "length"


def test_confident_removal_is_named_and_explained(tmp_path):
    stage = RemoveArtifacts(RemoveArtifactsParams(model=stump(tmp_path, "words_le3", -3.0, 3.0)))
    doc = run("\n\n".join([BODY, BODY2, BODY3, "Harbour lights"]), stage)
    assert doc.text == "\n\n".join([BODY, BODY2, BODY3])
    (removal,) = doc.removals
    assert removal.rule == "model:length"
    assert removal.text == "Harbour lights"  # the text exactly as removed, the probability beside it
    assert removal.score == pytest.approx(1 / (1 + np.exp(-3.0)), abs=1e-4)


def test_threshold_param_overrides_the_models_own(tmp_path):
    stage = RemoveArtifacts(RemoveArtifactsParams(model=stump(tmp_path, "words_le3", -3.0, 3.0), model_threshold=0.99))
    text = "\n\n".join([BODY, BODY2, BODY3, "Harbour lights"])
    assert run(text, stage).text == text


def test_body_sentences_between_the_edges_are_never_scored(tmp_path):
    always = RemoveArtifacts(RemoveArtifactsParams(model=stump(tmp_path, "words_le3", 40.0, 40.0), edge_lines=1))
    doc = run("\n\n".join([BODY, BODY2, BODY3, BODY4, "Harbour lights"]), always)
    # the model says "debris" to everything: the first and last line go, the body between them stays
    assert doc.text == "\n\n".join([BODY2, BODY3, BODY4])


def test_list_shaped_documents_are_left_to_the_rules(tmp_path):
    always = RemoveArtifacts(RemoveArtifactsParams(model=stump(tmp_path, "words_le3", 40.0, 40.0)))
    credits = [
        "CAMERA",
        "JANE ROE",
        "SOUND",
        "JOHN DOE",
        "MUSIC",
        "ANNA SMITH",
        "EDITING",
        "LEE WONG",
        "CAST",
        "TOM HILL",
    ]
    text = "\n\n".join([BODY, *credits])
    assert run(text, always).text == text


def test_model_none_is_rules_only_and_a_stale_model_is_refused(tmp_path):
    assert RemoveArtifacts(RemoveArtifactsParams(model="none")).model is None
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"features": ["chars_log"], "base": 0, "depth": 1}), encoding="utf-8")
    with pytest.raises(ValueError, match="retrain"):
        LineModel.from_dict(json.loads(path.read_text()))


def test_shipped_model_loads_with_a_calibrated_threshold():
    assert RemoveArtifacts().model is None  # off by default (see the model parameter)
    stage = RemoveArtifacts(RemoveArtifactsParams(model="artifact_lines"))
    assert stage.model is not None
    assert 0.5 <= stage.threshold <= 1.0


SHIPPED = RemoveArtifacts(RemoveArtifactsParams(model="artifact_lines"))
LINES = st.sampled_from(
    [
        BODY,
        BODY2,
        BODY3,
        "Sorry!",
        "- Ferry Fares Rise Again",
        "Harbour lights",
        "Share",
        "3 hours ago",
        "",
        "DIRECTED BY",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(LINES, st.text(max_size=60)), max_size=14), st.sampled_from(["\n", "\n\n"]))
def test_shipped_model_never_raises_and_keeps_lines_intact(lines, sep):
    text = sep.join(lines)
    doc = run(text, SHIPPED, url="https://example.com/news/ferry-fares", title="Ferry fares")
    assert all(line in text for line in doc.text.split("\n"))  # kept lines (or what a cut left), never new text
