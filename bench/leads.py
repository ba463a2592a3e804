"""A 500-lead list worked end to end in text mode through the simulator (issue 19).

The real importer, call log (SQLite), rules, gate, call flow, notes and simulator; only the ear is scripted
(a fake at our own port): it says "call" at each card (or stays silent through the auto-advance cancel
window), gives each outcome by key and a note now and then. The simulator's calls take no time
(time_scale 0), so the time per lead is callbot's own: from one lead's card to the next.

    python -m bench.leads      # one run, as a markdown table
"""

from __future__ import annotations

import io
import itertools
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

LEADS = 500
# Friday 09:30 in New York: New York and Chicago may be called; Denver, Los Angeles, Anchorage and
# Honolulu are still outside their calling hours and must be deferred, never dialled.
NOW = datetime(2026, 11, 27, 9, 30, tzinfo=ZoneInfo("America/New_York"))
AREAS = [
    ("212", "America/New_York"),
    ("312", "America/Chicago"),
    ("303", "America/Denver"),
    ("415", "America/Los_Angeles"),
    ("646", "America/New_York"),
    ("907", "America/Anchorage"),
    ("773", "America/Chicago"),
    ("808", "Pacific/Honolulu"),
]
SIMULATED = ["connected", "connected", "busy", "no-answer", "voicemail", "connected", "connected"]


def write_list(path: Path) -> dict[str, str]:
    """A plain CSV of LEADS people across six zones; returns number -> simulator outcome."""
    outcomes: dict[str, str] = {}
    lines = ["name,company,title,phone,email,timezone,source"]
    for i in range(LEADS):
        area, zone = AREAS[i % len(AREAS)]
        number = f"+1{area}555{i:04d}"
        outcomes[number] = SIMULATED[i % len(SIMULATED)]
        lines.append(f"Lead {i:03d} Person,Company {i % 37},Buyer,{number},lead{i}@example.com,{zone},bench")
    path.write_text("\n".join(lines) + "\n")
    return outcomes


class ScriptedEar:
    """Answers what callbot last asked: silence through the cancel window, "call" at a card, an outcome by
    key, sometimes a note."""

    def __init__(self, voice: RecordingVoice):
        self.voice = voice
        self.keys = itertools.cycle(["1", "7", "8", "9", "4", "6", "1"])
        self.notes = itertools.cycle(["no", "send the pricing sheet by friday", "no"])

    def listen(self, expect: Any, timeout: float | None = None) -> Any:
        from assistant.models import Transcript, Utterance

        last = self.voice.last
        if expect.mode == "review" or "Say cancel to stop" in last:
            return None  # the read-back and the cancel window pass in silence
        if last.startswith("Outcome?") or last.startswith("Say an outcome"):
            text = next(self.keys)
        elif "follow-up note" in last:
            text = next(self.notes)
        elif last.startswith("When should I call"):
            text = "monday at ten"
        else:
            text = "call"
        return Utterance(Transcript(text, confidence=1.0), source="text")


class RecordingVoice:
    """Keeps the last thing said, and when each lead was taken up (its card, deferral or refusal)."""

    def __init__(self) -> None:
        self.last = ""
        self.cards: list[float] = []
        self.out = io.StringIO()

    def say(self, text: str) -> None:
        self.last = text
        if text.startswith(("Lead ", "Callback due. Lead ", "It's ", "I won't call Lead ")):
            self.cards.append(time.perf_counter())
        self.out.write(text + "\n")

    def status(self, state: str, detail: str = "") -> None:
        return None


