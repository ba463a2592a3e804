"""Alembic environment: run on the connection the store hands over (see store.upgrade)."""

from alembic import context

from assistant.calllog.schema import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
