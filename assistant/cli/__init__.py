"""The command line: `app` (typer) and `main`, the `callbot` entry point.

runtime.py    the composition root: settings and the parts built from them, typed
app.py        the command, its groups and global options; every command registered, in --help order
shared.py     the console commands print to, and the current command's runtime
talk.py       text, listen                  measure.py   eval, parse
contacts.py   contacts import/list/find     calls.py     log, followups, report
settings.py   config show/check, db         notes.py     notes list/retry
dnc.py        dnc add/remove/list/import    demo.py      demo
"""

from __future__ import annotations

from .app import app, main
from .runtime import Runtime

__all__ = ["Runtime", "app", "main"]
