"""A database that goes away after start-up: every query gives StoreUnavailable (a sentence, never the URL),
and the same Store works again once the database is back. Real SQLite files moved and swapped under a
running store; a real PostgreSQL whose connection is killed and whose schema is dropped."""

import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from genlab.errors import LearnerError
from genlab.store import Store, StoreUnavailable
from genlab.store import learners as profiles
from genlab.store.engine import is_unavailable
from genlab.store.models import Learner
from tests.support.databases import POSTGRES_URL, fresh_schema, schema_url

LOST = "The connection to the database was lost."
RESET = "The database no longer has the app's tables"
NOT_ANSWERING = "The database is not answering"


def all_learners(session: Session) -> list[Learner]:
    """Every profile, oldest first: a query that needs a live connection."""
    return list(session.scalars(select(Learner).order_by(Learner.id)))


def names(store: Store) -> list[str]:
    with store.session() as s:
        return [learner.name for learner in all_learners(s)]


def add(store: Store, name: str) -> None:
    with store.session() as s:
        profiles.get_or_create(s, name)


def files_of(db: Path) -> list[Path]:
    return [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]


def backup(db: Path, to: Path) -> None:
    """A consistent copy of a live WAL database (sqlite3's online backup)."""
    with sqlite3.connect(db) as source, sqlite3.connect(to) as target:
        source.backup(target)
    source.close()
    target.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[tuple[Store, Path]]:
    db = tmp_path / "data" / "genlab.sqlite3"
    store = Store.open(f"sqlite:///{db}")
    add(store, "Ada")
    yield store, db
    store.engine.dispose()


def test_a_store_error_is_a_learner_error() -> None:
    assert issubclass(StoreUnavailable, LearnerError) and issubclass(StoreUnavailable, RuntimeError)
    assert StoreUnavailable("x").sentence == "x" and str(StoreUnavailable("x")) == "x"


def test_sqlite_file_moved_away_then_back(sqlite_store: tuple[Store, Path], tmp_path: Path) -> None:
    store, db = sqlite_store
    saved = tmp_path / "elsewhere"
    saved.mkdir()
    backup(db, saved / db.name)
    for path in files_of(db):
        path.unlink(missing_ok=True)
    for attempt in range(2):  # every query says so, not just the first
        with pytest.raises(StoreUnavailable) as err:
            names(store)
        assert NOT_ANSWERING in err.value.sentence and str(db) not in err.value.sentence, attempt
    with pytest.raises(StoreUnavailable):
        add(store, "Grace")
    assert not db.exists(), "a vanished database must not be re-created empty behind the learner's back"
    shutil.copy(saved / db.name, db)
    assert names(store) == ["Ada"]
    add(store, "Grace")
    assert sorted(names(store)) == ["Ada", "Grace"]


def test_sqlite_file_replaced_by_an_empty_database(sqlite_store: tuple[Store, Path], tmp_path: Path) -> None:
    store, db = sqlite_store
    original = tmp_path / "original.sqlite3"
    backup(db, original)
    for path in files_of(db):
        path.unlink(missing_ok=True)
    sqlite3.connect(db).close()  # someone put an empty database file at the same path
    with pytest.raises(StoreUnavailable) as err:
        names(store)
    assert err.value.sentence.startswith(RESET)
    db.unlink()
    shutil.copy(original, db)  # the right file is back
    assert names(store) == ["Ada"]


def test_a_bug_in_a_query_is_not_dressed_up_as_an_outage(sqlite_store: tuple[Store, Path]) -> None:
    store, _ = sqlite_store
    with pytest.raises(OperationalError), store.engine.connect() as c:
        c.execute(text("SELECT no_such_column FROM learners"))
    assert not is_unavailable(sqlite3.OperationalError('near "SELEC": syntax error'))
    assert is_unavailable(sqlite3.OperationalError("unable to open database file"))


@pytest.fixture
def pg_store(postgres_available: str | None) -> Iterator[tuple[Store, str, str]]:
    if postgres_available:
        pytest.skip(postgres_available)
    app_name = f"genlab_outage_{uuid.uuid4().hex[:8]}"  # so the test kills only its own connections
    with fresh_schema() as schema:
        url = f"{schema_url(schema)}&application_name={app_name}"
        store = Store.open(url)
        add(store, "Ada")
        try:
            yield store, url, app_name
        finally:
            store.engine.dispose()


def admin_execute(sql: str, **params: str) -> None:
    admin = create_engine(POSTGRES_URL)
    try:
        with admin.begin() as c:
            c.execute(text(sql), params)
    finally:
        admin.dispose()


def test_postgres_connection_killed_mid_session(pg_store: tuple[Store, str, str]) -> None:
    store, _, app_name = pg_store
    with store.session() as s:
        assert [p.name for p in all_learners(s)] == ["Ada"]  # this session now holds a connection
        admin_execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name",
                      name=app_name)
        with pytest.raises(StoreUnavailable) as err:
            all_learners(s)
        assert err.value.sentence.startswith(LOST) and "postgres" not in err.value.sentence.lower()
    assert names(store) == ["Ada"]  # the next page run gets a fresh connection


def test_postgres_schema_dropped_then_restored(pg_store: tuple[Store, str, str]) -> None:
    store, url, _ = pg_store
    schema = url.split("search_path%3D", 1)[1].split("&", 1)[0]
    admin_execute(f'DROP SCHEMA "{schema}" CASCADE')
    with pytest.raises(StoreUnavailable) as err:
        names(store)
    assert err.value.sentence.startswith(RESET)
    with pytest.raises(StoreUnavailable):
        add(store, "Grace")
    admin_execute(f'CREATE SCHEMA "{schema}"')
    Store.open(url).engine.dispose()  # whoever runs the app restarts it: the schema is migrated again
    assert names(store) == []
    add(store, "Grace")
    assert names(store) == ["Grace"]
