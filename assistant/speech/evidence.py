"""What the two engines say about each reading of a command, as numbers for the decision model.

A reading is a sentence one engine heard (the grammar's, or Whisper's own when it means something else) and
what it means: (intent, who, number label). Its evidence: how sure the grammar was, whether Whisper's best
reading or one of its runners-up means the same, whether Whisper wrote the person's name, and how Whisper,
made to say the reading, scores it against the same sentence naming each contact who sounds like the
heard name (forced decoding, speech/forced.py). What a sentence says, text alone: speech/sentences.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hassil import Intents

from ..contacts.names import fold
from ..contacts.soundalike import sentences_alike
from ..errors import TranscriptionFailed
from ..models import AudioClip, Transcript
from ..ports import Expect, Listening
from .commands import Book, Parser
from .decision import Evidence, snr_db
from .forced import Forced
from .freeform import names_prompt
from .rewording import label_unsaid
from .sentences import Meaning, Sentences, one_person

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


@dataclass
class Reading:
    """One way to hear the command, and the evidence for it."""

    text: str
    meaning: Meaning
    evidence: Evidence
    source: str  # "grammar" or "whisper"
    held: bool = False  # a rule beside the decision model asks about it, however likely
    rival: str = ""  # the book check's best rival sentence, when it was made (speech/forced.py)


class Witness(Sentences):
    """Gathers the evidence for the readings of one command, against one contact book: what their
    sentences say (a Sentences reader) and how the audio bears them out."""

    def __init__(
        self,
        book: Book,
        parser: Parser,
        intents: Intents,
        token_scores: Callable[..., Any] | None,
        align: Callable[[AudioClip, list[str]], list[float | None]] | None = None,
        ends: Callable[[AudioClip, list[str]], list[float]] | None = None,
        go_on: Callable[[AudioClip, str, str], str] | None = None,
    ):
        super().__init__(book, parser, intents)
        self.ends = ends  # Whisper made to say sentences: how likely it would end its text after each
        self.go_on = go_on  # Whisper made to say the start of a sentence: what it writes next
        self.align = align  # pocketsphinx made to fit sentences to the audio: its score per frame of each
        # Whisper made to say given sentences
        self.forced = Forced(book, parser, self.ways, token_scores, labels=self.labels.values())

    def readings(
        self, first: Transcript, second: Transcript, audio: AudioClip, cleaned: AudioClip | None = None
    ) -> list[Reading]:
        """The grammar's reading and Whisper's (its best, or the first runner-up that means anything),
        each with its evidence; a reading that means nothing is left out. `cleaned`: the audio as the grammar
        heard it when its front end cleaned it of steady noise; pocketsphinx fits the readings to that."""
        texts = [t for t in (first.text, *second.hypotheses[:4], *second.alternatives[:4]) if t]
        worded = {t: self.reworded(t) for t in dict.fromkeys(texts)}  # "I want to fan Tariq Aziz."
        said = {t: sentence for t, (sentence, _) in worded.items()}
        read = {t: reading for t, (_, reading) in worded.items()}  # each sentence read once
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
        # Whisper's sentence in the templates' words (`reworded`): what it misheard counts as what it was
        # read as (*and her map aisle* as "on her mobile"); so does a label written as other words after a
        # name it did not place ("Call Fianna Bayan and his Met-Bile." for "... Fiona Byrne on his mobile")
        own = said[second.text] if second.text else ""
        written = self.labels_in(own)
        misheard = set() if written else {self.label_heard(own)} - {None}
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
            e.set("label_agrees", written == label or (bool(label) and misheard == label))
            who = one_person(meaning)
            e.set("one_person", who is not None)
            e.set("other_intent", meaning[0] != "CallContact")
            if who is not None:
                e.set("whisper_names", self.names_the_same(own, meaning))
                e.set("whisper_writes", self.writes(who, second.text))
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

    def goes_on_after(self, text: str, said: str, name: str, audio: AudioClip) -> list[str] | None:
        """The words Whisper writes after a reading's sentence up to the word its person's name was said in
        (`said`), made to say that much first, as the contacts prompt it (the person's name as `name`, the
        book, spells it: *Ring Ruth*); none when it ends there. None when Whisper cannot say, or the word is
        not in the sentence."""
        words = fold(text).split()
        if self.go_on is None or said not in words:
            return None
        spelled = {fold(word): word for word in name.split()}
        start = " ".join(spelled.get(w, w) for w in words[: words.index(said) + 1])
        start = start[:1].upper() + start[1:]
        try:
            written = self.go_on(audio, start, names_prompt(self.book, Expect(Listening.COMMAND)))
        except TranscriptionFailed:
            return None
        return fold(written).split()[len(start.split()) :]

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
