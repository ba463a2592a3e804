"""Two engines on one command: the grammar's reading stands when the second engine names the same person."""

from __future__ import annotations

import pytest

from assistant.errors import TranscriptionFailed
from assistant.intents import IntentParser
from assistant.models import Transcript
from assistant.ports import Expect, Listening
from assistant.speech.checked import CheckedCommands
from assistant.speech.commands import CHECK_BELOW
from assistant.speech.sentences import label_phrases

from .checking import AUDIO, COMMAND, Heard, checked, first, scoring

# -- the decision: the shipped model on the evidence -------------------------------------------------------


def test_two_engines_naming_the_same_person_make_the_command_sure(grammar):
    commands, _ = scoring(grammar, "Call Jane Doe on the mobile.", Jane_Doe=-1.0, Jane_Smith=-4.0)
    result = commands.check(first("call jane doe on the mobile", 0.6), AUDIO, COMMAND)
    assert result.sure and result.text == "call jane doe on the mobile"
    assert result.confidence is not None and result.confidence >= 0.85 and result.label_sure
    # whom the decision heard: the dialog dials her, if the words were unsure
    assert result.person == "Jane Doe"


def test_engines_naming_two_people_leave_the_dialog_to_ask(grammar, say):
    """Whisper names Jane Smith, but made to say both sentences prefers "Call Jane Doe ..."; the grammar,
    fairly sure, heard Jane Doe, and pocketsphinx fits "jane doe" to the audio better: asked about, however
    likely the model finds Whisper's reading."""
    from assistant.speech.audio import read_audio

    clip = read_audio(say("call jane doe on the mobile", "flite:slt"))
    commands, _ = scoring(grammar, "Call Jane Smith on the mobile.", Jane_Doe=-1.0, Jane_Smith=-2.0)
    result = commands.check(first("call jane doe on the mobile", 0.6), clip, COMMAND)
    whisper = next(r for r, _ in commands.last if r.source == "whisper")
    assert whisper.evidence.values["sphinx_margin"] < 0 and whisper.held
    assert not result.sure
    assert {result.text, *result.alternatives} >= {
        "call jane doe on the mobile",
        "Call Jane Smith on the mobile.",
    }


def test_a_dispute_is_settled_for_whisper_when_it_prefers_its_reading_over_the_whole_book(grammar, say):
    """The same dispute, but Whisper, made to say its reading naming everyone else in the book instead,
    still prefers Jane Smith: her reading is no longer held back (the model's probability decides), and
    its evidence is left as the model weighed it."""
    from assistant.speech.audio import read_audio

    clip = read_audio(say("call jane doe on the mobile", "flite:slt"))
    commands, engine = scoring(grammar, "Call Jane Smith on the mobile.", Jane_Doe=-2.0, Jane_Smith=-1.0)
    commands.check(first("call jane doe on the mobile", 0.6), clip, COMMAND)
    whisper = next(r for r, _ in commands.last if r.source == "whisper")
    assert whisper.evidence.values["sphinx_margin"] < 0 and not whisper.held
    assert "book_done" not in whisper.evidence.values
    said_through = [s for s in engine.scored if len(s) > 10]  # the book, not the two sound-alikes
    assert said_through and said_through[-1][0] == "Call Jane Smith on the mobile"


@pytest.mark.parametrize(
    "heard",
    [
        "Call Jane Doe on the mobile.",
        "Call Jane Doe.",  # a label only the grammar heard
        "Call Jane Doe at home.",  # each engine heard another
    ],
)
def test_a_number_label_is_sure_only_when_both_engines_heard_it(grammar, heard: str):
    """Labels only when said: whichever reading is acted on, its number label stands unconfirmed only when
    Whisper heard it too and the grammar, hearing the same person, heard no other; otherwise the dialog
    confirms the number ("Call Jane Doe on mobile, ...?")."""
    commands, _ = scoring(grammar, heard, Jane_Doe=-1.0)
    result = commands.check(first("call jane doe on the mobile", 0.6), AUDIO, COMMAND)
    label = IntentParser().parse(result.text).slot("label")
    both = heard == "Call Jane Doe on the mobile."
    assert result.label_sure is both or (not label and heard == "Call Jane Doe.")


