"""Whisper made to say sentences it may not have heard (forced decoding): a reading of a command, and the
same sentence naming someone else instead. How much better the reading fits the audio than the best of
those is evidence for it (speech/evidence.py); the rivals are the contacts spelled like the heard name
(`against_alikes`) or, for a reading nobody backed, everyone in the book (`against_book`). For a name the
book holds nobody by, the contact whose name fits best (`named_from_book`). And, for the rules in
speech/holds.py, words after a name nobody could read said as a correction to someone else
(`against_correction`), and a whole name against others' first names said alone (`against_first_names`);
for speech/strangers.py, a whole name against the surname Whisper wrote after its first name
(`against_surname`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from ..contacts.names import fold
from ..contacts.resolver import name_forms
from ..contacts.soundalike import label_sounding_like
from ..errors import TranscriptionFailed
from ..language import Speechways
from ..models import AudioClip, Contact, Transcript
from ..ports import COMMANDS
from ..understanding import PHRASE_END, where_said
from .commands import Book, Parser
from .decision import Evidence
from .sentences import person_named
from .whisper import mean_score

RIVALS = 5  # sound-alikes per query: the heard name, each of its words, Whisper's readings
BOOK_CAP = 64  # the most people `against_book` names in one go (about 4 ms each on two cores)
PRIORS_KEPT = 20_000  # names whose quiet-room score is remembered
# How a speaker takes a name back for another, as `against_correction` says it ("..., I mean Mei Lin")
TAKING_BACK = ("I mean",)  # "sorry" is heard, or its sound is ("Sarah"): `Sentences.corrected`
LABEL_ENDINGS = ("on", "on his", "on her", "on their", "at")  # "... on her mobile", "... at work"


@cache
def quiet_room() -> AudioClip:
    """A second of a quiet room: faint steady noise, the same every time."""
    import numpy as np

    return AudioClip(np.random.default_rng(0).normal(0, 30, 16000).astype(np.int16).tobytes())


class Forced:
    """Forced decoding of one contact book's names, through an engine's `score` (None: the engine cannot)."""

    def __init__(
        self,
        book: Book,
        parser: Parser,
        ways: Speechways,
        token_scores: Callable[..., Any] | None,
        labels: Iterable[str] = (),
    ):
        self.book = book
        self.parser = parser
        self.carriers = ways.carriers  # words around a name, not part of it
        self.small = ways.carriers | ways.after_name  # ... and small words that may follow it ("and")
        self.closings = tuple(" ".join(a) for a in ways.after if len(a) == 1)  # "please", "now"
        # the log-probability of each token of each sentence, given the audio
        self.token_scores = token_scores
        self.labels = tuple(dict.fromkeys(labels))  # the number labels ("mobile", "work", "home")
        self.name_priors: dict[str, float] = {}  # what a name's tokens score over a quiet room (`_prior`)

    def score(self, audio: AudioClip, sentences: list[str], *, ended: bool = False) -> list[float]:
        """How well each sentence fits the audio: the mean log-probability of its tokens."""
        assert self.token_scores is not None
        return [mean_score(tokens) for tokens in self.token_scores(audio, sentences, ended=ended)]

    def said(self, text: str) -> list[str]:
        """The words a reading says the person's name in."""
        parsed = self.parser.parse(text, allowed=COMMANDS)
        return fold(parsed.slot("contact") or "").split() if parsed is not None else []

    def _naming(self, text: str, said: list[str]) -> Callable[[str], str] | None:
        """The reading's sentence naming someone else instead, in the form the name was said (whole, or
        the first name); None when the name said is not in the sentence as such."""
        words = fold(text).split()
        at = where_said(words, said)
        if at is None:
            return None

        def naming(name: str) -> str:
            sentence = " ".join([*words[:at], _form(name, said), *words[at + len(said) :]])
            return sentence[:1].upper() + sentence[1:]

        return naming

    def against_alikes(self, e: Evidence, text: str, who: str, second: Transcript, audio: AudioClip) -> None:
        """Whisper made to say this reading, and the same sentence naming each sound-alike instead."""
        said = self.said(text)
        naming = self._naming(text, said)
        names = self.sound_alikes(said, second)
        e.set("rivals", max(0, len(names) - 1))
        if self.token_scores is None or naming is None or who not in names or not second.text:
            return
        try:
            *scores, own = self.score(audio, [*(naming(n) for n in names), second.text])
        except TranscriptionFailed:
            return
        mine = scores[names.index(who)]
        rivals = [s for n, s in zip(names, scores, strict=True) if n != who]
        e.set("forced_done", True)
        e.set("forced_margin", mine - max(rivals) if rivals else 5.0)
        e.set("forced_below_own", own - mine)

    def against_book(
        self, e: Evidence, text: str, who: str, second: Transcript, audio: AudioClip
    ) -> str | None:
        """Whisper made to say the reading naming its person, and naming each other person in the book
        instead (in the form the name was said; a first name the person shares is no rival, nor is anyone
        whose name sounds like theirs, `_twins`), each set against what Whisper says of it over a quiet room
        (`_prior`): the margin of the reading over the best of them. The sound-alikes of `against_alikes`
        are spelled alike; a grammar that hears "call Ana" as "call ahmed" confuses names that are not. A
        book too big to say through is cut to the names nearest to what was heard. The best rival's
        sentence; None when the check could not be made."""
        said = self.said(text)
        naming = self._naming(text, said)
        if self.token_scores is None or naming is None:
            return None
        mine = naming(who)
        twins = self._twins(who, said)
        # each rival's sentence, and the name in the form it says it
        names = self._book_names(said, second)
        rivals = {s: _form(n, said) for n in names if n not in twins and (s := naming(n)) != mine}
        if not rivals:
            return None
        try:
            own, *others = self._over_quiet_room(audio, mine, _form(who, said), rivals)
        except TranscriptionFailed:
            return None
        e.set("book_done", True)
        e.set("book_margin", own - max(others))
        return list(rivals)[others.index(max(others))]

    def against_first_names(self, text: str, who: str, second: Transcript, audio: AudioClip) -> float | None:
        """For a reading that says its person's whole name: how much better Whisper, made to say it, fits
        the audio than the same sentence naming someone else by first name alone ("Call Mei Lin." against
        "Call Leila."), each scored with the end of the text, so a sentence that says more than was said
        pays for it: the grammar alone hears a first name said alone as another's whole name ("call Leila"
        as "call mei lin", "call Jane" as "call jane doe"). The person is named as the book writes them
        (the grammar's "emmy zhang" is said "Emily Zhang"). Her own first name alone is a rival only when
        someone else, not sounding like her, shares it; a book too big to say through is cut as
        `against_book` cuts it. None when there is no rival or the engine cannot score."""
        said = self.said(text)
        naming = self._naming(text, said)
        if self.token_scores is None or naming is None or len(said) < 2:
            return None
        mine = naming(who) + "."
        twins = self._twins(who, said)
        firsts = dict.fromkeys(n.split()[0] for n in self._book_names(said, second) if n not in twins)
        rivals = [s for s in (naming(first) + "." for first in firsts) if s != mine]
        if not rivals:
            return None
        try:
            own, *others = self.score(audio, [mine, *rivals], ended=True)
        except TranscriptionFailed:
            return None
        return own - max(others)

    def against_surname(self, text: str, who: str, surname: str, audio: AudioClip) -> float | None:
        """For a reading that says its person's whole name: how much better Whisper, made to say it, fits
        the audio than the same sentence with another surname after their first name (`surname`, as
        Whisper wrote it going on from the first name: *Phone Omar Farouk about the invoice* against
        *Phone Omar Sharif about the invoice*). None when the engine cannot score."""
        return self.against_name(text, who, f"{who.split()[0]} {surname.capitalize()}", audio)

    def against_name(self, text: str, who: str, other: str, audio: AudioClip) -> float | None:
        """For a reading that says its person's whole name: how much better Whisper, made to say it, fits
        the audio than the same sentence naming `other` (a whole name) instead. None when the engine cannot
        score."""
        said = self.said(text)
        naming = self._naming(text, said)
        if self.token_scores is None or naming is None or len(said) < 2:
            return None
        try:
            own, written = self.score(audio, [naming(who), naming(other)])
        except TranscriptionFailed:
            return None
        return own - written

    def named_from_book(self, text: str, second: Transcript, audio: AudioClip) -> tuple[str, float] | None:
        """For a reading whose name the book holds nobody by ("Call Omari N. W. S. U.", "Get hold of Akant
        Khan."): Whisper made to say its sentence naming each contact instead (in the form the name was
        said), each set against the quiet room as in `against_book`. The sentence that fits best, and by how
        much it fits better than the next naming someone else (people sharing the first name said are one
        sentence: the dialog asks which of them). None when the check could not be made."""
        said = self.said(text)
        naming = self._naming(text, said)
        if self.token_scores is None or naming is None:
            return None
        # each contact's sentence, and the name in the form it says it
        forms = {naming(n): _form(n, said) for n in self._book_names(said, second)}
        if len(forms) < 2:
            return None
        heard_name = " ".join(said)
        try:  # the sentence as Whisper wrote it first: its score over the quiet room sets the others'
            _, *fits = self._over_quiet_room(audio, naming(heard_name), heard_name, forms)
        except TranscriptionFailed:
            return None
        (best, sentence), (second_best, _) = sorted(zip(fits, forms, strict=True), reverse=True)[:2]
        return sentence, best - second_best

    def against_correction(self, text: str, who: str, plain: list[str], audio: AudioClip) -> float | None:
        """For a reading that says its person's whole name, ends the phrase there, and goes on in words it
        does not read, none of them sounding like a number label ("Call Viktor Horvath, Aeneemelin,"; not
        "... and Mebile.", nor "Call Emily Zhang on her."): how much better Whisper, made to say the sentence
        up to the name and then a correction to someone else ("Call Viktor Horvath, I mean Mei Lin."), fits
        the audio than as the name alone, with a number label or a closing word ("please") after it, or as
        `plain` (the grammar's sentence). Scored with the end of the text (`ended`: a fixed toll, heavier on a
        shorter sentence, so on the one that stops at the name; measured so, CORRECTED_AT), and not set
        against a quiet room's prior: over a quiet room a sentence that stops at the name is unlikely, and
        that alone lifted "Call Diego Ramirez." over "..., I mean Ngozi Eze." said on a fresh held-out draw.
        None when there are no such words, or the engine cannot score."""
        person = self.person(who)
        said = self.said(text)
        spans = [
            (i, i + len(form))
            for form in (name_forms(person) if person is not None else ())
            if len(form) > 1
            for i in range(len(said))
            if tuple(said[i : i + len(form)]) == form
        ]
        words = fold(text).split()
        at = where_said(words, said)
        start, end = max(spans, key=lambda span: span[1], default=(0, 0))
        unread = [w for w in said[end:] if w not in self.small and not label_sounding_like([w])]
        # a correction starts a phrase: Whisper ends the name's ("Call Viktor Horvath, Aeneemelin,")
        ends_phrase = any(
            fold(phrase).split()[start - end :] == said[start:end] for phrase in PHRASE_END.split(text)[:-1]
        )
        if self.token_scores is None or not spans or not unread or not ends_phrase or at is None:
            return None
        named = " ".join([*words[: at + start], who])
        named = named[:1].upper() + named[1:]  # "Call Viktor Horvath"
        names = self._book_names(said[end:], Transcript(""))  # big: the names nearest the words after it
        twins = self._twins(who, said[start:end])
        corrections = [f"{named}, {back} {n}." for back in TAKING_BACK for n in names if n not in twins]
        if not corrections:
            return None
        heard = [t[:1].upper() + t[1:].rstrip(".,?!") + "." for t in plain if t]
        labelled = [f"{named} {way} {label}." for way in LABEL_ENDINGS for label in self.labels]
        closed = [f"{named} {word}." for word in self.closings]  # "... Liam Obrien please." ("Lee.")
        others = list(dict.fromkeys([f"{named}.", *labelled, *closed, *heard]))
        try:
            fits = self.score(audio, [*corrections, *others], ended=True)
        except TranscriptionFailed:
            return None
        return max(fits[: len(corrections)]) - max(fits[len(corrections) :])

    def _twins(self, who: str, said: list[str]) -> set[str]:
        """The person and the contacts whose names sound like theirs as said (Shawn Taylor, Sean Taylor;
        "call John": Jon Park): no sound tells them apart, so a reading naming one of them was settled by
        the command's other words (a company, a label), and they are no rivals of it."""
        alikes = self.book.sound_alikes()
        person = self.person(who)
        if alikes is None or person is None:
            return {who}
        return {who, *(c.name for c in alikes.heard_as(person, said))}

    def person(self, who: str) -> Contact | None:
        """The contact a reading names, by name."""
        return person_named(self.book, who)

    def _book_names(self, said: list[str], second: Transcript) -> list[str]:
        """Everyone in the book; a book too big to say through (BOOK_CAP), the names nearest `said` and
        Whisper's readings."""
        names = [c.name for c in self.book.contacts()]
        if len(names) > BOOK_CAP:
            names = self.sound_alikes(said, second, limit=BOOK_CAP // 4)[:BOOK_CAP]
        return names

    def _over_quiet_room(self, audio: AudioClip, mine: str, form: str, others: dict[str, str]) -> list[float]:
        """How well `mine` (whose name is said as `form`) and each of `others` (sentence: the name as it
        says it) fit the audio, each less what Whisper says of it over the quiet room (`_prior`)."""
        assert self.token_scores is not None
        heard = self.token_scores(audio, [mine, *others])
        prior = self._prior(mine, heard, [form, *others.values()])
        return [mean_score(h) - p for h, p in zip(heard, prior, strict=True)]

    def _prior(self, mine: str, heard: list[list[float]], forms: list[str]) -> list[float]:
        """How readily Whisper says each sentence over a quiet room: what it says of a name without hearing
        it. Set against it, a name the model favours anyway ("Siobhan", whose later tokens follow from the
        first) no longer outscores the name said; measured on "call grace" in two espeak-ng voices, the
        said name went from second or first by 0.06 to first by 2.7 (mean log-probability per token).

        Only the reading's own sentence (`mine`, the first of `heard`) is said over the quiet room; each
        other sentence is taken as the same words around its own name, whose tokens score there as they do
        between "Call" and "." (`name_priors`, kept for the next command). Saying every rival's sentence
        over the quiet room too took a book check 0.13 s more; worked out on the eight dev draws' book
        checks (569 commands), this decides 6 of them otherwise (one more right dial, no wrong one), and 3
        of the stranger benches' 98 (their wrong dials unchanged)."""
        assert self.token_scores is not None
        own = self.token_scores(quiet_room(), [mine])[0]
        new = [f for f in dict.fromkeys(forms) if f not in self.name_priors]
        if new:
            if len(self.name_priors) > PRIORS_KEPT:
                self.name_priors.clear()
            framed = self.token_scores(quiet_room(), [f"Call {form}." for form in new])
            self.name_priors.update((f, sum(tokens[1:-1])) for f, tokens in zip(new, framed, strict=True))
        around = sum(own) - self.name_priors[forms[0]]  # the sentence's other words
        return [
            (around + self.name_priors[f]) / max(len(tokens), 1)
            for f, tokens in zip(forms, heard, strict=True)
        ]

    def sound_alikes(self, said: list[str], second: Transcript, limit: int = RIVALS) -> list[str]:
        """The contacts the heard name, each of its words and Whisper's readings sound like."""
        resolver = self.book.resolver()
        heard = [" ".join(said), *said]  # the name, and each of its words (Jane Doe: Jane Smith, John Doe)
        for text in second.hypotheses[:3]:
            heard.append(" ".join(w for w in fold(text).split() if w not in self.carriers))
        names: dict[str, None] = {}
        for query in filter(None, heard):
            names.update(dict.fromkeys(c.contact.name for c in resolver.rank([query], limit=limit)))
        return list(names)


def _form(name: str, said: list[str]) -> str:
    """A name in the form a reading said its person's: whole, or the first name."""
    return name if len(said) > 1 else name.split()[0]
