"""Settings: defaults, the user's file, the environment, and clear problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import as_dict, load
from assistant.errors import ConfigError


def test_defaults_load_without_a_user_file(tmp_path: Path):
    settings = load(env={"CALLBOT_CONFIG": str(tmp_path / "absent.toml")})
    assert settings.telephony.provider == "simulator" and settings.dialog.confirm == "unsure"
    assert settings.database_url.startswith("sqlite:///")
    assert settings.allowed_countries == ("US",)


def test_user_file_and_environment_override(tmp_path: Path):
    user = tmp_path / "me.toml"
    user.write_text(
        '[callbot]\nregion = "GB"\n[dialog]\nconfirm = "always"\n[simulator.outcomes]\n"+1" = "busy"\n'
    )
    settings = load(
        user, env={"CALLBOT_DATABASE_URL": "sqlite:////tmp/x.db", "TWILIO_AUTH_TOKEN": "s3cret-token"}
    )
    assert settings.callbot.region == "GB" and settings.dialog.confirm == "always"
    assert settings.database_url == "sqlite:////tmp/x.db"
    assert settings.simulator.outcomes["+1"] == "busy" and "+14155550142" in settings.simulator.outcomes
    assert settings.secrets.twilio_auth_token == "s3cret-token"
    assert "s3cret" not in repr(settings)


def test_every_problem_is_reported_at_once(tmp_path: Path):
    user = tmp_path / "bad.toml"
    user.write_text('[dialog]\nconfrim = "always"\ncancel_window = "soon"\n[telefony]\nx = 1\n')
    with pytest.raises(ConfigError) as info:
        load(user, env={})
    problems = "\n".join(info.value.problems)
    assert "dialog.confrim is not a setting (did you mean confirm?)" in problems
    assert "dialog.cancel_window = 'soon' should be a number" in problems
    assert "[telefony] is not a callbot section (did you mean telephony?)" in problems


def test_broken_toml_names_the_file(tmp_path: Path):
    user = tmp_path / "broken.toml"
    user.write_text("[dialog\n")
    with pytest.raises(ConfigError, match=r"broken\.toml"):
        load(user, env={})


def test_missing_explicit_file(tmp_path: Path):
    with pytest.raises(ConfigError, match="does not exist"):
        load(tmp_path / "nope.toml", env={})


def test_token_from_a_file_outside_the_repo(tmp_path: Path):
    secret = tmp_path / "token"
    secret.write_text("from-file-token\n")
    settings = load(env={"TWILIO_AUTH_TOKEN_FILE": str(secret), "CALLBOT_CONFIG": str(tmp_path / "none")})
    assert settings.secrets.twilio_auth_token == "from-file-token"


def test_show_masks_secrets(tmp_path: Path):
    settings = load(env={"TWILIO_AUTH_TOKEN": "abcdef123456", "CALLBOT_CONFIG": str(tmp_path / "none")})
    shown = str(as_dict(settings))
    assert "abcdef123456" not in shown and "***3456" in shown
