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
LIST_DEMO = DEMO.parent / "demo_list"  # the demo's lead list, worked by voice at its end
MESSAGE = "Hi, it's the callbot demo calling about your freight quote. Call me back at your convenience."
VOICE, SPEED = "en-us+klatt2", 150


def main() -> int:
    rng = np.random.default_rng(2026)
    for folder in (DEMO, LIST_DEMO):
        lines = [
            ln
            for ln in (folder / "script.txt").read_text().splitlines()
            if ln.strip() and not ln.startswith("#")
        ]
        for old in folder.glob("*.wav"):
            old.unlink()
        for number, line in enumerate(lines, start=1):
            slug = re.sub(r"[^a-z0-9]+", "-", line.lower()).strip("-")[:40]
            write_wav(folder / f"{number:02d}-{slug}.wav", mix(speak(line, VOICE, SPEED), 45, "pink", rng))
        print(f"{len(lines)} recordings in {folder}")
    write_wav(DEMO.parent / "voicemail-demo.wav", speak(MESSAGE, VOICE, SPEED))  # dropped on the machine
    return 0


if __name__ == "__main__":
    sys.exit(main())
