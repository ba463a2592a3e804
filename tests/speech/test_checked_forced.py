"""Whisper made to say readings: against the sound-alikes, through the whole book, as a correction."""

from __future__ import annotations

from dataclasses import replace

import pytest

from assistant.intents import IntentParser
from assistant.models import AudioClip, Contact, Transcript
from assistant.speech.checked import CheckedCommands
from assistant.speech.forced import quiet_room

from .checking import AUDIO, COMMAND, Scoring, evidence, first, scoring

# -- the book check: a reading nobody backed, said naming everyone else ----------------------------------


def test_a_reading_whisper_did_not_back_is_said_naming_everyone_else(grammar, monkeypatch):
    """The grammar alone heard "call grace"; Whisper heard nothing of it. Whisper is made to say "Call
    Grace" and the same sentence naming each other contact, by first name as the name was said; the margin
    is hers over the best other."""
    monkeypatch.setattr("assistant.speech.checked.BOOK_CHECK_FROM", 0.0)
    commands, engine = scoring(grammar, "Coalition.", Grace=-1.0, Jane=-1.4)
    said = first("call grace", 0.6)
    commands.check(said, AUDIO, COMMAND)
    e = evidence(commands, said)
    assert e["book_done"] == 1 and e["book_margin"] == pytest.approx(-1.0 - -1.4)
    book = engine.scored[-1]
    assert book[0] == "Call Grace" and "Call Grace Okafor" not in book
    assert {"Call Jane", "Call Marcus", "Call Ana", "Call Kelly"} <= set(book)
    assert len(book) == len(set(book))  # Jane Doe and Jane Smith: one "Call Jane"
    assert commands.book_checks == 1


@pytest.mark.parametrize(("others", "held"), [(-1.4, False), (-0.5, True)])
def test_a_one_word_name_another_name_fits_better_is_asked_about(grammar, monkeypatch, others, held):
    """ "call grace" only the grammar heard: when Whisper, made to say it naming everyone else, finds
    another first name fits better ("Call Jane"), it is asked about however likely; otherwise the model
    decides."""
    monkeypatch.setattr("assistant.speech.checked.BOOK_CHECK_FROM", 0.0)
    commands, _ = scoring(grammar, "Coalition.", Grace=-1.0, Jane=others)
    result = commands.check(first("call grace", 0.6), AUDIO, COMMAND)
    reading = next(r for r, _ in commands.last if r.source == "grammar")
    assert reading.held == held
    if held:
        assert not result.sure


@pytest.mark.parametrize(("fit", "held"), [(4.5, False), (3.5, True), (None, True)])
def test_a_one_word_name_pocketsphinx_fits_far_better_than_whisper_s_rival_is_acted_on(
    grammar, monkeypatch, fit, held
):
    """The same "call grace", Whisper preferring "Call Jane": when pocketsphinx fits "call grace" to the
    audio better than "Call Jane" by 4 per frame or more, its ears outweigh Whisper's preference and the
    model decides; by less, or when pocketsphinx cannot say, it is asked about."""
    monkeypatch.setattr("assistant.speech.checked.BOOK_CHECK_FROM", 0.0)
    commands, _ = scoring(grammar, "Coalition.", Grace=-1.0, Jane=-0.5)
    commands.dial_at = 0.0  # whatever the model makes of it
    fitted: list[list[str]] = []

    def align(audio: AudioClip, texts: list[str]) -> list[float | None]:
        fitted.append(texts)
        return [fit if text == "call grace" else (0.0 if fit is not None else None) for text in texts]

    monkeypatch.setattr(commands.witness, "align", align)
    commands.check(first("call grace", 0.6), AUDIO, COMMAND)
    reading = next(r for r, _ in commands.last if r.source == "grammar")
    assert reading.rival == "Call Jane" and fitted == [["call grace", "Call Jane"]]
    assert reading.held == held


