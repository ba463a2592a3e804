"""The ports between the dialog and the outside world; adapters implement them, tests pass plain fakes.

The call log is seen through roles of one to three methods (calls placed, carrier events, calls read,
notes, follow-ups, do-not-call, contacts by number); each part of the dialog names the roles it uses,
and the calllog Store plays them all.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, runtime_checkable

from .models import (
    AudioClip,
    CallEvent,
    CallRecord,
    CallRequest,
    CallStatus,
    Contact,
    FollowUp,
    Lead,
    LeadStatus,
    Note,
    PlacedCall,
    Transcript,
    Utterance,
    Voicemail,
)


class EndOfInput(Exception):
    """The ear has nothing more to hear (stdin closed, the last scripted file played)."""


class Listening(enum.StrEnum):
    """What the dialog is waiting for; an ear may narrow its grammar to it."""

    COMMAND = "command"
    CHOICE = "choice"  # which of several candidates
    CONFIRM = "confirm"  # yes / no / cancel
    NOTE = "note"  # free speech, kept as audio
    REVIEW = "review"  # after a note is read back: repeat / change it / discard / next command
    IN_CALL = "in-call"  # hang up / cancel while a call is live
    WINDOW = "window"  # the cancel window before an unconfirmed call
    NAME = "name"  # "Who should I call?": a name (the choices, when the book is small enough to list)
    NUMBER = "number"  # "What number should I call?": digits


# The commands callbot takes at any time, and what else each listening state accepts: the dialog and
# the speech grammars read the same table.
COMMANDS = (
    "CallContact",
    "CallNumber",
    "MakeCall",
    "CallANumber",
    "Redial",
    "LastCall",
    "AddNote",
    "RepeatNote",
    "DueFollowups",
    "CallNext",
    "DoNotCall",
    "SetRelation",
    "Help",
    "Cancel",
    "HangUp",
)
ANSWERS: dict[Listening, tuple[str, ...]] = {
    Listening.COMMAND: COMMANDS,
    Listening.CHOICE: ("Choose", "Yes", "No", "Cancel", "Correct"),
    Listening.CONFIRM: ("Yes", "No", "Cancel", "Correct"),
    Listening.REVIEW: ("RepeatNote", "ChangeNote", "DiscardNote", *COMMANDS),
    Listening.IN_CALL: ("HangUp", "Cancel"),
    Listening.WINDOW: ("Cancel", "No", "Yes"),
    Listening.NAME: ("Choose", "CallContact", "Cancel", "No"),
    Listening.NUMBER: ("GiveNumber", "CallNumber", "Cancel", "No"),
}


@dataclass(frozen=True)
class Expect:
    mode: Listening
    choices: tuple[Contact, ...] = ()  # for CHOICE: the names the user may pick from


class Ear(Protocol):
    def listen(self, expect: Expect, timeout: float | None = None) -> Utterance | None:
        """The next utterance, or None if nothing was said within `timeout`; EndOfInput when input is over."""
        ...


class Voice(Protocol):
    def say(self, text: str) -> None:
        """Speak (or print) a reply; returns when it has been said."""
        ...

    def status(self, state: str, detail: str = "") -> None:
        """Show progress (listening, heard, calling, ringing, connected ...) without speaking it."""
        ...


class Archive(Protocol):
    """Where note recordings are kept, before anything tries to transcribe them."""

    def keep(self, audio: AudioClip, call_id: str | None) -> str:
        """Write the recording; returns its path."""
        ...

    def recordings(self) -> list[tuple[str, str | None]]:
        """Every kept recording: (path, the call it belongs to)."""
        ...

    def load(self, path: str) -> AudioClip: ...


class Transcriber(Protocol):
    def transcribe(self, audio: AudioClip) -> Transcript:
        """Free speech to text; raises TranscriptionFailed."""
        ...


class Telephony(Protocol):
    name: str

    def place(self, request: CallRequest) -> PlacedCall:
        """Ask the carrier to start the call; raises CallFailed. Never places the same request twice."""
        ...

    def poll(self, call: PlacedCall, timeout: float) -> Sequence[CallEvent]:
        """New events for the call, waiting up to `timeout` seconds for at least one."""
        ...

    def end(self, call: PlacedCall, answered: bool) -> None:
        """Cancel a call not yet answered, or hang up one that was."""
        ...


@runtime_checkable
class DropsVoicemail(Protocol):
    """A carrier that can play a recorded message to the callee and end the rep's part of the call."""

    def drop(self, call: PlacedCall, message: Voicemail) -> None:
        """Play `message` to the callee (then hang up their leg); the rep's leg ends at once."""
        ...


