"""The ports between the dialog and the outside world; adapters implement them, tests pass plain fakes."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from .models import AudioClip, CallEvent, CallRequest, Contact, PlacedCall, Transcript, Utterance


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


# The commands callbot takes at any time, and what else each listening state accepts: the dialog and
# the speech grammars read the same table.
COMMANDS = (
    "CallContact",
    "CallNumber",
    "Redial",
    "LastCall",
    "AddNote",
    "RepeatNote",
    "DueFollowups",
    "CallNext",
    "DoNotCall",
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
