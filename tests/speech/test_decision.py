"""The decision model: fitted on evidence, saved and loaded, and its threshold read off its own curve."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.speech.decision import WEIGHED, Evidence, Model, fit


def synthetic(n: int = 240, seed: int = 3) -> tuple[list[Evidence], list[bool], list[bool], list[str]]:
    """Readings whose rightness follows two features with some noise, as heard commands do."""
    import numpy as np

    rng = np.random.default_rng(seed)
    rows, right, dials, groups = [], [], [], []
    for i in range(n):
        agree = float(rng.random() < 0.5)
        margin = float(rng.normal(1.5 if agree else -0.5, 1.0))
        e = Evidence()
        e.set("whisper_names", agree)
        e.set("forced_margin", margin)
        e.set("grammar_confidence", float(rng.random()))
        rows.append(e)
        right.append(bool(rng.random() < (0.95 if agree and margin > 0.5 else 0.15)))
        dials.append(True)
        groups.append(f"c{i}")
    return rows, right, dials, groups


def test_a_fitted_model_weighs_the_evidence_that_predicts_a_right_reading():
    model = fit(*synthetic(), name="synthetic")
    strong, weak = Evidence(), Evidence()
    strong.set("whisper_names", 1)
    strong.set("forced_margin", 3.0)
    weak.set("forced_margin", -2.0)
    assert model.probability(strong) > 0.8 > 0.3 > model.probability(weak)
    assert model.weights[WEIGHED.index("whisper_names")] > 0
    assert model.weights[WEIGHED.index("forced_margin")] > 0


def test_the_threshold_for_no_wrong_dials_is_read_off_the_cross_validated_curve():
    model = fit(*synthetic(), name="synthetic")
    zero = model.dial_threshold(0.0)
    assert all(p.wrong_rate == 0 for p in model.curve if p.threshold >= zero)
    assert model.dial_threshold(0.05) <= zero  # accepting some wrong dials asks less
    acted = [p.dial_rate for p in sorted(model.curve, key=lambda p: p.threshold)]
    assert acted == sorted(acted, reverse=True)  # a higher threshold never acts on more


def test_readings_a_rule_holds_back_are_never_acted_on_in_the_curve():
    """A reading the rules beside the model ask about (a person Whisper heard taken back) is no dial at any
    threshold: it neither sets the threshold for no wrong dials nor counts as acted on."""
    from assistant.speech.decision import curve

    p, right, dials, groups = [0.99, 0.9, 0.8], [False, True, True], [True, True, True], ["a", "b", "c"]
    plain = curve(p, right, dials, groups)
    ruled = curve(p, right, dials, groups, [True, False, False])
    assert next(x for x in plain if x.threshold == 0.8).wrong_rate == pytest.approx(1 / 3)
    assert all(x.wrong_rate == 0 for x in ruled)
    assert next(x for x in ruled if x.threshold == 0.8).dial_rate == pytest.approx(2 / 3)


def test_a_model_survives_saving_and_loading(tmp_path: Path):
    model = fit(*synthetic(), name="synthetic")
    model.save(tmp_path / "m.json")
    again = Model.load(tmp_path / "m.json")
    e = Evidence()
    e.set("whisper_names", 1)
    assert again.probability(e) == pytest.approx(model.probability(e))
    assert again.dial_threshold() == model.dial_threshold() and again.trained_on == "synthetic"


def test_the_shipped_model_loads_and_was_fitted_on_the_development_corpus():
    model = Model.load()
    assert model.features == WEIGHED and model.curve
    assert "dev" in model.trained_on
    assert 0.5 <= model.dial_threshold(0.0) <= 1.0 and 0 < model.ask_from <= 0.5


def test_a_broken_or_outdated_model_file_says_how_to_refit(tmp_path: Path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(ValueError, match=r"broken.json: not a decision model.*callbot eval --train"):
        Model.load(broken)
    old = tmp_path / "old.json"
    from assistant.speech.decision import default_model_path

    data = json.loads(default_model_path().read_text())
    data["features"] = ["grammar_confidence"]
    data["mean"], data["scale"], data["weights"] = [0.0], [1.0], [1.0]
    old.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="fitted on other evidence"):
        Model.load(old)


def test_fitting_needs_right_and_wrong_readings():
    rows, _, dials, groups = synthetic(20)
    with pytest.raises(ValueError, match="both"):
        fit(rows, [True] * len(rows), dials, groups, "all right")


def test_an_unknown_feature_is_refused():
    with pytest.raises(KeyError):
        Evidence().set("loudness", 1.0)


def test_a_reading_that_would_dial_one_of_several_people_is_wrong():
    """ "call Jane" with two Janes in the book: the dialog should ask which. A reading naming both is right;
    the grammar's "call jane doe" would dial Jane Doe, so the model must learn it is wrong."""
    from assistant.calibrate import reading_right

    expect = {"intent": "CallContact", "action": "ask", "candidates": ["Jane Doe", "Jane Smith"]}
    assert reading_right(("CallContact", "Jane Doe|Jane Smith", ""), expect)
    assert not reading_right(("CallContact", "Jane Doe", ""), expect)
    assert not reading_right(("CallContact", "David Kim|Hannah Schmidt", ""), expect)