def test_a_label_whisper_did_not_hear_leaves_the_grammars_reading_unless_the_audio_holds_it(grammar, say):
    """Labels only when said: the grammar's "at home" path can take a breath for a label. Whisper writing no
    word like it, the label goes unless pocketsphinx fits the sentence with it to the audio clearly better
    (Whisper can miss one); either way the dialog then confirms the number."""
    from assistant.speech.audio import read_audio

    for said, kept in [("call robert martinez", False), ("call robert martinez at home", True)]:
        commands, _ = checked(grammar, "Call Robert Martinez.")
        result = commands.check(
            first("call robert martinez at home", 0.6), read_audio(say(said, "flite:slt")), COMMAND
        )
        assert (IntentParser().parse(result.text).slot("label") == "home") is kept, result.text
        assert not result.label_sure


def test_noise_that_means_nothing_to_either_engine_is_heard_again(grammar):
    commands, _ = checked(grammar, "Thank you.")
    result = commands.check(first("", 0.05), AUDIO, COMMAND)
    assert not result.sure and (result.confidence or 0) < 0.3  # below min_confidence: "say it again"


def test_a_sure_grammar_result_is_not_checked(grammar):
    commands, engine = checked(grammar, "anything")
    sure = first("call jane doe", (1 + CHECK_BELOW) / 2)
    assert commands.check(sure, AUDIO, COMMAND) is sure
    assert engine.prompts == [] and commands.checks == 0


def test_answers_that_place_no_call_are_not_checked(grammar):
    """A "no", or a "cancel" while it rings, is a short answer from a small grammar that stops something:
    checking it would only slow it (a "yes" is checked: below)."""
    commands, engine = checked(grammar, "yes")
    for said, mode in [("no", Listening.CONFIRM), ("cancel", Listening.IN_CALL), ("yes", Listening.WINDOW)]:
        answer = Transcript(said, (), 0.5, engine="sphinx")
        assert commands.check(answer, AUDIO, Expect(mode)) is answer
    assert engine.prompts == []


def test_what_only_the_second_engine_understood_is_its_reading(grammar):
    """The grammar heard nothing: Whisper's reading is weighed on its own evidence, by the same model."""
    commands, _ = checked(grammar, "Call Jane Doe on the mobile.")
    result = commands.check(first("", 0.1), AUDIO, COMMAND)
    [(reading, p)] = commands.last
    assert reading.source == "whisper" and result.text == "Call Jane Doe on the mobile."
    assert reading.evidence.values.get("grammar_means", 0) == 0
    assert result.sure == (p >= commands.dial_at)


def test_an_unsure_reading_the_second_engine_cannot_back_is_asked_about(grammar):
    """Between `sure_confidence` and CHECK_BELOW the grammar alone would have dialled: not any more."""
    commands, _ = checked(grammar, "")
    result = commands.check(first("call jane doe", 0.9), AUDIO, COMMAND)
    assert result.text == "call jane doe" and not result.sure


@pytest.mark.parametrize(
    "grammar_heard, whisper_heard, asked",
    [
        # the grammar's digit loop takes any speech for digits, likelier to the model than Whisper's reading
        ("call eight one eight two nine oh one oh oh oh", "I want to dial a number.", "CallANumber"),
        # the grammar's "don't call", too unlikely to ask about: "Who should I call?", not "say it again"
        ("don't call", "I'd like to make a phone call.", "MakeCall"),
    ],
)
def test_a_call_asked_for_without_a_name_asks_for_the_rest(
    grammar, grammar_heard: str, whisper_heard: str, asked: str
):
    """Whisper's reading of a call that names nobody is taken over digits it did not write, and over a
    reading too unlikely to ask about: the dialog asks for the number or the person, and places nothing."""
    commands, _ = scoring(grammar, whisper_heard)
    result = commands.check(first(grammar_heard, 0.6), AUDIO, COMMAND)
    grammar_reading, p = next((r, p) for r, p in commands.last if r.source == "grammar")
    assert p > max(q for r, q in commands.last if r.source == "whisper")  # the likeliest, passed over
    assert IntentParser().parse(result.text).name == asked and not result.sure
    assert grammar_reading.text in result.alternatives


