"""Per-list figures for `callbot report`: dials per hour, connect rate, voicemails, meetings, best hours."""

from __future__ import annotations

import html
import itertools
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from ..models import LeadList, ListCall
from .plan import zone_of

TALKED = frozenset({"connected", "left live message", "meeting booked", "not interested", "call back"})
PAUSE = timedelta(minutes=15)  # a longer gap between two dials is a break, not working time
LAST = timedelta(minutes=2)  # the working time a session's last dial counts for


@dataclass(frozen=True)
class ListFigures:
    name: str
    leads: int
    worked: int
    dials: int
    dials_per_hour: float
    connects: int
    voicemails: int
    meetings: int
    best_hours: tuple[int, ...]  # the leads' local hours with the best connect rate, best first

    @property
    def connect_rate(self) -> float:
        return self.connects / self.dials if self.dials else 0.0


def list_figures(lst: LeadList, calls: Sequence[ListCall]) -> ListFigures:
    """One list's figures from its calls (oldest first)."""
    talked = [_talked(c) for c in calls]
    working = timedelta()
    for before, after in itertools.pairwise(calls):
        working += min(after.created_at - before.created_at, PAUSE)
    working += LAST if calls else timedelta()
    hours = working.total_seconds() / 3600
    dials: Counter[int] = Counter()
    connects: Counter[int] = Counter()
    for call, yes in zip(calls, talked, strict=True):
        hour = call.created_at.astimezone(zone_of(call.lead)).hour
        dials[hour] += 1
        connects[hour] += yes
    best = sorted((h for h in dials if connects[h]), key=lambda h: (-connects[h] / dials[h], -dials[h], h))
    return ListFigures(
        name=lst.name,
        leads=lst.total,
        worked=lst.worked,
        dials=len(calls),
        dials_per_hour=len(calls) / hours if hours else 0.0,
        connects=sum(talked),
        voicemails=sum(1 for c in calls if c.disposition == "left voicemail"),
        meetings=sum(1 for c in calls if c.disposition == "meeting booked"),
        best_hours=tuple(best[:3]),
    )


def _talked(call: ListCall) -> bool:
    return call.disposition in TALKED if call.disposition else call.outcome == "connected"


def hours_text(hours: Sequence[int]) -> str:
    return ", ".join(f"{h:02d}:00" for h in hours) or "-"


def html_section(figures: Sequence[ListFigures]) -> str:
    """The report's "Lead lists" table."""
    if not figures:
        return ""
    esc = html.escape
    rows = "\n".join(
        f"<tr><td>{esc(f.name)}</td><td>{f.worked}/{f.leads}</td><td>{f.dials}</td>"
        f"<td>{f.dials_per_hour:.0f}</td><td>{100 * f.connect_rate:.0f}%</td><td>{f.voicemails}</td>"
        f"<td>{f.meetings}</td><td>{esc(hours_text(f.best_hours))}</td></tr>"
        for f in figures
    )
    return (
        '<h2>Lead lists</h2>\n<table class="lists"><tr><th>List</th><th>Worked</th><th>Dials</th>'
        "<th>Dials per hour</th><th>Connect rate</th><th>Voicemails</th><th>Meetings</th>"
        f"<th>Best hours (leads' time)</th></tr>\n{rows}</table>"
    )