def test_a_whole_name_said_is_set_against_whole_names(grammar, monkeypatch):
    """ "call jane doe on the mobile": Jane Smith, who shares her first name, is a rival by her whole name,
    as is everyone else, the rest of the sentence kept; nobody is scored by a first name alone. (Whisper
    heard the label: a label it did not hear would leave the sentence, `Witness.label_unsaid`.)"""
    monkeypatch.setattr("assistant.speech.checked.BOOK_CHECK_FROM", 0.0)
    commands, engine = scoring(grammar, "Coalition, mobile.", Jane_Smith=-3.0)
    said = first("call jane doe on the mobile", 0.6)
    commands.check(said, AUDIO, COMMAND)
    book = engine.scored[-1]
    assert book[0] == "Call Jane Doe on the mobile"
    assert "Call Jane Smith on the mobile" in book and "Call Marcus Johnson on the mobile" in book
    assert "Call Jane on the mobile" not in book
    assert evidence(commands, said)["book_margin"] == pytest.approx(-4.0 - -3.0)


@pytest.mark.parametrize("heard", ["Call Grace.", "Cold race."])
def test_what_whisper_backed_or_found_unlikely_is_not_said_through_the_book(grammar, heard, monkeypatch):
    """Whisper named her: nothing to check. A reading below BOOK_CHECK_FROM is asked about anyway."""
    if heard == "Cold race.":
        monkeypatch.setattr("assistant.speech.checked.BOOK_CHECK_FROM", 1.01)
    commands, engine = scoring(grammar, heard, Grace=-1.0)
    said = first("call grace", 0.6)
    commands.check(said, AUDIO, COMMAND)
    assert evidence(commands, said).get("book_done", 0) == 0
    assert commands.book_checks == 0 and all(len(s) < 10 for s in engine.scored)


def test_a_big_book_is_cut_to_the_names_nearest_what_was_heard(grammar, monkeypatch):
    monkeypatch.setattr("assistant.speech.checked.BOOK_CHECK_FROM", 0.0)
    monkeypatch.setattr("assistant.speech.forced.BOOK_CAP", 8)
    commands, engine = scoring(grammar, "Call Jen Parker.", Jon_Park=-0.5)
    said = first("call jen park", 0.6)
    commands.check(said, AUDIO, COMMAND)
    book = engine.scored[-1]
    assert book[0] == "Call Jen Park" and 1 < len(book) <= 8 + 1
    assert "Call Jon Park" in book  # what sounds like it is kept
    assert evidence(commands, said)["book_margin"] < 0


# -- a first name said alone, heard as someone's whole name ----------------------------------------------


@pytest.mark.parametrize(("marcus", "held"), [(0.0, True), (-0.9, False), (-6.0, False)])
def test_a_whole_name_another_first_name_said_alone_fits_better_is_asked_about(
    grammar, monkeypatch, marcus, held
):
    """ "call Marcus", heard by the grammar alone as "call jane doe" (held-out: "call Leila" as "call mei
    lin", a wrong dial at p 0.98): Whisper, made to say the sentence naming each other contact by first
    name alone, with the end of the text after it, fits "Call Marcus." better than "Call Jane Doe." by more
    than 0.5: asked about, however likely. Better by less, or worse, the model decides."""
    monkeypatch.setattr("assistant.speech.checked.BOOK_CHECK_FROM", 0.0)
    engine = Scoring("Coalition.", fits={"Call Jane Doe.": -1.0, "Call Marcus.": marcus})
    commands = CheckedCommands(grammar, engine, IntentParser(), sure_at=0.85, min_confidence=0.3)
    commands.dial_at = 0.0  # whatever the model makes of it
    result = commands.check(first("call jane doe", 0.6), AUDIO, COMMAND)
    reading = next(r for r, _ in commands.last if r.source == "grammar")
    assert reading.evidence.value("book_done") and reading.held == held
    said = next(s for s in engine.scored if "Call Jane Doe." in s)
    assert said[0] == "Call Jane Doe." and {"Call Marcus.", "Call Ana.", "Call Kelly."} <= set(said)
    assert "Call Jane." in said  # her own first name: Jane Smith shares it ("call Jane" asks which one)
    if held:
        assert not result.sure


