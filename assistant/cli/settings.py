"""`callbot config` (show and check settings) and `callbot db` (backup, upgrade)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from .. import config as config_mod
from ..errors import ConfigError
from .runtime import Runtime
from .shared import out, runtime


def config_show(ctx: typer.Context) -> None:
    """The merged settings (defaults + your file + environment), secrets masked."""
    rt = runtime(ctx)
    settings = rt.settings
    out.print(f"# files merged: {', '.join(settings.files)}")
    out.print(
        f"# your file: {config_mod.user_config_path()}"
        + ("" if len(settings.files) > 1 else " (not present)")
    )
    for section, values in config_mod.as_dict(settings).items():
        out.print(f"\n[{section}]", markup=False)
        for key, value in values.items():
            out.print(f"{key} = {json.dumps(value, ensure_ascii=False)}", markup=False)


def config_check(ctx: typer.Context) -> None:
    """Check every setting; say what is missing or wrong and how to fix it."""
    from ..checks import check_settings

    rt = runtime(ctx)
    try:
        settings = rt.settings
    except ConfigError as exc:
        for problem in exc.problems:
            out.print(f"[red]✗[/] {problem}")
        raise typer.Exit(1) from None
    extra = [_twilio_checks(rt)] if settings.telephony.provider == "twilio" else []
    results = check_settings(settings, extra)
    for setting, ok, message in results:
        mark = "[green]✓[/]" if ok else "[red]✗[/]"
        out.print(f"{mark} {setting}: {message}")
    bad = sum(1 for _, ok, _ in results if not ok)
    out.print("All settings look right." if not bad else f"{bad} setting(s) need attention.")
    if bad:
        raise typer.Exit(1)


def _twilio_checks(rt: Runtime) -> Callable[[config_mod.Settings], list[tuple[str, bool, str]]]:
    """The Twilio settings, then a read-only request that proves the credentials and caller ID."""

    def check(_: config_mod.Settings) -> list[tuple[str, bool, str]]:
        from ..telephony.twilio import TwilioCarrier

        twilio = rt.twilio_settings()
        problems = twilio.problems()
        if problems:
            return [("twilio", False, p) for p in problems]
        carrier = TwilioCarrier(twilio, serve_webhooks=False)
        return carrier.verify()

    return check


def db_backup(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(help="Where to write the copy.")]
) -> None:
    """A consistent copy of the SQLite call log, safe to take while callbot runs."""
    path = runtime(ctx).store.backup(file)
    out.print(f"Backed up the call log to {path}.")


def db_upgrade(ctx: typer.Context) -> None:
    """Apply pending migrations (also done automatically on first use)."""
    store = runtime(ctx).store
    out.print(f"Call log at revision {store.revision()}.")
