"""What the two engines say about each reading of a command, as numbers for the decision model.

A reading is a sentence one engine heard (the grammar's, or Whisper's own when it means something else) and
what it means: (intent, who, number label). Its evidence: how sure the grammar was, whether Whisper's best
reading or one of its runners-up means the same, whether Whisper wrote the person's name, and how Whisper,
made to say the reading, scores it against the same sentence naming each contact who sounds like the
heard name (forced decoding).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hassil import Intents

from ..contacts.names import fold
from ..errors import TranscriptionFailed
from ..intents import Speechways, language_dir
from ..models import Action, AudioClip, Transcript
from ..ports import COMMANDS
from .commands import Book, Parser
from .decision import Evidence, snr_db
from .topics import voice_introducers

Meaning = tuple[str, str, str]  # (intent, who: a contact, "A|B" for several, "nobody"; number label)

RIVALS = 5  # sound-alikes per query: the heard name, each of its words, Whisper's readings


def label_phrases(intents: Intents) -> dict[str, str]:
    """Every spoken form of a number label ("cell phone") -> the label ("mobile")."""
    from hassil.sample import sample_expression

    labels = intents.slot_lists.get("label")
    phrases: dict[str, str] = {}
    for value in getattr(labels, "values", ()):
        for phrase in sample_expression(value.text_in):
            phrases[fold(phrase)] = str(value.value_out)
    return phrases


def one_person(meaning: Meaning) -> str | None:
    """The one contact a CallContact meaning names, if it names exactly one."""
    intent, who, _ = meaning
    return who if intent == "CallContact" and who and "|" not in who and who != "nobody" else None


@dataclass
class Reading:
    """One way to hear the command, and the evidence for it."""

    text: str
    meaning: Meaning
    evidence: Evidence
    source: str  # "grammar" or "whisper"


class Witness:
    """Gathers the evidence for the readings of one command, against one contact book."""

    def __init__(self, book: Book, parser: Parser, intents: Intents, score: Callable[..., Any] | None):
        self.book = book
        self.parser = parser
        self.labels = label_phrases(intents)
        self.carriers = Speechways.of(language_dir()).carriers  # words around a name, not part of it
        self.introducers = voice_introducers(intents)  # the words a topic follows ("about")
        self.score = score  # Whisper made to say sentences: mean log-probability per token of each

    def readings(self, first: Transcript, second: Transcript, audio: AudioClip) -> list[Reading]:
        """The grammar's reading and Whisper's (its best, or the first runner-up that means anything),
        each with its evidence; a reading that means nothing is left out."""
        texts = [t for t in (first.text, *second.hypotheses[:4], *second.alternatives[:4]) if t]
        meanings = {t: self.meaning(t) for t in dict.fromkeys(texts)}  # each sentence read once
        candidates: list[tuple[str, str]] = []
        if first.text:
            candidates.append((first.text, "grammar"))
        own = next((t for t in second.hypotheses[:4] if t and meanings[t] is not None), None)
        if own is not None:
            candidates.append((own, "whisper"))
        snr = snr_db(audio.pcm)
        heard = meanings[second.text] if second.text else None
        beam = [meanings[t] for t in second.alternatives[:4] if t]
        grammar = meanings[first.text] if first.text else None
        out: list[Reading] = []
        for text, source in candidates:
            meaning = meanings[text]
            if meaning is None or any(r.meaning == meaning for r in out):
                continue
            e = Evidence()
            e.set("grammar_confidence", first.confidence or 0.0)
            e.set("named_confidence", first.named_confidence or first.confidence or 0.0)
            e.set("from_grammar", source == "grammar")
            e.set("grammar_means", grammar == meaning)
            e.set("whisper_means", heard == meaning)
            e.set("whisper_beam", meaning in beam)
            e.set("whisper_confidence", second.confidence or 0.0)
            e.set("snr_db", snr)
            label = {meaning[2]} if meaning[2] else set()
            e.set("label_agrees", self.labels_in(second.text) == label)
            who = one_person(meaning)
            e.set("one_person", who is not None)
            e.set("other_intent", meaning[0] != "CallContact")
            if who is not None:
                e.set("whisper_names", self.names_the_same(second.text, meaning))
                e.set("whisper_writes", not self.written(who).isdisjoint(fold(second.text).split()))
                e.set("name_words", len(who.split()))
                self._forced(e, text, who, second, audio)
            out.append(Reading(text, meaning, e, source))
        return out

    def _forced(self, e: Evidence, text: str, who: str, second: Transcript, audio: AudioClip) -> None:
        """Whisper made to say this reading, and the same sentence naming each sound-alike instead."""
        parsed = self.parser.parse(text, allowed=COMMANDS)
        said = fold(parsed.slot("contact") or "").split() if parsed is not None else []
        words = fold(text).split()
        at = next((i for i in range(len(words)) if said and words[i : i + len(said)] == said), None)
        names = self.sound_alikes(said, second)
        e.set("rivals", max(0, len(names) - 1))
        if self.score is None or at is None or who not in names or not second.text:
            return

        def naming(name: str) -> str:  # the name as the user said it: whole, or the first name
            form = name if len(said) > 1 else name.split()[0]
            sentence = " ".join([*words[:at], form, *words[at + len(said) :]])
            return sentence[:1].upper() + sentence[1:]

        try:
            *scores, own = self.score(audio, [*(naming(n) for n in names), second.text])
        except TranscriptionFailed:
            return
        mine = scores[names.index(who)]
        rivals = [s for n, s in zip(names, scores, strict=True) if n != who]
        e.set("forced_done", True)
        e.set("forced_margin", mine - max(rivals) if rivals else 5.0)
        e.set("forced_below_own", own - mine)

    def sound_alikes(self, said: list[str], second: Transcript) -> list[str]:
        """The contacts the heard name, each of its words and Whisper's readings sound like."""
        resolver = self.book.resolver()
        heard = [" ".join(said), *said]  # the name, and each of its words (Jane Doe: Jane Smith, John Doe)
        for text in second.hypotheses[:3]:
            heard.append(" ".join(w for w in fold(text).split() if w not in self.carriers))
        names: dict[str, None] = {}
        for query in filter(None, heard):
            names.update(dict.fromkeys(c.contact.name for c in resolver.rank([query], limit=RIVALS)))
        return list(names)

    def written(self, who: str) -> frozenset[str]:
        """The words of the person's name and aliases: a reading that writes one backs them, not only one
        that sounds like them (prompted with every name, Whisper turns noise into names too)."""
        person = next((c for c in self.book.contacts() if c.name == who), None)
        forms = (person.name, *person.aliases, *person.learned) if person is not None else ()
        return frozenset(word for form in forms for word in fold(form).split())

    def labels_in(self, text: str) -> set[str]:
        """The number labels a reading names ("on her cell phone": mobile)."""
        heard = f" {fold(text)} "
        return {label for phrase, label in self.labels.items() if f" {phrase} " in heard}

    def meaning(self, text: str) -> Meaning | None:
        """(intent, who, label) for comparing two readings; who is the contact or the candidates."""
        intent = self.parser.parse(text, allowed=COMMANDS)
        if intent is None:
            return None
        if intent.name != "CallContact":
            return intent.name, "", ""
        resolution = self.book.resolver().resolve(
            intent.slot("contact"), company=intent.slot("company"), relation=intent.slot("relation")
        )
        if resolution.action == Action.DIAL and resolution.contact is not None:
            who = resolution.contact.name
        elif resolution.action == Action.ASK:
            who = "|".join(sorted(c.contact.name for c in resolution.candidates))
        else:  # a name it would refuse names nobody, however near its nearest contact
            who = "nobody"
        return intent.name, who, intent.slot("label") or ""

    def names_the_same(self, text: str, meaning: Meaning) -> bool:
        """Whether a sentence that does not parse still names the contact (and label) of `meaning`."""
        who, label = one_person(meaning), meaning[2]
        if who is None:
            return False
        words = fold(text).split()
        cut = next((i for i, w in enumerate(words) if w in self.introducers), None)
        if cut is not None:  # the topic is not part of the name
            words = words[:cut]
        heard = " ".join(words)
        if self.labels_in(heard) != ({label} if label else set()):
            return False
        for phrase in sorted(self.labels, key=len, reverse=True):
            heard = f" {heard} ".replace(f" {phrase} ", " ").strip()
        rest = " ".join(w for w in heard.split() if w not in self.carriers)
        if not rest:
            return False
        resolution = self.book.resolver().resolve(rest)
        if resolution.action == Action.DIAL:
            return resolution.contact is not None and resolution.contact.name == who
        unsure = resolution.action == Action.ASK and resolution.reason == "unsure"
        return unsure and [c.contact.name for c in resolution.candidates] == [who]
