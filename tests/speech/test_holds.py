"""The rules beside the decision model that ask about a reading however likely (speech/holds.py), on
their own: here, a stranger Whisper wrote beside a contact's name."""

from __future__ import annotations

import pytest

from assistant.contacts.common import given_names, surnames
from assistant.speech.holds import names_someone_else


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
