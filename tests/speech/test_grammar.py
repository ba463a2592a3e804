"""Grammars from the sentence templates and the contact book, compiled by the real pocketsphinx."""

from __future__ import annotations

import pytest

from assistant.contacts.names import Nicknames
from assistant.intents import IntentParser
from assistant.models import Contact, PhoneNumber
from assistant.ports import ANSWERS, Listening
from assistant.speech import pronounce
from assistant.speech.commands import GrammarCommands, contact_phrases
from assistant.speech.grammar import GrammarBuilder
from assistant.speech.sphinx import SphinxEngine

# The 39 phones of pocketsphinx's en-us model
PHONES = set("AA AE AH AO AW AY B CH D DH EH ER EY F G HH IH IY JH K L M N NG OW OY P R S SH T TH".split())
PHONES |= set("UH UW V W Y Z ZH".split())
HARD_NAMES = ["Siobhan Nguyen", "Wojciech Kowalski", "Olamide Okonkwo", "Xiaoming Li", "Aoife Ní Bhriain"]


class Book:
    def __init__(self, contacts: list[Contact]):
        self._contacts = contacts
        self.nicknames = Nicknames()
        self.version = 1

    def contacts(self) -> list[Contact]:
        return self._contacts


@pytest.fixture(scope="module")
def engine() -> SphinxEngine:
    return SphinxEngine()


def test_names_the_dictionary_lacks_get_pronunciations():
    guessed = pronounce.guess(["okonkwo", "xiaoming", "bhriain", "olamide"])
    assert set(guessed) == {"okonkwo", "xiaoming", "bhriain", "olamide"}
    for phones in guessed.values():
        assert phones and set(phones.split()) <= PHONES


def test_every_listening_state_compiles_with_out_of_dictionary_names(engine: SphinxEngine):
    contacts = [
        Contact(n, (PhoneNumber("+14155550100"),), company="Ó Briain & Daughters") for n in HARD_NAMES
    ]
    commands = GrammarCommands(engine, IntentParser().intents, Book(contacts), ["the renewal"])
    commands.refresh()
    for mode in ("command", "confirm", "review", "in-call", "window"):
        assert engine.has(mode)
    assert engine.knows("okonkwo") and engine.knows("xiaoming") and engine.knows("bhriain")


def test_grammar_holds_names_and_leaves_out_typing_only_phrasings():
    contacts = [
        Contact(
            "Jennifer Lopez", (PhoneNumber("+13055550190"),), company="Wayne Enterprises", aliases=("J Lo",)
        )
    ]
    phrases = {**contact_phrases(contacts, Nicknames(), lambda w: True), "topic": ["the renewal"]}
    grammar = GrammarBuilder(IntentParser().intents).build("command", ANSWERS[Listening.COMMAND], phrases)
    assert "jennifer lopez" in grammar.jsgf and "j lo" in grammar.jsgf
    assert "jen lopez" in grammar.jsgf  # a short form of the first name
    assert "wayne enterprises" in grammar.jsgf and "the renewal" in grammar.jsgf
    assert "put me through to" not in grammar.jsgf  # a typed-only phrasing
    assert "landline" not in grammar.jsgf  # a typed-only label word
    assert {"call", "dial", "redial", "jennifer", "lopez"} <= grammar.words


def test_wake_grammar_requires_the_wake_phrase():
    phrases = {"contact": ["jane doe"], "company": [], "topic": []}
    grammar = GrammarBuilder(IntentParser().intents).build(
        "wake", ANSWERS[Listening.COMMAND], phrases, prefix="callbot"
    )
    assert "public <top> = callbot [" in grammar.jsgf


def test_phone_numbers_are_ten_digits_or_plus_and_eleven_to_thirteen():
    phrases = {"contact": ["jane doe"], "company": [], "topic": []}
    grammar = GrammarBuilder(IntentParser().intents).build("command", ("CallNumber",), phrases)
    number_rule = next(line for line in grammar.jsgf.splitlines() if line.startswith("<list_number>"))
    assert number_rule.count("<rule_digit>") == 10 + 13