def test_a_first_name_said_alone_is_checked_only_for_a_whole_name_about_to_be_acted_on(grammar, monkeypatch):
    monkeypatch.setattr("assistant.speech.checked.BOOK_CHECK_FROM", 0.0)
    engine = Scoring("Coalition.", fits={"Call Jane Doe.": -1.0, "Call Marcus.": -0.5})
    commands = CheckedCommands(grammar, engine, IntentParser(), sure_at=0.85, min_confidence=0.3)
    commands.dial_at = 1.0  # nothing is acted on: nothing to check
    commands.check(first("call jane doe", 0.6), AUDIO, COMMAND)
    assert not any("Call Marcus." in s for s in engine.scored)
    forced = commands.witness.forced
    assert forced.against_first_names("call grace", "Grace Okafor", Transcript(""), AUDIO) is None  # one word


# -- the correction check: words after the name that were someone else, taken back ------------------------


@pytest.mark.parametrize(
    ("fits", "held"), [({"I mean Marcus Johnson": -0.5}, True), ({"on mobile": -0.5}, False)]
)
def test_words_after_the_name_that_fit_a_correction_are_asked_about(grammar, fits, held):
    """Whisper wrote "call Jane Doe, I mean Marcus Johnson" with the correction as noise ("Aymarkus"): it
    says Jane Doe's whole name and words it cannot read. Made to say those words as a correction to
    everyone else, and as a label or nothing, Whisper finds the correction fits better: asked about, however
    likely. When the label fits better, the model decides."""
    engine = Scoring("Call Jane Doe, Aymarkus.", fits=fits)
    commands = CheckedCommands(grammar, engine, IntentParser(), sure_at=0.85, min_confidence=0.3)
    commands.dial_at = 0.0  # whatever the model makes of it
    result = commands.check(first("call jane doe", 0.6), AUDIO, COMMAND)
    # the grammar's "call jane doe": Whisper means the same person, its words after her name are checked
    (reading,) = (r for r, _ in commands.last)
    assert reading.meaning[1] == "Jane Doe" and reading.held == held
    said = next(s for s in engine.scored if "Call Jane Doe, I mean Marcus Johnson." in s)
    assert "Call Jane Doe, I mean Jane Smith." in said and "Call Jane Doe." in said
    assert "Call Jane Doe please." in said  # a closing word
    assert "Call Jane Doe on her mobile." in said and "Call Jane Doe at work." in said
    assert not any(", I mean Jane Doe" in s for s in said)  # no correction to herself
    if held:
        assert not result.sure


def test_a_reading_with_nothing_after_the_name_is_not_said_as_a_correction(grammar):
    engine = Scoring("Call Jane Doe.")
    commands = CheckedCommands(grammar, engine, IntentParser(), sure_at=0.85, min_confidence=0.3)
    commands.dial_at = 0.0
    commands.check(first("call jane doe", 0.6), AUDIO, COMMAND)
    assert not any("I mean" in s for sentences in engine.scored for s in sentences)
    assert commands.witness.forced.against_correction("call jane doe", "Jane Doe", [], AUDIO) is None


def test_a_name_that_sounds_the_same_is_no_rival_of_the_one_the_company_settled(tmp_path):
    """ "Call John Reed at Acme": Jon Reid sounds the same, so the company settled it, not the sound;
    scoring "call jon reid at acme" against it would only sink a reading that is right."""
    from assistant.calllog.store import Store
    from assistant.contacts.book import ContactBook
    from assistant.language import Speechways, language_dir
    from assistant.models import PhoneNumber
    from assistant.speech.decision import Evidence
    from assistant.speech.forced import Forced
    from assistant.speech.pronounce import Pronouncer

    store = Store(f"sqlite:///{tmp_path / 'alike.db'}")
    store.import_contacts(
        [
            Contact("Jon Reid", (PhoneNumber("+14155550201", "mobile"),), company="Stark"),
            Contact("John Reed", (PhoneNumber("+14155550202", "mobile"),), company="Acme"),
            Contact("Jane Smith", (PhoneNumber("+14155550134", "mobile"),), company="Globex"),
        ],
        "test",
    )
    engine = Scoring("Coalition.")
    book = ContactBook(store, pronounce=Pronouncer().names)
    forced = Forced(book, IntentParser(), Speechways.of(language_dir()), engine.token_scores)
    e = Evidence()
    assert forced.against_book(e, "call john reed at acme", "John Reed", Transcript(""), AUDIO)
    assert engine.scored == [["Call John Reed at acme", "Call Jane Smith at acme"]]
    assert e.value("book_done") == 1


