"""Speech benchmark: the development and held-out corpora through `callbot eval`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "bench" / "corpus"


def ensure_corpus(which: str) -> Path:
    out = CORPORA / which
    if not (out / "manifest.jsonl").exists():
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "corpus.py"), str(out), "--set", which], check=True
        )
    return out


def run(which: str, results: Path, extra: list[str] | None = None, label: str = "") -> dict:
    corpus = ensure_corpus(which)
    name = f"speech-{which}{'-' + label if label else ''}"
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
    return {"all": figures["overall"], **{tag: by_tag[tag] for tag in ("clean", "noisy") if tag in by_tag}}
