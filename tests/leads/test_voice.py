"""A list worked by voice: bundled recordings (espeak-ng, with room noise) through the real recogniser,
parser, call flow, notes and database, as `callbot leads work NAME --audio DIR` runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.calllog.store import Store

from ..conftest import callbot
from .test_resume import DATA, env_for


def test_a_list_worked_by_voice(tmp_path: Path, speak):
    said = [
        "call this one",
        "meeting booked",
        "she wants the pricing sheet by monday",
        "skip this one",
        "stop the list",
    ]
    audio = tmp_path / "audio"
    audio.mkdir()
    for i, line in enumerate(said, start=1):
        shutil.copy(speak(line), audio / f"{i:02d}.wav")
    env = env_for(tmp_path)
    callbot(env, "leads", "import", str(DATA / "hubspot-contacts.csv"), "--list", "Acme")
    run = callbot(env, "leads", "work", "Acme", "--audio", str(audio), "--quiet", "--page", timeout=300)
    assert "The live page: http://127.0.0.1:" in run.stdout  # served beside the voice, its buttons too
    assert "Priya Shah, VP Operations at Acme, 11:00 in Denver." in run.stdout
    assert "Logged meeting booked for Priya Shah." in run.stdout
    assert "Skipped Marcus Lee." in run.stdout
    assert "Stopped. 2 leads still waiting on the Acme list." in run.stdout
    store = Store(f"sqlite:///{tmp_path / 'data' / 'callbot.db'}")
    leads = {lead.name: lead for lead in store.leads("Acme")}
    assert (leads["Priya Shah"].status, leads["Priya Shah"].last_outcome) == ("done", "meeting booked")
    assert leads["Marcus Lee"].status == "skipped"
    [call] = store.recent_calls()
    [note] = call.notes
    assert note.status == "saved" and "pricing sheet" in note.text.lower() and Path(note.audio_path).exists()
    store.close()
