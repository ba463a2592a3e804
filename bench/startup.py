"""Start-up of `callbot listen`: a fresh process until it first listens, and its resident memory.

The machine has no microphone, so the process listens to a recording (`--audio`) and prints its replies
(`--quiet`); everything else is what a user starts: settings, the call log, the contact book, the command
grammars, and the notes model loading in the background.

    python -m bench.startup DATA_DIR AUDIO   # one start, as JSON (run by `run`, one process per start)
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from .grammar import rss_mb

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def probe(audio: str) -> None:
    """Run `callbot listen`; at its first listen report time and memory, await the notes model, exit."""
    from assistant.cli import app
    from assistant.speech.ear import VoiceEar

    def listening(self: VoiceEar, *args: Any, **kwargs: Any) -> None:
        at, rss = time.monotonic(), rss_mb()
        for thread in threading.enumerate():
            if thread.name == "whisper-load":
                thread.join()  # the checker and notes model, loaded while the first command is spoken
        report = {"listening": at, "ready": time.monotonic(), "rss_mb": rss, "with_notes_mb": rss_mb()}
        print(json.dumps(report), flush=True)
        os._exit(0)

    VoiceEar.listen = listening  # type: ignore[method-assign]
    app(["listen", "--audio", audio, "--quiet"])


def one_start(data_dir: Path, audio: Path) -> dict[str, float]:
    # Python keeps the modules it compiled (__pycache__) as it does on a user's machine, though the shell
    # running the bench may say not to: compiling every module afresh added 0.2 s to each start here
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["CALLBOT_DATA_DIR"] = str(data_dir)
    started = time.monotonic()
    out = subprocess.run(
        [sys.executable, "-m", "bench.startup", str(audio)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    ).stdout
    report = json.loads(out.strip().splitlines()[-1])
    return {
        "seconds": report["listening"] - started,
        "ready_seconds": report["ready"] - started,
        "rss_mb": report["rss_mb"],
        "with_notes_mb": report["with_notes_mb"],
    }


def run(sizes: tuple[int, ...] = (0, 1_000), runs: int = RUNS) -> list[dict[str, Any]]:
    """Start-up with the example contacts (size 0) and with generated books of the given sizes."""
    from assistant.calllog.store import Store
    from assistant.contacts.importers import read_contacts

    from .resolver import contacts

    rows = []
    audio = ROOT / "config" / "demo" / "05-who-did-i-call-last.wav"
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp)
            store = Store(f"sqlite:///{data}/callbot.db")
            people = (
                contacts(size) if size else read_contacts(ROOT / "config" / "contacts.example.csv").contacts
            )
            store.import_contacts(people, source="bench")
            store.close()
            first = one_start(data, audio)  # reads the files from disk; later starts find them in memory
            starts = [one_start(data, audio) for _ in range(runs)]
        row: dict[str, Any] = {"contacts": len(people), "runs": runs, "first_seconds": first["seconds"]}
        for key in starts[0]:
            row[key] = statistics.median(s[key] for s in starts)
        rows.append(row)
        print(
            f"  {row['contacts']:>7} contacts: listening after {row['seconds']:.2f} s "
            f"(first start {row['first_seconds']:.2f} s), Whisper ready after {row['ready_seconds']:.2f} s, "
            f"RSS {row['rss_mb']:.0f} MB ({row['with_notes_mb']:.0f} MB once the notes model is loaded)",
            flush=True,
        )
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| contacts | start to listening s | first start s | Whisper ready s | RSS at listening MB "
        "| RSS with the notes model MB |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['contacts']:,} | {r['seconds']:.2f} | {r['first_seconds']:.2f} | {r['ready_seconds']:.2f} "
            f"| {r['rss_mb']:.0f} "
            f"| {r['with_notes_mb']:.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    probe(sys.argv[1])
