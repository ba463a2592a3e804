"""Number labels: a label as people say or write it, and the contact's number for it."""

from __future__ import annotations

from ..models import Contact, PhoneNumber
from .names import fold


def canonical_label(label: str) -> str:
    """A label as files and people write it ("Cell", "office") in the words the templates use."""
    from ..language import label_words

    return label_words().get(fold(label), fold(label))


def pick_number(contact: Contact, label: str) -> tuple[PhoneNumber | None, bool, bool]:
    """(number, label guessed, label missing): a missing label is reported, never silently swapped."""
    if label:
        wanted = contact.number(canonical_label(label))
        if wanted:
            return wanted, False, False
        return contact.default_number, True, True
    return contact.default_number, len(contact.numbers) > 1, False
