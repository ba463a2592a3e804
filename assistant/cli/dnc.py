"""`callbot dnc`: the do-not-call list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ..errors import CallbotError
from .runtime import Runtime
from .shared import out, runtime


def _number(rt: Runtime, written: str) -> str:
    from ..contacts.numbers import BadNumber, normalize

    try:
        return normalize(written, rt.settings.callbot.region)
    except BadNumber as exc:
        raise CallbotError(str(exc)) from None


def dnc_add(
    ctx: typer.Context,
    numbers: Annotated[list[str], typer.Argument(help="Numbers, or a contact's name (all their numbers).")],
    reason: Annotated[str, typer.Option(help="Why (shown when a call is refused).")] = "",
) -> None:
    """Put numbers (or a contact) on the do-not-call list."""
    rt = runtime(ctx)
    store = rt.store
    found: list[str] = []
    for item in numbers:
        if any(ch.isdigit() for ch in item):
            found.append(_number(rt, item))
            continue
        resolution = rt.book.resolver().resolve([item])
        if resolution.contact is None or resolution.contact.id is None:
            raise CallbotError(
                f"{item!r} is neither a phone number nor one contact: try callbot contacts find"
            )
        store.set_do_not_call(resolution.contact.id, True)
        found += [n.e164 for n in resolution.contact.numbers]
    added = store.dnc_add(found, reason=reason, source="callbot dnc add", rep=rt.settings.rep)
    out.print(f"{added} numbers added to the do-not-call list ({len(found) - added} were on it already).")


def dnc_remove(
    ctx: typer.Context, number: Annotated[str, typer.Argument(help="A number on the list.")]
) -> None:
    """Take a number off the do-not-call list."""
    rt = runtime(ctx)
    e164 = _number(rt, number)
    if not rt.store.dnc_remove(e164):
        raise CallbotError(f"{e164} is not on the do-not-call list")
    contact = rt.store.contact_for_number(e164)
    if contact is not None and contact.id is not None and contact.do_not_call:
        rt.store.set_do_not_call(contact.id, False)
    out.print(f"{e164} may be called again.")


def dnc_list(ctx: typer.Context) -> None:
    """Every number on the do-not-call list, with why and when."""
    table = Table("Number", "Reason", "From", "Added")
    entries = runtime(ctx).store.dnc_entries()
    for e164, reason, source, added in entries:
        table.add_row(e164, reason, source, added.astimezone().strftime("%Y-%m-%d"))
    out.print(table)
    out.print(f"{len(entries)} numbers.")


def dnc_import(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(help="One number per line, or a CSV.")]
) -> None:
    """Add a do-not-call list file to the log's list; numbers that cannot be read are reported."""
    from ..compliance import read_dnc_file

    rt = runtime(ctx)
    try:
        dnc = read_dnc_file(file.read_text(encoding="utf-8-sig"), rt.settings.callbot.region, str(file))
    except OSError as exc:
        raise CallbotError(f"cannot read {file}: {exc.strerror}") from None
    for problem in dnc.problems:  # a number dropped from a do-not-call list is never silent
        out.print(f"[yellow]skipped[/]: {problem}")
    good = list(dnc)
    added = rt.store.dnc_add(good, reason=f"listed in {file.name}", source=str(file), rep=rt.settings.rep)
    out.print(f"{added} numbers added from {file} ({len(good) - added} were on the list already).")
