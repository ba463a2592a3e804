"""Shared fixtures: a real call log database, the example contacts, and a text-mode session runner."""

from __future__ import annotations

import io
import itertools
import os
import re
import shutil
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from assistant.calllog.store import Store
from assistant.config import data_path, load
from assistant.console import PrintVoice, TextEar
from assistant.contacts.book import ContactBook
from assistant.contacts.importers import read_contacts
from assistant.ports import FixedClock
from assistant.session import Session, SessionSettings
from assistant.telephony.simulator import Simulator

EXAMPLE_CONTACTS = data_path("config") / "contacts.example.csv"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import corpus  # noqa: E402  (scripts/corpus.py: espeak-ng speech for the tests)

VOICE = "en-us+m1"
ROOT = Path(__file__).resolve().parent.parent


def callbot(
    env: Mapping[str, str], *args: str, stdin: str = "", check: bool = True, timeout: float = 120
) -> subprocess.CompletedProcess:
    """`callbot ARGS` in a child process, as a user runs it; `check`: it must succeed."""
    result = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=dict(env),
        timeout=timeout,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="session")
def postgres() -> Iterator[object]:
    """A real PostgreSQL server for the session (make test installs it); CI fails loudly without one."""
    from .pg import PostgresServer, binaries

    if binaries() is None:
        message = "PostgreSQL is not installed: make test installs it (apt-get install postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    server = PostgresServer()
    yield server
    server.close()


_databases = itertools.count(1)


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """The call log on each database callbot supports: a fresh one per test."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'callbot.db'}"
    else:
        url = request.getfixturevalue("postgres").database(f"callbot_{next(_databases)}")
    s = Store(url)
    yield s
    s.close()


@pytest.fixture
def book_store(store: Store) -> Store:
    """A store holding the example contacts."""
    store.import_contacts(read_contacts(EXAMPLE_CONTACTS).contacts, source="example")
    return store


# Friday 27 November 2026, 10:00 in California: inside calling hours for every example contact.
WORKDAY = FixedClock(datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("America/Los_Angeles")))


class StepClock:
    """A clock that moves a second each time it is read: distinct, ordered timestamps, no waiting."""

    def __init__(self, start: datetime):
        self._next = start

    def now(self) -> datetime:
        current, self._next = self._next, self._next + timedelta(seconds=1)
        return current


@dataclass
class TextRun:
    """What a scripted `callbot text` session printed, and the carrier it talked to."""

    output: str
    carrier: Simulator
    lines: list[str] = field(default_factory=list)

    def replies(self) -> list[str]:
        return [ln.removeprefix("callbot: ") for ln in self.output.splitlines() if ln.startswith("callbot: ")]


@pytest.fixture
def run_text(book_store: Store) -> Callable[..., TextRun]:
    """Run typed lines through the real dialog, parser, resolver, simulator and database."""
    shared = StepClock(WORKDAY.now())  # one timeline for every run in a test

    def run(
        *lines: str,
        outcomes: Mapping[str, str] | None = None,
        confirm: str = "always",
        cancel_window: float = 0,
        clock: object | None = None,
        **settings: object,
    ) -> TextRun:
        defaults = load(env={}).simulator.outcomes  # the packaged per-number outcomes
        clock = clock or shared
        book_store.now = clock.now  # type: ignore[attr-defined,union-attr]  # the log keeps the session's time
        carrier = Simulator({**defaults, **(outcomes or {})})
        out = io.StringIO()
        session = Session(
            ear=TextEar(io.StringIO("\n".join(lines) + "\n")),
            voice=PrintVoice(out, echo=True),
            telephony=carrier,
            log=book_store,
            book=ContactBook(book_store),
            settings=SessionSettings(
                rep="tester",
                confirm=confirm,
                cancel_window=cancel_window,
                poll_interval=0.01,
                review_timeout=0,
                **settings,
            ),  # type: ignore[arg-type]
            clock=clock,  # type: ignore[arg-type]
        )
        session.run()
        return TextRun(out.getvalue(), carrier, list(lines))

    return run


@pytest.fixture(scope="session")
def speak(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Say a line into a 16 kHz WAV with a room-noise floor, as a microphone would record it."""
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is missing: make test installs it (apt-get install espeak-ng)")
    folder = tmp_path_factory.mktemp("spoken")

    def say(
        text: str, voice: str = VOICE, speed: int = 155, name: str = "", snr: float | None = None
    ) -> Path:
        rng = np.random.default_rng(
            zlib.crc32(f"{text}|{voice}|{speed}|{snr}".encode())
        )  # same words, same file
        samples = corpus.mix(corpus.speak(text, voice, speed), 45, "pink", rng)
        if snr is not None:
            samples = corpus.mix(samples, snr, "white", rng)
        path = folder / f"{name or re.sub(r'[^a-z0-9]+', '-', text.lower())}.wav"
        corpus.write_wav(path, samples)
        return path

    return say
