"""Faults at the real boundaries: a locked SQLite file, PostgreSQL restarting, a microphone going away."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
import speech_recognition as sr
from sqlalchemy import event

from assistant.calllog.store import Store
from assistant.errors import SpeechError, StoreError
from assistant.models import CallRequest, CallStatus


class Locker:
    """Another program holding the SQLite log's write lock (a backup, a second callbot, a DB browser)."""

    def __init__(self, path: Path):
        self.path = path
        self.held, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=self._hold)

    def _hold(self) -> None:
        other = sqlite3.connect(self.path)
        other.execute("BEGIN EXCLUSIVE")
        self.held.set()
        self.release.wait(10)
        other.rollback()
        other.close()

    def __enter__(self) -> Locker:
        self.thread.start()
        assert self.held.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.thread.join(5)


def impatient(store: Store) -> list[str]:
    """SQLite gives up on a lock after 50 ms instead of 15 s, so "database is locked" reaches the store
    at once (as it does after the full wait); returns the errors the database raised, as they come."""
    errors: list[str] = []

    @event.listens_for(store.engine, "connect")
    def _short_wait(dbapi_conn, _):
        dbapi_conn.execute("PRAGMA busy_timeout=50")

    event.listen(store.engine, "handle_error", lambda ctx: errors.append(str(ctx.original_exception)))
    store.engine.dispose()  # connections opened from now on wait 50 ms
    return errors


def test_a_briefly_locked_sqlite_log_is_written_again_and_loses_nothing(tmp_path: Path):
    path = tmp_path / "callbot.db"
    store = Store(f"sqlite:///{path}")
    errors = impatient(store)
    request = CallRequest(to="+14155550101", contact_name="Jane Doe", rep="ann")
    with Locker(path) as lock:
        # the lock goes away while the store waits to run its transaction again
        threading.Timer(0.3, lock.release.set).start()
        store.begin_call(request, provider="simulator")
    assert errors and all("locked" in e for e in errors)  # the write met the lock, and was run again
    note_id = store.add_note(call_id=request.key, rep="ann", text="kept despite the lock")
    assert store.call(request.key).status == CallStatus.PENDING
    assert store.note(note_id).text == "kept despite the lock"
    store.close()


def test_a_log_that_stays_locked_is_a_clear_error_that_says_what_to_do(tmp_path: Path):
    path = tmp_path / "callbot.db"
    store = Store(f"sqlite:///{path}")
    errors = impatient(store)
    request = CallRequest(to="+14155550101", contact_name="Jane Doe", rep="ann")
    with Locker(path), pytest.raises(StoreError, match="is locked by another program") as raised:
        store.begin_call(request, provider="simulator")
    assert "try again" in str(raised.value) and len(errors) == 5  # five attempts, then the error
    assert store.call(request.key) is None
    store.close()


def test_postgresql_restarting_mid_session_loses_nothing(postgres):
    """The server restarts between two commands of one session: the session goes on, nothing is lost."""
    import io

    from assistant.console import PrintVoice
    from assistant.contacts.book import ContactBook
    from assistant.contacts.importers import read_contacts
    from assistant.models import Transcript, Utterance
    from assistant.ports import EndOfInput
    from assistant.session import Session, SessionSettings
    from assistant.telephony.simulator import Simulator

    from ..conftest import EXAMPLE_CONTACTS, WORKDAY

    store = Store(postgres.database("restart"), clock=WORKDAY.now)
    store.import_contacts(read_contacts(EXAMPLE_CONTACTS).contacts, "example")
    lines = ["call jane doe", "yes", "quote by friday", "RESTART", "call kelly chen", "yes"]

    class Ear:
        def listen(self, expect, timeout=None):
            if not lines:
                raise EndOfInput
            line = lines.pop(0)
            if line == "RESTART":
                postgres.restart()  # every open connection is dropped, as a server restart does
                line = lines.pop(0)
            return Utterance(Transcript(line, confidence=1.0))

    out = io.StringIO()
    Session(
        ear=Ear(),
        voice=PrintVoice(out),
        telephony=Simulator(),
        log=store,
        book=ContactBook(store),
        settings=SessionSettings(
            rep="tester", confirm="always", cancel_window=0, poll_interval=0.01, review_timeout=0
        ),
        clock=WORKDAY,
    ).run()
    assert "Calling Kelly Chen" in out.getvalue()
    calls = {c.contact_name: c for c in store.recent_calls()}
    assert calls["Jane Doe"].notes[0].text == "quote by friday"
    assert calls["Kelly Chen"].status.is_final and calls["Kelly Chen"].provider_call_id
    store.close()


class LostDevice(sr.AudioSource):
    """A microphone stream that delivers one chunk of a phrase and then fails, as an unplugged device does."""

    CHUNK = 1024
    SAMPLE_RATE = 16000
    SAMPLE_WIDTH = 2

    def __init__(self) -> None:
        self.stream = self
        self.reads = 0

    def read(self, size: int) -> bytes:
        self.reads += 1
        if self.reads > 8:  # a second or so into the phrase
            raise OSError(-9988, "Stream closed")
        return (b"\x00\x40" * size) if self.reads > 2 else b"\x00\x00" * size


def test_microphone_lost_mid_utterance_is_a_clear_error():
    from assistant.speech.audio import MicrophoneSource

    source = MicrophoneSource.__new__(MicrophoneSource)
    source.recognizer = sr.Recognizer()
    source.recognizer.energy_threshold = 10
    source._stream = LostDevice()
    with pytest.raises(SpeechError, match="the microphone stopped working"):
        source.capture(timeout=2, phrase_limit=10)


def test_callbot_listen_without_a_microphone_says_what_to_do(tmp_path: Path):
    import os

    from ..conftest import callbot

    (tmp_path / "empty.toml").write_text("")
    env = {**os.environ, "CALLBOT_CONFIG": str(tmp_path / "empty.toml"), "CALLBOT_DATA_DIR": str(tmp_path)}
    result = callbot(env, "listen", "--quiet", check=False)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "callbot[mic]" in result.stderr or "no microphone" in result.stderr
