"""What a sentence of either engine says against one contact book: its meaning (intent, who, number label),
the people it names and where, its number labels, topic and repairs, and the sentence in the words the
templates read (speech/rewording.py). Text only: speech/evidence.py weighs the readings against the audio.
"""

from __future__ import annotations

import re

from hassil import Intents

from ..contacts.names import fold, phonetic_keys
from ..contacts.resolver import MISHEARD_KINDS
from ..contacts.soundalike import settled
from ..language import Speechways, language_dir
from ..models import Action, Contact
from ..ports import COMMANDS
from ..understanding import PHRASE_END, name_said_first
from .commands import Book, Parser
from .rewording import (
    company_unsaid,
    label_after,
    label_heard,
    label_misheard,
    letters_joined,
    small_words_misheard,
    template_words,
    verb_misheard,
)
from .topics import voice_introducers

_POSSESSIVE = re.compile(r"(\w+)['\u2019]s\b")  # "Volkov's": Volkov
Meaning = tuple[str, str, str]  # (intent, who: a contact, "A|B" for several, "nobody"; number label)
NOBODY = "nobody"  # who a call means when the resolver would refuse its name: nobody in the book
UNPLACED = ("CallContact", NOBODY)  # a call whose name the resolver cannot place
Read = tuple[Meaning | None, float, bool]  # a sentence's meaning, its name's fit, whether it may be acted on

# How Whisper writes a word that takes back what was said when it mishears it, besides words sounding like
# "sorry" ("Sari"): "now" for "no" ("Jane Carlos Mendoza, now, Yuki Watan,"), "I'm" for "I mean" ("Call
# Tariq Aziz, I'm Inspector Horvath.")
TAKING_BACK_MISHEARD = frozenset({"now", "im"})
_WHOSE = ("", "his ", "her ", "their ", "the ")  # "on her cell", "at the office"
NAME_SPAN = 4  # the most words a name is said in


def label_phrases(intents: Intents) -> dict[str, str]:
    """Every spoken form of a number label ("cell phone") -> the label ("mobile")."""
    from hassil.sample import sample_expression

    labels = intents.slot_lists.get("label")
    phrases: dict[str, str] = {}
    for value in getattr(labels, "values", ()):
        for phrase in sample_expression(value.text_in):
            phrases[fold(phrase)] = str(value.value_out)
    return phrases


def person_named(book: Book, who: str) -> Contact | None:
    """The contact of the book a reading names, by name."""
    return next((c for c in book.contacts() if c.name == who), None)


def one_person(meaning: Meaning) -> str | None:
    """The one contact a CallContact meaning names, if it names exactly one."""
    intent, who, _ = meaning
    return who if intent == "CallContact" and who and "|" not in who and who != NOBODY else None


