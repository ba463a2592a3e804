"""Learning from use: a spoken command the rep confirmed ("yes") is kept as labelled speech of their voice.

ConfirmedKeeper wraps the ear. When a command is followed by a "yes" to callbot's question about it, the
command's recording and the words it was heard as are written to the rep's voice directory (confirmed/),
where `callbot enroll --refresh` adds them to the enrollment sentences. Only commands heard with a fair
confidence are kept: the "yes" vouches for the person and number, not for every word, and a sentence that
does not fit its audio is dropped by the adaptation anyway. Nothing is adapted behind the rep's back: the
recogniser changes only when they run `callbot enroll --refresh`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from ..intents import IntentParser
from ..models import AudioClip, Utterance
from ..ports import ANSWERS, Ear, Expect, Listening
from .audio import write_wav

FOLDER = "confirmed"  # under the rep's voice directory
KEEP = 300  # the most recent confirmed commands kept; older ones are removed
MIN_CONFIDENCE = 0.5  # the grammar's confidence a command needs to be kept


class ConfirmedKeeper:
    """An Ear that passes everything through and keeps the commands the rep confirmed."""

    def __init__(self, ear: Ear, folder: Path, parser: IntentParser | None = None, keep: int = KEEP):
        self.ear = ear
        self.folder = folder
        self.parser = parser  # made on the first answer to read, not at start-up
        self.keep = keep
        self._pending: tuple[AudioClip, str] | None = None

    def listen(self, expect: Expect, timeout: float | None = None) -> Utterance | None:
        heard = self.ear.listen(expect, timeout)
        if expect.mode == Listening.COMMAND:
            self._pending = _labelled(heard)
        elif self._pending is not None and heard is not None:
            answer = self._answer(heard.text)
            if answer == "Yes":  # "Call Jane Smith on mobile?" or "Did you mean Jane Smith?": yes
                self._write(*self._pending)
                self._pending = None
            elif expect.mode not in (Listening.CHOICE, Listening.NAME) or answer is not None:
                self._pending = None  # no, cancel, a correction, or the dialog moved on
            # else: a pick from "which one?" ("the second one"): the command stays open for its "yes"
        return heard

    def _answer(self, text: str) -> str | None:
        """Yes, No, Cancel or Correct, if the answer is one of them."""
        self.parser = self.parser or IntentParser()
        intent = self.parser.parse(text, allowed=ANSWERS[Listening.CONFIRM])
        return intent.name if intent is not None else None

    def _write(self, audio: AudioClip, text: str) -> None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        write_wav(self.folder / f"{stamp}.wav", audio)
        (self.folder / f"{stamp}.txt").write_text(text + "\n")
        for old in sorted(self.folder.glob("*.wav"))[: -self.keep]:
            old.unlink()
            old.with_suffix(".txt").unlink(missing_ok=True)


def _labelled(heard: Utterance | None) -> tuple[AudioClip, str] | None:
    """A heard command's recording and words, if it has both and was heard fairly surely."""
    if heard is None or heard.audio is None or heard.transcript is None or not heard.text.strip():
        return None
    if (heard.transcript.confidence or 0.0) < MIN_CONFIDENCE:
        return None
    return heard.audio, heard.text
