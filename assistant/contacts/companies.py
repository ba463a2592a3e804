"""The companies of a contact book, for finding people by where they work: "Jane at Globex" (a company
that ranks the Janes) and "call Globex" (a company said instead of a name, named whole)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rapidfuzz import fuzz, process

from .names import fold, tokens

# Words a company's name may be said without ("call Globex" for Globex Corporation).
SUFFIXES = frozenset(
    "inc incorporated llc ltd limited corp corporation co company group plc gmbh ag sa the and".split()
)
NAMED_AT = 90.0  # a company said instead of a name: its whole name, spelled this close


def core(company: str) -> str:
    """A company's name without the words it may be said without ("globex" for Globex Corporation)."""
    words = tokens(company)
    return " ".join(w for w in words if w not in SUFFIXES) or " ".join(words)


class Companies:
    """Contacts (by their index in the book) by company."""

    def __init__(self) -> None:
        self._by_name: dict[str, set[int]] = defaultdict(set)
        self._by_core: dict[str, set[int]] = defaultdict(set)  # without Inc, Ltd, Group...

    def add(self, index: int, company: str) -> None:
        folded = fold(company)
        if folded:
            self._by_name[folded].add(index)
            self._by_core[core(company)].add(index)

    def near(self, company: str) -> dict[int, float]:
        """How near each contact's company is to the one said with a name ("Jane at Globex"), 0-100."""
        return _extract(fold(company), self._by_name, fuzz.WRatio, 70)

    def named(self, query: str) -> dict[int, float]:
        """Contacts whose company the words name whole ("globex" for Globex Corporation), never a word of it
        ("energy" is not Sol Energy, "end" not Mendoza Hermanos)."""
        return _extract(core(query), self._by_core, fuzz.ratio, NAMED_AT)


def _extract(said: str, index: dict[str, set[int]], scorer: Any, cutoff: float) -> dict[int, float]:
    """The contacts of the companies nearest `said` by `scorer`, each with its best score."""
    out: dict[int, float] = {}
    if not said:
        return out
    for name, score, _ in process.extract(said, index.keys(), scorer=scorer, score_cutoff=cutoff, limit=50):
        for contact in index[name]:
            out[contact] = max(out.get(contact, 0.0), score)
    return out
