"""The voice families the corpus speaks with, each as a `Voice` that turns text into 16 kHz int16 samples.

    espeak    espeak-ng (Debian espeak-ng): formant synthesis, the voices callbot has always been measured on
    flite     CMU Flite (Debian flite): clustergen/diphone voices awb, rms, slt, kal16
    festival  Festival (Debian festival, festvox-us-slt-hts, festvox-kallpc16k, festvox-kdlpc16k)
    hibari    hibari-tts (PyPI): a small neural voice, 24 kHz; only "heart" ships in the package (its other
              voices download from a model hub at first use, which this corpus never does)

The dev and held-out sets use different voices within each family, so a rule tuned on dev is checked on
voices it has not heard. Every family but espeak goes through audio.finish (one resampler, one level);
espeak keeps its own path so the tests' recordings stay byte for byte what they were.
"""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from .audio import PAD_S, RATE, finish, read_wav

FAMILIES = ("espeak", "flite", "festival", "hibari")
FESTIVAL_VOICES = Path("/usr/share/festival/voices")


class MissingVoices(RuntimeError):
    """Synthesisers a chosen family needs are not installed (every one missing is named at once)."""


def speak(text: str, voice: str = "en-us", speed: int = 165, pitch: int = 50) -> np.ndarray:
    """espeak-ng speech as 16 kHz int16 samples."""
    import speech_recognition as sr

    wav = subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "--stdout", text],
        capture_output=True,
        check=True,
    ).stdout
    with sr.AudioFile(io.BytesIO(wav)) as source:
        audio = sr.Recognizer().record(source)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        pcm = audio.get_raw_data(convert_rate=RATE, convert_width=2)
    samples = np.frombuffer(pcm, dtype=np.int16)
    pad = np.zeros(int(PAD_S * RATE), dtype=np.int16)
    return np.concatenate([pad, samples, pad])


@dataclass(frozen=True)
class Voice:
    """One voice of one family. `rate` is a speaking-rate factor (1.0 = the voice's own pace)."""

    family: str
    name: str
    engine: str  # the synthesiser's own name for the voice
    pitch: float = 1.0  # espeak: its -p value / 50; hibari: a factor on the F0 curve

    def say(self, text: str, rate: float = 1.0, seed: int = 0) -> np.ndarray:
        return SYNTHS[self.family](self, text, rate, seed)


def _espeak(voice: Voice, text: str, rate: float, seed: int) -> np.ndarray:
    return speak(text, voice.engine, round(165 * rate), round(50 * voice.pitch))


def _flite(voice: Voice, text: str, rate: float, seed: int) -> np.ndarray:
    stretch = f"duration_stretch={1 / rate:.3f}"
    return _through_file(
        text, lambda said, out: ["flite", "-voice", voice.engine, "--setf", stretch, "-f", said, "-o", out]
    )


def _festival(voice: Voice, text: str, rate: float, seed: int) -> np.ndarray:
    # Diphone voices take Duration_Stretch; the HTS voice ignores it and takes hts_engine's -r instead.
    speed = (
        f'(set! hts_engine_params (cons (list "-r" {rate:.3f}) hts_engine_params))'
        if voice.engine.endswith("_hts")
        else f"(Parameter.set 'Duration_Stretch {1 / rate:.3f})"
    )
    return _through_file(
        text,
        lambda said, out: ["text2wave", "-eval", f"(voice_{voice.engine})", "-eval", speed, said, "-o", out],
    )


def _through_file(text: str, command: Callable[[Path, Path], list]) -> np.ndarray:
    """Run a synthesiser that reads the text from a file and writes a WAV file; its samples, finished."""
    with tempfile.TemporaryDirectory() as tmp:
        said, out = Path(tmp) / "said.txt", Path(tmp) / "said.wav"
        said.write_text(text + "\n")
        args = command(said, out)
        result = subprocess.run(args, capture_output=True, text=True)
        if result.returncode or not out.exists():
            raise RuntimeError(f"{args[0]} could not say {text!r}: {result.stderr.strip()[-300:]}")
        return finish(*read_wav(out))


