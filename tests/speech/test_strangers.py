"""A stranger who shares a first name with a contact, heard by the grammar as that first name alone: Whisper,
made to say the command up to the name, writes on with the surname said; one who shares a surname, heard as
the contact's whole name: Whisper, made to say the words before it, writes on with the first name said
(speech/strangers.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from assistant.intents import IntentParser
from assistant.models import AudioClip, Transcript
from assistant.speech.checked import CheckedCommands
from assistant.speech.decision import Evidence
from assistant.speech.evidence import Reading

from .checking import AUDIO, COMMAND, Scoring, first


@dataclass
class GoingOn(Scoring):
    """A second engine that also writes on from given words (`go_on`): the words it is told to."""

    goes_on: str = ""
    started: list[str] = field(default_factory=list)  # the words it was made to say first

    def go_on(self, audio: AudioClip, start: str, prompt: str = "") -> str:
        self.started.append(start)
        return f"{start}{self.goes_on}"


# Whisper's own sentence for "call Peter Johnson about the invoice" heard as "call marcus johnson ...": his
# surname written, his first name not (*Fengurth Jens about the invoice.* for "phone Gareth Jones ...")
WHISPER_OWN = Transcript("Call Peeta Johnson about the invoice.")


def marcus(reading: str = "call marcus") -> Reading:
    return Reading(reading, ("CallContact", "Marcus Johnson", ""), Evidence(), "grammar")


@pytest.mark.parametrize(
    ("goes_on", "held"),
    [
        (" Baker,", True),  # a surname not his: a stranger
        (", Baker, Street.", True),
        (".", False),  # nothing more: "call Marcus"
        (" Johnson.", False),  # his own
        (" Jonson about the invoice.", False),  # ... however spelled
        (" John's son.", False),  # ... or run into the next word
        (" on his mobile.", False),  # what may follow a name
        (", please.", False),
        (" about the invoice.", False),
        (", sorry, Jane Doe.", False),  # a correction: the correction checks' (speech/holds.py)
        (" uh now.", False),
    ],
)
def test_a_first_name_whisper_writes_on_from_with_another_surname_is_a_stranger(
    grammar, goes_on: str, held: bool
):
    engine = GoingOn("Coalition.", goes_on=goes_on)
    commands = CheckedCommands(grammar, engine, IntentParser())
    assert commands.holds.strangers.surname_unheard(marcus(), AUDIO) is held
    assert engine.started == ["Call Marcus"]  # spelled as the book spells him


def test_words_after_the_name_that_sound_like_the_readings_own_are_its_own(grammar):
    """ "call phillip at riverside printing": Whisper, made to say *Call Phillip*, wrote *Petri, besides
    printing* (dev seed 1). Its words sound like the reading's own after the name: no stranger."""
    engine = GoingOn("Coalition.", goes_on=" Petri, besides printing.")
    strangers = CheckedCommands(grammar, engine, IntentParser()).holds.strangers
    assert not strangers.surname_unheard(marcus("call marcus at peachtree printing"), AUDIO)
    assert strangers.surname_unheard(marcus("call marcus on his mobile"), AUDIO)


def test_a_number_read_out_is_not_written_on_from(grammar):
    engine = GoingOn("Coalition.", goes_on=" Baker.")
    strangers = CheckedCommands(grammar, engine, IntentParser()).holds.strangers
    reading = Reading("call 415 555 0101", ("CallNumber", "", ""), Evidence(), "grammar")
    assert not strangers.surname_unheard(reading, AUDIO)
    assert engine.started == []


