"""Presenter mode: every page readable from the back of a classroom on a projector.

Turned on by the sidebar toggle or by opening any page with ``?present=1`` (a link an instructor
can bookmark). It draws the whole main area larger (:data:`ZOOM`), widens the page, and hides the
sidebar, the top bar and anything a page wraps in :func:`learner_only` (profile prompts, "your
progress" boxes), since those are for someone at their own screen. Because the sidebar (and its
toggle) is hidden, a small "Exit presenter mode" button sits at the top of the page.

The CSS is scoped to Streamlit's ``data-testid`` attributes and to ``st-key-*`` classes of keyed
containers, and injected with ``st.html`` (a ``<style>``-only body takes no space on the page).
Call :func:`presenter_toggle` from ``app.py`` before ``navigation.run()``.
"""

import streamlit as st

from ui import keys

QUERY_KEY = "present"
LEARNER_ONLY_PREFIX = "learner-only"

_ON_VALUES = {"1", "true", "yes", "on"}

#: How much larger everything in the main area is drawn: type, images, inputs, sliders, charts and badges
#: together, so their proportions (a slider's value above its thumb, a chart's labels) stay as designed.
#: At 1920x1080 the page lays out like a 1200x675 screen, which every page already fits.
ZOOM = 1.6

CSS = f"""
<style>
/* Presenter mode: hide learner chrome */
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stDecoration"], [data-testid="stToolbar"],
[class*="st-key-learner-only"] {{ display: none !important; }}
/* Scale the whole main area, not each kind of element: everything grows together and nothing overlaps */
[data-testid="stMainBlockContainer"] {{ zoom: {ZOOM}; max-width: 100% !important;
  padding: 0.75rem 2.25rem 2rem !important; }}
/* Menus, tooltips and popovers open outside the main area: the same scale */
[data-baseweb="popover"], [data-testid="stTooltipContent"] {{ zoom: {ZOOM}; }}
/* A thicker countdown bar */
[data-testid="stMain"] [data-testid="stProgressBarTrack"] {{ height: 0.75rem !important; }}
/* Slider ends always shown (Streamlit shows them only on hover) */
[data-testid="stMain"] [data-testid="stSliderTickBar"] {{ visibility: visible !important; opacity: 1 !important; }}
</style>
"""


def is_on() -> bool:
    """Whether this browser tab is in presenter mode (pages may lay out bigger, e.g. the join code)."""
    return bool(st.session_state.get(keys.PRESENTER, False))


def _sync_url() -> None:
    if st.session_state.get(keys.PRESENTER):
        st.query_params[QUERY_KEY] = "1"
    else:
        st.query_params.pop(QUERY_KEY, None)


def _exit() -> None:
    st.session_state[keys.PRESENTER] = False
    st.query_params.pop(QUERY_KEY, None)


def presenter_toggle() -> bool:
    """The sidebar toggle; applies presenter mode to this run when it is on. Returns whether it is."""
    if keys.PRESENTER not in st.session_state:  # first run of this tab: ?present=1 turns it on
        st.session_state[keys.PRESENTER] = st.query_params.get(QUERY_KEY, "").lower() in _ON_VALUES
    st.sidebar.toggle("Presenter mode", key=keys.PRESENTER, on_change=_sync_url,
                      help="Large type for a projector; hides the sidebar. Also: add ?present=1 to any link.")
    if not is_on():
        return False
    if st.query_params.get(QUERY_KEY) != "1":  # keep the mode in the link across page switches
        st.query_params[QUERY_KEY] = "1"
    st.html(CSS)
    st.button("Exit presenter mode", key="presenter_exit", icon=":material/close_fullscreen:", type="tertiary",
              on_click=_exit)
    return True


def learner_only(name: str):
    """A container hidden in presenter mode: ``with learner_only("progress"): ...``."""
    return st.container(key=f"{LEARNER_ONLY_PREFIX}-{name}")
