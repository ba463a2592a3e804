"""Samples in and out: 16 kHz mono int16, whatever rate and level a synthesiser produced."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

RATE = 16000
PAD_S = 0.3  # silence either side of every utterance, as espeak-ng's clips have always had
LEVEL_DBFS = -18.0  # speech RMS of every non-espeak voice: about espeak-ng's own (-16 to -20 dBFS)
PEAK = 0.89  # -1 dBFS: a level that would clip is turned down instead


def resample(x: np.ndarray, rate: int) -> np.ndarray:
    """Band-limited resampling to RATE by FFT (numpy only; clips are a few seconds, so one FFT is cheap).

    The spectrum is cut at the new Nyquist frequency with a short cosine taper (the last 500 Hz), so the
    cut rings less than a brick wall; the clip is zero-padded first so the FFT's wrap-around stays silent.
    """
    x = np.asarray(x, dtype=np.float64)
    if rate == RATE:
        return x
    guard = rate // 10
    padded = np.concatenate([np.zeros(guard), x, np.zeros(guard)])
    n, m = len(padded), round(len(padded) * RATE / rate)
    spectrum = np.fft.rfft(padded)
    bins = min(len(spectrum), m // 2 + 1)
    kept = np.zeros(m // 2 + 1, dtype=complex)
    kept[:bins] = spectrum[:bins]
    freqs = np.arange(m // 2 + 1) * RATE / m
    edge = min(RATE, rate) / 2
    taper = np.clip((edge - freqs) / 500.0, 0.0, 1.0)
    y = np.fft.irfft(kept * (0.5 - 0.5 * np.cos(np.pi * taper)), m) * (m / n)
    cut = round(guard * RATE / rate)
    return y[cut : m - cut]


def trim(x: np.ndarray, floor: float = 0.01) -> np.ndarray:
    """Drop leading and trailing near-silence, keeping 20 ms, so every voice gets the same PAD_S around it."""
    loud = np.flatnonzero(np.abs(x) > floor * max(float(np.abs(x).max()), 1e-9))
    if not loud.size:
        return x
    keep = int(0.02 * RATE)
    return x[max(0, loud[0] - keep) : loud[-1] + keep]


def finish(x: np.ndarray, rate: int) -> np.ndarray:
    """A synthesiser's float or int samples at `rate` -> padded 16 kHz int16 at the common speech level."""
    y = trim(resample(x, rate))
    active = y[np.abs(y) > 0.02 * max(float(np.abs(y).max()), 1e-9)]
    rms = float(np.sqrt(np.mean(active**2))) if active.size else 1.0
    gain = 32768 * 10 ** (LEVEL_DBFS / 20) / max(rms, 1e-9)
    gain = min(gain, PEAK * 32768 / max(float(np.abs(y).max()), 1e-9))
    pad = np.zeros(int(PAD_S * RATE))
    return np.round(np.concatenate([pad, y * gain, pad])).astype(np.int16)


def read_wav(path: Path) -> tuple[np.ndarray, int]:
    """A 16-bit PCM WAV (mono or the first channel) as float samples and its rate."""
    with wave.open(str(path), "rb") as src:
        channels, rate = src.getnchannels(), src.getframerate()
        if src.getsampwidth() != 2:
            raise ValueError(f"{path}: {8 * src.getsampwidth()}-bit audio, expected 16-bit")
        data = np.frombuffer(src.readframes(src.getnframes()), dtype="<i2")
    return data[::channels].astype(np.float64), rate


def write_wav(path: Path, samples: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(samples.astype(np.int16).tobytes())
