"""What the two engines say about each reading of a command, as numbers for the decision model.

A reading is a sentence one engine heard (the grammar's, or Whisper's own when it means something else) and
what it means: (intent, who, number label). Its evidence: how sure the grammar was, whether Whisper's best
reading or one of its runners-up means the same, whether Whisper wrote the person's name, and how Whisper,
made to say the reading, scores it against the same sentence naming each contact who sounds like the
heard name (forced decoding, speech/forced.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hassil import Intents

from ..contacts.names import fold, phonetic_keys
from ..contacts.resolver import MISHEARD_KINDS
from ..contacts.soundalike import sentences_alike, settled
from ..errors import TranscriptionFailed
from ..language import Speechways, language_dir
from ..models import Action, AudioClip, Contact, Transcript
from ..ports import COMMANDS
from ..understanding import PHRASE_END, name_said_first
from .commands import Book, Parser
from .decision import Evidence, snr_db
from .forced import Forced
from .rewording import (
    company_unsaid,
    label_after,
    label_unsaid,
    letters_joined,
    small_words_misheard,
    template_words,
    verb_misheard,
)
from .topics import voice_introducers

Meaning = tuple[str, str, str]  # (intent, who: a contact, "A|B" for several, "nobody"; number label)
NOBODY = "nobody"  # who a call means when the resolver would refuse its name: nobody in the book

_WHOSE = ("", "his ", "her ", "their ", "the ")  # "on her cell", "at the office"
NAME_SPAN = 4  # the most words a name is said in
# A number label Whisper did not hear stays in the grammar's reading when pocketsphinx fits the sentence
# with it at least this much better per frame than without (`Witness.label_unsaid`). Chosen on dev seeds 7
# and 1: of 34 such labels said it keeps 22 (the next fit by 2.04 and 2.13); of the 12 it loses, 4 were not
# the label said ("at her office" for "Dmitri Volkov's house") and 8 said in noise. Of 106 labels nobody
# said it leaves out 69 (50 fit no better than without). A label left out is confirmed with the number.
LABEL_FITS_BETTER = 2.0
# A company or number label Whisper did not hear stays in the grammar's reading, and the reading is asked
# about, never acted on at once, when Whisper, made to say the reading without it, would not end there:
# the log-probability of the end of its text after that sentence below this (`Witness.stops_short`). The
# grammar's "at {company}" and "on {label}" paths also swallow a restart: "ring Sakura Ito, sorry, Emily
# Zhang" came out as "ring sakura ito at ironwood gyms" (held-out draw 151, Festival), "call Diego Ramirez,
# I mean Ngozi Eze" as "call diego ramirez on her office" (draw 113, Festival in office noise), and left
# out, the first person was dialled; Whisper, made to say *Ring sakura ito.*, would go on " Sorry" (-5.2;
# in office noise -8.5), *Call diego ramirez.* -6.0.
# Chosen on dev seeds 7 and 1 (158 companies and labels left out): 8 readings of 7 commands below it, 5
# of them restarts (3 right either way, 1 a question either way, 1 a question that is now right), "I need
# to make a call" right either way, 1 heard wrong either way; the lowest above it that ended right, -4.3.
SPEECH_GOES_ON = -4.5


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
    return who if intent == "CallContact" and who and "|" not in who and who != NOBODY else None


@dataclass
class Reading:
    """One way to hear the command, and the evidence for it."""

    text: str
    meaning: Meaning
    evidence: Evidence
    source: str  # "grammar" or "whisper"
    held: bool = False  # a rule beside the decision model asks about it, however likely
    rival: str = ""  # the book check's best rival sentence, when it was made (speech/forced.py)


class Witness:
    """Gathers the evidence for the readings of one command, against one contact book."""

    def __init__(
        self,
        book: Book,
        parser: Parser,
        intents: Intents,
        token_scores: Callable[..., Any] | None,
        align: Callable[[AudioClip, list[str]], list[float | None]] | None = None,
        ends: Callable[[AudioClip, list[str]], list[float]] | None = None,
    ):
        self.book = book
        self.ends = ends  # Whisper made to say sentences: how likely it would end its text after each
        self.align = align  # pocketsphinx made to fit sentences to the audio: its score per frame of each
        self.parser = parser
        self.labels = label_phrases(intents)
        self.longest_labels = sorted(self.labels, key=len, reverse=True)  # "cell phone" before "cell"
        self.label_after = label_after(self.longest_labels, _WHOSE)  # "on her cell", "at the office"
        ways = self.ways = Speechways.of(language_dir())
        self.carriers = ways.carriers  # words around a name, not part of it
        self.small = ways.carriers | {w for w in ways.not_names if " " not in w}  # "this", "him": no name
        self.template_words = template_words(ways)  # what a misheard small word may be
        # ... and how the one-word ones sound ("Sari", "Sarah": sorry), those with a sound long enough to tell
        self.repair_sounds = {
            key
            for (word,) in (m for m in ways.repairs if len(m) == 1)
            if len(key := phonetic_keys(word)[0]) > 1
        }
        self.introducers = voice_introducers(intents)  # the words a topic follows ("about")
        # Whisper made to say given sentences
        self.forced = Forced(book, parser, ways, token_scores, labels=self.labels.values())

    def readings(
        self, first: Transcript, second: Transcript, audio: AudioClip, cleaned: AudioClip | None = None
    ) -> list[Reading]:
        """The grammar's reading and Whisper's (its best, or the first runner-up that means anything),
        each with its evidence; a reading that means nothing is left out. `cleaned`: the audio as the grammar
        heard it when its front end cleaned it of steady noise; pocketsphinx fits the readings to that."""
        texts = [t for t in (first.text, *second.hypotheses[:4], *second.alternatives[:4]) if t]
        said = {t: self.reworded(t) for t in dict.fromkeys(texts)}  # "I want to fan Tariq Aziz."
        read = {t: self._read(said[t]) for t in said}  # each sentence read once
        meanings = {t: m for t, (m, _, _) in read.items()}
        candidates: list[tuple[str, str]] = []
        if first.text:
            candidates.append((first.text, "grammar"))
        own = next((t for t in second.hypotheses[:4] if t and meanings[t] is not None), None)
        if own is not None:
            candidates.append((own, "whisper"))
        snr = snr_db(audio.pcm)
        repaired = self.repaired(second.text)
        heard = meanings[second.text] if second.text else None
        beam = [meanings[t] for t in second.alternatives[:4] if t]
        grammar = meanings[first.text] if first.text else None
        distinct = {meanings[t]: t for t, _ in reversed(candidates) if meanings[t] is not None}
        fit = self.fits(cleaned or audio, list(distinct.values()))
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
            e.set("whisper_sounds_like", sentences_alike(said[text], second.text))
            e.set("repair_unheeded", repaired and heard != meaning)
            e.set("topic_unheard", self.has_topic(text) and not self.has_topic(second.text))
            e.set("snr_db", snr)
            mine, others = fit.get(text), [v for t, v in fit.items() if t != text and v is not None]
            if mine is not None and others:
                e.set("sphinx_done", True)
                e.set("sphinx_margin", mine - max(others))
            label = {meaning[2]} if meaning[2] else set()
            e.set("label_agrees", self.labels_in(second.text) == label)
            who = one_person(meaning)
            e.set("one_person", who is not None)
            e.set("other_intent", meaning[0] != "CallContact")
            if who is not None:
                e.set("whisper_names", self.names_the_same(second.text, meaning))
                e.set("whisper_writes", not self.written(who).isdisjoint(fold(second.text).split()))
                e.set("name_words", len(who.split()))
                e.set("name_fit", read[text][1])
                self.forced.against_alikes(e, said[text], who, second, audio)
            # a name the resolver could not place is asked about ("did you mean ...?"), however likely
            out.append(Reading(said[text], meaning, e, source, held=not read[text][2]))
        return out

    def fits(self, audio: AudioClip, texts: list[str]) -> dict[str, float | None]:
        """How well pocketsphinx fits each reading's sentence to the audio, when the readings differ."""
        if self.align is None or len(texts) < 2:
            return {}
        return dict(zip(texts, self.align(audio, texts), strict=True))

    def reworded(self, text: str) -> str:
        """A sentence in the words the templates read: a name spelled out joined (`letters_joined`); then,
        when it reads as no command, a misheard verb before a whole name made "call" (`verb_misheard`), or
        else misheard small words around a name made the template words they sound like
        (`small_words_misheard`)."""
        joined = letters_joined(text)
        if self.parser.parse(joined, allowed=COMMANDS) is not None:
            return joined
        resolver = self.book.resolver()
        return (
            verb_misheard(joined, self.parser, self.ways, resolver)
            or small_words_misheard(joined, self.parser, self.ways, resolver, self.template_words)
            or joined
        )

    def has_topic(self, text: str) -> bool:
        """Whether a sentence goes on to a topic ("... about the renewal")."""
        return not self.introducers.isdisjoint(fold(text).split()[:-1])

    def repaired(self, text: str) -> bool:
        """Whether the speaker took something back mid-sentence ("call Hannah Schmidt, no, David Kim")."""
        words = fold(text).split()
        return any(self.ways.repair_at(words, i) for i in range(1, len(words)))

    def corrected(self, text: str) -> bool:
        """Whether a phrase of the sentence starts by taking back what came before it ("..., no, David
        Kim", "..., Sarah, Chitty-Abby": a word that sounds like "sorry", "actually" or "rather" counts).
        Stricter than `repaired`: a "no" inside a phrase is as often a misheard syllable ("Call no Hamid
        Hassan")."""
        for phrase in PHRASE_END.split(text)[1:]:
            words = fold(phrase).split()
            if self.ways.repair_at(words, 0) or (
                words and (phonetic_keys(words[0]) or ("",))[0] in self.repair_sounds
            ):
                return True
        return False

    def relations_in(self, text: str) -> set[str]:
        """The relations a sentence names after "my", however misheard the rest ("Sown my wife.")."""
        words = fold(text).split()
        found = set()
        for at in (i for i, w in enumerate(words) if w == "my"):
            for length in (2, 1):  # "my line manager", "my boss"
                said = self.parser.parse(" ".join(["call", *words[at : at + 1 + length]]), allowed=COMMANDS)
                if said is not None and said.slot("relation"):
                    found.add(said.slot("relation"))
        return found

    def person(self, who: str) -> Contact | None:
        """The contact a meaning names, by name."""
        return self.forced.person(who)

    def written(self, who: str) -> frozenset[str]:
        """The words of the person's name and aliases: a reading that writes one backs them, not only one
        that sounds like them (prompted with every name, Whisper turns noise into names too)."""
        person = self.person(who)
        forms = (person.name, *person.aliases, *person.learned) if person is not None else ()
        return frozenset(word for form in forms for word in fold(form).split())

    def labels_in(self, text: str) -> set[str]:
        """The number labels a reading names ("on her cell phone": mobile). In a topic a label word is the
        topic's ("about the work") unless "on" or "at" brings it ("about the renewal on her cell")."""
        words = fold(text).split()
        before = self._before_topic(text)
        heard = f" {' '.join(before)} "
        topic = f" {' '.join(words[len(before) :])} "
        return {
            label
            for phrase, label in self.labels.items()
            if f" {phrase} " in heard
            or any(f" {at} {whose}{phrase} " in topic for at in ("on", "at") for whose in _WHOSE)
        }

    def meaning(self, text: str) -> Meaning | None:
        """(intent, who, label) for comparing two readings; who is the contact or the candidates."""
        return self._read(text)[0]

    def _read(self, text: str) -> tuple[Meaning | None, float, bool]:
        """The meaning; how well the words said fit the one person it names (the resolver's score over
        100; 0 when it names nobody or several); and whether the name may be acted on if the decision is
        sure (a name the resolver is unsure of names one person too: the dialog asks about it unless the
        decision vouches for that person)."""
        intent = self.parser.parse(text, allowed=COMMANDS)
        if intent is None:
            return None, 0.0, True
        if intent.name != "CallContact":
            return (intent.name, "", ""), 0.0, True
        company, label = intent.slot("company") or "", intent.slot("label") or ""
        resolver = self.book.resolver()
        resolution = resolver.resolve(
            intent.slot("contact"), company=company, relation=intent.slot("relation")
        )
        resolution = name_said_first(resolver, intent, text) or resolution  # "Call Kenji Sato in his hem."
        alikes = self.book.sound_alikes()
        if alikes is not None:  # heard, a name that sounds like others' is asked about, as the dialog does
            resolution = settled(resolution, alikes, company=company, label=label)
        if resolution.action == Action.DIAL and resolution.contact is not None:
            who = resolution.contact.name
            fit = next((c.score for c in resolution.candidates if c.contact.name == who), 100.0) / 100
        elif resolution.action == Action.ASK:
            who, fit = "|".join(sorted(c.contact.name for c in resolution.candidates)), 0.0
        else:  # a name it would refuse names nobody, however near its nearest contact
            who, fit = NOBODY, 0.0
        placed = resolution.action != Action.ASK or resolution.reason != "unsure"
        if not placed and len(resolution.candidates) == 1:
            # the resolver is unsure of a contact's whole name among misheard words: the model's to weigh
            said = fold(intent.slot("contact") or "").split()
            placed = resolver.says_whole_name(said, resolution.candidates[0].contact)
        if resolution.action == Action.DIAL and len(fold(resolution.query).split()) == 1:
            # one word that is no form of the name and only sounds a little like it ("Call Matt?": Mateo)
            how = next((c.matched for c in resolution.candidates if c.contact == resolution.contact), "")
            placed = how not in MISHEARD_KINDS
        return (intent.name, who, intent.slot("label") or ""), min(fit, 1.0), placed

    def names_the_same(self, text: str, meaning: Meaning) -> bool:
        """Whether a sentence that does not parse still names the contact (and label) of `meaning`: the
        name ends its phrase, whatever misheard words came before it ("Bring Jane Doe on this mobile") or
        after its phrase ("Call Jane Doe, come out of the renewal"); not "Rupert Mads", whose last word is
        nobody's."""
        who, label = one_person(meaning), meaning[2]
        if who is None:
            return False
        if self.labels_in(" ".join(self._before_topic(text))) != ({label} if label else set()):
            return False
        phrases = (self._name_words(p) for p in PHRASE_END.split(text.lower()))
        said = next((p for p in phrases if p), [])
        if not said:
            return False
        named = set(self._named_at_end(said))
        if named:
            return named == {who}
        resolution = self.book.resolver().resolve(" ".join(said))
        unsure = resolution.action == Action.ASK and resolution.reason == "unsure"
        return unsure and [c.contact.name for c in resolution.candidates] == [who]

    def company_unsaid(self, text: str, heard: str) -> str:
        """`rewording.company_unsaid` against this book ("at Seoul Foods" nobody said)."""
        return company_unsaid(text, heard, self.parser, self.small, self.book.resolver())

    def label_unsaid(self, text: str, heard: str, audio: AudioClip) -> str:
        """`rewording.label_unsaid` with the templates' labels ("at her cell" nobody said), unless
        pocketsphinx fits the sentence with the label to the audio better by LABEL_FITS_BETTER: Whisper
        can miss a label said ("Ethan Brooks's work number please", espeak-ng: *Ethan Brooks, and Wojcumber,
        please.*, the grammar's "at work" fitting 6.8 better)."""
        unsaid = label_unsaid(text, heard, self.label_after, self._named_whole)
        if unsaid == text or self.align is None:
            return unsaid
        said, unlabelled = self.align(audio, [text, unsaid])
        if said is not None and (unlabelled is None or said - unlabelled >= LABEL_FITS_BETTER):
            return text
        return unsaid

    def stops_short(self, text: str, audio: AudioClip) -> bool:
        """Whether Whisper, made to say a reading, would go on after it rather than end its text there
        (SPEECH_GOES_ON): speech the reading leaves out follows. False when Whisper cannot say."""
        if self.ends is None:
            return False
        try:
            (end,) = self.ends(audio, [text[:1].upper() + text[1:] + "."])
        except TranscriptionFailed:
            return False
        return end < SPEECH_GOES_ON

    def _named_whole(self, text: str) -> bool:
        """Whether a call names its person in two words or more, or by relation: a label after one word may
        be the rest of a name the book lacks (a stranger's "call Dmitri Ivanov": "call dmitri on office")."""
        intent = self.parser.parse(text, allowed=COMMANDS)
        if intent is None or intent.name != "CallContact":
            return False
        return bool(intent.slot("relation")) or len(fold(intent.slot("contact") or "").split()) > 1

    def restart(self, text: str) -> tuple[str, str] | None:
        """When a sentence names two people, the last one after the first ("Ring Oscar Nilsson, sorry,
        Diego Ramirez.", even with the word that takes the first back misheard: "..., Sari, ..."): that
        person, and the command for them from where they are named on ("call Diego Ramirez")."""
        phrases = PHRASE_END.split(text)
        named = self.named(text)
        if len({who for _, who in named}) < 2:
            return None
        at, last = named[-1]
        sentence = "call " + " ".join(" ".join(phrases[at:]).split())
        meaning = self.meaning(sentence)
        return last, sentence if meaning is not None and one_person(meaning) == last else f"call {last}"

    def named(self, text: str) -> list[tuple[int, str]]:
        """The people a sentence names, phrase by phrase in the order said: (phrase, person), the longest
        span that names someone at each phrase's end."""
        phrases = (self._named_at_end(self._name_words(p.lower())) for p in PHRASE_END.split(text))
        return [(index, found[0]) for index, found in enumerate(phrases) if found]

    def _named_at_end(self, said: list[str]) -> list[str]:
        """The contacts the last words of a phrase would dial, one per span, the longest span first."""
        resolver = self.book.resolver()
        named = []
        for start in range(max(0, len(said) - NAME_SPAN), len(said)):
            resolution = resolver.resolve(" ".join(said[start:]))
            if resolution.action == Action.DIAL and resolution.contact is not None:
                named.append(resolution.contact.name)
        return named

    def _name_words(self, phrase: str) -> list[str]:
        """A phrase's words without its number labels, carrier words and topic."""
        heard = " ".join(self._before_topic(phrase))
        for spoken in self.longest_labels:
            heard = f" {heard} ".replace(f" {spoken} ", " ").strip()
        return [w for w in heard.split() if w not in self.small]

    def _before_topic(self, text: str) -> list[str]:
        """The words before a topic: the topic is no part of a name."""
        words = fold(text).split()
        cut = next((i for i, w in enumerate(words) if w in self.introducers), None)
        return words[:cut]
