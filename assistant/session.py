"""The dialog: one turn at a time, from a heard command to a call and its note in the log.

    command -> resolve -> (ask which) -> choose number -> (confirm | cancel window) -> dial
            -> follow the call -> ask for the note -> read it back -> (repeat | change | discard)

It talks to the outside only through ports (ear, voice, telephony, call log), so text mode,
voice mode and tests all drive this same code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Protocol

from .calllog.followups import describe, read_followup
from .compliance import Rules, Verdict, check
from .contacts.book import ContactBook
from .contacts.numbers import BadNumber, display, normalize, region_of
from .contacts.resolver import Resolver
from .errors import CallFailed, TranscriptionFailed
from .intents import IntentParser, Replies
from .models import (
    Action,
    AudioClip,
    CallEvent,
    CallRecord,
    CallRequest,
    CallStatus,
    Candidate,
    Contact,
    FollowUp,
    Intent,
    Note,
    Outcome,
    PhoneNumber,
    PlacedCall,
    Resolution,
    Utterance,
)
from .ports import (
    ANSWERS,
    COMMANDS,
    Archive,
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

# A bare "no"/"nothing" when asked for a note means no note; anything longer is the note.
_NO_NOTE = {"no", "nope", "nothing", "no note", "none", "skip", "no thanks", "nothing to add", "cancel"}


class CallLog(Protocol):
    """What the dialog writes and reads in the call log (the calllog Store implements it)."""

    def begin_call(self, request: CallRequest, *, provider: str, from_number: str = "") -> None: ...
    def record_unplaced(
        self, request: CallRequest, status: CallStatus, reason: str, *, provider: str = ""
    ) -> None: ...
    def call_placed(self, placed: PlacedCall) -> None: ...
    def call_failed(self, key: str, reason: str, code: int | None = None) -> None: ...
    def apply_event(self, key: str, ev: CallEvent) -> bool: ...
    def call(self, key: str) -> CallRecord | None: ...
    def last_call(self, rep: str, *, placed_only: bool = True) -> CallRecord | None: ...
    def add_note(
        self,
        *,
        call_id: str | None,
        rep: str,
        text: str = "",
        status: str = "saved",
        audio_path: str = "",
        followup: FollowUp | None = None,
        contact_id: int | None = None,
    ) -> int: ...
    def update_note(
        self,
        note_id: int,
        *,
        text: str | None = None,
        status: str | None = None,
        followup: FollowUp | bool | None = False,
    ) -> None: ...
    def note(self, note_id: int) -> Note | None: ...
    def contact_for_number(self, e164: str) -> Contact | None: ...
    def notes(self, *, status: str | None = None, rep: str | None = None) -> list[Note]: ...
    def due_followups(self, *, until: date, rep: str | None = None) -> list[Note]: ...
    def followup_done(self, note_id: int) -> bool: ...
    def calls_to(self, e164: str, *, since: datetime | None = None) -> list[CallRecord]: ...
    def live_calls(self, rep: str) -> list[CallRecord]: ...
    def dnc_reason(self, e164: str) -> str | None: ...
    def dnc_add(
        self, numbers: Sequence[str], *, reason: str = "", source: str = "", rep: str = ""
    ) -> int: ...
    def set_do_not_call(self, contact_id: int, flag: bool) -> None: ...


@dataclass(frozen=True)
class SessionSettings:
    rep: str
    region: str = "US"
    rules: Rules = field(default_factory=lambda: Rules({i: (time(8), time(21)) for i in range(7)}))
    repeat_window: float = 300.0  # seconds: the same person asked for again within this asks before ringing
    max_concurrent: int = 1  # live calls per rep (across callbot processes sharing the log)
    confirm: str = "unsure"  # always | unsure | never
    cancel_window: float = 3.0
    ask_for_note: bool = True
    min_confidence: float = 0.3
    sure_confidence: float = 0.85  # a name heard less surely than this is asked about ("Did you mean ...?")
    answer_timeout: float | None = None  # seconds to wait for an answer; None = until input ends
    note_timeout: float | None = None
    review_timeout: float | None = 6.0  # after a note is read back, how long "repeat/change/discard" is heard
    poll_interval: float = 0.5


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
        self.ear = ear
        self.voice = voice
        self.telephony = telephony
        self.log = log
        self.book = book
        self.settings = settings
        self.parser = parser or IntentParser()
        self.say = replies or Replies()
        self.transcriber = transcriber
        self.archive = archive
        self.clock = clock or SystemClock()
        self.listed = listed or log.dnc_reason  # why a number is on a do-not-call list, if it is
        self._pending: Utterance | None = None  # heard while waiting for something else: the next command
        self._due: list[Note] = []  # today's follow-ups, read out, for "call the next one"
        self._following_up: Note | None = None

    # -- the loop -----------------------------------------------------------------------------------------

    def run(self) -> None:
        """Take commands until the input ends (after picking up what an earlier run left unfinished)."""
        self.recover()
        while True:
            try:
                utterance = self._hear(Expect(Listening.COMMAND))
                if utterance is not None:
                    self.handle(utterance)
            except EndOfInput:
                return

    def recover(self) -> None:
        """What a killed process left behind: calls the carrier never confirmed, notes never saved.

        A call is never placed again here; a note's recording (or its row) is found and transcribed now.
        """
        now = self.clock.now()
        for call in self.log.live_calls(self.settings.rep):
            if call.status == CallStatus.PENDING and now - call.created_at > timedelta(minutes=2):
                self.log.call_failed(call.id, UNCONFIRMED)
                self._reply("unconfirmed_call", name=call.contact_name or display(call.to_number))
        if self.archive is not None:
            kept = {n.audio_path for n in self.log.notes(rep=self.settings.rep)}
            for path, call_id in self.archive.recordings():
                if path not in kept and (call_id is None or self.log.call(call_id) is not None):
                    self.log.add_note(
                        call_id=call_id, rep=self.settings.rep, status="pending", audio_path=path
                    )
        pending = [n for n in self.log.notes(status="pending", rep=self.settings.rep) if n.audio_path]
        if not pending:
            return
        self._reply("recovering_notes", count=len(pending))
        for note in pending:
            called = self.log.call(note.call_id) if note.call_id else None
            audio = self.archive.load(note.audio_path) if self.archive else None
            self._finish_note(note.id, audio, called)

    def handle(self, utterance: Utterance) -> None:
        """One command turn, with whatever questions it needs."""
        intent = self._understand(utterance, COMMANDS)
        if intent is None:
            self._reply("didnt_catch")
            return
        handler = getattr(self, f"_on_{intent.name}")
        handler(intent, utterance)

    # -- hearing and saying -------------------------------------------------------------------------------

    def _reply(self, key: str, **values: Any) -> None:
        self.voice.say(self.say(key, **values))

    def _hear(self, expect: Expect, timeout: float | None = None) -> Utterance | None:
        """The next utterance (a pending one first); None on silence or when too unsure to act on."""
        if self._pending is not None:
            pending, self._pending = self._pending, None
            return pending
        utterance = self.ear.listen(expect, timeout)
        if utterance is None:
            return None
        transcript = utterance.transcript
        if transcript is not None and transcript.text:
            self.voice.status("heard", transcript.text)
            if transcript.confidence is not None and transcript.confidence < self.settings.min_confidence:
                self._reply("not_sure_heard")
                return None
        return utterance

    def _understand(
        self, utterance: Utterance, allowed: Sequence[str], context: dict[str, Any] | None = None
    ) -> Intent | None:
        return understand(utterance, self.parser, allowed, context)

    def _slot_hypotheses(self, utterance: Utterance, intent: Intent, slot: str) -> list[str]:
        return slot_hypotheses(utterance, self.parser, intent, slot)

    # -- commands -----------------------------------------------------------------------------------------

    def _on_CallContact(self, intent: Intent, utterance: Utterance) -> None:
        resolver = self.book.resolver()
        if len(resolver) == 0:
            self._reply("no_contacts")
            return
        resolution = resolve_heard(resolver, utterance, intent, self.parser, self.settings.sure_confidence)
        self._settle(resolution, resolver, topic=intent.slot("topic"))

    def _settle(self, resolution: Resolution, resolver: Resolver, *, topic: str) -> None:
        """Turn a resolution into a call: ask which one while unsure, refuse when nobody matches."""
        if resolution.action == Action.ASK:
            picked = self._ask_which(resolution, resolver)
            if picked is None:
                return
            resolution = picked
        if resolution.action == Action.REFUSE:
            if resolution.reason == "no_number" and resolution.contact:
                self._reply("no_number", name=resolution.contact.name)
            else:
                self._reply("no_such_contact", name=resolution.query)
            return
        self._prepare_call(resolution, topic=topic)

    def _ask_which(self, resolution: Resolution, resolver: Resolver) -> Resolution | None:
        """Ask until the user picks one of the candidates (or gives up, or says something else)."""
        candidates = list(resolution.candidates)
        top = candidates[0]
        if len(candidates) == 1:
            self._reply("did_you_mean", choice=top.contact.display)
        elif resolution.reason == "ambiguous" and len(candidates) >= 5:
            self._reply(
                "which_one_many", count=len(candidates), name=resolution.query, choices=_listing(candidates)
            )
        else:
            self._reply("which_one", choices=_listing(candidates))
        expect = Expect(Listening.CHOICE, tuple(c.contact for c in candidates))
        for attempt in range(3):
            utterance = self._hear(expect, self.settings.answer_timeout)
            if utterance is None:
                break
            intent = self._understand(
                utterance, (*ANSWERS[Listening.CHOICE], *COMMANDS), {"dialog": "choosing"}
            )
            if intent is None or intent.name in ("No", "Cancel"):
                if intent is None and attempt < 2:
                    self._reply("pick_again")
                    continue
                self._reply("not_calling")
                return None
            if intent.name == "Yes" and len(candidates) == 1:
                # "Did you mean X?" "Yes": that was the confirmation
                settled = resolver.choose(resolution.query, _picked(top), label=resolution.label_requested)
                return replace(settled, reason="confirmed") if settled.action == Action.DIAL else settled
            if intent.name in ("Choose", "Correct"):
                chosen = pick(candidates, intent, self.book.nicknames)
                if chosen is not None:
                    if chosen.score < top.score:  # we preferred someone else: remember the user's answer
                        self._learn(resolution.query, chosen.contact)
                    return resolver.choose(
                        resolution.query, _picked(chosen), label=resolution.label_requested
                    )
                if attempt < 2:
                    self._reply("pick_again")
                    continue
                self._reply("not_calling")
                return None
            self._pending = utterance  # a new command instead of an answer
            return None
        self._reply("not_calling")
        return None

    def _learn(self, query: str, contact: Contact) -> None:
        """The user corrected our best guess: remember that this name means this contact."""
        alias = " ".join(query.split())
        if alias and alias.lower() != contact.name.lower():
            self.book.learn(contact, alias)
            self._reply("learned", alias=alias, name=contact.name)

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
        )
        name_part = f" ({contact.name})" if contact else ""
        cleared = self._cleared(request, contact)
        if cleared is None:
            return
        request, _ = cleared
        # A number heard digit by digit is always read back before it is dialled.
        if self._confirm(self.say("confirm_number", number=display(e164), name_part=name_part), request):
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
        when = _when(last.created_at, self.clock.now())
        if last.outcome == Outcome.CONNECTED:
            outcome = self.say("outcome_connected", duration=_duration(last.duration or 0))
        else:
            outcome = self.say("outcome_other", outcome=_outcome_words(last))
        label_part = f" on {last.label}" if last.label else ""
        self._reply(
            "last_call",
            name=last.contact_name or display(last.to_number),
            label_part=label_part,
            when=when,
            outcome=outcome,
        )

    def _on_AddNote(self, intent: Intent, utterance: Utterance) -> None:
        last = self.log.last_call(self.settings.rep)
        self._take_note(last, prompt="ask_note_text")

    def _on_RepeatNote(self, intent: Intent, utterance: Utterance) -> None:
        last = self.log.last_call(self.settings.rep)
        notes = [n for n in (last.notes if last else ()) if n.status == "saved"]
        if not notes:
            self._reply("note_none")
            return
        self._read_back(notes[-1], "note_read")

    def _on_DueFollowups(self, intent: Intent, utterance: Utterance) -> None:
        today = self.clock.now().date()
        self._due = self.log.due_followups(until=today, rep=self.settings.rep)
        if not self._due:
            self._reply("nothing_due")
            return
        items = []
        for note in self._due:
            name = note.contact_name or "someone"
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
            self._slot_hypotheses(utterance, intent, "contact"), company=intent.slot("company")
        )
        if resolution.action == Action.ASK:
            picked = self._ask_which(resolution, resolver)
            if picked is None:
                return
            resolution = picked
        contact = resolution.contact
        if contact is None or contact.id is None:
            self._reply("no_such_contact", name=resolution.query)
            return
        if not self._yes(self.say("confirm_dnc", name=contact.name), CallRequest(to="")):
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

    # -- confirming ---------------------------------------------------------------------------------------

    def _prepare_call(self, resolution: Resolution, *, topic: str) -> None:
        contact, number = resolution.contact, resolution.number
        assert contact is not None and number is not None
        if resolution.label_missing:
            self._reply("label_missing", name=contact.name, label=resolution.label_requested)
        request = CallRequest(
            to=number.e164,
            contact_name=contact.name,
            contact_id=contact.id,
            label=number.label,
            topic=topic,
            rep=self.settings.rep,
        )
        cleared = self._cleared(request, contact)
        if cleared is None:
            return
        request, consented = cleared
        if consented or (
            resolution.reason == "confirmed" and not (resolution.label_missing or resolution.label_guessed)
        ):
            pass  # the user has just said yes to this very call
        elif self._needs_confirmation(resolution, request):
            label_part = f" on {number.label}" if number.label else ""
            topic_part = f", about {topic}" if topic else ""
            question = self.say(
                "confirm_call",
                name=contact.name,
                label_part=label_part,
                number=display(number.e164),
                topic_part=topic_part,
            )
            if not self._confirm(question, request, contact=contact):
                return
        elif not self._cancel_window(request):
            return
        self._dial(request)

    def _cleared(self, request: CallRequest, contact: Contact | None) -> tuple[CallRequest, bool] | None:
        """The safety rules, before any carrier hears of the call: (request, user consented) or None.

        Do-not-call and countries refuse; calling hours ask or refuse; a live call refuses a second;
        the same person again within the repeat window asks first. Every refusal is a call-log row.
        """
        name = request.contact_name or display(request.to)
        verdict = check(contact, request.to, self.clock.now(), self.settings.rules, self.listed)
        consented = False
        if not verdict.allowed:
            if not verdict.may_override:
                self._block(request, verdict.reason)
                return None
            if not self._yes(self.say("outside_hours", reason=_sentence(verdict.reason)), request):
                self._block(request, f"{verdict.reason}; not overridden")
                return None
            request = replace(request, override=_joined(request.override, _override(verdict)))
            consented = True
        live = [c for c in self.log.live_calls(self.settings.rep) if _recent(c, self.clock.now())]
        if len(live) >= self.settings.max_concurrent:
            self._block(
                request, f"another call is in progress (with {live[0].contact_name or live[0].to_number})"
            )
            return None
        since = self.clock.now() - timedelta(seconds=self.settings.repeat_window)
        earlier = [c for c in self.log.calls_to(request.to, since=since) if c.provider_call_id]
        if earlier:
            minutes = max(1, int((self.clock.now() - earlier[0].created_at).total_seconds() // 60))
            ago = "a minute ago" if minutes == 1 else f"{minutes} minutes ago"
            if not self._yes(self.say("called_recently", name=name, ago=ago), request):
                self._cancelled_before_dialling(request, f"already called {minutes} min before; not repeated")
                return None
            request = replace(
                request, override=_joined(request.override, f"called again within {minutes} min")
            )
            consented = True
        return request, consented

    def _block(self, request: CallRequest, reason: str) -> None:
        self.log.record_unplaced(request, CallStatus.BLOCKED, reason, provider=self.telephony.name)
        self._reply("blocked", reason=reason)

    def _yes(self, question: str, request: CallRequest) -> bool:
        """A yes/no question before a call; anything but yes is no (a new command is kept for next)."""
        self.voice.say(question)
        utterance = self._hear(Expect(Listening.CONFIRM), self.settings.answer_timeout)
        if utterance is None:
            return False
        intent = self._understand(utterance, (*ANSWERS[Listening.CONFIRM], *COMMANDS))
        if intent is not None and intent.name in COMMANDS and intent.name != "Cancel":
            self._pending = utterance
        return intent is not None and intent.name == "Yes"

    def _needs_confirmation(self, resolution: Resolution, request: CallRequest) -> bool:
        policy = self.settings.confirm
        if policy == "always":
            return True
        unclear = not resolution.certain or resolution.label_missing
        if policy == "never":
            return unclear and resolution.reason != "redial"
        international = region_of(request.to) != self.settings.region.upper()
        first_time = not any(c.provider_call_id for c in self.log.calls_to(request.to))
        return unclear or resolution.label_guessed or international or first_time

    def _confirm(self, question: str, request: CallRequest, *, contact: Contact | None = None) -> bool:
        """Ask yes/no about this call; a "no" or silence logs the call as cancelled before dialling."""
        self.voice.say(question)
        for attempt in range(2):
            utterance = self._hear(Expect(Listening.CONFIRM), self.settings.answer_timeout)
            if utterance is None:
                break
            intent = self._understand(utterance, (*ANSWERS[Listening.CONFIRM], *COMMANDS))
            if intent is not None and intent.name == "Yes":
                return True
            if intent is not None and intent.name == "Correct" and contact is not None:
                self._cancelled_before_dialling(request, "the user corrected the contact")
                self._correct(intent, utterance, wrong=contact, topic=request.topic)
                return False
            if intent is None and attempt == 0:
                self._reply("confirm_again", name=request.contact_name or display(request.to))
                continue
            if intent is not None and intent.name in COMMANDS and intent.name not in ("Cancel",):
                self._pending = utterance  # a new command: this call is off
            break
        self._reply("not_calling")
        self._cancelled_before_dialling(request, "not confirmed")
        return False

    def _correct(self, intent: Intent, utterance: Utterance, *, wrong: Contact, topic: str) -> None:
        """ "No, I meant Jennifer Lopez": resolve the new name, remember the alias, and ask again."""
        resolver = self.book.resolver()
        resolution = resolver.resolve(self._slot_hypotheses(utterance, intent, "contact"))
        if resolution.action == Action.DIAL and resolution.contact is not None:
            resolution = resolver.choose(resolution.query, _picked(resolution.candidates[0]))
        self._settle(resolution, resolver, topic=topic)

    def _cancel_window(self, request: CallRequest) -> bool:
        """An unconfirmed call waits a moment for "cancel"; anything else said is kept as the next command."""
        seconds = self.settings.cancel_window
        if seconds <= 0:
            return True
        self._reply(
            "cancel_window", name=request.contact_name or display(request.to), seconds=_count(seconds)
        )
        utterance = self._hear(Expect(Listening.WINDOW), seconds)
        if utterance is None:
            return True
        intent = self._understand(utterance, (*ANSWERS[Listening.WINDOW], *COMMANDS))
        if intent is not None and intent.name in ("Cancel", "No"):
            self._reply("not_calling")
            self._cancelled_before_dialling(request, "cancelled in the cancel window")
            return False
        if intent is None or intent.name != "Yes":
            self._pending = utterance
        return True

    def _cancelled_before_dialling(self, request: CallRequest, reason: str) -> None:
        self.log.record_unplaced(request, CallStatus.CANCELED, reason, provider=self.telephony.name)

    # -- calling ------------------------------------------------------------------------------------------

    def _dial(self, request: CallRequest) -> None:
        name = request.contact_name or display(request.to)
        self.log.begin_call(request, provider=self.telephony.name)
        self.voice.status("calling", self.say("calling", name=name))
        try:
            placed = self.telephony.place(request)
        except CallFailed as exc:
            self.log.call_failed(request.key, exc.reason, exc.code)
            self._reply("place_failed", reason=exc.reason)
            return
        self.log.call_placed(placed)
        record, legs = self._follow(placed, name)
        self._report(record, name, rep_phone_only="agent" in legs and "lead" not in legs)
        if record is not None and record.outcome == Outcome.CONNECTED and self._following_up is not None:
            self.log.followup_done(self._following_up.id)  # the follow-up call happened
            self._reply("followup_done", name=name)
        if record is not None and record.outcome == Outcome.CONNECTED and self.settings.ask_for_note:
            self._take_note(record, prompt="ask_note")

    def _follow(self, placed: PlacedCall, name: str) -> tuple[CallRecord | None, set[str]]:
        """Apply the call's events to the log until it ends; "hang up" or "cancel" end it early."""
        answered = False
        ended = False
        shown: set[str] = set()
        legs: set[str] = set()
        while not ended:
            events = self.telephony.poll(placed, self.settings.poll_interval)
            for event in events:
                legs.add(event.leg)
                self.log.apply_event(placed.key, event)
                answered = answered or (event.status == CallStatus.IN_PROGRESS and event.leg != "agent")
                self._show_progress(event, shown)
                ended = ended or (event.status.is_final and event.leg != "lead")
            if ended or events:
                continue
            try:
                utterance = self._hear(Expect(Listening.IN_CALL), self.settings.poll_interval)
            except EndOfInput:
                self._reply("input_ended_in_call")
                self.telephony.end(placed, answered)
                self._drain(placed)
                break
            if utterance is None:
                continue
            intent = self._understand(utterance, (*ANSWERS[Listening.IN_CALL], *COMMANDS))
            if intent is not None and intent.name in ("HangUp", "Cancel"):
                if answered:
                    self._reply("hanging_up")
                else:
                    self._reply("cancelling")
                self.telephony.end(placed, answered)
            else:
                self._reply("call_in_progress")
        self.voice.status("ended", "")
        return self.log.call(placed.key), legs

    def _drain(self, placed: PlacedCall) -> None:
        """After ending a call, take its last events so the log has the final status."""
        for _ in range(20):
            events = self.telephony.poll(placed, self.settings.poll_interval)
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
            self.voice.status(key.replace("_", "-"), self.say(key))

    def _report(self, record: CallRecord | None, name: str, *, rep_phone_only: bool = False) -> None:
        if record is None:
            return
        outcome = record.outcome
        if rep_phone_only and outcome in (Outcome.NO_ANSWER, Outcome.BUSY, Outcome.FAILED):
            self._reply("agent_no_answer", name=name)  # bridge mode: the rep's own phone never picked up
        elif outcome == Outcome.CONNECTED:
            self._reply("call_ended", duration=_duration(record.duration or 0))
        elif outcome == Outcome.VOICEMAIL:
            self._reply("voicemail", duration=_duration(record.duration or 0))
        elif outcome == Outcome.BUSY:
            self._reply("busy", name=name)
        elif outcome == Outcome.NO_ANSWER:
            self._reply("no_answer", name=name)
        elif outcome == Outcome.CANCELED:
            self._reply("call_cancelled")
        elif outcome == Outcome.FAILED:
            self._reply("call_failed", reason=record.reason or "the carrier gave no reason")

    # -- notes --------------------------------------------------------------------------------------------

    def _take_note(self, record: CallRecord | None, *, prompt: str, note_id: int | None = None) -> None:
        """Hear a note, keep its audio before transcribing, save it, read it back."""
        self._reply(prompt)
        try:
            utterance = self._hear(Expect(Listening.NOTE), self.settings.note_timeout)
        except EndOfInput:
            self._reply("note_heard_nothing")
            raise
        if utterance is None or (utterance.audio is None and not utterance.text.strip()):
            self._reply("note_heard_nothing")
            return
        if utterance.audio is None and utterance.text.strip().lower().strip(".!") in _NO_NOTE:
            self._reply("no_note")
            return
        call_id = record.id if record else None
        if utterance.audio is None:  # typed: the text is the note
            followup = read_followup(utterance.text, self.clock.now())
            if note_id is None:
                note_id = self.log.add_note(
                    call_id=call_id,
                    rep=self.settings.rep,
                    text=utterance.text,
                    followup=followup,
                    contact_id=record.contact_id if record else None,
                )
            else:
                self.log.update_note(note_id, text=utterance.text, status="saved", followup=followup)
            note = self.log.note(note_id)
        else:
            # The recording is on disk, and its row says "pending", before anything tries to transcribe it.
            path = self.archive.keep(utterance.audio, call_id) if self.archive else ""
            if note_id is None:
                note_id = self.log.add_note(
                    call_id=call_id,
                    rep=self.settings.rep,
                    status="pending",
                    audio_path=path,
                    contact_id=record.contact_id if record else None,
                )
            else:
                self.log.update_note(note_id, status="pending")
            note = self._finish_note(note_id, utterance.audio, record)
        if note is not None and note.status == "saved":
            if utterance.audio is None:
                self._read_back(note)
            self._review(record, note)

    def _finish_note(self, note_id: int, audio: AudioClip | None, record: CallRecord | None) -> Note | None:
        """Transcribe a kept recording, save the text with its follow-up date, and read it back."""
        try:
            if self.transcriber is None or audio is None:
                raise TranscriptionFailed("no speech engine for notes is configured")
            text = self.transcriber.transcribe(audio).text.strip()
            if not text:
                raise TranscriptionFailed("no words were recognised")
        except TranscriptionFailed as exc:
            self._reply("note_pending", reason=str(exc))
            return None
        if text.lower().strip(".!") in _NO_NOTE:
            self.log.update_note(note_id, status="discarded")
            self._reply("no_note")
            return None
        self.log.update_note(
            note_id, text=text, status="saved", followup=read_followup(text, self.clock.now())
        )
        note = self.log.note(note_id)
        if note is not None:
            self._read_back(note)
        return note

    def _read_back(self, note: Note, key: str = "note_saved") -> None:
        message = self.say(key, text=note.text)
        if note.followup:
            message += " " + self.say("note_followup", date=describe(note.followup, self.clock.now().date()))
        self.voice.say(message)

    def _review(self, record: CallRecord | None, note: Note) -> None:
        """After the read-back: "repeat", "change it" or "discard"; anything else is the next command."""
        while True:
            utterance = self._hear(Expect(Listening.REVIEW), self.settings.review_timeout)
            if utterance is None:
                return
            intent = self._understand(utterance, ANSWERS[Listening.REVIEW])
            if intent is not None and intent.name == "RepeatNote":
                self._read_back(note)
                continue
            if intent is not None and intent.name == "ChangeNote":
                self._take_note(record, prompt="note_change", note_id=note.id)
                return
            if intent is not None and intent.name == "DiscardNote":
                self.log.update_note(note.id, status="discarded")
                self._reply("note_discarded")
                return
            self._pending = utterance
            return


