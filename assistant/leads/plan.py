"""Working a list, the pure part: which lead is next, when an outside-hours lead may be called, what a
disposition does to the lead, and the lead's local time.

Functions over values; the list session (work.py) asks the questions and writes the state.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..compliance import Rules, check
from ..contacts.numbers import callee_zones
from ..models import DISPOSITIONS, Contact, Lead, LeadStatus

RETRY_AFTER = timedelta(hours=1)  # a busy or unanswered lead comes back into the queue after this
MAX_ATTEMPTS = 3  # after this many busy or unanswered calls a lead is done
LATER = timedelta(hours=1)  # "later" without a time

# The disposition after a call -> what becomes of the lead (call back asks when).
FINISHED = frozenset({"connected", "left live message", "left voicemail", "meeting booked", "not interested"})
RETRY = frozenset({"busy", "no answer"})
# Keys for a disposition typed by number, in DISPOSITIONS order: 1 connected ... 9 call back.
KEYS = {str(i): d for i, d in enumerate(DISPOSITIONS, start=1)}


def next_lead(leads: Sequence[Lead], now: datetime, offered: Collection[int]) -> Lead | None:
    """The next lead to offer: callbacks that are due first (oldest due first), then the queue in order.
    A lead offered already in this session comes back only as a callback that has fallen due."""
    due = sorted(
        (
            lead
            for lead in leads
            if lead.status == LeadStatus.CALLBACK and lead.due_at is not None and lead.due_at <= now
        ),
        key=lambda lead: (lead.due_at, lead.position),
    )
    if due:  # every answer to a callback changes its state or its time, so it cannot come back at once
        return due[0]
    return next(
        (
            lead
            for lead in leads
            if lead.status == LeadStatus.PENDING
            and (lead.due_at is None or lead.due_at <= now)
            and lead.id not in offered
        ),
        None,
    )


def waiting(leads: Sequence[Lead]) -> list[Lead]:
    """Leads still to call some time: pending (now or later) and callbacks."""
    return [lead for lead in leads if lead.status in (LeadStatus.PENDING, LeadStatus.CALLBACK)]


def zone_of(lead: Lead) -> ZoneInfo:
    """The lead's time zone: their own, else their number's (the strictest zone of several)."""
    for name in (lead.timezone, *callee_zones(lead.number, lead.timezone)):
        if not name:
            continue
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


def place_of(lead: Lead) -> str:
    """ "Denver" for America/Denver."""
    return str(zone_of(lead)).split("/")[-1].replace("_", " ")


def next_allowed(contact: Contact | None, lead: Lead, now: datetime, rules: Rules) -> datetime | None:
    """The first time from now at which calling hours allow this lead in every zone they may be in
    (None when no window in the coming week does)."""
    zones = [zone_of(lead)] + [
        ZoneInfo(z) for z in callee_zones(lead.number, lead.timezone) if _known(z) and z != str(zone_of(lead))
    ]
    candidates = {now}
    for zone in zones:
        local = now.astimezone(zone)
        for days in range(8):
            day = local.date() + timedelta(days=days)
            window = rules.hours.get(day.weekday())
            if window is not None:
                candidates.add(datetime.combine(day, window[0], tzinfo=zone))
    for when in sorted(c for c in candidates if c >= now):
        verdict = check(contact, lead.number, when, rules, lambda _: None)
        if verdict.allowed or verdict.rule != "hours":
            return when
    return None


def after_call(disposition: str, lead: Lead, now: datetime) -> tuple[LeadStatus, datetime | None, str]:
    """What a disposition does to the lead: (status, due time, reason). Call back is asked about first."""
    if disposition in FINISHED:
        return LeadStatus.DONE, None, ""
    if disposition == "wrong number":
        return LeadStatus.REMOVED, None, "wrong number"
    if disposition in RETRY:
        if lead.attempts >= MAX_ATTEMPTS:
            return LeadStatus.DONE, None, f"{disposition} {lead.attempts} times"
        return LeadStatus.PENDING, now + RETRY_AFTER, f"{disposition}; tried again after an hour"
    return LeadStatus.CALLBACK, now + LATER, ""


def disposition_of(outcome: str) -> str | None:
    """A call's own outcome when it settles the disposition without asking (the rep was not connected)."""
    return {"busy": "busy", "no-answer": "no answer", "failed": "no answer"}.get(outcome)


def _known(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def closest_disposition(heard: str) -> str | None:
    """The outcome a misheard answer most likely was ("meeting worked" -> meeting booked), from the closed set
    of nine: only when it is close, and clearly closer than the next best; else None (ask again)."""
    parts = [" ".join(re.sub(r"[^a-z ]", " ", p).split()) for p in re.split(r"[.!?]", heard.lower())]
    scores: dict[str, float] = {}
    for part in (p for p in parts if p):  # a recogniser may hear the answer twice over
        for d in DISPOSITIONS:
            scores[d] = max(scores.get(d, 0.0), difflib.SequenceMatcher(None, part, d).ratio())
    if not scores:
        return None
    (best, found), (second, _) = sorted(((v, k) for k, v in scores.items()), reverse=True)[:2]
    return found if best >= 0.7 and best - second >= 0.15 else None
