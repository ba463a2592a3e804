"""Run every benchmark and write bench/results/*.md and *.json (python -m bench [speech ...])."""

from __future__ import annotations

import json
import platform
import sys
import time
from pathlib import Path

from . import speech

RESULTS = Path(__file__).resolve().parent / "results"


def machine() -> str:
    import os

    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def main(argv: list[str]) -> int:
    RESULTS.mkdir(parents=True, exist_ok=True)
    wanted = set(argv) or {"speech"}
    summary: dict[str, object] = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    if "speech" in wanted:
        summary["speech-dev"] = speech.run("dev", RESULTS)
        summary["speech-heldout"] = speech.run("heldout", RESULTS)
    (RESULTS / "summary.json").write_text(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