class Sentences:
    """Reads the sentences the engines heard for one command, against one contact book."""

    def __init__(self, book: Book, parser: Parser, intents: Intents):
        self.book = book
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

    def reworded(self, text: str) -> tuple[str, Read]:
        """A sentence in the words the templates read, and how it reads (`_read`): a name spelled out
        joined (`letters_joined`); then, when it reads as no command, a misheard verb before a whole name
        made "call" (`verb_misheard`), or else misheard small words around a name made the template words
        they sound like (`small_words_misheard`). A call to nobody is read so too, and kept so only when it
        then names one person: *Try the mebail for Aisha Khan.* read as said calls "mebail for Aisha Khan".
        A label misheard after a whole name is read as the label it sounds like (`label_misheard`), also
        where the name alone was read ("Call Omar Farouk and Mebel.": him, on mobile) and after a misheard
        verb (*Then Ravi Shankar at Ham,*: him, at home)."""
        joined = letters_joined(text)
        read = self._read(joined)
        if read[0] is not None and read[0][:2] != UNPLACED:
            return self._labelled(joined, read)
        resolver = self.book.resolver()
        found = (
            verb_misheard(joined, self.parser, self.ways, resolver)
            or small_words_misheard(joined, self.parser, self.ways, resolver, self.template_words)
            or label_misheard(joined, self.parser, resolver, _WHOSE)
        )
        if found is None:
            return joined, read
        again = self._read(found)
        if read[0] is not None and (again[0] is None or one_person(again[0]) is None):
            return joined, read  # a call to nobody, and still nobody's
        return self._labelled(found, again)

    def _labelled(self, text: str, read: Read) -> tuple[str, Read]:
        """A call to one person read with no label, read again with a label misheard after the name
        (`label_misheard`: "Call Omar Farouk and Mebel.", the name read with the words after it), kept so
        when it calls the same person."""
        meaning = read[0]
        if meaning is None or meaning[2] or one_person(meaning) is None:
            return text, read
        labelled = label_misheard(text, self.parser, self.book.resolver(), _WHOSE)
        if labelled is None:
            return text, read
        again = self._read(labelled)
        return (labelled, again) if again[0] is not None and again[0][:2] == meaning[:2] else (text, read)

    def label_heard(self, text: str) -> str | None:
        """The number label a sentence ends in, misheard after a word for "on", whoever it calls
        (`rewording.label_heard`: "Call Fianna Bayan and his Met-Bile.": mobile)."""
        word = label_heard(text, self.book.resolver().knows, _WHOSE)
        return self.labels.get(word) if word is not None else None

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

    def takes_back(self, text: str) -> bool:
        """Whether any word of a sentence takes back what came before, or may be such a word misheard: a
        repair ("no", "I mean"), a word that sounds like "sorry", "actually" or "rather" ("Sari"), or one of
        TAKING_BACK_MISHEARD ("now" for "no", "I'm" for "I mean")."""
        words = fold(text).split()
        return any(self.ways.repair_at(words, i) for i in range(len(words))) or any(
            w in TAKING_BACK_MISHEARD or (phonetic_keys(w) or ("",))[0] in self.repair_sounds for w in words
        )

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
        return person_named(self.book, who)

    def written(self, who: str) -> frozenset[str]:
        """The words of the person's name and aliases: a reading that writes one backs them, not only one
        that sounds like them (prompted with every name, Whisper turns noise into names too)."""
        person = self.person(who)
        forms = (person.name, *person.aliases, *person.learned) if person is not None else ()
        return frozenset(word for form in forms for word in fold(form).split())

    def writes(self, who: str, text: str) -> bool:
        """Whether a sentence writes a word of the person's name or aliases (`written`), a name spelled out
        joined (*Ring DM ITRI Volkov's house.*: Dmitri) and a possessive's own word counted (Volkov's)."""
        joined = letters_joined(text)
        words = {*fold(joined).split(), *(fold(stem) for stem in _POSSESSIVE.findall(joined))}
        return not self.written(who).isdisjoint(words)

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

    def _read(self, text: str) -> Read:
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
        if resolution.action == Action.DIAL and len(query := fold(resolution.query).split()) == 1:
            # one word that is no form of the name and only sounds a little like it ("Call Matt?": Mateo),
            # not one said the same ("call steven at orchard accountancy": Stephen Clarke, by his company)
            how = next((c.matched for c in resolution.candidates if c.contact == resolution.contact), "")
            same = (
                how == "sound-alike" and alikes is not None and resolution.contact in alikes.saying(query[0])
            )
            placed = how not in MISHEARD_KINDS or same
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

    def named_alone(self, text: str) -> bool:
        """Whether the phrase naming the last person a sentence names says nothing but their name (its
        number labels, carrier words and topic aside): "..., Sam.", "..., Rebecca Hall, to the order."; not
        "..., I'm Inspector Horvath." nor "..., Amidas Emel Martin,", where other words come first."""
        named = self.named(text)
        if not named:
            return False
        at, who = named[-1]
        words = self._name_words(PHRASE_END.split(text)[at].lower())
        resolution = self.book.resolver().resolve(" ".join(words))
        return (
            resolution.action == Action.DIAL
            and resolution.contact is not None
            and resolution.contact.name == who
        )

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
