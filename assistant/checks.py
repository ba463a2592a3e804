"""`callbot config check`: each setting checked, with what is wrong and how to fix it."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import phonenumbers

from .config import Settings

Result = tuple[str, bool, str]


def check_settings(
    settings: Settings, extra: list[Callable[[Settings], list[Result]]] | None = None
) -> list[Result]:
    results: list[Result] = []
    add = results.append
    region = settings.callbot.region.upper()
    if region in phonenumbers.SUPPORTED_REGIONS:
        add(("callbot.region", True, f"{region}: numbers without +country are read as {region} numbers"))
    else:
        add(
            (
                "callbot.region",
                False,
                f"{region!r} is not a region code; use a two-letter ISO code such as US or GB",
            )
        )
    data_dir = settings.data_dir
    writable = _writable(data_dir)
    add(
        (
            "callbot.data_dir",
            writable,
            f"{data_dir}" + ("" if writable else " cannot be written: choose another"),
        )
    )
    add(_database(settings))
    add(_choice("dialog.confirm", settings.dialog.confirm, ("always", "unsure", "never")))
    add(("dialog.cancel_window", settings.dialog.cancel_window >= 0, f"{settings.dialog.cancel_window:g} s"))
    add(_choice("speech.mode", settings.speech.mode, ("push-to-talk", "wake")))
    add(_choice("telephony.provider", settings.telephony.provider, ("simulator", "twilio")))
    for name, number in (
        ("telephony.caller_id", settings.telephony.caller_id),
        ("telephony.agent_number", settings.telephony.agent_number),
    ):
        if number:
            add(_e164(name, number))
    add(_choice("compliance.outside_hours", settings.compliance.outside_hours, ("ask", "refuse")))
    add(_hours("compliance.calling_hours", settings.compliance.calling_hours))
    for day, window in settings.compliance.days.items():
        if day not in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"):
            add((f"compliance.days.{day}", False, "use mon, tue, wed, thu, fri, sat or sun"))
        elif window:
            add(_hours(f"compliance.days.{day}", window))
    bad = [c for c in settings.allowed_countries if c not in phonenumbers.SUPPORTED_REGIONS]
    add(
        (
            "compliance.allowed_countries",
            not bad,
            f"unknown region codes {bad}"
            if bad
            else f"calls allowed to {', '.join(settings.allowed_countries)}",
        )
    )
    if settings.compliance.dnc_file:
        exists = Path(settings.compliance.dnc_file).expanduser().exists()
        add(
            (
                "compliance.dnc_file",
                exists,
                settings.compliance.dnc_file + ("" if exists else " does not exist"),
            )
        )
    for more in extra or []:
        results.extend(more(settings))
    return results


def _writable(path: Path) -> bool:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(path, os.W_OK)


def _choice(name: str, value: str, choices: tuple[str, ...]) -> Result:
    if value in choices:
        return name, True, value
    return name, False, f"{value!r} is not one of {', '.join(choices)}"


def _e164(name: str, number: str) -> Result:
    try:
        parsed = phonenumbers.parse(number)
        ok = phonenumbers.is_valid_number(parsed) and number.startswith("+")
    except phonenumbers.NumberParseException:
        ok = False
    return (
        name,
        ok,
        number if ok else f"{number!r} must be a full number with +country code, e.g. +14155550100",
    )


def _hours(name: str, value: str) -> Result:
    from .compliance import window

    try:
        window(value)
    except ValueError:
        return name, False, f"{value!r} should look like 08:00-21:00 (start before end)"
    return name, True, value


def _database(settings: Settings) -> Result:
    from .calllog.database import safe_url
    from .calllog.store import Store
    from .errors import CallbotError

    url = settings.database_url
    try:
        store = Store(url)
        revision = store.revision()
        store.close()
    except CallbotError as exc:
        return "database.url", False, str(exc)
    return "database.url", True, f"{safe_url(url)} (schema {revision})"


__all__ = ["check_settings"]
