"""Secrets that say who someone is: learner PINs, remembered-device tokens and the host token.

Pure functions, no database and no Streamlit, so every decision is testable on its own:

* A learner's PIN (or passphrase) is stored only as a salted scrypt hash. scrypt is slow and
  memory-hard on purpose: a copied database does not hand out PINs, even short ones.
* A remembered device holds a random token (in a cookie); the store keeps only its SHA-256, so a
  copied database cannot be replayed as a cookie either. The token is long and random, so a fast
  hash is enough for it (unlike a PIN).
* The instructor's host token is ``expires.nonce.signature``, signed with HMAC-SHA256 under a
  server key, so a reload of the host page keeps the role without the passcode, and nobody can
  forge or stretch one without the key. Every replica derives the same key from the same settings.
"""

import base64
import hashlib
import hmac
import secrets
import time

from genlab.errors import LearnerError
from genlab.settings import Settings

PIN_MIN, PIN_MAX = 4, 64
#: scrypt cost: 2**14 x 8 x 128 bytes = 16 MiB of memory and ~50 ms per check on one core.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
DEVICE_COOKIE = "genlab_device"
HOST_COOKIE = "genlab_host"
DEVICE_DAYS = 180
HOST_HOURS = 12


class PinError(LearnerError, ValueError):
    """A PIN that cannot be used; the message says how to fix it."""


def check_pin_shape(pin: str) -> str:
    """The PIN as typed, or a sentence saying why it cannot be a PIN."""
    if len(pin) < PIN_MIN:
        raise PinError(f"Choose a PIN or passphrase of at least {PIN_MIN} characters.")
    if len(pin) > PIN_MAX:
        raise PinError(f"A PIN or passphrase can have at most {PIN_MAX} characters.")
    return pin


def hash_pin(pin: str) -> str:
    """``scrypt$n$r$p$salt$digest`` (base64): the only form in which a PIN is ever stored."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)])


def verify_pin(pin: str, stored: str) -> bool:
    """True when ``pin`` hashes to ``stored`` (compared in constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.urlsafe_b64decode(digest + "==")
        got = hashlib.scrypt(pin.encode("utf-8"), salt=base64.urlsafe_b64decode(salt + "=="), n=int(n), r=int(r),
                             p=int(p), dklen=len(expected))
    except (ValueError, TypeError):  # a damaged hash opens nothing
        return False
    return hmac.compare_digest(got, expected)


def new_device_token() -> str:
    """A random token for a remembered device (256 bits, cookie-safe characters)."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the store keeps of a device token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- the instructor's host token ----------------------------------------------------------------


def _host_key(settings: Settings) -> bytes | None:
    """The signing key: ``GENLAB_SECRET_KEY`` if set, else derived from the instructor passcode.

    Deriving from the passcode means every replica agrees without another setting, and changing the
    passcode signs every host out.
    """
    if settings.secret_key is not None and settings.secret_key.get_secret_value():
        material = settings.secret_key.get_secret_value()
    elif settings.instructor_passcode is not None and settings.instructor_passcode.get_secret_value():
        material = settings.instructor_passcode.get_secret_value()
    else:
        return None
    return hmac.new(material.encode("utf-8"), b"genlab host token v1", hashlib.sha256).digest()


def issue_host_token(settings: Settings, now: float | None = None, hours: int = HOST_HOURS) -> str:
    """A signed token that says "this browser passed the instructor passcode", valid for ``hours``."""
    key = _host_key(settings)
    if key is None:
        raise ValueError("No instructor passcode is configured, so no host token can be signed.")
    expires = int((now if now is not None else time.time()) + hours * 3600)
    body = f"{expires}.{secrets.token_urlsafe(12)}"
    return f"{body}.{_b64(hmac.new(key, body.encode(), hashlib.sha256).digest())}"


def host_token_valid(settings: Settings, token: str | None, now: float | None = None) -> bool:
    """True for an unexpired token signed with this app's key; False for anything else."""
    key = _host_key(settings)
    if key is None or not token or token.count(".") != 2:
        return False
    expires, nonce, signature = token.split(".")
    body = f"{expires}.{nonce}"
    expected = _b64(hmac.new(key, body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(signature.encode(), expected.encode()):
        return False
    try:
        return int(expires) > (now if now is not None else time.time())
    except ValueError:
        return False


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
