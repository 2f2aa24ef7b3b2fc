"""AppTest runs use a fresh data directory each, and never a configured cloud backend."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from genlab.settings import ENV_VARS, get_settings

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture(autouse=True)
def fresh_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("GENLAB_DATA_DIR", str(tmp_path / "data"))
    for var in [v for v in ENV_VARS if v != "GENLAB_DATA_DIR"]:  # nothing from the developer's shell
        monkeypatch.delenv(var, raising=False)
    get_settings.cache_clear()
    st.cache_resource.clear()  # settings, store and backends are cached per process, like in the app
    yield
    get_settings.cache_clear()
    st.cache_resource.clear()
