"""The call log's tables (SQLAlchemy Core). Migrations in migrations/versions/ must build exactly this."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as naive UTC, returned as aware UTC, on SQLite and PostgreSQL alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("callbot stores only timezone-aware timestamps")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


metadata = MetaData()

contacts = Table(
    "contacts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("company", String(200), nullable=False, server_default=""),
    Column("timezone", String(64), nullable=False, server_default=""),
    Column("do_not_call", Boolean, nullable=False, server_default="0"),
    Column("source", String(200), nullable=False, server_default=""),
    Column("source_key", String(300), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("city", String(200), nullable=False, server_default=""),
)

contact_numbers = Table(
    "contact_numbers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("label", String(20), nullable=False),
    Column("e164", String(20), nullable=False, index=True),
    Column("preferred", Boolean, nullable=False, server_default="0"),
    Column("position", Integer, nullable=False, server_default="0"),
)

contact_aliases = Table(
    "contact_aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("alias", String(200), nullable=False),
    Column("learned", Boolean, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("contact_id", "alias", name="uq_contact_alias"),
)

# Who a contact is to the rep ("mother", "manager"): from a contacts file, or taught by voice ("my boss is
# Priya Shah"), which a re-import keeps.
contact_relations = Table(
    "contact_relations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("relation", String(100), nullable=False),
    Column("taught", Boolean, nullable=False, server_default="0"),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("contact_id", "relation", name="uq_contact_relation"),
)

calls = Table(
    "calls",
    metadata,
    Column("id", String(32), primary_key=True),  # the request key, written before the carrier is asked
    Column("rep", String(100), nullable=False),
    Column("direction", String(10), nullable=False, server_default="outbound"),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("contact_name", String(200), nullable=False, server_default=""),
    Column("to_number", String(20), nullable=False),
    Column("from_number", String(20), nullable=False, server_default=""),
    Column("label", String(20), nullable=False, server_default=""),
    Column("topic", Text, nullable=False, server_default=""),
    Column("status", String(20), nullable=False),
    Column("outcome", String(20), nullable=False, server_default=""),
    Column("reason", Text, nullable=False, server_default=""),
    Column("override", Text, nullable=False, server_default=""),
    Column("recording", Text, nullable=False, server_default=""),  # "" or how consent was given
    Column("provider", String(20), nullable=False, server_default=""),
    Column("provider_call_id", String(64), nullable=True, unique=True),
    Column("lead_call_id", String(64), nullable=False, server_default=""),
    Column("lead_status", String(20), nullable=False, server_default=""),
    Column("answered_by", String(20), nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("answered_at", UTCDateTime, nullable=True),
    Column("ended_at", UTCDateTime, nullable=True),
    Column("duration", Integer, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_calls_rep_created", "rep", "created_at"),
)

call_events = Table(
    "call_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("call_id", String(32), ForeignKey("calls.id", ondelete="CASCADE"), nullable=False),
    Column("leg", String(10), nullable=False),
    Column("status", String(20), nullable=False),
    Column("sequence", Integer, nullable=True),
    Column("provider_call_id", String(64), nullable=False, server_default=""),
    Column("at", UTCDateTime, nullable=False),
    UniqueConstraint("call_id", "leg", "status", name="uq_call_event"),  # duplicate callbacks change nothing
)

notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("call_id", String(32), ForeignKey("calls.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="SET NULL"), nullable=True),
    Column("rep", String(100), nullable=False),
    Column("text", Text, nullable=False, server_default=""),
    Column("status", String(20), nullable=False),  # saved | pending | discarded
    Column("audio_path", Text, nullable=False, server_default=""),
    Column("followup_date", Date, nullable=True),
    Column("followup_phrase", String(100), nullable=False, server_default=""),
    Column("followup_done_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_notes_followup", "followup_date"),
)

dnc = Table(
    "dnc",
    metadata,
    Column("e164", String(20), primary_key=True),
    Column("reason", Text, nullable=False, server_default=""),
    Column("source", String(200), nullable=False, server_default=""),
    Column("rep", String(100), nullable=False, server_default=""),
    Column("added_at", UTCDateTime, nullable=False),
)


# Lead lists (issue 19): a list from a CRM export, and each lead's place and state in it. A lead is a
# contact of the book (matched by number or email, never duplicated) plus this state.
lead_lists = Table(
    "lead_lists",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("source", Text, nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

leads = Table(
    "leads",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("list_id", Integer, ForeignKey("lead_lists.id", ondelete="CASCADE"), nullable=False),
    Column("lead_key", String(300), nullable=False),
    Column("contact_id", Integer, ForeignKey("contacts.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("position", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("company", String(200), nullable=False, server_default=""),
    Column("title", String(200), nullable=False, server_default=""),
    Column("email", String(300), nullable=False, server_default="", index=True),
    Column("e164", String(20), nullable=False),
    Column("timezone", String(64), nullable=False, server_default=""),
    Column("details", Text, nullable=False, server_default="{}"),  # JSON: the file's other columns
    Column("status", String(20), nullable=False, server_default="pending"),
    Column("reason", Text, nullable=False, server_default=""),
    Column("due_at", UTCDateTime, nullable=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_outcome", String(40), nullable=False, server_default=""),
    Column("last_call_id", String(32), nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("list_id", "lead_key", name="uq_lead_key"),
    Index("ix_leads_list_position", "list_id", "position"),
)

# Every call made from a list, with the disposition the rep gave it (export, report, resuming).
lead_calls = Table(
    "lead_calls",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("lead_id", Integer, ForeignKey("leads.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("call_id", String(32), nullable=False, unique=True),  # the call's request key (calls.id)
    Column("disposition", String(40), nullable=False, server_default=""),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Full-text search lives outside this metadata (an FTS5 table on SQLite, expression indexes on PostgreSQL);
# migration 0002 makes it. Schema comparisons skip these names.
SEARCH_OBJECTS = ("call_search", "ix_notes_fts", "ix_calls_fts")


def in_metadata(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Alembic's include_object: leave the search objects out of autogenerate comparisons."""
    return not (name or "").startswith(SEARCH_OBJECTS)
