"""AppTest runs use a fresh data directory each, and never a configured cloud backend: the secrets file
is ``tmp_path / "secrets.toml"``, absent unless a test writes it."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from genlab import settings
from genlab.settings import ENV_VARS
from tests.support.apptest import reload_settings


@pytest.fixture(autouse=True)
def fresh_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("GENLAB_DATA_DIR", str(tmp_path / "data"))
    for var in [v for v in ENV_VARS if v != "GENLAB_DATA_DIR"]:  # nothing from the developer's shell
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(settings, "SECRETS_FILE", tmp_path / "secrets.toml")
    reload_settings()  # settings, store and backends are cached per process, like in the app
    yield
    reload_settings()
