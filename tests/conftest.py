"""Shared fixtures: a real SQLite file and a real PostgreSQL schema for the store suite."""

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from genlab.store import Store

pytest_plugins = ["tests.conftest_fake"]

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_URL = os.environ.get("GENLAB_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_reason() -> str | None:
    """None when the test PostgreSQL answers, else why not (shown as the skip reason)."""
    try:
        with create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3}).connect() as c:
            c.execute(text("select 1"))
    except Exception as exc:  # any failure to connect means "no server here"
        return f"PostgreSQL at {POSTGRES_URL.split('@')[-1]} did not answer ({type(exc).__name__})"
    return None


@pytest.fixture(scope="session")
def postgres_available() -> str | None:
    return _postgres_reason()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated store on a fresh SQLite file, then on a fresh schema of the real PostgreSQL."""
    if request.param == "sqlite":
        yield Store.open(f"sqlite:///{tmp_path / 'test.sqlite3'}")
        return
    reason = request.getfixturevalue("postgres_available")
    if reason:
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    s = Store.open(url)
    try:
        yield s
    finally:
        s.engine.dispose()
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
