import pytest
from sqlalchemy import text

from genlab.store import Store, StoreUnavailable, latest_version, schema_version
from genlab.store import learners as profiles


def test_migrations_reach_every_feature_head(store: Store) -> None:
    assert schema_version(store.engine) == latest_version() != set()


def test_migrating_twice_changes_nothing(store: Store) -> None:
    before = schema_version(store.engine)
    Store.open(store.engine.url.render_as_string(hide_password=False))
    assert schema_version(store.engine) == before


def test_schema_matches_models(store: Store) -> None:
    """Autogenerate finds no difference between the migrations and the SQLAlchemy models."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from genlab.store.schema import metadata

    with store.engine.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c), metadata)
    assert diff == []


def test_learner_profile_round_trip(store: Store) -> None:
    with store.session() as s:
        ada = profiles.get_or_create(s, "  Ada   Lovelace ")
        again = profiles.get_or_create(s, "ada lovelace")
        assert ada.id == again.id and ada.name == "Ada Lovelace"


def test_sign_in_profiles_get_unique_names(store: Store) -> None:
    with store.session() as s:
        profiles.get_or_create(s, "Alan")
        signed = profiles.from_sign_in(s, "sub-123", "Alan")
        assert signed.name == "Alan 2"
        assert profiles.from_sign_in(s, "sub-123", "Alan").id == signed.id


@pytest.mark.parametrize("bad", ["", "   ", "x" * 41, "<script>"])
def test_bad_profile_names_get_a_sentence(bad: str) -> None:
    with pytest.raises(profiles.ProfileError, match=r"\."):
        profiles.clean_name(bad)


def test_sqlite_uses_wal(tmp_path) -> None:
    s = Store.open(f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with s.engine.connect() as c:
        assert c.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_dead_database_is_a_sentence_without_the_url() -> None:
    url = "postgresql+psycopg://learner:hunter2@127.0.0.1:1/nowhere"
    with pytest.raises(StoreUnavailable) as err:
        Store.open(url + "?connect_timeout=2")
    assert "hunter2" not in str(err.value) and "127.0.0.1" not in str(err.value)
    assert "try again" in str(err.value)
