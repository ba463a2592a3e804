"""Two engines on one command: the grammar's reading stands when the second engine names the same person."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from assistant.contacts.book import ContactBook
from assistant.intents import IntentParser
from assistant.models import AudioClip, Transcript
from assistant.ports import Expect, Listening
from assistant.speech.checked import CheckedCommands, label_phrases
from assistant.speech.commands import CHECK_BELOW, GrammarCommands
from assistant.speech.sphinx import SphinxEngine

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

    def transcribe(
        self, audio: AudioClip, prompt: str = "", hotwords: str = "", *, quick: bool = False
    ) -> Transcript:
        self.prompts.append((prompt, hotwords))
        self.quick.append(quick)
        return Transcript(self.text, self.alternatives, confidence=0.6, engine=self.name)


@pytest.fixture(scope="module")
def grammar(tmp_path_factory) -> GrammarCommands:
    from assistant.calllog.store import Store
    from assistant.contacts.importers import read_contacts

    from ..conftest import EXAMPLE_CONTACTS

    store = Store(f"sqlite:///{tmp_path_factory.mktemp('checked') / 'c.db'}")
    store.import_contacts(read_contacts(EXAMPLE_CONTACTS).contacts, "example")
    commands = GrammarCommands(SphinxEngine(), IntentParser().intents, ContactBook(store))
    commands.refresh()
    return commands


def checked(grammar: GrammarCommands, second: str) -> tuple[CheckedCommands, Heard]:
    engine = Heard(second)
    return CheckedCommands(grammar, engine, IntentParser(), sure_at=0.85, min_confidence=0.3), engine


def first(text: str, confidence: float) -> Transcript:
    return Transcript(text, ("call janie doe",), confidence, engine="sphinx")


@pytest.mark.parametrize(
    "second",
    [
        "Call Jane Doe on the mobile.",
        "Bring Jane Doe on this mobile.",  # the verb and the small words misheard: the name and label agree
        "jane doe mobile",
    ],
)
def test_two_engines_naming_the_same_person_make_the_command_sure(grammar, second: str):
    commands, engine = checked(grammar, second)
    result = commands.check(first("call jane doe on the mobile", 0.6), AUDIO, COMMAND)
    assert result.sure and result.confidence == pytest.approx(0.85)
    assert result.text == "call jane doe on the mobile"
    assert result.alternatives[0] == second
    prompt, hotwords = engine.prompts[0]
    assert "Jane Doe" in prompt and hotwords == ""  # names as a prompt only: hotwords make tiny models recite
    assert commands.checks == 1


@pytest.mark.parametrize(
    "second",
    [
        "Call Jane Smith on the mobile.",  # another person
        "Call Jane Doe at home.",  # the same person, another number
        "Call Jane Doe.",  # a label the second engine did not hear is not agreement on it
        "Thank you very much.",
    ],
)
def test_engines_that_disagree_leave_the_dialog_to_ask(grammar, second: str):
    commands, _ = checked(grammar, second)
    result = commands.check(first("call jane doe on the mobile", 0.6), AUDIO, COMMAND)
    assert not result.sure
    assert result.text == "call jane doe on the mobile" and result.confidence == 0.6


@pytest.mark.parametrize(
    ("second", "sure"),
    [
        ("Call Jane Doe, come out of the renewal.", True),  # "about" misheard: the name still comes first
        ("Call Jane Doe. I'm out of the renewal.", True),
        ("Call Jane Smith, come out of the renewal.", False),  # somebody else
        ("Call Jane, come out of the renewal.", False),  # "Jane" alone: one of two
    ],
)
def test_a_name_followed_by_a_misheard_topic_is_still_agreement(grammar, second: str, sure: bool):
    commands, _ = checked(grammar, second)
    assert commands.check(first("call jane doe about the renewal", 0.6), AUDIO, COMMAND).sure is sure


def test_words_nearest_to_a_name_but_not_near_enough_are_not_agreement(grammar):
    """ "Thank you very much" ranks Hiroshi Tanaka first, far below anything the resolver would dial."""
    commands, _ = checked(grammar, "Thank you very much.")
    assert commands.grammar.book.resolver().rank(["thank you very much"])[0].contact.name == "Hiroshi Tanaka"
    result = commands.check(first("call hiroshi tanaka", 0.6), AUDIO, COMMAND)
    assert not result.sure and result.confidence == 0.6


def test_a_name_the_resolver_would_refuse_backs_nobody(grammar):
    """ "Rupert Mads" is nearest to Robert Martinez, but too far to dial him: it names nobody."""
    commands, _ = checked(grammar, "Call Rupert Mads.")
    assert commands.grammar.book.resolver().rank(["rupert mads"])[0].contact.name == "Robert Martinez"
    assert commands._meaning("Call Rupert Mads.") == ("CallContact", "nobody", "")
    assert not commands.check(first("call robert martinez", 0.6), AUDIO, COMMAND).sure
    # Both engines naming nobody settles nothing: a sure transcript's runners-up could still be dialled.
    assert not commands.check(first("call rupert mads", 0.6), AUDIO, COMMAND).sure


def test_a_name_as_near_to_another_contact_is_not_agreement(grammar):
    """Whisper's "Jane" is Jane Doe as much as Jane Smith: it does not back pocketsphinx's "jane doe"."""
    commands, _ = checked(grammar, "Call Jane.")
    assert not commands._names_the_same("Call Jane.", ("CallContact", "Jane Doe", ""))
    assert not commands.check(first("call jane doe", 0.6), AUDIO, COMMAND).sure


def test_a_reading_too_unsure_alone_stands_when_the_second_engine_backs_it(grammar):
    """Below `min_confidence` the grammar alone is not acted on, but its vote still counts for agreement."""
    commands, _ = checked(grammar, "Call Siobhan Nguyen about the quote.")
    result = commands.check(first("call siobhan nguyen about the quote", 0.2), AUDIO, COMMAND)
    assert result.sure and result.confidence == pytest.approx(0.85)
    assert result.text == "call siobhan nguyen about the quote"
    commands, _ = checked(grammar, "Call Jane Smith.")  # no backing: as unsure as before, so rejected
    alone = first("call siobhan nguyen about the quote", 0.2)
    assert (
        commands.check(alone, AUDIO, COMMAND).text == "Call Jane Smith."
    )  # only the second is heard: confirm
    commands, _ = checked(grammar, "")
    assert commands.check(alone, AUDIO, COMMAND) is alone


def test_the_second_engines_runners_up_count_for_agreement(grammar):
    """Whisper's beam keeps its runners-up: one of them naming the grammar's person is agreement."""
    commands, engine = checked(grammar, "Call Jane Smith on the mobile.")
    engine.alternatives = ("Call Jain Dough on the mobile.", "Call Jane Doe on the mobile.")
    result = commands.check(first("call jane doe on the mobile", 0.6), AUDIO, COMMAND)
    assert result.sure and result.text == "call jane doe on the mobile"
    engine.alternatives = ("Call Jane Smith on their mobile.", "Call Jane Doe at home.")
    assert not commands.check(first("call jane doe on the mobile", 0.6), AUDIO, COMMAND).sure


def test_a_runner_up_backs_a_barely_heard_reading_only_as_a_whole_command(grammar):
    """ "Thank you" is near enough to Ethan-like names; a runner-up must say the whole command then."""
    commands, engine = checked(grammar, "Anha, Norina.")
    engine.alternatives = ("Thank you.", "Call Hiroshi Tanaka.")
    backed = commands.check(first("call hiroshi tanaka", 0.1), AUDIO, COMMAND)
    assert backed.sure and backed.confidence == pytest.approx(0.85)
    engine.alternatives = ("hiroshi tanaka",)  # the name alone: enough for a reading heard well, not this one
    alone = first("call hiroshi tanaka", 0.1)
    assert commands.check(alone, AUDIO, COMMAND) is alone  # still below min_confidence: "say it again"
    well = commands.check(first("call hiroshi tanaka", 0.6), AUDIO, COMMAND)
    assert well.sure and well.confidence == pytest.approx(0.85)


@dataclass
class Scoring(Heard):
    """A second engine that can also score given sentences against the audio (forced decoding)."""

    fits: dict[str, float] = field(default_factory=dict)  # a name in the sentence -> its score
    heard_score: float = -1.5
    others: float = -4.0  # any other name's sentence

    def score(self, audio: AudioClip, sentences: list[str]) -> list[float]:
        self.scored.append(sentences)
        return [
            self.heard_score
            if s == self.text
            else next((v for k, v in self.fits.items() if k in s), self.others)
            for s in sentences
        ]


def scoring(grammar: GrammarCommands, heard: str, **fits: float) -> tuple[CheckedCommands, Scoring]:
    engine = Scoring(heard, fits={k.replace("_", " "): v for k, v in fits.items()})
    return CheckedCommands(grammar, engine, IntentParser(), sure_at=0.85, min_confidence=0.3), engine


def test_a_name_whisper_misheard_stands_when_whisper_made_to_say_it_prefers_it(grammar):
    commands, engine = scoring(grammar, "Call Shane though on the mobile.", Jane_Doe=-1.2, Jane_Smith=-2.6)
    result = commands.check(first("call jane doe on the mobile", 0.6), AUDIO, COMMAND)
    assert result.sure and result.confidence == pytest.approx(0.85)
    assert commands.verified == 1
    [sentences] = engine.scored
    assert "Call Jane Doe on the mobile" in sentences and "Call Jane Smith on the mobile" in sentences
    assert all(s.endswith(" on the mobile") for s in sentences[:-1])  # only the name differs


@pytest.mark.parametrize(
    ("fits", "heard_score"),
    [
        ({"Jane_Doe": -1.2, "Jane_Smith": -1.6}, -1.5),  # a rival fits nearly as well: ask
        ({"Jane_Doe": -6.5}, -1.0),  # far below what Whisper heard on its own: ask
    ],
)
def test_a_name_whisper_cannot_tell_from_a_rival_is_still_asked_about(grammar, fits, heard_score):
    commands, engine = scoring(grammar, "Call Shane though on the mobile.", **fits)
    engine.heard_score, engine.others = heard_score, -9.0
    result = commands.check(first("call jane doe on the mobile", 0.6), AUDIO, COMMAND)
    assert not result.sure and result.confidence == 0.6


def test_a_close_call_stands_only_against_the_whole_book(grammar, monkeypatch):
    """Ahead of every sound-alike by less than VERIFY_MARGIN: the rest of the book is scored too, and a
    name that sounds nothing like hers but fits as well (Whisper confuses those too) means asking."""
    import assistant.speech.checked as commands_module

    heard, said = "Call Shane though on the mobile.", first("call jane doe on the mobile", 0.6)
    everyone = {c.name for c in grammar.book.contacts()}
    commands, engine = scoring(grammar, heard, Jane_Doe=-1.2, Jane_Smith=-1.9)
    assert commands.check(said, AUDIO, COMMAND).sure
    shortlist, rest = engine.scored
    assert shortlist[-1] == heard and "Call Jane Smith on the mobile" in shortlist
    named = {s.removeprefix("Call ").removesuffix(" on the mobile") for s in [*shortlist[:-1], *rest]}
    assert named == everyone and not set(shortlist) & set(rest)  # each sentence scored once

    commands, engine = scoring(grammar, heard, Jane_Doe=-1.2, Jane_Smith=-1.9, Hiroshi_Tanaka=-1.5)
    assert not commands.check(said, AUDIO, COMMAND).sure
    monkeypatch.setattr(commands_module, "VERIFY_WHOLE_BOOK", len(everyone) - 1)  # too big to score whole
    commands, engine = scoring(grammar, heard, Jane_Doe=-1.2, Jane_Smith=-1.9)
    assert not commands.check(said, AUDIO, COMMAND).sure and len(engine.scored) == 1


def test_a_name_with_no_sound_alike_stands_only_against_the_whole_book(grammar):
    """Nobody sounds like Oluwaseun Adebayo, so beating the sound-alikes proves nothing: the rest of the book
    is scored, and a name Whisper fits as well means asking."""
    heard, said = "Of a song.", first("call oluwaseun adebayo", 0.6)
    commands, engine = scoring(grammar, heard, Oluwaseun_Adebayo=-1.0)
    assert commands.check(said, AUDIO, COMMAND).sure
    shortlist, rest = engine.scored
    assert shortlist == ["Call Oluwaseun Adebayo", heard] and len(rest) == len(grammar.book.contacts()) - 1
    commands, engine = scoring(grammar, heard, Oluwaseun_Adebayo=-1.0, Jon_Park=-1.2)
    assert not commands.check(said, AUDIO, COMMAND).sure


def test_a_reading_that_only_sounds_like_the_name_is_judged_by_forced_decoding(grammar):
    """ "Jain Dough" resolves to Jane Doe by sound alone: Whisper, prompted with the book, may have made it
    out of noise. It backs the grammar's person only if her sentence then fits the audio best."""
    heard, said = "Call Jain Dough on the mobile.", first("call jane doe on the mobile", 0.6)
    commands, _ = checked(grammar, heard)
    assert commands._meaning(heard) == commands._meaning(said.text)
    assert not commands.check(said, AUDIO, COMMAND).sure  # no forced decoding to judge it: ask
    commands, _ = scoring(grammar, heard, Jane_Doe=-1.2, Jane_Smith=-2.6)
    assert commands.check(said, AUDIO, COMMAND).sure and commands.verified == 1
    commands, _ = scoring(grammar, heard, Jane_Doe=-1.2, Jane_Smith=-1.3)
    assert not commands.check(said, AUDIO, COMMAND).sure


