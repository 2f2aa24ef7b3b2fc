"""Process-wide resources and the current learner, for every page.

Heavy, read-only objects (settings, the database engine) are created once per process with
``st.cache_resource``; per-learner values live in ``st.session_state`` and the store, never in a
process global.
"""

from dataclasses import dataclass

import streamlit as st

from genlab.settings import Settings, SettingsError, get_settings
from genlab.store import Store, StoreUnavailable
from genlab.store import learners as profiles
from ui import keys


@st.cache_resource(show_spinner=False)
def _settings() -> Settings:
    return get_settings()


def settings() -> Settings:
    """The app's settings; a broken configuration stops the page with a sentence, not a traceback."""
    try:
        return _settings()
    except SettingsError as exc:
        st.error(str(exc), icon=":material/settings:")
        st.stop()


@st.cache_resource(show_spinner="Opening the database…")
def _store(url_key: str) -> Store:  # keyed by a non-secret description, see store()
    return Store.from_settings(settings())


def store() -> Store | None:
    """The shared store, or None (after saying why) when the database cannot be reached."""
    try:
        return _store(settings().describe_database())
    except StoreUnavailable as exc:
        st.warning(str(exc), icon=":material/database:")
        return None


@dataclass(frozen=True)
class CurrentLearner:
    id: int
    name: str


def current_learner() -> CurrentLearner | None:
    """The learner this browser tab has picked, if any (set by the sidebar profile picker)."""
    return st.session_state.get(keys.LEARNER)


def set_learner(name: str) -> CurrentLearner | None:
    """Pick (or create) a profile by name; returns None after showing why it failed."""
    s = store()
    if s is None:
        return None
    try:
        with s.session() as session:
            learner = profiles.get_or_create(session, name)
            chosen = CurrentLearner(learner.id, learner.name)
    except profiles.ProfileError as exc:
        st.error(str(exc))
        return None
    st.session_state[keys.LEARNER] = chosen
    return chosen
