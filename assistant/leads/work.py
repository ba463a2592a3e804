"""Working a lead list, lead by lead, on the dialog's own parts: the gate (safety rules, cancel window),
the call flow and the notes.

    card -> call | skip | later | remove | stop | "what did we talk about last time"
         -> (outside hours: deferred; do-not-call or country: blocked) -> call -> outcome -> note

A lead is taken for a call in the log before the carrier hears of it, and settled after its outcome, so a
session killed anywhere resumes at the right lead and never calls anyone twice.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, Protocol

from .. import phrasing
from ..calllog.followups import read_callback
from ..compliance import check
from ..dialog.calls import CallFlow, CallFlowLog
from ..dialog.gate import Gate, GateLog
from ..dialog.notes import Notes, NotesLog
from ..dialog.settings import SessionSettings
from ..dialog.turns import Turns
from ..intents import IntentParser
from ..language import Replies
from ..models import (
    CallRecord,
    CallRequest,
    CallStatus,
    Contact,
    Lead,
    LeadStatus,
    PhoneNumber,
    Voicemail,
)
from ..ports import (
    Archive,
    Clock,
    Ear,
    EndOfInput,
    Expect,
    LeadStates,
    Listening,
    Screen,
    SystemClock,
    Telephony,
    Transcriber,
    Voice,
)
from . import asking, card, plan
from .resume import resume
from .voicemail import DropEar, DroppingCarrier

CONTEXT = asking.CONTEXT  # the list's own commands are understood in this context
COMMANDS = (
    "LeadCall",
    "LeadSkip",
    "LeadLater",
    "LeadRemove",
    "LeadStop",
    "LeadHistory",
    "Yes",
    "No",
    "Cancel",
    "CallNext",
)
GO, SKIP, STOP = "LeadCall", "LeadSkip", "LeadStop"
SAME = {"Yes": GO, "No": SKIP, "CallNext": SKIP, "Cancel": STOP}  # the general words mean the same here
ASKED = frozenset({"connected", "left live message", "meeting booked", "not interested", "call back"})


class ListLog(LeadStates, CallFlowLog, NotesLog, GateLog, Protocol):
    """The call log's roles a list session plays."""