# -- understanding (shared with `callbot eval`) ------------------------------------------------------------


def understand(
    utterance: Utterance, parser: IntentParser, allowed: Sequence[str], context: dict[str, Any] | None = None
) -> Intent | None:
    """The intent of the best hypothesis that parses (runners-up are tried when the best does not)."""
    if utterance.transcript is None:
        return None
    for text in utterance.transcript.hypotheses:
        intent = parser.parse(text, allowed=allowed, context=context)
        if intent is not None:
            return intent
    return None


def slot_hypotheses(utterance: Utterance, parser: IntentParser, intent: Intent, slot: str) -> list[str]:
    """The slot as heard in every hypothesis that parses to the same intent (the resolver weighs them)."""
    values = [intent.slot(slot)]
    if utterance.transcript is not None:
        for text in utterance.transcript.alternatives:
            other = parser.parse(text, allowed=[intent.name])
            if other is not None and other.slot(slot) and other.slot(slot) not in values:
                values.append(other.slot(slot))
    return [v for v in values if v]


def resolve_heard(
    resolver: Resolver, utterance: Utterance, intent: Intent, parser: IntentParser, sure_confidence: float
) -> Resolution:
    """Who a CallContact means. A name the ear was not sure of is never dialled on its say-so: asked about."""
    queries = slot_hypotheses(utterance, parser, intent, "contact")
    resolution = resolver.resolve(
        queries, label=intent.slot("label"), company=intent.slot("company"), relation=intent.slot("relation")
    )
    transcript = utterance.transcript
    unsure = transcript is not None and (
        not transcript.sure or (transcript.confidence is not None and transcript.confidence < sure_confidence)
    )
    if resolution.action == Action.DIAL and unsure:
        return replace(
            resolution,
            action=Action.ASK,
            reason="unsure",
            candidates=resolution.candidates[:1],
            contact=None,
            number=None,
        )
    if resolution.action == Action.DIAL and transcript is not None and not transcript.label_sure:
        return replace(resolution, label_guessed=True)  # the number is a guess: the dialog confirms it
    return resolution


