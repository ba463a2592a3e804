"""Spoken notes: the recording is kept before transcription, a failure leaves it pending, and retry works."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from assistant.console import PrintVoice
from assistant.contacts.book import ContactBook
from assistant.errors import TranscriptionFailed
from assistant.models import AudioClip, Transcript, Utterance
from assistant.ports import EndOfInput, Expect, Listening
from assistant.session import Session, SessionSettings
from assistant.speech.audio import NoteArchive, read_audio
from assistant.telephony.simulator import Simulator

from ..conftest import WORKDAY


class ScriptedEar:
    """Typed commands, and real audio when a note is asked for (a fake at the ear port)."""

    def __init__(self, lines: list[str], note: Path):
        self.lines = list(lines)
        self.note = note

    def listen(self, expect: Expect, timeout: float | None = None) -> Utterance | None:
        if expect.mode == Listening.NOTE:
            return Utterance(audio=read_audio(self.note))
        if not self.lines:
            raise EndOfInput
        return Utterance(Transcript(self.lines.pop(0), confidence=1.0))


class BrokenTranscriber:
    def transcribe(self, audio: AudioClip) -> Transcript:
        raise TranscriptionFailed("the model file is damaged")


def run(store, ear, transcriber, tmp_path: Path) -> str:
    out = io.StringIO()
    Session(
        ear=ear,
        voice=PrintVoice(out),
        telephony=Simulator(),
        log=store,
        book=ContactBook(store),
        clock=WORKDAY,
        settings=SessionSettings(rep="tester", confirm="always", cancel_window=0, poll_interval=0.01),
        transcriber=transcriber,
        archive=NoteArchive(tmp_path / "notes"),
    ).run()
    return out.getvalue()


def test_failed_transcription_keeps_the_recording_and_retry_saves_it(
    book_store, speak, tmp_path, monkeypatch
):
    note_wav = speak("send the contract and follow up next tuesday", voice="en-gb", speed=150)
    output = run(book_store, ScriptedEar(["call jane doe", "yes"], note_wav), BrokenTranscriber(), tmp_path)
    assert "I kept your note's recording but couldn't transcribe it (the model file is damaged)" in output
    [pending] = book_store.notes(status="pending")
    assert pending.text == "" and Path(pending.audio_path).exists()
    assert read_audio(Path(pending.audio_path)).pcm == read_audio(note_wav).pcm  # the very words, kept

    from typer.testing import CliRunner

    from assistant.cli import app

    monkeypatch.setenv("CALLBOT_DATABASE_URL", book_store.url)
    monkeypatch.setenv("CALLBOT_DATA_DIR", str(tmp_path))
    (tmp_path / "empty.toml").write_text("")
    monkeypatch.setenv("CALLBOT_CONFIG", str(tmp_path / "empty.toml"))
    result = CliRunner().invoke(app, ["notes", "retry"])
    assert result.exit_code == 0, result.output
    assert "1 of 1 pending notes transcribed." in result.output
    [saved] = book_store.notes(status="saved")
    assert saved.id == pending.id and "contract" in saved.text.lower() and saved.followup is not None
    assert book_store.notes(status="pending") == []


def test_whisper_model_from_a_path_and_a_clear_error_for_a_missing_one(speak, tmp_path):
    from assistant.speech.whisper import WhisperTranscriber, default_model_path

    clip = read_audio(speak("send the contract today", voice="en-gb", speed=150))
    by_path = WhisperTranscriber(default_model_path())
    assert "contract" in by_path.transcribe(clip).text.lower()
    missing = WhisperTranscriber(str(tmp_path / "no-such-model"))
    with pytest.raises(TranscriptionFailed, match="could not be loaded"):
        missing.transcribe(clip)


def test_a_quick_transcription_hears_a_command_as_the_full_one_does(speak):
    """Commands take the short-window path (a 10 s window, not 30 s); a long clip still takes the full one."""
    from assistant.speech.whisper import QUICK_MAX_S, WhisperTranscriber

    whisper = WhisperTranscriber()
    clip = read_audio(speak("call siobhan nguyen about the shipment", voice="en-us+m1", speed=155))
    prompt = "Call Jane Doe, Siobhan Nguyen, Robert Martinez."
    quick = whisper.transcribe(clip, prompt=prompt, quick=True)
    full = whisper.transcribe(clip, prompt=prompt)
    assert "siobhan nguyen" in quick.text.lower() and "shipment" in quick.text.lower()
    assert quick.text == full.text
    assert quick.confidence is not None and 0.0 < quick.confidence <= 1.0
    assert quick.text not in quick.alternatives  # the beam's runners-up, for the command check
    silence = AudioClip(b"\x00\x00" * int(16000 * (QUICK_MAX_S + 1)))
    calls = []
    model = whisper._get()
    original = model.transcribe
    model.transcribe = lambda *a, **k: calls.append(k) or original(*a, **k)
    try:
        whisper.transcribe(silence, quick=True)
    finally:
        model.transcribe = original
    assert len(calls) == 1  # too long for the quick path: faster-whisper's own 30 s windows


def test_a_note_whisper_would_say_over_and_over_is_bounded(speak):
    """Whisper's known failure, one phrase over and over (this recording once gave "I didn't want to say that"
    for a whole window), is cut short; a long clip with a long prompt still fits Whisper's context."""
    from assistant.speech.whisper import MAX_TOKENS_PER_S, WhisperTranscriber

    whisper = WhisperTranscriber()
    said = "the invoice was paid, no follow up needed"
    clip = read_audio(speak(said, voice="en-gb-x-gbclan+f3", speed=170))
    for _ in range(3):  # the warmer retry samples: every reading is bounded
        words = whisper.transcribe(clip).text.split()
        assert 0 < len(words) <= MAX_TOKENS_PER_S * clip.seconds
    long_clip = AudioClip(clip.pcm * 11)  # over 30 s: faster-whisper's own windows, the budget at its cap
    names = ", ".join(f"Name{i} Surname{i}" for i in range(200))
    heard = whisper.transcribe(long_clip, prompt=f"Call {names}.")
    assert len(heard.text.split()) <= MAX_TOKENS_PER_S * long_clip.seconds


def test_sphinx_dictation_is_the_fallback_for_notes(speak):
    from assistant.speech.sphinx import SphinxDictation

    text = SphinxDictation().transcribe(
        read_audio(speak("please send the contract today", voice="en-us+klatt2"))
    )
    assert text.engine == "sphinx-dictation" and "contract" in text.text


def test_without_the_whisper_extra_notes_fall_back_to_pocketsphinx_and_say_so(monkeypatch, tmp_path: Path):
    import importlib.util

    from assistant.cli import Runtime
    from assistant.speech.sphinx import SphinxDictation

    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "faster_whisper" else real_find_spec(name, *a),
    )
    monkeypatch.setenv("CALLBOT_DATA_DIR", str(tmp_path))
    said: list[str] = []
    transcriber = Runtime(None, None).note_transcriber(said.append)
    assert isinstance(transcriber, SphinxDictation)
    assert "pip install" in said[0] and "pocketsphinx instead" in said[0]
