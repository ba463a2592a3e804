"""The phrasing test set (tests/intents/data/phrasings.yaml, with its sources and licences): typed requests
for a call, each understood as the intent and reaching the person or number it names."""

from __future__ import annotations

from bench.phrasings import run


def test_phrasings():
    verdicts = run()
    tune = [v for v in verdicts if v.half == "tune"]
    held = [v for v in verdicts if v.half == "held"]
    assert len(tune) > 300 and len(held) > 100
    wrong = [f"{v.text!r}: {v.got}" for v in tune if not v.right]
    assert wrong == []  # the half the templates were shaped on
    # The other half is scored only (its failures are not read): 117/125 when this was written.
    assert sum(v.right for v in held) / len(held) >= 0.9
