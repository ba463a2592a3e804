"""Join the parts: say every item in every chosen family's voice, clean and in one degraded condition."""

from __future__ import annotations

import csv
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .audio import RATE, write_wav
from .enroll import write_enrollment
from .items import SETS, Item, commands, first_name_bench, notes, strangers
from .noise import DEFAULT_CONDITIONS, babble_talkers, mix, reverberate
from .voices import FAMILIES, VOICES, MissingVoices, Voice, espeak_voices, missing

RATES = [0.85, 0.95, 1.05, 1.15]  # speaking-rate factors (espeak-ng: 140, 157, 173, 190 words a minute)
ROOM_TONE_DB = 45  # every recording's faint noise floor: no microphone records digital silence
# The benches a corpus can be made of instead of a draw (`build`'s `only`): their items for a set
BENCHES = {"strangers": strangers, "first-names": first_name_bench, "notes": notes}


def build(
    out: Path,
    which: str = "dev",
    limit: int | None = None,
    noise: bool = True,
    seed: int = 7,
    voices: list[tuple[str, int]] | None = None,
    families: tuple[str, ...] = ("espeak",),
    conditions: tuple[str, ...] = DEFAULT_CONDITIONS,
    snr: float = 10.0,
    enroll: bool = False,
    only: str = "",
) -> int:
    """Write a corpus; returns the number of recordings.

    `families` defaults to espeak alone here (the tests' quick slices need nothing else installed); the
    command line's default is every family. `voices` replaces the set's espeak-ng voices. `enroll` also has
    every voice read the enrollment sentences (spoken_corpus/enroll.py). `only` makes one bench instead of a
    draw of commands and notes (BENCHES): "strangers", the set's book and only its stranger bench
    (items.strangers); "first-names", only its first-name bench (items.first_name_bench); "notes", the set's
    every note and no command, for measuring note transcription on more words than a draw's share.
    """
    if only and only not in BENCHES:
        raise ValueError(f"unknown bench {only!r} (known: {', '.join(BENCHES)})")
    rng = random.Random(seed)
    chosen = family_voices(which, families, voices)
    problems = missing([v for vs in chosen.values() for v in vs])
    if problems:
        raise MissingVoices("cannot synthesise the corpus: " + "; ".join(problems))
    if which == "heldout":
        seed += 1000
    out.mkdir(parents=True, exist_ok=True)
    write_contacts(out / "contacts.csv", SETS[which][0])
    items = BENCHES[only](which) if only else commands(which, rng) + notes(which)
    if limit:
        items = rng.sample(items, min(limit, len(items)))
    conditions = conditions if noise else ()
    took = Took()
    rows = say_all(out, items, chosen, conditions, snr, seed, rng, took)
    with open(out / "manifest.jsonl", "w") as fh:
        fh.writelines(json.dumps(row) + "\n" for row in rows)
    enrolled = write_enrollment(out, [v for vs in chosen.values() for v in vs], seed) if enroll else {}
    stamp = {
        "set": which,
        "strangers": only == "strangers",
        "first_names": only == "first-names",
        "notes_only": only == "notes",
        "seed": seed,
        "families": {f: [v.name for v in vs] for f, vs in chosen.items()},
        "conditions": list(conditions),
        "snr_db": snr,
        "items": len(items),
        "recordings": len(rows),
        "synthesis_s": {f: round(s, 1) for f, s in took.synthesis.items()},
        "speech_s": {f: round(s, 1) for f, s in took.speech.items()},
        "enroll": enrolled,
    }
    (out / "corpus.json").write_text(json.dumps(stamp, indent=1) + "\n")  # last: the corpus is complete
    return len(rows)


@dataclass
class Took:
    """Seconds each family spent synthesising, and seconds of speech it made."""

    synthesis: Counter[str] = field(default_factory=Counter)
    speech: Counter[str] = field(default_factory=Counter)


