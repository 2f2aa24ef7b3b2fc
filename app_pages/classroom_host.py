"""Host a live quiz: create a room from the question bank, then run it on the projector."""

import streamlit as st

from genlab import classroom
from ui import classroom_widgets as live
from ui import state

st.title("Host a live quiz", anchor=False)
settings = state.settings()
if not classroom.passcode_configured(settings):
    st.info(classroom.SETUP_INSTRUCTIONS, icon=":material/key:")
    st.stop()
if not live.host_signed_in(settings):
    st.stop()
store = state.store()
if store is None:
    st.stop()
code = st.query_params.get("room", "")
if code:
    live.host_room(store, code)
else:
    st.markdown("Learners join on their own devices with a short code; you run the questions from this screen. "
                "Turn on **Presenter mode** in the sidebar for the projector.")
    live.create_room_form(store)
    st.divider()
    if st.button("Stop hosting in this browser", key="classroom_host_sign_out", icon=":material/logout:",
                 help="The next visit to this page asks for the instructor passcode again."):
        live.host_sign_out()
        st.rerun()
