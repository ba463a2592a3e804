"""`callbot eval` on a slice of the development corpus, through the real recogniser."""

from __future__ import annotations

import json
from pathlib import Path

import corpus  # scripts/corpus.py, put on the path by conftest
import numpy as np
import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.models import AudioClip, Transcript
from assistant.ports import Expect


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
    # Every scored figure is consistent with the item it came from
    for item in commands:
        assert item["success"] == (not item["errors"])
    # and the real recogniser really hears: the dev corpus's figures on this slice (12 of 14 clean commands
    # right on 07ebb80, 5 of 14 at 10 dB SNR), with room for a change of a command or two;
    # a recogniser that hears nothing, or dials whoever, fails here
    clean = report["by_tag"]["clean"]
    assert clean["commands"] == 14 and clean["success"] >= 10, clean
    assert overall["wrong_dials"] == 0, [i for i in commands if i["wrong_dial"]]
    # Every command the second engine was asked about keeps the readings the decision model weighed, and
    # the report prints the model's curve over them
    weighed = [r for i in commands for r in i["readings"]]
    # (a check where neither engine's words make any command weighs no reading: nothing to keep)
    assert 0 < len({i["id"] for i in commands if i["readings"]}) <= report["second_engine_checks"]
    assert all(0 <= r["p"] <= 1 and r["evidence"] and r["source"] in ("grammar", "whisper") for r in weighed)
    # ... and counts the readings said through the whole book, each of which kept its margin
    said_through = [r for r in weighed if r["evidence"].get("book_done")]
    assert report["book_checks"] == len(said_through)
    assert all("book_margin" in r["evidence"] and r["rival"] for r in said_through)  # and its best rival
    assert "| threshold | acted on without asking | dialled wrongly |" in result.output
    # and `callbot eval --train` refits the model on them (here from the report, without hearing it again)
    model_path = tmp_path / "decision.json"
    fitted = CliRunner().invoke(
        app,
        ["eval", str(slice_dir), "--train", "--readings", str(report_path), "--model-out", str(model_path)],
    )
    assert fitted.exit_code == 0, fitted.output
    assert f"saved to {model_path}" in fitted.output and "| 0.0% |" in fitted.output
    from assistant.speech.decision import Model

    model = Model.load(model_path)
    assert model.trained_on == slice_dir.name and len(model.weights) == len(model.features)


# A corpus whose right answers are known: what each recording "says", what the recogniser is scripted to
# hear, and what callbot must make of it. Each recording is a constant tone whose level is its number, so the
# scripted recogniser knows which one it was given from the audio itself.
KNOWN = [
    # (kind, tags, said, heard, confidence, expect, context)
    ("command", ["clean"], "call jane doe on her mobile", "call jane doe on mobile", 0.95,
     {"intent": "CallContact", "action": "dial", "contact": "Jane Doe", "label": "mobile"}, {}),
    ("command", ["clean"], "call robert martinez about the renewal", "call robert martinez about the renewal",
     0.95, {"intent": "CallContact", "action": "dial", "contact": "Robert Martinez", "topic": "the renewal"},
     {}),
    # the right person on a number nobody asked for: a wrong number, not a wrong dial
    ("command", ["clean"], "call jane smith on work", "call jane smith on mobile", 0.95,
     {"intent": "CallContact", "action": "dial", "contact": "Jane Smith", "label": "work"}, {}),
    # somebody else: a wrong dial
    ("command", ["clean"], "call jane smith", "call jane doe", 0.95,
     {"intent": "CallContact", "action": "dial", "contact": "Jane Smith"}, {}),
    # two Janes: asking is right; one word of the topic misheard
    ("command", ["clean"], "call jane about the contract", "call jane about the contact", 0.95,
     {"intent": "CallContact", "action": "ask", "candidates": ["Jane Doe", "Jane Smith"],
      "topic": "the contract"}, {}),
    # heard right but too unsure to act on: rejected, so not right where a dial was expected
    ("command", ["noisy"], "call robert martinez", "call robert martinez", 0.1,
     {"intent": "CallContact", "action": "dial", "contact": "Robert Martinez"}, {}),
    # nobody by that name: refusing is right
    ("command", ["clean"], "call zachary quinn", "call zachary quinn", 0.95,
     {"intent": "CallContact", "action": "refuse"}, {}),
    ("command", ["noisy"], "the second one", "the second one", 0.95,
     {"intent": "Choose", "contact": "Jane Smith"},
     {"mode": "choice", "choices": ["Jane Doe", "Jane Smith"]}),
    ("note", ["clean"], "send the updated quote by friday", "send the updated quote by friday", None, {}, {}),
    ("note", ["noisy"], "she wants a call back next week", "she wants to call back next week", None, {}, {}),
]  # fmt: skip


