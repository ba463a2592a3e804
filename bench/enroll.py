"""Each voice's own adaptation (`callbot enroll`): commands the grammar engine alone hears, without and with.

    python scripts/corpus.py OUT --set dev --limit 40 --families espeak,flite --enroll
    python bench/enroll.py OUT [--json FILE]

For every voice with enrollment recordings (OUT/enroll/VOICE/), the adaptations are made from them as
`callbot enroll --audio` makes them (MAP, the default, and MLLR), and that voice's commands in the corpus
(none of them an enrollment sentence) go through pocketsphinx's grammar alone (GrammarCommands, no Whisper
check), clean and noisy: with the wheel's model, MLLR-adapted and MAP-adapted. "right" is `callbot eval`'s
verdict (below 0.98 confidence the grammar alone asks rather than dials, so few are right that way);
"sentence" counts the commands whose grammar sentence was word for word what was said, and WER the words it
got wrong: they show what the acoustic model hears, before any confidence rule.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python bench/enroll.py`
    sys.path.insert(0, str(ROOT))

from assistant import config  # noqa: E402
from assistant.evaluate import SimpleBook, evaluate  # noqa: E402
from assistant.intents import IntentParser  # noqa: E402
from assistant.scorecard import Normalizer, Outcome  # noqa: E402
from assistant.speech.adapt import Recording, adapt, sentences  # noqa: E402
from assistant.speech.audio import AUDIO_SUFFIXES, read_audio  # noqa: E402
from assistant.speech.commands import GrammarCommands  # noqa: E402
from assistant.speech.sphinx import SphinxEngine  # noqa: E402

CONDITIONS = ("clean", "noisy")
MODELS = ("without", "mllr", "map")


def ensure_corpus() -> Path:
    """bench/corpus/enroll: the 40-item dev slice in espeak-ng and Flite voices, with their enrollments."""
    out = ROOT / "bench" / "corpus" / "enroll"
    if not (out / "corpus.json").exists():
        shutil.rmtree(out, ignore_errors=True)
        subprocess.run(
            [
                *(sys.executable, str(ROOT / "scripts" / "corpus.py"), str(out)),
                *("--set", "dev", "--limit", "40", "--families", "espeak,flite", "--enroll"),
            ],
            check=True,
        )
    return out


def voices(corpus: Path) -> list[Path]:
    return sorted(p for p in (corpus / "enroll").glob("*") if p.is_dir())


def recordings(folder: Path) -> list[Recording]:
    said = sentences(folder / "prompts.txt")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in AUDIO_SUFFIXES)
    return [Recording(f.name, text, read_audio(f)) for f, text in zip(files, said, strict=False)]


def voice_corpus(corpus: Path, voice: str, into: Path) -> int:
    """A corpus of this voice's commands alone (the same contacts, the same audio)."""
    into.mkdir(parents=True)
    for contacts in corpus.glob("contacts.*"):
        shutil.copy(contacts, into / contacts.name)
    (into / "audio").symlink_to((corpus / "audio").resolve())
    rows = [
        line
        for line in (corpus / "manifest.jsonl").read_text().splitlines()
        if line.strip()
        and json.loads(line).get("kind", "command") == "command"
        and f"voice-{voice}" in json.loads(line).get("tags", [])
    ]
    (into / "manifest.jsonl").write_text("".join(f"{row}\n" for row in rows))
    return len(rows)


def figures(outcomes: list[Outcome]) -> dict[str, Any]:
    normalizer = Normalizer()
    wrong = said = exact = 0
    for o in outcomes:
        errors, words = normalizer.errors(o.text, o.heard)
        wrong += errors
        said += words
        exact += errors == 0
    n = len(outcomes)
    return {
        "commands": n,
        "right": sum(o.success for o in outcomes),
        "wrong_dials": sum(o.wrong_dial for o in outcomes),
        "sentence": exact,
        "wer": round(100 * wrong / max(said, 1), 1),
    }


