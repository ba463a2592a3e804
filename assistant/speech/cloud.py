"""Any speechrecognition engine by name (google, azure, ...), for users who want a cloud recogniser."""

from __future__ import annotations

from typing import Any

import speech_recognition as sr

from ..errors import SpeechError, TranscriptionFailed
from ..models import AudioClip, Transcript


class SpeechRecognitionTranscriber:
    """`recognize_<engine>` from speechrecognition; the network error, if any, becomes a clear reason."""

    def __init__(self, engine: str, key: str = ""):
        self.name = engine
        self.key = key
        self.recognizer = sr.Recognizer()
        self._recognize: Any = getattr(self.recognizer, f"recognize_{engine}", None)
        if self._recognize is None:
            known = sorted(
                n.removeprefix("recognize_") for n in dir(self.recognizer) if n.startswith("recognize_")
            )
            raise SpeechError(f"speechrecognition has no engine {engine!r}; it has {', '.join(known)}")

    def transcribe(
        self, audio: AudioClip, prompt: str = "", hotwords: str = "", *, quick: bool = False
    ) -> Transcript:
        data = sr.AudioData(audio.pcm, audio.sample_rate, 2)
        kwargs = {"key": self.key} if self.key else {}
        try:
            text = self._recognize(data, **kwargs)
        except sr.UnknownValueError:
            return Transcript("", confidence=0.0, engine=self.name)
        except sr.RequestError as exc:
            raise TranscriptionFailed(f"the {self.name} service could not be reached ({exc})") from None
        except TypeError as exc:  # an engine that takes other arguments
            raise TranscriptionFailed(f"the {self.name} engine needs other settings: {exc}") from None
        return Transcript(str(text), confidence=None, engine=self.name)
