"""Settings: packaged defaults (config/default.toml) + the user's file + environment -> frozen dataclasses.

Secrets come only from the environment (or a file the environment names) and are masked when shown.
"""

from __future__ import annotations

import difflib
import getpass
import os
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

import platformdirs

from .errors import ConfigError

APP = "callbot"


def data_path(name: str) -> Path:
    """The packaged `intents` or `config` directory, in a wheel (assistant/_name) or a checkout (./name)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / f"_{name}", here.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"callbot's packaged {name}/ directory is missing: reinstall callbot")


@dataclass(frozen=True)
class General:
    rep: str = ""
    region: str = "US"
    data_dir: str = ""


@dataclass(frozen=True)
class Database:
    url: str = ""


@dataclass(frozen=True)
class Dialog:
    confirm: str = "unsure"
    cancel_window: float = 3
    repeat_window: float = 300
    ask_for_note: bool = True


@dataclass(frozen=True)
class Speech:
    engine: str = "sphinx"
    check_with: str = "whisper"
    notes_engine: str = "whisper"
    whisper_model: str = ""
    check_model: str = ""
    cloud_key: str = ""
    mode: str = "push-to-talk"
    wake_phrase: str = "callbot"
    listen_timeout: float = 8
    phrase_time_limit: float = 10
    note_time_limit: float = 60
    min_confidence: float = 0.3
    sure_confidence: float = 0.85
    wrong_dial_rate: float = 0.0
    decision_model: str = ""
    ptt_key: str = "enter"
    topics: tuple[str, ...] = ()
    adaptation: str = ""  # "" = the rep's own (callbot enroll) when there is one; "off"; or a path
    learn: bool = True  # keep confirmed commands as labelled speech for `callbot enroll --refresh`
    denoise: bool = True  # the grammar's front end: RNNoise in steady noise, Conv-TasNet over other voices


@dataclass(frozen=True)
class Voice:
    enabled: bool = True
    rate: int = 180
    voice: str = ""


@dataclass(frozen=True)
class Telephony:
    provider: str = "simulator"
    caller_id: str = ""
    agent_number: str = ""
    max_concurrent: int = 1


@dataclass(frozen=True)
class Simulator:
    answer_after: float = 3
    duration: float = 161
    time_scale: float = 0.0
    outcomes: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Twilio:
    account_sid: str = ""
    mode: str = "bridge"
    direct_twiml: str = ""
    ring_timeout: int = 30
    record: bool = False
    consent_notice: str = "This call may be recorded."
    machine_detection: bool = False
    voicemail_drop: bool = False
    webhook_url: str = ""
    webhook_port: int = 8765
    calls_per_second: float = 1.0
    api_base: str = ""


@dataclass(frozen=True)
class Compliance:
    calling_hours: str = "08:00-21:00"
    outside_hours: str = "ask"
    allowed_countries: tuple[str, ...] = ()
    dnc_file: str = ""
    days: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Secrets:
    twilio_auth_token: str = field(default="", repr=False)

    def __repr__(self) -> str:
        return "Secrets(twilio_auth_token=" + ("'***'" if self.twilio_auth_token else "''") + ")"


@dataclass(frozen=True)
class Leads:
    auto_advance: bool = False  # after a lead's note, call the next one after the cancel window


@dataclass(frozen=True)
class Settings:
    callbot: General = General()
    database: Database = Database()
    dialog: Dialog = Dialog()
    speech: Speech = Speech()
    voice: Voice = Voice()
    telephony: Telephony = Telephony()
    simulator: Simulator = Simulator()
    twilio: Twilio = Twilio()
    compliance: Compliance = Compliance()
    leads: Leads = Leads()
    secrets: Secrets = Secrets()
    files: tuple[str, ...] = ()  # the files merged, in order

    @property
    def rep(self) -> str:
        return self.callbot.rep or _login_name()

    @property
    def data_dir(self) -> Path:
        return Path(self.callbot.data_dir or platformdirs.user_data_dir(APP)).expanduser()

    def voice_dir(self, rep: str | None = None) -> Path:
        """Where `callbot enroll` keeps a rep's voice: recordings, the adaptation, confirmed commands."""
        name = re.sub(r"[^\w.-]+", "_", rep or self.rep).strip("._") or "rep"
        return self.data_dir / "voices" / name

    @property
    def adaptation(self) -> Path | None:
        """The acoustic model adaptation commands are decoded with: [speech] adaptation, or the rep's own."""
        chosen = self.speech.adaptation.strip()
        if chosen.lower() in ("off", "none", "no", "false"):
            return None
        if chosen:
            return Path(chosen).expanduser()
        own = self.voice_dir()
        return own if any((own / name).is_file() for name in ("means", "mllr_matrix")) else None

    @property
    def database_url(self) -> str:
        return self.database.url or f"sqlite:///{self.data_dir / 'callbot.db'}"

    @property
    def allowed_countries(self) -> tuple[str, ...]:
        return tuple(c.upper() for c in self.compliance.allowed_countries) or (self.callbot.region.upper(),)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "rep"


def user_config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("CALLBOT_CONFIG"):
        return Path(env["CALLBOT_CONFIG"]).expanduser()
    return Path(platformdirs.user_config_dir(APP)) / "config.toml"


