"""Killed between "note heard" and "saved": on restart the note is found and saved, and no call repeats."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.calllog.store import Store
from assistant.contacts.importers import read_contacts

from ..conftest import EXAMPLE_CONTACTS

RUN = Path(__file__).with_name("crash_run.py")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def note_wav(speak) -> Path:
    return speak("send the contract and follow up next tuesday", voice="en-gb", speed=150)


def run(url: str, notes: Path, note: Path, step: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(RUN), url, str(notes), str(note), step],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize("step", ["kept", "pending", "transcribed", "saved"])
def test_sigkill_at_each_step_loses_nothing(step: str, store: Store, note_wav: Path, tmp_path: Path):
    store.import_contacts(read_contacts(EXAMPLE_CONTACTS).contacts, "example")
    notes = tmp_path / "notes"
    killed = run(store.url, notes, note_wav, step)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    restarted = run(store.url, notes, note_wav, "restart")
    assert restarted.returncode == 0, restarted.stderr
    [call] = store.recent_calls()
    assert call.contact_name == "Jane Doe" and call.provider_call_id  # the call itself, once
    assert "PLACED 0" in restarted.stdout  # the restart placed no call
    [note] = store.notes()
    assert note.status == "saved" and note.text == "send the contract and follow up next tuesday"
    assert note.call_id == call.id and Path(note.audio_path).exists()
    if step != "saved":
        assert "never saved. Transcribing them now." in restarted.stdout  # offered back to the rep
        assert 'Saved: "send the contract and follow up next tuesday"' in restarted.stdout


def test_a_call_the_carrier_never_confirmed_is_not_placed_again(store: Store):
    from datetime import UTC, datetime, timedelta

    from assistant.models import CallRequest, CallStatus

    store.import_contacts(read_contacts(EXAMPLE_CONTACTS).contacts, "example")
    store.now = lambda: datetime(2026, 11, 27, 17, 50, tzinfo=UTC)  # type: ignore[method-assign]
    request = CallRequest(to="+14155550101", contact_name="Jane Doe", rep="tester")
    store.begin_call(
        request, provider="simulator"
    )  # written, then the process died before the carrier answered
    store.now = lambda: datetime(2026, 11, 27, 18, 0, tzinfo=UTC) + timedelta(seconds=1)  # type: ignore[method-assign]
    restarted = run(store.url, Path("/nonexistent-notes"), Path("/dev/null"), "restart")
    assert "it was not placed again" in restarted.stdout and "PLACED 0" in restarted.stdout
    call = store.call(request.key)
    assert call.status == CallStatus.FAILED and "not placed again" in call.reason
