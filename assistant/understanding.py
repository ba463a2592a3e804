"""From what was heard to what it means: the intent, the slot as every hypothesis heard it, the person.

Pure: the dialog and `callbot eval` share it, so the corpus measures exactly what the dialog does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from .contacts.names import Nicknames, fold
from .contacts.resolver import Resolver
from .contacts.soundalike import SoundAlikes, settled
from .intents import IntentParser
from .models import Action, Candidate, Intent, Resolution, Utterance


def understand(
    utterance: Utterance, parser: IntentParser, allowed: Sequence[str], context: dict[str, Any] | None = None
) -> Intent | None:
    """The intent of the best hypothesis that parses (runners-up are tried when the best does not)."""
    if utterance.transcript is None:
        return None
    for text in utterance.transcript.hypotheses:
        intent = parser.parse(text, allowed=allowed, context=context)
        if intent is not None:
            return intent
    return None


def slot_hypotheses(utterance: Utterance, parser: IntentParser, intent: Intent, slot: str) -> list[str]:
    """The slot as heard in every hypothesis that parses to the same intent (the resolver weighs them)."""
    values = [intent.slot(slot)]
    if utterance.transcript is not None:
        for text in utterance.transcript.alternatives:
            other = parser.parse(text, allowed=[intent.name])
            if other is not None and other.slot(slot) and other.slot(slot) not in values:
                values.append(other.slot(slot))
    return [v for v in values if v]


def resolve_heard(
    resolver: Resolver,
    utterance: Utterance,
    intent: Intent,
    parser: IntentParser,
    sure_confidence: float,
    alikes: SoundAlikes | None = None,
) -> Resolution:
    """Who a CallContact means. A name the ear was not sure of is never dialled on its say-so: asked about;
    nor is a heard name that sounds like another contact's, unless the command tells them apart (typed
    names keep their spelling)."""
    queries = slot_hypotheses(utterance, parser, intent, "contact")
    resolution = resolver.resolve(
        queries, label=intent.slot("label"), company=intent.slot("company"), relation=intent.slot("relation")
    )
    transcript = utterance.transcript
    if alikes is not None and transcript is not None and transcript.engine != "text":
        resolution = settled(resolution, alikes, company=intent.slot("company"), label=intent.slot("label"))
    unsure = transcript is not None and (
        not transcript.sure or (transcript.confidence is not None and transcript.confidence < sure_confidence)
    )
    if resolution.action == Action.DIAL and unsure:
        return replace(
            resolution,
            action=Action.ASK,
            reason="unsure",
            candidates=resolution.candidates[:1],
            contact=None,
            number=None,
        )
    if resolution.action == Action.DIAL and transcript is not None and not transcript.label_sure:
        return replace(resolution, label_guessed=True)  # the number is a guess: the dialog confirms it
    return resolution


def pick(candidates: Sequence[Candidate], intent: Intent, nicknames: Nicknames) -> Candidate | None:
    """Which candidate the answer names: by ordinal, by (part of the) name, by company or by city."""
    ordinal = intent.slot("ordinal")
    if ordinal:
        index = int(ordinal)
        if index == -1:
            return candidates[-1]
        return candidates[index - 1] if 1 <= index <= len(candidates) else None
    city = fold(intent.slot("city"))
    if city:  # "the one in Boston", "John Reed in Boston"
        candidates = [c for c in candidates if fold(c.contact.city) == city]
        if len(candidates) <= 1 or not (intent.slot("name") or intent.slot("company")):
            return candidates[0] if len(candidates) == 1 else None
    name = intent.slot("name") or intent.slot("contact")
    company = intent.slot("company")
    if not name and not company:
        return None
    among = Resolver([c.contact for c in candidates], nicknames)
    ranked = among.rank([name] if name else [company], company=company if name else "")
    if not ranked:
        return None
    best = ranked[0]
    runner_up = ranked[1].score if len(ranked) > 1 else 0.0
    if best.score >= 70 and best.score - runner_up >= 5:
        return next(c for c in candidates if c.contact == best.contact)
    return None


def picked(candidate: Candidate) -> Candidate:
    """The user chose this one: as sure as an exact name."""
    return Candidate(candidate.contact, candidate.score, "picked")