def test_a_named_call_is_not_taken_for_a_request_without_a_name(grammar):
    """The grammar heard "make a call please", Whisper the person: the call to her stands."""
    commands, _ = scoring(grammar, "Make a call to Jane Doe.", Jane_Doe=-1.0)
    result = commands.check(first("make a call please", 0.6), AUDIO, COMMAND)
    assert IntentParser().parse(result.text).slot("contact") == "Jane Doe"


def test_every_spoken_label_is_known(grammar):
    labels = label_phrases(grammar.builder.intents)
    assert labels["cell"] == labels["mobile phone"] == "mobile"
    assert labels["office"] == "work" and labels["home"] == "home"


def test_real_recording_through_both_engines(grammar, speak):
    """Real audio: pocketsphinx streams it, Whisper (the bundled model) checks it."""
    from assistant.speech.audio import read_audio
    from assistant.speech.whisper import WhisperTranscriber

    commands = CheckedCommands(grammar, WhisperTranscriber(), IntentParser(), check_below=1.01)
    clip = read_audio(speak("call priya raghunathan on her mobile"))
    result = commands.recognize(clip, COMMAND)
    assert commands.checks == 1  # check_below above any confidence: every command is checked
    assert "raghunathan" in result.text.lower()
    assert result.sure, f"the engines disagreed: {result.text!r} / {result.alternatives[:1]}"


def test_pocketsphinx_weighs_whisper_reading_against_the_grammars_on_the_audio(grammar, say):
    """When the engines disagree, the grammar engine's acoustic model fits both sentences to the audio: the
    one that was said fits better, whichever engine heard it."""
    from assistant.speech.audio import read_audio

    clip = read_audio(say("call robert martinez on mobile", "flite:slt"))
    for heard, grammar_said, right in [
        ("Call Robert Martinez on mobile.", "call jane doe on mobile", "whisper"),
        ("Call Jane Doe on mobile.", "call robert martinez on mobile", "grammar"),
    ]:
        commands, _ = checked(grammar, heard)
        commands.check(first(grammar_said, 0.6), clip, COMMAND)
        e = {r.source: r.evidence.values for r, _ in commands.last}
        assert e["whisper"]["sphinx_done"] == e["grammar"]["sphinx_done"] == 1
        assert e[right]["sphinx_margin"] > 1.0
        assert e["whisper"]["sphinx_margin"] == pytest.approx(-e["grammar"]["sphinx_margin"])
        assert e["whisper"]["name_fit"] == e["grammar"]["name_fit"] == 1.0  # both name a contact in full
    # one reading (the engines agree), nothing to weigh it against: no alignment is made
    commands, _ = checked(grammar, "Call Robert Martinez on mobile.")
    commands.check(first("call robert martinez on mobile", 0.6), clip, COMMAND)
    [(only, _)] = commands.last
    assert "sphinx_done" not in only.evidence.values


def test_a_free_form_engine_alone_gets_the_names_as_a_prompt(grammar):
    from assistant.speech.freeform import FreeFormCommands

    engine = Heard("Call Jane Doe.")
    commands = FreeFormCommands(engine, grammar.book)
    result = commands.recognize(AUDIO, COMMAND)
    assert result.text == "Call Jane Doe."
    [(prompt, hotwords)] = engine.prompts
    assert prompt.startswith("Call ") and "Siobhan Nguyen" in prompt and hotwords == ""
    assert engine.quick == [True]  # a command is short and wanted now


