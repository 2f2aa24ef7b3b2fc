"""Shared fixtures: a real SQLite file and a real PostgreSQL schema for the store suite."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from genlab.store import Store
from tests.support.databases import fresh_schema, postgres_reason, schema_url

pytest_plugins = ["tests.conftest_fake"]

# AppTest runs app.py in this process: its warm-up thread (ui/warmup.py) would open a store in
# whichever test's data directory is current while that test runs. tests/unit/test_warmup.py runs
# the warm-up in a process of its own instead.
os.environ.setdefault("GENLAB_WARMUP", "false")


@pytest.fixture(scope="session")
def postgres_available() -> str | None:
    return postgres_reason()


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """A migrated store on a fresh SQLite file, then on a fresh schema of the real PostgreSQL."""
    if request.param == "sqlite":
        yield Store.open(f"sqlite:///{tmp_path / 'test.sqlite3'}")
        return
    reason = request.getfixturevalue("postgres_available")
    if reason:
        pytest.skip(reason)
    with fresh_schema() as schema:
        s = Store.open(schema_url(schema))
        try:
            yield s
        finally:
            s.engine.dispose()