# Environment variables that override a setting: name -> (section, key)
ENV_OVERRIDES = {
    "CALLBOT_DATABASE_URL": ("database", "url"),
    "CALLBOT_DATA_DIR": ("callbot", "data_dir"),
    "CALLBOT_REP": ("callbot", "rep"),
    "CALLBOT_SPEECH_KEY": ("speech", "cloud_key"),
    "TWILIO_ACCOUNT_SID": ("twilio", "account_sid"),
    "TWILIO_API_BASE": ("twilio", "api_base"),
}


def load(
    config_file: str | Path | None = None,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> Settings:
    """Merge defaults, the user's file (given, $CALLBOT_CONFIG or the platform's), env and overrides."""
    env = os.environ if env is None else env
    default = data_path("config") / "default.toml"
    merged = _read_toml(default)
    files = [str(default)]
    user = Path(config_file).expanduser() if config_file else user_config_path(env)
    if config_file or user.exists():
        if not user.is_file():
            raise ConfigError([f"config file {user} does not exist (from --config or CALLBOT_CONFIG)"])
        _merge(merged, _read_toml(user), str(user))
        files.append(str(user))
    for var, (section, key) in ENV_OVERRIDES.items():
        if env.get(var):
            merged.setdefault(section, {})[key] = env[var]
    for section, values in (overrides or {}).items():
        merged.setdefault(section, {}).update({k: v for k, v in values.items() if v is not None})
    problems: list[str] = []
    sections = {}
    section_types = typing.get_type_hints(Settings)
    for f in fields(Settings):
        if f.name in ("secrets", "files"):
            continue
        sections[f.name] = _build(section_types[f.name], merged.pop(f.name, {}), f.name, problems)
    for extra in merged:
        problems.append(
            f"[{extra}] is not a callbot section{_suggest(extra, [f.name for f in fields(Settings)])}"
        )
    if problems:
        raise ConfigError(problems)
    return Settings(**sections, secrets=_secrets(env), files=tuple(files))


def _secrets(env: Mapping[str, str]) -> Secrets:
    token = env.get("TWILIO_AUTH_TOKEN", "")
    token_file = env.get("TWILIO_AUTH_TOKEN_FILE", "")
    if not token and token_file:
        try:
            token = Path(token_file).expanduser().read_text().strip()
        except OSError as exc:
            raise ConfigError(
                [f"TWILIO_AUTH_TOKEN_FILE={token_file} cannot be read: {exc.strerror}"]
            ) from None
    return Secrets(twilio_auth_token=token)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: {exc}"]) from None
    except OSError as exc:
        raise ConfigError([f"{path}: {exc.strerror}"]) from None


def _merge(base: dict[str, Any], new: Mapping[str, Any], origin: str) -> None:
    for key, value in new.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), dict):
            _merge(base[key], value, origin)
        else:
            base[key] = value


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1)
    return f" (did you mean {close[0]}?)" if close else ""


def _build(cls: Any, data: Any, where: str, problems: list[str]) -> Any:
    """Make dataclass `cls` from a TOML table, collecting every problem instead of stopping at the first."""
    if not isinstance(data, Mapping):
        problems.append(f"[{where}] must be a table")
        return cls()
    hints = typing.get_type_hints(cls)
    known = {f.name for f in fields(cls)}
    values = {}
    for key, value in data.items():
        if key not in known:
            problems.append(f"{where}.{key} is not a setting{_suggest(key, sorted(known))}")
            continue
        try:
            values[key] = _coerce(hints[key], value)
        except (TypeError, ValueError):
            problems.append(f"{where}.{key} = {value!r} should be {_type_name(hints[key])}")
    return cls(**values)


def _type_name(tp: Any) -> str:
    return {bool: "true or false", int: "a whole number", float: "a number", str: "text"}.get(
        tp, "a list or table"
    )


def _coerce(tp: Any, value: Any) -> Any:
    origin = typing.get_origin(tp)
    if tp is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "yes", "no"):
            return value.lower() in ("true", "1", "yes")
        raise TypeError
    if tp in (int, float):
        if isinstance(value, bool):
            raise TypeError
        return tp(value)
    if tp is str:
        if not isinstance(value, str):
            raise TypeError
        return value
    if origin is tuple:
        if isinstance(value, str):
            value = [v for v in value.replace(",", " ").split()]
        if not isinstance(value, list):
            raise TypeError
        return tuple(str(v) for v in value)
    if origin in (Mapping, dict) or tp is Mapping:
        if not isinstance(value, Mapping):
            raise TypeError
        return types.MappingProxyType({str(k): str(v) for k, v in value.items()})
    raise TypeError(f"unsupported setting type {tp}")


SECRET_KEYS = {"account_sid": False, "cloud_key": True}


def mask(value: str) -> str:
    return "***" + value[-4:] if len(value) > 8 else ("***" if value else "")


def as_dict(settings: Settings) -> dict[str, Any]:
    """The merged settings as plain data with secrets masked (for `config show`)."""
    out: dict[str, Any] = {}
    for f in fields(settings):
        value = getattr(settings, f.name)
        if f.name == "files":
            continue
        if f.name == "secrets":
            out["secrets"] = {"TWILIO_AUTH_TOKEN": mask(settings.secrets.twilio_auth_token) or "(not set)"}
            continue
        if is_dataclass(value):
            section = {}
            for sf in fields(value):
                v = getattr(value, sf.name)
                if isinstance(v, Mapping):
                    v = dict(v)
                elif isinstance(v, tuple):
                    v = list(v)
                if SECRET_KEYS.get(sf.name) and v:
                    v = mask(str(v))
                section[sf.name] = v
            out[f.name] = section
    return out
