"""The sidebar every page shares: who is learning, and which image backend is active."""

import streamlit as st

from genlab.backends import available_backends
from genlab.store import learners as profiles
from genlab.studio import active_backend
from ui import cookies, keys, state


def sign_in_configured() -> bool:
    """True when `[auth]` is set in secrets.toml (OIDC single sign-on, e.g. Microsoft Entra ID)."""
    return state.settings().sign_in_configured


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
        st.session_state[keys.LEARNER] = state.CurrentLearner(learner.id, learner.name)


def _profile() -> None:
    st.subheader("Your profile", anchor=False)
    settings = state.settings()
    if sign_in_configured():
        _signed_in_learner()
    elif settings.require_sign_in:
        st.error("This lab is set up to require sign-in (GENLAB_REQUIRE_SIGN_IN), but single sign-on is not "
                 "configured: add an [auth] section to .streamlit/secrets.toml and restart the app.",
                 icon=":material/lock:")
        return
    if not settings.require_sign_in:
        state.restore_from_device()
    learner = state.current_learner()
    if learner is not None:
        _signed_in_as(learner)
        return
    if sign_in_configured() and st.button("Sign in", key="profile_sign_in", icon=":material/login:"):
        st.login()
    if settings.require_sign_in:
        st.markdown("Sign in with your school or work account to learn here.")
        return
    with st.form("profile_form", border=False):
        name = st.text_input("Profile name", placeholder="e.g. your first name", max_chars=40)
        pin = st.text_input("PIN or passphrase", type="password", max_chars=64,
                            help="At least 4 characters. It is stored only as a slow, salted hash.")
        remember = st.checkbox("Remember me in this browser", value=True,
                               help="Untick on a shared computer; then close the tab when you are done.")
        st.caption("A new name makes a new profile, protected by this PIN. Your own name and PIN open your "
                   "profile on any device.")
        if st.form_submit_button("Start learning", icon=":material/login:") and state.open_profile(name, pin,
                                                                                                    remember):
            st.rerun()


def _signed_in_as(learner: state.CurrentLearner) -> None:
    if notice := st.session_state.pop(keys.PROFILE_NOTICE, None):
        st.success(notice, icon=":material/check:")
    st.markdown(f"Learning as **{learner.name}**. Your flashcards, quiz attempts and images are saved "
                "in this profile.")
    if st.user.get("is_logged_in"):
        if st.button("Sign out", key="profile_sign_out", icon=":material/logout:"):
            st.session_state.pop(keys.LEARNER, None)
            st.logout()
    elif st.button("Sign out", key="profile_switch", icon=":material/logout:",
                   help="Closes your profile here and makes this browser forget it. Open it again with your "
                        "name and PIN."):
        state.sign_out()
        st.rerun()


def _backend() -> None:
    """The same answer as the studio's banner: the studio's choice, else the free local model."""
    active = active_backend(available_backends(state.settings()), st.session_state.get(keys.STUDIO_BACKEND))
    st.subheader("Image backend", anchor=False)
    st.markdown(f"**{active.label}**  \n{active.reason}")


def render() -> None:
    with st.sidebar:
        cookies.flush()
        _profile()
        st.divider()
        _backend()


def sign_in_gate() -> bool:
    """On deployments that require sign-in, True (after saying so) while nobody is signed in."""
    if not state.settings().require_sign_in or state.current_learner() is not None:
        return False
    st.title("Sign in to use this lab", anchor=False)
    if sign_in_configured():
        st.markdown("This lab keeps each learner's work under their school or work account. Use **Sign in** "
                    "in the sidebar to continue.")
    else:
        st.markdown("This lab requires sign-in, and sign-in is not set up yet. Ask whoever runs the app to "
                    "configure single sign-on.")
    return True
