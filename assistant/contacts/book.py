"""The contact book as the dialog sees it: a resolver kept in step with the stored contacts."""

from __future__ import annotations

from typing import Any, Protocol

from ..models import Contact
from .names import Nicknames
from .resolver import Resolver


class ContactSource(Protocol):
    def contacts(self) -> list[Contact]: ...

    def contacts_version(self) -> Any: ...

    def learn_alias(self, contact_id: int, alias: str) -> None: ...


class ContactBook:
    """Rebuilds the resolver only when the stored contacts changed (another process may have imported)."""

    def __init__(self, source: ContactSource, nicknames: Nicknames | None = None):
        self.source = source
        self.nicknames = nicknames or Nicknames()
        self._version: Any = None
        self._resolver: Resolver | None = None

    @property
    def version(self) -> Any:
        return self.source.contacts_version()

    def resolver(self) -> Resolver:
        version = self.source.contacts_version()
        if self._resolver is None or version != self._version:
            self._resolver = Resolver(self.source.contacts(), self.nicknames)
            self._version = version
        return self._resolver

    def contacts(self) -> list[Contact]:
        return self.resolver().contacts

    def learn(self, contact: Contact, alias: str) -> None:
        if contact.id is not None:
            self.source.learn_alias(contact.id, alias)
