"""Phone numbers: parsed and normalised to E.164 with phonenumbers, shown the way people read them."""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import timezone as pn_timezone

_SPOKEN_DIGITS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "plus": "+",
}
_MULTIPLIERS = {"double": 2, "triple": 3}


class BadNumber(ValueError):
    """A number that cannot be dialled; str() says why and what to write instead."""


def normalize(text: str, region: str) -> str:
    """E.164 for a written or spoken number ("(415) 555-0134", "four one five ..."), else BadNumber."""
    raw = text.strip()
    if not raw:
        raise BadNumber("the number is empty")
    if re.search(r"[a-z]", raw, re.I) and not raw.lower().startswith("tel:"):
        digits = spoken_digits(raw)
        if digits:
            raw = digits
    try:
        parsed = phonenumbers.parse(raw, region.upper())
    except phonenumbers.NumberParseException as exc:
        raise BadNumber(f"{text!r} is not a phone number ({exc._msg.rstrip('.')})") from None
    if not phonenumbers.is_valid_number(parsed):
        hint = "" if raw.startswith("+") else f"; numbers outside {region.upper()} need their +country code"
        raise BadNumber(f"{text!r} is not a valid phone number{hint}")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def numbers_in(text: str, region: str) -> list[str]:
    """Every valid phone number written anywhere in a text, as E.164 (a date or an id is not one)."""
    return [
        phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        for match in phonenumbers.PhoneNumberMatcher(text, region.upper())
    ]


def spoken_digits(text: str) -> str:
    """Digits from words ("four one five double five") or a mix; empty if any word is not a digit word."""
    out: list[str] = []
    repeat = 1
    for word in re.findall(r"[a-z]+|\d+|\+", text.lower()):
        if word in _MULTIPLIERS:
            repeat = _MULTIPLIERS[word]
            continue
        if word.isdigit() or word == "+":
            out.append(word * repeat if len(word) == 1 else word)
        elif word in _SPOKEN_DIGITS:
            out.append(_SPOKEN_DIGITS[word] * repeat)
        else:
            return ""
        repeat = 1
    return "".join(out)


def display(e164: str) -> str:
    """+1 415 555 0134"""
    try:
        parsed = phonenumbers.parse(e164)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL).replace("-", " ")


def region_of(e164: str) -> str:
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164)) or ""
    except phonenumbers.NumberParseException:
        return ""


def country_region(e164: str) -> str:
    """The main region of a number's country code (+44 -> GB, even for a Guernsey mobile)."""
    try:
        return phonenumbers.region_code_for_country_code(phonenumbers.parse(e164).country_code or 0)
    except phonenumbers.NumberParseException:
        return ""


def country_name(region: str) -> str:
    """A region code as said in a sentence ("GB" -> "United Kingdom", "KR" -> "South Korea"); the code
    itself for one ISO 3166 does not list (phonenumbers' AC, TA, XK, 001)."""
    import pycountry

    country = pycountry.countries.get(alpha_2=region.upper())
    if country is None:
        return region.upper()
    common = getattr(country, "common_name", None)
    official = getattr(country, "official_name", None)
    if common:
        return str(common)
    # ISO's sorting form ("Virgin Islands, British") reads wrong in a sentence; the official name does not
    return str(official if official and ", " in country.name else country.name)


def time_zones(e164: str) -> tuple[str, ...]:
    """The IANA zones a number may be in (several for a country-wide or toll-free number)."""
    try:
        zones = pn_timezone.time_zones_for_number(phonenumbers.parse(e164))
    except phonenumbers.NumberParseException:
        return ()
    return tuple(z for z in zones if z != "Etc/Unknown")


def callee_zones(e164: str, contact_zone: str = "") -> tuple[str, ...]:
    """Where the callee may be: the contact's own zone if the file gave one, else the number's zones."""
    return (contact_zone,) if contact_zone else time_zones(e164)