def measure(corpus: Path, adaptation: Path | None, topics: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    parser = IntentParser()

    def commands(book: SimpleBook) -> GrammarCommands:
        return GrammarCommands(SphinxEngine(adaptation=adaptation), parser.intents, book, topics)

    report = evaluate(corpus, commands=commands)
    return {c: figures([o for o in report.outcomes if c in o.tags]) for c in CONDITIONS}


def full(corpus: Path, adaptation: Path | None) -> dict[str, dict[str, Any]]:
    """The same commands through `callbot eval` as shipped (pocketsphinx checked by Whisper)."""
    with tempfile.TemporaryDirectory(prefix="callbot-bench-eval-") as tmp:
        settings = Path(tmp) / "callbot.toml"
        settings.write_text(f'[speech]\nadaptation = "{adaptation or "off"}"\n')
        report = Path(tmp) / "report.json"
        env = {k: v for k, v in os.environ.items() if not k.startswith("CALLBOT_")}
        env |= {"CALLBOT_CONFIG": str(settings), "CALLBOT_DATA_DIR": tmp}
        subprocess.run(
            [sys.executable, "-m", "assistant", "eval", str(corpus), "--json", str(report)],
            check=True,
            capture_output=True,
            env=env,
        )
        by_tag = json.loads(report.read_text())["by_tag"]
    return {
        c: {"commands": g["commands"], "right": g["success"], "wrong_dials": g["wrong_dials"]}
        for c, g in by_tag.items()
        if c in CONDITIONS
    }


def run(corpus: Path, checked: bool = False) -> dict[str, Any]:
    topics = config.load(env={}).speech.topics
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="callbot-bench-enroll-") as tmp:
        for folder in voices(corpus):
            voice = folder.name
            here = Path(tmp) / voice
            if not voice_corpus(corpus, voice, here / "corpus"):
                continue
            results[voice] = {"without": measure(here / "corpus", None, topics)}
            for method in ("mllr", "map"):
                started = time.perf_counter()
                made = adapt(recordings(folder), here / method, method=method)
                took = time.perf_counter() - started
                results[voice] |= {
                    "enrolled": f"{len(made.used)}/{len(made.used) + len(made.failed)}",
                    f"{method}_s": round(took, 1),
                    method: measure(here / "corpus", made.path, topics),
                }
                if checked and method == "map":
                    results[voice]["checked"] = {
                        "without": full(here / "corpus", None),
                        "map": full(here / "corpus", made.path),
                    }
            print(f"{voice}: {json.dumps(results[voice])}", file=sys.stderr, flush=True)
    return results


def table(results: dict[str, Any]) -> str:
    """One row per voice and condition; each cell: without / MLLR / MAP."""
    lines = [
        "| voice | enrolled | condition | commands | right | sentence exact | command WER | wrong dials |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    totals = {
        c: {k: dict.fromkeys(MODELS, 0) for k in ("right", "sentence", "wrong_dials")} for c in CONDITIONS
    }
    counts = dict.fromkeys(CONDITIONS, 0)
    for voice, r in results.items():
        for c in CONDITIONS:
            n = r["without"][c]["commands"]
            if not n:
                continue
            counts[c] += n
            for k in ("right", "sentence", "wrong_dials"):
                for m in MODELS:
                    totals[c][k][m] += r[m][c][k]
            cell = {
                k: " / ".join(str(r[m][c][k]) for m in MODELS) for k in ("right", "sentence", "wrong_dials")
            }
            wer = " / ".join(f"{r[m][c]['wer']}%" for m in MODELS)
            lines.append(
                f"| {voice} | {r['enrolled']} | {c} | {n} | {cell['right']} | {cell['sentence']} | {wer} "
                f"| {cell['wrong_dials']} |"
            )
    for c in CONDITIONS:
        n = counts[c]
        if n:
            cell = {
                k: " / ".join(f"{totals[c][k][m]} ({100 * totals[c][k][m] / n:.0f}%)" for m in MODELS)
                for k in ("right", "sentence")
            }
            dials = " / ".join(str(totals[c]["wrong_dials"][m]) for m in MODELS)
            lines.append(f"| all | | {c} | {n} | {cell['right']} | {cell['sentence']} | | {dials} |")
    return "\n".join(lines)


def checked_table(results: dict[str, Any]) -> str:
    """Commands right and wrong dials through `callbot eval` as shipped: without / with the MAP adaptation."""
    lines = [
        "| condition | commands | right, Whisper checking: without / MAP | wrong dials: without / MAP |",
        "|---|---:|---:|---:|",
    ]
    for c in CONDITIONS:
        n = sum(
            r["checked"]["without"][c]["commands"] for r in results.values() if c in r["checked"]["without"]
        )
        right = [sum(r["checked"][m][c]["right"] for r in results.values()) for m in ("without", "map")]
        dials = [sum(r["checked"][m][c]["wrong_dials"] for r in results.values()) for m in ("without", "map")]
        if n:
            shares = " / ".join(f"{r} ({100 * r / n:.0f}%)" for r in right)
            lines.append(f"| {c} | {n} | {shares} | {dials[0]} / {dials[1]} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="a corpus made with scripts/corpus.py --enroll")
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument(
        "--checked", action="store_true", help="also through `callbot eval` with the Whisper check (slower)"
    )
    args = parser.parse_args(argv)
    if not voices(args.corpus):
        print(f"{args.corpus} has no enroll/VOICE/ recordings: make it with scripts/corpus.py --enroll")
        return 2
    results = run(args.corpus, args.checked)
    print(table(results))
    if args.checked:
        print()
        print(checked_table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
