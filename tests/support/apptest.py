"""AppTest helpers shared by tests/app: the app's entry point, opening a page, clicking a button, and
reloading settings after a test changes the environment (what a restart of the app would do)."""

from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

from genlab.settings import get_settings

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def open_page(page: str | None = None, *, timeout: float = 120) -> AppTest:
    """A fresh app session (what a new browser tab gets), switched to ``page`` (a path under app_pages/)."""
    at = AppTest.from_file(APP, default_timeout=timeout).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> AppTest:
    """Click the first button labelled ``label`` and rerun; the page must not raise."""
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def reload_settings() -> None:
    """Forget the settings and every process-wide resource (store, backends), as a restarted app would."""
    get_settings.cache_clear()
    st.cache_resource.clear()