def pick(candidates: Sequence[Candidate], intent: Intent, nicknames: Any) -> Candidate | None:
    """Which candidate the answer names: by ordinal, by (part of the) name, or by company."""
    ordinal = intent.slot("ordinal")
    if ordinal:
        index = int(ordinal)
        if index == -1:
            return candidates[-1]
        return candidates[index - 1] if 1 <= index <= len(candidates) else None
    name = intent.slot("name") or intent.slot("contact")
    company = intent.slot("company")
    if not name and not company:
        return None
    among = Resolver([c.contact for c in candidates], nicknames)
    ranked = among.rank([name] if name else [company], company=company if name else "")
    if not ranked:
        return None
    best = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    if best.score >= 70 and best.score - runner_up >= 5:
        return next(c for c in candidates if c.contact == best.contact)
    return None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _joined(first: str, second: str) -> str:
    return f"{first}; {second}" if first else second


def _override(verdict: Verdict) -> str:
    return f"{verdict.reason}: the user said call anyway"


def _recent(call: CallRecord, now: datetime) -> bool:
    """Whether a call the log shows as live is really live: a crashed process leaves rows behind, so a
    creation request counts for two minutes and a ringing or answered call for four hours."""
    age = now - call.created_at
    return age < (timedelta(minutes=2) if call.status == CallStatus.PENDING else timedelta(hours=4))


