"""Command grammar build time and recogniser memory for large contact books, each size in a fresh process.

python -m bench.grammar SIZE     # one measurement, printed as JSON
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

SIZES = (1_000, 10_000)
RUNS = 3


def rss_mb(field: str = "VmRSS") -> float:
    """This process's resident memory (VmRSS) or its peak (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def probe(size: int) -> dict[str, Any]:
    """Build the grammars for `size` generated contacts, then decode one spoken command against them."""
    import tempfile

    from assistant.evaluate import SimpleBook
    from assistant.intents import IntentParser
    from assistant.ports import Expect, Listening
    from assistant.speech.audio import feed, read_audio
    from assistant.speech.commands import GrammarCommands
    from assistant.speech.sphinx import SphinxEngine

    from .resolver import contacts

    people = contacts(size)
    book = SimpleBook(people)
    parser = IntentParser()
    before = rss_mb()
    engine = SphinxEngine()
    model = rss_mb()
    commands = GrammarCommands(engine, parser.intents, book, ["the renewal"])
    started = time.perf_counter()
    commands.refresh(every=True)  # every listening state's grammar, as `callbot eval` reports it
    build = time.perf_counter() - started
    after = rss_mb()

    target = people[size // 2]
    said = f"call {target.name.replace('-', ' ')}"
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "command.wav"
        subprocess.run(["espeak-ng", "-v", "en-us+klatt2", "-s", "150", "-w", str(wav), said], check=True)
        clip = read_audio(wav)
    stream = commands.start(Expect(Listening.COMMAND))
    feed(clip, stream.feed)
    started = time.perf_counter()
    heard = stream.finish(clip)
    decode = time.perf_counter() - started
    return {
        "contacts": size,
        "build_s": build,
        "model_mb": model - before,
        "grammar_mb": after - model,
        "rss_after_mb": after,
        "peak_mb": rss_mb("VmHWM"),
        "said": said,
        "heard": heard.text,
        "finish_ms": 1000 * decode,
    }


def run(sizes: tuple[int, ...] = SIZES, runs: int = RUNS) -> list[dict[str, Any]]:
    rows = []
    for size in sizes:
        results = []
        for _ in range(runs):
            out = subprocess.run(
                [sys.executable, "-m", "bench.grammar", str(size)],
                check=True,
                capture_output=True,
                text=True,
                cwd=Path(__file__).resolve().parent.parent,
            ).stdout
            results.append(json.loads(out.strip().splitlines()[-1]))
        row: dict[str, Any] = {"contacts": size, "runs": runs}
        for key in ("build_s", "rss_after_mb", "model_mb", "grammar_mb", "peak_mb", "finish_ms"):
            row[key] = statistics.median(r[key] for r in results)
        row["said"], row["heard"] = results[0]["said"], results[0]["heard"]
        rows.append(row)
        print(
            f"  {size:>7} contacts: grammar build {row['build_s']:.2f} s, recogniser RSS "
            f"{row['rss_after_mb']:.0f} MB (model {row['model_mb']:.0f} MB, "
            f"grammars {row['grammar_mb']:.0f} MB); "
            f"said {row['said']!r}, heard {row['heard']!r}",
            flush=True,
        )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| contacts | grammar build s | process RSS MB | acoustic model MB | grammars MB | peak MB "
        "| decode after speech ms | said / heard |",
        "|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['contacts']:,} | {r['build_s']:.2f} | {r['rss_after_mb']:.0f} | {r['model_mb']:.0f} "
            f"| {r['grammar_mb']:.0f} "
            f"| {r['peak_mb']:.0f} | {r['finish_ms']:.0f} | {r['said']} / {r['heard']} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(json.dumps(probe(int(sys.argv[1]))))
