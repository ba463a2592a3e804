"""The `callbot` command: its groups, its global options, every command in `--help` order, and the one
place errors become messages."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..errors import CallbotError
from . import calls, contacts, demo, dnc, enroll, leads, measure, models, notes, settings, talk, voicemail
from .runtime import Runtime

app = typer.Typer(
    name="callbot",
    help="An offline-first voice dialer: say who to call, callbot finds them, calls, and logs the follow-up.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
contacts_app = typer.Typer(help="Import, list, find and check contacts.", no_args_is_help=True)
notes_app = typer.Typer(help="Spoken notes: list them, retry transcriptions.", no_args_is_help=True)
dnc_app = typer.Typer(help="The do-not-call list.", no_args_is_help=True)
config_app = typer.Typer(help="Show and check settings.", no_args_is_help=True)
db_app = typer.Typer(help="The call log database.", no_args_is_help=True)
log_app = typer.Typer(help="The call log: show, search, export, import.", invoke_without_command=True)
models_app = typer.Typer(
    help="Speech models: list the known ones, install one (nothing is fetched unasked).",
    invoke_without_command=True,
)
followups_app = typer.Typer(
    help="Follow-ups read from notes: what is due, and marking them done.", invoke_without_command=True
)
app.add_typer(contacts_app, name="contacts")
app.add_typer(config_app, name="config")
app.add_typer(db_app, name="db")
app.add_typer(notes_app, name="notes")
app.add_typer(dnc_app, name="dnc")
app.add_typer(log_app, name="log")
app.add_typer(followups_app, name="followups")
app.add_typer(models_app, name="models")
leads_app = typer.Typer(
    help="Lead lists: import them, see their progress and queue, work one.", invoke_without_command=True
)
app.add_typer(leads_app, name="leads")
voicemail_app = typer.Typer(
    help="Recorded voicemail messages to drop on answering machines.", no_args_is_help=True
)
app.add_typer(voicemail_app, name="voicemail")


@app.callback()
def _options(
    ctx: typer.Context,
    config: Annotated[
        Path | None, typer.Option("--config", help="Your settings file (TOML).", envvar="CALLBOT_CONFIG")
    ] = None,
    db: Annotated[
        str | None, typer.Option("--db", help="Call log database URL (default: SQLite in the data dir).")
    ] = None,
) -> None:
    ctx.obj = Runtime(config, db)
    ctx.call_on_close(ctx.obj.close)


app.command()(talk.text)
app.command()(talk.listen)
app.command()(enroll.enroll)
app.command("eval")(measure.eval_corpus)
app.command()(measure.parse)
contacts_app.command("import")(contacts.contacts_import)
contacts_app.command("list")(contacts.contacts_list)
contacts_app.command("find")(contacts.contacts_find)
contacts_app.command("check")(contacts.contacts_check)
log_app.callback()(calls.log_show)
log_app.command("export")(calls.log_export)
log_app.command("import")(calls.log_import)
followups_app.callback()(calls.followups_list)
models_app.callback()(models.models_list)
models_app.command("install")(models.models_install)
followups_app.command("done")(calls.followups_done)
app.command()(calls.report)
config_app.command("show")(settings.config_show)
config_app.command("check")(settings.config_check)
notes_app.command("list")(notes.notes_list)
notes_app.command("retry")(notes.notes_retry)
dnc_app.command("add")(dnc.dnc_add)
dnc_app.command("remove")(dnc.dnc_remove)
dnc_app.command("list")(dnc.dnc_list)
dnc_app.command("import")(dnc.dnc_import)
db_app.command("backup")(settings.db_backup)
db_app.command("upgrade")(settings.db_upgrade)
app.command()(demo.demo)
leads_app.callback()(leads.leads_lists)
leads_app.command("import")(leads.leads_import)
leads_app.command("show")(leads.leads_show)
leads_app.command("work")(leads.leads_work)
leads_app.command("export")(leads.leads_export)
voicemail_app.command("record")(voicemail.voicemail_record)
voicemail_app.command("list")(voicemail.voicemail_list)
voicemail_app.command("default")(voicemail.voicemail_default)


def main() -> None:
    try:
        app()
    except CallbotError as exc:
        print(f"callbot: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
