"""Join a live quiz: a code and a nickname, then answer on this device while the host runs the questions."""

import streamlit as st

from ui import classroom_widgets as live
from ui import state

st.title("Join a live quiz", anchor=False)
store = state.store()
if store is None:
    st.stop()
player = live.current_player(store)
if player is None:
    live.join_form(store, st.query_params.get("room", ""))
else:
    live.learner_live(store, player)
