"""Contact files in: Google and Outlook CSV, HubSpot and Salesforce exports, callbot's plain CSV, vCard.

Every reader yields contacts and problems; a bad row is reported by file and line and the rest imports.
"""

from __future__ import annotations

import difflib
import functools
import re
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import ContactsError
from ..language import canonical_relation
from ..models import Contact, PhoneNumber
from .csvfile import decode, read_csv
from .formats import detect
from .names import fold
from .numbers import BadNumber, country_region, normalize
from .raw import Problem, RawContact

__all__ = ["Problem", "RawContact", "ReadResult", "country_code", "decode", "iana_zone", "read_contacts"]


@dataclass
class ReadResult:
    format: str
    contacts: list[Contact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def read_contacts(path: str | Path, region: str = "US") -> ReadResult:
    """Read any supported contacts file; the format is detected from its content."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContactsError(f"cannot read {path}: {exc.strerror}") from None
    text = decode(data)
    if re.match(r"\s*BEGIN:VCARD", text, re.I):
        from .vcard import read_vcards

        fmt, raws, problems = "vcard", *read_vcards(text, str(path))
    else:
        fmt, raws, problems = read_csv(text, str(path), detect)
    result = ReadResult(fmt, problems=problems)
    seen: dict[str, int] = {}
    for raw in raws:
        contact = finish_contact(raw, str(path), region, result.problems, fmt)
        if contact is None:
            continue
        # Two rows for the same name and company are two people unless the file gave ids.
        count = seen.get(contact.source_key, 0)
        seen[contact.source_key] = count + 1
        if count:
            contact = Contact(**{**contact.__dict__, "source_key": f"{contact.source_key}#{count + 1}"})
        result.contacts.append(contact)
    result.contacts = _relate(raws, result.contacts, str(path), result.problems)
    result.problems.sort(key=lambda p: p.line)
    return result


def _relate(
    raws: list[RawContact], contacts: list[Contact], path: str, problems: list[Problem]
) -> list[Contact]:
    """Relations a card gives to other people ("Relation 1 - Type: Mother, Value: Linda Carter" on your own
    card, as Google and Apple keep them) become those people's relation to you."""
    by_name: dict[str, list[int]] = {}
    for i, contact in enumerate(contacts):
        by_name.setdefault(fold(contact.name), []).append(i)
    given: dict[int, list[str]] = {}
    for raw in raws:
        for relation, name in raw.related:
            found = by_name.get(fold(name), [])
            if len(found) != 1:
                why = "no contact" if not found else "more than one contact"
                problems.append(Problem(path, raw.line, f"{relation}: {why} named {name!r} here; not kept"))
                continue
            given.setdefault(found[0], []).append(canonical_relation(relation))
    return [
        replace(c, relations=tuple(dict.fromkeys((*c.relations, *given[i])))) if i in given else c
        for i, c in enumerate(contacts)
    ]


# -- checking ---------------------------------------------------------------------------------------------

_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}


def finish_contact(
    raw: RawContact, path: str, region: str, problems: list[Problem], fmt: str
) -> Contact | None:
    """Check and normalise one raw contact; problems are collected, a usable contact is kept."""
    if not raw.name.strip():
        problems.append(Problem(path, raw.line, "no name; skipped"))
        return None
    row_region = country_code(raw.country) or region
    numbers: list[PhoneNumber] = []
    failed: list[tuple[str, str, bool]] = []
    for label, written, primary in raw.numbers:
        if not written.strip():
            continue
        try:
            e164 = normalize(written, row_region)
        except BadNumber:
            failed.append((label, written, primary))
            continue
        if all(n.e164 != e164 for n in numbers):
            numbers.append(PhoneNumber(e164, label, primary))
    # A number written without its country code is tried in the country of the person's other numbers.
    others = {country_region(n.e164) for n in numbers} - {row_region, ""}
    for label, written, primary in failed:
        try:
            e164 = normalize(written, next(iter(others)) if len(others) == 1 else row_region)
            numbers.append(PhoneNumber(e164, label, primary))
        except BadNumber as exc:
            problems.append(Problem(path, raw.line, f"{raw.name}: {exc}; that number was skipped"))
    if not numbers:
        problems.append(Problem(path, raw.line, f"{raw.name}: no phone number callbot can dial; skipped"))
        return None
    timezone = ""
    if raw.timezone:
        timezone = iana_zone(raw.timezone)
        if not timezone:
            close = difflib.get_close_matches(raw.timezone, sorted(_zones()), n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            problems.append(
                Problem(
                    path,
                    raw.line,
                    f"{raw.name}: unknown time zone {raw.timezone!r}{hint}; the number's own zone is used",
                )
            )
    flag = raw.do_not_call.strip().lower()
    do_not_call = flag in _TRUE
    if flag not in _TRUE | _FALSE:
        do_not_call = True
        problems.append(
            Problem(
                path,
                raw.line,
                f"{raw.name}: do_not_call is {raw.do_not_call!r}, not true or false; "
                "treated as do-not-call to be safe",
            )
        )
    aliases = tuple(dict.fromkeys(a for a in raw.aliases if fold(a) and fold(a) != fold(raw.name)))
    key = raw.key or f"{fmt}:{fold(raw.name)}|{fold(raw.company)}"
    return Contact(
        name=" ".join(raw.name.split()),
        numbers=tuple(numbers),
        company=raw.company.strip(),
        aliases=aliases,
        timezone=timezone,
        do_not_call=do_not_call,
        source_key=key,
        city=raw.city.strip(),
        relations=tuple(dict.fromkeys(canonical_relation(r) for r in raw.relations if fold(r))),
    )


_COUNTRY_ALIASES = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "america": "US",
    "korea": "KR",
    "south korea": "KR",
    "russia": "RU",
}


@functools.lru_cache(maxsize=512)
def country_code(text: str) -> str:
    """ISO 3166 alpha-2 for a country as files write it ("United Kingdom", "USA", "gb"), or ""."""
    text = text.strip()
    if not text:
        return ""
    if text.lower() in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[text.lower()]
    import pycountry

    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return ""


@functools.lru_cache(maxsize=1)
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@functools.lru_cache(maxsize=1)
def _slugs() -> Mapping[str, str]:
    """HubSpot writes zones as slugs: america_slash_new_york."""
    return {z.lower().replace("/", "_slash_").replace("-", "_hyphen_"): z for z in _zones()}


def iana_zone(text: str) -> str:
    """An IANA zone name for what a file wrote (IANA, HubSpot slug, or a UTC offset), or ""."""
    text = text.strip()
    if text in _zones():
        return text
    if text.lower() in _slugs():
        return _slugs()[text.lower()]
    offset = re.fullmatch(r"(?:UTC|GMT)?\s*([+-])(\d{1,2}):?(\d{2})?", text, re.I)
    if offset and (offset.group(3) in (None, "00")):
        hours = int(offset.group(2))
        if hours <= 14:
            sign = "-" if offset.group(1) == "+" else "+"  # Etc/GMT signs are inverted
            return "Etc/UTC" if hours == 0 else f"Etc/GMT{sign}{hours}"
    return ""
