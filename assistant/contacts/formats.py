"""Header mapping: which export a CSV header comes from, and each export's columns as a raw contact."""

from __future__ import annotations

import re
from collections.abc import Callable

from ..errors import ContactsError
from .raw import RawContact, Row, norm


def detect(header: list[str], path: str) -> tuple[str, Callable[[Row], RawContact | None]]:
    cols = {norm(h) for h in header}
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


def compose(first: str, last: str, full: str = "") -> str:
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
    name = compose(row.get("first name", "given name"), row.get("last name", "family name"), row.get("name"))
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
    name = compose(row.get("first name"), row.get("last name"))
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
    name = compose(row.get("first name"), row.get("last name"))
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
    name = compose(row.get("firstname", "first name"), row.get("lastname", "last name"), row.get("name"))
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


# Each export's columns as a raw contact, by format name (the lead-list readers reuse them).
MAPPERS: dict[str, Callable[[Row], RawContact | None]] = {
    "google": _google,
    "hubspot": _hubspot,
    "salesforce": _salesforce,
    "outlook": _outlook,
    "plain": _plain,
}