@pytest.mark.parametrize(
    ("said", "heard"),
    [
        ("call hiroshi tanaka at work", "Call Rishi Tanaki."),  # a label only the grammar heard
        ("call hiroshi tanaka", "Call Rishi Tanaki on his work."),  # one only Whisper heard
        ("call hiroshi tanaka at home", "Call Rishi Tanaki on the work."),  # each heard another
    ],
)
def test_a_number_label_forced_decoding_did_not_check_is_confirmed(grammar, said, heard):
    """Forced decoding weighs the name alone: the person stands, and the grammar's number is a guess the
    dialog confirms (without this, "at work" rang his desk though the user named no number)."""
    from assistant.ports import Utterance
    from assistant.understanding import resolve_heard

    commands, _ = scoring(grammar, heard, Hiroshi_Tanaka=-1.0)
    result = commands.check(first(said, 0.6), AUDIO, COMMAND)
    assert result.sure and commands.verified == 1 and not result.label_sure
    parser = IntentParser()
    resolution = resolve_heard(grammar.book.resolver(), Utterance(result), parser.parse(said), parser, 0.85)
    assert resolution.contact is not None and resolution.contact.name == "Hiroshi Tanaka"
    assert resolution.label_guessed  # the "unsure" confirmation policy asks "... on work?"


