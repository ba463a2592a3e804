"""Heard audio -> a command transcript, biased towards the user's own contacts and commands.

GrammarCommands decodes with pocketsphinx against a grammar per listening state, rebuilt whenever the
contact book changes, and streams: audio is decoded while the user speaks. A second, free-form engine checks
the commands it is unsure of, or hears them alone: speech/checked.py.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any, Protocol

from hassil import Intents

from ..contacts.names import Nicknames, fold
from ..contacts.resolver import Resolver
from ..contacts.soundalike import SoundAlikes
from ..language import relation_words
from ..models import AudioClip, Contact, Transcript
from ..ports import ANSWERS, Expect, Listening
from .frontend import FrontEnd
from .grammar import GrammarBuilder
from .sphinx import SphinxEngine
from .sphinx_stream import SphinxStream
from .topics import Topics

# The grammars kept loaded, by the listening states they serve. After a note is read back the user may
# change it, discard it or give the next command: the command grammar carries those few answers too,
# rather than a second grammar with a second copy of every contact name (memory grows with each copy).
GRAMMARS: dict[str, tuple[Listening, ...]] = {
    "command": (Listening.COMMAND, Listening.REVIEW),
    "confirm": (Listening.CONFIRM,),
    "in-call": (Listening.IN_CALL,),
    "window": (Listening.WINDOW,),
    "number": (Listening.NUMBER,),
}
GRAMMAR_OF = {mode: name for name, modes in GRAMMARS.items() for mode in modes}
# "Who should I call?" listens for the names alone when the dialog lists them (a book small enough), and
# for a whole command ("call Jane Doe") in a bigger one
GRAMMAR_OF[Listening.NAME] = "command"


class Book(Protocol):
    """The part of the contact book the recognisers need."""

    nicknames: Nicknames

    @property
    def version(self) -> Any: ...

    def contacts(self) -> list[Contact]: ...

    def resolver(self) -> Resolver: ...

    def sound_alikes(self) -> SoundAlikes | None: ...


class Parser(Protocol):
    def parse(self, text: str, *, allowed: Iterable[str] | None = None) -> Any: ...


class CommandStream(Protocol):
    compute: float

    def feed(self, pcm: bytes) -> None: ...

    def finish(self, audio: AudioClip) -> Transcript: ...


def contact_phrases(
    contacts: Iterable[Contact],
    nicknames: Nicknames | None = None,
    known: Callable[[str], bool] | None = None,
    surnames: bool = False,
) -> dict[str, list[str]]:
    """What a user may call each contact: full name, first name, aliases, short forms (and surnames), and the
    words for the relations the book has ("my mum", "my mother")."""
    names: dict[str, None] = {}
    companies: dict[str, None] = {}
    relations: dict[str, None] = {}  # "call my boss": only the relations the book has
    for contact in contacts:
        words = fold(contact.name).split()
        if not words:
            continue
        forms = [" ".join(words), words[0], *(fold(a) for a in (*contact.aliases, *contact.learned))]
        if surnames:
            forms.append(words[-1])
        if nicknames is not None and known is not None and len(words) > 1:
            # Short forms of the first name (Jen, Jenny for Jennifer; Rob for Robert) that the dictionary
            # knows; the dataset's other relations (Bill for Robert) are too many to put in a grammar.
            # shortest first, then by spelling: a set's order changes from one start to the next (Kathy or
            # Katie for Kathryn, and so what the grammar hears)
            by_length = sorted(nicknames.nicknames_of(words[0]), key=lambda n: (len(n), n))
            short = [n for n in by_length if n[:2] == words[0][:2]]
            for nick in [n for n in short if len(n) > 2 and known(n)][:2]:
                forms += [nick, f"{nick} {' '.join(words[1:])}"]
        names.update(dict.fromkeys(f for f in forms if f))
        if contact.company:
            companies[fold(contact.company)] = None
        relations.update(dict.fromkeys(contact.relations))
    said = [word for word, relation in relation_words().items() if relation in relations]
    return {"contact": list(names), "company": list(companies), "relation": said}


def choice_phrases(choices: Sequence[Contact]) -> dict[str, list[str]]:
    """For "which one?": the candidates' names, parts of names, companies and cities."""
    phrases = contact_phrases(choices, surnames=True)
    cities = list(dict.fromkeys(fold(c.city) for c in choices if c.city and fold(c.city)))
    return {
        "name": phrases["contact"],
        "company": phrases["company"],
        "contact": phrases["contact"],
        "city": cities,
    }


