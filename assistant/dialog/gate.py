"""Between knowing who to call and the carrier: the safety rules, then "Call Jane?" or the cancel window.

The rules themselves are pure (compliance.py, clearance.py); this asks the questions they lead to and
writes a row for every call that does not go ahead (blocked, or cancelled before dialling).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from .. import clearance
from ..compliance import check
from ..contacts.numbers import display
from ..models import CallRequest, CallStatus, Contact, Intent, Resolution, Utterance
from ..phrasing import ago, count
from ..ports import ANSWERS, COMMANDS, CallsRead, CallsUnplaced, Clock, Expect, Listening, LiveCalls
from .settings import SessionSettings
from .turns import Turns


class GateLog(CallsUnplaced, CallsRead, LiveCalls, Protocol):
    """The call log's roles the gate plays."""


@dataclass(frozen=True)
class Correction:
    """Asked to confirm, the user named someone else ("no, I meant Jen Park")."""

    intent: Intent
    utterance: Utterance


class Gate:
    """Nothing reaches a carrier without passing here."""

    def __init__(
        self,
        turns: Turns,
        log: GateLog,
        *,
        settings: SessionSettings,
        clock: Clock,
        listed: Callable[[str], str | None],
        provider: str,
    ):
        self.turns = turns
        self.log = log
        self.settings = settings
        self.clock = clock
        self.listed = listed  # why a number is on a do-not-call list, if it is
        self.provider = provider

    def prepare(self, resolution: Resolution, *, topic: str) -> CallRequest | Correction | None:
        """The call to place for a resolved contact, once the rules and the user allow it; None if not."""
        contact, number = resolution.contact, resolution.number
        assert contact is not None and number is not None
        say = self.turns.say
        if resolution.label_missing:
            self.turns.reply("label_missing", name=contact.name, label=resolution.label_requested)
        request = CallRequest(
            to=number.e164,
            contact_name=contact.name,
            contact_id=contact.id,
            label=number.label,
            topic=topic,
            rep=self.settings.rep,
        )
        cleared = self.clear(request, contact)
        if cleared is None:
            return None
        request, consented = cleared
        if consented or (
            resolution.reason == "confirmed" and not (resolution.label_missing or resolution.label_guessed)
        ):
            return request  # the user has just said yes to this very call
        earlier = self.log.calls_to(request.to)
        if clearance.needs_confirmation(
            resolution,
            request,
            policy=self.settings.confirm,
            home_region=self.settings.region,
            earlier=earlier,
        ):
            question = say(
                "confirm_call",
                name=contact.name,
                label_part=say("label_part", label=number.label) if number.label else "",
                number=display(number.e164),
                topic_part=say("topic_part", topic=topic) if topic else "",
            )
            answer = self.confirm(question, request, contact=contact)
            if answer is True:
                return request
            return answer if isinstance(answer, Correction) else None
        return request if self.cancel_window(request) else None

    def clear(self, request: CallRequest, contact: Contact | None) -> tuple[CallRequest, bool] | None:
        """The safety rules, before any carrier hears of the call: (request, user consented) or None.

        Do-not-call and countries refuse; calling hours ask or refuse; a live call refuses a second;
        the same person again within the repeat window asks first. Every refusal is a call-log row.
        """
        name = request.contact_name or display(request.to)
        verdict = check(contact, request.to, self.clock.now(), self.settings.rules, self.listed)
        consented = False
        if not verdict.allowed:
            if not verdict.may_override:
                self.block(request, verdict.reason)
                return None
            reason = verdict.reason[:1].upper() + verdict.reason[1:]
            if not self.yes(self.turns.say("outside_hours", reason=reason), request):
                self.block(request, clearance.not_overridden(verdict))
                return None
            request = clearance.overridden(request, verdict)
            consented = True
        live = [c for c in self.log.live_calls(self.settings.rep) if clearance.recent(c, self.clock.now())]
        busy = clearance.line_busy(live, self.settings.max_concurrent)
        if busy is not None:
            self.block(request, busy)
            return None
        since = self.clock.now() - timedelta(seconds=self.settings.repeat_window)
        earlier = clearance.placed(self.log.calls_to(request.to, since=since))
        if earlier:
            minutes = clearance.minutes_since(earlier[0], self.clock.now())
            if not self.yes(
                self.turns.say("called_recently", name=name, ago=ago(self.turns.say, minutes)), request
            ):
                self.cancelled(request, clearance.not_repeated(minutes))
                return None
            request = clearance.called_again(request, minutes)
            consented = True
        return request, consented

    def yes(self, question: str, request: CallRequest) -> bool:
        """A yes/no question before a call; anything but yes is no (a new command is kept for next)."""
        self.turns.voice.say(question)
        utterance = self.turns.hear(Expect(Listening.CONFIRM), self.settings.answer_timeout)
        if utterance is None:
            return False
        intent = self.turns.understand(utterance, (*ANSWERS[Listening.CONFIRM], *COMMANDS))
        if intent is not None and intent.name in COMMANDS and intent.name != "Cancel":
            self.turns.keep(utterance)
        return intent is not None and intent.name == "Yes"

    def confirm(
        self, question: str, request: CallRequest, *, contact: Contact | None = None
    ) -> bool | Correction:
        """Ask yes/no about this call; a "no" or silence logs the call as cancelled before dialling."""
        self.turns.voice.say(question)
        for attempt in range(2):
            utterance = self.turns.hear(Expect(Listening.CONFIRM), self.settings.answer_timeout)
            if utterance is None:
                break
            intent = self.turns.understand(utterance, (*ANSWERS[Listening.CONFIRM], *COMMANDS))
            if intent is not None and intent.name == "Yes":
                return True
            if intent is not None and intent.name == "Correct" and contact is not None:
                self.cancelled(request, "the user corrected the contact")
                return Correction(intent, utterance)
            if intent is None and attempt == 0:
                self.turns.reply("confirm_again", name=request.contact_name or display(request.to))
                continue
            if intent is not None and intent.name in COMMANDS and intent.name not in ("Cancel",):
                self.turns.keep(utterance)  # a new command: this call is off
            break
        self.turns.reply("not_calling")
        self.cancelled(request, "not confirmed")
        return False

    def cancel_window(self, request: CallRequest) -> bool:
        """An unconfirmed call waits a moment for "cancel"; anything else said is kept as the next command."""
        seconds = self.settings.cancel_window
        if seconds <= 0:
            return True
        name = request.contact_name or display(request.to)
        self.turns.reply("cancel_window", name=name, seconds=count(seconds))
        utterance = self.turns.hear(Expect(Listening.WINDOW), seconds)
        if utterance is None:
            return True
        intent = self.turns.understand(utterance, (*ANSWERS[Listening.WINDOW], *COMMANDS))
        if intent is not None and intent.name in ("Cancel", "No"):
            self.turns.reply("not_calling")
            self.cancelled(request, "cancelled in the cancel window")
            return False
        if intent is None or intent.name != "Yes":
            self.turns.keep(utterance)
        return True

    def block(self, request: CallRequest, reason: str) -> None:
        self.log.record_unplaced(request, CallStatus.BLOCKED, reason, provider=self.provider)
        self.turns.reply("blocked", reason=reason)

    def cancelled(self, request: CallRequest, reason: str) -> None:
        self.log.record_unplaced(request, CallStatus.CANCELED, reason, provider=self.provider)
