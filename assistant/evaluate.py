"""`callbot eval CORPUS`: how well callbot understands a spoken corpus, and how fast.

    CORPUS/contacts.csv      contacts, in any format callbot imports
    CORPUS/manifest.jsonl    {"id", "audio", "kind": "command"|"note", "tags", "text", "expect", "context"}

A command succeeds when its intent, action, contact and label (those the manifest gives) are all right.
A wrong dial is a "dial" for someone other than expected, or where callbot should have asked or refused;
a wrong number, a "dial" for the right person on another number than the label expected.
An utterance rejected as unsure is never a dial; it counts as right only where a refusal was expected.
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .calibrate import readings
from .contacts.importers import read_contacts
from .contacts.resolver import Resolver
from .contacts.soundalike import SoundAlikes
from .errors import CallbotError, TranscriptionFailed
from .intents import IntentParser
from .models import Action, Candidate, Contact, Utterance
from .ports import ANSWERS, COMMANDS, Expect, Listening
from .speech.audio import feed
from .understanding import pick, resolve_heard, understand


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
        return (
            f"eval: {g['success_rate']:.1f}% commands right ({g['success']}/{g['commands']}), "
            f"{g['wrong_dials']} wrong dials, note WER {g['note_wer']:.1f}%, "
            f"p50 {g['p50_ms']:.0f} ms, p95 {g['p95_ms']:.0f} ms"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "notes_engine": self.notes_engine,
            "grammar_build_s": round(self.build_seconds, 3),
            "second_engine_checks": self.checks,
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


class SimpleBook:
    """The corpus's contacts as the recognisers and the resolver see them."""

    def __init__(self, contacts: list[Contact]):
        from .contacts.names import Nicknames
        from .speech.pronounce import Pronouncer

        self._contacts = contacts
        self.nicknames = Nicknames()
        self.version = len(contacts)
        self._resolver = Resolver(contacts, self.nicknames)
        self._alikes: SoundAlikes | None = None
        self._pronounce = Pronouncer().names

    def sound_alikes(self) -> SoundAlikes:
        if self._alikes is None:
            self._alikes = SoundAlikes(self._contacts, self._pronounce)
        return self._alikes

    def contacts(self) -> list[Contact]:
        return self._contacts

    def resolver(self) -> Resolver:
        return self._resolver


