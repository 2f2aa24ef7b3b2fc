"""Alembic environment: runs on the connection the app hands over (see genlab.store.engine.migrate).

Upgrading needs no models: each revision creates its own tables. Comparing the models with the
database (``--autogenerate``) needs every feature's tables, and the store does not know the
features (they build on it, not the other way round), so the caller passes the metadata in
``config.attributes["target_metadata"]``; ``tests/support/schema.py`` gathers it from every
``genlab/<feature>/tables.py``. Without it, alembic refuses to autogenerate rather than proposing to
drop the tables it was not shown.
"""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations through genlab.store.migrate(engine).")
context.configure(connection=connection, target_metadata=context.config.attributes.get("target_metadata"),
                  render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
