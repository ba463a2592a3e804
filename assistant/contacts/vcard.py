"""vCard 2.1/3.0/4.0 (.vcf) through vobject, one card at a time so a broken card names its line."""

from __future__ import annotations

import re
from typing import Any

import vobject

from .raw import Problem, RawContact

_APPLE_LABEL = re.compile(r"_\$!<(.+?)>!\$_")


def read_vcards(text: str, path: str) -> tuple[list[RawContact], list[Problem]]:
    raws: list[RawContact] = []
    problems: list[Problem] = []
    for start, end_found, card_text in _cards(text):
        if not end_found:
            problems.append(
                Problem(path, start, "this card has no END:VCARD; read up to where the next card starts")
            )
        try:
            card = vobject.readOne(card_text, ignoreUnreadable=True)
        except Exception as exc:  # vobject raises several unrelated types for broken input
            problems.append(
                Problem(path, start, f"unreadable vCard ({str(exc).strip() or type(exc).__name__}); skipped")
            )
            continue
        raws.append(_raw(card, start, card_text))
    return raws, problems


def _cards(text: str) -> list[tuple[int, bool, str]]:
    """(first line, END seen, card text) for each BEGIN:VCARD ... END:VCARD block."""
    cards: list[tuple[int, bool, str]] = []
    current: list[str] | None = None
    start = 0
    for number, line in enumerate(text.splitlines(), start=1):
        tag = line.strip().upper()
        if tag == "BEGIN:VCARD":
            if current:
                cards.append((start, False, "\n".join([*current, "END:VCARD"])))
            current, start = [line], number
        elif tag == "END:VCARD" and current is not None:
            current.append(line)
            cards.append((start, True, "\n".join(current)))
            current = None
        elif current is not None:
            current.append(line)
    if current:
        cards.append((start, False, "\n".join([*current, "END:VCARD"])))
    return cards


def _value(card: Any, name: str) -> str:
    prop = card.contents.get(name)
    if not prop:
        return ""
    value = prop[0].value
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _raw(card: Any, line: int, text: str) -> RawContact:
    name = _value(card, "fn")
    if not name and "n" in card.contents:
        n = card.n.value
        name = " ".join(f"{n.given} {n.family}".split())
    org = card.contents.get("org")
    company = ""
    if org:
        parts = org[0].value
        company = (parts[0] if isinstance(parts, list) and parts else str(parts)).strip()
    labels = {(p.group or "").lower(): p.value for p in card.contents.get("x-ablabel", []) if p.group}
    numbers: list[tuple[str, str, bool]] = []
    for tel in card.contents.get("tel", []):
        types = {t.strip().lower() for v in tel.params.get("TYPE", []) for t in v.split(",")}
        types |= {k.lower() for k, v in tel.params.items() if not v}  # vCard 2.1: TEL;CELL:...
        custom = labels.get((tel.group or "").lower(), "")
        label = _label(types, custom)
        if label is None:
            continue
        primary = "pref" in types or "PREF" in tel.params
        value = re.sub(r";ext=.*$", "", str(tel.value)).removeprefix("tel:").strip()
        numbers.append((label, value, primary))
    country = city = ""
    for adr in card.contents.get("adr", []):
        country = getattr(adr.value, "country", "") or country
        city = getattr(adr.value, "city", "") or city
    return RawContact(
        line=line,
        name=name,
        company=company,
        numbers=numbers,
        aliases=_nicknames(text),
        timezone=_value(card, "tz"),
        country=country,
        city=city,
        related=_related(card, labels),
    )


def _related(card: Any, labels: dict[str, str]) -> list[tuple[str, str]]:
    """vCard 4's RELATED;TYPE=spouse:Jane Doe (a name as text), and Apple's X-ABRELATEDNAMES and its label."""
    found = []
    for prop in card.contents.get("related", []):
        value = str(prop.value).strip()
        if value and not re.match(r"^(urn|https?|mailto|tel):", value, re.I):  # a name, not a reference
            found += [(t.strip(), value) for v in prop.params.get("TYPE", []) for t in v.split(",") if t]
    for prop in card.contents.get("x-abrelatednames", []):
        custom = labels.get((prop.group or "").lower(), "")
        apple = _APPLE_LABEL.fullmatch(custom)
        kind = apple.group(1) if apple else custom
        if kind and str(prop.value).strip():
            found.append((kind, str(prop.value).strip()))
    return found


def _nicknames(text: str) -> list[str]:
    """NICKNAME is a comma-separated list; vobject keeps only its first item, so read the line itself."""
    unfolded = re.sub(r"\r?\n[ \t]", "", text)
    names: list[str] = []
    for value in re.findall(r"^(?:[\w-]+\.)?NICKNAME(?:;[^:]*)?:(.*)$", unfolded, re.M | re.I):
        names += [n.replace("\\,", ",").strip() for n in re.split(r"(?<!\\),", value) if n.strip()]
    return names


def _label(types: set[str], custom: str) -> str | None:
    """mobile/work/home/main/other for a TEL, None for fax and pager numbers."""
    text = custom
    apple = _APPLE_LABEL.fullmatch(custom)
    if apple:
        text = apple.group(1)
    words = {text.lower()} | types if text else types
    joined = " ".join(words)
    if "fax" in joined or "pager" in joined:
        return None
    if words & {"cell", "mobile", "iphone"}:
        return "mobile"
    if words & {"work", "business"}:
        return "work"
    if "home" in words:
        return "home"
    if "main" in words:
        return "main"
    return "other"
