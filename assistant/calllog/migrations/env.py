"""Alembic environment: run on the connection the store hands over (see store.upgrade)."""

from alembic import context

from assistant.calllog.schema import in_metadata, metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection, target_metadata=metadata, render_as_batch=True, include_object=in_metadata
)
with context.begin_transaction():
    context.run_migrations()
