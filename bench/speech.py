"""Speech benchmark: the development and held-out corpora through `callbot eval`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from assistant.scorecard import Outcome, Report

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "bench" / "corpus"
# Utterances drawn from each set, each said by every voice family, clean and degraded: 640 recordings,
# about 15 minutes of `callbot eval` on 2 cores (the whole dev set, 2,616 recordings, takes 2.5 CPU-hours)
ITEMS = 80


def ensure_corpus(which: str, bench: str = "") -> Path:
    """The corpus in every voice family, made again when missing, unfinished or older than its generator.
    `bench`: one of the set's benches instead of a draw: "strangers" (people not in the book) or
    "first-names" (contacts by their first name alone), as scripts/corpus.py makes them."""
    out = CORPORA / (f"{bench}-{which}" if bench else which)
    made = out / "corpus.json"  # written last, so a corpus interrupted half-way is made again
    sources = [ROOT / "scripts" / "corpus.py", *(ROOT / "scripts" / "spoken_corpus").glob("*.py")]
    if not made.exists() or any(src.stat().st_mtime > made.stat().st_mtime for src in sources):
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "corpus.py"),
                str(out),
                "--set",
                which,
                *([f"--{bench}"] if bench else ["--limit", str(ITEMS)]),
            ]
            + (["--seed", "7"] if which == "heldout" else []),
            check=True,
        )
    return out


def run(which: str, results: Path, extra: list[str] | None = None, label: str = "", bench: str = "") -> dict:
    corpus = ensure_corpus(which, bench)
    name = f"{bench or 'speech'}-{which}{'-' + label if label else ''}"
    report = results / f"{name}.json"
    table = subprocess.run(
        [sys.executable, "-m", "assistant", *(extra or []), "eval", str(corpus), "--json", str(report)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    (results / f"{name}.md").write_text(table)
    print(table)
    figures = json.loads(report.read_text())
    by_tag = figures["by_tag"]
    wanted = ["clean", "noisy", *sorted(t for t in by_tag if t.startswith("family-"))]
    outcomes = [Outcome(**{**i, "wer_words": tuple(i["wer_words"])}) for i in figures["items"]]
    for family in [t for t in wanted if t.startswith("family-")]:  # each voice family, clean and noisy
        for condition in ("clean", "noisy"):
            chosen = [o for o in outcomes if family in o.tags and condition in o.tags]
            if chosen:
                by_tag[f"{family}, {condition}"] = Report(chosen, "", "").group()
                wanted.append(f"{family}, {condition}")
    return {"all": figures["overall"], **{tag: by_tag[tag] for tag in wanted if tag in by_tag}}
