"""The sidebar every page shares: who is learning, and which image backend is active."""

import streamlit as st

from genlab.settings import backend_status
from genlab.store import learners as profiles
from ui import state


def _profile() -> None:
    st.subheader("Your profile", anchor=False)
    learner = state.current_learner()
    if learner is not None:
        st.markdown(f"Learning as **{learner.name}**. Your flashcards, quiz attempts and images are saved "
                    "under this name.")
        if st.button("Switch profile", key="profile_switch", icon=":material/switch_account:"):
            st.session_state.pop("learner", None)
            st.rerun()
        return
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
    status = backend_status(state.settings())
    label = {"local": "Local model (offline)", "azure": "Azure OpenAI", "openai": "OpenAI"}[status.name]
    st.subheader("Image backend", anchor=False)
    st.markdown(f"**{label}**  \n{status.reason}")


def render() -> None:
    with st.sidebar:
        _profile()
        st.divider()
        _backend()
