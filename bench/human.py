"""Note word error rate on real recorded English: the Asterisk core prompts (Allison Smith, CC BY-SA 3.0,
Debian's asterisk-core-sounds-en-wav and its transcripts in asterisk-core-sounds-en).

    python -m bench.human [--model NAME_OR_DIR] [--limit N]

Prompts of five words or more (the length of a short note) whose transcript is words, not "[tones]";
8 kHz telephone audio, as a rep's own headset would not be: a harder test than a desk microphone.
"""

from __future__ import annotations

import argparse
import gzip
import json
import time
from pathlib import Path

SOUNDS = Path("/usr/share/asterisk/sounds/en_US_f_Allison")
TRANSCRIPTS = Path("/usr/share/doc/asterisk-core-sounds-en/core-sounds-en.txt.gz")
INSTALL = "apt-get install asterisk-core-sounds-en-wav asterisk-core-sounds-en"


def prompts(limit: int | None = None) -> list[tuple[Path, str]]:
    if not SOUNDS.is_dir() or not TRANSCRIPTS.exists():
        raise SystemExit(f"the Asterisk prompts are missing: {INSTALL} (make bench does)")
    out = []
    with gzip.open(TRANSCRIPTS, "rt", encoding="utf-8", errors="replace") as fh:
        lines = fh.read().splitlines()
    for line in lines:
        name, sep, text = line.partition(":")
        text = text.strip()
        if not sep or line.startswith(";") or "[" in text or len(text.split()) < 5:
            continue
        wav = SOUNDS / f"{name.strip()}.wav"
        if wav.exists():
            out.append((wav, text))
    return out[:limit] if limit else out


def measure(model: str = "", limit: int | None = None) -> dict[str, object]:
    from assistant.scorecard import Normalizer
    from assistant.speech.audio import read_audio
    from assistant.speech.whisper import WhisperTranscriber

    whisper, normalizer = WhisperTranscriber(_path(model)), Normalizer()
    errors = words = 0
    seconds = 0.0
    started = time.perf_counter()
    items = prompts(limit)
    for wav, text in items:
        clip = read_audio(wav)
        seconds += clip.seconds
        e, n = normalizer.errors(text, whisper.transcribe(clip).text)
        errors, words = errors + e, words + n
    return {
        "model": model or "tiny.en (bundled)",
        "prompts": len(items),
        "words": words,
        "note_wer": round(100.0 * errors / words, 1) if words else 0.0,
        "rtf": round((time.perf_counter() - started) / seconds, 3) if seconds else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="")
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    print(json.dumps(measure(args.model, args.limit)))


if __name__ == "__main__":
    main()


def table(rows: list[dict[str, object]]) -> str:
    lines = ["| model | prompts | words | note WER | RTF |", "|---|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['model']} | {r['prompts']} | {r['words']} | {r['note_wer']}% | {r['rtf']} |")
    return "\n".join(lines)


def _path(model: str) -> str:
    """A model from `callbot models` as its directory (installed with callbot models install NAME)."""
    from assistant.config import load
    from assistant.speech.catalog import installed, known, model_dir

    entry = known(model)
    if entry is None:
        return model
    if not installed(entry):
        raise SystemExit(f"the {model} model is not installed: callbot models install {model}")
    return str(model_dir(entry, load().data_dir))
