"""From what was heard to what it means: the intent, the slot as every hypothesis heard it, the person.

Pure: the dialog and `callbot eval` share it, so the corpus measures exactly what the dialog does.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from .contacts.names import Nicknames, fold
from .contacts.resolver import Resolver, name_forms
from .contacts.soundalike import SoundAlikes, label_sounding_like, settled
from .intents import IntentParser
from .language import Speechways, language_dir
from .models import Action, Candidate, Intent, Resolution, Utterance

PHRASE_END = re.compile(r"[,.;:!?]")  # where a phrase of speech ends, as a recogniser writes it
LABEL_WORDS = 3  # the most words a label is said in ("on her mobile"), and so misheard in
MISHEARD_INTRODUCER = 3  # the most words a topic's "about" is misheard as ("and up to the order")
ARTICLES = frozenset({"the", "a", "an"})  # what a topic starts with after its misheard "about"


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
    if transcript is not None and transcript.engine != "text":
        resolution = name_said_first(resolver, intent, transcript.text) or resolution
        if alikes is not None:
            resolution = settled(
                resolution, alikes, company=intent.slot("company"), label=intent.slot("label")
            )
    unsure = transcript is not None and (
        not transcript.sure or (transcript.confidence is not None and transcript.confidence < sure_confidence)
    )
    if (
        not unsure
        and transcript is not None
        and transcript.engine != "text"
        and _vouched(resolution, transcript.person)
    ):
        # the resolver was unsure of the words ("Call Isabelle Martin on their normal."), the decision of who
        resolution = resolver.choose(resolution.query, resolution.candidates[0], label=intent.slot("label"))
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


def _vouched(resolution: Resolution, person: str) -> bool:
    """Whether the resolver asks about one person only for being unsure of the words, and it is the
    person the decision heard."""
    return (
        bool(person)
        and resolution.action == Action.ASK
        and resolution.reason == "unsure"
        and len(resolution.candidates) == 1
        and resolution.candidates[0].contact.name == person
    )


def name_said_first(resolver: Resolver, intent: Intent, text: str) -> Resolution | None:
    """A heard name the resolver cannot place whole that is one contact's whole name (two words or more)
    with misheard words around it: after it, the length of a label said ("Call Kenji Sato in his hem."),
    that contact on a number the dialog confirms (a word that sounds like a label, "hem", is taken for it);
    or one word before it where the request's verb should be ("Drying Rahul Iyer's mobile."). Words after
    the name count only when they start with a word that may follow a name, after a phrase's end when
    they sound like a label ("Call Leila Ahmadi, mebail."), or when they read as a topic whose "about" was
    misheard (`topic_misheard`: "Phone, Mei Lin, up to the audit findings.", and when the templates'
    "of {company}" took it as a company nobody works at, "Phone, Rebecca Hall, I'm out of the customer
    survey."); and none of the words set aside may be a word of anyone's name ("Call Yuki Watanabe and
    Robert." may be two people; "Beverly Martin's cell" is not Isabelle Martin's)."""
    said = fold(intent.slot("contact") or "").split()
    company = intent.slot("company")
    if company and fold(company).split()[:1] == ["the"] and not resolver.at_company(company):
        # "the ..." and a company nobody works at: a topic whose "about" was misheard, the template's
        # "of {company}" took it ("Phone, Rebecca Hall, I'm out of the customer survey.")
        said, company = _said_from(said, fold(text).split()), ""
    if len(said) < 3 or intent.slot("relation") or company:
        return None
    if resolver.resolve(" ".join(said)).action == Action.DIAL:
        return None
    label = intent.slot("label")
    starts = [0]
    if fold(text).split()[:1] == said[:1] and not resolver.knows(said[0]):  # no verb: a misheard one
        starts.insert(0, 1)
    for start in starts:
        found = _named_then_misheard(resolver, said[start:], label, text)
        if found is not None:
            return found
    return None


def where_said(words: list[str], said: list[str]) -> int | None:
    """Where the words a name was said in start among a sentence's words, if they are there as such."""
    return next((i for i in range(len(words)) if said and words[i : i + len(said)] == said), None)


def _said_from(said: list[str], words: list[str]) -> list[str]:
    """The words of a sentence from where `said` starts in it to its end (`said` when it is not there)."""
    at = where_said(words, said)
    return said if at is None else words[at:]


