"""The call log from the command line: `callbot log`, `callbot followups`, `callbot report`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import CallbotError
from ..models import CallRecord
from .shared import out, runtime


def log_show(
    ctx: typer.Context,
    contact: Annotated[
        str | None, typer.Option(help="Only calls to this contact (part of the name).")
    ] = None,
    search: Annotated[
        str | None, typer.Option(help="Only calls whose notes or topic have these words.")
    ] = None,
    limit: Annotated[int, typer.Option(help="How many calls.")] = 20,
    rep: Annotated[str | None, typer.Option(help="Only this rep's calls.")] = None,
) -> None:
    """Recent calls, newest first, with their notes and follow-ups."""
    if ctx.invoked_subcommand:
        return
    store = runtime(ctx).store
    if search:
        records = store.search(search, rep=rep, limit=limit)
        if contact:
            records = [r for r in records if contact.lower() in r.contact_name.lower()]
    else:
        records = store.recent_calls(contact=contact, limit=limit, rep=rep)
    print_log(records)


def log_export(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Where to write.")],
    fmt: Annotated[str, typer.Option("--format", help="csv or jsonl.")] = "csv",
    since: Annotated[str | None, typer.Option(help="Only calls on or after this date (YYYY-MM-DD).")] = None,
    rep: Annotated[str | None, typer.Option(help="Only this rep's calls.")] = None,
) -> None:
    """Write the log with HubSpot's call engagement columns (plus callbot's own) for a CRM import."""
    from ..calllog.export import write

    records = runtime(ctx).store.recent_calls(since=_since(since), rep=rep, limit=None)[::-1]
    count = write(records, file, fmt)
    out.print(f"Wrote {count} calls to {file}.")


def log_import(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(help="A callbot export (CSV or JSON lines).")]
) -> None:
    """Read a callbot export into this log; calls already here are skipped, so importing twice is harmless."""
    from ..calllog.export import read

    imported, skipped = runtime(ctx).store.import_rows(read(file), source=str(file))
    out.print(f"Imported {imported} calls from {file}; {skipped} were already in the log.")


def _since(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).astimezone()
    except ValueError:
        raise CallbotError(f"--since {text!r} is not a date: use YYYY-MM-DD") from None


def followups_list(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="How far ahead to look.")] = 7,
    rep: Annotated[
        str | None, typer.Option(help="This rep's follow-ups (default: yours; 'all' for everyone).")
    ] = None,
) -> None:
    """Follow-ups due: overdue, today, and the coming days."""
    if ctx.invoked_subcommand:
        return
    from datetime import timedelta

    rt = runtime(ctx)
    today = datetime.now().astimezone().date()
    who = None if rep == "all" else (rep or rt.settings.rep)
    due = rt.store.due_followups(until=today + timedelta(days=days - 1), rep=who)
    table = Table("ID", "Due", "When", "Contact", "Note")
    for note in due:
        assert note.followup is not None
        when = "overdue" if note.followup < today else "today" if note.followup == today else "this week"
        table.add_row(str(note.id), f"{note.followup:%a %d %b}", when, note.contact_name, note.text)
    out.print(table)
    out.print(f"{len(due)} follow-ups due in the next {days} days (overdue included).")


def followups_done(
    ctx: typer.Context, note_id: Annotated[int, typer.Argument(help="The follow-up's ID.")]
) -> None:
    """Mark a follow-up done."""
    if not runtime(ctx).store.followup_done(note_id):
        raise CallbotError(f"there is no follow-up {note_id}: see callbot followups")
    out.print(f"Follow-up {note_id} is done.")


def report(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="Directory for report.html and its charts.")],
    since: Annotated[str | None, typer.Option(help="Only calls on or after this date (YYYY-MM-DD).")] = None,
    rep: Annotated[str | None, typer.Option(help="Only this rep's calls.")] = None,
) -> None:
    """A self-contained HTML report with charts: calls by outcome, connect rate, talk time, best hours."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from ..calllog.report import default_title, write

    rt = runtime(ctx)
    store = rt.store
    start = _since(since)
    records = store.recent_calls(since=start, rep=rep, limit=None)
    today = datetime.now().astimezone().date()
    due = store.due_followups(until=today + timedelta(days=6), rep=rep)
    zones = {c.id: c.timezone for c in store.contacts() if c.id is not None and c.timezone}
    local = datetime.now().astimezone().tzinfo
    zone = local if isinstance(local, ZoneInfo) else ZoneInfo("UTC")
    from ..leads.figures import html_section, list_figures

    lists = [list_figures(lst, store.list_calls(lst.name)) for lst in store.lead_lists()]
    path = write(
        records,
        due,
        out_dir,
        zone_of=zones,
        title=default_title(rep, start),
        today=today,
        local_zone=zone,
        sections=[html_section(lists)],
    )
    out.print(f"Report for {len(records)} calls: {path}")
    for f in lists:
        out.print(
            f"  {f.name}: {f.dials} dials ({f.dials_per_hour:.0f} an hour), {100 * f.connect_rate:.0f}% "
            f"connected, {f.voicemails} voicemails, {f.meetings} meetings"
        )


def print_log(records: list[CallRecord]) -> None:
    from ..contacts.numbers import display

    table = Table("When", "Contact", "Number", "Topic", "Outcome", "Duration", "Note", "Follow-up")
    for r in records:
        notes = [n for n in r.notes if n.status != "discarded"]
        note = "\n".join(n.text or f"({n.status})" for n in notes)
        followups = ", ".join(f"{n.followup:%a %d %b}" for n in notes if n.followup)
        duration = (
            f"{r.duration // 60}:{r.duration % 60:02d}" if r.duration is not None and r.answered_at else ""
        )
        outcome = r.outcome or r.status.value
        if r.reason and r.outcome in ("failed", "blocked", "canceled"):
            outcome += f" ({r.reason})"
        when = r.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
        table.add_row(when, r.contact_name, display(r.to_number), r.topic, outcome, duration, note, followups)
    out.print(table)
