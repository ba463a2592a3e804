"""What every command module shares: the console it prints to, and the runtime of the current command."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from .runtime import Runtime

out = Console(highlight=False, width=None if sys.stdout.isatty() else 160)


def runtime(ctx: typer.Context) -> Runtime:
    found: Runtime = ctx.find_root().obj
    return found
