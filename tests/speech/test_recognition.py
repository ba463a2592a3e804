"""Real recordings through the real recogniser: commands, rejection, streaming, and the listen loop."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from assistant.contacts.book import ContactBook
from assistant.intents import IntentParser
from assistant.models import AudioClip, CallStatus
from assistant.ports import COMMANDS, Expect, Listening
from assistant.speech.audio import FileSource, feed, read_audio
from assistant.speech.commands import CHECK_BELOW, GrammarCommands
from assistant.speech.sphinx import SphinxEngine

from ..conftest import WORKDAY

VOICE = "en-us+klatt2"


@pytest.fixture(scope="module")
def recognizer(tmp_path_factory) -> GrammarCommands:
    from assistant.calllog.store import Store
    from assistant.contacts.importers import read_contacts

    from ..conftest import EXAMPLE_CONTACTS

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('rec') / 'r.db'}")
    store.import_contacts(read_contacts(EXAMPLE_CONTACTS).contacts, "example")
    commands = GrammarCommands(
        SphinxEngine(),
        IntentParser().intents,
        ContactBook(store),
        ["the renewal", "the contract", "the shipment"],
    )
    commands.refresh()
    return commands


@pytest.mark.parametrize(
    ("said", "mode"),
    [
        ("call siobhan nguyen", "command"),  # neither name is pronounced as spelt
        ("dial robert martinez", "command"),
        ("call priya raghunathan about the contract", "command"),
        ("call oluwaseun adebayo", "command"),
        ("who did i call last", "command"),
        ("redial", "command"),
        ("yes", "confirm"),
        ("no", "confirm"),
        ("cancel", "window"),
        ("hang up", "in-call"),
    ],
)
def test_commands_are_heard(recognizer, speak, said: str, mode: str):
    clip = read_audio(speak(said, voice=VOICE))
    transcript = recognizer.recognize(clip, Expect(Listening(mode)))
    assert transcript.text == said
    assert transcript.confidence is not None and transcript.confidence >= 0.5
    # Alone, the grammar's commands are acted on without asking only above CHECK_BELOW; answers always.
    assert transcript.sure == (mode != "command" or transcript.confidence >= CHECK_BELOW)


def test_which_one_grammar_is_made_of_the_candidates(recognizer, book_store, speak):
    smiths = tuple(c for c in book_store.contacts() if c.name in ("Jane Doe", "Jane Smith"))
    for said in ("the second one", "smith"):
        transcript = recognizer.recognize(
            read_audio(speak(said, voice=VOICE)), Expect(Listening.CHOICE, smiths)
        )
        assert transcript.text == said


def test_speech_outside_the_grammar_is_never_a_call(recognizer, speak):
    parser = IntentParser()
    for said in ("what is the weather like in paris today", "call zachary quinn"):
        transcript = recognizer.recognize(read_audio(speak(said, voice=VOICE)), Expect(Listening.COMMAND))
        intent = parser.parse(transcript.text, allowed=COMMANDS)
        confident = (transcript.confidence or 0) >= 0.55
        assert not (confident and intent is not None and intent.name in ("CallContact", "CallNumber")), (
            transcript
        )


def test_streaming_decodes_as_the_speech_arrives(recognizer, speak):
    clip = read_audio(speak("call kelly chen", voice=VOICE))
    whole = recognizer.recognize(clip, Expect(Listening.COMMAND))
    stream = recognizer.start(Expect(Listening.COMMAND))
    feed(clip, stream.feed)
    streamed = stream.finish(clip)
    assert streamed.text == whole.text == "call kelly chen"
    assert streamed.confidence == pytest.approx(whole.confidence, abs=0.05)  # chunking moves scores a little


def test_each_command_is_heard_on_its_own_channel(recognizer, speak):
    """What the last command sounded like (another voice, loud noise) does not change how the next is heard:
    each utterance's cepstral mean comes from its own first second."""
    command = Expect(Listening.COMMAND)
    clip = read_audio(speak("call kelly chen", voice=VOICE))
    before = recognizer.recognize(clip, command)
    recognizer.recognize(read_audio(speak("dial robert martinez", voice="en-gb", snr=5)), command)
    after = recognizer.recognize(clip, command)
    assert after.text == before.text == "call kelly chen"
    assert after.confidence == before.confidence


def test_noisy_audio_is_understood_or_rejected_never_misdialled(recognizer, speak):
    """10 dB SNR: pocketsphinx may fail to hear it, but it must not hear somebody else with confidence."""
    parser = IntentParser()
    clip = read_audio(speak("call kelly chen", voice=VOICE, snr=10, name="kelly-noisy"))
    transcript = recognizer.recognize(clip, Expect(Listening.COMMAND))
    intent = parser.parse(transcript.text, allowed=COMMANDS)
    if intent is not None and intent.name == "CallContact" and (transcript.confidence or 0) >= 0.85:
        assert intent.slot("contact") == "kelly chen"


def test_listen_loop_driven_by_files(book_store, speak, tmp_path: Path):
    """The voice front end end to end: recordings in, a call and a transcribed note in the log."""
    import io

    from assistant.console import PrintVoice
    from assistant.session import Session, SessionSettings
    from assistant.speech.audio import NoteArchive
    from assistant.speech.ear import VoiceEar
    from assistant.speech.whisper import WhisperTranscriber
    from assistant.telephony.simulator import Simulator

    script = tmp_path / "script"
    script.mkdir()
    lines = [
        "call siobhan nguyen about the shipment",
        "yes",
        "went well, send the contract and follow up next tuesday",
    ]
    for n, line in enumerate(lines, start=1):
        (script / f"{n:02d}.wav").write_bytes(speak(line, voice=VOICE).read_bytes())
    commands = GrammarCommands(
        SphinxEngine(), IntentParser().intents, ContactBook(book_store), ["the shipment"]
    )
    out = io.StringIO()
    session = Session(
        ear=VoiceEar(FileSource.of(script), commands),
        voice=PrintVoice(out, echo=True),
        telephony=Simulator(),
        log=book_store,
        book=ContactBook(book_store),
        clock=WORKDAY,
        settings=SessionSettings(rep="tester", poll_interval=0.01),
        transcriber=WhisperTranscriber(),
        archive=NoteArchive(tmp_path / "notes"),
    )
    session.run()
    [call] = book_store.recent_calls()
    assert (call.contact_name, call.topic, call.status) == (
        "Siobhan Nguyen",
        "the shipment",
        CallStatus.COMPLETED,
    )
    [note] = call.notes
    assert note.status == "saved" and Path(note.audio_path).exists()
    assert "contract" in note.text.lower() and "tuesday" in note.text.lower()
    assert note.followup == date(2026, 12, 1)  # "next tuesday", said on Friday 27 November


def test_a_recording_that_is_not_audio_is_a_clear_error(tmp_path: Path):
    from assistant.errors import SpeechError

    bogus = tmp_path / "not.wav"
    bogus.write_text("hello")
    with pytest.raises(SpeechError, match="cannot read audio"):
        read_audio(bogus)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SpeechError, match="no audio files"):
        FileSource.of(empty)


def test_clip_lengths(speak):
    clip = read_audio(speak("yes", voice=VOICE))
    assert isinstance(clip, AudioClip) and clip.sample_rate == 16000 and 0.5 < clip.seconds < 3
