"""`callbot contacts`: import, list, find and check contacts (which names sound the same)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from .shared import out, runtime


def contacts_import(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="Google/Outlook CSV, HubSpot or Salesforce export, plain CSV, or .vcf")
    ],
    region: Annotated[str | None, typer.Option(help="Region for numbers without +country code.")] = None,
) -> None:
    """Import contacts; bad rows are reported by line and the rest are imported."""
    from ..contacts.importers import read_contacts

    rt = runtime(ctx)
    result = read_contacts(file, region or rt.settings.callbot.region)
    stats = rt.store.import_contacts(result.contacts, source=str(file))
    for problem in result.problems:
        out.print(f"[yellow]warning[/]: {problem}", markup=True)
    out.print(
        f"Imported {len(result.contacts)} contacts from {file} ({result.format}): "
        f"{stats.added} new, {stats.updated} updated; {len(result.problems)} problems."
    )


def contacts_list(ctx: typer.Context) -> None:
    """Every contact with their numbers."""
    from ..contacts.numbers import display

    contacts = runtime(ctx).store.contacts()
    table = Table("Name", "Company", "Numbers", "Aliases", "Time zone", "DNC")
    for c in contacts:
        numbers = "\n".join(
            f"{n.label}: {display(n.e164)}" + (" *" if n.preferred else "") for n in c.numbers
        )
        aliases = ", ".join([*c.aliases, *(f"{a} (learned)" for a in c.learned)])
        table.add_row(c.name, c.company, numbers, aliases, c.timezone, "yes" if c.do_not_call else "")
    out.print(table)
    out.print(f"{len(contacts)} contacts")


def contacts_find(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="A name as you would say it.")]
) -> None:
    """The ranked candidates for a name, with scores, and what callbot would do."""
    resolver = runtime(ctx).book.resolver()
    resolution = resolver.resolve([name])
    table = Table("Score", "Name", "Company", "Matched by")
    for c in resolver.rank([name])[:10]:
        table.add_row(f"{c.score:.1f}", c.contact.name, c.contact.company, c.matched)
    out.print(table)
    verdict = {
        "dial": f"would call {resolution.contact.name if resolution.contact else ''}",
        "ask": "would ask which one",
        "refuse": "would say nobody matches",
    }[str(resolution.action)]
    out.print(f"callbot {verdict}.")


def contacts_check(ctx: typer.Context) -> None:
    """Contacts whose names sound the same: spoken, callbot asks which one unless a company, a label or a
    nickname only one of them has settles it. Add an alias (a column in the file) to tell them apart."""
    alikes = runtime(ctx).book.sound_alikes()
    groups = alikes.groups() if alikes is not None else []
    table = Table("Sound the same", "Companies", "Cities", "Aliases")
    for group in groups:
        table.add_row(
            "\n".join(c.name for c in group),
            "\n".join(c.company or "-" for c in group),
            "\n".join(c.city or "-" for c in group),
            "\n".join(", ".join([*c.aliases, *c.learned]) or "-" for c in group),
        )
    if groups:
        out.print(table)
        out.print(
            f'{len(groups)} groups of same-sounding names: said, each is asked about ("which one?") '
            "unless the command names the company or a number label only one has. "
            "An alias or nickname for one of them (aliases column) lets you say it apart."
        )
    else:
        out.print("No two contacts' names sound the same.")
