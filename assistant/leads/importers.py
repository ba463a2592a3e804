"""Lead lists in: HubSpot contacts exports, Salesforce leads and contacts reports, Pipedrive people exports,
Close lead exports, and plain CSV.

The contacts importers' header mapping and checks are reused; a lead adds its email, title, CRM id and every
column callbot has no field for (kept as details and shown on the lead's card). A bad row names its file
and line, and the rest imports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..contacts.csvfile import decode, read_csv
from ..contacts.formats import MAPPERS, compose
from ..contacts.formats import detect as detect_contacts
from ..contacts.importers import finish_contact
from ..contacts.raw import Problem, RawContact, Row, norm
from ..errors import ContactsError
from ..models import Contact, Lead

FORMATS = ("hubspot", "salesforce", "pipedrive", "close", "plain")


@dataclass(frozen=True)
class LeadFile:
    format: str
    leads: list[tuple[Lead, Contact]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class RawLead(RawContact):
    email: str = ""
    title: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)


class _TrackedRow(Row):
    """A row that remembers which columns a mapper asked for: the rest are the lead's details."""

    def __init__(self, header: list[str], values: list[str], line: int):
        super().__init__(header, values, line)
        self.headers = {norm(h): h.replace("\ufeff", "").strip() for h in header}
        self.asked: set[str] = set()

    def get(self, *names: str) -> str:
        self.asked.update(norm(n) for n in names)
        return super().get(*names)

    def matching(self, pattern: str) -> list[tuple[str, str]]:
        found = super().matching(pattern)
        self.asked.update(k for k, _ in found)
        return found

    def details(self) -> list[tuple[str, str]]:
        return [(self.headers.get(k, k), v) for k, v in self.items() if v and k not in self.asked]


Mapper = Callable[[Row], RawContact | None]


def read_leads(path: str | Path, region: str = "US") -> LeadFile:
    """Read a lead list file; the export it comes from is told by its header row."""
    path = Path(path)
    try:
        text = decode(path.read_bytes())
    except OSError as exc:
        raise ContactsError(f"cannot read {path}: {exc.strerror}") from None
    fmt, raws, problems = read_csv(text, str(path), _detect, row_type=_TrackedRow)
    result = LeadFile(fmt, problems=list(problems))
    for raw in raws:
        assert isinstance(raw, RawLead)
        contact = finish_contact(raw, str(path), region, result.problems, fmt)
        if contact is None:
            continue
        number = next((n for n in contact.numbers if n.preferred), contact.numbers[0])
        lead = Lead(
            list_name="",
            key=raw.key or (f"email:{raw.email.lower()}" if raw.email else f"number:{number.e164}"),
            name=contact.name,
            number=number.e164,
            company=contact.company,
            title=raw.title.strip(),
            email=raw.email.strip(),
            timezone=contact.timezone,
            details=tuple(raw.details),
            line=raw.line,
        )
        result.leads.append((lead, contact))
    result.problems.sort(key=lambda p: p.line)
    return result


def _detect(header: list[str], path: str) -> tuple[str, Mapper]:
    cols = {norm(h) for h in header}
    if any(c.startswith("person - ") for c in cols):
        return "pipedrive", _as_lead(_pipedrive)
    if "display_name" in cols and any(c.startswith("primary_contact_") for c in cols):
        return "close", _as_lead(_close)
    if {"first name", "last name"} <= cols and cols & {"lead id", "lead owner", "company / account"}:
        return "salesforce", _as_lead(_salesforce_lead)
    try:
        fmt, _ = detect_contacts(header, path)
    except ContactsError:
        raise ContactsError(
            f"{path}: the header row ({', '.join(header[:6])}...) is not a lead list callbot knows. Use a "
            "HubSpot contacts export, a Salesforce leads or contacts report, a Pipedrive people export, a "
            "Close lead export, or a CSV with the columns name, company, title, phone, email, timezone"
        ) from None
    return fmt, _as_lead(MAPPERS[fmt])


def _as_lead(mapper: Mapper) -> Mapper:
    """The contacts mapper's person, with the lead's email, title and CRM id, and the other columns."""

    def mapped(row: Row) -> RawLead | None:
        assert isinstance(row, _TrackedRow)
        raw = mapper(row)
        if raw is None:
            return None
        email = row.get("email", "email address", "person - email - work", "primary_contact_primary_email")
        title = row.get("job title", "title", "person - job title", "primary_contact_title")
        if not raw.key:
            record = row.get("lead id", "contact id", "record id", "id")
            raw.key = f"crm:{record}" if record else ""
        return RawLead(**raw.__dict__, email=email, title=title, details=row.details())

    return mapped


def _salesforce_lead(row: Row) -> RawContact:
    """A Salesforce leads report: "Company / Account", "Lead ID", "Phone", "Mobile"."""
    numbers = [
        ("mobile", row.get("mobile", "mobile phone"), False),
        ("work", row.get("phone"), False),
    ]
    record = row.get("lead id", "id")
    return RawContact(
        row.line,
        compose(row.get("first name"), row.get("last name")),
        row.get("company / account", "company"),
        [n for n in numbers if n[1]],
        country=row.get("country"),
        do_not_call=row.get("do not call"),
        key=f"salesforce:{record}" if record else "",
        city=row.get("city"),
        timezone=row.get("time zone"),
    )


def _pipedrive(row: Row) -> RawContact:
    """A Pipedrive people export: "Person - Name", "Person - Phone - Work", "Person - Organization"."""
    numbers = [
        (label, value, False)
        for key, value in row.matching(r"person - phone(?: - \w+)?")
        for label in [_PIPEDRIVE_LABELS.get(key.rsplit(" - ", 1)[-1], "other")]
        for value in [v.strip() for v in value.split(",")]
        if value
    ]
    record = row.get("person - id")
    name = row.get("person - name") or compose(row.get("person - first name"), row.get("person - last name"))
    return RawContact(
        row.line,
        name,
        row.get("person - organization", "organization - name"),
        numbers,
        key=f"pipedrive:{record}" if record else "",
        timezone=row.get("person - time zone"),
        country=row.get("person - country"),
    )


_PIPEDRIVE_LABELS = {"work": "work", "mobile": "mobile", "home": "home", "phone": "work", "other": "other"}


def _close(row: Row) -> RawContact:
    """A Close lead export: the lead is the company (display_name), the person its primary contact."""
    numbers = [("work", row.get("primary_contact_primary_phone"), True)]
    extra = row.get("primary_contact_other_phones")
    numbers += [("other", n.strip(), False) for n in extra.split(";") if n.strip()]
    record = row.get("id")
    return RawContact(
        row.line,
        row.get("primary_contact_name")
        or compose(row.get("primary_contact_first_name"), row.get("primary_contact_last_name")),
        row.get("display_name"),
        [n for n in numbers if n[1]],
        key=f"close:{record}" if record else "",
        country=row.get("addresses_0_country", "country"),
        city=row.get("addresses_0_city", "city"),
    )