def test_a_number_label_both_engines_heard_is_not_in_doubt(grammar):
    commands, _ = scoring(grammar, "Call Rishi Tanaki at work.", Hiroshi_Tanaka=-1.0)
    assert commands.check(first("call hiroshi tanaka at work", 0.6), AUDIO, COMMAND).label_sure
    commands, engine = scoring(grammar, "Call Rishi Tanaki.", Hiroshi_Tanaka=-1.0)
    engine.alternatives = ("Call Rishi Tanaki at the office.",)  # only a runner-up of Whisper's beam heard it
    assert not commands.check(first("call hiroshi tanaka at work", 0.6), AUDIO, COMMAND).label_sure
    commands, _ = checked(grammar, "Call Jane Doe on the mobile.")  # agreement takes the label too
    assert commands.check(first("call jane doe on the mobile", 0.6), AUDIO, COMMAND).label_sure
    commands, _ = scoring(grammar, "Call Rishi Tanaki.", Hiroshi_Tanaka=-1.0)  # neither heard one
    assert commands.check(first("call hiroshi tanaka", 0.6), AUDIO, COMMAND).label_sure


def test_a_first_name_is_verified_as_a_first_name(grammar):
    commands, engine = scoring(grammar, "Cold race.", Grace=-1.0)
    assert commands.check(first("call grace", 0.83), AUDIO, COMMAND).sure
    assert "Call Grace" in engine.scored[0] and "Call Grace Okafor" not in engine.scored[0]


