"""full-text search over note text and call topics

SQLite: an FTS5 table kept by triggers. PostgreSQL: GIN indexes on to_tsvector('english', ...).

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE call_search USING fts5(doc UNINDEXED, call_id UNINDEXED, body, "
    "tokenize='porter unicode61')",
    # notes: discarded ones are not found
    """CREATE TRIGGER call_search_note_in AFTER INSERT ON notes WHEN new.status != 'discarded' BEGIN
         INSERT INTO call_search(doc, call_id, body) VALUES ('n' || new.id, new.call_id, new.text); END""",
    """CREATE TRIGGER call_search_note_up AFTER UPDATE OF text, status, call_id ON notes BEGIN
         DELETE FROM call_search WHERE doc = 'n' || old.id;
         INSERT INTO call_search(doc, call_id, body)
           SELECT 'n' || new.id, new.call_id, new.text WHERE new.status != 'discarded'; END""",
    """CREATE TRIGGER call_search_note_out AFTER DELETE ON notes BEGIN
         DELETE FROM call_search WHERE doc = 'n' || old.id; END""",
    """CREATE TRIGGER call_search_call_in AFTER INSERT ON calls BEGIN
         INSERT INTO call_search(doc, call_id, body) VALUES ('c' || new.id, new.id, new.topic); END""",
    """CREATE TRIGGER call_search_call_up AFTER UPDATE OF topic ON calls BEGIN
         DELETE FROM call_search WHERE doc = 'c' || old.id;
         INSERT INTO call_search(doc, call_id, body) VALUES ('c' || new.id, new.id, new.topic); END""",
    """CREATE TRIGGER call_search_call_out AFTER DELETE ON calls BEGIN
         DELETE FROM call_search WHERE doc = 'c' || old.id; END""",
    "INSERT INTO call_search(doc, call_id, body) SELECT 'n' || id, call_id, text FROM notes "
    "WHERE status != 'discarded'",
    "INSERT INTO call_search(doc, call_id, body) SELECT 'c' || id, id, topic FROM calls",
]
SQLITE_DOWN = [
    *(
        f"DROP TRIGGER call_search_{t}"
        for t in ("note_in", "note_up", "note_out", "call_in", "call_up", "call_out")
    ),
    "DROP TABLE call_search",
]
POSTGRES_UP = [
    "CREATE INDEX ix_notes_fts ON notes USING gin (to_tsvector('english', text))",
    "CREATE INDEX ix_calls_fts ON calls USING gin (to_tsvector('english', topic))",
]
POSTGRES_DOWN = ["DROP INDEX ix_notes_fts", "DROP INDEX ix_calls_fts"]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    _run(POSTGRES_UP if op.get_bind().dialect.name == "postgresql" else SQLITE_UP)


def downgrade() -> None:
    _run(POSTGRES_DOWN if op.get_bind().dialect.name == "postgresql" else SQLITE_DOWN)
