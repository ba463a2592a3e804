"""Noise front ends on the development corpus's degraded commands: does cleaning the audio first help?

    python -m bench.frontend CORPUS [--limit N]

For each command, clean or recorded in noise or reverb, pocketsphinx (the grammar engine, no second
engine) hears the raw recording and the same recording through each front end; a reading counts as right
when acting on it does what the corpus expects (as `callbot eval --train` labels readings). Reported per
noise kind.
Front ends: RNNoise (`pyrnnoise`, weights in the package) on every recording, and callbot's choice (RNNoise
only when the lead-in is steady noise).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any


def rnnoise(pcm: bytes) -> bytes:
    """Every recording cleaned by RNNoise."""
    from assistant.speech.frontend import Denoiser

    denoiser = Denoiser()
    out, _ = denoiser.process(pcm, last=True)
    denoiser.close()
    return out


def chosen(pcm: bytes) -> bytes:
    """What callbot does: cleaned when the lead-in is steady noise (assistant/speech/frontend.py)."""
    from assistant.speech.frontend import FrontEnd

    out = bytearray()
    front = FrontEnd(out.extend)
    front.feed(pcm)
    front.finish()
    return bytes(out)


FRONT_ENDS = {"raw": None, "rnnoise": rnnoise, "chosen": chosen}


def measure(corpus: Path, limit: int | None = None) -> dict[str, Any]:
    from assistant.calibrate import reading_right
    from assistant.evaluate import SimpleBook, load_corpus
    from assistant.intents import IntentParser
    from assistant.models import AudioClip
    from assistant.ports import Expect, Listening
    from assistant.speech.audio import read_audio
    from assistant.speech.commands import GrammarCommands
    from assistant.speech.evidence import Witness
    from assistant.speech.sphinx import SphinxEngine

    contacts, items = load_corpus(corpus)
    book = SimpleBook(contacts)
    parser = IntentParser()
    grammar = GrammarCommands(SphinxEngine(), parser.intents, book, denoise=False)  # the front ends here
    grammar.refresh()
    witness = Witness(book, parser, parser.intents, None)
    commands = [
        i for i in items if i.get("kind") == "command" and not i.get("context", {}).get("mode")
    ][:limit]  # fmt: skip
    right: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    seconds: dict[str, float] = defaultdict(float)
    for item in commands:
        clip = read_audio(corpus / item["audio"])
        kind = next(
            (t for t in item["tags"] if t.startswith("noise-")),
            "reverb" if "noisy" in item["tags"] else "clean",
        )
        for name, clean in FRONT_ENDS.items():
            started = time.perf_counter()
            audio = clip if clean is None else AudioClip(clean(clip.pcm), clip.sample_rate)
            seconds[name] += time.perf_counter() - started
            heard = grammar.recognize(audio, Expect(Listening.COMMAND))
            meaning = witness.meaning(heard.text) if heard.text else None
            ok = meaning is not None and reading_right(meaning, item.get("expect", {}))
            for group in (kind, "all"):
                right[group][name] += ok
                right[group]["n"] += name == "raw"
    return {
        "commands": len(commands),
        "right": {g: {k: v for k, v in r.items()} for g, r in sorted(right.items())},
        "front_end_ms_per_command": {
            k: round(1000 * v / max(1, len(commands)), 1) for k, v in seconds.items()
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--limit", type=int)
    args = parser.parse_args()
    print(json.dumps(measure(args.corpus, args.limit), indent=1))


if __name__ == "__main__":
    main()


def table(figures: dict[str, Any]) -> str:
    names = list(FRONT_ENDS)
    lines = ["| noise | commands | " + " | ".join(names) + " |", "|---|---:|" + "---:|" * len(names)]
    for group, right in figures["right"].items():
        n = right["n"]
        cells = " | ".join(f"{100 * right.get(name, 0) / n:.1f}%" for name in names)
        lines.append(f"| {group} | {n} | {cells} |")
    ms = ", ".join(f"{k} {v} ms" for k, v in figures["front_end_ms_per_command"].items())
    return "\n".join([*lines, "", f"Front end time per command: {ms}."])