class ListSession:
    """One rep working one lead list."""

    def __init__(
        self,
        name: str,
        *,
        ear: Ear,
        voice: Voice,
        telephony: Telephony,
        log: ListLog,
        contacts: Mapping[int, Contact],
        settings: SessionSettings,
        auto_advance: bool = False,
        parser: IntentParser | None = None,
        replies: Replies | None = None,
        transcriber: Transcriber | None = None,
        archive: Archive | None = None,
        clock: Clock | None = None,
        listed: Callable[[str], str | None] | None = None,
        no_note: frozenset[str] = frozenset(),
        voicemail: Voicemail | None = None,
        screen: Screen | None = None,
    ):
        self.name = name
        self.log = log
        self.contacts = contacts
        self.settings = settings
        self.auto_advance = auto_advance
        self.clock = clock or SystemClock()
        self.listed = listed or (lambda _: None)
        parser = parser or IntentParser()
        self.carrier = DroppingCarrier(telephony, voicemail)  # answering machines get the recorded message
        ear = DropEar(ear, parser, self.carrier)
        self.turns = Turns(ear, voice, parser=parser, replies=replies or Replies(), min_confidence=0.3)
        self.gate = Gate(
            self.turns, log, settings=settings, clock=self.clock, listed=self.listed, provider=telephony.name
        )
        self.calls = CallFlow(self.turns, self.carrier, log, poll_interval=settings.poll_interval)
        self.notes = Notes(
            self.turns,
            log,
            rep=settings.rep,
            now=self.clock.now,
            no_note=no_note,
            transcriber=transcriber,
            archive=archive,
            note_timeout=settings.note_timeout,
            review_timeout=settings.review_timeout,
        )
        self.tally = card.Tally()
        self.screen = screen  # the live page, if one is open
        self._dialled = False  # auto-advance starts after the first call of the session

    # -- the loop ---------------------------------------------------------------------------------------

    def run(self) -> None:
        """Offer lead after lead until the list has nobody to call now, the rep says stop, or input ends."""
        try:
            self.recover()
            leads = self.log.leads(self.name)
            self.turns.reply("list_start", name=self.name, waiting=len(plan.waiting(leads)))
            while True:
                if self.screen is not None:
                    self._refresh()
                now = self.clock.now()
                lead = plan.next_lead(self.log.leads(self.name, due_by=now), now, self.tally.offered)
                if lead is None:
                    self._finish()
                    return
                assert lead.id is not None
                self.tally.offered.add(lead.id)
                self._show(lead)
                if not self.work(lead):
                    self.turns.reply("list_stopped", waiting=self._waiting(), name=self.name)
                    return
        except EndOfInput:
            return

    def recover(self) -> None:
        """What a killed session left: calls never confirmed, notes never saved, leads left mid-call."""
        resume(self)

    def work(self, lead: Lead) -> bool:
        """One lead: the rules, its card, and what the rep says. False when the rep says stop."""
        contact = self._contact(lead)
        if not self._may_call(lead, contact):
            return True
        self.turns.reply("list_card", **self._card(lead))
        if lead.details:  # the file's other columns, on the card
            self.turns.reply("list_card_details", details="; ".join(f"{k}: {v}" for k, v in lead.details))
        if self.auto_advance and self._dialled and self._window(lead, contact):
            self.call(lead, contact)
            return True
        while True:
            self.turns.reply("list_what_now")
            intent = asking.hear(self.turns, COMMANDS, self.settings.answer_timeout)
            name = SAME.get(intent.name, intent.name) if intent else None
            if name == GO:
                self.call(lead, contact)
                return True
            if name == SKIP:
                self._set(lead, LeadStatus.SKIPPED, reason="skipped by the rep")
                self.turns.reply("list_skipped", name=lead.name)
                return True
            if name == "LeadLater" and intent is not None:
                self.later(lead, intent.slot("when"))
                return True
            if name == "LeadRemove" and intent is not None:
                self.remove(lead, intent.slot("removal") or intent.slot("reason"))
                return True
            if name == STOP:
                return False
            if name == "LeadHistory":
                self.history(lead)
                continue
            self.turns.reply("list_didnt_catch")

    def _window(self, lead: Lead, contact: Contact) -> bool:
        """Auto-advance: "Calling Priya Shah in 3 seconds"; cancel, or any other command, stops the call
        (the command is then the rep's answer to the card)."""
        go = self.gate.cancel_window(self._request(lead, contact))
        said = self.turns.pending
        if said is not None and not said.text.strip():
            self.turns.pending = None  # a blank line is silence
            said = None
        return go and said is None

    # -- the rules before the card ----------------------------------------------------------------------

    def _may_call(self, lead: Lead, contact: Contact) -> bool:
        """Do-not-call and countries block and mark the lead; outside its hours it waits for its window."""
        assert lead.id is not None
        now = self.clock.now()
        verdict = check(contact, lead.number, now, self.settings.rules, self.listed)
        if verdict.allowed:
            return True
        if verdict.rule != "hours":
            request = self._request(lead, contact)
            self.log.record_unplaced(request, CallStatus.BLOCKED, verdict.reason, provider=self.gate.provider)
            self._set(lead, LeadStatus.BLOCKED, reason=verdict.reason)
            self.turns.reply("list_blocked", name=lead.name, reason=verdict.reason)
            return False
        when = plan.next_allowed(contact, lead, now, self.settings.rules)
        if when is None:
            self._set(lead, LeadStatus.SKIPPED, reason=verdict.reason)
            self.turns.reply("list_no_window", name=lead.name)
            return False
        status = lead.status if lead.status == LeadStatus.CALLBACK else LeadStatus.PENDING
        self._set(lead, status, reason="outside calling hours", due_at=when)
        local = now.astimezone(plan.zone_of(lead))
        self.turns.reply(
            "list_deferred",
            time=f"{local:%H:%M}",
            name=lead.name,
            place=plan.place_of(lead),
            when=self._when(lead, when),
        )
        return False

    # -- the rep's answers ------------------------------------------------------------------------------

    def call(self, lead: Lead, contact: Contact) -> None:
        """Through the gate, taken in the log, then the carrier; then its outcome and the note."""
        assert lead.id is not None
        cleared = self.gate.clear(self._request(lead, contact), contact)
        if cleared is None:
            return  # refused or not confirmed: the gate said why and wrote the row; the lead waits
        request, _ = cleared
        if not self.log.claim_lead(lead.id, request.key):
            self.turns.reply("list_taken", name=lead.name)
            return
        self._dialled = True
        self.tally.calls += 1
        if self.screen is not None:
            self._refresh()
        record = self.calls.dial(request)
        claimed = self.log.lead(lead.id) or lead  # its attempts, as taken
        self.settle(claimed, record)

    def settle(self, lead: Lead, record: CallRecord | None) -> None:
        """After the call: its disposition (asked when someone answered), the lead's new state, the note."""
        assert lead.id is not None
        outcome = record.outcome if record else "failed"
        if outcome in ("canceled", "blocked"):
            self._set(lead, LeadStatus.PENDING, reason="the call was cancelled", outcome="")
            return
        dropped = self.carrier.dropped.get(record.id) if record else None
        if dropped is not None:
            self.turns.reply("list_voicemail_dropped", message=dropped, name=lead.name)
        elif record is not None and record.id in self.carrier.failed:
            self.turns.reply("list_voicemail_failed", reason=self.carrier.failed[record.id])
        disposition = (
            "left voicemail"
            if dropped
            else plan.disposition_of(outcome) or asking.outcome(self.turns, self.settings.answer_timeout)
        )
        now = self.clock.now()
        status, due, reason = plan.after_call(disposition, lead, now)
        if disposition == "call back":
            due = self._ask_when(lead) or due
        reason = f"voicemail {dropped!r} dropped" if dropped else reason
        self.log.set_lead(lead.id, status, reason=reason, due_at=due, outcome=disposition)
        self.tally.connects += outcome == "connected"
        self.tally.talk += (record.duration or 0) if record and record.answered_at else 0
        self.tally.voicemails += dropped is not None
        self.tally.meetings += disposition == "meeting booked"
        self.turns.reply("list_outcome_saved", outcome=disposition, name=lead.name)
        if disposition in ASKED and self.settings.ask_for_note:
            self.notes.take(record, prompt="ask_note")

    def later(self, lead: Lead, when_said: str) -> None:
        """ "Call her back tomorrow at ten": a callback then, in the lead's zone (else in an hour)."""
        now = self.clock.now()
        due = read_callback(when_said, now.astimezone(plan.zone_of(lead))) if when_said else None
        if when_said and due is None:
            self.turns.reply("list_later_unknown", name=lead.name)
        self._set(lead, LeadStatus.CALLBACK, reason="later, as the rep asked", due_at=due or now + plan.LATER)
        if due is not None or not when_said:
            self.turns.reply("list_later", name=lead.name, when=self._when(lead, due or now + plan.LATER))

    def remove(self, lead: Lead, reason: str) -> None:
        if not reason:
            self.turns.reply("list_remove_why", name=lead.name)
            utterance = self.turns.hear(Expect(Listening.NOTE), self.settings.answer_timeout)
            reason = utterance.text.strip() if utterance is not None else ""
        reason = reason or "removed by the rep"
        self._set(lead, LeadStatus.REMOVED, reason=reason)
        self.turns.reply("list_removed", name=lead.name, reason=reason)

    def history(self, lead: Lead) -> None:
        """ "What did we talk about last time": the newest saved note from a call to this lead."""
        found = self._last_note(lead)
        if found is None:
            self.turns.reply("list_history_none", name=lead.name)
            return
        at, text = found
        when = phrasing.when(self.turns.say, at, self.clock.now())
        self.turns.reply("list_history", name=lead.name, when=when, note=text)

    # -- helpers ----------------------------------------------------------------------------------------

    def _ask_when(self, lead: Lead) -> datetime | None:
        self.turns.reply("list_ask_callback", name=lead.name)
        utterance = self.turns.hear(Expect(Listening.NOTE), self.settings.answer_timeout)
        if utterance is None or not utterance.text.strip():
            return None
        due = read_callback(utterance.text, self.clock.now().astimezone(plan.zone_of(lead)))
        if due is not None:
            self.turns.reply("list_later", name=lead.name, when=self._when(lead, due))
        return due

    def _set(self, lead: Lead, status: LeadStatus, **kwargs: Any) -> None:
        assert lead.id is not None
        self.log.set_lead(lead.id, status, **kwargs)

    def _contact(self, lead: Lead) -> Contact:
        known = self.contacts.get(lead.contact_id) if lead.contact_id is not None else None
        return known or Contact(lead.name, (PhoneNumber(lead.number),), lead.company, timezone=lead.timezone)

    def _request(self, lead: Lead, contact: Contact) -> CallRequest:
        number = next((n for n in contact.numbers if n.e164 == lead.number), PhoneNumber(lead.number, ""))
        return CallRequest(
            to=lead.number,
            contact_name=lead.name,
            contact_id=contact.id,
            label=number.label,
            topic=f"{self.name} list",
            rep=self.settings.rep,
        )

    def _card(self, lead: Lead) -> dict[str, str]:
        return card.card(self.turns.say, lead, self.clock.now(), self._last_note(lead))

    def _last_note(self, lead: Lead) -> tuple[datetime, str] | None:
        return card.last_note(self.log.calls_to(lead.number))

    def _when(self, lead: Lead, due: datetime) -> str:
        return card.when(lead, due, self.clock.now())

    def _refresh(self) -> list[Lead]:
        """The list as it stands (and on the live page, with today's counts)."""
        leads = self.log.leads(self.name)
        if self.screen is not None:
            self.screen.queue(leads, self.tally.counts())
        return leads

    def _show(self, lead: Lead) -> None:
        if self.screen is not None:
            self.screen.lead(lead, card.history(self.log.calls_to(lead.number)))

    def _waiting(self) -> int:
        return len(plan.waiting(self.log.leads(self.name)))

    def _finish(self) -> None:
        leads = self.log.leads(self.name)
        waiting = plan.waiting(leads)
        t = self.tally
        self.turns.reply(
            "list_done", calls=t.calls, connects=t.connects, meetings=t.meetings, waiting=len(waiting)
        )
        due = sorted((lead.due_at, lead.position, lead) for lead in waiting if lead.due_at is not None)
        if due:
            when, _, lead = due[0]
            self.turns.reply("list_next_callback", name=lead.name, when=self._when(lead, when))
