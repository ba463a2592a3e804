"""What `callbot eval` found: each utterance's outcome scored against what its manifest expects, and the
report (overall, per tag, the decision's curve) as JSON and as a markdown table.

A command succeeds when its intent, action, contact and label (those the manifest gives) are all right.
A wrong dial is a "dial" for someone other than expected, or where callbot should have asked or refused;
a wrong number, a "dial" for the right person on another number than the label expected.
An utterance rejected as unsure is never a dial; it counts as right only where a refusal was expected.
A command that should have dialled but asked instead ("Did you mean ...?", "Which one?") with the person
among those offered is counted apart too: one answer from the call, where "say it again" is a whole command.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from .models import Action


@dataclass
class Outcome:
    id: str
    kind: str
    tags: list[str]
    text: str
    heard: str = ""
    confidence: float | None = None
    intent: str | None = None
    action: str | None = None
    contact: str | None = None
    label: str | None = None
    topic: str | None = None
    candidates: list[str] = field(default_factory=list)
    success: bool = False
    wrong_dial: bool = False
    wrong_number: bool = False  # the right person, on a number the user did not ask for
    number_confirmed: bool = False  # the dialog would confirm the number before dialling (a guessed label)
    asked_right: bool = False  # should have dialled, and asked about the person instead (among others)
    errors: list[str] = field(default_factory=list)
    latency_ms: float = 0.0  # end of audio -> resolution
    compute_s: float = 0.0  # all the computing for this utterance, during and after the audio
    audio_s: float = 0.0
    wer_words: tuple[int, int] = (0, 0)  # (edit distance, reference words) for topics and notes
    would: dict[str, Any] = field(default_factory=dict)  # what a rejected command would have done
    expect: dict[str, Any] = field(default_factory=dict)
    readings: list[dict[str, Any]] = field(default_factory=list)  # weighed by the decision model, if asked


@dataclass
class Report:
    outcomes: list[Outcome]
    engine: str
    notes_engine: str
    build_seconds: float = 0.0
    checks: int | None = None  # commands the second engine was asked about, if there is one
    book_checks: int | None = None  # readings it was made to say naming everyone in the book

    def group(self, tag: str | None = None) -> dict[str, Any]:
        items = [o for o in self.outcomes if tag is None or tag in o.tags]
        commands = [o for o in items if o.kind == "command"]
        notes = [o for o in items if o.kind == "note"]
        topics = [o for o in commands if o.wer_words[1]]
        latencies = sorted(o.latency_ms for o in commands)
        audio = sum(o.audio_s for o in commands)
        compute = sum(o.compute_s for o in commands)
        return {
            "commands": len(commands),
            "success": sum(o.success for o in commands),
            "success_rate": _rate(sum(o.success for o in commands), len(commands)),
            "asked_right": sum(o.asked_right for o in commands),
            "wrong_dials": sum(o.wrong_dial for o in commands),
            "wrong_numbers": sum(o.wrong_number for o in commands),
            "topic_wer": _wer(topics),
            "notes": len(notes),
            "note_wer": _wer(notes),
            "p50_ms": _percentile(latencies, 50),
            "p95_ms": _percentile(latencies, 95),
            "rtf": round(compute / audio, 3) if audio else None,
        }

    def tags(self) -> list[str]:
        return sorted({t for o in self.outcomes for t in o.tags})

    def summary_line(self) -> str:
        g = self.group()
        if not g["commands"]:  # a corpus of notes only (scripts/corpus.py --notes)
            return f"eval: {g['notes']} notes, note WER {g['note_wer']:.1f}%; no commands"
        return (
            f"eval: {g['success_rate']:.1f}% commands right ({g['success']}/{g['commands']}), "
            f"{g['asked_right']} more asked about the right person, {g['wrong_dials']} wrong dials, "
            f"note WER {g['note_wer']:.1f}%, "
            f"p50 {g['p50_ms']:.0f} ms, p95 {g['p95_ms']:.0f} ms"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "notes_engine": self.notes_engine,
            "grammar_build_s": round(self.build_seconds, 3),
            "second_engine_checks": self.checks,
            "book_checks": self.book_checks,
            "overall": self.group(),
            "by_tag": {t: self.group(t) for t in self.tags()},
            "items": [asdict(o) for o in self.outcomes],
        }


def _rate(n: int, total: int) -> float:
    return round(100.0 * n / total, 1) if total else 0.0


def _wer(items: list[Outcome]) -> float:
    errors = sum(o.wer_words[0] for o in items)
    words = sum(o.wer_words[1] for o in items)
    return round(100.0 * errors / words, 1) if words else 0.0


def _percentile(values: list[float], p: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


class Normalizer:
    """Whisper's English normaliser (numbers, spelling, punctuation) on both sides of a WER."""

    def __init__(self) -> None:
        from whisper_normalizer.english import EnglishTextNormalizer

        self._normalize = EnglishTextNormalizer()

    def words(self, text: str) -> list[str]:
        return str(self._normalize(text)).split()

    def errors(self, reference: str, hypothesis: str) -> tuple[int, int]:
        import jiwer

        ref, hyp = self.words(reference), self.words(hypothesis)
        if not ref:
            return (len(hyp), 0)
        out = jiwer.process_words(" ".join(ref), " ".join(hyp) or "")
        return out.substitutions + out.deletions + out.insertions, len(ref)


