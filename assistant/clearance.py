"""May we call now, beyond compliance's rules: one live call at a time, the same person again, and
whether the user should confirm the call first.

Pure: functions over values. The dialog asks the questions these lead to and writes the rows (a blocked
call, a cancelled one); a list-working mode can defer instead of asking, from the same answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from .compliance import Verdict
from .contacts.numbers import region_of
from .models import CallRecord, CallRequest, CallStatus, Resolution


def recent(call: CallRecord, now: datetime) -> bool:
    """Whether a call the log shows as live is really live: a crashed process leaves rows behind, so a
    creation request counts for two minutes and a ringing or answered call for four hours."""
    age = now - call.created_at
    return age < (timedelta(minutes=2) if call.status == CallStatus.PENDING else timedelta(hours=4))


def line_busy(live: Sequence[CallRecord], max_concurrent: int) -> str | None:
    """Why another call may not start while these are live, or None when it may."""
    if len(live) < max_concurrent:
        return None
    return f"another call is in progress (with {live[0].contact_name or live[0].to_number})"


def placed(calls: Sequence[CallRecord]) -> list[CallRecord]:
    """The calls that reached a carrier (a blocked or cancelled attempt rang nobody)."""
    return [c for c in calls if c.provider_call_id]


def minutes_since(call: CallRecord, now: datetime) -> int:
    """Whole minutes since the call, at least one: "You called Jane 3 minutes ago"."""
    return max(1, int((now - call.created_at).total_seconds() // 60))


def not_overridden(verdict: Verdict) -> str:
    """The blocked row's reason when the user would not call outside hours."""
    return f"{verdict.reason}; not overridden"


def not_repeated(minutes: int) -> str:
    """The cancelled row's reason when the user would not call the same number again."""
    return f"already called {minutes} min before; not repeated"


def overridden(request: CallRequest, verdict: Verdict) -> CallRequest:
    """The user said "call anyway": the call's row says which rule they overrode."""
    return _with_override(request, f"{verdict.reason}: the user said call anyway")


def called_again(request: CallRequest, minutes: int) -> CallRequest:
    """The user said "call again" within the repeat window: the call's row says so."""
    return _with_override(request, f"called again within {minutes} min")


def needs_confirmation(
    resolution: Resolution,
    request: CallRequest,
    *,
    policy: str,
    home_region: str,
    earlier: Sequence[CallRecord],
) -> bool:
    """Whether to ask "Call Jane?" rather than announce the call: always, never (unless the match or the
    number is unclear), or when unsure (an unclear match, a guessed label, abroad, a first call)."""
    if policy == "always":
        return True
    unclear = not resolution.certain or resolution.label_missing
    if policy == "never":
        return unclear and resolution.reason != "redial"
    international = region_of(request.to) != home_region.upper()
    first_time = not placed(earlier)
    return unclear or resolution.label_guessed or international or first_time


def _with_override(request: CallRequest, override: str) -> CallRequest:
    joined = f"{request.override}; {override}" if request.override else override
    return replace(request, override=joined)
