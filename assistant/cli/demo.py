"""`callbot demo`: a scripted session on the example contacts and the simulator."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from typing import Annotated

import typer

from .. import config as config_mod
from ..ports import Clock
from .calls import print_log
from .runtime import Runtime
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
    _list_demo(rt, clock, text_only=text_only, quiet=quiet)


def _list_demo(rt: Runtime, clock: Clock, *, text_only: bool, quiet: bool) -> None:
    """The demo's end: a three-lead list worked by voice (one connected with a note, one voicemail dropped,
    one outside its calling hours and kept for later)."""
    import io
    from dataclasses import replace
    from datetime import time
    from zoneinfo import ZoneInfo

    from ..console import PrintVoice, TextEar
    from ..leads.importers import read_leads
    from ..ports import FixedClock
    from .leads import leads_table

    # The list is worked at 09:30 in New York on the demo's day, whatever time the demo runs: New York is
    # inside its calling hours and Honolulu (04:30) is not yet, so the third lead is always deferred.
    new_york = ZoneInfo("America/New_York")
    clock = FixedClock(datetime.combine(clock.now().astimezone(new_york).date(), time(9, 30), new_york))
    rt.store.now = clock.now
    folder = config_mod.data_path("config") / "demo_list"
    found = read_leads(folder / "leads.csv", "US")
    rt.store.import_leads(
        "Demo", str(folder / "leads.csv"), [(replace(x, list_name="Demo"), c) for x, c in found.leads]
    )
    if rt.voicemails().default() is None:
        rt.voicemails().add("demo", config_mod.data_path("config") / "voicemail-demo.wav")
    out.print("\nWorking a lead list by voice (callbot leads work Demo --voice):")
    if text_only:
        lines = [
            ln for ln in (folder / "script.txt").read_text().splitlines() if ln and not ln.startswith("#")
        ]
        ear = TextEar(io.StringIO("\n".join(lines) + "\n"))
        rt.list_session("Demo", ear, PrintVoice(echo=True), clock=clock).run()
    else:
        run_voice_session(rt, audio=folder, quiet=quiet, engine="whisper", clock=clock, lead_list="Demo")
    leads_table(rt.store.leads("Demo"))