def _hibari(voice: Voice, text: str, rate: float, seed: int) -> np.ndarray:
    tts = _hibari_engine(voice.engine.endswith("-gb"))
    if voice.pitch == 1.0:
        return finish(tts(text, speed=rate, seed=seed), tts.sample_rate)
    # A lower voice from the same model: its vocoder takes the F0 curve apart from the spectral envelope,
    # so scaling F0 moves the pitch and keeps the formants. This uses hibari 0.2's internals (sess, ids,
    # dsp.synth), which its public call does in the same order.
    from hibari import dsp

    rng = np.random.default_rng(seed)
    parts = []
    for phonemes in tts.phonemize(text):
        ids = np.asarray([tts.ids(phonemes)], np.int64)
        lh, th, ln, lr, phi, f0 = (
            o[0] for o in tts.sess.run(None, {"ids": ids, "speed": np.float32([rate])})
        )
        parts.append(dsp.synth(lh, th, ln, lr, phi, f0 * voice.pitch, rng))
    return finish(np.concatenate(parts), tts.sample_rate)


@cache
def _hibari_engine(british: bool):  # type: ignore[no-untyped-def]
    """The bundled voice, with American or British spelling-to-sound rules; loaded once per process."""
    try:
        from hibari import Hibari
        from hibari.g2p import G2P
    except ImportError:
        raise MissingVoices(
            "the hibari family needs the PyPI package hibari-tts (pip install hibari-tts)"
        ) from None
    return Hibari(voice="heart", g2p=G2P(british=british), threads=1)


SYNTHS = {"espeak": _espeak, "flite": _flite, "festival": _festival, "hibari": _hibari}

# espeak-ng voices that sound like speech. Some of its variants do not (m2 and m5 rasp, "whisper"
# whispers), and its plain en-us voice is recognised far worse than its others (18/28 names against
# 25-28/28 in a probe), so it is measured on its own (--voices en-us), not mixed into these sets.
DEV_ESPEAK = [("en-us+klatt2", 50), ("en-us+f2", 55), ("en-gb", 45), ("en-us+m1", 45)]
HELDOUT_ESPEAK = [("en-gb-x-rp", 50), ("en-us+f4", 60), ("en-us+Alex", 50), ("en-gb-scotland", 45)]


def espeak_voices(pairs: list[tuple[str, int]]) -> list[Voice]:
    return [Voice("espeak", name, name, pitch / 50) for name, pitch in pairs]


# Flite's slt and Festival's slt-hts are the same speaker (CMU ARCTIC) through different synthesisers.
# hibari ships one voice: dev hears it as American (and a fifth lower), held-out with British rules.
VOICES = {
    "dev": {
        "espeak": espeak_voices(DEV_ESPEAK),
        "flite": [Voice("flite", "flite-slt", "slt"), Voice("flite", "flite-awb", "awb")],
        "festival": [Voice("festival", "festival-slt-hts", "cmu_us_slt_arctic_hts")],
        "hibari": [
            Voice("hibari", "hibari-heart-us", "heart-us"),
            Voice("hibari", "hibari-heart-us-low", "heart-us", 0.8),
        ],
    },
    "heldout": {
        "espeak": espeak_voices(HELDOUT_ESPEAK),
        "flite": [Voice("flite", "flite-rms", "rms"), Voice("flite", "flite-kal16", "kal16")],
        "festival": [
            Voice("festival", "festival-kal", "kal_diphone"),
            Voice("festival", "festival-ked", "ked_diphone"),
        ],
        "hibari": [
            Voice("hibari", "hibari-heart-gb", "heart-gb"),
            Voice("hibari", "hibari-heart-gb-low", "heart-gb", 0.8),
        ],
    },
}


def missing(voices: list[Voice]) -> list[str]:
    """What is not installed for these voices, one line each, naming the package that brings it."""
    need: dict[str, str] = {}
    for voice in voices:
        if voice.family == "espeak" and not shutil.which("espeak-ng"):
            need["espeak-ng"] = "the espeak family needs the Debian package espeak-ng"
        elif voice.family == "flite" and not shutil.which("flite"):
            need["flite"] = "the flite family needs the Debian package flite"
        elif voice.family == "festival":
            need.update(_festival_missing(voice))
        elif voice.family == "hibari" and importlib.util.find_spec("hibari") is None:
            need["hibari"] = "the hibari family needs the PyPI package hibari-tts (pip install hibari-tts)"
    return list(need.values())


def _festival_missing(voice: Voice) -> dict[str, str]:
    if not shutil.which("text2wave"):
        return {"festival": "the festival family needs the Debian package festival"}
    package = {
        "cmu_us_slt_arctic_hts": "festvox-us-slt-hts",
        "kal_diphone": "festvox-kallpc16k",
        "ked_diphone": "festvox-kdlpc16k",
    }[voice.engine]
    if not any(FESTIVAL_VOICES.glob(f"*/{voice.engine}")):
        return {package: f"the festival voice {voice.engine} needs the Debian package {package}"}
    return {}
