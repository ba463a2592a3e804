"""The call flow: place a call, follow it to its end, say how it ended, and give back its record.

What happens after the call (a note, a follow-up marked done, a lead's disposition) is the caller's.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from ..contacts.numbers import display
from ..errors import CallFailed
from ..models import CallEvent, CallRecord, CallRequest, CallStatus, Outcome, PlacedCall
from ..phrasing import duration
from ..ports import (
    ANSWERS,
    COMMANDS,
    CallEvents,
    CallsPlaced,
    CallsRead,
    EndOfInput,
    Expect,
    Listening,
    LiveCalls,
    Telephony,
)
from .turns import Turns

UNCONFIRMED = (
    "callbot stopped before the carrier confirmed this call; it was not placed again. "
    "Check your phone or the carrier's call list before calling again"
)


class CallFlowLog(CallsPlaced, CallEvents, CallsRead, LiveCalls, Protocol):
    """The call log's roles the call flow plays."""


class CallFlow:
    """One call at a time through a carrier, every step written to the log as it happens."""

    def __init__(self, turns: Turns, telephony: Telephony, log: CallFlowLog, *, poll_interval: float = 0.5):
        self.turns = turns
        self.telephony = telephony
        self.log = log
        self.poll_interval = poll_interval

    def recover(self, rep: str, now: datetime) -> None:
        """A call a killed process asked for but the carrier never confirmed is failed, never placed again."""
        for call in self.log.live_calls(rep):
            if call.status == CallStatus.PENDING and now - call.created_at > timedelta(minutes=2):
                self.log.call_failed(call.id, UNCONFIRMED)
                self.turns.reply("unconfirmed_call", name=call.contact_name or display(call.to_number))

    def dial(self, request: CallRequest) -> CallRecord | None:
        """Place the call, follow it to its end and say how it ended; its final row in the log."""
        name = request.contact_name or display(request.to)
        self.log.begin_call(request, provider=self.telephony.name)
        self.turns.status("calling", self.turns.say("calling", name=name))
        try:
            placed = self.telephony.place(request)
        except CallFailed as exc:
            self.log.call_failed(request.key, exc.reason, exc.code)
            self.turns.reply("place_failed", reason=exc.reason)
            return self.log.call(request.key)
        self.log.call_placed(placed)
        record, legs = self._follow(placed)
        self._report(record, name, rep_phone_only="agent" in legs and "lead" not in legs)
        return record

    def _follow(self, placed: PlacedCall) -> tuple[CallRecord | None, set[str]]:
        """Apply the call's events to the log until it ends; "hang up" or "cancel" end it early."""
        answered = False
        ended = False
        shown: set[str] = set()
        legs: set[str] = set()
        while not ended:
            events = self.telephony.poll(placed, self.poll_interval)
            for event in events:
                legs.add(event.leg)
                self.log.apply_event(placed.key, event)
                answered = answered or (event.status == CallStatus.IN_PROGRESS and event.leg != "agent")
                self._show_progress(event, shown)
                ended = ended or (event.status.is_final and event.leg != "lead")
            if ended or events:
                continue
            try:
                utterance = self.turns.hear(Expect(Listening.IN_CALL), self.poll_interval)
            except EndOfInput:
                self.turns.reply("input_ended_in_call")
                self.telephony.end(placed, answered)
                self._drain(placed)
                break
            if utterance is None:
                continue
            intent = self.turns.understand(utterance, (*ANSWERS[Listening.IN_CALL], *COMMANDS))
            if intent is not None and intent.name in ("HangUp", "Cancel"):
                self.turns.reply("hanging_up" if answered else "cancelling")
                self.telephony.end(placed, answered)
            else:
                self.turns.reply("call_in_progress")
        self.turns.status("ended", "")
        return self.log.call(placed.key), legs

    def _drain(self, placed: PlacedCall) -> None:
        """After ending a call, take its last events so the log has the final status."""
        for _ in range(20):
            events = self.telephony.poll(placed, self.poll_interval)
            for event in events:
                self.log.apply_event(placed.key, event)
                if event.status.is_final and event.leg != "lead":
                    return

    def _show_progress(self, event: CallEvent, shown: set[str]) -> None:
        if event.leg == "agent" and event.status == CallStatus.RINGING:
            key = "ringing_agent"
        elif event.status == CallStatus.RINGING:
            key = "ringing"
        elif event.status == CallStatus.IN_PROGRESS and event.leg != "agent":
            key = "connected"
        else:
            return
        if key not in shown:
            shown.add(key)
            self.turns.status(key.replace("_", "-"), self.turns.say(key))

    def _report(self, record: CallRecord | None, name: str, *, rep_phone_only: bool = False) -> None:
        if record is None:
            return
        outcome = record.outcome
        reply = self.turns.reply
        if rep_phone_only and outcome in (Outcome.NO_ANSWER, Outcome.BUSY, Outcome.FAILED):
            reply("agent_no_answer", name=name)  # bridge mode: the rep's own phone never picked up
        elif outcome == Outcome.CONNECTED:
            reply("call_ended", duration=duration(record.duration or 0))
        elif outcome == Outcome.VOICEMAIL:
            reply("voicemail", duration=duration(record.duration or 0))
        elif outcome == Outcome.BUSY:
            reply("busy", name=name)
        elif outcome == Outcome.NO_ANSWER:
            reply("no_answer", name=name)
        elif outcome == Outcome.CANCELED:
            reply("call_cancelled")
        elif outcome == Outcome.FAILED:
            reply("call_failed", reason=record.reason or self.turns.say("no_reason"))
