"""contacts' city, and who a contact is to the rep ("call my boss"), from a file or taught by voice

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("city", sa.String(length=200), server_default="", nullable=False))
    op.create_table(
        "contact_relations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("relation", sa.String(length=100), nullable=False),
        sa.Column("taught", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contact_id", "relation", name="uq_contact_relation"),
    )
    with op.batch_alter_table("contact_relations") as batch:
        batch.create_index(batch.f("ix_contact_relations_contact_id"), ["contact_id"], unique=False)


def downgrade() -> None:
    op.drop_table("contact_relations")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("city")
