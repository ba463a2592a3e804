"""Calling safely: the right person, at the right time, never twice; every refusal is a call-log row."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from assistant.compliance import Rules, check, read_dnc_file, window
from assistant.models import CallRequest, CallStatus, Contact, PhoneNumber, PlacedCall, Transcript, Utterance

from .conftest import StepClock
from .test_cli import callbot, env  # noqa: F401  (the env fixture)

LA = ZoneInfo("America/Los_Angeles")
NIGHT = datetime(2026, 11, 27, 22, 30, tzinfo=LA)  # Friday 22:30 in California
MORNING = datetime(2026, 11, 27, 10, 0, tzinfo=LA)


def rows(store):
    return store.recent_calls(limit=None)[::-1]


def test_outside_calling_hours_asks_and_the_override_is_logged(run_text, book_store):
    run = run_text("call jane doe", "yes", "no", clock=StepClock(NIGHT))
    assert (
        "It's 22:30 on Friday for Jane Doe (Los Angeles); calls are allowed between 08:00 and 21:00"
        in run.output
    )
    assert run.output.count("Call anyway?") == 1 and len(run.carrier.placed) == 1
    [call] = rows(book_store)
    assert call.status == CallStatus.COMPLETED
    assert "it's 22:30 on Friday for Jane Doe" in call.override and "said call anyway" in call.override


def test_outside_calling_hours_declined_is_a_blocked_row(run_text, book_store):
    run = run_text("call jane doe", "no", clock=StepClock(NIGHT))
    assert run.carrier.placed == []
    [call] = rows(book_store)
    assert call.status == CallStatus.BLOCKED and call.reason.endswith("not overridden")


def test_outside_hours_refused_when_configured(run_text, book_store):
    rules = Rules({i: (time(8), time(21)) for i in range(7)}, outside_hours="refuse")
    run = run_text("call jane doe", clock=StepClock(NIGHT), rules=rules)
    assert "I won't make that call: it's 22:30 on Friday for Jane Doe" in run.output
    assert "Call anyway?" not in run.output and run.carrier.placed == []
    assert rows(book_store)[0].status == CallStatus.BLOCKED


def test_the_callees_zone_not_the_reps(run_text, book_store):
    """07:30 in California is 10:30 in New York: Kelly Chen (New York) may be called, Jane Doe may not."""
    early = StepClock(datetime(2026, 11, 27, 7, 30, tzinfo=LA))
    run = run_text("call kelly chen", "yes", "call jane doe", "no", clock=early)
    assert [(c.contact_name, c.status) for c in rows(book_store)] == [
        ("Kelly Chen", CallStatus.NO_ANSWER),
        ("Jane Doe", CallStatus.BLOCKED),
    ]
    assert "it's 07:30 on Friday for Jane Doe" in run.output


def test_do_not_call_contact_is_refused_whatever_the_policy(run_text, book_store):
    run = run_text("call dmitri volkov", confirm="never")
    assert "I won't make that call: Dmitri Volkov is marked do-not-call." in run.output
    assert run.carrier.placed == []
    [call] = rows(book_store)
    assert (call.status, call.outcome, call.reason) == (
        CallStatus.BLOCKED,
        "blocked",
        "Dmitri Volkov is marked do-not-call",
    )


def test_dont_call_jane_again_by_voice(run_text, book_store):
    run_text("don't call jane smith again", "yes")
    smith = next(c for c in book_store.contacts() if c.name == "Jane Smith")
    assert smith.do_not_call and all(book_store.dnc_reason(n.e164) for n in smith.numbers)
    run = run_text("call jane smith on work")
    assert "on the do-not-call list" in run.output or "marked do-not-call" in run.output
    assert run.carrier.placed == [] and rows(book_store)[-1].status == CallStatus.BLOCKED


def test_a_number_from_a_dnc_list_file_is_refused_end_to_end(env, tmp_path):  # noqa: F811
    """`[compliance] dnc_file` as a user sets it, through `callbot text`: a CSV whose first cell is a date
    (read once as the number, which let the real one through)."""
    from .conftest import EXAMPLE_CONTACTS
    from .test_cli import stored

    listing = tmp_path / "state-dnc.csv"
    listing.write_text("added,number,source\n2024-01-15,+1 415 555 0101,state list\n")
    config = tmp_path / "callbot.toml"
    config.write_text(f"[compliance]\ndnc_file = {json.dumps(str(listing))}\n")
    env = {**env, "CALLBOT_CONFIG": str(config)}
    callbot(env, "contacts", "import", str(EXAMPLE_CONTACTS))
    result = callbot(env, "text", stdin="call jane doe\nyes\n")
    assert f"Jane Doe's number is on the do-not-call list (listed in {listing})" in result.stdout
    assert "Calling" not in result.stdout
    [call] = stored(env).recent_calls()
    assert (call.status, call.to_number) == (CallStatus.BLOCKED, "+14155550101")
    assert call.provider_call_id == ""  # no carrier ever heard of it


@pytest.mark.parametrize(
    ("written", "numbers"),
    [
        ("2024-01-15,+1 415 555 0101\n", ["+14155550101"]),  # a date before the number
        ("number,source\n+1 (415) 555-0101,state list\n", ["+14155550101"]),  # a header
        ("added;mobile;work\n2024-01-15;(415) 555-0101;415.555.0102\n", ["+14155550101", "+14155550102"]),
        ("Name\tPhone\nJane Doe\t415-555-0101\n", ["+14155550101"]),  # tab-separated, another column
        ('id,"phones"\n17,"415 555 0101, 415 555 0102"\n', ["+14155550101", "+14155550102"]),
        ("+1 415 555 0134\n415-555-0135\n4155550136\n", ["+14155550134", "+14155550135", "+14155550136"]),
        ("# state list\n\n+44 20 7946 0612\n", ["+442079460612"]),  # a comment, a blank line, abroad
    ],
)
def test_dnc_files_are_read_as_csv_with_numbers_anywhere(written: str, numbers: list[str]):
    read = read_dnc_file(written)  # in the default region, US
    assert list(read) == numbers
    assert read.problems == ()


def test_dnc_numbers_without_a_country_code_are_read_in_the_users_region():
    assert list(read_dnc_file("020 7946 0018\n", "GB")) == ["+442079460018"]
    in_us = read_dnc_file("020 7946 0018\n", "US")  # not a US number: said so, not silently dropped
    assert list(in_us) == [] and [str(p) for p in in_us.problems] == [
        "dnc file:1: no number read, so nothing blocked: '020 7946 0018' is not a valid phone number; "
        "numbers outside US need their +country code"
    ]


def test_a_dnc_line_nothing_can_be_read_from_is_reported_and_the_rest_loads():
    read = read_dnc_file(
        "number,source\n+1 415 555 0101,state\nbogus,state\n2024-01-16,+1 415 555 01\n415 555 0102,x\n",
        "US",
        "state-dnc.csv",
    )
    assert list(read) == ["+14155550101", "+14155550102"]
    assert [str(p) for p in read.problems] == [
        "state-dnc.csv:3: no phone number in 'bogus,state', so nothing blocked",
        "state-dnc.csv:4: no number read, so nothing blocked: '+1 415 555 01' is not a valid phone number",
    ]


def test_a_country_not_allowed_is_refused_before_any_carrier_request(run_text, book_store):
    run = run_text("call liam obrien", confirm="never")
    assert "Liam O'Brien's number is in United Kingdom, which you may not call (allowed: US)" in run.output
    assert run.carrier.placed == [] and rows(book_store)[0].status == CallStatus.BLOCKED


def test_a_dnc_file_the_csv_module_cannot_read_is_read_line_by_line():
    read = read_dnc_file('number\n"' + "x" * 200_000 + '"\n+1 415 555 0102\n', "US", "big.csv")
    assert list(read) == ["+14155550102"]
    assert str(read.problems[0]).startswith("big.csv:2: not readable as CSV (field larger than field limit")


@pytest.mark.parametrize(
    ("number", "country"),
    [
        ("+441624756789", "Isle of Man"),
        ("+38922012345", "North Macedonia"),
        ("+8222123456", "South Korea"),
        ("+12842291234", "British Virgin Islands"),
    ],
)
def test_a_refused_country_is_named_as_people_say_it(number: str, country: str):
    every_day = Rules({i: window("08:00-21:00") for i in range(7)})
    verdict = check(None, number, MORNING, every_day, lambda n: None)
    assert (verdict.rule, verdict.reason) == (
        "country",
        f"{number}'s number is in {country}, which you may not call (allowed: US)",
    )


def test_international_and_first_calls_are_confirmed(run_text, book_store):
    gb = Rules({i: (time(0), time(23, 59)) for i in range(7)}, countries=("US", "GB"))
    international = run_text("call liam obrien", "yes", "no", confirm="unsure", rules=gb)
    assert "Call Liam O'Brien on mobile, +44 20 7946 0612?" in international.output
    first = run_text("call robert martinez", "yes", confirm="unsure")
    assert "Call Robert Martinez on mobile, +1 415 555 0142?" in first.output  # never called before
    later = run_text("call robert martinez", confirm="unsure", clock=StepClock(MORNING + timedelta(hours=3)))
    assert "Call Robert Martinez on mobile" not in later.output  # called before: a clear name goes ahead
    assert len(later.carrier.placed) == 1


def test_low_confidence_name_is_asked_about_never_dialled(book_store):
    import io

    from assistant.console import PrintVoice
    from assistant.contacts.book import ContactBook
    from assistant.ports import EndOfInput
    from assistant.session import Session, SessionSettings
    from assistant.telephony.simulator import Simulator

    class Ear:
        def __init__(self) -> None:
            self.said = [Transcript("call kelly chen", confidence=0.7), Transcript("no", confidence=0.99)]

        def listen(self, expect, timeout=None):
            if not self.said:
                raise EndOfInput
            return Utterance(self.said.pop(0))

    carrier = Simulator()
    out = io.StringIO()
    Session(
        ear=Ear(),
        voice=PrintVoice(out),
        telephony=carrier,
        log=book_store,
        book=ContactBook(book_store),
        settings=SessionSettings(rep="tester", confirm="never", cancel_window=0),
        clock=StepClock(MORNING),
    ).run()
    assert "Did you mean Kelly Chen at Umbrella Corp?" in out.getvalue() and carrier.placed == []


def test_the_same_person_again_within_the_window_asks_first(run_text, book_store):
    run = run_text("call jane doe", "yes", "no note", "call jane doe", "no", confirm="never")
    assert "You called Jane Doe a minute ago. Call again?" in run.output
    first, second = rows(book_store)
    assert first.status == CallStatus.COMPLETED
    assert (second.status, second.reason) == (
        CallStatus.CANCELED,
        "already called 1 min before; not repeated",
    )
    assert len(run.carrier.placed) == 1


def test_one_call_at_a_time(run_text, book_store):
    """Another callbot process of the same rep has a call ringing: a second one is refused."""
    elsewhere = CallRequest(to="+16465550177", contact_name="Kelly Chen", rep="tester")
    book_store.now = lambda: MORNING  # type: ignore[method-assign]
    book_store.begin_call(elsewhere, provider="simulator")
    book_store.call_placed(PlacedCall(elsewhere.key, "simulator", "SMelsewhere", status=CallStatus.RINGING))
    run = run_text("call jane doe", confirm="never", clock=StepClock(MORNING + timedelta(minutes=1)))
    assert "I won't make that call: another call is in progress (with Kelly Chen)." in run.output
    assert run.carrier.placed == [] and rows(book_store)[-1].status == CallStatus.BLOCKED


def test_the_cancel_window_is_logged(run_text, book_store):
    run = run_text("call jane doe", "stop", confirm="never", cancel_window=3)
    assert "Calling Jane Doe in 3 seconds. Say cancel to stop." in run.output and run.carrier.placed == []
    assert rows(book_store)[0].status == CallStatus.CANCELED


def test_rules_directly():
    rules = Rules({i: window("08:00-21:00") for i in range(6)} | {6: None})
    jane = Contact("Jane", (PhoneNumber("+14155550101"),))
    sunday = datetime(2026, 11, 29, 12, 0, tzinfo=LA)
    verdict = check(jane, "+14155550101", sunday, rules, lambda n: None)
    assert not verdict.allowed and verdict.rule == "hours" and "on Sundays" in verdict.reason
    # A toll-free number may be anywhere in North America: the strictest zone decides
    tollfree = check(
        None,
        "+18005550199",
        datetime(2026, 11, 27, 8, 30, tzinfo=ZoneInfo("America/New_York")),
        rules,
        lambda n: None,
    )
    assert not tollfree.allowed and tollfree.rule == "hours"


def test_parse_json_names_the_rule_that_blocks(env):  # noqa: F811
    from .conftest import EXAMPLE_CONTACTS

    callbot(env, "contacts", "import", str(EXAMPLE_CONTACTS))
    night = {**env, "CALLBOT_NOW": NIGHT.isoformat()}
    hours = json.loads(callbot(night, "parse", "call jane doe", "--json").stdout)["compliance"]
    assert hours["allowed"] is False and hours["rule"] == "hours" and hours["may_override"] is True
    dnc = json.loads(callbot(env, "parse", "call dmitri volkov", "--json").stdout)["compliance"]
    assert dnc == {
        "allowed": False,
        "rule": "dnc",
        "reason": "Dmitri Volkov is marked do-not-call",
        "may_override": False,
        "callee_time": None,
    }
    fine = json.loads(callbot(env, "parse", "call jane doe", "--json").stdout)["compliance"]
    assert fine["allowed"] is True and fine["rule"] is None


def test_dnc_commands(env, tmp_path):  # noqa: F811
    listing = tmp_path / "state-dnc.txt"
    listing.write_text("+1 415 555 0134\n415-555-0135\nnot a number\n")
    imported = callbot(env, "dnc", "import", str(listing)).stdout
    assert "2 numbers added" in imported
    assert f"{listing}:3: " in " ".join(imported.split())  # the line nothing was read from is named
    assert "2 numbers." in callbot(env, "dnc", "list").stdout
    assert "may be called again" in callbot(env, "dnc", "remove", "+14155550134").stdout
    assert "1 numbers added" in callbot(env, "dnc", "add", "+14155550111", "--reason", "asked").stdout
