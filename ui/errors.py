"""The one place a learner-facing error becomes something on the screen.

Engine code raises :class:`genlab.errors.LearnerError` with a sentence; the router (``app.py``) runs
the sidebar and every page inside :func:`shows_learner_errors`, so a page never has to catch them to
avoid a traceback. A widget that wants the sentence next to itself (and the rest of its page drawn)
wraps just that part in the same context manager.

Widget callbacks (``on_click``, ``on_change``) run before the page script, outside that block: wrap
them with :func:`keeps_learner_errors`, which holds the error until the router shows it at the top of
the run the click started.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec

import streamlit as st

from genlab.errors import LearnerError
from genlab.store import StoreUnavailable
from ui.keys import PENDING_ERROR

P = ParamSpec("P")


def show_learner_error(exc: LearnerError) -> None:
    """The error's sentence (and hint, if any), with an icon that says what kind of trouble it is."""
    icon = ":material/database:" if isinstance(exc, StoreUnavailable) else ":material/error:"
    st.error(exc.sentence, icon=icon)
    if exc.hint:
        st.caption(exc.hint)


@contextmanager
def shows_learner_errors() -> Iterator[None]:
    """Show an error a callback kept for this run, then run the block; a LearnerError stops the block
    and shows its sentence instead of a traceback."""
    if (pending := st.session_state.pop(PENDING_ERROR, None)) is not None:
        show_learner_error(pending)
    try:
        yield
    except LearnerError as exc:
        show_learner_error(exc)


def keeps_learner_errors(callback: Callable[P, None]) -> Callable[P, None]:
    """A widget callback whose LearnerError is shown by the router on the run that follows."""

    @wraps(callback)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            callback(*args, **kwargs)
        except LearnerError as exc:
            st.session_state[PENDING_ERROR] = exc

    return guarded
