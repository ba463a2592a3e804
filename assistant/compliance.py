"""May we call now? Do-not-call lists, the countries allowed, and calling hours in the callee's local time.

Pure rules: the dialog asks them before every call, for every carrier, before anything reaches a carrier.
A do-not-call entry and a country outside the allow-list are refusals; calling hours either ask the user
("It's 22:14 for Jane in Los Angeles. Call anyway?") or refuse, as configured.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .contacts.importers import Problem
from .contacts.numbers import BadNumber, callee_zones, country_name, normalize, numbers_in, region_of
from .models import Contact

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WINDOW = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def window(text: str) -> tuple[time, time] | None:
    """ "08:00-21:00" -> (08:00, 21:00); "" -> None (no calls that day)."""
    text = text.replace(" ", "")
    if not text:
        return None
    match = _WINDOW.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a calling window like 08:00-21:00")
    start = time(int(match.group(1)), int(match.group(2)))
    end = time(23, 59, 59) if match.group(3) == "24" else time(int(match.group(3)), int(match.group(4)))
    if end <= start:
        raise ValueError(f"{text!r}: the window must end after it starts")
    return start, end


@dataclass(frozen=True)
class Rules:
    hours: Mapping[int, tuple[time, time] | None]  # weekday (0 = Monday) -> window, None = no calls
    outside_hours: str = "ask"  # ask | refuse
    countries: tuple[str, ...] = ("US",)

    @classmethod
    def from_settings(
        cls, calling_hours: str, days: Mapping[str, str], outside_hours: str, countries: Sequence[str]
    ) -> Rules:
        default = window(calling_hours)
        hours = {i: window(days[d]) if d in days else default for i, d in enumerate(DAYS)}
        return cls(hours, outside_hours, tuple(c.upper() for c in countries))


@dataclass(frozen=True)
class Verdict:
    """Whether a call may go ahead now; `rule` names what stops it (dnc, country, hours)."""

    allowed: bool
    rule: str = ""
    reason: str = ""
    may_override: bool = False  # the user may say "call anyway"
    callee_time: datetime | None = None
    callee_zone: str = ""


ALLOWED = Verdict(True)


def check(
    contact: Contact | None,
    e164: str,
    now: datetime,
    rules: Rules,
    listed: Callable[[str], str | None],
) -> Verdict:
    """The first rule this call breaks, or ALLOWED. `listed(e164)` says why a number is on a DNC list."""
    name = contact.name if contact else e164
    if contact is not None and contact.do_not_call:
        return Verdict(False, "dnc", f"{name} is marked do-not-call")
    reason = listed(e164)
    if reason:
        return Verdict(False, "dnc", f"{name}'s number is on the do-not-call list ({reason})")
    region = region_of(e164)
    if region not in rules.countries:
        where = country_name(region) if region else "an unknown country"
        return Verdict(
            False,
            "country",
            f"{name}'s number is in {where}, which you may not call (allowed: {', '.join(rules.countries)})",
        )
    return _hours(name, e164, contact.timezone if contact else "", now, rules)


def _hours(name: str, e164: str, contact_zone: str, now: datetime, rules: Rules) -> Verdict:
    """Every zone the callee may be in must be inside its window (the strictest reading)."""
    zones = [z for z in callee_zones(e164, contact_zone) if _zone(z)]
    for zone_name in zones or ["UTC"]:
        local = now.astimezone(ZoneInfo(zone_name))
        allowed = rules.hours.get(local.weekday())
        if allowed is None or not (allowed[0] <= local.time() <= allowed[1]):
            span = f"between {allowed[0]:%H:%M} and {allowed[1]:%H:%M}" if allowed else f"on {local:%A}s"
            place = zone_name.split("/")[-1].replace("_", " ")
            reason = (
                f"it's {local:%H:%M} on {local:%A} for {name} ({place}); "
                f"calls are allowed {span} in the callee's time"
            )
            return Verdict(False, "hours", reason, rules.outside_hours == "ask", local, zone_name)
    return ALLOWED


def _zone(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


@dataclass(frozen=True)
class DncList:
    """A do-not-call file as read: its numbers (E.164, in file order) and every line none could be read from.

    Iterating over it gives the numbers. A line that is dropped is a problem, never silence: a do-not-call
    number lost on the way in is a call that breaks the law.
    """

    numbers: tuple[str, ...]
    problems: tuple[Problem, ...] = ()

    def __iter__(self) -> Iterator[str]:
        return iter(self.numbers)


def read_dnc_file(text: str, region: str = "US", source: str = "dnc file") -> DncList:
    """Numbers from a do-not-call list: one per line, or a CSV (any dialect, with or without a header)
    with numbers in any column or columns. Numbers without a +country code are read in `region`."""
    numbers: dict[str, None] = {}
    problems: list[Problem] = []
    first_row = True
    for line, cells in _rows(text, source, problems):
        written = " ".join(cells).strip()
        if not written or written.startswith("#"):  # blank lines and comments
            continue
        found = [e164 for cell in cells for e164 in numbers_in(cell, region)]
        numbers.update(dict.fromkeys(found))
        header = first_row and sum(ch.isdigit() for ch in written) < 7
        first_row = False
        if not found and not header:
            problems.append(Problem(source, line, _why_not(cells, region)))
    return DncList(tuple(numbers), tuple(problems))


def _rows(text: str, source: str, problems: list[Problem]) -> list[tuple[int, list[str]]]:
    """(line, cells) of each row, from where the row starts (a quoted cell may span lines). A file the csv
    module cannot read is read line by line instead, and says so."""
    reader = csv.reader(io.StringIO(text, newline=""), _dialect(text))
    rows: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(source, reader.line_num, f"not readable as CSV ({exc}); read line by line"))
        return [(n, [raw]) for n, raw in enumerate(text.splitlines(), start=1)]
    return rows


def _dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    """The CSV dialect of the file; plain one-number-per-line text reads as a CSV of one column."""
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _why_not(cells: list[str], region: str) -> str:
    """What is wrong with a line no number could be read from, in the number reader's words."""
    for cell in sorted(cells, key=lambda c: -sum(ch.isdigit() for ch in c)):
        if sum(ch.isdigit() for ch in cell) >= 3:
            try:
                normalize(cell, region)
            except BadNumber as exc:
                return f"no number read, so nothing blocked: {exc}"
    return f"no phone number in {','.join(cells)[:60]!r}, so nothing blocked"