def say_all(
    out: Path,
    items: list[Item],
    chosen: dict[str, list[Voice]],
    conditions: tuple[str, ...],
    snr: float,
    seed: int,
    rng: random.Random,
    took: Took,
) -> list[dict]:
    """Every item in every family (its voices in turn), clean and in one condition; the manifest's rows."""
    babble = babble_talkers() if "babble" in conditions else []
    nprng = np.random.default_rng(seed)
    rows = []
    for i, item in enumerate(items):
        for k, (family, options) in enumerate(chosen.items()):
            voice = options[i % len(options)]
            rate = rng.choice(RATES)
            started = time.perf_counter()
            said = voice.say(item.text, rate, seed * 100_000 + i * 10 + k)
            took.synthesis[family] += time.perf_counter() - started
            took.speech[family] += len(said) / RATE
            # Each voice goes through every condition in turn, and the families of one item differ.
            turn = i // len(options) + k
            condition = conditions[turn % len(conditions)] if conditions else None
            for tags, samples in recordings(said, condition, nprng, babble, snr):
                rows.append(write_row(out, item, i, voice, rate, tags, samples))
        if (i + 1) % 25 == 0 or i + 1 == len(items):
            print(f"{i + 1}/{len(items)} items said", file=sys.stderr, flush=True)
    return rows


def family_voices(
    which: str, families: tuple[str, ...], espeak: list[tuple[str, int]] | None
) -> dict[str, list[Voice]]:
    """The voices of each chosen family for this set, in FAMILIES order."""
    unknown = set(families) - set(FAMILIES)
    if unknown:
        raise ValueError(
            f"unknown voice families: {', '.join(sorted(unknown))} (known: {', '.join(FAMILIES)})"
        )
    chosen = {f: VOICES[which][f] for f in FAMILIES if f in families}
    if espeak and "espeak" in chosen:
        chosen["espeak"] = espeak_voices(espeak)
    return chosen


def recordings(
    said: np.ndarray, condition: str | None, rng: np.random.Generator, babble: list[np.ndarray], snr: float
) -> list[tuple[list[str], np.ndarray]]:
    """The clean recording and, given a condition, its degraded copy, each with its condition's tags.

    A room is applied to the voice before the room tone (the room reverberates the talker, not the
    microphone's own floor); noise goes over the clean recording. Every degraded copy is tagged "noisy".
    """
    clean = mix(said, ROOM_TONE_DB, "pink", rng)
    out = [(["clean"], clean)]
    if condition == "reverb":
        out.append((["noisy", "reverb"], mix(reverberate(said, rng), ROOM_TONE_DB, "pink", rng)))
    elif condition:
        out.append((["noisy", f"noise-{condition}"], mix(clean, snr, condition, rng, babble)))
    return out


def write_row(
    out: Path, item: Item, i: int, voice: Voice, rate: float, tags: list[str], samples: np.ndarray
) -> dict:
    name = f"{item.kind[0]}{i:03d}-{voice.family}-{tags[-1].removeprefix('noise-')}"
    write_wav(out / "audio" / f"{name}.wav", samples)
    row = {
        "id": name,
        "audio": f"audio/{name}.wav",
        "kind": item.kind,
        "tags": [*tags, f"family-{voice.family}", f"voice-{voice.name}", f"rate-{rate}", *item.tags],
        "text": item.text,
    }
    if item.kind == "command":
        row["expect"] = item.expect
        if item.context:
            row["context"] = item.context
    return row


def write_contacts(path: Path, people: list) -> None:
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["name", "company", "mobile", "work", "home", "aliases", "timezone", "do_not_call", "relation"]
        )
        for p in people:
            n = p.numbers
            writer.writerow(
                [
                    p.name,
                    p.company,
                    n.get("mobile", ""),
                    n.get("work", ""),
                    n.get("home", ""),
                    "",
                    "",
                    "false",
                    p.relation,
                ]
            )