class ScriptedRecognizer:
    """The command recogniser port, hearing what the script says each recording says."""

    name = "scripted"

    def __init__(self, heard: dict[int, Transcript]):
        self.heard = heard
        self.refreshed = False

    def refresh(self) -> None:
        self.refreshed = True

    def start(self, expect: Expect) -> ScriptedStream:
        return ScriptedStream(self.heard)


class ScriptedStream:
    compute = 0.001

    def __init__(self, heard: dict[int, Transcript]):
        self.heard = heard
        self.fed = 0

    def feed(self, pcm: bytes) -> None:
        self.fed += len(pcm)

    def finish(self, clip: AudioClip) -> Transcript:
        assert self.fed == len(clip.pcm)  # the whole recording was streamed in first
        return self.heard[recording_number(clip)]


class ScriptedTranscriber:
    name = "scripted-notes"

    def __init__(self, heard: dict[int, Transcript]):
        self.heard = heard

    def transcribe(self, clip: AudioClip) -> Transcript:
        return self.heard[recording_number(clip)]


def recording_number(clip: AudioClip) -> int:
    return int.from_bytes(clip.pcm[:2], "little", signed=True)


@pytest.fixture
def known_corpus(tmp_path: Path) -> tuple[Path, dict[int, Transcript]]:
    (tmp_path / "contacts.csv").write_text(
        "name,company,mobile,work\n"
        "Jane Doe,Acme,+1 415 555 0101,+1 415 555 0102\n"
        "Jane Smith,Globex,+1 415 555 0134,+1 415 555 0135\n"
        "Robert Martinez,Initech,+1 415 555 0142,\n"
    )
    heard, lines = {}, []
    for number, (kind, tags, said, hears, confidence, expect, context) in enumerate(KNOWN, start=1):
        corpus.write_wav(tmp_path / "audio" / f"{number:02d}.wav", np.full(8000, number, dtype=np.int16))
        heard[number] = Transcript(hears, confidence=confidence, engine="scripted")
        item = {"id": f"u{number:02d}", "audio": f"audio/{number:02d}.wav", "kind": kind, "tags": tags}
        lines.append(json.dumps({**item, "text": said, "expect": expect, "context": context}))
    (tmp_path / "manifest.jsonl").write_text("\n".join(lines) + "\n")
    return tmp_path, heard