@pytest.mark.parametrize("voice", ["flite:slt", "en-us+klatt2"])
def test_whisper_says_the_name_heard_over_everyone_else_in_the_book(grammar, say, voice):
    """Real audio of "call grace" through the bundled Whisper: the right reading beats the whole book, a
    wrong one ("call marcus", as a grammar mishears) does not. Without the quiet room's prior, "Call
    Siobhan" outscored "Call Grace" on the espeak-ng recording (its later tokens follow from the first)."""
    from assistant.speech.audio import read_audio
    from assistant.speech.decision import Evidence
    from assistant.speech.whisper import WhisperTranscriber

    commands = CheckedCommands(grammar, WhisperTranscriber(), IntentParser())
    clip = read_audio(say("call grace", voice))
    heard = Transcript("Coalition.", (), confidence=0.3)
    margins = {}
    for text, who in (("call grace", "Grace Okafor"), ("call marcus", "Marcus Johnson")):
        e = Evidence()
        assert commands.witness.forced.against_book(e, text, who, heard, clip)
        margins[who] = e.value("book_margin")
    assert margins["Grace Okafor"] > 0 > margins["Marcus Johnson"]


def test_the_quiet_rooms_score_of_each_name_is_kept_for_the_next_command(grammar, say):
    """The book check says the reading's own sentence over the quiet room; each other name's score there is
    worked out once, after "Call", and kept: the next command with another frame says one sentence there."""
    from assistant.speech.audio import read_audio
    from assistant.speech.decision import Evidence
    from assistant.speech.whisper import WhisperTranscriber

    quiet: list[list[str]] = []

    class Counting(WhisperTranscriber):
        """The bundled Whisper, keeping what it is made to say over the quiet room."""

        def token_scores(self, audio: AudioClip, sentences: list[str], **kw: bool) -> list[list[float]]:
            if audio == quiet_room():
                quiet.append(sentences)
            return super().token_scores(audio, sentences, **kw)

    whisper = Counting()
    forced = CheckedCommands(grammar, whisper, IntentParser()).witness.forced
    clip = read_audio(say("call grace", "flite:slt"))
    heard = Transcript("Coalition.", (), confidence=0.3)
    assert forced.against_book(Evidence(), "call grace", "Grace Okafor", heard, clip)
    assert quiet[0] == ["Call Grace"] and len(quiet) == 2 and "Call Marcus." in quiet[1]
    quiet.clear()
    sentence = "Please ring Grace now"
    assert forced.against_book(Evidence(), sentence.lower(), "Grace Okafor", heard, clip)
    assert quiet == [[sentence]]
    # the reading's own sentence is set against its whole score over the quiet room
    prior = forced._prior(sentence, whisper.token_scores(clip, [sentence]), ["Grace"])
    assert prior[0] == pytest.approx(whisper.score(quiet_room(), [sentence])[0])


