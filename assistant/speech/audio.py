"""Sound in through speechrecognition: a microphone, a file, or a directory of files (scripted sessions)."""

from __future__ import annotations

import warnings
import wave
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import speech_recognition as sr

from ..errors import MissingExtra, SpeechError
from ..models import AudioClip

AUDIO_SUFFIXES = (".wav", ".flac", ".aiff", ".aif")
RATE = 16000


class EndOfAudio(Exception):
    """A file source has played its last file."""


Chunks = Callable[[bytes], None] | None
CHUNK_SECONDS = 0.1


class AudioSource(Protocol):
    name: str

    def capture(
        self, timeout: float | None, phrase_limit: float | None, on_chunk: Chunks = None
    ) -> AudioClip | None:
        """One phrase; None if no speech started within `timeout`; EndOfAudio when a file source is done.

        `on_chunk` gets the phrase's 16 kHz PCM piece by piece while it is spoken (for streaming decoding).
        """
        ...


def _pcm(audio: sr.AudioData) -> AudioClip:
    with warnings.catch_warnings():  # speechrecognition resamples with audioop, deprecated on 3.11-3.12
        warnings.simplefilter("ignore", DeprecationWarning)
        return AudioClip(audio.get_raw_data(convert_rate=RATE, convert_width=2), RATE)


class MicrophoneSource:
    """The default microphone (PyAudio), kept open so an answer right after a prompt is not missed."""

    name = "microphone"

    def __init__(self, device_index: int | None = None, recognizer: sr.Recognizer | None = None):
        self.recognizer = recognizer or sr.Recognizer()
        self.recognizer.dynamic_energy_threshold = True
        self.recognizer.pause_threshold = 0.6
        try:
            self._mic = sr.Microphone(device_index=device_index, sample_rate=RATE)
            self._stream: Any = self._mic.__enter__()
        except AttributeError as exc:  # speechrecognition says "Could not find PyAudio"
            raise MissingExtra("PyAudio (microphone input)", "mic") from exc
        except (OSError, AssertionError) as exc:
            reason = str(exc) or type(exc).__name__
            raise SpeechError(
                f"no microphone could be opened ({reason}). Plug one in, or use --audio FILE_OR_DIR, "
                "or callbot text."
            ) from None
        self.calibrate()

    def calibrate(self, seconds: float = 1.0) -> None:
        """Learn the room's noise level, so speech is told from silence."""
        self.recognizer.adjust_for_ambient_noise(self._stream, duration=seconds)

    def capture(
        self, timeout: float | None, phrase_limit: float | None, on_chunk: Chunks = None
    ) -> AudioClip | None:
        pieces: list[bytes] = []
        try:
            for chunk in self.recognizer.listen(
                self._stream, timeout=timeout, phrase_time_limit=phrase_limit, stream=True
            ):
                pcm = _pcm(chunk).pcm
                pieces.append(pcm)
                if on_chunk is not None:
                    on_chunk(pcm)
        except sr.WaitTimeoutError:
            return None
        except OSError as exc:  # the device went away mid-utterance
            raise SpeechError(
                f"the microphone stopped working ({exc}); check it and start listening again"
            ) from None
        return AudioClip(b"".join(pieces), RATE) if pieces else None

    def close(self) -> None:
        self._mic.__exit__(None, None, None)


class FileSource:
    """Each file is one utterance, in name order: a scripted session, a demo, or a test."""

    name = "files"

    def __init__(self, paths: Sequence[Path]):
        self.paths = list(paths)
        self._next: Iterator[Path] = iter(self.paths)
        self.recognizer = sr.Recognizer()
        self.current: Path | None = None

    @classmethod
    def of(cls, path: str | Path) -> FileSource:
        path = Path(path)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix.lower() in AUDIO_SUFFIXES)
            if not files:
                raise SpeechError(f"{path} has no audio files ({', '.join(AUDIO_SUFFIXES)})")
            return cls(files)
        if not path.exists():
            raise SpeechError(f"{path} does not exist")
        return cls([path])

    def capture(
        self, timeout: float | None, phrase_limit: float | None, on_chunk: Chunks = None
    ) -> AudioClip | None:
        self.current = next(self._next, None)
        if self.current is None:
            raise EndOfAudio
        clip = read_audio(self.current, self.recognizer)
        if on_chunk is not None:
            feed(clip, on_chunk)
        return clip


def feed(clip: AudioClip, on_chunk: Callable[[bytes], None]) -> None:
    """Hand a recording over in the pieces a microphone would deliver."""
    step = int(CHUNK_SECONDS * clip.sample_rate) * 2
    for start in range(0, len(clip.pcm), step):
        on_chunk(clip.pcm[start : start + step])


def read_audio(path: Path, recognizer: sr.Recognizer | None = None) -> AudioClip:
    """A WAV/FLAC/AIFF file as 16 kHz mono PCM."""
    recognizer = recognizer or sr.Recognizer()
    try:
        with sr.AudioFile(str(path)) as source:
            audio = recognizer.record(source)
    except (ValueError, EOFError, OSError, wave.Error) as exc:
        raise SpeechError(
            f"cannot read audio from {path}: {exc}. Use a PCM WAV, FLAC or AIFF file."
        ) from None
    return _pcm(audio)


def write_wav(path: Path, clip: AudioClip) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    with wave.open(str(tmp), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(clip.sample_rate)
        out.writeframes(clip.pcm)
    tmp.replace(path)  # a crash never leaves half a recording under the final name
    return path


class NoteArchive:
    """Where spoken notes are kept, written before anyone tries to transcribe them.

    The file name carries the call's id, so a recording whose note row never got written (the process
    was killed in between) still knows which call it belongs to.
    """

    def __init__(self, directory: Path):
        self.directory = directory

    def keep(self, audio: AudioClip, call_id: str | None) -> str:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        return str(write_wav(self.directory / f"note-{call_id or 'nocall'}-{stamp}.wav", audio))

    def recordings(self) -> list[tuple[str, str | None]]:
        found = []
        for path in sorted(self.directory.glob("note-*.wav")):
            parts = path.stem.split("-")
            call_id = parts[1] if len(parts) == 3 and parts[1] != "nocall" else None
            found.append((str(path), call_id))
        return found

    def load(self, path: str) -> AudioClip:
        return read_audio(Path(path))