def run() -> dict[str, Any]:
    """The list worked in a fresh process: its peak memory is then the session's own, not that of whatever
    the bench ran before it in the same process (the whole `make bench` had reported 1,128 MB for 87 MB)."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.leads", "--json"],
        check=True,
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def measure() -> dict[str, Any]:
    from assistant.calllog.store import Store
    from assistant.compliance import Rules
    from assistant.leads.importers import read_leads
    from assistant.leads.plan import zone_of
    from assistant.leads.work import ListSession
    from assistant.phrasing import no_note_words
    from assistant.ports import FixedClock
    from assistant.session import SessionSettings
    from assistant.telephony.simulator import Simulator

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        outcomes = write_list(folder / "leads.csv")
        store = Store(f"sqlite:///{folder / 'callbot.db'}", clock=FixedClock(NOW).now)
        started = time.perf_counter()
        found = read_leads(folder / "leads.csv")
        store.import_leads(
            "Bench", "leads.csv", [(replace(lead, list_name="Bench"), c) for lead, c in found.leads]
        )
        import_seconds = time.perf_counter() - started
        # A few leads on the do-not-call list: refused and marked, never dialled.
        dnc = [lead.number for lead in store.leads("Bench")[::50]]
        store.dnc_add(dnc, reason="bench")
        carrier = Simulator(outcomes)
        voice = RecordingVoice()
        rules = Rules.from_settings("08:00-21:00", {}, "ask", ["US"])
        session = ListSession(
            "Bench",
            ear=ScriptedEar(voice),
            voice=voice,
            telephony=carrier,
            log=store,
            contacts={c.id: c for c in store.contacts() if c.id is not None},
            settings=SessionSettings(
                rep="bench", rules=rules, poll_interval=0.0, review_timeout=0, cancel_window=3
            ),
            auto_advance=True,
            clock=FixedClock(NOW),
            listed=store.dnc_reason,
            no_note=no_note_words(),
        )
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        begun = time.perf_counter()
        session.run()
        seconds = time.perf_counter() - begun
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        leads = store.leads("Bench")
        placed = Counter(r.to for r in carrier.placed)
        rows = Counter(c.to_number for c in store.recent_calls(limit=None) if c.provider_call_id)
        closed = {lead.number for lead in leads if _closed(lead, zone_of(lead))}
        deferred = [lead for lead in leads if lead.number in closed]
        store.close()
    marks = [*voice.cards, begun + seconds]
    per_lead = [(b - a) * 1000 for a, b in itertools.pairwise(marks)]
    statuses = Counter(str(lead.status) for lead in leads)
    return {
        "leads": len(leads),
        "import_s": round(import_seconds, 2),
        "session_s": round(seconds, 2),
        "cards": len(voice.cards),
        "dialled": len(placed),
        "per_lead_p50_ms": round(statistics.median(per_lead), 1),
        "per_lead_p95_ms": round(statistics.quantiles(per_lead, n=20)[-1], 1),
        "peak_rss_mb": round(peak, 1),
        "rss_before_session_mb": round(before, 1),
        "called_twice": sum(1 for n in placed.values() if n > 1) + sum(1 for n in rows.values() if n > 1),
        "outside_hours": len(closed),
        "outside_hours_deferred": sum(
            1
            for lead in deferred
            if lead.status == "pending" and lead.due_at is not None and not placed[lead.number]
        ),
        "outside_hours_dialled": sum(1 for n in closed if placed[n]),
        "statuses": dict(statuses),
    }


def _closed(lead: Any, zone: ZoneInfo) -> bool:
    """Outside 08:00-21:00 in the lead's own zone at NOW (and not blocked for another reason)."""
    local = NOW.astimezone(zone)
    return not (8 <= local.hour < 21) and lead.status != "blocked"


def table(f: dict[str, Any]) -> str:
    return "\n".join(
        [
            "| leads | dialled | callbot's time per lead p50 / p95 | peak RSS | called twice "
            "| outside hours: deferred / dialled | import | whole session |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|",
            f"| {f['leads']} | {f['dialled']} | {f['per_lead_p50_ms']} / {f['per_lead_p95_ms']} ms "
            f"| {f['peak_rss_mb']} MB | {f['called_twice']} "
            f"| {f['outside_hours_deferred']} of {f['outside_hours']} / {f['outside_hours_dialled']} "
            f"| {f['import_s']} s | {f['session_s']} s |",
            "",
            f"Statuses after the run: {', '.join(f'{k} {v}' for k, v in sorted(f['statuses'].items()))}.",
        ]
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--json"]:  # one measurement, for `run`
        print(json.dumps(measure()))
    else:
        print(table(run()))
