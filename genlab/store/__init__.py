"""Persistence: SQLAlchemy 2 over SQLite (default) or PostgreSQL, with Alembic migrations."""

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from genlab.settings import Settings
from genlab.store.engine import (
    StoreUnavailable,
    latest_version,
    make_engine,
    make_sessionmaker,
    migrate,
    schema_version,
    unavailable_message,
)
from genlab.store.models import Base, Learner


@dataclass
class Store:
    """One per process: the engine and a session factory, schema already migrated."""

    engine: Engine
    sessions: sessionmaker[Session]

    @classmethod
    def open(cls, url: str) -> "Store":
        engine = make_engine(url)
        migrate(engine)
        return cls(engine, make_sessionmaker(engine))

    @classmethod
    def from_settings(cls, settings: Settings) -> "Store":
        return cls.open(settings.sqlalchemy_url)

    def session(self) -> Session:
        return self.sessions()


__all__ = [
    "Base",
    "Learner",
    "Store",
    "StoreUnavailable",
    "latest_version",
    "make_engine",
    "migrate",
    "schema_version",
    "unavailable_message",
]