@pytest.mark.parametrize(("baker", "held"), [(-1.0, True), (-3.5, False), (-6.0, False)])
def test_a_whole_name_whisper_wrote_on_from_with_a_surname_fitting_better_is_a_stranger(
    grammar, baker: float, held: bool
):
    """ "phone Omar Sharif" heard by the grammar alone as "phone omar farouk": Whisper, made to say *Phone
    Omar*, writes *Sharif*; that sentence fits the audio better than his by more than 1 (SURNAME_FITS_WORSE):
    asked about. Fitting worse, or better by less, the model decides."""
    engine = GoingOn("Coalition.", goes_on=" Baker about the invoice.", fits={"Marcus Baker": baker})
    strangers = CheckedCommands(grammar, engine, IntentParser()).holds.strangers
    assert strangers.surname_unheard(marcus("call marcus johnson about the invoice"), AUDIO) is held
    assert engine.started == ["Call Marcus"]
    said = ["Call Marcus Johnson about the invoice", "Call Marcus Baker about the invoice"]
    assert engine.scored[-1] == said


@pytest.mark.parametrize("backed", ["whisper_means", "whisper_beam", "whisper_names", "whisper_writes"])
def test_a_whole_name_whisper_backed_is_not_written_on_from(grammar, backed: str):
    engine = GoingOn("Coalition.", goes_on=" Baker.", fits={"Marcus Baker": -1.0})
    strangers = CheckedCommands(grammar, engine, IntentParser()).holds.strangers
    reading = marcus("call marcus johnson")
    reading.evidence.set(backed, True)
    assert not strangers.surname_unheard(reading, AUDIO)
    assert engine.started == []


@pytest.mark.parametrize("dial_at", [0.0, 1.0])
def test_a_stranger_sharing_a_first_name_is_asked_about_before_a_dial(grammar, dial_at: float):
    """Checked only for a reading about to be acted on; then asked about, never dialled."""
    engine = GoingOn("Coalition.", goes_on=" Baker.")
    commands = CheckedCommands(grammar, engine, IntentParser(), sure_at=0.85, min_confidence=0.3)
    commands.dial_at = dial_at
    result = commands.check(first("call marcus", 0.6), AUDIO, COMMAND)
    reading = next(r for r, _ in commands.last if r.source == "grammar")
    assert reading.meaning[1] == "Marcus Johnson"
    assert reading.held is (dial_at == 0.0) and not result.sure
    assert engine.started == (["Call Marcus"] if dial_at == 0.0 else [])


@pytest.mark.parametrize("voice", ["flite:slt", "en-us+klatt2"])
def test_whisper_writes_on_from_a_first_name_with_the_surname_said(grammar, say, voice):
    """Real audio through the bundled Whisper: "call Marcus Baker" read as "call marcus" or "call marcus
    johnson" (Marcus Johnson) is a stranger; "call Marcus" and "call Marcus Johnson" read so are not."""
    from assistant.speech.audio import read_audio
    from assistant.speech.whisper import WhisperTranscriber

    strangers = CheckedCommands(grammar, WhisperTranscriber(), IntentParser()).holds.strangers
    stranger = read_audio(say("call Marcus Baker", voice))
    assert strangers.surname_unheard(marcus(), stranger)
    assert strangers.surname_unheard(marcus("call marcus johnson"), stranger)
    assert not strangers.surname_unheard(marcus(), read_audio(say("call Marcus", voice)))
    himself = read_audio(say("call Marcus Johnson", voice))
    assert not strangers.surname_unheard(marcus(), himself)
    assert not strangers.surname_unheard(marcus("call marcus johnson"), himself)


