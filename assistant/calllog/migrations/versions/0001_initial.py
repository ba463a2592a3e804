"""initial schema

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("company", sa.String(length=200), server_default="", nullable=False),
        sa.Column("timezone", sa.String(length=64), server_default="", nullable=False),
        sa.Column("do_not_call", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("source", sa.String(length=200), server_default="", nullable=False),
        sa.Column("source_key", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source_key"),
    )
    op.create_table(
        "dnc",
        sa.Column("e164", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("source", sa.String(length=200), server_default="", nullable=False),
        sa.Column("rep", sa.String(length=100), server_default="", nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("e164"),
    )
    op.create_table(
        "calls",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("rep", sa.String(length=100), nullable=False),
        sa.Column("direction", sa.String(length=10), server_default="outbound", nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("contact_name", sa.String(length=200), server_default="", nullable=False),
        sa.Column("to_number", sa.String(length=20), nullable=False),
        sa.Column("from_number", sa.String(length=20), server_default="", nullable=False),
        sa.Column("label", sa.String(length=20), server_default="", nullable=False),
        sa.Column("topic", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("outcome", sa.String(length=20), server_default="", nullable=False),
        sa.Column("reason", sa.Text(), server_default="", nullable=False),
        sa.Column("override", sa.Text(), server_default="", nullable=False),
        sa.Column("provider", sa.String(length=20), server_default="", nullable=False),
        sa.Column("provider_call_id", sa.String(length=64), nullable=True),
        sa.Column("lead_call_id", sa.String(length=64), server_default="", nullable=False),
        sa.Column("lead_status", sa.String(length=20), server_default="", nullable=False),
        sa.Column("answered_by", sa.String(length=20), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.Column("duration", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider_call_id"),
    )
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calls_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index("ix_calls_rep_created", ["rep", "created_at"], unique=False)

    op.create_table(
        "contact_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("learned", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contact_id", "alias", name="uq_contact_alias"),
    )
    with op.batch_alter_table("contact_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_aliases_contact_id"), ["contact_id"], unique=False)

    op.create_table(
        "contact_numbers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=20), nullable=False),
        sa.Column("e164", sa.String(length=20), nullable=False),
        sa.Column("preferred", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("position", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact_numbers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_numbers_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_numbers_e164"), ["e164"], unique=False)

    op.create_table(
        "call_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=32), nullable=False),
        sa.Column("leg", sa.String(length=10), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=True),
        sa.Column("provider_call_id", sa.String(length=64), server_default="", nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("call_id", "leg", "status", name="uq_call_event"),
    )
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.String(length=32), nullable=True),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("rep", sa.String(length=100), nullable=False),
        sa.Column("text", sa.Text(), server_default="", nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("audio_path", sa.Text(), server_default="", nullable=False),
        sa.Column("followup_date", sa.Date(), nullable=True),
        sa.Column("followup_phrase", sa.String(length=100), server_default="", nullable=False),
        sa.Column("followup_done_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notes_call_id"), ["call_id"], unique=False)
        batch_op.create_index("ix_notes_followup", ["followup_date"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index("ix_notes_followup")
        batch_op.drop_index(batch_op.f("ix_notes_call_id"))

    op.drop_table("notes")
    op.drop_table("call_events")
    with op.batch_alter_table("contact_numbers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_numbers_e164"))
        batch_op.drop_index(batch_op.f("ix_contact_numbers_contact_id"))

    op.drop_table("contact_numbers")
    with op.batch_alter_table("contact_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_aliases_contact_id"))

    op.drop_table("contact_aliases")
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_index("ix_calls_rep_created")
        batch_op.drop_index(batch_op.f("ix_calls_contact_id"))

    op.drop_table("calls")
    op.drop_table("dnc")
    op.drop_table("contacts")
