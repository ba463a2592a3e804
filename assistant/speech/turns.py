"""The speaker turning from one person to another in one command ("ring Oscar Nilsson, sorry, Diego
Ramirez"): whom Whisper heard them turn to, unless it made the turn up, and the command for that person;
and a turn the grammar took for a topic ("call isabelle martin about the meeting").
"""

from __future__ import annotations

from ..contacts.names import fold
from ..errors import TranscriptionFailed
from ..models import AudioClip, Transcript
from ..understanding import PHRASE_END
from .commands import Book
from .evidence import Reading, Witness
from .freeform import Transcribing
from .sentences import one_person

Restart = tuple[str, str] | None  # the person turned to and the command for them (`Sentences.restart`)


def restarted_away(restart: Restart, meaning: tuple[str, str, str]) -> bool:
    """Whether the speaker turned from this reading's person to another (`Sentences.restart`)."""
    return restart is not None and restart[0] != one_person(meaning)


class Turns:
    """Turns Whisper heard (`witness`), checked with Whisper (`engine`) against one contact book; what
    comes of them is said as `name`, with `sure_at` when acted on, `min_confidence` when asked about."""

    def __init__(
        self,
        witness: Witness,
        engine: Transcribing,
        book: Book,
        *,
        name: str,
        sure_at: float,
        min_confidence: float,
    ):
        self.witness = witness
        self.engine = engine
        self.book = book
        self.name = name
        self.sure_at = sure_at
        self.min_confidence = min_confidence
        self._bare: tuple[bytes, str] | None = None  # the last command heard without the prompt

    def heard(self, second: Transcript, audio: AudioClip) -> Restart:
        """The person Whisper heard the speaker turn to, and the command for them (`Sentences.restart`),
        unless Whisper made the turn up from the names it was prompted with: no word in its sentence takes
        the first person back, nor sounds like one that does (`Sentences.takes_back`), the second person's
        phrase says nothing but their name (`Sentences.named_alone`: a take-back word misheard comes first,
        *..., Amidas Emel Martin,* for "..., I mean Isabelle Martin"), and Whisper, hearing the command again
        without the names, neither writes such a word nor names two people. Prompted, it ends a sentence in
        names nobody said: *Then Ravi Shankar, Ham.* for "phone Ravi Shankar at home" (unprompted: *then
        Ravi Shinkhot Ham.*), *Phone Kofi Boateng, Rebecca Hall, to the order.* for "phone Kofi Boateng
        about the order" (*from coffee botan without the order.*)."""
        restart = self.witness.restart(second.text)
        if (
            restart is None
            or self.witness.takes_back(second.text)
            or not self.witness.named_alone(second.text)
        ):
            return restart
        bare = self._unprompted(audio)
        if bare is None or self.witness.takes_back(bare) or len({w for _, w in self.witness.named(bare)}) > 1:
            return restart
        return None

    def hidden_in_topic(self, reading: Reading, audio: AudioClip) -> bool:
        """Whether a reading with a topic only the grammar heard ("call isabelle martin about the meeting")
        may hide a correction in it: Whisper, hearing the command again without the book's names, starts a
        phrase by taking someone back (`Sentences.corrected`: "..., I mean ...", "..., sorry, ..."; not a
        "wait" inside one, *I'll wait men throughout the contract.* for "dial Kwame Mensah about the
        contract", espeak-ng in pink noise). The grammar's topic path takes any words after a name for a
        topic, "I mean Emily Zhang" too, and Whisper prompted with the names can write the correction as
        names (*Call us say Bell Martin, Aimee and Emily Shring.*; unprompted *Call the Sebel Martin, I mean
        Emmily Shring.*: a wrong dial on fresh held-out 183, hibari-tts clean)."""
        if not reading.evidence.value("topic_unheard"):
            return False
        bare = self._unprompted(audio)
        return bare is not None and self.witness.corrected(bare)

    def _unprompted(self, audio: AudioClip) -> str | None:
        """What Whisper hears in the command without the book's names as a prompt (once a command); None
        when it fails."""
        if self._bare is not None and self._bare[0] == audio.pcm:
            return self._bare[1]
        try:
            bare = self.engine.transcribe(audio, quick=True).text
        except TranscriptionFailed:
            return None
        self._bare = (audio.pcm, bare)
        return bare

    def taken_back(
        self,
        restart: Restart,
        meaning: tuple[str, str, str],
        second: Transcript,
        grammar_heard: str | None,
    ) -> Transcript | None:
        """When Whisper heard the speaker take this reading's person back for another ("ring Oscar Nilsson,
        sorry, Diego Ramirez", which the grammar can only hear as a name and a topic): the other person,
        asked about unless Whisper heard the turn plainly after the person the grammar heard. Never a dial
        for the first."""
        if restart is None or not restarted_away(restart, meaning):
            return None
        turned_to = self._turned_plainly(restart, grammar_heard, second)
        if turned_to is None:
            return Transcript(restart[1], (), self.min_confidence, engine=self.name, sure=False)
        label = {turned_to[2]} if turned_to[2] else set()
        return Transcript(
            restart[1],
            (),
            self.sure_at,
            engine=self.name,
            label_sure=self.witness.labels_in(restart[1]) == label,
            person=restart[0],
        )

    def _turned_plainly(
        self, restart: tuple[str, str], first: str | None, second: Transcript
    ) -> tuple[str, str, str] | None:
        """The command for the person turned to, when Whisper plainly heard the speaker turn from the
        person the grammar heard (`first`): that person named first, then a word taking them back, then the
        other by their whole name as written and nobody else's word ("Ring Isabelle Martin, Sari, Rebecca
        Stein,"; not "Call Julia Novak, Niamh Gallagher, Hamepo," in a reverberant room), the command naming
        them alone, and most of Whisper's runners-up hearing the same turn. The grammar heard the first
        person too, so Whisper's words are not noise taken for names: a dial for the second."""
        named = self.witness.named(second.text)
        meaning = self.witness.meaning(restart[1])
        if first is None or not named or named[0][1] != first or meaning is None:
            return None
        if not self.witness.corrected(second.text):  # two names, nothing taken back: noise named someone
            return None
        if one_person(meaning) != restart[0]:  # same-sounding names, or a name the resolver is unsure of
            return None
        person = self.witness.person(restart[0])
        after = fold(" ".join(PHRASE_END.split(second.text)[named[-1][0] :])).split()
        if person is None or not self.book.resolver().says_whole_name(after, person):
            return None
        runners_up = second.alternatives[:3]
        agree = sum(1 for text in runners_up if (self.witness.restart(text) or ("",))[0] == restart[0])
        return meaning if 2 * agree > len(runners_up) else None
