"""Spoken corpora for `callbot eval`: contacts, commands and notes in several voices, clean and degraded.

    python scripts/corpus.py OUT_DIR [--set dev|heldout] [--families espeak,flite,festival,hibari]
                             [--limit N] [--seed N] [--voices V,...] [--no-noise] [--noise KINDS] [--snr DB]
                             [--enroll] [--strangers | --first-names | --notes]

writes OUT_DIR/contacts.csv, OUT_DIR/manifest.jsonl, OUT_DIR/audio/*.wav (16 kHz mono int16) and
OUT_DIR/corpus.json (what was made, and how long each family took to synthesise); with --enroll also
OUT_DIR/enroll/VOICE/ (every voice reading `callbot enroll`'s sentences, for measuring adaptation). Every item
is said once by each chosen family (espeak-ng, Flite, Festival, hibari-tts: spoken_corpus/voices.py), rotating
that family's voices, so figures per family compare like with like. The "dev" set is the development corpus
`make bench` measures; "heldout" has other people, wording and voices (it did tighten the forced-decoding
thresholds in assistant/speech/checked.py once). Each recording has a faint room-noise floor (no microphone
records digital silence) and a degraded copy, by turns pink, babble or office noise at 10 dB SNR or a
reverberant room (RT60 0.6 s): tagged "noisy" with "noise-KIND", or "noisy" with "reverb". Tags also give the
family ("family-flite"), the voice ("voice-flite-slt"), the speaking rate and the kind of command ("phrasing",
"same-sounding", ...: spoken_corpus/items.py). `--seed` and `--voices` (espeak-ng voices) draw a fresh corpus
of the same people: a check that a rule chosen on the two sets holds on recordings nobody has seen.
`--strangers` makes the stranger bench instead: the set's contact book, and 40 people not in it asked for
(some share a first or last name with a contact, some are a first name alone), each to be refused, never
dialled. `--first-names` makes the first-name bench: every contact whose first name no other contact's
sounds like, asked for by it alone in two of five forms (*ring Thabo*, *get me Thabo*), each to be dialled.
`--notes` makes every note of the set and no command (20 notes, each said by every family): a
draw's share of notes is too few words to tell note transcription apart per family.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from spoken_corpus.audio import RATE, write_wav
from spoken_corpus.build import build
from spoken_corpus.noise import DEFAULT_CONDITIONS, NOISES, mix
from spoken_corpus.voices import FAMILIES, MissingVoices, speak

__all__ = ["RATE", "build", "main", "mix", "speak", "write_wav"]


def _names(text: str, known: tuple[str, ...], what: str) -> tuple[str, ...]:
    names = tuple(n.strip() for n in text.split(",") if n.strip())
    unknown = [n for n in names if n not in known]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown {what}: {', '.join(unknown)} (known: {', '.join(known)})")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--set", choices=["dev", "heldout"], default="dev")
    parser.add_argument(
        "--families",
        type=lambda t: _names(t, FAMILIES, "voice families"),
        default=FAMILIES,
        help=f"voice families, each saying every item (default: {','.join(FAMILIES)})",
    )
    parser.add_argument("--limit", type=int, help="only this many utterances (a quick slice)")
    parser.add_argument("--no-noise", action="store_true", help="clean recordings only")
    parser.add_argument(
        "--noise",
        type=lambda t: _names(t, (*NOISES, "reverb"), "noise kinds"),
        default=DEFAULT_CONDITIONS,
        help=f"degraded conditions, taken in turn (default: {','.join(DEFAULT_CONDITIONS)}; also: white)",
    )
    parser.add_argument(
        "--snr", type=float, default=10.0, help="signal-to-noise ratio of the noisy copies, dB"
    )
    parser.add_argument("--voices", help="espeak-ng voices instead of the set's, e.g. en-us,en-gb+f2")
    parser.add_argument("--seed", type=int, default=7, help="another draw of wording, speeds and noise")
    parser.add_argument(
        "--enroll",
        action="store_true",
        help="also OUT/enroll/VOICE/: each voice reads callbot enroll's sentences (prompts.txt + NN.wav)",
    )
    bench = parser.add_mutually_exclusive_group()
    bench.add_argument(
        "--strangers",
        action="store_const",
        const="strangers",
        dest="only",
        help="the stranger bench: only commands for people not in the book (spoken_corpus/people.py)",
    )
    bench.add_argument(
        "--first-names",
        action="store_const",
        const="first-names",
        dest="only",
        help="the first-name bench: only commands naming a contact by first name alone",
    )
    bench.add_argument(
        "--notes",
        action="store_const",
        const="notes",
        dest="only",
        help="only the set's notes, every one of them (note transcription per family, on more words)",
    )
    args = parser.parse_args(argv)
    voices = [(v, 50) for v in args.voices.split(",")] if args.voices else None
    try:
        n = build(
            args.out,
            args.set,
            args.limit,
            not args.no_noise,
            seed=args.seed,
            voices=voices,
            families=args.families,
            conditions=args.noise,
            snr=args.snr,
            enroll=args.enroll,
            only=args.only or "",
        )
    except MissingVoices as exc:
        print(f"corpus: {exc}", file=sys.stderr)
        return 2
    made = json.loads((args.out / "corpus.json").read_text())
    took = ", ".join(f"{f} {s:.0f} s" for f, s in made["synthesis_s"].items())
    print(f"{n} recordings of {made['items']} utterances in {args.out} (synthesis: {took})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
