"""Who "my boss" is: the book's people by the relation an export or the user gave them."""

from __future__ import annotations

from collections import defaultdict

from ..models import Contact

# A relation said for one the book writes another way ("my spouse" for a wife, "my parents").
KIN = {
    "partner": ("wife", "husband"),
    "wife": ("partner",),
    "husband": ("partner",),
    "parent": ("mother", "father"),
    "child": ("son", "daughter"),
}


class Relations:
    """The book's people (by their index in it) for each relation."""

    def __init__(self) -> None:
        self._by_relation: dict[str, list[int]] = defaultdict(list)

    def add(self, index: int, contact: Contact) -> None:
        for relation in contact.relations:
            self._by_relation[relation].append(index)

    @property
    def names(self) -> list[str]:
        return sorted(self._by_relation)

    def exactly(self, relation: str) -> list[int]:
        return self._by_relation.get(relation, [])

    def of(self, relation: str) -> list[int]:
        """The people with this relation, or with the one it stands for ("spouse": the wife)."""
        if relation in self._by_relation:
            return self._by_relation[relation]
        return [i for kin in KIN.get(relation, ()) for i in self._by_relation.get(kin, [])]
