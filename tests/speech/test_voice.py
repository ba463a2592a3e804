"""Speech out (pyttsx3 in one long-lived worker) and audio devices."""

from __future__ import annotations

import io
import threading

import pytest

from assistant.console import PrintVoice
from assistant.errors import CallbotError
from assistant.speech.voice import SpokenVoice, has_audio_output


def test_repeated_prompts_never_hang():
    out = io.StringIO()
    voice = SpokenVoice(PrintVoice(out), rate=400)
    finished = threading.Event()

    def talk() -> None:
        for i in range(5):
            voice.say(f"prompt number {i}")
        finished.set()

    threading.Thread(target=talk, daemon=True).start()
    assert finished.wait(timeout=120), "say() hung"
    assert out.getvalue().count("callbot: Prompt number") == 5  # every prompt is printed as well
    voice.close()


def test_no_audio_device_means_printing(monkeypatch):
    from pathlib import Path

    monkeypatch.delenv("PULSE_SERVER", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/nonexistent")
    real_read = Path.read_text

    def cards(self: Path, *a, **k) -> str:
        if str(self) == "/proc/asound/cards":
            return "--- no soundcards ---\n"
        return real_read(self, *a, **k)

    monkeypatch.setattr(Path, "read_text", cards)
    assert has_audio_output() is False


def test_no_microphone_is_a_clear_error_not_a_traceback():
    from assistant.speech.audio import MicrophoneSource

    with pytest.raises(CallbotError) as info:
        MicrophoneSource()
    message = str(info.value)
    assert "callbot[mic]" in message or "no microphone" in message
