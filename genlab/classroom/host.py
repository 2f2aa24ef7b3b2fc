"""Who may host: anyone who knows the instructor passcode from the settings.

The passcode is compared in constant time (``hmac.compare_digest``) and never leaves the server:
the host page keeps only "this browser tab passed the check" in its session, and learners' pages
never touch the passcode at all.
"""

import hmac

from genlab.settings import Settings

PASSCODE_ENV = "GENLAB_INSTRUCTOR_PASSCODE"

#: What the host page shows when no passcode is configured (names the setting, never a value).
SETUP_INSTRUCTIONS = (
    "Hosting a live quiz needs an instructor passcode, and none is configured. Set the environment "
    f"variable {PASSCODE_ENV} before starting the app, for example  \n"
    f"`{PASSCODE_ENV}='choose-a-long-passphrase' bash scripts/start.sh`  \n"
    f"or add the line `{PASSCODE_ENV} = \"choose-a-long-passphrase\"` to .streamlit/secrets.toml, "
    "then restart the app. With several replicas, give every replica the same value."
)


def passcode_configured(settings: Settings) -> bool:
    return settings.instructor_passcode is not None and bool(settings.instructor_passcode.get_secret_value())


def check_passcode(settings: Settings, attempt: str) -> bool:
    """True when ``attempt`` is the configured passcode (False when none is configured)."""
    if not passcode_configured(settings) or not attempt:
        return False
    secret = settings.instructor_passcode.get_secret_value()  # type: ignore[union-attr]
    return hmac.compare_digest(attempt.encode("utf-8"), secret.encode("utf-8"))