@pytest.mark.parametrize(
    ("goes_on", "peter", "held"),
    [
        (" Peter Johnson about the invoice.", -1.0, True),  # another given name, his surname: a stranger
        (" Peter Jonson about the invoice.", -1.0, True),  # ... however the surname is spelled
        (" Peter Johnson about the invoice.", -3.5, False),  # fitting better by less: the model decides
        (" Marcus Johnson about the invoice.", -1.0, False),  # his own
        (" Marcos Johnson about the invoice.", -1.0, False),  # ... spelled otherwise
        (" Martha Johnson about the invoice.", -1.0, False),  # a name that sounds like his
        (" Peter Baker about the invoice.", -1.0, False),  # not his surname
        (" Marcus Baker about the invoice.", -1.0, False),  # his first name: surname_unheard's
        (" Tomorrow Johnson about the invoice.", -1.0, False),  # no given name
    ],
)
def test_a_whole_name_whisper_writes_on_from_the_verb_with_another_first_name_is_a_stranger(
    grammar, goes_on: str, peter: float, held: bool
):
    """ "phone Gareth Jones about the invoice" heard by the grammar alone as "phone harriet jones about the
    invoice" (Harriet Jones), Whisper's own *Fengurth Jens about the invoice.*: made to say *Phone*, Whisper
    writes *Gareth Jones*, and Whisper, made to say the sentence naming him, fits the audio better than
    naming her by more than 1 (SURNAME_FITS_WORSE): asked about."""
    engine = GoingOn("Coalition.", goes_on=goes_on, fits={"Peter Johnson": peter})
    strangers = CheckedCommands(grammar, engine, IntentParser()).holds.strangers
    reading = marcus("call marcus johnson about the invoice")
    assert strangers.first_name_unheard(reading, WHISPER_OWN, AUDIO) is held
    assert engine.started == ["Call"]
    if goes_on.startswith(" Peter Jo"):  # his surname however spelled: the sentences scored
        said = ["Call Marcus Johnson about the invoice", "Call Peter Johnson about the invoice"]
        assert engine.scored[-1] == said


@pytest.mark.parametrize(
    ("reading", "backed", "whisper"),
    [
        ("call marcus johnson", "whisper_means", WHISPER_OWN),  # Whisper's own reading means him
        ("call marcus johnson", "whisper_beam", WHISPER_OWN),  # ... or a runner-up does
        ("call marcus", "", WHISPER_OWN),  # his first name alone: surname_unheard's
        ("marcus johnson", "", WHISPER_OWN),  # nothing said before his name to go on from
        ("call marcus johnson", "", Transcript("Call Marcus Jonson.")),  # Whisper wrote his whole name
        ("call marcus johnson", "", Transcript("Coalition.")),  # ... or no word of it
        ("call marcus johnson", "", Transcript("Call Marcus Jobson.")),  # ... or his first name, not surname
        ("call marcus johnson", "", Transcript("Coalition.", ("Call Peter Johnson.",))),  # a runner-up's
    ],
)
def test_a_whole_name_whisper_backed_or_wrote_whole_or_nothing_before_it_is_not_written_on_from_the_verb(
    grammar, reading: str, backed: str, whisper: Transcript
):
    """Whisper is made to go on from the verb only when it wrote the person's surname and not their first
    name, in its sentence or a runner-up: how a stranger who shares their surname comes out."""
    engine = GoingOn("Coalition.", goes_on=" Peter Johnson.", fits={"Peter Johnson": -1.0})
    strangers = CheckedCommands(grammar, engine, IntentParser()).holds.strangers
    said = marcus(reading)
    if backed:
        said.evidence.set(backed, True)
    asked = strangers.first_name_unheard(said, whisper, AUDIO)
    assert asked is (whisper.alternatives != () and not backed)
    assert engine.started == (["Call"] if asked else [])


@pytest.mark.parametrize("voice", ["flite:slt", "en-us+klatt2"])
def test_whisper_writes_on_from_the_verb_with_the_first_name_said(grammar, say, voice):
    """Real audio through the bundled Whisper: "call Peter Johnson about the invoice" read as "call marcus
    johnson about the invoice" (Marcus Johnson) is a stranger; "call Marcus Johnson about the invoice" read
    so is not."""
    from assistant.speech.audio import read_audio
    from assistant.speech.whisper import WhisperTranscriber

    strangers = CheckedCommands(grammar, WhisperTranscriber(), IntentParser()).holds.strangers
    reading = marcus("call marcus johnson about the invoice")
    # Whisper's own sentence wrote his surname and not his first name (WHISPER_OWN), so the check runs:
    # made to say *Call* and go on, Whisper writes the first name said
    for said, stranger in (("call Peter Johnson", True), ("call Marcus Johnson", False)):
        audio = read_audio(say(f"{said} about the invoice", voice))
        assert strangers.first_name_unheard(reading, WHISPER_OWN, audio) is stranger


def grace(reading: str = "call grace okafor") -> Reading:
    return Reading(reading, ("CallContact", "Grace Okafor", ""), Evidence(), "grammar")


