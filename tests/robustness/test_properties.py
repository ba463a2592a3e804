"""Arbitrary text and files never crash the parser, the resolver, the importers or the date reader:
they answer, or raise callbot's own clear error."""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.calllog.followups import read_followup
from assistant.contacts.importers import read_contacts
from assistant.contacts.numbers import BadNumber, normalize
from assistant.contacts.resolver import Resolver
from assistant.errors import CallbotError
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


@SETTINGS
@given(st.lists(text, min_size=1, max_size=3), st.text(max_size=20), st.text(max_size=20))
def test_resolver_always_decides(queries: list[str], label: str, company: str):
    resolution = RESOLVER.resolve(queries, label=label, company=company)
    assert resolution.action in (Action.DIAL, Action.ASK, Action.REFUSE)
    if resolution.action == Action.DIAL:
        assert resolution.contact is not None and resolution.number is not None
    assert len(resolution.candidates) <= 5 or resolution.action != Action.ASK


@SETTINGS
@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=20), text)
def test_resolver_over_arbitrary_books(names: list[str], query: str):
    book = [Contact(n, (PhoneNumber("+14155550100"),), id=i) for i, n in enumerate(names)]
    assert Resolver(book).resolve(query).action in (Action.DIAL, Action.ASK, Action.REFUSE)


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
@given(data=st.binary(max_size=300))
def test_importers_survive_random_bytes(tmp_path_factory, data: bytes):
    path = Path(tmp_path_factory.mktemp("bytes")) / "anything.vcf"
    path.write_bytes(data)
    with contextlib.suppress(CallbotError):
        read_contacts(path)


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
