"""Read a follow-up date out of a spoken note ("by Friday", "next week", "on the 3rd") with dateparser."""

from __future__ import annotations

import calendar
import re
import warnings
from datetime import date, datetime, timedelta

from ..models import FollowUp

_ORDINAL_DAY = re.compile(r"\b(?:on |by |until |before )?the (\d{1,2})(?:st|nd|rd|th)\b(?! of)", re.I)
_MONTHS = "|".join(m.lower() for m in calendar.month_name[1:] + calendar.month_abbr[1:])
_HAS_MONTH = re.compile(rf"\b({_MONTHS})\b", re.I)
# dateparser also reads bare numbers and words like "may" or "second" as dates; a phrase must carry
# one of these to count as a follow-up date.
_DATE_WORD = re.compile(
    r"\b(today|tonight|tomorrow|week|weeks|month|months|day|days|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    rf"{_MONTHS})\b|\d{{1,2}}[/.-]\d{{1,2}}",
    re.I,
)
_NOT_A_DATE = re.compile(r"^(?:may|march|sun|sat|wed)$", re.I)  # words, not dates, when they stand alone


def read_followup(text: str, now: datetime) -> FollowUp | None:
    """The first future date the note names, or None. `now` is the rep's local time."""
    day = _ordinal_day(text, now.date())
    if day:
        return day
    from dateparser.search import search_dates

    settings = {
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": now.replace(tzinfo=None),
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    with warnings.catch_warnings():  # dateparser warns about pytz/regex internals on some versions
        warnings.simplefilter("ignore")
        try:
            found = search_dates(text, languages=["en"], settings=settings)
        except (ValueError, OverflowError, RecursionError):
            return None
    for phrase, when in found or ():
        phrase = phrase.strip()
        if not _DATE_WORD.search(phrase) or _NOT_A_DATE.match(phrase):
            continue
        if _HAS_MONTH.search(phrase) and not re.search(r"\d", phrase) and phrase.lower().startswith("in "):
            when = when.replace(day=1)  # "in March" means from the start of March
        due = when.date()
        if due < now.date():
            continue
        return FollowUp(due=due, phrase=phrase)
    return None


def _ordinal_day(text: str, today: date) -> FollowUp | None:
    """ "on the 3rd" (no month named): the next 3rd from today; dateparser reads it as March."""
    match = _ORDINAL_DAY.search(text)
    if not match or _HAS_MONTH.search(text[match.end() : match.end() + 12]):
        return None
    day = int(match.group(1))
    if not 1 <= day <= 31:
        return None
    year, month = today.year, today.month
    for _ in range(13):
        if day <= calendar.monthrange(year, month)[1]:
            candidate = date(year, month, day)
            if candidate >= today:
                return FollowUp(due=candidate, phrase=match.group(0).strip())
        month = month % 12 + 1
        year += month == 1
    return None


def describe(due: date, today: date) -> str:
    """'today', 'tomorrow', 'Friday 4 December' or '4 December 2027'."""
    if due == today:
        return "today"
    if due == today + timedelta(days=1):
        return "tomorrow"
    text = f"{due:%A} {due.day} {due:%B}"
    return text if due.year == today.year or (due - today).days < 180 else f"{text} {due.year}"


_HOUR_WORDS = {
    w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())
}
_BARE_HOUR = re.compile(
    r"\b(at|around|by|after)\s+(\w+)(?![:.]\d)(?:\s*(am|pm|a\.m\.|p\.m\.|o'clock))?\b", re.I
)
_AFTERNOON_BELOW = 8  # a bare hour below this is in the afternoon: "at two" is 14:00, "at ten" 10:00


def read_callback(text: str, now: datetime) -> datetime | None:
    """When a callback is due ("tomorrow at ten", "Monday at 2pm", "in two hours"), read like follow-up
    dates, in the zone of `now` (the lead's local time); a day without a time means this time of day."""
    text = _spell_hours(text)
    from dateparser.search import search_dates

    base = now.replace(tzinfo=None)
    settings = {"PREFER_DATES_FROM": "future", "RELATIVE_BASE": base, "RETURN_AS_TIMEZONE_AWARE": False}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            found = search_dates(text, languages=["en"], settings=settings)
        except (ValueError, OverflowError, RecursionError):
            return None
    if not found:
        return None
    # dateparser finds "tomorrow" and "at 10:00" as two phrases: a day, then a time of day on it.
    day, clock = None, None
    for phrase, when in found:
        if _DATE_WORD.search(phrase) or re.search(r"\bin\b", phrase):
            day = day or when
        if re.search(r"\d:\d\d|\b(am|pm)\b", phrase, re.I):
            clock = clock or when
    first = day or clock or found[0][1]
    if day is not None and clock is not None and clock.date() != day.date():
        first = datetime.combine(day.date(), clock.time())
    due = first.replace(tzinfo=now.tzinfo)
    if due <= now and day is None:
        due += timedelta(days=1)  # "at ten" said after ten: tomorrow's
    return due if due > now else None


def _spell_hours(text: str) -> str:
    """ "at ten" -> "at 10:00", "at two" -> "at 14:00": dateparser reads neither."""

    def hour(match: re.Match[str]) -> str:
        word, suffix = match.group(2).lower(), (match.group(3) or "").lower().replace(".", "")
        value = _HOUR_WORDS.get(word, int(word) if word.isdigit() else -1)
        if not 1 <= value <= 12:
            return match.group(0)
        if suffix == "am":
            value %= 12
        elif value < 12 and (suffix == "pm" or value < _AFTERNOON_BELOW):
            value += 12
        return f"{match.group(1)} {value:02d}:00"

    return _BARE_HOUR.sub(hour, text)
