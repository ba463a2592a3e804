"""`callbot eval` on a slice of the development corpus, through the real recogniser."""

from __future__ import annotations

import json
from pathlib import Path

import corpus  # scripts/corpus.py, put on the path by conftest
import pytest
from typer.testing import CliRunner

from assistant.cli import app


@pytest.fixture(scope="module")
def slice_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    corpus.build(out, "dev", limit=14)
    return out


def test_eval_reports_every_figure(slice_dir: Path, tmp_path: Path, monkeypatch):
    (tmp_path / "empty.toml").write_text("")
    monkeypatch.setenv("CALLBOT_CONFIG", str(tmp_path / "empty.toml"))
    monkeypatch.setenv("CALLBOT_DATA_DIR", str(tmp_path))
    report_path = tmp_path / "report.json"
    result = CliRunner().invoke(app, ["eval", str(slice_dir), "--json", str(report_path), "--failures"])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("eval: ") and "commands right" in last and "wrong dials" in last
    assert "note WER" in last and "p50" in last and "p95" in last
    report = json.loads(report_path.read_text())
    items = report["items"]
    manifest = [json.loads(line) for line in (slice_dir / "manifest.jsonl").read_text().splitlines()]
    assert len(items) == len(manifest) == 28  # 14 utterances, clean and noisy
    overall = report["overall"]
    commands = [i for i in items if i["kind"] == "command"]
    assert overall["commands"] == len(commands)
    assert overall["success"] == sum(i["success"] for i in commands)
    assert overall["wrong_dials"] == sum(i["wrong_dial"] for i in commands)
    assert overall["wrong_numbers"] == sum(i["wrong_number"] for i in commands)
    assert {"clean", "noisy"} <= set(report["by_tag"])
    assert all(i["latency_ms"] > 0 for i in commands) and overall["rtf"] > 0
    # The default engine: pocketsphinx, checked by Whisper on the commands it is unsure of (noise makes some)
    assert report["engine"] == "sphinx+whisper"
    assert 0 < report["second_engine_checks"] <= len(commands)
    assert f"second engine asked about {report['second_engine_checks']} commands" in result.output
    assert 0 <= report["second_engine_verified"] <= report["second_engine_checks"]
    # Every scored figure is consistent with the item it came from
    for item in commands:
        assert item["success"] == (not item["errors"])


def test_a_directory_that_is_not_a_corpus_is_a_clear_error(tmp_path: Path):
    result = CliRunner().invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code != 0
    assert "needs contacts.csv" in str(result.exception) or "needs contacts.csv" in result.output


def test_the_right_person_on_a_number_not_asked_for_is_a_wrong_number():
    """Not a wrong dial (the right person answers), but not right either, and counted apart."""
    from assistant.evaluate import Normalizer, Outcome, Report, _score, format_table

    expect = {"intent": "CallContact", "action": "dial", "contact": "Jane Doe", "label": "mobile"}
    outcomes = []
    for id_, label in [("a", "mobile"), ("b", "work")]:
        outcome = Outcome(id_, "command", ["clean"], "call jane doe", intent="CallContact", action="dial")
        outcome.contact, outcome.label = "Jane Doe", label
        _score(outcome, expect, Normalizer())
        outcomes.append(outcome)
    right, wrong = outcomes
    assert right.success and not right.wrong_number and not right.wrong_dial
    assert not wrong.success and wrong.wrong_number and not wrong.wrong_dial
    report = Report(outcomes, "sphinx", "whisper")
    assert report.group()["wrong_numbers"] == 1 and report.group()["wrong_dials"] == 0
    assert "| wrong dials | wrong numbers |" in format_table(report)
    assert "| all | 2 | 50.0% (1) | 0 | 1 |" in format_table(report)
