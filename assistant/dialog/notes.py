"""Notes after a call: heard, kept as audio before anything transcribes them, saved, read back, reviewed.

Nothing said is lost: a recording is on disk and its row says "pending" before transcription starts,
so a process killed in between leaves something `recover` finds and finishes on the next start.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from ..calllog.followups import describe, read_followup
from ..errors import TranscriptionFailed
from ..models import AudioClip, CallRecord, Note
from ..ports import (
    ANSWERS,
    Archive,
    CallsRead,
    EndOfInput,
    Expect,
    Listening,
    NotesRead,
    NotesWritten,
    Transcriber,
)
from .turns import Turns


class NotesLog(NotesWritten, NotesRead, CallsRead, Protocol):
    """The call log's roles the notes play."""


class Notes:
    """A rep's notes, one call (or none) at a time."""

    def __init__(
        self,
        turns: Turns,
        log: NotesLog,
        *,
        rep: str,
        now: Callable[[], datetime],
        no_note: frozenset[str],
        transcriber: Transcriber | None = None,
        archive: Archive | None = None,
        note_timeout: float | None = None,
        review_timeout: float | None = 6.0,
    ):
        self.turns = turns
        self.log = log
        self.rep = rep
        self.now = now
        self.no_note = no_note  # a bare one of these means no note
        self.transcriber = transcriber
        self.archive = archive
        self.note_timeout = note_timeout
        self.review_timeout = review_timeout  # how long "repeat/change/discard" is heard after a read-back

    def recover(self) -> None:
        """Notes a killed process heard but never saved: recordings without a row, rows still pending."""
        if self.archive is not None:
            kept = {n.audio_path for n in self.log.notes(rep=self.rep)}
            for path, call_id in self.archive.recordings():
                if path not in kept and (call_id is None or self.log.call(call_id) is not None):
                    self.log.add_note(call_id=call_id, rep=self.rep, status="pending", audio_path=path)
        pending = [n for n in self.log.notes(status="pending", rep=self.rep) if n.audio_path]
        if not pending:
            return
        self.turns.reply("recovering_notes", count=len(pending))
        for note in pending:
            called = self.log.call(note.call_id) if note.call_id else None
            audio = self.archive.load(note.audio_path) if self.archive else None
            self._finish(note.id, audio, called)

    def take(self, record: CallRecord | None, *, prompt: str, note_id: int | None = None) -> None:
        """Hear a note, keep its audio before transcribing, save it, read it back."""
        self.turns.reply(prompt)
        try:
            utterance = self.turns.hear(Expect(Listening.NOTE), self.note_timeout)
        except EndOfInput:
            self.turns.reply("note_heard_nothing")
            raise
        if utterance is None or (utterance.audio is None and not utterance.text.strip()):
            self.turns.reply("note_heard_nothing")
            return
        if utterance.audio is None and utterance.text.strip().lower().strip(".!") in self.no_note:
            self.turns.reply("no_note")
            return
        call_id = record.id if record else None
        contact_id = record.contact_id if record else None
        if utterance.audio is None:  # typed: the text is the note
            followup = read_followup(utterance.text, self.now())
            if note_id is None:
                note_id = self.log.add_note(
                    call_id=call_id,
                    rep=self.rep,
                    text=utterance.text,
                    followup=followup,
                    contact_id=contact_id,
                )
            else:
                self.log.update_note(note_id, text=utterance.text, status="saved", followup=followup)
            note = self.log.note(note_id)
        else:
            # The recording is on disk, and its row says "pending", before anything tries to transcribe it.
            path = self.archive.keep(utterance.audio, call_id) if self.archive else ""
            if note_id is None:
                note_id = self.log.add_note(
                    call_id=call_id, rep=self.rep, status="pending", audio_path=path, contact_id=contact_id
                )
            else:
                self.log.update_note(note_id, status="pending")
            note = self._finish(note_id, utterance.audio, record)
        if note is not None and note.status == "saved":
            if utterance.audio is None:
                self.read_back(note)
            self._review(record, note)

    def read_back(self, note: Note, key: str = "note_saved") -> None:
        message = self.turns.say(key, text=note.text)
        if note.followup:
            message += " " + self.turns.say("note_followup", date=describe(note.followup, self.now().date()))
        self.turns.voice.say(message)

    def _finish(self, note_id: int, audio: AudioClip | None, record: CallRecord | None) -> Note | None:
        """Transcribe a kept recording, save the text with its follow-up date, and read it back."""
        try:
            if self.transcriber is None or audio is None:
                raise TranscriptionFailed("no speech engine for notes is configured")
            text = self.transcriber.transcribe(audio).text.strip()
            if not text:
                raise TranscriptionFailed("no words were recognised")
        except TranscriptionFailed as exc:
            self.turns.reply("note_pending", reason=str(exc))
            return None
        if text.lower().strip(".!") in self.no_note:
            self.log.update_note(note_id, status="discarded")
            self.turns.reply("no_note")
            return None
        self.log.update_note(note_id, text=text, status="saved", followup=read_followup(text, self.now()))
        note = self.log.note(note_id)
        if note is not None:
            self.read_back(note)
        return note

    def _review(self, record: CallRecord | None, note: Note) -> None:
        """After the read-back: "repeat", "change it" or "discard"; anything else is the next command."""
        while True:
            utterance = self.turns.hear(Expect(Listening.REVIEW), self.review_timeout)
            if utterance is None:
                return
            intent = self.turns.understand(utterance, ANSWERS[Listening.REVIEW])
            if intent is not None and intent.name == "RepeatNote":
                self.read_back(note)
                continue
            if intent is not None and intent.name == "ChangeNote":
                self.take(record, prompt="note_change", note_id=note.id)
                return
            if intent is not None and intent.name == "DiscardNote":
                self.log.update_note(note.id, status="discarded")
                self.turns.reply("note_discarded")
                return
            self.turns.keep(utterance)
            return
