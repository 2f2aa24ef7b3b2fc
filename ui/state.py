"""Process-wide resources and the current learner, for every page.

Heavy, read-only objects (settings, the database engine) are created once per process with
``st.cache_resource``; per-learner values live in ``st.session_state`` and the store, never in a
process global.
"""

from dataclasses import dataclass

import streamlit as st

from genlab import identity
from genlab.settings import Settings, SettingsError, get_settings
from genlab.store import Store, StoreUnavailable
from genlab.store import learners as profiles
from ui import cookies, keys, warmup


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


@warmup.task("the settings and the database (migrated once)")
def _warm_store() -> None:
    _store(_settings().describe_database())


@warmup.task("the local image model")
def _warm_model() -> None:
    from genlab.diffusion.model import load_model  # only here: a page that never draws an image never loads it

    load_model()


@dataclass(frozen=True)
class CurrentLearner:
    id: int
    name: str


def current_learner() -> CurrentLearner | None:
    """The learner this browser tab opened, if any (set by the sidebar, never by a link or a query)."""
    return st.session_state.get(keys.LEARNER)


def open_profile(name: str, pin: str, remember: bool) -> CurrentLearner | None:
    """Open (or create) a profile with its PIN; returns None after showing why it failed."""
    s = store()
    if s is None:
        return None
    try:
        with s.session() as session:
            opened = profiles.open_or_create(session, name, pin)
            token = profiles.remember_device(session, opened.learner_id) if remember else None
    except profiles.ProfileError as exc:
        st.error(str(exc), icon=":material/lock:")
        return None
    if token is not None:
        cookies.write(identity.DEVICE_COOKIE, token, identity.DEVICE_DAYS * 86400)
    chosen = CurrentLearner(opened.learner_id, opened.name)
    st.session_state[keys.LEARNER] = chosen
    if opened.created:
        st.session_state[keys.PROFILE_NOTICE] = (f"Made the profile {opened.name}. Open it on another device with "
                                              "the same name and PIN.")
    elif opened.claimed:
        st.session_state[keys.PROFILE_NOTICE] = (f"The profile {opened.name} now opens only with the PIN you "
                                              "just typed.")
    return chosen


def restore_from_device() -> CurrentLearner | None:
    """The profile this browser was told to remember (its cookie), once per session."""
    if st.session_state.get(keys.LEARNER) is not None or st.session_state.get(keys.DEVICE_CHECKED):
        return st.session_state.get(keys.LEARNER)
    st.session_state[keys.DEVICE_CHECKED] = True
    token = cookies.read(identity.DEVICE_COOKIE)
    if token is None:
        return None
    s = store()
    if s is None:
        return None
    with s.session() as session:
        learner = profiles.from_device(session, token)
        if learner is None:
            return None
        chosen = CurrentLearner(learner.id, learner.name)
    st.session_state[keys.LEARNER] = chosen
    return chosen


def sign_out() -> None:
    """Close the profile in this tab and make this browser forget it (its token opens nothing now)."""
    token = cookies.read(identity.DEVICE_COOKIE)
    s = store()
    if s is not None and token:
        with s.session() as session:
            profiles.forget_device(session, token)
    keep = {"studio_spent", "studio_times"}  # the tab's spending limits outlive a profile switch
    for key in [k for k in st.session_state if str(k).startswith(("fc_", "q-", "quiz_", "studio_")) and k not in keep]:
        del st.session_state[key]  # nothing of the last learner's screens stays for the next one
    st.session_state.pop(keys.LEARNER, None)
    cookies.clear(identity.DEVICE_COOKIE)
