"""The second engine at our own port, and the checks on one command the speech tests share
(`grammar`, the example book's grammars, is tests/speech/conftest.py's)."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.intents import IntentParser
from assistant.models import AudioClip, Transcript
from assistant.ports import Expect, Listening
from assistant.speech.checked import CheckedCommands
from assistant.speech.commands import GrammarCommands
from assistant.speech.forced import quiet_room

COMMAND = Expect(Listening.COMMAND)
AUDIO = AudioClip(b"\x00\x01" * 1600)


@dataclass
class Heard:
    """The second engine, at our own port: it hears what it is told to, and keeps the prompts."""

    text: str
    name: str = "second"
    alternatives: tuple[str, ...] = ()
    prompts: list[tuple[str, str]] = field(default_factory=list)
    quick: list[bool] = field(default_factory=list)
    scored: list[list[str]] = field(default_factory=list)
    unprompted: str | None = None  # what it hears with no prompt, when not the same

    def transcribe(
        self, audio: AudioClip, prompt: str = "", hotwords: str = "", *, quick: bool = False
    ) -> Transcript:
        self.prompts.append((prompt, hotwords))
        self.quick.append(quick)
        if not prompt and self.unprompted is not None:
            return Transcript(self.unprompted, (), confidence=0.6, engine=self.name)
        return Transcript(self.text, self.alternatives, confidence=0.6, engine=self.name)


def checked(grammar: GrammarCommands, second: str) -> tuple[CheckedCommands, Heard]:
    engine = Heard(second)
    return CheckedCommands(grammar, engine, IntentParser(), sure_at=0.85, min_confidence=0.3), engine


def first(text: str, confidence: float) -> Transcript:
    return Transcript(text, ("call janie doe",), confidence, engine="sphinx")


@dataclass
class Scoring(Heard):
    """A second engine that can also score given sentences against the audio (forced decoding)."""

    fits: dict[str, float] = field(default_factory=dict)  # a name in the sentence -> its score
    heard_score: float = -1.5
    others: float = -4.0  # any other name's sentence
    ending: float = -0.1  # the end of the text after any sentence (`end_scores`): the speech ends there
    ends_after: str = ""  # ... but after a sentence ending in these words, the speech ends there
    ended: list[list[str]] = field(default_factory=list)  # the sentences `end_scores` was asked about

    def end_scores(self, audio: AudioClip, sentences: list[str]) -> list[float]:
        self.ended.append(sentences)
        ends = self.ends_after and self.ends_after + "."
        return [-0.1 if ends and s.endswith(ends) else self.ending for s in sentences]

    def token_scores(
        self, audio: AudioClip, sentences: list[str], *, ended: bool = False
    ) -> list[list[float]]:
        """Each sentence as one token (its score)."""
        if audio == quiet_room():  # the book check's prior: every sentence alike
            return [[-6.0]] * len(sentences)
        self.scored.append(sentences)
        return [
            [
                self.heard_score
                if s == self.text
                else next((v for k, v in self.fits.items() if k in s), self.others)
            ]
            for s in sentences
        ]


def scoring(grammar: GrammarCommands, heard: str, **fits: float) -> tuple[CheckedCommands, Scoring]:
    engine = Scoring(heard, fits={k.replace("_", " "): v for k, v in fits.items()})
    return CheckedCommands(grammar, engine, IntentParser(), sure_at=0.85, min_confidence=0.3), engine


def evidence(commands: CheckedCommands, said: Transcript, source: str = "grammar") -> dict[str, float]:
    """The evidence the decision weighed for one reading of the last command checked."""
    return next(r.evidence.values for r, _ in commands.last if r.source == source)


def grammar_p(commands: CheckedCommands, said: Transcript | None = None) -> float:
    """How likely the decision found the grammar's reading (of `said`, checked now if given)."""
    if said is not None:
        commands.check(said, AUDIO, COMMAND)
    return next(p for r, p in commands.last if r.source == "grammar")
