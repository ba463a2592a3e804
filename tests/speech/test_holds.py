"""The rules beside the decision model that ask about a reading however likely (speech/holds.py), on
their own: here, a stranger Whisper wrote beside a contact's name, and a name Whisper wrote over and over."""

from __future__ import annotations

import pytest

from assistant.contacts.common import given_names, surnames
from assistant.speech.decision import Evidence
from assistant.speech.evidence import Reading
from assistant.speech.holds import name_repeated
from assistant.speech.strangers import names_someone_else


def spelled(word: str, theirs: str) -> bool:
    return word == theirs or (word, theirs) in {("bob", "robert")}


@pytest.mark.parametrize(
    ("written", "name", "someone_else"),
    [
        ("tom park", "jon park", True),  # a common given name unlike theirs
        ("jane foster", "jane doe", True),  # ... and surname
        ("gareth jones", "harriet jones", True),  # a given name only the nicknames dataset holds
        ("jon park", "jon park", False),  # their own name
        ("mario rossi", "maria rossi", False),  # a common name, but one that sounds like theirs
        ("liam obrion", "liam obrien", False),  # a misspelling, nobody's surname
        ("ai brennan", "aoife brennan", False),  # a rare census name: a misheard word more likely
        ("bob park", "robert park", False),  # a nickname stands for their name
        ("tom", "jon park", False),  # a name in one word is the resolver's to place
        ("tom smith", "jon park", False),  # no word of theirs kept: not theirs at all
    ],
)
def test_a_name_written_beside_a_contacts_is_someone_elses(written: str, name: str, someone_else: bool):
    assert names_someone_else(written.split(), name.split(), spelled) is someone_else


def test_the_common_names_are_the_commonest_of_each_kind():
    assert {"tom", "lisa", "kate", "gareth"} <= given_names()
    assert {"baker", "novak", "marsh", "park"} <= surnames()
    assert "ai" not in given_names() and "obrion" not in surnames()


@pytest.mark.parametrize(
    ("text", "who", "source", "held"),
    [
        ("Call, Kofi, Kofi, Kofi.", "Kofi Boateng", "whisper", True),  # Whisper looping on a name
        ("Call Katsu, Ravi Shankar, Ravi.", "Ravi Shankar", "whisper", True),
        ("Call Ravi Shankar.", "Ravi Shankar", "whisper", False),
        ("call call Felix Wagner", "Felix Wagner", "whisper", False),  # a verb twice is no name
        ("call Jean Jean", "Jean Jean", "whisper", False),  # as often as their name says it
        ("call kofi kofi", "Kofi Boateng", "grammar", False),  # only Whisper's own sentence
    ],
)
def test_a_name_whisper_wrote_over_and_over_is_asked_about(text: str, who: str, source: str, held: bool):
    reading = Reading(text, ("CallContact", who, ""), Evidence(), source)
    assert name_repeated(reading) is held
