"""The dialog's words beyond whole replies: when a call was, how long ago, how it ended, a list of
names, and the bare answers that mean "no note". Language is data, in intents/<lang>/_responses.yaml."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import yaml

from .language import RESPONSES_FILE, language_dir
from .models import CallRecord, Outcome

Say = Callable[..., str]  # a Replies: key and values -> the words

# How a call that did not connect ended, as "It was {outcome}." says it; anything else says its status.
_OUTCOMES = {
    Outcome.BUSY: "outcome_busy",
    Outcome.NO_ANSWER: "outcome_no_answer",
    Outcome.FAILED: "outcome_failed",
    Outcome.CANCELED: "outcome_canceled",
    Outcome.VOICEMAIL: "outcome_voicemail",
    Outcome.BLOCKED: "outcome_blocked",
}


def no_note_words(directory: Path | None = None) -> frozenset[str]:
    """A bare one of these, when callbot asks for a note, means no note; anything longer is the note."""
    with open((directory or language_dir()) / RESPONSES_FILE, encoding="utf-8") as fh:
        return frozenset(str(w) for w in yaml.safe_load(fh)["words"]["no_note"])


def when(say: Say, at: datetime, now: datetime) -> str:
    """ "today at 09:12", "yesterday at 16:40", "on Monday 23 November at 11:05", in `now`'s zone."""
    local = at.astimezone(now.tzinfo)
    if local.date() == now.date():
        return say("when_today", at=local)
    if (now.date() - local.date()).days == 1:
        return say("when_yesterday", at=local)
    return say("when_on", at=local, day=local.day)


def ago(say: Say, minutes: int) -> str:
    return say("minutes_ago_one") if minutes == 1 else say("minutes_ago", minutes=minutes)


def outcome_words(say: Say, record: CallRecord) -> str:
    """How a call that did not connect ended: "busy", "a failed call (the number is invalid)"."""
    outcome = Outcome(record.outcome) if record.outcome else Outcome.CANCELED
    key = _OUTCOMES.get(outcome)
    if key is None:
        return record.status.value
    reason_part = say("reason_part", reason=record.reason) if record.reason else ""
    return say(key, reason_part=reason_part)


def listing(say: Say, names: Sequence[str]) -> str:
    """ "Jane Doe at Acme and Jane Smith at Globex"."""
    if len(names) == 1:
        return names[0]
    return say("listing", rest=", ".join(names[:-1]), last=names[-1])


def duration(seconds: int) -> str:
    minutes, secs = divmod(max(0, int(seconds)), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def count(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"
