"""`callbot eval CORPUS`: how well callbot understands a spoken corpus, and how fast.

    CORPUS/contacts.csv      contacts, in any format callbot imports
    CORPUS/manifest.jsonl    {"id", "audio", "kind": "command"|"note", "tags", "text", "expect", "context"}

Each utterance is heard and understood as `callbot listen` would; scorecard.py scores and reports it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .calibrate import readings
from .contacts.importers import read_contacts
from .contacts.resolver import Resolver
from .contacts.soundalike import SoundAlikes
from .errors import CallbotError, TranscriptionFailed
from .intents import IntentParser
from .models import Candidate, Contact, Utterance
from .ports import ANSWERS, COMMANDS, Expect, Listening
from .scorecard import Normalizer, Outcome, Report, score
from .speech.audio import feed
from .understanding import pick, resolve_heard, understand


class SimpleBook:
    """The corpus's contacts as the recognisers and the resolver see them."""

    def __init__(self, contacts: list[Contact]):
        from .contacts.names import Nicknames
        from .speech.pronounce import shared

        self._contacts = contacts
        self.nicknames = Nicknames()
        self.version = len(contacts)
        self._resolver = Resolver(contacts, self.nicknames)
        self._alikes: SoundAlikes | None = None
        self._pronounce = shared().names

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
        getattr(recognizer, "book_checks", None),
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
    score(outcome, expect, normalizer)


def alike_names(book: SimpleBook, by_name: dict[str, Contact], expect: dict[str, Any]) -> list[str]:
    """The contacts whose names sound like the one the command wants."""
    wanted = by_name.get(expect.get("contact") or "")
    return [c.name for c in book.sound_alikes().of(wanted)] if wanted is not None else []


def _allowed(mode: Listening) -> tuple[str, ...]:
    return ANSWERS[mode] if mode == Listening.COMMAND else (*ANSWERS[mode], *COMMANDS)
