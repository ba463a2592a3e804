"""Recorded voicemail messages, kept as WAV files in the data directory: several, one the default."""

from __future__ import annotations

import re
import shutil
import wave
from pathlib import Path

from ..errors import CallbotError
from ..models import Voicemail

DEFAULT = "default.txt"  # holds the default message's name


class Voicemails:
    """The rep's voicemail messages in one folder."""

    def __init__(self, directory: Path):
        self.directory = directory

    def add(self, name: str, wav: Path, *, default: bool = False) -> Voicemail:
        """Keep a WAV recording as message `name` (replacing one of that name); the first is the default."""
        if not re.fullmatch(r"[\w-]{1,40}", name):
            raise CallbotError(f"{name!r}: a message name is letters, digits, - or _ (up to 40)")
        try:
            with wave.open(str(wav), "rb") as audio:
                if audio.getnframes() == 0:
                    raise CallbotError(f"{wav} has no sound in it; record the message again")
        except (wave.Error, EOFError, OSError) as exc:
            raise CallbotError(f"{wav} is not a WAV recording callbot can play ({exc})") from None
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / f"{name}.wav"
        shutil.copyfile(wav, target)
        if default or self.default() is None:
            self.set_default(name)
        return Voicemail(name, str(target))

    def messages(self) -> list[Voicemail]:
        return [Voicemail(p.stem, str(p)) for p in sorted(self.directory.glob("*.wav"))]

    def get(self, name: str) -> Voicemail | None:
        return next((m for m in self.messages() if m.name == name), None)

    def default(self) -> Voicemail | None:
        marker = self.directory / DEFAULT
        name = marker.read_text().strip() if marker.exists() else ""
        return self.get(name) if name else None

    def set_default(self, name: str) -> None:
        if self.get(name) is None:
            known = ", ".join(m.name for m in self.messages()) or "none yet"
            raise CallbotError(f"there is no voicemail message {name!r} (messages: {known})")
        (self.directory / DEFAULT).write_text(name + "\n")
