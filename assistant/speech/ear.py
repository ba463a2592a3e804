"""The voice ear: captures a phrase, recognises it for the current listening state, hands it to the dialog.

Modes: push-to-talk (a key before each command; answers to callbot's own questions need no key) and wake
(always listening; a command starts with the wake phrase, "callbot" by default). Notes come back as audio,
so the dialog can keep the recording before anything tries to transcribe it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Protocol

from ..contacts.names import fold
from ..models import AudioClip, Transcript, Utterance
from ..ports import EndOfInput, Expect, Listening
from .audio import AudioSource, EndOfAudio


class CommandStream(Protocol):
    def feed(self, pcm: bytes) -> None: ...

    def finish(self, audio: AudioClip) -> Transcript: ...


class CommandRecognizer(Protocol):
    name: str

    def start(self, expect: Expect, *, wake: bool = False) -> CommandStream: ...


class VoiceEar:
    def __init__(
        self,
        source: AudioSource,
        commands: CommandRecognizer,
        *,
        mode: str = "push-to-talk",
        wake_phrase: str = "callbot",
        listen_timeout: float = 8.0,
        phrase_limit: float = 10.0,
        note_limit: float = 60.0,
        wait_for_key: Callable[[], None] | None = None,
        status: Callable[[str, str], None] | None = None,
    ):
        self.source = source
        self.commands = commands
        self.mode = mode
        self.wake_phrase = fold(wake_phrase)
        self.listen_timeout = listen_timeout
        self.phrase_limit = phrase_limit
        self.note_limit = note_limit
        self.wait_for_key = wait_for_key
        self.status = status or (lambda state, detail: None)

    def listen(self, expect: Expect, timeout: float | None = None) -> Utterance | None:
        if expect.mode == Listening.NOTE:
            self.status("listening", "the note")
            clip = self._capture(timeout if timeout is not None else self.listen_timeout, self.note_limit)
            return None if clip is None else Utterance(audio=clip, source=self.source.name)
        if expect.mode == Listening.COMMAND and self.mode == "wake":
            return self._after_wake_phrase(expect)
        if expect.mode == Listening.COMMAND and self.wait_for_key is not None:
            self.wait_for_key()
        return self._hear_once(expect, timeout if timeout is not None else self.listen_timeout)

    def _capture(self, timeout: float | None, limit: float, on_chunk: Any = None) -> AudioClip | None:
        try:
            return self.source.capture(timeout, limit, on_chunk)
        except EndOfAudio:
            raise EndOfInput from None

    def _hear_once(self, expect: Expect, timeout: float | None, wake: bool = False) -> Utterance | None:
        """One phrase, decoded while it is spoken."""
        self.status("listening", "")
        stream = self.commands.start(expect, wake=wake)
        clip = None
        try:
            clip = self._capture(timeout, self.phrase_limit, stream.feed)
        finally:
            if clip is None:  # silence, the end of input, or an error: the stream still has to close
                stream.finish(AudioClip(b""))
        if clip is None:
            return None
        self.status("thinking", "")
        transcript = stream.finish(clip)
        return Utterance(transcript, audio=clip, source=self.source.name)

    def _after_wake_phrase(self, expect: Expect) -> Utterance | None:
        """Wait for a phrase starting with the wake phrase; its rest (or the next phrase) is the command."""
        while True:
            heard = self._hear_once(expect, None, wake=True)
            if heard is None or heard.transcript is None:
                continue
            words = heard.transcript.text.split()
            wake_words = self.wake_phrase.split()
            if words[: len(wake_words)] != wake_words or (heard.transcript.confidence or 0) < 0.5:
                continue  # talk not meant for callbot
            rest = " ".join(words[len(wake_words) :])
            if rest:
                t = heard.transcript
                alternatives = tuple(" ".join(a.split()[len(wake_words) :]) for a in t.alternatives)
                return Utterance(replace(t, text=rest, alternatives=alternatives), heard.audio, heard.source)
            self.status("wake", self.wake_phrase)
            return self._hear_once(expect, self.listen_timeout)
