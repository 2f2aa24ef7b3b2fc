"""Which backend the studio uses: the selector, the banner that explains it, and the backend object.

The decision (which one is active when nothing was chosen) is :func:`genlab.studio.active_backend`, the
same answer the sidebar shows; this module only draws it.
"""

from hashlib import sha256

import streamlit as st

from genlab.backends import Availability, Backend, BackendUnavailable, get_backend
from genlab.backends.limits import LOCAL_SIZE
from genlab.settings import Settings
from genlab.studio import LABELS, SERVICE, active_backend, usable
from ui import keys

#: The session-state key of the backend selector (read by the sidebar too, through active_backend).
CHOICE_KEY = keys.STUDIO_BACKEND


def _fingerprint(settings: Settings) -> str:
    """A cache key that changes with any backend setting, secrets included (only their hash is kept)."""
    secrets = [s.get_secret_value() if s else "" for s in (settings.azure_api_key, settings.openai_api_key)]
    parts = [settings.azure_endpoint, settings.azure_deployment, settings.azure_api_version,
             settings.azure_use_entra_id, settings.azure_route, settings.openai_base_url, settings.openai_model,
             settings.sign_prompt, str(settings.data_dir), settings.request_deadline_s, settings.request_retries,
             *secrets]
    return sha256(repr(parts).encode()).hexdigest()


@st.cache_resource(show_spinner=False, max_entries=8)
def _cached_backend(name: str, key: str, _settings: Settings) -> Backend:
    return get_backend(name, _settings, timeout_s=_settings.request_deadline_s,
                       max_retries=_settings.request_retries, azure_route=_settings.azure_route)


def backend(name: str, settings: Settings) -> Backend | None:
    """The backend ``name``, built once per process and configuration; None after saying why it cannot be."""
    try:
        return _cached_backend(name, _fingerprint(settings), settings)
    except (BackendUnavailable, ValueError) as exc:
        st.error(str(exc), icon=":material/error:")
        return None


def choose_backend(available: dict[str, Availability]) -> str:
    """The backend selector: the usable ones, local first (the default). Returns the active backend."""
    names = usable(available)
    if names:
        st.radio("Image backend", names, format_func=LABELS.get, horizontal=True, key=CHOICE_KEY,
                 help="The local model is free and runs here; the services need a key and cost money.")
    return active_backend(available, st.session_state.get(CHOICE_KEY)).name


HOW_TO_ADD_A_KEY = (
    "**How to add a key.** For Azure OpenAI, set `AZURE_OPENAI_ENDPOINT`, `AZURE_OPENAI_DEPLOYMENT` and "
    "`AZURE_OPENAI_API_KEY` (or `AZURE_OPENAI_USE_ENTRA_ID=true` to sign in with Microsoft Entra ID); for "
    "OpenAI, set `OPENAI_API_KEY`. Put them in the environment or in `.streamlit/secrets.toml`, then restart "
    "the app. The key stays on the server: no page shows it.")


def banner(available: dict[str, Availability], chosen: str) -> None:
    """Which backend is active, why, and how to add the others."""
    remote = [n for n in ("azure", "openai") if available[n].ok]
    if chosen == "local" and not remote:
        st.info("**Active backend: the local model.** No Azure OpenAI or OpenAI key was found, so images come "
                f"from the small model that ships with this app: free, on your CPU, {LOCAL_SIZE} pictures of its "
                f"illustrated world.\n\n{HOW_TO_ADD_A_KEY}", icon=":material/computer:")
        return
    if chosen == "local":
        others = " ".join(available[n].reason for n in remote)
        names = " or ".join(SERVICE[n] for n in remote)
        st.info(f"**Active backend: the local model** (the free default). {available['local'].reason} {others} "
                f"Choose {names} above to make real images (they cost money).", icon=":material/computer:")
        return
    missing = [available[n].reason for n in ("azure", "openai") if not available[n].ok]
    st.success(f"**Active backend: {SERVICE[chosen]}.** {available[chosen].reason} Each image is a paid "
               "request: the cost is estimated before you send and reported after."
               + (" " + " ".join(missing) if missing else ""), icon=":material/cloud:")