def test_eval_figures_match_a_corpus_with_known_answers(known_corpus):
    from assistant.evaluate import evaluate
    from assistant.scorecard import failures, format_table

    folder, heard = known_corpus
    recognizer = ScriptedRecognizer(heard)
    report = evaluate(folder, commands=lambda book: recognizer, transcriber=ScriptedTranscriber(heard))
    assert recognizer.refreshed  # the grammar is built before the first recording
    overall = report.group()
    assert {k: overall[k] for k in ("commands", "success", "wrong_dials", "wrong_numbers", "notes")} == {
        "commands": 8,
        "success": 5,  # Jane Doe, Robert Martinez with the topic, asking which Jane, refusing, the choice
        "wrong_dials": 1,  # Jane Doe for Jane Smith
        "wrong_numbers": 1,  # Jane Smith's mobile for her work phone
        "notes": 2,
    }
    assert overall["success_rate"] == 62.5
    assert overall["topic_wer"] == 25.0  # "contract" heard as "contact": 1 of 4 topic words
    assert overall["note_wer"] == 7.7  # "a call" heard as "to call": 1 of 13 note words
    noisy = report.group("noisy")
    assert (noisy["commands"], noisy["success"], noisy["notes"], noisy["note_wer"]) == (2, 1, 1, 14.3)
    by_id = {o.id: o for o in report.outcomes}
    # too unsure to act on: rejected; had it gone on, it would have asked "Did you mean Robert Martinez?"
    assert (by_id["u06"].action, by_id["u06"].candidates) == ("reject", ["Robert Martinez"])
    assert by_id["u06"].would == {"intent": "CallContact", "action": "ask", "contact": None, "label": None}
    assert by_id["u08"].contact == "Jane Smith" and by_id["u08"].success
    assert report.summary_line().startswith(
        "eval: 62.5% commands right (5/8), 0 more asked about the right person, 1 wrong dials, "
        "note WER 7.7%, p50 "
    )
    assert "| all | 8 | 62.5% (5) | 0 | 1 | 1 | 25.0% | 2 | 7.7% |" in format_table(report)
    assert [line.split(":")[0] for line in failures(report)] == ["u03", "u04", "u06"]
    assert "WRONG DIAL" in next(line for line in failures(report) if line.startswith("u04"))
    assert "WRONG NUMBER" in next(line for line in failures(report) if line.startswith("u03"))


def test_a_directory_that_is_not_a_corpus_is_a_clear_error(tmp_path: Path):
    result = CliRunner().invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code != 0
    assert "needs contacts.csv" in str(result.exception) or "needs contacts.csv" in result.output


def test_the_right_person_on_a_number_not_asked_for_is_a_wrong_number():
    """Not a wrong dial (the right person answers), but not right either, and counted apart."""
    from assistant.scorecard import Normalizer, Outcome, Report, format_table, score

    expect = {"intent": "CallContact", "action": "dial", "contact": "Jane Doe", "label": "mobile"}
    outcomes = []
    for id_, label in [("a", "mobile"), ("b", "work")]:
        outcome = Outcome(id_, "command", ["clean"], "call jane doe", intent="CallContact", action="dial")
        outcome.contact, outcome.label = "Jane Doe", label
        score(outcome, expect, Normalizer())
        outcomes.append(outcome)
    right, wrong = outcomes
    assert right.success and not right.wrong_number and not right.wrong_dial
    assert not wrong.success and wrong.wrong_number and not wrong.wrong_dial
    report = Report(outcomes, "sphinx", "whisper")
    assert report.group()["wrong_numbers"] == 1 and report.group()["wrong_dials"] == 0
    assert "| wrong dials | wrong numbers |" in format_table(report)
    assert "| all | 2 | 50.0% (1) | 0 | 0 | 1 |" in format_table(report)


def test_asking_about_the_right_person_is_not_right_but_counted_apart():
    """ "Did you mean Jane Doe?" for "call Jane Doe" is one answer from the call; asking about someone else,
    or "say it again", is not; nor is asking where asking was expected (two Janes), which is right."""
    from assistant.scorecard import Normalizer, Outcome, Report, format_table, score

    dial = {"intent": "CallContact", "action": "dial", "contact": "Jane Doe"}
    ask = {"intent": "CallContact", "action": "ask", "candidates": ["Jane Doe", "Jane Smith"]}
    cases = [  # id, expected, action, offered
        ("right one", dial, "ask", ["Jane Doe"]),
        ("among two", dial, "ask", ["Jane Smith", "Jane Doe"]),
        ("someone else", dial, "ask", ["Jane Smith"]),
        ("say it again", dial, "reject", ["Jane Doe"]),
        ("two janes", ask, "ask", ["Jane Doe", "Jane Smith"]),
    ]
    outcomes = []
    for id_, expect, action, offered in cases:
        outcome = Outcome(id_, "command", ["clean"], "call jane", intent="CallContact", action=action)
        outcome.candidates = offered
        score(outcome, expect, Normalizer())
        outcomes.append(outcome)
    assert [o.asked_right for o in outcomes] == [True, True, False, False, False]
    assert [o.success for o in outcomes] == [False, False, False, False, True]
    report = Report(outcomes, "sphinx", "whisper")
    assert report.group()["asked_right"] == 2
    assert "| all | 5 | 20.0% (1) | 2 | 0 | 0 |" in format_table(report)
    assert "2 more asked about the right person" in report.summary_line()


