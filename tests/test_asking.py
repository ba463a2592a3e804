"""What a command leaves out is asked for, and what the ear cannot tell apart is asked about: "make a call",
"call a number", relations ("call my boss", "my boss is Priya Shah") and same-sounding names, through the
real dialog, parser, resolver, simulator and database."""

from __future__ import annotations

import io

import pytest

from assistant.console import PrintVoice, TextEar
from assistant.contacts.book import ContactBook
from assistant.models import Contact, PhoneNumber, Transcript, Utterance
from assistant.session import Session, SessionSettings
from assistant.speech.pronounce import Pronouncer
from assistant.telephony.simulator import Simulator

from .conftest import WORKDAY, StepClock

BOOK = [
    Contact(
        "Jon Reid", (PhoneNumber("+14155550201", "mobile"),), company="Stark", city="Denver",
        timezone="America/Los_Angeles",
    ),
    Contact(
        "John Reed", (PhoneNumber("+14155550202", "mobile"), PhoneNumber("+14155550203", "work")),
        company="Acme", city="Boston", timezone="America/Los_Angeles",
    ),
    Contact(
        "Priya Shah", (PhoneNumber("+14155550204", "mobile"),), company="Initech", relations=("manager",),
        timezone="America/Los_Angeles",
    ),
    Contact("Omar Haddad", (PhoneNumber("+14155550205", "mobile"),), timezone="America/Los_Angeles"),
]  # fmt: skip


class HeardEar(TextEar):
    """Lines as a recogniser would hand them over: heard, sure, not typed."""

    def listen(self, expect, timeout=None):
        utterance = super().listen(expect, timeout)
        assert utterance is not None and utterance.transcript is not None
        return Utterance(Transcript(utterance.text, confidence=0.97, engine="sphinx"), source="mic")


@pytest.fixture
def run(store):
    store.import_contacts(BOOK, source="test")
    clock = StepClock(WORKDAY.now())  # time moves on between calls
    store.now = clock.now  # type: ignore[attr-defined]

    def session(*lines: str, heard: bool = False) -> tuple[list[str], Simulator]:
        ear = (HeardEar if heard else TextEar)(io.StringIO("\n".join(lines) + "\n"))
        out = io.StringIO()
        carrier = Simulator({})
        Session(
            ear=ear,
            voice=PrintVoice(out),
            telephony=carrier,
            log=store,
            book=ContactBook(store, pronounce=Pronouncer().names),
            settings=SessionSettings(
                rep="tester",
                confirm="never",
                cancel_window=0,
                repeat_window=0,
                poll_interval=0.01,
                review_timeout=0,
            ),
            clock=clock,  # type: ignore[arg-type]
        ).run()
        replies = [
            ln.removeprefix("callbot: ") for ln in out.getvalue().splitlines() if ln.startswith("callbot")
        ]
        return replies, carrier

    return session


def dialled(carrier: Simulator) -> list[str]:
    return [request.to for request in carrier.placed]


def test_make_a_call_asks_who(run):
    replies, carrier = run("I'd like to make a call", "Omar Haddad", "no")
    assert replies[0] == "Who should I call?"
    assert dialled(carrier) == ["+14155550205"]


def test_make_a_call_can_be_left(run):
    replies, carrier = run("place a call", "never mind")
    assert replies[:2] == ["Who should I call?", "OK, not calling."]
    assert dialled(carrier) == []


def test_call_a_number_asks_for_it(run):
    replies, carrier = run("call a number", "four one five five five five oh two oh five", "yes", "no")
    assert replies[0] == "What number should I call?"
    assert dialled(carrier) == ["+14155550205"]


def test_a_relation_from_the_contacts_file(run):
    _, carrier = run("call my boss", "no")
    assert dialled(carrier) == ["+14155550204"]


def test_a_relation_nobody_has_says_how_to_teach_it(run):
    replies, carrier = run("call my wife")
    assert dialled(carrier) == []
    assert "wife" in replies[0] and "my wife is" in replies[0]


def test_a_relation_taught_by_voice_outranks_the_file(run, store):
    replies, _ = run("my boss is Omar Haddad")
    assert replies[0].startswith("Got it: Omar Haddad is your manager.")
    _, carrier = run("ring my manager", "no")
    assert dialled(carrier) == ["+14155550205"]
    # the next import of the file keeps what was said
    store.import_contacts(BOOK, source="test")
    _, carrier = run("call my boss", "no")
    assert dialled(carrier) == ["+14155550205"]


def test_same_sounding_names_heard_are_asked_about_with_what_tells_them_apart(run):
    replies, carrier = run("call john reed", "the one at Stark", "no", heard=True)
    assert replies[0] == (
        "John Reed at Acme in Boston and Jon Reid at Stark in Denver sound the same. "
        "Which one? Say the company, the city, first or second."
    )
    assert dialled(carrier) == ["+14155550201"]


def test_same_sounding_names_answered_by_city(run):
    _, carrier = run("call jon reid", "the one in Boston", "no", heard=True)
    assert dialled(carrier) == ["+14155550202"]


def test_a_company_or_label_only_one_has_settles_it(run):
    _, carrier = run("call john reed at acme", "no", heard=True)
    assert dialled(carrier) == ["+14155550202"]
    _, carrier = run("call jon reid on his work number", "no", heard=True)
    assert dialled(carrier) == ["+14155550203"]  # only John Reed has a work number


def test_typed_names_keep_their_spelling(run):
    replies, carrier = run("call jon reid", "no")
    assert "sound the same" not in " ".join(replies)
    assert dialled(carrier) == ["+14155550201"]


def test_an_extension_is_read_back_and_handed_to_the_carrier(run):
    replies, carrier = run("call 415 555 0205 extension one two", "yes", "no")
    assert replies[0] == "Call +1 415 555 0205 (Omar Haddad), extension 12?"
    [request] = carrier.placed
    assert (request.to, request.extension) == ("+14155550205", "12")