def test_an_engine_that_cannot_score_verifies_nothing(grammar):
    commands, _ = checked(grammar, "Call Shane though on the mobile.")
    assert not commands.check(first("call jane doe on the mobile", 0.6), AUDIO, COMMAND).sure


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


def test_a_name_shared_by_two_contacts_is_still_asked_about(grammar):
    """Both engines hearing "Jane" agree on nobody in particular: the dialog still asks which Jane."""
    from assistant.models import Action
    from assistant.ports import Utterance
    from assistant.understanding import resolve_heard

    commands, _ = checked(grammar, "Call Jane.")
    parser = IntentParser()
    result = commands.check(first("call jane", 0.6), AUDIO, COMMAND)
    intent = parser.parse(result.text)
    resolution = resolve_heard(grammar.book.resolver(), Utterance(result), intent, parser, 0.85)
    assert resolution.action == Action.ASK
    assert {c.contact.name for c in resolution.candidates} >= {"Jane Doe", "Jane Smith"}
    assert not commands._names_the_same("Call Jane.", ("CallContact", "Jane Doe|Jane Smith", ""))


def test_a_sure_grammar_result_is_not_checked(grammar):
    commands, engine = checked(grammar, "anything")
    sure = first("call jane doe", (1 + CHECK_BELOW) / 2)
    assert commands.check(sure, AUDIO, COMMAND) is sure
    assert engine.prompts == [] and commands.checks == 0


