"""Connecting to the database and keeping its schema current.

SQLite (a file in the data directory) is the default so the app works on a laptop with nothing
installed; PostgreSQL is used when ``DATABASE_URL`` says so, for a classroom with several app
replicas. Schema changes are Alembic migrations, applied on start-up.

A database can go away while the app runs: the server restarts or drops its connections, someone
deletes, moves or replaces the SQLite file, a schema is dropped. Every engine made here turns those
errors, whenever they happen, into :class:`StoreUnavailable` (a :class:`~genlab.errors.LearnerError`
whose sentence the page shows), and recovers by itself once the database is back: PostgreSQL
connections are pinged before use and replaced when dead; a pooled SQLite connection is replaced
when its file is no longer the one at the path, and a missing file is reported, never silently
re-created empty.
"""

import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

from genlab.errors import LearnerError
from genlab.store import roundtrips

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

#: SQLite errors that mean "the file is gone, replaced, unreadable or busy", not a bug in a query.
SQLITE_UNAVAILABLE = ("unable to open database file", "no such table", "disk i/o error", "readonly database",
                      "database is locked", "file is not a database", "database disk image is malformed")
#: PostgreSQL SQLSTATE prefixes with the same meaning: connection exceptions (08), operator intervention
#: such as pg_terminate_backend or a shutdown (57P), insufficient resources (53), and a missing table or
#: schema (42P01, 3F000: the database was reset or the schema dropped).
POSTGRES_UNAVAILABLE = ("08", "57P", "53", "42P01", "3F000")
MISSING_TABLES = ("42P01", "3F000")


class StoreUnavailable(LearnerError, RuntimeError):
    """The database cannot be reached, or has lost its tables. The sentence never holds the URL."""


def is_unavailable(exc: BaseException) -> bool:
    """Whether a driver error means the database is unreachable or not the one the app set up."""
    state = getattr(exc, "sqlstate", None)
    if state:
        return state.startswith(POSTGRES_UNAVAILABLE)
    if isinstance(exc, sqlite3.Error):
        return any(phrase in str(exc).lower() for phrase in SQLITE_UNAVAILABLE)
    return type(exc).__name__ == "OperationalError"  # other drivers: the connection itself failed


def _translate_errors(engine: Engine) -> None:
    @event.listens_for(engine, "handle_error")
    def _unavailable(context: ExceptionContext) -> None:
        if context.is_disconnect or is_unavailable(context.original_exception):
            error = context.sqlalchemy_exception or context.original_exception
            raise StoreUnavailable(unavailable_message(error)) from None


def _sqlite_file_id(path: Path) -> tuple[int, int] | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _sqlite_engine(url: str) -> Engine:
    path = make_url(url).database
    engine = create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})
    file = Path(path).resolve() if path and path != ":memory:" else None  # None: an in-memory database
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        sqlite3.connect(file).close()  # created here, once; a connection never re-creates a vanished file

        @event.listens_for(engine, "do_connect")
        def _open_existing_only(_dialect: Any, _record: Any, cargs: list[Any], cparams: dict[str, Any]) -> None:
            cargs[:] = [f"file:{quote(str(file))}?mode=rw"]
            cparams["uri"] = True

        @event.listens_for(engine, "checkout")
        def _same_file(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
            # A pooled connection keeps the file it opened even after that file is deleted or replaced;
            # it must not write into a file nobody will read again.
            if record.info.get("file_id") != _sqlite_file_id(file):
                raise DisconnectionError("the SQLite file changed")  # the pool opens a new connection

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, record: Any) -> None:
        if file is not None:
            record.info["file_id"] = _sqlite_file_id(file)
        cursor = dbapi_connection.cursor()
        # WAL lets readers (every page) proceed while one writer commits.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


def make_engine(url: str) -> Engine:
    """An engine with the settings each database needs for a web app with many sessions, whose errors
    for a database that went away are :class:`StoreUnavailable`."""
    if url.startswith("sqlite"):
        engine = _sqlite_engine(url)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    _translate_errors(engine)
    roundtrips.install(engine)
    return engine


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision of every feature branch (StoreUnavailable when the
    database cannot be reached, like every other query)."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def schema_version(engine: Engine) -> set[str]:
    """The revisions the database is at (one per feature branch)."""
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def latest_version() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def unavailable_message(exc: BaseException) -> str:
    """A sentence for a database error, without the connection string (it may hold a password)."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return ("The connection to the database was lost. Your work on this page is kept; "
                "try again in a moment.")
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    if getattr(original, "sqlstate", None) in MISSING_TABLES or "no such table" in str(original).lower():
        return ("The database no longer has the app's tables: it was reset or replaced while the app was "
                "running, so progress cannot be saved or loaded right now. Ask whoever runs the app to restore "
                "the database or restart the app, then try again.")
    return ("The database is not answering, so progress cannot be saved or loaded right now. Nothing "
            "on this page is lost; try again in a moment, and if it persists ask whoever runs the app "
            "to check DATABASE_URL and that the database server is running.")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