class Screen(Protocol):
    """A live view of a list being worked (the local web page): the lead, the call, the queue."""

    def lead(self, lead: Lead, history: Sequence[str]) -> None:
        """The lead now on the card, with their past calls and notes."""
        ...

    def state(self, state: str, detail: str = "") -> None:
        """The call's state (calling, ringing, connected, ended) or what callbot said."""
        ...

    def queue(self, leads: Sequence[Lead], counts: Mapping[str, int]) -> None:
        """The list's leads with their statuses, and today's counts."""
        ...


# -- the call log, role by role ------------------------------------------------------------------------


class CallsPlaced(Protocol):
    """A placed call's row: written before the carrier is asked, then what the carrier said."""

    def begin_call(self, request: CallRequest, *, provider: str, from_number: str = "") -> None: ...
    def call_placed(self, placed: PlacedCall) -> None: ...
    def call_failed(self, key: str, reason: str, code: int | None = None) -> None: ...


class CallsUnplaced(Protocol):
    """A call that never reached a carrier: blocked by a rule, or cancelled before dialling."""

    def record_unplaced(
        self, request: CallRequest, status: CallStatus, reason: str, *, provider: str = ""
    ) -> None: ...


class CallEvents(Protocol):
    """The carrier's status events, folded into the call's row."""

    def apply_event(self, key: str, ev: CallEvent) -> bool: ...


class CallsRead(Protocol):
    """Calls as the dialog looks them up."""

    def call(self, key: str) -> CallRecord | None: ...
    def last_call(self, rep: str, *, placed_only: bool = True) -> CallRecord | None: ...
    def calls_to(self, e164: str, *, since: datetime | None = None) -> list[CallRecord]: ...


class LiveCalls(Protocol):
    """A rep's calls that the log shows as not yet ended (across every process sharing it)."""

    def live_calls(self, rep: str) -> list[CallRecord]: ...


class NotesWritten(Protocol):
    """Notes as they are heard, transcribed, changed and discarded."""

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


class NotesRead(Protocol):
    """A note by its id, and the notes with a status (pending ones, after a crash)."""

    def note(self, note_id: int) -> Note | None: ...
    def notes(self, *, status: str | None = None, rep: str | None = None) -> list[Note]: ...


class FollowUps(Protocol):
    """Follow-ups read from notes: what is due, and marking one done."""

    def due_followups(self, *, until: date, rep: str | None = None) -> list[Note]: ...
    def followup_done(self, note_id: int) -> bool: ...


class DoNotCall(Protocol):
    """The log's do-not-call list and the contacts flagged do-not-call."""

    def dnc_reason(self, e164: str) -> str | None: ...
    def dnc_add(
        self, numbers: Sequence[str], *, reason: str = "", source: str = "", rep: str = ""
    ) -> int: ...
    def set_do_not_call(self, contact_id: int, flag: bool) -> None: ...


class ContactsByNumber(Protocol):
    """Who a dialled number belongs to."""

    def contact_for_number(self, e164: str) -> Contact | None: ...


class LeadStates(Protocol):
    """A lead list's queue and each lead's state (issue 19): read it, take a lead for a call, settle it."""

    def leads(self, name: str, *, due_by: datetime | None = None) -> list[Lead]: ...
    def lead(self, lead_id: int) -> Lead | None: ...
    def claim_lead(self, lead_id: int, call_key: str) -> bool: ...
    def set_lead(
        self,
        lead_id: int,
        status: LeadStatus,
        *,
        reason: str = "",
        due_at: datetime | None = None,
        outcome: str | None = None,
    ) -> None: ...


class CallLog(
    CallsPlaced,
    CallsUnplaced,
    CallEvents,
    CallsRead,
    LiveCalls,
    NotesWritten,
    NotesRead,
    FollowUps,
    DoNotCall,
    ContactsByNumber,
    Protocol,
):
    """Every role at once: what a whole dialog is given (the calllog Store plays them all)."""


class Clock(Protocol):
    def now(self) -> datetime:
        """Aware local time."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now().astimezone()


class FixedClock:
    """A clock that always says the same time (tests, the demo, CALLBOT_NOW)."""

    def __init__(self, now: datetime):
        if now.tzinfo is None:
            raise ValueError("a fixed clock needs a time zone, e.g. 2026-11-27T10:00:00-08:00")
        self._now = now

    def now(self) -> datetime:
        return self._now