def test_only_commands_are_checked(grammar):
    """A yes/no or a "cancel" is a short answer from a small grammar: checking it would only slow it."""
    commands, engine = checked(grammar, "no")
    answer = Transcript("yes", (), 0.5, engine="sphinx")
    assert commands.check(answer, AUDIO, Expect(Listening.CONFIRM)) is answer
    assert engine.prompts == []


def test_what_only_the_second_engine_understood_is_confirmed_before_acting(grammar):
    commands, _ = checked(grammar, "Call Jane Doe on the mobile.")
    result = commands.check(first("", 0.1), AUDIO, COMMAND)
    assert result.text == "Call Jane Doe on the mobile."
    assert not result.sure and result.confidence == 0.3


def test_an_unsure_reading_the_second_engine_cannot_back_is_asked_about(grammar):
    """Between `sure_confidence` and CHECK_BELOW the grammar alone would have dialled: not any more."""
    commands, _ = checked(grammar, "")
    result = commands.check(first("call jane doe", 0.9), AUDIO, COMMAND)
    assert (result.text, result.confidence, result.sure) == ("call jane doe", 0.9, False)
    assert result.alternatives == ("call janie doe",)


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


def test_a_free_form_engine_alone_gets_the_names_as_a_prompt(grammar):
    from assistant.speech.checked import FreeFormCommands

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
