"""The keyboard front end: an ear that reads typed lines and a voice that prints replies."""

from __future__ import annotations

import os
import select
import sys
from typing import TextIO

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