def score(outcome: Outcome, expect: dict[str, Any], normalizer: Normalizer) -> None:
    errors = outcome.errors
    expected_action = expect.get("action")
    refused_as_expected = expected_action == "refuse" and outcome.action in ("refuse", "reject", None)
    if "intent" in expect and outcome.intent != expect["intent"] and not refused_as_expected:
        errors.append(f"intent {outcome.intent} != {expect['intent']}")
    if expected_action and not refused_as_expected and outcome.action != expected_action:
        errors.append(f"action {outcome.action} != {expected_action}")
    if "contact" in expect and outcome.contact != expect["contact"]:
        errors.append(f"contact {outcome.contact} != {expect['contact']}")
    if "label" in expect and outcome.action == "dial" and outcome.label != expect["label"]:
        errors.append(f"label {outcome.label} != {expect['label']}")
    if expected_action == "ask" and "candidates" in expect and outcome.action == "ask":
        missing = set(expect["candidates"]) - set(outcome.candidates)
        if missing:
            errors.append(f"not offered: {', '.join(sorted(missing))}")
    if outcome.action == Action.DIAL and (
        expected_action != "dial" or outcome.contact != expect.get("contact")
    ):
        outcome.wrong_dial = True
    elif outcome.action == Action.DIAL and "label" in expect and outcome.label != expect["label"]:
        outcome.wrong_number = True
    outcome.asked_right = (
        bool(errors)
        and expected_action == "dial"
        and outcome.action == Action.ASK
        and expect.get("contact") in outcome.candidates
    )
    if "topic" in expect:
        outcome.wer_words = normalizer.errors(expect["topic"], outcome.topic or "")
    outcome.success = not errors


def format_table(report: Report) -> str:
    """The report as a markdown table, overall and per tag."""
    lines = [
        f"engine: {report.engine}; notes: {report.notes_engine}; grammar build {report.build_seconds:.2f} s"
        + (f"; second engine asked about {report.checks} commands" if report.checks is not None else "")
        + (f", {report.book_checks} readings said through the book" if report.book_checks else ""),
        "",
        "| group | commands | right | asked, the person offered | wrong dials | wrong numbers | topic WER "
        "| notes | note WER | p50 ms | p95 ms | RTF |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, g in [("all", report.group())] + [(t, report.group(t)) for t in report.tags()]:
        right, p50, p95 = (
            (f"{g['success_rate']:.1f}% ({g['success']})", f"{g['p50_ms']:.0f}", f"{g['p95_ms']:.0f}")
            if g["commands"]
            else ("-", "-", "-")  # notes only: no command to be right, or to time
        )
        lines.append(
            f"| {name} | {g['commands']} | {right} | {g['asked_right']} | {g['wrong_dials']} | "
            f"{g['wrong_numbers']} | {g['topic_wer']:.1f}% | {g['notes']} | {g['note_wer']:.1f}% | {p50} | "
            f"{p95} | {g['rtf'] if g['rtf'] is not None else '-'} |"
        )
    return "\n".join([*lines, *curve_table(report)])


def curve_table(report: Report) -> list[str]:
    """On the commands the second engine was asked about: at each threshold on the decision model's
    probability, the share acted on without asking, and the share dialled wrongly."""
    from .speech.decision import curve

    weighed = [(o.id, r) for o in report.outcomes for r in o.readings]
    if not weighed:
        return []
    points = curve(
        [r["p"] for _, r in weighed], [r["right"] for _, r in weighed], [r["dials"] for _, r in weighed],
        [i for i, _ in weighed], [r.get("held", False) for _, r in weighed],
    )  # fmt: skip
    lines = ["", "| threshold | acted on without asking | dialled wrongly |", "|---|---|---|"]
    for threshold in (0.5, 0.7, 0.8, 0.9, 0.95, 0.98):
        point = next((p for p in points if p.threshold >= threshold), None)
        if point is not None:
            lines.append(
                f"| {threshold:.2f} | {100 * point.dial_rate:.1f}% | {100 * point.wrong_rate:.1f}% |"
            )
    return lines


def failures(report: Report, limit: int = 40) -> Iterable[str]:
    for o in [o for o in report.outcomes if o.kind == "command" and not o.success][:limit]:
        flag = " WRONG DIAL" if o.wrong_dial else " WRONG NUMBER" if o.wrong_number else ""
        heard = f"heard {o.heard!r} ({o.confidence or 0:.2f})"
        yield f"{o.id}: said {o.text!r}, {heard}{flag}: {'; '.join(o.errors)}"
