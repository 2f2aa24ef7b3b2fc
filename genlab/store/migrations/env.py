"""Alembic environment: runs on the connection the app hands over (see genlab.store.engine.migrate)."""

from alembic import context

from genlab.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through genlab.store.migrate(engine).")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
