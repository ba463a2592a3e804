"""The keyboard front end: an ear that reads typed lines and a voice that prints replies."""

from __future__ import annotations

import os
import select
import sys
import threading
import time
from typing import Any, ClassVar, TextIO

from .models import Transcript, Utterance
from .ports import EndOfInput, Expect


class TextEar:
    """One typed line per utterance, from a terminal or a pipe; EndOfInput at end of file."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stdin

    def listen(self, expect: Expect, timeout: float | None = None) -> Utterance | None:
        if timeout is not None and not self._ready(timeout):
            return None
        line = self.stream.readline()
        if not line:
            raise EndOfInput
        return Utterance(Transcript(line.strip(), confidence=1.0), source="text")

    def _ready(self, timeout: float) -> bool:
        """Whether a line can be read within `timeout` (a pipe with data or at EOF is always ready)."""
        try:
            fd = self.stream.fileno()
        except (AttributeError, OSError, ValueError):
            return True  # an in-memory stream: its lines are all there
        if os.name == "nt":
            return True
        ready, _, _ = select.select([fd], [], [], timeout)
        return bool(ready)


class PrintVoice:
    """Replies printed as 'callbot: ...'; call progress continues on one line: 'Calling Jane... ringing...'.

    With `echo`, what was heard is printed too ('you: ...'), so a piped session reads as a transcript.
    """

    def __init__(self, stream: TextIO | None = None, prefix: str = "callbot: ", echo: bool = False):
        self.stream = stream or sys.stdout
        self.prefix = prefix
        self.echo = echo
        self._open = False  # a progress line is waiting for its end

    def say(self, text: str) -> None:
        if self._open:
            self.stream.write(" " + text + "\n")
            self._open = False
        else:
            self.stream.write(self.prefix + text[:1].upper() + text[1:] + "\n")
        self.stream.flush()

    def status(self, state: str, detail: str = "") -> None:
        """Call progress continues one line; other states (listening, thinking) are for the live display."""
        if state == "heard" and self.echo:
            self._close()
            self.stream.write(f"you: {detail}\n")
            self.stream.flush()
        if state not in CALL_PROGRESS:
            return
        if self._open:
            self.stream.write(" " + detail + "...")
        else:
            self.stream.write(self.prefix + detail + "...")
            self._open = True
        self.stream.flush()

    def _close(self) -> None:
        if self._open:
            self.stream.write("\n")
            self._open = False


CALL_PROGRESS = ("calling", "ringing-agent", "ringing", "connected")


class TerminalDisplay(PrintVoice):
    """PrintVoice plus, on a terminal, one live status line: listening, thinking, ringing, connected mm:ss."""

    EAR: ClassVar[dict[str, str]] = {
        "listening": "listening",
        "thinking": "thinking",
        "wake": "yes? listening",
    }

    def __init__(self, stream: TextIO | None = None, echo: bool = True):
        super().__init__(stream, echo=echo)
        from rich.console import Console

        self.console = Console(file=self.stream, highlight=False)
        self.live = self.console.is_terminal
        self._spinner: Any = None
        self._ear: str | None = None
        self._call: str | None = None
        self._connected_at = 0.0
        self._lock = threading.Lock()

    def say(self, text: str) -> None:
        with self._lock:
            self._ear = None
            self._render()
        super().say(text)

    def status(self, state: str, detail: str = "") -> None:
        with self._lock:
            if state in self.EAR:
                self._ear = state
            elif state == "heard":
                self._ear = None
            elif state in ("calling", "ringing", "ringing-agent"):
                self._call = "calling" if state == "calling" else "ringing"
            elif state == "connected":
                self._call, self._connected_at = "connected", time.monotonic()
                threading.Thread(target=self._tick, name="call-timer", daemon=True).start()
            elif state == "ended":
                self._call = None
            self._render()
        super().status(state, detail)

    def _text(self) -> str:
        parts = []
        if self._call == "connected":
            elapsed = int(time.monotonic() - self._connected_at)
            parts.append(f"connected {elapsed // 60:02d}:{elapsed % 60:02d}")
        elif self._call:
            parts.append(self._call)
        if self._ear:
            parts.append(self.EAR[self._ear])
        return " · ".join(parts)

    def _render(self) -> None:
        if not self.live:
            return
        text = self._text()
        if not text:
            if self._spinner is not None:
                self._spinner.stop()
                self._spinner = None
            return
        if self._spinner is None:
            self._spinner = self.console.status(f"[dim]{text}[/]")
            self._spinner.start()
        else:
            self._spinner.update(f"[dim]{text}[/]")

    def _tick(self) -> None:
        while self._call == "connected":
            with self._lock:
                self._render()
            time.sleep(1)
