"""A stranger who shares a first name with a contact, heard by the grammar as that first name alone: Whisper,
made to say the command up to the name, writes on with the surname said (speech/strangers.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from assistant.intents import IntentParser
from assistant.models import AudioClip
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