def _picked(candidate: Candidate) -> Candidate:
    """The user chose this one: as sure as an exact name."""
    return Candidate(candidate.contact, candidate.score, "picked")


def _again(contact: Contact, e164: str, reason: str) -> Resolution:
    """Someone called before (a redial, a follow-up): the same number if they still have it."""
    number = next((n for n in contact.numbers if n.e164 == e164), contact.default_number)
    return Resolution(
        Action.DIAL,
        contact.name,
        (_picked(Candidate(contact, 100.0)),),
        contact=contact,
        number=number,
        label_requested=number.label if number else "",
        certain=True,
        reason=reason,
    )


def _listing(candidates: Sequence[Candidate]) -> str:
    names = [c.contact.display for c in candidates]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _duration(seconds: int) -> str:
    minutes, secs = divmod(max(0, int(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _count(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"


def _when(at: datetime, now: datetime) -> str:
    local = at.astimezone(now.tzinfo)
    if local.date() == now.date():
        return f"today at {local:%H:%M}"
    if (now.date() - local.date()).days == 1:
        return f"yesterday at {local:%H:%M}"
    return f"on {local:%A} {local.day} {local:%B} at {local:%H:%M}"


def _outcome_words(record: CallRecord) -> str:
    return {
        Outcome.BUSY: "busy",
        Outcome.NO_ANSWER: "not answered",
        Outcome.FAILED: "a failed call" + (f" ({record.reason})" if record.reason else ""),
        Outcome.CANCELED: "cancelled",
        Outcome.VOICEMAIL: "voicemail",
        Outcome.BLOCKED: "blocked" + (f" ({record.reason})" if record.reason else ""),
    }.get(Outcome(record.outcome) if record.outcome else Outcome.CANCELED, record.status.value)


__all__ = ["CallLog", "Session", "SessionSettings", "pick", "resolve_heard", "slot_hypotheses", "understand"]


UNCONFIRMED = (
    "callbot stopped before the carrier confirmed this call; it was not placed again. "
    "Check your phone or the carrier's call list before calling again"
)
