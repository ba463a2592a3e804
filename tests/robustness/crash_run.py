"""A callbot session killed (SIGKILL) at one step between "note heard" and "saved" (test_crash.py runs it).

python crash_run.py DATABASE_URL NOTES_DIR NOTE_WAV STEP
STEP: where to die (kept | pending | transcribed | saved), or restart
"""

from __future__ import annotations

import io
import os
import signal
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from assistant.calllog.store import Store
from assistant.console import PrintVoice
from assistant.contacts.book import ContactBook
from assistant.models import AudioClip, Transcript, Utterance
from assistant.ports import EndOfInput, Expect, FixedClock, Listening
from assistant.session import Session, SessionSettings
from assistant.speech.audio import NoteArchive, read_audio
from assistant.telephony.simulator import Simulator

NOTE_TEXT = "send the contract and follow up next tuesday"
CLOCK = FixedClock(datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("America/Los_Angeles")))


def die(step: str, at: str) -> None:
    if step == at:
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)


class Ear:
    """The rep's side: two typed commands, then the spoken note (a real recording)."""

    def __init__(self, lines: list[str], note: str):
        self.lines, self.note = lines, note

    def listen(self, expect: Expect, timeout: float | None = None) -> Utterance | None:
        if expect.mode == Listening.NOTE:
            return Utterance(audio=read_audio(Path(self.note)))
        if not self.lines:
            raise EndOfInput
        return Utterance(Transcript(self.lines.pop(0), confidence=1.0))


class Transcriber:
    """Stands in for Whisper at the port: it checks it got the whole recording, and gives its words."""

    def __init__(self, expected: AudioClip | None, step: str):
        self.expected, self.step = expected, step

    def transcribe(self, audio: AudioClip) -> Transcript:
        assert self.expected is None or audio.pcm == self.expected.pcm, "the recording changed on its way"
        die(self.step, "transcribed")
        return Transcript(NOTE_TEXT, engine="test")


def main(url: str, notes_dir: str, note_wav: str, step: str, lines: list[str]) -> None:
    store = Store(url, clock=CLOCK.now)
    archive = NoteArchive(Path(notes_dir))
    keep, add_note, update_note = archive.keep, store.add_note, store.update_note

    def keep_then_die(audio, call_id):  # type: ignore[no-untyped-def]
        path = keep(audio, call_id)
        die(step, "kept")
        return path

    def add_then_die(**kw):  # type: ignore[no-untyped-def]
        note_id = add_note(**kw)
        if kw.get("status") == "pending":
            die(step, "pending")
        return note_id

    def update_then_die(note_id, **kw):  # type: ignore[no-untyped-def]
        update_note(note_id, **kw)
        if kw.get("status") == "saved":
            die(step, "saved")

    archive.keep = keep_then_die  # type: ignore[method-assign]
    store.add_note = add_then_die  # type: ignore[method-assign]
    store.update_note = update_then_die  # type: ignore[method-assign]
    carrier = Simulator()
    out = io.StringIO()
    Session(
        ear=Ear(lines, note_wav),
        voice=PrintVoice(out),
        telephony=carrier,
        log=store,
        book=ContactBook(store),
        settings=SessionSettings(
            rep="tester", confirm="always", cancel_window=0, poll_interval=0.01, review_timeout=0
        ),
        transcriber=Transcriber(read_audio(Path(note_wav)) if Path(note_wav).is_file() else None, step),
        archive=archive,
        clock=CLOCK,
    ).run()
    print(out.getvalue())
    print(f"PLACED {len(carrier.placed)}")


if __name__ == "__main__":
    lines = ["call jane doe", "yes"] if sys.argv[4] != "restart" else []
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], lines)
