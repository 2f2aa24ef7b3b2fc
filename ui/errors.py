"""The one place a learner-facing error becomes something on the screen.

Engine code raises :class:`genlab.errors.LearnerError` with a sentence; the router (``app.py``) runs
the sidebar and every page inside :func:`shows_learner_errors`, so a page never has to catch them to
avoid a traceback. A widget that wants the sentence next to itself (and the rest of its page drawn)
wraps just that part in the same context manager.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from genlab.errors import LearnerError
from genlab.store import StoreUnavailable


def show_learner_error(exc: LearnerError) -> None:
    """The error's sentence (and hint, if any), with an icon that says what kind of trouble it is."""
    icon = ":material/database:" if isinstance(exc, StoreUnavailable) else ":material/error:"
    st.error(exc.sentence, icon=icon)
    if exc.hint:
        st.caption(exc.hint)


@contextmanager
def shows_learner_errors() -> Iterator[None]:
    """Run the block; a LearnerError stops it and shows its sentence instead of a traceback."""
    try:
        yield
    except LearnerError as exc:
        show_learner_error(exc)
