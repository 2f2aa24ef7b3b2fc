"""Connecting to the database and keeping its schema current.

SQLite (a file in the data directory) is the default so the app works on a laptop with nothing
installed; PostgreSQL is used when ``DATABASE_URL`` says so, for a classroom with several app
replicas. Schema changes are Alembic migrations, applied on start-up.
"""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class StoreUnavailable(RuntimeError):
    """The database cannot be reached. The message is for the learner; it never holds the URL."""


def make_engine(url: str) -> Engine:
    """An engine with the settings each database needs for a web app with many sessions."""
    if url.startswith("sqlite"):
        path = url.removeprefix("sqlite:///")
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 15, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            # WAL lets readers (every page) proceed while one writer commits.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision of every feature branch."""
    config = alembic_config()
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
    except OperationalError as exc:
        raise StoreUnavailable(unavailable_message(exc)) from None


def schema_version(engine: Engine) -> set[str]:
    """The revisions the database is at (one per feature branch)."""
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def latest_version() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def unavailable_message(exc: Exception) -> str:
    """A sentence for a database error, without the connection string (it may hold a password)."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return ("The connection to the database was lost. Your work on this page is kept; "
                "try again in a moment.")
    return ("The database is not answering, so progress cannot be saved or loaded right now. Nothing "
            "on this page is lost; try again in a moment, and if it persists ask whoever runs the app "
            "to check DATABASE_URL and that the database server is running.")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
