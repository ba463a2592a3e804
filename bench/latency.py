"""Turn latency on the development corpus, in two legs, each the median of RUNS runs:

- end of audio -> resolution: the recording streams into the real recogniser as a microphone would deliver
  it; the clock starts when the audio ends and stops when the contact is resolved (a sample of the corpus's
  commands, clean and noisy);
- resolution -> provider request: the dialog's own work before a carrier hears of the call (safety rules,
  do-not-call lookup, the call-log row written to SQLite), measured in the real session with the simulator.
"""

from __future__ import annotations

import io
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time
from pathlib import Path
from typing import Any

from .resolver import percentile

RUNS = 3
SAMPLE = 40  # commands of the corpus for the audio leg (every n-th, so every voice and noise is in it)


def audio_leg(corpus: Path, runs: int = RUNS) -> dict[str, Any]:
    from assistant.cli import Runtime
    from assistant.evaluate import evaluate

    rt = Runtime(None, None)  # the settings and recogniser `callbot eval` uses
    speech = rt.settings.speech
    items = [json.loads(line) for line in (corpus / "manifest.jsonl").read_text().splitlines() if line]
    commands = [i for i in items if i.get("kind", "command") == "command"]
    chosen = commands[:: max(1, len(commands) // SAMPLE)][:SAMPLE]
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        sample = Path(tmp)
        (sample / "contacts.csv").write_text((corpus / "contacts.csv").read_text())
        (sample / "audio").symlink_to((corpus / "audio").resolve())
        (sample / "manifest.jsonl").write_text("".join(json.dumps(i) + "\n" for i in chosen))
        for _ in range(runs):
            report = evaluate(
                sample,
                commands=lambda book: rt.command_recognizer(book=book, topics=speech.topics),
                min_confidence=speech.min_confidence,
                sure_confidence=speech.sure_confidence,
            )
            latencies = [o.latency_ms for o in report.outcomes]
            results.append((percentile(latencies, 50), percentile(latencies, 95)))
    return {
        "utterances": len(chosen),
        "runs": runs,
        "p50_ms": statistics.median(r[0] for r in results),
        "p95_ms": statistics.median(r[1] for r in results),
    }


class MorningClock:
    """A Friday morning in America (inside everyone's calling hours), running on from the real clock."""

    def __init__(self) -> None:
        self.start = time.monotonic()

    def now(self) -> datetime:
        return datetime(2026, 11, 27, 15, 0, tzinfo=UTC) + timedelta(seconds=time.monotonic() - self.start)


def dialog_leg(corpus: Path, runs: int = RUNS) -> dict[str, Any]:
    """Each clean "call X" of the corpus through the real session, from its resolution to the carrier."""
    import assistant.dialog.asking as session_mod
    from assistant.calllog.store import Store
    from assistant.compliance import Rules
    from assistant.console import PrintVoice, TextEar
    from assistant.contacts.book import ContactBook
    from assistant.contacts.importers import read_contacts
    from assistant.contacts.numbers import region_of
    from assistant.session import Session, SessionSettings
    from assistant.telephony.simulator import Simulator

    items = [json.loads(line) for line in (corpus / "manifest.jsonl").read_text().splitlines() if line]
    said = list(
        dict.fromkeys(
            i["text"]
            for i in items
            if i.get("expect", {}).get("action") == "dial" and "clean" in i.get("tags", [])
        )
    )
    resolved: list[float] = []
    requested: list[float] = []
    real_resolve = session_mod.resolve_heard

    def timed_resolve(*args: Any, **kwargs: Any) -> Any:
        result = real_resolve(*args, **kwargs)
        resolved.append(time.perf_counter())
        return result

    class TimedSimulator(Simulator):
        def place(self, request: Any) -> Any:
            requested.append(time.perf_counter() - resolved[-1])
            return super().place(request)

    results = []
    session_mod.resolve_heard = timed_resolve
    try:
        for _ in range(runs):
            requested.clear()
            with tempfile.TemporaryDirectory() as tmp:
                store = Store(f"sqlite:///{tmp}/calls.db")
                people = read_contacts(corpus / "contacts.csv").contacts
                store.import_contacts(people, source="corpus")
                # The rules are checked as always; none stops a call here (a question would eat a command).
                countries = tuple({region_of(n.e164) for c in people for n in c.numbers})
                rules = Rules({day: (dt_time(0), dt_time(23, 59)) for day in range(7)}, "refuse", countries)
                clock = MorningClock()
                session = Session(
                    ear=TextEar(io.StringIO("".join(s + "\n" for s in said))),
                    voice=PrintVoice(io.StringIO()),
                    telephony=TimedSimulator({}),
                    log=store,
                    book=ContactBook(store),
                    clock=clock,
                    settings=SessionSettings(
                        rep="bench",
                        rules=rules,
                        confirm="never",
                        cancel_window=0,
                        repeat_window=0,
                        ask_for_note=False,
                    ),
                )
                session.run()
                store.close()
            results.append((percentile(requested, 50), percentile(requested, 95), len(requested)))
    finally:
        session_mod.resolve_heard = real_resolve
    return {
        "commands": len(said),
        "requests": statistics.median(r[2] for r in results),
        "runs": runs,
        "p50_ms": 1000 * statistics.median(r[0] for r in results),
        "p95_ms": 1000 * statistics.median(r[1] for r in results),
    }


def run(corpus: Path, runs: int = RUNS) -> dict[str, Any]:
    audio = audio_leg(corpus, runs)
    print(
        f"  end of audio -> resolution: p50 {audio['p50_ms']:.0f} ms, p95 {audio['p95_ms']:.0f} ms",
        flush=True,
    )
    dialog = dialog_leg(corpus, runs)
    print(
        f"  resolution -> provider request: p50 {dialog['p50_ms']:.1f} ms, p95 {dialog['p95_ms']:.1f} ms "
        f"({dialog['requests']:.0f} of {dialog['commands']} commands reached the carrier)",
        flush=True,
    )
    return {"audio_to_resolution": audio, "resolution_to_request": dialog}


def table(result: dict[str, Any]) -> str:
    a, d = result["audio_to_resolution"], result["resolution_to_request"]
    return "\n".join(
        [
            "| leg | p50 ms | p95 ms | measured over |",
            "|---|---:|---:|---|",
            "| end of audio -> resolution (streaming sphinx, Whisper check when unsure) "
            f"| {a['p50_ms']:.0f} | {a['p95_ms']:.0f} "
            f"| {a['utterances']} dev-corpus commands, clean and noisy |",
            f"| resolution -> provider request (simulator, SQLite) | {d['p50_ms']:.1f} | {d['p95_ms']:.1f} "
            f"| {d['requests']:.0f} calls placed from {d['commands']} dev-corpus commands |",
        ]
    )
