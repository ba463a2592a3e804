"""The contact book as the dialog sees it: a resolver (and which names sound alike) kept in step with the
stored contacts."""

from __future__ import annotations

from typing import Any, Protocol

from ..models import Contact
from .names import Nicknames
from .resolver import Resolver
from .soundalike import Pronounce, SoundAlikes


class ContactSource(Protocol):
    def contacts(self) -> list[Contact]: ...

    def contacts_version(self) -> Any: ...

    def learn_alias(self, contact_id: int, alias: str) -> None: ...

    def set_relation(self, contact_id: int, relation: str) -> None: ...


class ContactBook:
    """Rebuilds the resolver only when the stored contacts changed (another process may have imported)."""

    def __init__(
        self, source: ContactSource, nicknames: Nicknames | None = None, pronounce: Pronounce | None = None
    ):
        self.source = source
        self.nicknames = nicknames or Nicknames()
        self.pronounce = pronounce  # how names sound, for telling heard names apart (None: by spelling only)
        self._version: Any = None
        self._resolver: Resolver | None = None
        self._alikes: tuple[Any, SoundAlikes] | None = None

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

    def sound_alikes(self) -> SoundAlikes | None:
        """Which contacts' names sound the same (worked out on first use, again when the book changes)."""
        if self.pronounce is None:
            return None
        resolver = self.resolver()
        if self._alikes is None or self._alikes[0] != self._version:
            self._alikes = (self._version, SoundAlikes(resolver.contacts, self.pronounce))
        return self._alikes[1]

    def learn(self, contact: Contact, alias: str) -> None:
        if contact.id is not None:
            self.source.learn_alias(contact.id, alias)
