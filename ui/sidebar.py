"""The sidebar every page shares: who is learning, and which image backend is active."""

import streamlit as st

from genlab.backends import available_backends
from genlab.store import learners as profiles
from genlab.studio import active_backend
from ui import state


def sign_in_configured() -> bool:
    """True when `[auth]` is set in secrets.toml (OIDC single sign-on, e.g. Microsoft Entra ID)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises rather than returning False
        return False


def _signed_in_learner() -> None:
    """Use the signed-in identity as the profile, the first time this tab sees it."""
    if state.current_learner() is not None or not st.user.get("is_logged_in"):
        return
    store = state.store()
    if store is None:
        return
    subject = str(st.user.get("sub") or st.user.get("email"))
    with store.session() as session:
        learner = profiles.from_sign_in(session, subject, str(st.user.get("name") or st.user.get("email") or ""))
        st.session_state["learner"] = state.CurrentLearner(learner.id, learner.name)


def _profile() -> None:
    st.subheader("Your profile", anchor=False)
    if sign_in_configured():
        _signed_in_learner()
    learner = state.current_learner()
    if learner is not None:
        st.markdown(f"Learning as **{learner.name}**. Your flashcards, quiz attempts and images are saved "
                    "under this name.")
        if st.user.get("is_logged_in"):
            if st.button("Sign out", key="profile_sign_out", icon=":material/logout:"):
                st.session_state.pop("learner", None)
                st.logout()
        elif st.button("Switch profile", key="profile_switch", icon=":material/switch_account:"):
            st.session_state.pop("learner", None)
            st.rerun()
        return
    if sign_in_configured() and st.button("Sign in", key="profile_sign_in", icon=":material/login:"):
        st.login()
    store = state.store()
    if store is None:
        return
    with store.session() as session:
        names = [p.name for p in profiles.recent(session)]
    with st.form("profile_form", border=False):
        name = st.text_input("Profile name", placeholder="e.g. your first name", max_chars=40,
                             help="Choose any name; pick the same one next time to continue where you left off.")
        if names:
            st.caption("Recent profiles on this computer: " + ", ".join(names[:8]))
        if st.form_submit_button("Start learning", icon=":material/login:") and state.set_learner(name):
            st.rerun()


def _backend() -> None:
    """The same answer as the studio's banner: the studio's choice, else the free local model."""
    active = active_backend(available_backends(state.settings()), st.session_state.get("studio_backend"))
    st.subheader("Image backend", anchor=False)
    st.markdown(f"**{active.label}**  \n{active.reason}")


def render() -> None:
    with st.sidebar:
        _profile()
        st.divider()
        _backend()
