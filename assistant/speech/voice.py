"""Replies spoken through pyttsx3 (espeak-ng on Linux) from one long-lived worker thread.

pyttsx3's runAndWait can hang when an engine is made or driven from several places; here a single thread
owns the one engine for the whole session, and every prompt has a deadline, so a stuck speech driver can
cost a prompt its sound but never the dialog its turn.
"""

from __future__ import annotations

import os
import queue
import threading
from pathlib import Path
from typing import Protocol


class Printer(Protocol):
    def say(self, text: str) -> None: ...

    def status(self, state: str, detail: str = "") -> None: ...


def has_audio_output() -> bool:
    """Whether this machine has somewhere to play sound (a sound card or a sound server)."""
    if os.name != "posix" or not Path("/proc").exists():
        return True  # macOS and Windows always have an output device
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if os.environ.get("PULSE_SERVER") or (runtime and (Path(runtime) / "pulse" / "native").exists()):
        return True
    try:
        cards = Path("/proc/asound/cards").read_text()
    except OSError:
        return False
    return "no soundcards" not in cards and bool(cards.strip())


class SpokenVoice:
    """Speaks each reply (and prints it through `printer`); `say` returns when it has been said."""

    def __init__(self, printer: Printer, *, rate: int = 180, voice: str = ""):
        self.printer = printer
        self.rate = rate
        self.voice = voice
        self._queue: queue.Queue[tuple[str, threading.Event] | None] = queue.Queue()
        self._ready = threading.Event()
        self.error: str = ""
        self._thread = threading.Thread(target=self._run, name="tts", daemon=True)
        self._thread.start()
        self._ready.wait(timeout=10)

    def _run(self) -> None:
        try:
            import pyttsx3

            engine = pyttsx3.init()
            engine.setProperty("rate", self.rate)
            if self.voice:
                engine.setProperty("voice", self.voice)
        except Exception as exc:  # pyttsx3 drivers raise whatever their platform raises
            self.error = f"speech output is unavailable ({exc}); replies are printed only"
            self._ready.set()
            return
        self._ready.set()
        while (item := self._queue.get()) is not None:
            text, done = item
            try:
                engine.say(text)
                engine.runAndWait()
            except Exception as exc:  # a driver failure mid-session: keep printing
                self.error = f"speech output failed ({exc}); replies are printed only"
            finally:
                done.set()

    def say(self, text: str) -> None:
        self.printer.say(text)
        if self.error or not self._thread.is_alive():
            return
        done = threading.Event()
        self._queue.put((text, done))
        if not done.wait(timeout=5 + len(text) / 8):  # about 8 characters a second, and then some
            self.error = "speech output stopped responding; replies are printed only"

    def status(self, state: str, detail: str = "") -> None:
        self.printer.status(state, detail)

    def close(self) -> None:
        self._queue.put(None)
