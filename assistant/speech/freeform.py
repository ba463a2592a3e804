"""A free-form engine (Whisper) for commands, prompted with the contact names it should expect: alone
(FreeFormCommands), or as the second engine that checks the grammar's reading (speech/checked.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from ..models import AudioClip, Transcript
from ..ports import Expect
from .commands import Book


class Transcribing(Protocol):
    name: str

    def transcribe(
        self, audio: AudioClip, prompt: str = "", hotwords: str = "", *, quick: bool = False
    ) -> Transcript:
        """`quick`: a short command, wanted now (an engine with a faster path for those takes it)."""
        ...


def names_prompt(book: Book, expect: Expect) -> str:
    """The names Whisper should expect, as a prompt. Not as hotwords too: tiny models recite them back.
    (Adding the configured topics changed which names it heard: a wrong dial on the dev corpus.)"""
    people = expect.choices or tuple(book.contacts()[:200])
    names = ", ".join(c.name for c in people)
    return f"Call {names}." if names else ""


class _Deferred:
    """A free-form engine hears the whole recording at the end."""

    def __init__(self, transcribe: Callable[[AudioClip], Transcript]):
        self._transcribe = transcribe
        self.compute = 0.0

    def feed(self, pcm: bytes) -> None:
        pass

    def finish(self, audio: AudioClip) -> Transcript:
        started = time.perf_counter()
        try:
            return self._transcribe(audio)
        finally:
            self.compute += time.perf_counter() - started


class FreeFormCommands:
    """Commands by a free-form engine, prompted with the contact names it should expect."""

    def __init__(self, transcriber: Transcribing, book: Book):
        self.transcriber = transcriber
        self.name = transcriber.name
        self.book = book

    def start(self, expect: Expect, *, wake: bool = False) -> _Deferred:
        said = names_prompt(self.book, expect)
        return _Deferred(lambda audio: self.transcriber.transcribe(audio, prompt=said, quick=True))

    def recognize(self, audio: AudioClip, expect: Expect, *, wake: bool = False) -> Transcript:
        return self.start(expect, wake=wake).finish(audio)
