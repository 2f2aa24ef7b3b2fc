"""The real databases the tests run against: a PostgreSQL schema of their own, made fresh and dropped."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text

POSTGRES_URL = os.environ.get("GENLAB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def postgres_reason() -> str | None:
    """None when the test PostgreSQL answers, else why not (shown as the skip reason)."""
    try:
        with create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3}).connect() as c:
            c.execute(text("select 1"))
    except Exception as exc:  # any failure to connect means "no server here"
        return f"PostgreSQL at {POSTGRES_URL.split('@')[-1]} did not answer ({type(exc).__name__})"
    return None


def schema_url(schema: str) -> str:
    """The test database's URL with ``search_path`` set to ``schema``."""
    return f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"


@contextmanager
def fresh_schema() -> Iterator[str]:
    """A new, empty schema (its name), dropped with everything in it afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
