"""Speech out (pyttsx3 in one long-lived worker) and audio devices."""

from __future__ import annotations

import io
import sys
import threading

import pytest

from assistant.console import PrintVoice
from assistant.errors import CallbotError, MissingExtra
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


def test_a_microphone_that_is_not_there_is_a_clear_error_not_a_traceback():
    """Asked for a device this machine does not have, whatever it has plugged in (and with or without
    PyAudio): a clear error saying what to do."""
    from assistant.speech.audio import MicrophoneSource

    with pytest.raises(CallbotError) as info:
        MicrophoneSource(device_index=10_000)
    message = str(info.value)
    assert "callbot[mic]" in message or "no microphone could be opened" in message


def test_without_pyaudio_the_mic_extra_is_named(monkeypatch):
    from assistant.speech.audio import MicrophoneSource

    monkeypatch.setitem(sys.modules, "pyaudio", None)  # `import pyaudio` fails, as without the mic extra
    with pytest.raises(MissingExtra, match=r"pip install 'callbot\[mic\]'"):
        MicrophoneSource()
