"""Enrollment recordings: every voice of the corpus reads `callbot enroll`'s sentences once, in a quiet room.

    OUT/enroll/VOICE/NN.wav      one sentence each, in prompt order (16 kHz mono int16)
    OUT/enroll/VOICE/prompts.txt the sentences, one a line: `callbot enroll --audio OUT/enroll/VOICE` reads it

The sentences are callbot's own (config/enroll.txt): general English and command frames with nobody's name
in them, so they share no sentence with the corpus's commands (a test holds that line).
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np

from assistant.speech.adapt import sentences

from .audio import write_wav
from .noise import mix
from .voices import Voice

RATES = [0.9, 1.0, 1.1]
ROOM_TONE_DB = 45  # as the corpus's clean recordings


def write_enrollment(out: Path, voices: list[Voice], seed: int) -> dict[str, int]:
    """Each voice's reading of the enrollment sentences; {voice name: recordings}."""
    said = sentences()
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    made = {}
    for k, voice in enumerate(voices):
        folder = out / "enroll" / voice.name
        folder.mkdir(parents=True, exist_ok=True)
        for i, text in enumerate(said, start=1):
            samples = voice.say(text, rng.choice(RATES), seed * 100_000 + 50_000 + k * 100 + i)
            write_wav(folder / f"{i:02d}.wav", mix(samples, ROOM_TONE_DB, "pink", nprng))
        (folder / "prompts.txt").write_text("".join(f"{text}\n" for text in said))
        made[voice.name] = len(said)
    return made
