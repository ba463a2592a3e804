"""`callbot leads`: import lead lists, see their progress and queue, work one, export its outcomes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from ..errors import CallbotError
from ..models import Lead, LeadList
from .shared import out, runtime

if TYPE_CHECKING:
    from ..calllog.store import Store


def leads_lists(ctx: typer.Context) -> None:
    """Every lead list with its progress."""
    if ctx.invoked_subcommand:
        return
    lists = runtime(ctx).store.lead_lists()
    if not lists:
        out.print("No lead lists yet: callbot leads import FILE [--list NAME]")
        return
    table = Table("List", "Leads", "Worked", "Waiting", "Callbacks", "Progress", "From")
    for lst in lists:
        table.add_row(
            lst.name,
            str(lst.total),
            str(lst.worked),
            str(lst.counts.get("pending", 0) + lst.counts.get("calling", 0)),
            str(lst.counts.get("callback", 0)),
            _progress(lst),
            Path(lst.source).name,
        )
    out.print(table)


def _progress(lst: LeadList) -> str:
    return f"{100 * lst.worked // lst.total}%" if lst.total else "-"


def leads_import(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(help="A HubSpot, Salesforce, Pipedrive or Close export, or a plain CSV."),
    ],
    name: Annotated[str | None, typer.Option("--list", help="The list's name (default: the file's).")] = None,
) -> None:
    """Import (or re-import) a lead list; each lead keeps its place and state in the list."""
    from ..leads.importers import read_leads

    rt = runtime(ctx)
    found = read_leads(file, rt.settings.callbot.region)
    for problem in found.problems:
        out.print(f"[yellow]skipped[/]: {problem}")
    list_name = name or file.stem
    leads = [(replace(lead, list_name=list_name), contact) for lead, contact in found.leads]
    result = rt.store.import_leads(list_name, str(file), leads)
    out.print(
        f"List {list_name!r} ({found.format}): {result.added} leads added, {result.updated} updated; "
        f"{result.matched_contacts} were contacts already, {result.new_contacts} new contacts."
    )


def leads_show(ctx: typer.Context, name: Annotated[str, typer.Argument(help="A list's name.")]) -> None:
    """A list's queue: each lead with its status, attempts and last outcome."""
    leads_table(_leads(runtime(ctx).store, name))


def leads_table(leads: list[Lead]) -> None:
    """A list's queue as a table."""
    from ..contacts.numbers import display

    table = Table("#", "Name", "Company", "Title", "Number", "Status", "Tries", "Last outcome", "When / why")
    for lead in leads:
        table.add_row(
            str(lead.position),
            lead.name,
            lead.company,
            lead.title,
            display(lead.number),
            str(lead.status),
            str(lead.attempts),
            lead.last_outcome,
            _when_why(lead),
        )
    out.print(table)
    waiting = sum(1 for lead in leads if lead.status in ("pending", "callback"))
    out.print(f"{len(leads)} leads, {waiting} waiting.")


def _when_why(lead: Lead) -> str:
    from ..leads.plan import place_of, zone_of

    due = f"{lead.due_at.astimezone(zone_of(lead)):%a %d %b %H:%M} {place_of(lead)}" if lead.due_at else ""
    return "; ".join(p for p in (due, lead.reason) if p)


def _list(store: Store, name: str) -> str:
    """A list's own name, or an error naming the lists there are."""
    found = store.lead_list(name)
    if found is None:
        known = [lst.name for lst in store.lead_lists()]
        hint = f" Lists: {', '.join(known)}." if known else " Import one: callbot leads import FILE."
        raise CallbotError(f"there is no lead list named {name!r}.{hint}")
    return found.name


def _leads(store: Store, name: str) -> list[Lead]:
    return store.leads(_list(store, name))


def leads_work(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The list to work.")],
    provider: Annotated[
        str | None, typer.Option(help="simulator or twilio (default: from settings).")
    ] = None,
    echo: Annotated[
        bool, typer.Option(help="Print each line read, so a piped session reads as a transcript.")
    ] = False,
    auto_advance: Annotated[
        bool | None, typer.Option("--auto-advance/--no-auto-advance", help="Call the next lead by itself.")
    ] = None,
    voice: Annotated[
        bool, typer.Option("--voice", help="Speak instead of typing (as callbot listen).")
    ] = False,
    audio: Annotated[
        Path | None, typer.Option(help="With --voice: play a WAV file, or a directory of them, instead.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", help="With --voice: print replies, don't speak.")] = False,
    engine: Annotated[
        str,
        typer.Option(help="With --voice: the command engine (whisper hears the list's commands freely)."),
    ] = "whisper",
    page: Annotated[
        bool,
        typer.Option(
            "--page", help="Serve the live page on 127.0.0.1 (typed or --voice); the URL is printed."
        ),
    ] = False,
    port: Annotated[int, typer.Option(help="With --page: the port (0: any free one).")] = 0,
) -> None:
    """Work a list lead by lead: call, skip, later, remove, stop; an outcome and a note after each call."""
    rt = runtime(ctx)
    if provider:
        rt.overrides["telephony"]["provider"] = provider
    if auto_advance is not None:
        rt.overrides["leads"] = {"auto_advance": auto_advance}
    found = _list(rt.store, name)
    if voice or audio:
        from .talk import run_voice_session

        run_voice_session(
            rt, audio=audio, quiet=quiet, engine=engine, lead_list=found, page=port if page else None
        )
        return
    from ..console import PrintVoice, TextEar

    if not page:
        rt.list_session(found, TextEar(), PrintVoice(echo=echo)).run()
        return
    from ..web.live import LivePage, PageEar, PageVoice

    live = LivePage(port)
    try:
        out.print(f"The live page: {live.url}")
        ear, said = PageEar(live, TextEar()), PageVoice(PrintVoice(echo=echo), live)
        rt.list_session(found, ear, said, screen=live).run()
    finally:
        live.close()


def leads_export(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The list.")],
    file: Annotated[Path, typer.Argument(help="Where to write (CSV).")],
    fmt: Annotated[
        str, typer.Option("--format", help="hubspot (call import) or salesforce (Tasks).")
    ] = "hubspot",
) -> None:
    """Write the list's calls and outcomes for a CRM import: HubSpot calls or Salesforce Tasks."""
    from ..leads.export import write

    store = runtime(ctx).store
    calls = store.list_calls(_list(store, name))
    count = write(calls, file, fmt)
    out.print(f"Wrote {count} calls from the {name} list to {file} ({fmt}).")
