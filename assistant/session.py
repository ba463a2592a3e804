"""The dialog: one turn at a time, from a heard command to a call and its note in the log.

    command -> resolve -> (ask which) -> choose number -> (confirm | cancel window) -> dial
            -> follow the call -> ask for the note -> read it back -> (repeat | change | discard)

The session takes turns and handles each intent; the parts it composes (dialog/) do the rest: the gate
(safety rules, confirming), the chooser ("which one?"), the call flow and the notes. It talks to the
outside only through ports (ear, voice, telephony, call log), so text mode, voice mode and tests all
drive this same code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import phrasing
from .calllog.followups import describe
from .contacts.book import ContactBook
from .contacts.numbers import BadNumber, display, normalize, spoken_digits
from .contacts.resolver import Resolver
from .dialog.asking import Asker
from .dialog.calls import CallFlow
from .dialog.choosing import Chooser
from .dialog.gate import Correction, Gate
from .dialog.notes import Notes
from .dialog.settings import SessionSettings
from .dialog.turns import Turns
from .intents import IntentParser
from .language import Replies
from .models import (
    Action,
    CallRequest,
    Candidate,
    Contact,
    Intent,
    Note,
    Outcome,
    PhoneNumber,
    Resolution,
    Utterance,
)
from .ports import (
    COMMANDS,
    Archive,
    CallLog,
    Clock,
    Ear,
    EndOfInput,
    Expect,
    Listening,
    SystemClock,
    Telephony,
    Transcriber,
    Voice,
)
from .understanding import picked, slot_hypotheses


class Session:
    """One user's dialog with callbot."""

    def __init__(
        self,
        *,
        ear: Ear,
        voice: Voice,
        telephony: Telephony,
        log: CallLog,
        book: ContactBook,
        settings: SessionSettings,
        parser: IntentParser | None = None,
        replies: Replies | None = None,
        transcriber: Transcriber | None = None,
        archive: Archive | None = None,
        clock: Clock | None = None,
        listed: Callable[[str], str | None] | None = None,
    ):
        self.log = log
        self.book = book
        self.settings = settings
        self.parser = parser or IntentParser()
        self.clock = clock or SystemClock()
        self.turns = Turns(
            ear,
            voice,
            parser=self.parser,
            replies=replies or Replies(),
            min_confidence=settings.min_confidence,
        )
        self.say = self.turns.say
        self.gate = Gate(
            self.turns,
            log,
            settings=settings,
            clock=self.clock,
            listed=listed or log.dnc_reason,  # why a number is on a do-not-call list, if it is
            provider=telephony.name,
        )
        self.chooser = Chooser(
            self.turns, book, log, now=self.clock.now, answer_timeout=settings.answer_timeout
        )
        self.asker = Asker(
            self.turns,
            book,
            self.chooser,
            book.source,
            parser=self.parser,
            sure_confidence=settings.sure_confidence,
            answer_timeout=settings.answer_timeout,
        )
        self.calls = CallFlow(self.turns, telephony, log, poll_interval=settings.poll_interval)
        self.notes = Notes(
            self.turns,
            log,
            rep=settings.rep,
            now=self.clock.now,
            no_note=phrasing.no_note_words(),
            transcriber=transcriber,
            archive=archive,
            note_timeout=settings.note_timeout,
            review_timeout=settings.review_timeout,
        )
        self._due: list[Note] = []  # today's follow-ups, read out, for "call the next one"
        self._following_up: Note | None = None

    # -- the loop -----------------------------------------------------------------------------------------

    def run(self) -> None:
        """Take commands until the input ends (after picking up what an earlier run left unfinished)."""
        self.recover()
        while True:
            try:
                utterance = self.turns.hear(Expect(Listening.COMMAND))
                if utterance is not None:
                    self.handle(utterance)
            except EndOfInput:
                return

    def recover(self) -> None:
        """What a killed process left behind: calls the carrier never confirmed (never placed again), and
        notes never saved (found and transcribed now)."""
        self.calls.recover(self.settings.rep, self.clock.now())
        self.notes.recover()

    def handle(self, utterance: Utterance) -> None:
        """One command turn, with whatever questions it needs."""
        intent = self.turns.understand(utterance, COMMANDS)
        if intent is None:
            self._reply("didnt_catch")
            return
        handler = getattr(self, f"_on_{intent.name}")
        handler(intent, utterance)

    def _reply(self, key: str, **values: Any) -> None:
        self.turns.reply(key, **values)

    # -- commands -----------------------------------------------------------------------------------------

    def _on_CallContact(self, intent: Intent, utterance: Utterance) -> None:
        resolver = self.book.resolver()
        if len(resolver) == 0:
            self._reply("no_contacts")
            return
        self._settle(self.asker.resolve(intent, utterance, resolver), resolver, topic=intent.slot("topic"))

    def _on_MakeCall(self, intent: Intent, utterance: Utterance) -> None:
        """ "Make a call": "Who should I call?" """
        answer = self.asker.who()
        if answer is not None:
            self._on_CallContact(*answer)

    def _on_CallANumber(self, intent: Intent, utterance: Utterance) -> None:
        """ "Call a number": "What number should I call?" """
        answer = self.asker.number()
        if answer is not None:
            self._on_CallNumber(*answer)

    def _on_SetRelation(self, intent: Intent, utterance: Utterance) -> None:
        self.asker.teach(intent, utterance)

    def _settle(self, resolution: Resolution, resolver: Resolver, *, topic: str) -> None:
        """Turn a resolution into a call: ask which one while unsure, refuse when nobody matches."""
        if resolution.action == Action.ASK:
            picked = self.chooser.ask_which(resolution, resolver)
            if picked is None:
                return
            resolution = picked
        if resolution.action == Action.REFUSE:
            if resolution.reason == "no_number" and resolution.contact:
                self._reply("no_number", name=resolution.contact.name)
            elif resolution.reason == "no_relation":
                self._reply("no_relation", relation=resolution.query)
            else:
                self._reply("no_such_contact", name=resolution.query)
            return
        self._prepare_call(resolution, topic=topic)

    def _on_CallNumber(self, intent: Intent, utterance: Utterance) -> None:
        try:
            e164 = normalize(intent.slot("number"), self.settings.region)
        except BadNumber as exc:
            self._reply("bad_number", reason=str(exc))
            return
        contact = self.log.contact_for_number(e164)
        number = PhoneNumber(e164, "")
        if contact is not None:
            number = next((n for n in contact.numbers if n.e164 == e164), number)
        request = CallRequest(
            to=e164,
            contact_name=contact.name if contact else "",
            contact_id=contact.id if contact else None,
            label=number.label,
            topic=intent.slot("topic"),
            rep=self.settings.rep,
            extension=spoken_digits(intent.slot("extension")),
        )
        name_part = f" ({contact.name})" if contact else ""
        if request.extension:
            name_part += self.say("extension_part", extension=request.extension)
        cleared = self.gate.clear(request, contact)
        if cleared is None:
            return
        request, _ = cleared
        # A number heard digit by digit is always read back before it is dialled.
        question = self.say("confirm_number", number=display(e164), name_part=name_part)
        if self.gate.confirm(question, request) is True:
            self._dial(request)

    def _on_Redial(self, intent: Intent, utterance: Utterance) -> None:
        last = self.log.last_call(self.settings.rep)
        if last is None:
            self._reply("no_calls_yet")
            return
        contact = next((c for c in self.book.contacts() if c.id == last.contact_id), None)
        if contact is None:
            self._on_CallNumber(
                Intent("CallNumber", {"number": last.to_number, "topic": last.topic}), utterance
            )
            return
        self._prepare_call(_again(contact, last.to_number, "redial"), topic=last.topic)

    def _on_LastCall(self, intent: Intent, utterance: Utterance) -> None:
        last = self.log.last_call(self.settings.rep, placed_only=False)
        if last is None:
            self._reply("no_calls_yet")
            return
        when = phrasing.when(self.say, last.created_at, self.clock.now())
        if last.outcome == Outcome.CONNECTED:
            outcome = self.say("outcome_connected", duration=phrasing.duration(last.duration or 0))
        else:
            outcome = self.say("outcome_other", outcome=phrasing.outcome_words(self.say, last))
        label_part = self.say("label_part", label=last.label) if last.label else ""
        self._reply(
            "last_call",
            name=last.contact_name or display(last.to_number),
            label_part=label_part,
            when=when,
            outcome=outcome,
        )

    def _on_AddNote(self, intent: Intent, utterance: Utterance) -> None:
        last = self.log.last_call(self.settings.rep)
        self.notes.take(last, prompt="ask_note_text")

    def _on_RepeatNote(self, intent: Intent, utterance: Utterance) -> None:
        last = self.log.last_call(self.settings.rep)
        notes = [n for n in (last.notes if last else ()) if n.status == "saved"]
        if not notes:
            self._reply("note_none")
            return
        self.notes.read_back(notes[-1], "note_read")

    def _on_DueFollowups(self, intent: Intent, utterance: Utterance) -> None:
        today = self.clock.now().date()
        self._due = self.log.due_followups(until=today, rep=self.settings.rep)
        if not self._due:
            self._reply("nothing_due")
            return
        items = []
        for note in self._due:
            name = note.contact_name or self.say("someone")
            if note.followup and note.followup < today:
                items.append(
                    self.say(
                        "due_item_overdue", name=name, date=describe(note.followup, today), text=note.text
                    )
                )
            else:
                items.append(self.say("due_item", name=name, text=note.text))
        self._reply("due_intro", count=len(self._due), items="; ".join(items))

    def _on_CallNext(self, intent: Intent, utterance: Utterance) -> None:
        """Call the next person on the follow-up list read out by "what's due today"."""
        if not self._due:
            self._due = self.log.due_followups(until=self.clock.now().date(), rep=self.settings.rep)
        while self._due:
            note = self._due.pop(0)
            call = self.log.call(note.call_id) if note.call_id else None
            contact = next((c for c in self.book.contacts() if call and c.id == call.contact_id), None)
            if contact is None or call is None:
                continue
            self._following_up = note
            try:
                self._prepare_call(_again(contact, call.to_number, "followup"), topic=call.topic)
            finally:
                self._following_up = None
            return
        self._reply("no_next")

    def _on_DoNotCall(self, intent: Intent, utterance: Utterance) -> None:
        """ "Don't call Jane again": the contact and all their numbers go on the do-not-call list."""
        resolver = self.book.resolver()
        resolution = resolver.resolve(
            slot_hypotheses(utterance, self.parser, intent, "contact"), company=intent.slot("company")
        )
        if resolution.action == Action.ASK:
            picked = self.chooser.ask_which(resolution, resolver)
            if picked is None:
                return
            resolution = picked
        contact = resolution.contact
        if contact is None or contact.id is None:
            self._reply("no_such_contact", name=resolution.query)
            return
        if not self.gate.yes(self.say("confirm_dnc", name=contact.name), CallRequest(to="")):
            self._reply("dnc_not_changed")
            return
        self.log.set_do_not_call(contact.id, True)
        reason = f"{self.settings.rep} asked on {self.clock.now():%Y-%m-%d} not to call {contact.name}"
        self.log.dnc_add(
            [n.e164 for n in contact.numbers], reason=reason, source="voice", rep=self.settings.rep
        )
        self._reply("dnc_done", name=contact.name)

    def _on_Help(self, intent: Intent, utterance: Utterance) -> None:
        self._reply("help")

    def _on_Cancel(self, intent: Intent, utterance: Utterance) -> None:
        self._reply("nothing_to_cancel")

    def _on_HangUp(self, intent: Intent, utterance: Utterance) -> None:
        self._reply("no_call_to_hang_up")

    # -- calling ------------------------------------------------------------------------------------------

    def _prepare_call(self, resolution: Resolution, *, topic: str) -> None:
        """Through the gate to the carrier; a correction ("no, I meant Jen") starts over with that name."""
        prepared = self.gate.prepare(resolution, topic=topic)
        if isinstance(prepared, Correction):
            self._correct(prepared.intent, prepared.utterance, topic=topic)
        elif prepared is not None:
            self._dial(prepared)

    def _correct(self, intent: Intent, utterance: Utterance, *, topic: str) -> None:
        """ "No, I meant Jennifer Lopez": resolve the new name, remember the alias, and ask again."""
        resolver = self.book.resolver()
        resolution = resolver.resolve(slot_hypotheses(utterance, self.parser, intent, "contact"))
        if resolution.action == Action.DIAL and resolution.contact is not None:
            resolution = resolver.choose(resolution.query, picked(resolution.candidates[0]))
        self._settle(resolution, resolver, topic=topic)

    def _dial(self, request: CallRequest) -> None:
        """Place the call; after one that connected, the follow-up it was is done and a note is asked for."""
        record = self.calls.dial(request)
        if record is None or record.outcome != Outcome.CONNECTED:
            return
        if self._following_up is not None:
            self.log.followup_done(self._following_up.id)  # the follow-up call happened
            self._reply("followup_done", name=request.contact_name or display(request.to))
        if self.settings.ask_for_note:
            self.notes.take(record, prompt="ask_note")


def _again(contact: Contact, e164: str, reason: str) -> Resolution:
    """Someone called before (a redial, a follow-up): the same number if they still have it."""
    number = next((n for n in contact.numbers if n.e164 == e164), contact.default_number)
    return Resolution(
        Action.DIAL,
        contact.name,
        (picked(Candidate(contact, 100.0)),),
        contact=contact,
        number=number,
        label_requested=number.label if number else "",
        certain=True,
        reason=reason,
    )


__all__ = ["Session", "SessionSettings"]
