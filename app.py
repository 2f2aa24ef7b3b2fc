"""AI-901 Image Generation Lab: the router.

Sets the page up, builds the navigation from ``ui.navigation`` (a page is listed once it does
something real), draws the shared sidebar (learner profile, active image backend), offers presenter
mode, and runs the page. The sidebar and the page run inside ``ui.errors.shows_learner_errors``: an
error the engine raises for the learner (a database that went away, a code that does not exist) shows
as its sentence, and the next run tries again.
"""

import streamlit as st

from ui import phone, presenter, sidebar, warmup
from ui.errors import shows_learner_errors
from ui.navigation import NAVIGATION

warmup.start()  # once per process; under `python -m ui.serve` it is already running since the server started
st.set_page_config(page_title="AI-901 Image Generation Lab", page_icon=":material/palette:",
                   layout="wide", initial_sidebar_state="auto")

pages = {
    section: [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.url_path or None, default=not p.url_path)
              for p in specs]
    for section, specs in NAVIGATION.items()
}
navigation = st.navigation(pages, position="sidebar", expanded=True)
with shows_learner_errors():
    sidebar.render()
phone.close_sidebar_on_navigation()
if sidebar.sign_in_gate():  # shared deployments (GENLAB_REQUIRE_SIGN_IN): nothing without an account
    st.stop()
presenter.presenter_toggle()  # in the main area: its "Exit presenter mode" button must show with the sidebar hidden
with shows_learner_errors():
    navigation.run()