def load_corpus(corpus: Path) -> tuple[list[Contact], list[dict[str, Any]]]:
    manifest = corpus / "manifest.jsonl"
    contacts_files = sorted(p for p in corpus.iterdir() if p.stem == "contacts") if corpus.is_dir() else []
    if not manifest.exists() or not contacts_files:
        raise CallbotError(f"{corpus} is not a corpus: it needs contacts.csv (or .vcf) and manifest.jsonl")
    contacts = read_contacts(contacts_files[0]).contacts
    items = []
    for number, line in enumerate(manifest.read_text().splitlines(), start=1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise CallbotError(f"{manifest}:{number}: not JSON ({exc.msg})") from None
    return [Contact(**{**c.__dict__, "id": i}) for i, c in enumerate(contacts, start=1)], items


def evaluate(
    corpus: Path,
    *,
    commands: Callable[[SimpleBook], Any],
    transcriber: Any = None,
    min_confidence: float = 0.3,
    sure_confidence: float = 0.85,
    progress: Callable[[Outcome], None] | None = None,
) -> Report:
    """Run every recording through the recogniser and the dialog's own understanding; score it."""
    from .speech.audio import read_audio

    contacts, items = load_corpus(corpus)
    book = SimpleBook(contacts)
    recognizer = commands(book)
    started = time.perf_counter()
    if hasattr(recognizer, "refresh"):
        recognizer.refresh()
    build = time.perf_counter() - started
    parser = IntentParser()
    normalizer = Normalizer()
    by_name = {c.name: c for c in contacts}
    outcomes = []
    for item in items:
        clip = read_audio(corpus / item["audio"])
        outcome = Outcome(
            item["id"],
            item.get("kind", "command"),
            item.get("tags", []),
            item.get("text", ""),
            audio_s=clip.seconds,
        )
        if outcome.kind == "note":
            _note(outcome, clip, transcriber, normalizer)
        else:
            _command(
                outcome,
                item,
                clip,
                recognizer,
                parser,
                book,
                by_name,
                min_confidence,
                sure_confidence,
                normalizer,
            )
        outcomes.append(outcome)
        if progress:
            progress(outcome)
    return Report(
        outcomes,
        getattr(recognizer, "name", "?"),
        getattr(transcriber, "name", "-"),
        build,
        getattr(recognizer, "checks", None),
    )


def _note(outcome: Outcome, clip: Any, transcriber: Any, normalizer: Normalizer) -> None:
    if transcriber is None:
        outcome.errors.append("no notes engine")
        outcome.wer_words = (len(normalizer.words(outcome.text)), len(normalizer.words(outcome.text)))
        return
    started = time.perf_counter()
    try:
        outcome.heard = transcriber.transcribe(clip).text
    except TranscriptionFailed as exc:
        outcome.errors.append(str(exc))
    outcome.latency_ms = 1000 * (time.perf_counter() - started)
    outcome.wer_words = normalizer.errors(outcome.text, outcome.heard)
    outcome.success = outcome.wer_words[0] == 0


def _command(
    outcome: Outcome,
    item: dict[str, Any],
    clip: Any,
    recognizer: Any,
    parser: IntentParser,
    book: SimpleBook,
    by_name: dict[str, Contact],
    min_confidence: float,
    sure_confidence: float,
    normalizer: Normalizer,
) -> None:
    context = item.get("context", {})
    mode = Listening(context.get("mode", "command"))
    choices = tuple(by_name[n] for n in context.get("choices", []) if n in by_name)
    expect = outcome.expect = item.get("expect", {})
    stream = recognizer.start(Expect(mode, choices))
    feed(clip, stream.feed)  # as a microphone delivers it: decoding keeps pace with the speech
    started = time.perf_counter()  # the end of the audio
    transcript = stream.finish(clip)
    heard_at = time.perf_counter()
    outcome.readings = readings(recognizer, expect, alike_names(book, by_name, expect))
    outcome.heard, outcome.confidence = transcript.text, transcript.confidence
    unsure = transcript.confidence is not None and transcript.confidence < min_confidence
    intent = understand(
        Utterance(transcript),
        parser,
        _allowed(mode),
        {"dialog": "choosing"} if mode == Listening.CHOICE else None,
    )
    if intent is not None:
        outcome.intent = intent.name
        if intent.name == "CallContact":
            resolution = resolve_heard(
                book.resolver(), Utterance(transcript), intent, parser, sure_confidence, book.sound_alikes()
            )
            outcome.action = str(resolution.action)
            outcome.contact = resolution.contact.name if resolution.contact else None
            outcome.label = resolution.number.label if resolution.number else None
            outcome.number_confirmed = resolution.label_guessed or resolution.label_missing
            outcome.candidates = [c.contact.name for c in resolution.candidates]
            outcome.topic = intent.slot("topic") or None
        elif intent.name in ("Choose", "Correct") and choices:
            chosen = pick([Candidate(c, 100.0) for c in choices], intent, book.nicknames)
            outcome.contact = chosen.contact.name if chosen else None
    if unsure:  # what it would have done is kept for calibrating the threshold; it does nothing
        outcome.would = {
            "intent": outcome.intent,
            "action": outcome.action,
            "contact": outcome.contact,
            "label": outcome.label,
        }
        outcome.intent = outcome.action = outcome.contact = outcome.label = None
        outcome.action = "reject"
    outcome.latency_ms = 1000 * (time.perf_counter() - started)
    outcome.compute_s = stream.compute + (time.perf_counter() - heard_at)
    _score(outcome, expect, normalizer)


def alike_names(book: SimpleBook, by_name: dict[str, Contact], expect: dict[str, Any]) -> list[str]:
    """The contacts whose names sound like the one the command wants."""
    wanted = by_name.get(expect.get("contact") or "")
    return [c.name for c in book.sound_alikes().of(wanted)] if wanted is not None else []


def _allowed(mode: Listening) -> tuple[str, ...]:
    return ANSWERS[mode] if mode == Listening.COMMAND else (*ANSWERS[mode], *COMMANDS)


def _score(outcome: Outcome, expect: dict[str, Any], normalizer: Normalizer) -> None:
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
    if "topic" in expect:
        outcome.wer_words = normalizer.errors(expect["topic"], outcome.topic or "")
    outcome.success = not errors


def format_table(report: Report) -> str:
    """The report as a markdown table, overall and per tag."""
    lines = [
        f"engine: {report.engine}; notes: {report.notes_engine}; grammar build {report.build_seconds:.2f} s"
        + (f"; second engine asked about {report.checks} commands" if report.checks is not None else ""),
        "",
        "| group | commands | right | wrong dials | wrong numbers | topic WER | notes | note WER "
        "| p50 ms | p95 ms | RTF |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, g in [("all", report.group())] + [(t, report.group(t)) for t in report.tags()]:
        lines.append(
            f"| {name} | {g['commands']} | {g['success_rate']:.1f}% ({g['success']}) | {g['wrong_dials']} | "
            f"{g['wrong_numbers']} | "
            f"{g['topic_wer']:.1f}% | {g['notes']} | {g['note_wer']:.1f}% | {g['p50_ms']:.0f} | "
            f"{g['p95_ms']:.0f} | {g['rtf'] if g['rtf'] is not None else '-'} |"
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
        [i for i, _ in weighed],
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
