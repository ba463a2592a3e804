"""Names that sound the same are one spoken name: the dialog asks, unless the command tells them apart."""

from __future__ import annotations

import pytest

from assistant.contacts.resolver import Resolver
from assistant.contacts.soundalike import SoundAlikes, settled
from assistant.models import Action, Contact, PhoneNumber
from assistant.speech.pronounce import Pronouncer

PAIRS = [
    ("Jon Reid", "John Reed"),
    ("Catherine Walsh", "Kathryn Walsh"),
    ("Shawn Taylor", "Sean Taylor"),
    ("Philip Grant", "Phillip Grant"),
    ("Ann Thompson", "Anne Thomson"),
]
APART = [("Jon Park", "Jen Park"), ("Jane Doe", "Jane Smith"), ("Kelly Chen", "Kelly Chan")]


@pytest.fixture(scope="module")
def pronouncer() -> Pronouncer:
    return Pronouncer()


def contact(name: str, company: str = "", **numbers: str) -> Contact:
    found = tuple(PhoneNumber(n, label) for label, n in numbers.items()) or (PhoneNumber("+14155550100"),)
    return Contact(name, found, company=company)


def test_the_recognisers_dictionary_decides_what_sounds_alike(pronouncer: Pronouncer):
    book = [contact(n) for pair in (*PAIRS, *APART) for n in pair]
    groups = {frozenset(c.name for c in g) for g in SoundAlikes(book, pronouncer.names).groups()}
    assert groups == {frozenset(pair) for pair in PAIRS}


def test_a_heard_name_of_a_pair_is_asked_about_unless_the_command_settles_it(pronouncer: Pronouncer):
    jon = contact("Jon Reid", "Stark Industries", mobile="+14155550101")
    john = contact("John Reed", "Hooli", mobile="+14155550102", work="+14155550103")
    resolver = Resolver([jon, john, contact("Jen Park")])
    alikes = SoundAlikes(resolver.contacts, pronouncer.names)
    heard = resolver.resolve("jon reid")
    assert heard.action == Action.DIAL  # the spelling alone would dial Jon Reid
    asked = settled(heard, alikes)
    assert asked.action == Action.ASK and asked.reason == "sound-alike"
    assert [c.contact.name for c in asked.candidates] == ["Jon Reid", "John Reed"]
    at_hooli = settled(resolver.resolve("jon reid", company="hooli"), alikes, company="hooli")
    assert at_hooli.action == Action.DIAL and at_hooli.contact == john  # the company only John has
    at_work = settled(heard, alikes, label="work")
    assert at_work.action == Action.DIAL and at_work.contact == john and at_work.number
    assert at_work.number.e164 == "+14155550103"  # the label only John has
    other = settled(resolver.resolve("jen park"), alikes)
    assert other.action == Action.DIAL and other.contact and other.contact.name == "Jen Park"


def test_a_first_name_heard_alone_names_everyone_whose_first_name_sounds_so(pronouncer: Pronouncer):
    """ "call Jon", heard as "Call John.": John Reed's first name as written, but Jon Park and Jon Reid are
    called the same; Jen Park is not."""
    book = [contact("John Reed"), contact("Jon Reid"), contact("Jon Park"), contact("Jen Park")]
    resolver = Resolver(book)
    alikes = SoundAlikes(book, pronouncer.names)
    heard = resolver.resolve("john")
    assert heard.action == Action.DIAL and heard.contact and heard.contact.name == "John Reed"
    asked = settled(heard, alikes)
    assert asked.action == Action.ASK and asked.reason == "sound-alike"
    assert {c.contact.name for c in asked.candidates} == {"John Reed", "Jon Reid", "Jon Park"}
    whole = settled(resolver.resolve("jen park"), alikes)  # a whole name heard: its own sound-alikes only
    assert whole.action == Action.DIAL and whole.contact and whole.contact.name == "Jen Park"
    assert {c.name for c in alikes.saying("Park")} == {"Jon Park", "Jen Park"}


def test_a_sound_at_the_start_of_a_name_tells_it_apart(pronouncer: Pronouncer):
    """ "call Ana" is not "call Hannah": a sound left out inside a name is the same name, not its first."""
    book = [contact("Ana Souza"), contact("Hannah Schmidt"), contact("Ann Thompson"), contact("Anne Thomson")]
    resolver = Resolver(book)
    alikes = SoundAlikes(book, pronouncer.names)
    ana = settled(resolver.resolve("ana"), alikes)
    assert ana.action == Action.DIAL and ana.contact and ana.contact.name == "Ana Souza"
    assert {c.name for c in alikes.saying("hannah")} == {"Hannah Schmidt"}
    assert {c.name for c in alikes.of(book[2])} == {"Anne Thomson"}  # Thom(p)son: still one name


def test_a_misheard_label_is_the_label_it_sounds_like():
    """What a recogniser writes for a label it misheard after a name: by spelling or by sound."""
    from assistant.contacts.soundalike import label_sounding_like

    assert label_sounding_like(["hem"]) == "home"
    assert label_sounding_like(["mebail"]) == "mobile"
    assert label_sounding_like(["sell"]) == "mobile"
    assert label_sounding_like(["intermodal"]) == ""
    assert label_sounding_like(["of", "an"]) == ""  # too short to tell


def test_a_misheard_sentence_still_sounds_like_what_was_said():
    """The decision weighs how alike a reading and Whisper's own sentence sound: a misheard sentence keeps
    much of the sound of what was said; a sentence heard for another does not."""
    from assistant.contacts.soundalike import sentences_alike

    said = "call bogdan popescu on their mobile"
    assert sentences_alike(said, "Call Begged in Pipscu and their Mebail.") > 0.8
    assert sentences_alike("call chloe", "Koclo,") > sentences_alike("call kwame", "Koclo,")
    assert sentences_alike("call hannah schmidt", "Call an equipment.") < 0.6
    assert sentences_alike(said, said.upper() + ".") == 1.0
    assert sentences_alike(said, "") == 0.0  # Whisper heard nothing
