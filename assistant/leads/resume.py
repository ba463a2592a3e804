"""Resuming a list session that was killed: the lead it was calling is settled, never called again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..dialog.calls import UNCONFIRMED
from ..models import CallStatus, LeadStatus

if TYPE_CHECKING:
    from .work import ListSession


def resume(session: ListSession) -> None:
    """What a killed session left: calls never confirmed (never placed again), notes never saved, and
    leads taken for a call whose outcome was never given (asked now)."""
    session.calls.recover(session.settings.rep, session.clock.now())
    session.notes.recover()
    stuck = [lead for lead in session.log.leads(session.name) if lead.status == LeadStatus.CALLING]
    if stuck:
        session.turns.reply("list_resumed", name=session.name)
    for lead in stuck:
        assert lead.id is not None
        session.tally.offered.add(lead.id)
        call = session.log.call(lead.last_call_id) if lead.last_call_id else None
        if call is None:  # taken, but killed before the call's row: nobody was called
            session.log.set_lead(lead.id, LeadStatus.PENDING)
        elif call.status == CallStatus.PENDING or (
            call.status == CallStatus.FAILED and call.reason == UNCONFIRMED
        ):
            if call.status == CallStatus.PENDING:
                session.log.call_failed(call.id, UNCONFIRMED)
            session.log.set_lead(lead.id, LeadStatus.SKIPPED, reason=UNCONFIRMED)
            session.turns.reply("list_resume_unplaced", name=lead.name)
        else:
            session.turns.reply("list_resume_outcome", name=lead.name)
            session.settle(lead, call)
