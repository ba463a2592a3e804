"""The nouns of callbot: plain frozen values that cross module boundaries."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType

LABELS = ("mobile", "work", "home", "main", "other")


class CallStatus(enum.StrEnum):
    """A call's lifecycle, in Twilio's words, plus the states that never reach a carrier."""

    PENDING = "pending"  # row written, provider not asked yet (write-ahead)
    BLOCKED = "blocked"  # refused by a safety rule; never reached a carrier
    QUEUED = "queued"
    INITIATED = "initiated"
    RINGING = "ringing"
    IN_PROGRESS = "in-progress"
    COMPLETED = "completed"
    BUSY = "busy"
    NO_ANSWER = "no-answer"
    FAILED = "failed"
    CANCELED = "canceled"

    @property
    def is_final(self) -> bool:
        return self in _FINAL

    @property
    def is_live(self) -> bool:
        return self in (CallStatus.QUEUED, CallStatus.INITIATED, CallStatus.RINGING, CallStatus.IN_PROGRESS)


_FINAL = frozenset(
    {
        CallStatus.BLOCKED,
        CallStatus.COMPLETED,
        CallStatus.BUSY,
        CallStatus.NO_ANSWER,
        CallStatus.FAILED,
        CallStatus.CANCELED,
    }
)

# The order a call moves through; a late event never moves it backwards.
STATUS_RANK = {
    CallStatus.PENDING: 0,
    CallStatus.QUEUED: 1,
    CallStatus.INITIATED: 2,
    CallStatus.RINGING: 3,
    CallStatus.IN_PROGRESS: 4,
}


class Outcome(enum.StrEnum):
    """What a call came to, for the rep and the CRM (HubSpot's dispositions)."""

    CONNECTED = "connected"
    VOICEMAIL = "voicemail"
    BUSY = "busy"
    NO_ANSWER = "no-answer"
    FAILED = "failed"
    CANCELED = "canceled"
    BLOCKED = "blocked"


@dataclass(frozen=True)
class PhoneNumber:
    e164: str
    label: str = "mobile"
    preferred: bool = False


@dataclass(frozen=True)
class Contact:
    name: str
    numbers: tuple[PhoneNumber, ...] = ()
    company: str = ""
    aliases: tuple[str, ...] = ()
    learned: tuple[str, ...] = ()  # aliases the user taught by correcting a pick ("Jen" -> Jennifer Lopez)
    timezone: str = ""
    do_not_call: bool = False
    id: int | None = None
    source_key: str = ""
    city: str = ""
    relations: tuple[str, ...] = ()  # who they are to the user: "mother", "manager" (canonical words)

    @property
    def display(self) -> str:
        return f"{self.name} at {self.company}" if self.company else self.name

    @property
    def family_name(self) -> str:
        return self.name.split()[-1] if self.name.split() else ""

    def number(self, label: str) -> PhoneNumber | None:
        return next((n for n in self.numbers if n.label == label), None)

    @property
    def default_number(self) -> PhoneNumber | None:
        """The preferred number, else the only one, else mobile, else the first."""
        if not self.numbers:
            return None
        preferred = [n for n in self.numbers if n.preferred]
        if preferred:
            return preferred[0]
        return self.number("mobile") or self.numbers[0]


@dataclass(frozen=True)
class Transcript:
    """What an engine heard: its best text, the runners-up, and how sure it is (0..1 when known)."""

    text: str
    alternatives: tuple[str, ...] = ()
    confidence: float | None = None
    engine: str = "text"
    sure: bool = (
        True  # False when engines disagreed or only a fallback engine heard it: confirm before acting
    )
    label_sure: bool = True  # False when only one engine heard the number label (or its absence): confirm it
    free_from: int | None = None  # a grammar's reading: the first word of a topic it could only approximate
    named_confidence: float | None = None  # its confidence with that topic set aside
    free_fits: bool = False  # the grammar's words for that topic fit the audio well: a topic it knows, said
    person: str = ""  # whom a sure decision heard: dialled though the resolver is unsure of the words

    @property
    def hypotheses(self) -> tuple[str, ...]:
        return (self.text, *[a for a in self.alternatives if a != self.text])


@dataclass(frozen=True)
class AudioClip:
    """Raw 16-bit mono PCM and its rate; the ear's unit of sound."""

    pcm: bytes
    sample_rate: int = 16000

    @property
    def seconds(self) -> float:
        return len(self.pcm) / (2 * self.sample_rate)


@dataclass(frozen=True)
class Utterance:
    """One turn of the user: a transcript (commands, typed text) and/or the audio (notes)."""

    transcript: Transcript | None = None
    audio: AudioClip | None = None
    source: str = ""

    @property
    def text(self) -> str:
        return self.transcript.text if self.transcript else ""


def _frozen(mapping: Mapping[str, str] | None) -> Mapping[str, str]:
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Intent:
    name: str
    slots: Mapping[str, str] = field(default_factory=dict)
    text: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "slots", _frozen(self.slots))

    def slot(self, name: str) -> str:
        return self.slots.get(name, "")


@dataclass(frozen=True)
class Candidate:
    contact: Contact
    score: float
    matched: str = ""  # what matched: name, nickname, alias, phonetic, company


