"""Speak config/demo/script.txt into config/demo/NN-words.wav with espeak-ng, for `make demo`.

    python scripts/make_demo_audio.py

Each recording gets a faint room-noise floor, as a microphone would give it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from corpus import mix, speak, write_wav

DEMO = Path(__file__).resolve().parent.parent / "config" / "demo"
VOICE, SPEED = "en-us+klatt2", 150


def main() -> int:
    lines = [
        ln for ln in (DEMO / "script.txt").read_text().splitlines() if ln.strip() and not ln.startswith("#")
    ]
    for old in DEMO.glob("*.wav"):
        old.unlink()
    rng = np.random.default_rng(2026)
    for number, line in enumerate(lines, start=1):
        slug = re.sub(r"[^a-z0-9]+", "-", line.lower()).strip("-")[:40]
        write_wav(DEMO / f"{number:02d}-{slug}.wav", mix(speak(line, VOICE, SPEED), 45, "pink", rng))
    print(f"{len(lines)} recordings in {DEMO}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
