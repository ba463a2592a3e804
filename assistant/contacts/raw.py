"""What every contacts reader shares: a person as a file describes them, a problem at a line, a CSV row."""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


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


class Row:
    """One CSV record with case- and space-insensitive column access."""

    def __init__(self, header: list[str], values: list[str], line: int):
        self.line = line
        self._values = {norm(h): v.strip() for h, v in zip(header, values, strict=False)}

    def get(self, *names: str) -> str:
        for name in names:
            value = self._values.get(norm(name), "")
            if value:
                return value
        return ""

    def items(self) -> list[tuple[str, str]]:
        """Every column (its folded header) and value, in file order."""
        return list(self._values.items())

    def matching(self, pattern: str) -> list[tuple[str, str]]:
        rx = re.compile(pattern)
        return [(k, v) for k, v in self._values.items() if rx.fullmatch(k)]


def norm(header: str) -> str:
    return " ".join(header.replace("\ufeff", "").strip().lower().split())
