"""Follow-up dates read from spoken notes."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from assistant.calllog.followups import describe, read_followup

NOW = datetime(2026, 11, 27, 10, 0)  # a Friday


@pytest.mark.parametrize(
    ("note", "due"),
    [
        ("she wants the updated quote by friday", date(2026, 12, 4)),
        ("call back next week", date(2026, 12, 4)),
        ("send the contract on the 3rd", date(2026, 12, 3)),
        ("she is on vacation until the 15th", date(2026, 12, 15)),
        ("follow up in two weeks", date(2026, 12, 11)),
        ("follow up tomorrow morning", date(2026, 11, 28)),
        ("meet on december 10", date(2026, 12, 10)),
        ("call her back on monday", date(2026, 11, 30)),
        ("he said maybe in march", date(2027, 3, 1)),
        ("check back in 3 days", date(2026, 11, 30)),
        ("follow up on 12/15", date(2026, 12, 15)),
        ("next tuesday works", date(2026, 12, 1)),
    ],
)
def test_dates_in_notes(note: str, due: date):
    found = read_followup(note, NOW)
    assert found is not None and found.due == due, note


@pytest.mark.parametrize(
    "note",
    [
        "she has 2 kids and a dog",
        "no follow-up needed",
        "call me at 5",
        "may be interested",
        "the deal is worth 10000 dollars",
        "",
        "   ",
    ],
)
def test_no_date_is_invented(note: str):
    assert read_followup(note, NOW) is None


def test_describe():
    today = date(2026, 11, 27)
    assert describe(today, today) == "today"
    assert describe(date(2026, 11, 28), today) == "tomorrow"
    assert describe(date(2026, 12, 4), today) == "Friday 4 December"
    assert describe(date(2027, 9, 1), today) == "Wednesday 1 September 2027"
