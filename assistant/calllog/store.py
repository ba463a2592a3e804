"""The call log: contacts, calls, their events and notes, and the do-not-call list, in one SQL database.

SQLAlchemy Core, parameterised SQL, UTC timestamps; SQLite by default (WAL), PostgreSQL by URL.
Every write is one transaction; migrations (Alembic) run on first use. Each table group is its own
module; `Store` is all of them over one database, the one object the rest of callbot is given.

    database.py      the engine, whole transactions retried as one, migrations, backups
    contact_rows.py  contacts, numbers, aliases
    call_rows.py     calls and their carrier events, search
    note_rows.py     notes and follow-ups
    dnc_rows.py      the do-not-call list
    lead_rows.py     lead lists, each lead's state, the calls made from a list
    row_import.py    calls read back from an export
"""

from __future__ import annotations

from .call_rows import CallRows, outcome_for
from .contact_rows import ContactRows, ImportResult
from .database import MIGRATIONS, head_revision
from .dnc_rows import DoNotCallRows
from .lead_rows import LeadImport, LeadRows
from .note_rows import NoteRows
from .row_import import RowImport
from .schema import metadata


class Store(LeadRows, ContactRows, CallRows, NoteRows, DoNotCallRows, RowImport):
    """One call log database. `Store(url)` connects and brings the schema up to date."""


__all__ = [
    "MIGRATIONS",
    "ImportResult",
    "LeadImport",
    "Store",
    "head_revision",
    "metadata",
    "outcome_for",
]
