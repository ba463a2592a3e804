"""Real recordings for the speech tests, synthesised once per run with espeak-ng (scripts/corpus.py)."""

from __future__ import annotations

import re
import shutil
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import corpus  # noqa: E402

VOICE = "en-us+m1"


@pytest.fixture(scope="session")
def speak(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Say a line into a 16 kHz WAV with a room-noise floor, as a microphone would record it."""
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is missing: make test installs it (apt-get install espeak-ng)")
    folder = tmp_path_factory.mktemp("spoken")

    def say(
        text: str, voice: str = VOICE, speed: int = 155, name: str = "", snr: float | None = None
    ) -> Path:
        rng = np.random.default_rng(
            zlib.crc32(f"{text}|{voice}|{speed}|{snr}".encode())
        )  # same words, same file
        samples = corpus.mix(corpus.speak(text, voice, speed), 45, "pink", rng)
        if snr is not None:
            samples = corpus.mix(samples, snr, "white", rng)
        path = folder / f"{name or re.sub(r'[^a-z0-9]+', '-', text.lower())}.wav"
        corpus.write_wav(path, samples)
        return path

    return say
