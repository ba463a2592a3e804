"""Arbitrary text and files never crash the parser, the resolver, the importers or the date reader:
they answer, or raise callbot's own clear error."""

from __future__ import annotations

import itertools
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from assistant.calllog.followups import read_followup
from assistant.contacts.importers import read_contacts
from assistant.contacts.names import Nicknames, phonetic_keys, tokens
from assistant.contacts.numbers import BadNumber, normalize
from assistant.contacts.resolver import Resolver
from assistant.errors import CallbotError, ContactsError
from assistant.intents import IntentParser
from assistant.models import Action, Contact, PhoneNumber

from ..conftest import EXAMPLE_CONTACTS

SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
PARSER = IntentParser()
RESOLVER = Resolver(read_contacts(EXAMPLE_CONTACTS).contacts)
words = st.sampled_from(
    [
        "call",
        "jane",
        "doe",
        "on",
        "mobile",
        "about",
        "the",
        "renewal",
        "at",
        "acme",
        "yes",
        "no",
        "cancel",
        "'",
        "-",
        "4",
        "1",
        "5",
        "+",
        "redial",
        "smith",
        "note",
        "",
        "Ó",
        "ß",
        "丽",
        "\u200b",
        "\t",
        "...",
    ]
)
text = st.one_of(st.text(max_size=80), st.lists(words, max_size=12).map(" ".join))


@SETTINGS
@given(text)
def test_intent_parser_answers_or_says_nothing(sentence: str):
    intent = PARSER.parse(sentence)
    assert intent is None or intent.name in PARSER.names
    choosing = PARSER.parse(sentence, context={"dialog": "choosing"}, allowed=["Choose", "Yes", "No"])
    assert choosing is None or choosing.name in {"Choose", "Yes", "No"}


BOOK = RESOLVER.contacts
NICKNAMES = Nicknames()


@SETTINGS
@given(st.lists(text, min_size=1, max_size=3), st.text(max_size=20), st.text(max_size=20))
def test_resolver_always_decides(queries: list[str], label: str, company: str):
    resolution = RESOLVER.resolve(queries, label=label, company=company)
    assert all(c.contact in BOOK for c in resolution.candidates)
    assert len({c.contact.source_key for c in resolution.candidates}) == len(resolution.candidates) <= 5
    if resolution.action == Action.DIAL:  # a person of the book, on one of their own numbers
        assert resolution.contact in BOOK and resolution.number in resolution.contact.numbers
        assert resolution.candidates and resolution.candidates[0].contact == resolution.contact
        asked = resolution.label_requested  # the label said, as the resolver understood it
        wanted = resolution.contact.number(asked) if asked else None
        assert resolution.number == (wanted or resolution.contact.default_number)  # never another label's
        if asked:
            assert resolution.label_missing == (wanted is None)
    elif resolution.action == Action.ASK:  # "which one?" over real people, nobody picked yet
        assert resolution.contact is None and resolution.number is None and resolution.candidates
    else:
        assert resolution.action == Action.REFUSE and resolution.number is None
        assert resolution.contact is None or resolution.reason == "no_number"


def words_of(name: str) -> set[str]:
    """A name's words as the resolver reads them, and each two of them run together ("mc donald")."""
    words = tokens(name)
    return set(words) | {a + b for a, b in itertools.pairwise(words)}


def resembles(a: str, b: str) -> bool:
    """Any way a heard word can meet a name word, generously: the same, a nickname, a sound, a spelling."""
    return (
        a == b
        or b in NICKNAMES.related(a)
        or a in NICKNAMES.related(b)
        or bool(set(phonetic_keys(a)) & set(phonetic_keys(b)))
        or fuzz.ratio(a, b) >= 50
        or fuzz.partial_ratio(a, b) >= 70
    )


def numbered(names: list[str]) -> list[Contact]:
    """A book of these names, each with a number of their own (and some with a second one)."""
    return [
        Contact(
            n,
            (PhoneNumber(f"+1415555{i:04d}", "mobile"),)
            + ((PhoneNumber(f"+1646555{i:04d}", "work"),) if i % 2 else ()),
            id=i,
        )
        for i, n in enumerate(names)
    ]


@SETTINGS
@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=20), st.data())
def test_an_exact_name_is_that_person_or_offered_first(names: list[str], data: st.DataObject):
    """Saying a contact's full name as written never dials anyone else and never leaves them out: it dials
    them, or (another name as close) asks with them first. A dial is always on one of their own numbers."""
    book = numbered(names)
    target = data.draw(st.sampled_from(book))
    said = sorted(tokens(target.name))
    assume(said and all(sorted(tokens(c.name)) != said for c in book if c is not target))
    resolution = Resolver(book).resolve(target.name)
    event(f"{resolution.action}")
    assert resolution.candidates[0].contact is target
    if resolution.action == Action.DIAL:
        assert resolution.contact is target and resolution.number in target.numbers
    else:
        assert resolution.action == Action.ASK and resolution.reason == "ambiguous"
        assert len(resolution.candidates) >= 2 and resolution.contact is None