class GrammarCommands:
    """pocketsphinx grammars for each listening state, kept in step with the contact book."""

    name = "sphinx"

    def __init__(
        self,
        engine: SphinxEngine,
        intents: Intents,
        book: Book,
        topics: Sequence[str] = (),
        wake_phrase: str = "",
        *,
        denoise: bool = True,
    ):
        """`denoise`: clean the audio of a steadily noisy room before the grammar hears it (frontend.py)."""
        self.engine = engine
        self.denoise = denoise
        self.builder = GrammarBuilder(intents)
        self.book = book
        self.topics = [t for t in topics if t.strip()]  # a hint: other topics come from the free-form engine
        self.free = Topics(intents, _WholeParser(intents), self.topics)
        self.wake_phrase = wake_phrase
        self._version: Any = object()
        self._phrases: dict[str, Sequence[str]] = {}
        self._loaded: set[str] = set()  # the grammars built from this version of the book
        self.build_seconds = 0.0

    def refresh(self, *, every: bool = False) -> None:
        """Rebuild the command grammar if the contacts changed since the last build (`every`: the other
        states' grammars too). The others are otherwise built when first listened for (the confirmation
        after the first command, say) rather than before listening starts: 0.16 s of a 1,000-contact start."""
        version = self.book.version
        started = time.perf_counter()
        wanted = [*GRAMMARS] if every else ["command"]
        if self.wake_phrase:
            wanted.append("wake")
        if version != self._version:
            self._phrases = {
                **contact_phrases(self.book.contacts(), self.book.nicknames, self.engine.knows),
                "topic": self.topics,
            }
            self._loaded = set()
            self._version = version
        missing = [name for name in wanted if name not in self._loaded]
        if missing:
            self._load(missing)
            self.build_seconds = time.perf_counter() - started

    def _load(self, names: Sequence[str]) -> None:
        grammars = []
        for name in names:
            if name == "wake":
                command = _answers(GRAMMARS["command"])
                grammars.append(self.builder.build("wake", command, self._phrases, prefix=self.wake_phrase))
            else:
                grammars.append(self.builder.build(name, _answers(GRAMMARS[name]), self._phrases))
        self.engine.load(grammars)
        self._loaded.update(names)

    def start(self, expect: Expect, *, wake: bool = False) -> _GrammarStream:
        self.refresh()
        if wake:
            grammar = "wake"
        elif expect.mode == Listening.CHOICE or (expect.mode == Listening.NAME and expect.choices):
            grammar = str(expect.mode)
            self.engine.load(
                [self.builder.build(grammar, ANSWERS[expect.mode], choice_phrases(expect.choices))]
            )
        else:
            grammar = GRAMMAR_OF[expect.mode]
            if grammar not in self._loaded:
                self._load([grammar])
        return _GrammarStream(self, self.engine.start(grammar), expect.mode == Listening.COMMAND)

    def recognize(self, audio: AudioClip, expect: Expect, *, wake: bool = False) -> Transcript:
        stream = self.start(expect, wake=wake)
        stream.feed(audio.pcm)
        return stream.finish(audio)


def _answers(modes: Iterable[Listening]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for mode in modes for name in ANSWERS[mode]))


class _GrammarStream:
    def __init__(self, owner: GrammarCommands, stream: SphinxStream, command: bool):
        self.owner = owner
        self.engine = owner.engine
        self.stream = stream
        self.command = command
        self.front = FrontEnd(stream.feed) if owner.denoise else None
        self.cleaned: AudioClip | None = None  # what the grammar heard, when the front end cleaned it

    @property
    def compute(self) -> float:
        return self.stream.compute

    def feed(self, pcm: bytes) -> None:
        (self.front or self.stream).feed(pcm)

    def finish(self, audio: AudioClip) -> Transcript:
        cleaned = self.front.finish() if self.front is not None else None
        if cleaned is not None:
            self.cleaned = AudioClip(cleaned, audio.sample_rate)
        transcript = self.engine.transcript(self.stream.finish(self.owner.free.introducers))
        if self.command and (transcript.confidence or 0.0) < CHECK_BELOW:
            # The grammar alone names a person for dialling only when this sure (see CHECK_BELOW); with a
            # second engine, CheckedCommands decides instead.
            return replace(transcript, sure=False)
        return transcript


# With a second engine to ask, the grammar's own confidence alone carries a command only above this: on the
# development and held-out corpora it was never wrong there. Heard on its own channel, noise fits the grammar
# and the phone loop alike, so wrong names in noise reach 0.97: 0.95 was safe only with a running mean.
CHECK_BELOW = 0.98


class _WholeParser:
    """The intent parser over every template, built on first use (topics are read from free-form text)."""

    def __init__(self, intents: Intents):
        self.intents = intents
        self._parser: Any = None

    def parse(self, text: str) -> Any:
        if self._parser is None:
            from ..intents import IntentParser

            self._parser = IntentParser()
        return self._parser.parse(text)
