"""What is said about a lead: its card, its last note, and a time in the lead's own zone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from ..calllog.followups import describe
from ..language import Replies
from ..models import CallRecord, Lead, LeadStatus
from .plan import place_of, zone_of


def card(say: Replies, lead: Lead, now: datetime, last: tuple[datetime, str] | None) -> dict[str, str]:
    """The card's parts: "Priya Shah, VP Operations at Acme, 10:14 in Denver; last note: ..."."""
    local = now.astimezone(zone_of(lead))
    if lead.title and lead.company:
        role = say("list_card_role", title=lead.title, company=lead.company)
    else:
        role = say("list_card_company", company=lead.company) if lead.company else ""
    callback = say("list_card_callback") if lead.status == LeadStatus.CALLBACK else ""
    return {
        "name": callback + lead.name,
        "role": role,
        "time": f"{local:%H:%M}",
        "place": place_of(lead),
        "last": say("list_card_last", note=last[1]) if last else "",
    }


def last_note(calls: Sequence[CallRecord]) -> tuple[datetime, str] | None:
    """The newest saved note of these calls, with when it was taken."""
    notes = [
        (note.created_at, note.text)
        for call in calls
        for note in call.notes
        if note.status == "saved" and note.text
    ]
    return max(notes) if notes else None


def when(lead: Lead, due: datetime, now: datetime) -> str:
    """ "tomorrow at 10:00", in the lead's zone."""
    local = due.astimezone(zone_of(lead))
    today = now.astimezone(zone_of(lead)).date()
    return f"{describe(local.date(), today)} at {local:%H:%M}"


def history(calls: Sequence[CallRecord]) -> list[str]:
    """Past calls to the lead, newest first, each with its outcome and notes (the live page's card)."""
    lines = []
    for call in calls:
        said = "; ".join(n.text for n in call.notes if n.status == "saved" and n.text)
        outcome = call.outcome or str(call.status)
        lines.append(f"{call.created_at:%d %b %H:%M}: {outcome}" + (f": {said}" if said else ""))
    return lines


@dataclass
class Tally:
    """A session's counts: dials, connects, talk time, voicemails dropped, meetings."""

    calls: int = 0
    connects: int = 0
    meetings: int = 0
    talk: int = 0  # seconds
    voicemails: int = 0
    offered: set[int] = field(default_factory=set)

    def counts(self) -> dict[str, int]:
        return {
            "dials": self.calls,
            "connects": self.connects,
            "talk minutes": self.talk // 60,
            "voicemails dropped": self.voicemails,
            "meetings": self.meetings,
        }
