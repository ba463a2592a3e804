"""The rules beside the decision model for strangers: a person the book does not hold who shares a name,
or a word of one, with a contact. The grammar can only hear the book's names, so it hears a stranger as the
contact ("ring Grace Whitfield": "ring grace", Grace Okafor); these rules ask about such a reading however
likely the model finds it (speech/holds.py runs them beside its own).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from ..contacts.common import given_names, surnames
from ..contacts.names import fold
from ..contacts.soundalike import sentences_alike, sound_similarity, sounds_like_one_of, spelled_alike
from ..language import topic_words
from ..models import AudioClip, Transcript
from ..understanding import PHRASE_END
from .align import words as sentence_words
from .evidence import Reading, Witness
from .pronounce import shared
from .sentences import UNPLACED, one_person

# A reading of a contact is asked about when Whisper's own reading calls someone the book does not hold and
# pocketsphinx fits that sentence to the audio at least this much better (per frame: the reading's
# `sphinx_margin` at or below minus this). The grammar can only hear the book's names, so a stranger who
# shares a name with a contact comes out as the contact ("ring Grace Whitfield": "ring grace", Grace Okafor).
# Chosen on the eight dev draws and the dev stranger bench (`scripts/corpus.py --strangers`): of the readings
# the model would have acted on with such a rival, 5 of 7 wrong dials and 1 of 211 right ones lie at or
# below -4 (the next right one at -3.7).
STRANGER_FITS_BETTER = 4.0
# A reading of a contact is asked about when Whisper wrote their two-word name with one word kept and the
# other a common name of the same kind (given name, surname: contacts/common.py) that sounds unlike theirs:
# phone edit similarity below UNLIKE_BELOW ("Get me Tom Park on the mobile." for Jon Park). That is a
# stranger who shares a name with a contact, whom the resolver, matching on the shared word, places on the
# contact. Chosen on the eight dev draws and the dev stranger bench (Whisper's readings of every dial):
# at 0.4 it asks about 1 of about 2,700 right dials ("Get me see Murphy" for Sean Murphy) and 3 of the 12
# wrong ones ("Tom Park" for Jon Park, three voices); at 0.5 also "Mario Rossi" for Maria Rossi, twice.
UNLIKE_BELOW = 0.4
# In two capitalised words of Whisper's (`Strangers.name_pairs`) the word kept from the person's name may be
# spelled otherwise when it sounds like theirs at least this much: *Cole Tom Larson.* for Bjorn Larsen,
# *Thank you, Ruth Jans about the invoice.* for Harriet Jones (Jans / Jones 0.75), two wrong dials of a
# fresh held-out stranger bench (seed 155). Dev seeds 7 and 1 and the dev stranger bench heard with it:
# every outcome the same.
SPELLED_FROM = 0.75
# A reading of a contact's whole name is asked about when Whisper wrote their name with one word another, as
# two capitalised words side by side (`Strangers.renamed`), and pocketsphinx fits the reading's sentence with
# that word in its place better by STRANGER_FITS_BETTER per frame, the same evidence as for a stranger
# Whisper's reading names: *Call Lena Hem,* for "call Lena Holm" (Lena Fischer, -7.1), *Phone Garrett Jones
# about the invoice,* for "phone Gareth Jones ..." (Harriet Jones, -6.2), *Call, Emily Marsh,* for "call
# Beverly Marsh" (Emily Carter, -5.8), wrong dials of held-out draw 181 and the stranger benches 163-169.
# The other word is a surname when it sounds unlike theirs (`_surname`) and their Metaphone keys are less
# alike than RENAMED_KEYS_BELOW (*Geltbig* for Goldberg, 0.73, fit 5.8 better on fresh held-out draw 185, a
# right dial; *Marsh* for Carter is 0.29, *Hem* for Fischer 0); a first name only when it is a common given
# name (contacts/common.py) that does not sound like theirs (SPELLED_FROM) nor is spelled like it
# (NAME_SPELLED, rapidfuzz ratio: *Thomas* for Tomas, 91, is his name spelled otherwise; *Garrett* for
# Harriet is 71): Whisper's garbled first names of contacts fit up to 5.3 better (*Ring Athan Brooks,*). Of
# the 2,639 right dials of dev draws 7 and 97 and held-out draws 175-189 it asks about none.
NAME_SPELLED = 80
RENAMED_KEYS_BELOW = 0.5
# A reading of a contact's whole name held because Whisper wrote someone else's beside it (`written`) is acted
# on after all when pocketsphinx fits the reading's sentence better than the same sentence with each name
# Whisper wrote by at least this much per frame (`Strangers.written_back`), as a name outsaid by the book
# check is (OUTSAID_BACK, speech/holds.py): Whisper, prompted with the book, writes contacts' names as other
# common names (*Dyl Connor Ely,* for Connor Reilly, +9.2; *Call us, Carl Nilsson, concerning the audit
# findings.* for Oscar Nilsson, +6.5). Chosen on the readings this rule held on dev draws 7 and 97 and
# held-out draws 175-185: 13 of 36 right ones fit by 4 or more, and none of the 36 whole-name readings it
# held on the six stranger benches (dev, 159-169; *Thank you Ruth Jones about the invoice.* for "phone
# Gareth Jones", read as Harriet Jones, fits by +1.5).
WRITTEN_BACK = 4.0

# A contact's first name said alone, heard so by the grammar, is asked about when Whisper, made to say the
# command up to that first name, writes on with a word that is not their surname
# (`Strangers.surname_unheard`): "ring Ruth Baker" heard as "ring ruth" (Ruth Goldberg), Whisper going on
# *Ring Ruth Baker,*. A word is taken for their surname when it, or it run into the next, is spelled like it
# (rapidfuzz ratio from SURNAME_SPELLED) or sounds like it (phone similarity from SURNAME_SOUNDS, or the same
# Metaphone key); the words after it are the reading's own when they sound alike (AFTER_ALIKE: *Call Phillip
# Petri, besides printing.* for "call phillip at riverside printing"). Their whole name, when no reading of
# Whisper's backs it, is asked about when the surname Whisper writes on from the first name fits the audio
# better than theirs by more than SURNAME_FITS_WORSE (mean log-probability per token): "phone Omar Sharif"
# heard by the grammar alone as "phone omar farouk", *Phone Omar Farouk about the invoice* against Whisper's
# *... Omar Sharif ...*: -2.05 (on dev seeds 1 and 7 Whisper wrote another word for 6 of 44 such right
# readings, one of them below -1: *Call Grace R.*, an initial, which is no surname; the stranger benches' 7
# such wrong dials lay from -1.47 to -3.12). Chosen on the readings 980e8d2 acted on: of the eight dev draws'
# 2,304 right dials it asks about 1 (*call chloe dubois*, a whole name), of the dev first-name bench's 277
# none, of held-out draws 165-171's 1,014 3 (*call giovanni*, *call giovanni bianchi*, *ring leila ahmadi
# about the order*); of the 23 wrong dials of three stranger benches (dev, 159, 161), 12 (*ring Ruth Baker*
# three times, *phone Omar Sharif* five, *get me Diego Costa*, *call Dmitri Ivanov*, *ring Howard Jenkins*,
# *ring Rosa Garcia*).
# The same margin holds a whole name whose first name Whisper writes otherwise going on from the words before
# it (`first_name_unheard`): *Gareth Jones* for Harriet Jones fit 1.43 and 1.56 better (stranger bench 177);
# on dev draws 7 and 97 the nearest right reading it scored, *Dean Kim* for David Kim, 0.32.
SURNAME_SPELLED = 60
SURNAME_SOUNDS = 0.5
AFTER_ALIKE = 0.5
SURNAME_FITS_WORSE = -1.0
# What backs a reading's name: Whisper's own reading or a runner-up means it, or names or writes the person
BACKED = ("whisper_means", "whisper_beam", "whisper_names", "whisper_writes")


class Strangers:
    """Which readings of one command may be a stranger's, who shares a name with the contact read."""

    def __init__(self, witness: Witness):
        self.witness = witness
        ways = witness.ways
        # words that follow a name without being a surname: around it, a topic's, a label's, a filler, a
        # repair's first ("sorry"), a closing's ("please")
        self.after_name = frozenset(
            {*witness.small, *witness.template_words, *ways.after_name, *topic_words()}
            | {words[0] for words in (*ways.after, *ways.repairs) if words}
            | {word for filler in ways.fillers for word in filler.split()}
        )

    def written_name(self, second: Transcript) -> list[str]:
        """The words of the name Whisper's best sentence asks for; none when it is no command. When that
        sentence names nobody in one or two words ("Get me Tom Park on the Noble.": "tom park on the
        noble"; "Phone, Helen Kim, I'm out of the in voice."), the first that does of its opening phrases
        ("Phone, Helen Kim"), then of its runners-up ("Get me Tom Park on the mobile."). On the eight dev
        draws' and the dev stranger bench's dials (191c218's readings), the names read so are strangers'
        for 3 of the bench's 10 wrong dials, now questions, and for 2 of 2,249 right dials ("Dialing, Reed
        Sorensen, ..." for Ingrid Sorensen, "Give Jane Dollarang."), now questions about the right person."""
        name = self.witness.forced.said(second.text)
        if 0 < len(name) <= 2:
            return name
        phrases = PHRASE_END.split(second.text)
        openings = (" ".join(phrases[:count]) for count in range(1, len(phrases)))
        for text in (*openings, *second.alternatives[:4]):
            if 0 < len(found := self.witness.forced.said(text)) <= 2:
                return found
        return name

    def name_pairs(self, text: str) -> list[list[str]]:
        """Each two words side by side within a phrase of Whisper's sentence, both capitalised and neither a
        word of the templates: a whole name it may have written, also where the sentence reads as no
        command and so names nobody (`written_name`)."""
        taken = self.witness.small | self.witness.template_words
        pairs = (
            [fold(one), fold(other)]
            for phrase in PHRASE_END.split(text)
            for one, other in pairwise(phrase.split())
            if one[:1].isupper() and other[:1].isupper()
        )
        return [pair for pair in pairs if not taken.intersection(pair)]

    def written(self, reading: Reading, written: list[str], pairs: list[list[str]]) -> list[list[str]]:
        """The names of someone else Whisper's best sentence writes beside this reading's person
        (UNLIKE_BELOW): `written`, the name it asks for (`written_name`), and any two capitalised words side
        by side (`pairs`) with one of them the person's in its place (*Brewing Samuel Becker,* for Samuel
        Adeyemi), or a spelling of it (SPELLED_FROM: *Cole Tom Larson.* for Bjorn Larsen), the other not
        the start of theirs (*Give Hiroshi Tan Naku Ring.*: Whisper broke Tanaka in two), and the two no
        contact's name ("Jen Park" in *Call Jen Park, No, Jennifer Lopez,* is a contact taken back)."""
        who = one_person(reading.meaning)
        if who is None:
            return []
        found = [written] if self.written_someone_else(who, written) else []
        name = fold(who).split()

        def broken(pair: list[str]) -> bool:  # the other word is the start of theirs
            pieces = zip(pair, name, strict=True)
            return any(own.startswith(word) and not self._kept(word, own) for word, own in pieces)

        def a_contact(pair: list[str]) -> bool:  # asked last, of the rare pair that would hold: a long book
            joined = " ".join(pair)
            return any(fold(contact.name) == joined for contact in self.witness.book.contacts())

        def stranger(pair: list[str]) -> bool:
            return names_someone_else(pair, name, self._spelled) and not broken(pair) and not a_contact(pair)

        return found + [pair for pair in pairs if pair not in found and stranger(pair)]

    def written_back(self, reading: Reading, names: list[list[str]], audio: AudioClip) -> bool:
        """Whether pocketsphinx fits the reading's sentence, saying its person's whole name, better than
        the same sentence with each of the names Whisper wrote instead (`written`) by WRITTEN_BACK per
        frame: the other engine's ears, far surer than Whisper's spelling of a name it misheard. Run only
        for a reading about to be acted on."""
        who = one_person(reading.meaning)
        said = sentence_words(reading.text)
        at = _name_at(fold(who).split() if who is not None else [], said)
        if at is None or not names:
            return False
        margins = self._fits_better(said, [[*said[:at], *name, *said[at + 2 :]] for name in names], audio)
        return all(margin is not None and margin >= WRITTEN_BACK for margin in margins)

    def renamed(self, reading: Reading, pairs: list[list[str]], audio: AudioClip) -> bool:
        """A reading saying its person's whole name (two words) where Whisper wrote that name with one word
        another as two capitalised words side by side in a phrase (`pairs`: the surname a word unlike
        theirs, the first name a common given name not sounding like theirs) and pocketsphinx fits the
        reading's sentence with Whisper's word in its place better by STRANGER_FITS_BETTER: a stranger who
        shares a word with the contact, whom the resolver places on them by that word. Not the name the
        sentence asks for (`written_name`), which may run across a comma into a list of names (*Call
        Niamh, Julia.* for "call Niamh Gallagher" in babble, fresh held-out draw 189) or come from a
        runner-up. Run only for a reading about to be acted on: it costs an alignment, and only when
        Whisper wrote such a name."""
        who = one_person(reading.meaning)
        if not pairs or who is None:  # most commands: Whisper wrote no two capitalised words
            return False
        name = fold(who).split()
        places = [(pair, at) for pair in pairs if (at := self._renamed_at(pair, name)) is not None]
        said = sentence_words(reading.text)
        start = _name_at(name, said)
        if not places or start is None or self.witness.forced.said(reading.text) != name:
            return False
        others = [[*said[: start + at], pair[at], *said[start + at + 1 :]] for pair, at in places]
        margins = self._fits_better(said, others, audio)
        return any(margin is not None and margin <= -STRANGER_FITS_BETTER for margin in margins)

    def first_name_unheard(self, reading: Reading, second: Transcript, audio: AudioClip) -> bool:
        """A reading saying its person's whole name (two words) that no reading of Whisper's means, whose
        surname Whisper wrote and first name not (its sentence or a runner-up), where Whisper, made to say
        the reading's words before the name, writes on with a stranger's who shares their surname
        (`names_someone_else`: the first name a common one that sounds unlike theirs) and, made to say the
        reading naming that stranger, fits the audio better than naming them by more than
        SURNAME_FITS_WORSE: the grammar hears such a stranger as the contact ("phone Gareth Jones about the
        invoice": "phone harriet jones about the invoice", Whisper's own *Fengurth Jens about the
        invoice.*; made to say *Phone*, it writes on *Gareth Jones about the invoice.*, -1.43). Run only for
        a reading about to be acted on: it costs Whisper a few words of decoding, and a scoring when it
        writes such a name."""
        who, e = one_person(reading.meaning), reading.evidence
        if who is None or e.value("whisper_means") or e.value("whisper_beam"):
            return False
        name = fold(who).split()
        said = sentence_words(reading.text)
        at = _name_at(name, said)
        if not at or self.witness.forced.said(reading.text) != name:  # no whole name, or nothing before it
            return False
        heard = {word for text in (second.text, *second.alternatives[:4]) for word in fold(text).split()}
        first, surname = name
        # Whisper wrote their surname and not their first name (the surname asked first: mostly unwritten)
        if not any(self._spelled(w, surname) for w in heard) or any(self._spelled(w, first) for w in heard):
            return False
        written = self.witness.goes_on_after(reading.text, said[at - 1], who, audio)
        if not written or not names_someone_else(written[:2], name, self._spelled):
            return False
        if not self._spelled(written[1], surname):  # their first name, another surname: surname_unheard's
            return False
        stranger = f"{written[0].capitalize()} {who.split()[1]}"
        margin = self.witness.forced.against_name(reading.text, who, stranger, audio)
        return margin is not None and margin < SURNAME_FITS_WORSE

    def _fits_better(self, said: list[str], others: list[list[str]], audio: AudioClip) -> list[float | None]:
        """How much better pocketsphinx fits a sentence's words to the audio than each of the others (per
        frame); None where either could not be fitted."""
        own = " ".join(said)
        fit = self.witness.fits(audio, [own, *dict.fromkeys(" ".join(other) for other in others)])
        mine = fit.get(own)
        return [
            None if mine is None or (theirs := fit.get(" ".join(other))) is None else mine - theirs
            for other in others
        ]

    def _renamed_at(self, pair: list[str], name: list[str]) -> int | None:
        """Which word of a two-word name Whisper wrote is another than the person's (`renamed`), the other
        kept; None when neither or both."""
        if len(pair) != 2 or len(name) != 2:
            return None
        same = [
            self._spelled(word, own) or spelled_alike(word, own) >= NAME_SPELLED
            for word, own in zip(pair, name, strict=True)
        ]
        if same.count(True) != 1:
            return None
        at = same.index(False)
        word = pair[at]
        if at == 0:
            other = word in given_names()
        else:
            other = not _surname([word], name[1]) and sentences_alike(word, name[1]) < RENAMED_KEYS_BELOW
        return at if other else None

    def _kept(self, word: str, own: str) -> bool:
        """Whether a word Whisper wrote is this word of the person's name, or a nickname of it."""
        return word == own or word in self.witness.book.nicknames.related(own)

    def _spelled(self, word: str, own: str) -> bool:
        """Whether a word Whisper wrote is this word of the person's name (`_kept`), or written as it sounds
        (SPELLED_FROM)."""
        return self._kept(word, own) or sound_similarity(word, own, shared().words) >= SPELLED_FROM

    def written_someone_else(self, who: str, written: list[str]) -> bool:
        """Whether a name written in two words (`written`) is a stranger's who shares one word with this
        person's: the other a common name that sounds unlike theirs (UNLIKE_BELOW)."""
        person = self.witness.person(who) if written else None
        if person is None:
            return False
        theirs = self.witness.written(person.name)  # their name's words and their aliases'
        related = self.witness.book.nicknames.related
        return names_someone_else(
            written, fold(person.name).split(), lambda word, own: word in theirs or word in related(own)
        )

    def surname_unheard(self, reading: Reading, audio: AudioClip) -> bool:
        """A reading naming its person by first name alone where Whisper, made to say the command up to
        that name, writes on with a word that is not their surname (SURNAME_SPELLED, SURNAME_SOUNDS) nor
        one that may follow a name, and not the reading's own words after it (AFTER_ALIKE); or one saying
        their whole name that Whisper did not back, where the surname it wrote instead fits the audio
        better (SURNAME_FITS_WORSE). Run only for a reading about to be acted on: it costs Whisper a few
        words of decoding."""
        who = one_person(reading.meaning)
        person = self.witness.person(who) if who is not None else None
        said = self.witness.forced.said(reading.text)
        name = fold(person.name).split() if person is not None else []
        whole = said == name and not any(reading.evidence.value(f) for f in BACKED)
        if who is None or person is None or len(name) < 2 or not (len(said) == 1 or whole):
            return False
        written = self.witness.goes_on_after(reading.text, said[0], person.name, audio)
        if not written or written[0] in self.after_name or len(written[0]) < 2 or _surname(written, name[-1]):
            return False  # nothing more, what may follow a name, an initial, or their own surname
        if whole:
            margin = self.witness.forced.against_surname(reading.text, who, written[0], audio)
            return margin is not None and margin < SURNAME_FITS_WORSE
        words = fold(reading.text).split()
        own = words[words.index(said[0]) + 1 :]  # the reading's words after the name (goes_on_after: there)
        return not (own and sentences_alike(" ".join(written), " ".join(own)) >= AFTER_ALIKE)