@pytest.mark.parametrize("voice", ["flite:slt", "en-us+klatt2"])
def test_whisper_hears_a_correction_after_the_name_and_a_label_as_a_label(grammar, say, voice):
    """Real audio through the bundled Whisper, read as Whisper wrote a lost correction on a fresh held-out
    draw (the name, then noise): "call Jane Doe, I mean Marcus Johnson" fits a correction better than a
    label or nothing; "call Jane Doe on her mobile" does not."""
    from assistant.speech.audio import read_audio
    from assistant.speech.whisper import WhisperTranscriber

    commands = CheckedCommands(grammar, WhisperTranscriber(), IntentParser())
    forced = commands.witness.forced
    taken_back = read_audio(say("call Jane Doe, I mean Marcus Johnson", voice))
    labelled = read_audio(say("call Jane Doe on her mobile", voice))
    margin = forced.against_correction("Call Jane Doe, Aymarkus Johnsen.", "Jane Doe", [], taken_back)
    assert margin is not None and margin > 0
    margin = forced.against_correction("Call Jane Doe, Andrew Novo.", "Jane Doe", [], labelled)
    assert margin is not None and margin < 0
    # words that sound like a label are one: nothing to check
    assert forced.against_correction("Call Jane Doe and her mebal.", "Jane Doe", [], labelled) is None


@pytest.mark.parametrize("voice", ["flite:slt", "en-us+klatt2"])
def test_whisper_hears_a_first_name_said_alone_against_someone_s_whole_name(grammar, say, voice):
    """Real audio through the bundled Whisper: "call Marcus" said, read as the grammar alone misheard it
    ("call kelly chen"), fits "Call Marcus." better than "Call Kelly Chen." by more than the hold's 0.5;
    "call Kelly Chen" said fits her whole name better than anyone's first name alone."""
    from assistant.speech.audio import read_audio
    from assistant.speech.holds import FIRST_NAME_SAID_BELOW
    from assistant.speech.whisper import WhisperTranscriber

    forced = CheckedCommands(grammar, WhisperTranscriber(), IntentParser()).witness.forced
    alone = read_audio(say("call Marcus", voice))
    whole = read_audio(say("call Kelly Chen", voice))
    margin = forced.against_first_names("call kelly chen", "Kelly Chen", Transcript(""), alone)
    assert margin is not None and margin < FIRST_NAME_SAID_BELOW
    margin = forced.against_first_names("call kelly chen", "Kelly Chen", Transcript(""), whole)
    assert margin is not None and margin > 0


def test_whisper_scores_the_name_that_was_said_above_another(speak):
    """Real audio, the bundled model: the sentence naming who was said fits better than one naming a rival."""
    from assistant.speech.audio import read_audio
    from assistant.speech.whisper import WhisperTranscriber

    whisper = WhisperTranscriber()
    clip = read_audio(speak("call siobhan nguyen about the shipment"))
    said, other, free = whisper.score(
        clip,
        ["Call Siobhan Nguyen about the shipment", "Call Jane Doe about the shipment", "Call Siobhan Nguyen"],
    )
    assert said > other + 1.0
    assert all(s < 0 for s in (said, other, free))


def test_whisper_would_not_end_a_sentence_that_stops_before_the_speech_does(speak):
    """Real audio, the bundled model: made to say the whole command, Whisper would end its text there;
    made to say only its first words, it would go on."""
    from assistant.speech.audio import read_audio
    from assistant.speech.whisper import WhisperTranscriber

    whisper = WhisperTranscriber()
    clip = read_audio(speak("call siobhan nguyen about the shipment"))
    whole, cut = whisper.end_scores(clip, ["Call Siobhan Nguyen about the shipment.", "Call Siobhan Nguyen."])
    assert whole > -1.0 and cut < whole - 1.0  # -0.15 and -2.3 here


def test_whisper_encodes_a_clip_once_while_setting_it_against_a_quiet_room(speak, monkeypatch):
    """The book check scores the command's clip, then the quiet room it is set against, then the clip
    again (speech/forced.py): each is encoded once, and scores the same the second time."""
    from assistant.speech.audio import read_audio
    from assistant.speech.whisper import WhisperTranscriber

    whisper = WhisperTranscriber()
    clip = read_audio(speak("call grace"))
    model = whisper._ready()
    encoded: list[object] = []
    encode = model.encode
    monkeypatch.setattr(model, "encode", lambda features: encoded.append(features) or encode(features))
    first = whisper.score(clip, ["Call Grace", "Call Jane"])
    whisper.score(quiet_room(), ["Call Grace", "Call Jane"])
    assert whisper.score(clip, ["Call Grace", "Call Jane"]) == first
    assert len(encoded) == 2