class Action(enum.StrEnum):
    DIAL = "dial"
    ASK = "ask"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Resolution:
    """The resolver's answer for one spoken name."""

    action: Action
    query: str
    candidates: tuple[Candidate, ...] = ()
    contact: Contact | None = None
    number: PhoneNumber | None = None
    label_requested: str = ""
    label_guessed: bool = False  # no label asked for: we chose the number
    label_missing: bool = False  # a label was asked for that the contact lacks
    certain: bool = False  # exact name, alias or learned alias (no fuzzy step)
    reason: str = ""


@dataclass(frozen=True)
class CallRequest:
    """What the session asks a carrier to do; `key` makes a retry recognisable."""

    to: str
    contact_name: str = ""
    contact_id: int | None = None
    label: str = ""
    topic: str = ""
    rep: str = ""
    override: str = (
        ""  # a safety rule the user chose to override, and how ("outside hours: said call anyway")
    )
    key: str = field(default_factory=lambda: uuid.uuid4().hex)
    extension: str = ""  # digits the carrier keys in once the callee's line answers ("extension 12")


@dataclass(frozen=True)
class PlacedCall:
    """A call the carrier accepted."""

    key: str
    provider: str
    provider_call_id: str
    from_number: str = ""
    status: CallStatus = CallStatus.QUEUED
    recording: str = ""  # set when the carrier records the call: how the callee was told


@dataclass(frozen=True)
class CallEvent:
    """One status change of a call (or of its lead leg, in bridge mode)."""

    status: CallStatus
    at: datetime
    leg: str = "call"  # call (the one we created) or lead (the bridged child)
    provider_call_id: str = ""
    duration: int | None = None  # seconds, on the final event
    answered_by: str = ""  # human, machine, unknown (answering-machine detection)
    sequence: int | None = None
    reason: str = ""  # a user-facing reason for failed calls


@dataclass(frozen=True)
class FollowUp:
    due: date
    phrase: str  # the words the date was read from


@dataclass(frozen=True)
class CallRecord:
    """One row of the call log, as the reports and exports see it."""

    id: str
    rep: str
    direction: str
    contact_id: int | None
    contact_name: str
    to_number: str
    from_number: str
    label: str
    topic: str
    status: CallStatus
    outcome: str
    reason: str
    created_at: datetime
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    duration: int | None = None
    provider: str = ""
    provider_call_id: str = ""
    lead_call_id: str = ""
    lead_status: str = ""
    answered_by: str = ""
    override: str = ""
    recording: str = ""
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Note:
    id: int
    call_id: str | None
    text: str
    status: str  # saved, pending (audio kept, transcription to do), discarded
    created_at: datetime
    audio_path: str = ""
    followup: date | None = None
    followup_done: bool = False
    contact_name: str = ""


# -- lead lists (issue 19) ---------------------------------------------------------------------------------


class LeadStatus(enum.StrEnum):
    """Where a lead stands in its list."""

    PENDING = "pending"  # in the queue (a deferred lead is pending with a due time)
    CALLING = "calling"  # a call was asked for; until its outcome is given (a killed session resumes here)
    DONE = "done"
    CALLBACK = "callback"  # due again at a time
    SKIPPED = "skipped"
    REMOVED = "removed"  # with a reason ("not a fit")
    BLOCKED = "blocked"  # a safety rule refused it (do-not-call, country): never dialled


# What a list call came to: HubSpot's call dispositions, then the list's own outcomes.
DISPOSITIONS = (
    "connected",
    "busy",
    "no answer",
    "left live message",
    "left voicemail",
    "wrong number",
    "meeting booked",
    "not interested",
    "call back",
)


@dataclass(frozen=True)
class Lead:
    """One person on a lead list: a contact of the book plus the list's state for them."""

    list_name: str
    key: str  # identity within the list: the CRM's record id, else the email, else the number
    name: str
    number: str  # E.164, the number to call
    company: str = ""
    title: str = ""
    email: str = ""
    timezone: str = ""
    details: tuple[tuple[str, str], ...] = ()  # columns callbot has no field for, shown on the card
    line: int = 0  # where the file had it
    contact_id: int | None = None
    id: int | None = None
    position: int = 0
    status: LeadStatus = LeadStatus.PENDING
    reason: str = ""  # why removed, blocked or deferred
    due_at: datetime | None = None  # a callback's time, or when a deferred lead may be called
    attempts: int = 0
    last_outcome: str = ""
    last_call_id: str = ""


@dataclass(frozen=True)
class LeadList:
    name: str
    source: str
    counts: Mapping[str, int]  # status -> leads
    created_at: datetime
    id: int | None = None

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def worked(self) -> int:
        """Leads that need nothing more now (done, removed, blocked, skipped)."""
        return sum(n for s, n in self.counts.items() if s in ("done", "removed", "blocked", "skipped"))


@dataclass(frozen=True)
class ListCall:
    """One call made from a lead list, as the export and the report read it."""

    lead: Lead
    call_id: str
    disposition: str
    created_at: datetime
    duration: int | None = None
    outcome: str = ""
    answered_at: datetime | None = None
    note: str = ""  # the call's saved notes
    from_number: str = ""


@dataclass(frozen=True)
class Voicemail:
    """A pre-recorded voicemail message the rep drops on answering machines."""

    name: str
    path: str  # a WAV file in the data directory