def _name_at(name: list[str], words: list[str]) -> int | None:
    """Where a two-word name stands in a sentence's words; None when it does not, or has not two words."""
    if len(name) != 2:
        return None
    return next((i for i in range(len(words) - 1) if words[i : i + 2] == name), None)


def _surname(written: list[str], surname: str) -> bool:
    """Whether words written after a first name start with this surname, however spelled: the first
    word, or it run into the next, spelled like it (SURNAME_SPELLED), or sounding like it (SURNAME_SOUNDS,
    or the same Metaphone key)."""
    word, joined = written[0], "".join(written[:2])
    return (
        max(spelled_alike(word, surname), spelled_alike(joined, surname)) >= SURNAME_SPELLED
        or sounds_like_one_of(word, frozenset([surname]))
        or sound_similarity(word, surname, shared().words) >= SURNAME_SOUNDS
    )


def stranger_fits_better(reading: Reading, whisper: Reading | None) -> bool:
    """Whether Whisper's own reading calls someone not in the book, and pocketsphinx fits it to the audio
    better than this reading of a contact by STRANGER_FITS_BETTER (the two are the command's only
    readings, so the margin is between them)."""
    e = reading.evidence
    return (
        whisper is not None
        and whisper.meaning[:2] == UNPLACED
        and one_person(reading.meaning) is not None
        and bool(e.value("sphinx_done"))
        and e.value("sphinx_margin") <= -STRANGER_FITS_BETTER
    )


def names_someone_else(written: list[str], name: list[str], kept: Callable[[str, str], bool]) -> bool:
    """Whether a name written in two words is someone else's than `name` (two words): one word kept (`kept`:
    the word is theirs, or stands for it, as "Bob" for Robert), the other a common given name or surname, as
    its place is, that sounds unlike theirs."""
    if len(written) != 2 or len(name) != 2:
        return False
    same = [kept(word, theirs) for word, theirs in zip(written, name, strict=True)]
    if same.count(True) != 1:
        return False
    at = same.index(False)
    common = given_names() if at == 0 else surnames()
    word = written[at]
    return word in common and sound_similarity(word, name[at], shared().words) < UNLIKE_BELOW