def _named_then_misheard(resolver: Resolver, said: list[str], label: str, text: str) -> Resolution | None:
    """`name_said_first` once the words before the name are set aside: the whole name, or the whole name
    with misheard words after it (or a name misheard in one word: `named`)."""
    whole = named(resolver, said, label, text)
    if whole is not None:
        return whole
    ways = Speechways.of(language_dir())
    ends = {tuple(fold(p).split()[-4:]) for p in PHRASE_END.split(text) if fold(p)}
    for cut in range(len(said) - 1, 1, -1):
        name, rest = said[:cut], said[cut:]
        if any(resolver.knows(w) for w in rest):
            return None
        if len(rest) > LABEL_WORDS:
            # "Phone, Mei Lin, up to the audit findings.": a topic whose "about" Whisper misheard
            if topic_misheard(rest, text) and (found := named(resolver, name, label, text)) is not None:
                return found
            continue
        misheard = [w for w in rest if w not in ways.carriers | ways.after_name]
        # each misheard word must sound like a label: "Aymina Shakaan" ("I mean Aisha Khan") is no "main"
        guess = (
            ""
            if label or not all(label_sounding_like([w]) for w in misheard)
            else label_sounding_like(misheard)
        )
        if rest[0] not in ways.after_name and not (guess and any(e[-cut:] == tuple(name) for e in ends)):
            continue
        found = named(resolver, name, label, text)
        on_guess = named(resolver, name, guess, text) if guess else None
        if on_guess is not None and not on_guess.label_missing:  # a guess they have no number for: none
            found = on_guess
        if found is not None:  # a word set aside may have been the label: the dialog confirms the number
            return replace(found, label_guessed=found.label_guessed or bool(guess) or bool(misheard))
    return None


def topic_misheard(rest: Sequence[str], text: str) -> bool:
    """Whether the words after a whole name read as a topic whose introducer was misheard: at most
    MISHEARD_INTRODUCER words, none written capitalised (a name: "Dvoral Tomas on the Amore panel" is
    someone else), then an article and the topic ("up to the audit findings", "concealer in the board
    presentation", "I'm out in a shipment")."""
    at = next((i for i, word in enumerate(rest[: MISHEARD_INTRODUCER + 1]) if word in ARTICLES), None)
    if at is None or at == len(rest) - 1:
        return False
    return not _capitalised(text).intersection(rest[:at])


def _capitalised(text: str) -> set[str]:
    """The words a sentence writes capitalised, as names are (not "I", "I'm")."""
    return {fold(word) for word in text.split() if word[:1].isupper() and word.split("'")[0] != "I"}


def named(resolver: Resolver, words: Sequence[str], label: str, text: str) -> Resolution | None:
    """The one contact these words of `text` name (`whole_name`), or the question about the one contact
    they may name: two words written as a name is (capitalised), one of them that word of the contact's
    name and the other not, that the resolver places on them, sure or unsure (*Call Emma Farouk and
    Mebel.* for Omar Farouk, *Call Chidi Eby and his mobile.* for Chidi Obi; not *Get me Rebecca more on
    the normal.*). Asked about, such a name is acted on only when the audio places it (speech/holds.py)."""
    found = resolver.resolve(" ".join(words), label=label)
    whole = _as_whole(found, words)
    if whole is not None or len(words) != 2 or not set(words) <= _capitalised(text):
        return whole
    if found.action == Action.DIAL and found.contact is not None:
        person = found.contact
    elif found.action == Action.ASK and found.reason == "unsure" and len(found.candidates) == 1:
        person = found.candidates[0].contact
    else:
        return None
    if not any(
        len(form) == 2 and (form[0] == words[0]) != (form[1] == words[1]) for form in name_forms(person)
    ):
        return None  # one word theirs as written, the other not
    candidate = next(c for c in found.candidates if c.contact == person)
    return replace(
        found, action=Action.ASK, reason="unsure", candidates=(candidate,), contact=None, number=None
    )


def whole_name(resolver: Resolver, words: Sequence[str], label: str = "") -> Resolution | None:
    """The call to the one contact these words are the whole name (or an alias) of, as written."""
    return _as_whole(resolver.resolve(" ".join(words), label=label), words)


def _as_whole(found: Resolution, words: Sequence[str]) -> Resolution | None:
    """`found`, the resolver's answer for these words, when it calls the one contact they are the whole
    name (or an alias) of, as written."""
    person = found.contact if found.action == Action.DIAL else None
    return found if person is not None and tuple(words) in name_forms(person) else None


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
    ranked = among.rank([name], company=company) if name else among.at_company(company)
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
