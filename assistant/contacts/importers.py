"""Contact files in: Google and Outlook CSV, HubSpot and Salesforce exports, callbot's plain CSV, vCard.

Every reader yields contacts and problems; a bad row is reported by file and line and the rest imports.
"""

from __future__ import annotations

import csv
import difflib
import functools
import io
import re
import zoneinfo
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import ContactsError
from ..intents import canonical_relation
from ..models import Contact, PhoneNumber
from .names import fold
from .numbers import BadNumber, country_region, normalize


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class ReadResult:
    format: str
    contacts: list[Contact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class RawContact:
    """One person as a file describes them, before numbers are checked."""

    line: int
    name: str
    company: str = ""
    numbers: list[tuple[str, str, bool]] = field(default_factory=list)  # (label, written number, primary)
    aliases: list[str] = field(default_factory=list)
    timezone: str = ""
    country: str = ""
    do_not_call: str = ""
    key: str = ""
    city: str = ""
    relations: list[str] = field(default_factory=list)  # this person is the user's ... ("mother")
    related: list[tuple[str, str]] = field(
        default_factory=list
    )  # (relation, name): that person is the user's


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
        fmt, raws, problems = _read_csv(text, str(path))
    result = ReadResult(fmt, problems=problems)
    seen: dict[str, int] = {}
    for raw in raws:
        contact = _finish(raw, str(path), region, result.problems, fmt)
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


def decode(data: bytes) -> str:
    """Text from a contacts file: BOM first, then UTF-16 by its NULs, then UTF-8, then Windows-1252."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    head = data[:200]
    if head and head.count(0) > len(head) // 5:
        return data.decode("utf-16-le" if head[1:2] == b"\x00" else "utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


# -- CSV --------------------------------------------------------------------------------------------------


class Row:
    """One CSV record with case- and space-insensitive column access."""

    def __init__(self, header: list[str], values: list[str], line: int):
        self.line = line
        self._values = {_norm(h): v.strip() for h, v in zip(header, values, strict=False)}

    def get(self, *names: str) -> str:
        for name in names:
            value = self._values.get(_norm(name), "")
            if value:
                return value
        return ""

    def matching(self, pattern: str) -> list[tuple[str, str]]:
        rx = re.compile(pattern)
        return [(k, v) for k, v in self._values.items() if rx.fullmatch(k)]


def _norm(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").strip().lower().split())


def _records(text: str, path: str, problems: list[Problem]) -> Iterator[tuple[int, list[str]]]:
    """CSV records with their first line; a quote left open is reported and reading resumes after it."""
    lines = text.splitlines(keepends=True)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff("".join(lines[:5]), delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    start = 0
    width = None
    while start < len(lines):
        reader = csv.reader(io.StringIO("".join(lines[start:])), dialect)
        restart = None
        line_no = start
        try:
            for record in reader:
                first = line_no + 1
                line_no = start + reader.line_num
                if width is None:
                    width = len(record)
                spans = line_no - first + 1
                if width and len(record) != width and spans > 1 and any("\n" in v for v in record):
                    problems.append(
                        Problem(
                            path,
                            first,
                            f"a quoted field opened here never closes; read again from line {first + 1}",
                        )
                    )
                    restart = first  # 0-based index of the next line
                    break
                yield first, record
        except csv.Error as exc:
            problems.append(
                Problem(path, line_no + 1, f"unreadable CSV ({exc}); read again from the next line")
            )
            restart = line_no + 1
        if restart is None:
            return
        start = restart


def _read_csv(text: str, path: str) -> tuple[str, list[RawContact], list[Problem]]:
    problems: list[Problem] = []
    records = _records(text, path, problems)
    try:
        _, header = next(records)
    except StopIteration:
        raise ContactsError(f"{path} is empty") from None
    fmt, mapper = _detect(header, path)
    raws: list[RawContact] = []
    for line, values in records:
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            if fmt == "salesforce" and sum(1 for v in values if v.strip()) <= 1:
                break  # a report export's footer (title, copyright) follows the data
            problems.append(
                Problem(
                    path,
                    line,
                    f"expected {len(header)} fields, found {len(values)} (a stray comma or quote?)",
                )
            )
            continue
        raw = mapper(Row(header, values, line))
        if raw is not None:
            raws.append(raw)
    return fmt, raws, problems


def _detect(header: list[str], path: str) -> tuple[str, Callable[[Row], RawContact | None]]:
    cols = {_norm(h) for h in header}
    if any(re.fullmatch(r"phone \d+ - (label|value|type)", c) for c in cols):
        return "google", _google
    if cols & {"record id", "contact id"} and cols & {"phone number", "mobile phone number", "contact owner"}:
        return "hubspot", _hubspot
    if {"firstname", "lastname"} <= cols or ("account name" in cols and cols & {"mobile", "mobile phone"}):
        return "salesforce", _salesforce
    if "mobile phone" in cols and cols & {"business phone", "home phone"}:
        return "outlook", _outlook
    if "name" in cols and cols & {"mobile", "work", "home", "phone", "number"}:
        return "plain", _plain
    raise ContactsError(
        f"{path}: the header row ({', '.join(header[:6])}...) is not a format callbot knows. "
        "Use a Google, Outlook, HubSpot or Salesforce export, a vCard file, or a CSV with the columns "
        "name, company, mobile, work, home, aliases, timezone, do_not_call"
    )


def _compose(first: str, last: str, full: str = "") -> str:
    return " ".join(f"{first} {last}".split()) or " ".join(full.split())


def _split_aliases(text: str) -> list[str]:
    return [a.strip() for a in re.split(r"[;,]|:::", text) if a.strip()]


def _plain(row: Row) -> RawContact:
    name = row.get("name")
    if "," in name and name.count(",") == 1:  # "Lee, Min-jun" -> "Min-jun Lee"
        last, first = (p.strip() for p in name.split(","))
        name = f"{first} {last}"
    numbers = [(label, row.get(label), False) for label in ("mobile", "work", "home", "main", "other")]
    if row.get("phone", "number"):
        numbers.append(("mobile", row.get("phone", "number"), False))
    return RawContact(
        line=row.line,
        name=name,
        company=row.get("company"),
        numbers=[n for n in numbers if n[1]],
        aliases=_split_aliases(row.get("aliases", "alias")),
        timezone=row.get("timezone", "time zone", "tz"),
        country=row.get("country"),
        do_not_call=row.get("do_not_call", "do not call", "dnc"),
        city=row.get("city"),
        relations=_split_aliases(row.get("relation", "relationship")),
    )


_GOOGLE_LABELS = {
    "mobile": "mobile",
    "cell": "mobile",
    "work mobile": "mobile",
    "work": "work",
    "business": "work",
    "home": "home",
    "main": "main",
    "other": "other",
}


def _google(row: Row) -> RawContact:
    name = _compose(row.get("first name", "given name"), row.get("last name", "family name"), row.get("name"))
    company = row.get("organization name", "organisation name", "organization 1 - name")
    numbers: list[tuple[str, str, bool]] = []
    for key, value in row.matching(r"phone \d+ - value"):
        label_text = row.get(key.replace("value", "label"), key.replace("value", "type"))
        labels = [lbl.strip() for lbl in label_text.split(":::")] or [""]
        for i, number in enumerate(v.strip() for v in value.split(":::")):
            label = labels[i] if i < len(labels) else labels[0]
            primary = label.startswith("*")
            label = label.lstrip("* ").lower()
            if "fax" in label or "pager" in label:
                continue
            numbers.append((_GOOGLE_LABELS.get(label, "other"), number, primary))
    country = next((v for k, v in row.matching(r"address \d+ - country") if v), "")
    city = next((v for k, v in row.matching(r"address \d+ - city") if v), "")
    related = []
    for key, value in row.matching(r"relation \d+ - value"):
        kind = row.get(key.replace("value", "label"), key.replace("value", "type")).lstrip("* ")
        if kind and value:
            related += [(kind, v.strip()) for v in value.split(":::") if v.strip()]
    return RawContact(
        row.line,
        name,
        company,
        numbers,
        _split_aliases(row.get("nickname")),
        country=country,
        city=city,
        related=related,
    )


_OUTLOOK_PHONES = (
    ("mobile phone", "mobile"),
    ("business phone", "work"),
    ("business phone 2", "work"),
    ("company main phone", "main"),
    ("home phone", "home"),
    ("home phone 2", "home"),
    ("primary phone", "other"),
    ("other phone", "other"),
    ("car phone", "other"),
    ("callback", "other"),
    ("radio phone", "other"),
    ("isdn", "other"),
    ("assistant's phone", "other"),
)


def _outlook(row: Row) -> RawContact:
    name = _compose(row.get("first name"), row.get("last name"))
    numbers = [(label, row.get(col), False) for col, label in _OUTLOOK_PHONES if row.get(col)]
    country = row.get(
        "business country/region",
        "home country/region",
        "other country/region",
        "business country",
        "home country",
    )
    city = row.get("business city", "home city", "other city")
    return RawContact(
        row.line,
        name,
        row.get("company"),
        numbers,
        _split_aliases(row.get("nickname")),
        country=country,
        city=city,
    )


def _hubspot(row: Row) -> RawContact:
    name = _compose(row.get("first name"), row.get("last name"))
    numbers = [
        ("mobile", row.get("mobile phone number"), True),
        ("mobile", row.get("whatsapp phone number"), False),
        ("work", row.get("phone number"), False),
    ]
    record_id = row.get("record id", "contact id")
    return RawContact(
        row.line,
        name,
        row.get("company name", "associated company"),
        [n for n in numbers if n[1]],
        timezone=row.get("time zone"),
        country=row.get("country/region", "country"),
        do_not_call=row.get("do not call"),
        key=f"hubspot:{record_id}" if record_id else "",
        city=row.get("city"),
    )


def _salesforce(row: Row) -> RawContact:
    name = _compose(row.get("firstname", "first name"), row.get("lastname", "last name"), row.get("name"))
    numbers = [
        ("mobile", row.get("mobilephone", "mobile", "mobile phone"), False),
        ("work", row.get("phone", "business phone"), False),
        ("home", row.get("homephone", "home phone"), False),
        ("other", row.get("otherphone", "other phone"), False),
        ("other", row.get("assistantphone", "asst. phone"), False),
    ]
    record_id = row.get("id", "contact id")
    return RawContact(
        row.line,
        name,
        row.get("account.name", "account name"),
        [n for n in numbers if n[1]],
        country=row.get("mailingcountry", "mailing country", "mailingcountrycode"),
        do_not_call=row.get("donotcall", "do not call"),
        key=f"salesforce:{record_id}" if record_id else "",
        city=row.get("mailingcity", "mailing city", "city"),
    )


# -- checking ---------------------------------------------------------------------------------------------

_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}


def _finish(raw: RawContact, path: str, region: str, problems: list[Problem], fmt: str) -> Contact | None:
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
