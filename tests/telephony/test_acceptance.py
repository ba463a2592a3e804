"""The issue's acceptance run: callbot text --provider twilio, against Prism serving the unmodified spec."""

from __future__ import annotations

import os
from pathlib import Path

from assistant.calllog.store import Store
from assistant.models import CallStatus

from ..conftest import callbot
from .conftest import SID, TOKEN


def test_printf_call_jane_yes_places_the_call_through_prism(prism_unmodified, tmp_path: Path):
    contacts = tmp_path / "contacts.csv"
    contacts.write_text(
        "name,company,mobile\nJane Doe,Acme,+1 415 555 0134\nRobert Martinez,Initech,+1 415 555 0142\n"
    )
    config = tmp_path / "callbot.toml"
    config.write_text('[telephony]\ncaller_id = "+14155550199"\nagent_number = "+14155550100"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CALLBOT_", "TWILIO_"))}
    env.update(
        CALLBOT_CONFIG=str(config),
        CALLBOT_DATA_DIR=str(tmp_path / "data"),
        TWILIO_ACCOUNT_SID=SID,
        TWILIO_AUTH_TOKEN=TOKEN,
        TWILIO_API_BASE=prism_unmodified.url,
        CALLBOT_NOW="2026-11-27T10:00:00-08:00",  # inside calling hours, whenever the test runs
    )
    callbot(env, "contacts", "import", str(contacts))
    result = callbot(env, "text", "--provider", "twilio", stdin="call jane\nyes\n")
    assert "Calling Jane Doe" in result.stdout
    store = Store(f"sqlite:///{tmp_path / 'data' / 'callbot.db'}")
    [call] = store.recent_calls()
    assert call.provider == "twilio" and call.provider_call_id.startswith("CA")
    assert call.to_number == "+14155550134" and call.status.is_final and call.status != CallStatus.FAILED
    log = prism_unmodified.log_text()
    create = log.split("post /2010-04-01/Accounts/" + SID + "/Calls.json", 1)[1]
    assert "The request passed the validation rules" in create.split("[HTTP SERVER]", 1)[0]
    assert TOKEN not in result.stdout + result.stderr


def test_config_check_verifies_credentials_and_caller_id_with_a_read_only_request(prism, tmp_path: Path):
    config = tmp_path / "callbot.toml"
    config.write_text(
        '[telephony]\nprovider = "twilio"\ncaller_id = "+14155550199"\nagent_number = "+14155550100"\n'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CALLBOT_", "TWILIO_"))}
    env.update(
        CALLBOT_CONFIG=str(config),
        CALLBOT_DATA_DIR=str(tmp_path / "data"),
        TWILIO_ACCOUNT_SID=SID,
        TWILIO_AUTH_TOKEN=TOKEN,
        TWILIO_API_BASE=prism.url,
    )
    result = callbot(env, "config", "check", check=False)
    assert "✓ twilio credentials: account" in result.stdout
    assert "✓ telephony.caller_id: +14155550199 is one of your Twilio numbers" in result.stdout
    env["TWILIO_AUTH_TOKEN"] = ""
    missing = callbot(env, "config", "check", check=False)
    assert missing.returncode == 1 and "TWILIO_AUTH_TOKEN is not set" in missing.stdout
