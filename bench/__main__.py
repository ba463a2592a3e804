"""Run the benchmarks; print one markdown report and write it, with the figures as JSON, to bench/results/.

python -m bench                    # speech (dev corpus, its two benches), latency, resolver, grammar, page
python -m bench heldout            # the held-out corpus and its benches too (or only some: ... resolver)
python -m bench enroll             # each voice's own adaptation (callbot enroll): bench/enroll.py
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

from . import enroll, frontend, grammar, human, latency, leads, page, resolver, speech, startup

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT = (
    "speech",
    "strangers",
    "first-names",
    "human",
    "frontend",
    "latency",
    "resolver",
    "grammar",
    "startup",
    "leads",
    "page",
)
PARTS = (*DEFAULT, "heldout", "enroll")
STRANGERS = (
    "## Strangers: 40 people not in the book asked for, each by every voice family clean and noisy "
    "(right: refused; any dial is a wrong dial)\n\n"
)
FIRST_NAMES = (
    "## First names: each contact no other's first name sounds like, asked for by it alone twice, by every "
    "voice family clean and noisy (right: dialled)\n\n"
)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or platform.machine(),
    )
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GiB; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}"
    )


def speech_table(groups: dict[str, dict[str, Any]], name: str) -> str:
    """Overall, then clean and noisy (the issue's targets are per condition)."""
    lines = [
        "| corpus | commands right | wrong dials | wrong numbers | topic WER | note WER | p50 ms | p95 ms "
        "| RTF |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for group, g in groups.items():
        label = name if group == "all" else f"{name}, {group}"
        lines.append(
            f"| {label} | {g['success_rate']:.1f}% ({g['success']}/{g['commands']}) "
            f"| {g['wrong_dials']} | {g['wrong_numbers']} | {g['topic_wer']:.1f}% | {g['note_wer']:.1f}% "
            f"| {g['p50_ms']:.0f} | {g['p95_ms']:.0f} | {g['rtf']} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    unknown = set(argv) - set(PARTS)
    if unknown:
        print(f"unknown benchmark {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}")
        return 2
    wanted = [p for p in PARTS if p in argv] or list(DEFAULT)
    RESULTS.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Any] = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    sections = [f"# callbot benchmarks\n\n{figures['machine']}; {figures['started']}"]
    started = time.monotonic()
    for part in wanted:
        print(f"== {part}", flush=True)
        begun = time.monotonic()
        if part == "speech":
            figures[part] = speech.run("dev", RESULTS)
            sections.append("## Speech, development corpus\n\n" + speech_table(figures[part], "dev"))
        elif part == "strangers":
            figures[part] = speech.run("dev", RESULTS, bench="strangers")
            sections.append(STRANGERS + speech_table(figures[part], "dev book"))
        elif part == "first-names":
            figures[part] = speech.run("dev", RESULTS, bench="first-names")
            sections.append(FIRST_NAMES + speech_table(figures[part], "dev book"))
        elif part == "heldout":
            figures[part] = speech.run("heldout", RESULTS)
            sections.append("## Speech, held-out corpus\n\n" + speech_table(figures[part], "held-out"))
            for bench, title in (("strangers", STRANGERS), ("first-names", FIRST_NAMES)):
                figures[f"{bench}-heldout"] = speech.run("heldout", RESULTS, bench=bench)
                sections.append(title + speech_table(figures[f"{bench}-heldout"], "held-out book"))
        elif part == "human":
            figures[part] = [human.measure(), human.measure("base")]
            sections.append(
                "## Notes on real recorded English (Asterisk prompts, Allison Smith, CC BY-SA 3.0; 8 kHz)\n\n"
                + human.table(figures[part])
            )
        elif part == "frontend":
            figures[part] = frontend.measure(speech.ensure_corpus("dev"))
            sections.append(
                "## Noise front ends (grammar engine alone, dev commands right per condition)\n\n"
                + frontend.table(figures[part])
            )
        elif part == "enroll":
            figures[part] = enroll.run(enroll.ensure_corpus())
            sections.append(
                "## Each voice's own adaptation (grammar alone; each cell: without / MLLR / MAP)\n\n"
                + enroll.table(figures[part])
            )
        elif part == "latency":
            figures[part] = latency.run(speech.ensure_corpus("dev"))
            sections.append("## Turn latency (median of 3 runs)\n\n" + latency.table(figures[part]))
        elif part == "resolver":
            figures[part] = resolver.run()
            sections.append(
                f"## Contact resolution ({resolver.QUERIES} perturbed queries per size, median of "
                f"{resolver.RUNS} runs; baseline: extractOne(WRatio) over all names)\n\n"
                + resolver.table(figures[part])
            )
        elif part == "grammar":
            figures[part] = grammar.run()
            sections.append(
                f"## Command grammars (fresh process each, median of {grammar.RUNS})\n\n"
                + grammar.table(figures[part])
            )
        elif part == "startup":
            figures[part] = startup.run()
            sections.append(
                f"## Start-up of `callbot listen` (median of {startup.RUNS} starts)\n\n"
                + startup.table(figures[part])
            )
        elif part == "leads":
            figures[part] = leads.run()
            sections.append(
                f"## A {leads.LEADS}-lead list worked in text mode through the simulator (issue 19)\n\n"
                + leads.table(figures[part])
            )
        elif part == "page":
            figures[part] = page.run()
            sections.append(
                f"## The live page: a call's state change to the page showing it ({page.CHANGES} changes, "
                "headless Chromium)\n\n" + page.table(figures[part])
            )
        print(f"   ({time.monotonic() - begun:.0f} s)", flush=True)
    figures["seconds"] = round(time.monotonic() - started)
    sections.append(f"All of it took {figures['seconds'] / 60:.1f} minutes.")
    report = "\n\n".join(sections) + "\n"
    (RESULTS / "bench.md").write_text(report)
    (RESULTS / "bench.json").write_text(json.dumps(figures, indent=1, default=str))
    print("\n" + report)
    print(f"written to {RESULTS / 'bench.md'} and bench.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