@pytest.mark.parametrize("voice", ["flite:slt", "en-us+klatt2"])
def test_a_contacts_name_whisper_wrote_with_another_surname_fitting_better_is_a_stranger(grammar, say, voice):
    """Real audio through pocketsphinx: "call Grace Holm" heard by the grammar as "call grace okafor", and
    Whisper writing *Call Grace Holm.*, which the resolver would place on Grace Okafor by her first name:
    the sentence with Whisper's surname fits far better, so she is asked about. Said as "call Grace
    Okafor", Whisper's misheard *Call Grace Agifer.* (a right dial of dev draw 7) fits no better."""
    from assistant.speech.audio import read_audio

    strangers = CheckedCommands(grammar, Scoring("unused"), IntentParser()).holds.strangers
    stranger = read_audio(say("call Grace Holm", voice))
    assert strangers.renamed(grace(), [["grace", "holm"]], stranger)
    herself = read_audio(say("call Grace Okafor", voice))
    assert not strangers.renamed(grace(), [["grace", "agifer"]], herself)


@pytest.mark.parametrize(
    ("reading", "person", "written", "held"),
    [
        ("call grace okafor", "Grace Okafor", ["grace", "hem"], True),  # a surname unlike hers
        ("call grace okafor", "Grace Okafor", ["grace", "okafer"], False),  # hers, misspelled
        ("call grace okafor", "Grace Okafor", ["grace", "oakfield"], False),  # ... or misheard like it
        ("phone marcus johnson about the invoice", "Marcus Johnson", ["lucas", "johnson"], True),
        ("call marcus johnson", "Marcus Johnson", ["marcos", "johnson"], False),  # his, as it sounds
        ("call marcus johnson", "Marcus Johnson", ["markus", "johnson"], False),  # ... as spelled
        ("call marcus johnson", "Marcus Johnson", ["marcie", "johnson"], True),
        ("call ana souza", "Ana Souza", ["anna", "souza"], False),
        # a first name that is no common name: Whisper garbles contacts' first names
        ("call aoife brennan", "Aoife Brennan", ["ai", "brennan"], False),
        ("call grace okafor", "Grace Okafor", ["jane", "hem"], False),  # nothing of hers kept
        ("call grace", "Grace Okafor", ["grace", "hem"], False),  # her first name alone: another rule's
    ],
)
def test_a_name_whisper_wrote_with_one_word_another_is_weighed_by_its_fit(
    grammar, monkeypatch, reading: str, person: str, written: list[str], held: bool
):
    """Which names Whisper wrote are another person's, on pocketsphinx fits given (any sentence but the
    reading's own fitting 6 per frame better): one word of the person's kept, the other a surname that
    sounds unlike theirs (by its phones and its Metaphone keys: Whisper garbles contacts' surnames, *Call
    Ruth Geltbig in their mobile.*), or a common given name not theirs in sound or spelling."""
    strangers = CheckedCommands(grammar, Scoring("unused"), IntentParser()).holds.strangers

    def fits(audio: AudioClip, texts: list[str]) -> list[float]:
        return [-10.0 if text == reading else -4.0 for text in texts]

    monkeypatch.setattr(strangers.witness, "align", fits)
    said = Reading(reading, ("CallContact", person, ""), Evidence(), "grammar")
    assert strangers.renamed(said, [written], AUDIO) is held