# -- a name the book holds nobody by: who the book says it was ------------------------------------------


def test_a_name_nobody_answers_to_is_asked_about_as_the_contact_it_fits(grammar):
    """Whisper wrote a name nobody in the book answers to ("Call Raised Oak Four."), the grammar heard
    nothing it was sure of: made to say the sentence naming each contact instead, Whisper fits Grace
    Okafor's by far the best, so the command is a question about her ("Did you mean Grace Okafor?"), never
    a dial; the whole name as said, everyone else by their whole name."""
    commands, engine = scoring(grammar, "Call Raised Oak Four.", Grace_Okafor=-1.0)
    commands.model = replace(commands.model, ask_from=1.0)  # the decision would ask to hear it again
    result = commands.check(first("call marcus johnson", 0.2), AUDIO, COMMAND)
    assert result.text == "Call Grace Okafor" and not result.sure
    assert result.confidence is not None and result.confidence >= commands.min_confidence
    assert not result.label_sure  # a number label in Whisper's words is confirmed too
    book = engine.scored[-1]
    assert book[0] == "Call raised oak four" and "Call Jane Smith" in book and "Call Jane" not in book


@pytest.mark.parametrize(
    ("heard", "fits"),
    [
        ("Call Raised Oak Four.", {"Grace_Okafor": -1.0, "Jane_Doe": -2.5}),  # by 1.5 only
        ("Call Jane Doe, no, Raised Oak Four.", {"Grace_Okafor": -1.0}),  # someone taken back
        ("Call Peter Okafor.", {"Grace_Okafor": -1.0}),  # a stranger who shares her surname
    ],
)
def test_a_name_nobody_answers_to_stays_unheard_unless_one_contact_fits_far_better(grammar, heard, fits):
    """The book's best fit is no question when another contact fits nearly as well (a stranger's name:
    "Call Peter Chen." sets Kelly Chen only a little above the rest), nor when the speaker took someone
    back, nor when Whisper wrote a stranger who shares the contact's surname (a common given name unlike
    hers): the command is heard again as before."""
    commands, _ = scoring(grammar, heard, **fits)
    commands.model = replace(commands.model, ask_from=1.0)
    result = commands.check(first("call marcus johnson", 0.2), AUDIO, COMMAND)
    assert "Grace Okafor" not in result.text and result.confidence == 0.0


@pytest.mark.parametrize(
    ("said", "voice", "written", "who"),
    [
        ("call Xiaoming Li", "en-us+klatt2", "Call neither me lie.", "Xiaoming Li"),
        ("call Peter Chen", "flite:slt", "Call Peter Chen.", None),  # strangers
        ("phone Gareth Jones", "en-us+klatt2", "Phone Garris Jones.", None),
    ],
)
def test_whisper_fits_the_contact_said_to_a_name_it_wrote_as_nobody(grammar, say, said, voice, written, who):
    """Real audio through the bundled Whisper, read as Whisper wrote it (its sentences for these
    recordings): the contact said fits by the margin a question needs; a stranger leaves nobody in the book
    that far ahead (Kelly Chen for Peter Chen by about 1)."""
    from assistant.speech.audio import read_audio
    from assistant.speech.checked import NAMED_FROM_BOOK
    from assistant.speech.whisper import WhisperTranscriber

    forced = CheckedCommands(grammar, WhisperTranscriber(), IntentParser()).witness.forced
    found = forced.named_from_book(written, Transcript(written, ()), read_audio(say(said, voice)))
    assert found is not None
    sentence, margin = found
    if who is not None:
        assert who in sentence and margin >= NAMED_FROM_BOOK
    else:
        assert margin < NAMED_FROM_BOOK