def test_the_second_engine_is_asked_for_a_quick_transcription(grammar):
    commands, engine = checked(grammar, "Call Jane Doe.")
    commands.check(first("call jane doe", 0.6), AUDIO, COMMAND)
    assert engine.quick == [True]


@pytest.mark.parametrize(
    ("said", "who"),
    [
        ("give jane smith a ring", "Jane Smith"),  # verb family: give NAME a call/ring
        ("i'd like to call robert martinez please", "Robert Martinez"),  # polite frame
        ("get hold of siobhan nguyen", "Siobhan Nguyen"),  # verb family: get hold of
        ("ring robert martinez's mobile", "Robert Martinez"),  # possessive number
        ("call uh jane smith", "Jane Smith"),  # a filler
    ],
)
def test_phrasings_the_grammar_lacks_are_understood_from_whisper(grammar, speak, said: str, who: str):
    """Real audio: the grammar has no such sentence and forces it into one of its own, Whisper hears it, and
    its reading, read by the typed templates, is weighed as a reading of its own."""
    from assistant.models import Action
    from assistant.ports import Utterance
    from assistant.speech.audio import read_audio
    from assistant.speech.whisper import WhisperTranscriber
    from assistant.understanding import resolve_heard

    commands = CheckedCommands(grammar, WhisperTranscriber(), IntentParser(), check_below=1.01)
    result = commands.recognize(read_audio(speak(said)), COMMAND)
    parser = IntentParser()
    intent = parser.parse(result.text)
    assert intent is not None and intent.name == "CallContact", (result.text, commands.last)
    resolution = resolve_heard(grammar.book.resolver(), Utterance(result), intent, parser, 0.85)
    named = resolution.contact.name if resolution.contact else resolution.candidates[0].contact.name
    assert named == who, (result.text, resolution)
    assert resolution.action in (Action.DIAL, Action.ASK)  # the right person: dialled, or asked about


# -- a "yes" that places a call --------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [Listening.CONFIRM, Listening.CHOICE])
@pytest.mark.parametrize(
    "second, meant",
    [
        ("Yeah.", "yes"),  # both heard it: the grammar's reading stands
        ("No.", "No."),  # a British "no" the grammar heard as "yes": Whisper's answer is taken
        ("Call the office.", None),  # no answer, and a runner-up says no: unheard, the dialog asks again
    ],
)
def test_a_yes_stands_only_when_whisper_heard_one_too(
    grammar, mode: Listening, second: str, meant: str | None
):
    commands, engine = checked(grammar, second)
    engine.alternatives = ("Call the office!", "No?")
    result = commands.check(first("yes", 0.95), AUDIO, Expect(mode))
    assert engine.prompts == [("Yes or no?", "")]  # asked with no names to steer it
    if meant is None:
        assert result.confidence == 0.0 and not result.sure
    else:
        assert result.text == meant and (result.confidence or 0.0) >= 0.85


def test_a_yes_whisper_misheard_stands_when_its_runners_up_answer_only_yes(grammar):
    commands, engine = checked(grammar, "Don't end.")
    engine.alternatives = ("Don't add.", "Go ahead.")
    result = commands.check(first("go ahead", 0.95), AUDIO, Expect(Listening.CONFIRM))
    assert result.text == "go ahead" and result.confidence == 0.95


def test_a_yes_stands_when_whisper_fails(grammar):
    class Failing(Heard):
        def transcribe(self, audio, prompt="", hotwords="", *, quick=False):
            raise TranscriptionFailed("Whisper failed: out of memory")

    commands = CheckedCommands(grammar, Failing(""), IntentParser(), sure_at=0.85, min_confidence=0.3)
    said = first("yes", 0.95)
    assert commands.check(said, AUDIO, Expect(Listening.CONFIRM)) is said