spoken = st.text(alphabet="abcdefghijklm", min_size=3, max_size=9)
others = st.text(alphabet="nopqrstuvwxyz ", min_size=3, max_size=20)


@SETTINGS
@given(st.lists(spoken, min_size=1, max_size=3).map(" ".join), st.lists(others, max_size=20), st.data())
def test_a_name_like_no_other_in_the_book_is_dialled(name: str, rest: list[str], data: st.DataObject):
    book = numbered(rest)
    at = data.draw(st.integers(0, len(book)))
    book.insert(at, Contact(name, (PhoneNumber("+14155559999", "mobile"),), id=999))
    assume(tokens(name))
    assume(
        not any(
            resembles(a, b) for c in book if c.id != 999 for a in words_of(name) for b in words_of(c.name)
        )
    )
    resolution = Resolver(book).resolve(name)
    assert (resolution.action, resolution.contact, resolution.number) == (
        Action.DIAL,
        book[at],
        PhoneNumber("+14155559999", "mobile"),
    )


BOOK_WORDS = {
    w for c in BOOK for w in words_of(c.name) | words_of(c.company) | set().union(*map(words_of, c.aliases))
}


@SETTINGS
@given(
    st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=3, max_size=10), min_size=1, max_size=3)
)
def test_a_name_nobody_in_the_book_resembles_is_refused(words: list[str]):
    assume(not any(resembles(w, b) for w in words for b in BOOK_WORDS))
    resolution = RESOLVER.resolve(" ".join(words))
    assert (resolution.action, resolution.contact, resolution.number) == (Action.REFUSE, None, None)


HEADERS = [
    "name,company,mobile,work,home,aliases,timezone,do_not_call\n",
    "First Name,Last Name,Phone 1 - Label,Phone 1 - Value\n",
    "Record ID,First Name,Last Name,Phone Number,Mobile Phone Number\n",
    "Id,FirstName,LastName,Phone,MobilePhone,DoNotCall\n",
    "First Name,Last Name,Mobile Phone,Business Phone,Home Phone\n",
    "BEGIN:VCARD\nVERSION:3.0\n",
]


@SETTINGS
@given(header=st.sampled_from(HEADERS), body=st.text(max_size=400), noise=st.binary(max_size=60))
def test_importers_read_any_file_or_say_why(tmp_path_factory, header: str, body: str, noise: bytes):
    path = Path(tmp_path_factory.mktemp("import")) / "contacts.csv"
    path.write_bytes(header.encode() + body.encode("utf-8", "surrogatepass") + noise)
    try:
        result = read_contacts(path)
    except CallbotError:
        return  # a clear error of our own
    for problem in result.problems:
        assert problem.line >= 1 and problem.message
    for contact in result.contacts:
        assert contact.name and contact.numbers and all(n.e164.startswith("+") for n in contact.numbers)


@SETTINGS
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".vcf", ".csv", ".txt"]))
def test_importers_survive_random_bytes(tmp_path_factory, data: bytes, suffix: str):
    """Any bytes: contacts with valid E.164 numbers and problems by line, or ContactsError; nothing else."""
    path = Path(tmp_path_factory.mktemp("bytes")) / f"anything{suffix}"
    path.write_bytes(data)
    try:
        result = read_contacts(path)
    except ContactsError as exc:  # the one error read_contacts documents
        assert str(exc)
        return
    lines = data.count(b"\n") + data.count(b"\r") + 1
    for problem in result.problems:
        assert problem.path == str(path) and 1 <= problem.line <= lines and problem.message
    for contact in result.contacts:
        assert contact.name.strip() and contact.numbers
        for number in contact.numbers:
            assert normalize(number.e164, "US") == number.e164  # E.164, and a number that exists


@SETTINGS
@given(text)
def test_note_dates_are_never_in_the_past(note: str):
    now = datetime(2026, 11, 27, 10, 0)
    found = read_followup(note, now)
    assert found is None or found.due >= now.date()


@SETTINGS
@given(st.text(max_size=30))
def test_numbers_normalise_or_say_why(written: str):
    try:
        e164 = normalize(written, "US")
    except BadNumber as exc:
        assert str(exc)
        return
    assert e164.startswith("+") and e164[1:].isdigit()