def test_eval_shows_its_progress_on_a_terminal_only(known_corpus, tmp_path: Path):
    """A long eval draws a bar with the running figures on a terminal, and nothing of it in a pipe or CI."""
    import os
    import pty
    import subprocess
    import sys

    folder, _ = known_corpus
    (tmp_path / "empty.toml").write_text("")
    env = {
        **{k: v for k, v in os.environ.items() if k != "CI"},
        "CALLBOT_CONFIG": str(tmp_path / "empty.toml"),
        "CALLBOT_DATA_DIR": str(tmp_path / "data"),
        "COLUMNS": "120",
    }
    command = [sys.executable, "-m", "assistant", "eval", str(folder)]
    leader, follower = pty.openpty()
    try:
        run = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=follower, timeout=300)
    finally:
        os.close(follower)
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed and read out
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    assert run.returncode == 0, run.stdout
    shown = drawn.decode(errors="replace")
    assert "wrong dials" in shown and "/10" in shown, shown
    piped = subprocess.run(command, env={**env, "CI": "true"}, capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0 and "/10" not in piped.stderr and "━" not in piped.stderr
    assert piped.stdout.strip().splitlines()[-1].startswith("eval: ")


@pytest.mark.parametrize("which", ["dev", "heldout"])
def test_a_notes_corpus_holds_every_note_of_the_set_and_no_command(which: str, tmp_path: Path):
    from spoken_corpus.items import SETS

    assert corpus.main([str(tmp_path), "--set", which, "--notes", "--families", "espeak", "--no-noise"]) == 0
    rows = [json.loads(line) for line in (tmp_path / "manifest.jsonl").read_text().splitlines()]
    assert sorted(r["text"] for r in rows) == sorted(SETS[which][2].notes)
    assert {r["kind"] for r in rows} == {"note"} and len(rows) == 20
    assert json.loads((tmp_path / "corpus.json").read_text())["notes_only"] is True


def test_the_benches_are_one_corpus_or_another(tmp_path: Path, capsys):
    for pair in (["--notes", "--strangers"], ["--first-names", "--notes"]):
        with pytest.raises(SystemExit) as exited:
            corpus.main([str(tmp_path), *pair])
        assert exited.value.code == 2
        assert "not allowed with" in capsys.readouterr().err
    with pytest.raises(ValueError, match="unknown bench 'nicknames'"):
        corpus.build(tmp_path / "other", "dev", only="nicknames")
    assert not (tmp_path / "manifest.jsonl").exists() and not (tmp_path / "other").exists()


def test_eval_of_notes_alone_reports_notes_not_empty_command_figures():
    """A corpus of notes only (`--notes`): no "0.0% commands right (0/0)", no latency of no command."""
    from assistant.scorecard import Normalizer, Outcome, Report, format_table

    said = "call back next week about pricing"
    outcomes = []
    for id_, heard in [("a", said), ("b", said.replace("week", "weak"))]:
        outcome = Outcome(id_, "note", ["clean", "family-espeak"], said)
        outcome.heard = heard
        outcome.wer_words = Normalizer().errors(outcome.text, heard)
        outcomes.append(outcome)
    report = Report(outcomes, "sphinx", "whisper")
    assert report.summary_line() == "eval: 2 notes, note WER 8.3%; no commands"
    assert "| family-espeak | 0 | - | 0 | 0 | 0 | 0.0% | 2 | 8.3% | - | - | - |" in format_table(report)
