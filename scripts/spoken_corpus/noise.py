"""What a desk microphone hears besides the rep: noise at a chosen SNR, and a reverberant room.

All of it is synthetic (numpy only), so the corpus needs no recorded noise: pink and white noise, babble
made of other synthetic talkers, an office (rumble, HVAC, keys) and a room impulse response.
"""

from __future__ import annotations

import numpy as np

from .audio import RATE

NOISES = ("white", "pink", "babble", "office")
DEFAULT_CONDITIONS = ("pink", "babble", "office", "reverb")  # white is kept for the tests and --noise white
BABBLE_LINES = (
    ("the quarterly numbers look good this year", "en-us"),
    ("can somebody get the door please", "en-gb"),
    ("lunch is in the kitchen at noon today", "en-us+f3"),
    ("the printer on the third floor is jammed", "en-us+m3"),
)


def babble_talkers() -> list[np.ndarray]:
    """Four colleagues talking at once (espeak-ng), looped and offset under the speech as babble."""
    from .voices import speak

    return [speak(text, voice, 170) for text, voice in BABBLE_LINES]


def _unit(x: np.ndarray) -> np.ndarray:
    return x / max(float(np.sqrt(np.mean(x**2))), 1e-12)


def _shaped(n: int, rng: np.random.Generator, gain) -> np.ndarray:  # type: ignore[no-untyped-def]
    """White noise through a spectral gain (a function of frequency in Hz)."""
    freqs = np.fft.rfftfreq(n, 1 / RATE)
    return np.fft.irfft(np.fft.rfft(rng.standard_normal(n)) * gain(freqs), n)


def _office(n: int, rng: np.random.Generator) -> np.ndarray:
    """An office: building rumble under 150 Hz, the HVAC (mains hum and fan), and now and then some typing.

    Power shares are set so the rumble dominates, as it does in a measured office spectrum: it carries much
    of the noise power yet masks little speech, which is why an office at 10 dB SNR is gentler than pink.
    """
    t = np.arange(n) / RATE
    rumble = _shaped(n, rng, lambda f: 1 / np.maximum(f, 20.0) / (1 + (f / 150.0) ** 4))
    fan = _shaped(n, rng, lambda f: (f > 80) / np.sqrt(np.maximum(f, 1.0)) / (1 + (f / 1500.0) ** 2))
    wobble = 1 + 0.1 * np.sin(2 * np.pi * 0.3 * t + rng.uniform(0, 2 * np.pi))
    hum = wobble * sum(
        a * np.sin(2 * np.pi * 60 * h * t + rng.uniform(0, 2 * np.pi))
        for h, a in ((1, 1.0), (2, 0.5), (3, 0.3), (4, 0.15))
    )
    parts = ((0.5, rumble), (0.25, fan), (0.17, hum), (0.08, _typing(n, rng)))
    return sum(np.sqrt(share) * _unit(part) for share, part in parts)


def _typing(n: int, rng: np.random.Generator) -> np.ndarray:
    """Bursts of key clicks (about seven a second): short, bright, quickly decaying noise."""
    out = np.zeros(n)
    click = np.diff(rng.standard_normal(int(0.008 * RATE) + 1)) * np.exp(-np.arange(int(0.008 * RATE)) / 32)
    start = int(rng.uniform(0, 0.5) * RATE)
    while start < n:
        burst_end = start + int(rng.uniform(0.8, 2.5) * RATE)
        at = start
        while at < min(burst_end, n - len(click)):
            out[at : at + len(click)] += rng.uniform(0.4, 1.0) * click
            at += int(rng.uniform(0.08, 0.22) * RATE)
        start = burst_end + int(rng.uniform(0.5, 2.0) * RATE)
    return out


def _noise(kind: str, n: int, rng: np.random.Generator, babble: list[np.ndarray]) -> np.ndarray:
    if kind == "white":
        return rng.standard_normal(n)
    if kind == "pink":
        spectrum = np.fft.rfft(rng.standard_normal(n))
        spectrum /= np.sqrt(np.maximum(np.arange(len(spectrum)), 1))
        return np.fft.irfft(spectrum, n)
    if kind == "babble":
        out = np.zeros(n)
        for voice in rng.choice(len(babble), size=min(4, len(babble)), replace=False):
            src = np.tile(babble[voice].astype(np.float64), n // len(babble[voice]) + 2)
            start = rng.integers(0, len(src) - n)
            out += src[start : start + n]
        return out
    if kind == "office":
        return _office(n, rng)
    raise ValueError(kind)


def speech_power(x: np.ndarray) -> float:
    """Mean power where there is speech (above 2% of the peak), so pauses do not flatter the SNR."""
    active = x[np.abs(x) > 0.02 * max(1.0, float(np.abs(x).max()))]
    return float(np.mean(active**2)) if active.size else 1.0


def mix(
    samples: np.ndarray,
    snr_db: float,
    kind: str,
    rng: np.random.Generator,
    babble: list[np.ndarray] | None = None,
) -> np.ndarray:
    """Add noise at `snr_db` below the speech (speech power measured where there is speech)."""
    x = samples.astype(np.float64)
    noise = _noise(kind, len(x), rng, babble or [])
    noise *= np.sqrt(speech_power(x) / (np.mean(noise**2) * 10 ** (snr_db / 10)))
    return np.clip(x + noise, -32768, 32767).astype(np.int16)


def room_response(rng: np.random.Generator, rt60: float = 0.6, drr_db: float = 0.0) -> np.ndarray:
    """A synthetic room impulse response: the direct sound, then a diffuse tail of decaying noise.

    The tail falls 60 dB in `rt60` seconds below 2 kHz, where most of speech's energy is, and in 0.7 of
    that above (air and soft furnishings absorb the highs; on white noise the whole measures 0.85 `rt60`).
    It starts 3 ms after the direct sound; `drr_db` is the direct-to-reverberant energy
    ratio, 0 dB being a talker about a metre from a desk microphone in a furnished office.
    """
    n = int(1.2 * rt60 * RATE)
    t = np.arange(n) / RATE
    low = _shaped(n, rng, lambda f: f < 2000) * np.exp(-6.91 * t / rt60)
    high = _shaped(n, rng, lambda f: f >= 2000) * np.exp(-6.91 * t / (0.7 * rt60))
    tail = low + high
    tail[: int(0.003 * RATE)] = 0
    tail *= np.sqrt(10 ** (-drr_db / 10) / np.sum(tail**2))
    tail[0] = 1.0
    return tail


def reverberate(samples: np.ndarray, rng: np.random.Generator, rt60: float = 0.6) -> np.ndarray:
    """The utterance as spoken in the room: convolved with room_response, at the speech level it had."""
    x = samples.astype(np.float64)
    h = room_response(rng, rt60)
    size = len(x) + len(h) - 1
    y = np.fft.irfft(np.fft.rfft(x, size) * np.fft.rfft(h, size), size)[: len(x)]
    y *= np.sqrt(speech_power(x) / speech_power(y))
    return np.clip(y, -32768, 32767).astype(np.int16)
