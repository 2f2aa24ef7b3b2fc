"""Browser cookies: read from the session's first request, written by a few lines of script.

Streamlit reads cookies once per session (``st.context.cookies``, from the WebSocket handshake),
so a cookie written now is seen from the next page load on, which is what "remember me" needs.
Writing has no Python API: a small ``st.html`` script sets ``document.cookie``. The values written
are tokens made on the server and checked against a strict pattern, never text a person typed.
A write is re-sent on every run of the session, so one that races a rerun still reaches the page.
"""

import json
import re

import streamlit as st

_PENDING = "_cookie_writes"
_SAFE = re.compile(r"^[A-Za-z0-9._-]{0,300}$")


def read(name: str) -> str | None:
    """The cookie's value as the browser sent it when this session started, or None."""
    value = st.context.cookies.get(name)
    return value if isinstance(value, str) and value and _SAFE.match(value) else None


def write(name: str, value: str, max_age_s: int) -> None:
    """Set (or, with ``max_age_s=0``, delete) a cookie on this site for every page of the app."""
    if not _SAFE.match(name) or not _SAFE.match(value):
        raise ValueError("Cookie names and values here are server-made tokens.")
    st.session_state.setdefault(_PENDING, {})[name] = (value, max_age_s)
    _emit({name: (value, max_age_s)})


def clear(name: str) -> None:
    write(name, "", 0)


def flush() -> None:
    """Re-send this session's cookie writes (called by the sidebar on every run)."""
    pending = st.session_state.get(_PENDING)
    if pending:
        _emit(pending)


def _emit(writes: dict[str, tuple[str, int]]) -> None:
    lines = []
    for name, (value, max_age_s) in writes.items():
        cookie = json.dumps(f"{name}={value}; Path=/; Max-Age={max_age_s}; SameSite=Strict")
        lines.append(f"document.cookie = {cookie} + (location.protocol === 'https:' ? '; Secure' : '');")
    st.html("<script>" + "\n".join(lines) + "</script>", unsafe_allow_javascript=True)
