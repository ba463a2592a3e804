"""`callbot demo`: a scripted session on the example contacts and the simulator."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Annotated

import typer

from .. import config as config_mod
from .calls import print_log
from .shared import out, runtime
from .talk import run_voice_session


def demo(
    ctx: typer.Context,
    text_only: Annotated[
        bool, typer.Option("--text", help="Type the script instead of playing its recordings.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", help="Print replies instead of speaking them.")] = False,
) -> None:
    """A scripted session on the example contacts and the simulator: recordings through the recogniser."""
    import io

    from ..console import PrintVoice, TextEar

    rt = runtime(ctx)
    if not rt.store.contacts_version()[0]:
        from ..contacts.importers import read_contacts

        example = config_mod.data_path("config") / "contacts.example.csv"
        rt.store.import_contacts(read_contacts(example, "US").contacts, source=str(example))
    before = {r.id for r in rt.store.recent_calls(limit=None)}  # a shared database may hold other calls
    started = datetime.now(UTC)
    demo_dir = config_mod.data_path("config") / "demo"
    # The demo's day starts at 17:00 UTC (09:00 in California), so its calls fall within calling hours
    # whenever it runs; CALLBOT_NOW still wins.
    from ..ports import FixedClock

    clock = rt.clock if os.environ.get("CALLBOT_NOW") else FixedClock(started.replace(hour=17, minute=0))
    rt.store.now = clock.now
    if text_only:
        lines = [
            ln for ln in (demo_dir / "script.txt").read_text().splitlines() if ln and not ln.startswith("#")
        ]
        ear = TextEar(io.StringIO("\n".join(lines) + "\n"))
        rt.session(ear, PrintVoice(echo=True), clock=clock).run()
    else:
        run_voice_session(rt, audio=demo_dir, quiet=quiet, clock=clock)
    out.print("\nThe call log:")
    print_log([r for r in rt.store.recent_calls(limit=None) if r.id not in before][::-1])