@pytest.mark.parametrize("dial_at", [0.0, 1.0])
def test_a_name_whisper_wrote_with_another_surname_is_checked_before_a_dial(
    grammar, monkeypatch, dial_at: float
):
    """*Call Fatima Hem.* for "call Fatima Holm": the resolver places Whisper's name on Fatima Zahra by her
    first name, so both engines mean her. Checked only for a reading about to be acted on (an alignment);
    then asked about, never dialled."""
    aligned: list[list[str]] = []

    def fits(audio: AudioClip, texts: list[str]) -> list[float]:
        aligned.append(texts)
        return [-4.0 if "hem" in text else -10.0 for text in texts]

    engine = Scoring("Call Fatima Hem.")
    commands = CheckedCommands(grammar, engine, IntentParser(), sure_at=0.85, min_confidence=0.3)
    monkeypatch.setattr(commands.witness, "align", fits)
    commands.dial_at = dial_at
    result = commands.check(first("call fatima zahra", 0.6), AUDIO, COMMAND)
    assert [r.meaning[1] for r, _ in commands.last] == ["Fatima Zahra"]
    reading = commands.last[0][0]
    assert reading.held is (dial_at == 0.0)
    if reading.held:
        assert not result.sure
    assert (["call fatima zahra", "call fatima hem"] in aligned) is (dial_at == 0.0)


@pytest.mark.parametrize("voice", ["flite:slt", "en-us+klatt2"])
def test_a_whole_name_pocketsphinx_hears_far_better_than_the_one_whisper_wrote_is_acted_on(
    grammar, say, voice
):
    """Real audio through pocketsphinx: "call Oluwaseun Adebayo", Whisper writing someone else's first name
    beside his surname (*Call Lawson Adebayo.*): his sentence fits the audio far better than the one with
    Whisper's name, so the reading is his to act on. Said as "call Lawson Adebayo", a stranger, it is not."""
    from assistant.speech.audio import read_audio

    strangers = CheckedCommands(grammar, Scoring("unused"), IntentParser()).holds.strangers
    reading = Reading(
        "call oluwaseun adebayo", ("CallContact", "Oluwaseun Adebayo", ""), Evidence(), "grammar"
    )
    written = [["lawson", "adebayo"]]
    assert strangers.written_back(reading, written, read_audio(say("call Oluwaseun Adebayo", voice)))
    assert not strangers.written_back(reading, written, read_audio(say("call Lawson Adebayo", voice)))


@pytest.mark.parametrize(
    ("margin", "dial_at", "held"),
    [(5.0, 0.0, False), (3.0, 0.0, True), (5.0, 1.0, True), (-1.0, 0.0, True)],
)
def test_a_name_whisper_wrote_beside_a_contacts_is_weighed_by_its_fit_before_a_dial(
    grammar, monkeypatch, margin: float, dial_at: float, held: bool
):
    """*Get me Tom Park on the mobile.* beside the grammar's "get me jon park on the mobile": Jon Park is
    asked about (a stranger may share his surname) unless the reading is about to be acted on and
    pocketsphinx fits his sentence better than Tom Park's by WRITTEN_BACK (4) per frame or more."""
    commands = CheckedCommands(
        grammar, Scoring("Get me Tom Park on the mobile."), IntentParser(), sure_at=0.85, min_confidence=0.3
    )

    def fits(audio: AudioClip, texts: list[str]) -> list[float]:
        return [-10.0 + margin if text == "get me jon park on the mobile" else -10.0 for text in texts]

    monkeypatch.setattr(commands.witness, "align", fits)
    commands.dial_at = dial_at
    commands.check(first("get me jon park on the mobile", 0.6), AUDIO, COMMAND)
    reading = next(r for r, _ in commands.last if r.source == "grammar")
    assert reading.meaning[1] == "Jon Park"
    assert reading.held is held


def test_names_whisper_listed_are_not_a_name_with_one_word_another(grammar, monkeypatch):
    """*Call Niamh, Julia.* for "call Niamh Gallagher" in babble (fresh held-out draw 189): two names
    Whisper listed, not one name with her surname changed, however the sentence fits."""
    engine = Scoring("Call Fatima, Julia.")
    commands = CheckedCommands(grammar, engine, IntentParser(), sure_at=0.85, min_confidence=0.3)
    monkeypatch.setattr(
        commands.witness, "align", lambda audio, texts: [-4.0 if "julia" in t else -10.0 for t in texts]
    )
    reading = Reading("call fatima zahra", ("CallContact", "Fatima Zahra", ""), Evidence(), "grammar")
    pairs = commands.holds.strangers.name_pairs(engine.text)
    assert not commands.holds.strangers.renamed(reading, pairs, AUDIO)
