"""Join codes and nicknames: the two things a learner types on a phone in a noisy room.

A join code is read off a projector from the back of the room, so its alphabet leaves out the
characters people confuse there: 0/O/Q, 1/I/L, 5/S, 2/Z, 8/B and U/V. What remains is 22
characters; six of them give 22**6 ~ 113 million codes, so a guessed code almost never hits a
live room, and a clash with an existing room is simply retried.

A player token is the learner device's secret: it identifies the player on a reconnect or page
reload (it rides in the learner's own URL), and it is never shown on anyone else's screen.
"""

import ipaddress
import re
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

from genlab.errors import LearnerError
from genlab.settings import Settings

#: Characters a join code is made of (no look-alikes, see the module docstring).
CODE_ALPHABET = "ACDEFGHJKMNPRTWXY34679"
CODE_LENGTH = 6

NICKNAME_MAX = 20
JOIN_PATH = "classroom"  # the learners' page (ui/navigation.py)
_NICKNAME_RE = re.compile(r"^[^\W_][\w .'-]*$", re.UNICODE)


class ClassroomError(LearnerError, ValueError):
    """Something a live quiz cannot do; the message is a sentence for the person at the screen."""


class JoinError(ClassroomError):
    """A join code or nickname that cannot be used; the message tells the learner what to do."""


def new_code(length: int = CODE_LENGTH) -> str:
    """A random join code such as ``K7MW3X`` (cryptographically random: codes must not be guessable)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def new_token() -> str:
    """A player's device secret (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def clean_code(text: str) -> str:
    """A typed join code, upper-cased with spaces and dashes removed; raises :class:`JoinError`."""
    code = re.sub(r"[\s-]", "", text or "").upper()
    if not code:
        raise JoinError("Type the join code shown on the projector screen, for example K7MW3X.")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        raise JoinError(f"'{code[:12]}' is not a join code: codes are {CODE_LENGTH} letters and digits, "
                        "for example K7MW3X. Check the code on the projector screen and try again.")
    return code


def clean_nickname(text: str) -> str:
    """A nickname trimmed, inner spaces collapsed; raises :class:`JoinError` with how to fix it."""
    name = " ".join((text or "").split())
    if not name:
        raise JoinError("Type a nickname so the class can see you on the leaderboard.")
    if len(name) > NICKNAME_MAX:
        raise JoinError(f"That nickname is {len(name)} characters long; use at most {NICKNAME_MAX}.")
    if not _NICKNAME_RE.match(name):
        raise JoinError("Start your nickname with a letter or digit, and use only letters, digits, spaces, "
                        "dots, dashes or apostrophes.")
    return name


def nickname_key(name: str) -> str:
    """What two nicknames must differ in: case and spacing do not count (``Ada`` == ``ada``)."""
    return " ".join(name.split()).casefold()


def join_url(page_url: str, code: str, join_path: str = "classroom") -> str:
    """The learners' join link built from the host page's own address.

    ``page_url`` is what the host's browser shows (``st.context.url``), so the link works behind a
    proxy or under a base path: the last path segment (the host page) is replaced by the join page.
    """
    parts = urlsplit(page_url)
    base = parts.path.rsplit("/", 1)[0]
    return urlunsplit((parts.scheme, parts.netloc, f"{base}/{join_path}", urlencode({"room": code}), ""))


@dataclass(frozen=True)
class JoinAddress:
    """The join link for the projector, and a sentence when learners' devices cannot open it."""

    url: str
    warning: str | None = None


LOOPBACK_NAMES = {"localhost", "0.0.0.0", "::", "::1"}


def _loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def join_address(settings: Settings, page_url: str | None, code: str) -> JoinAddress:
    """The join link: from ``GENLAB_PUBLIC_URL`` when set, else from the host page's own address.

    A loopback address (``127.0.0.1``, ``localhost``) opens only on the host's own computer, so with
    no public URL set the projector says so and how to fix it, rather than showing a QR code that
    no phone can open.
    """
    if settings.public_url:
        parts = urlsplit(settings.public_url.rstrip("/"))
        return JoinAddress(urlunsplit((parts.scheme, parts.netloc, f"{parts.path}/{JOIN_PATH}",
                                       urlencode({"room": code}), "")))
    url = join_url(page_url or "http://localhost:8501/classroom-host", code)
    host = urlsplit(url).hostname or ""
    if not _loopback(host):
        return JoinAddress(url)
    return JoinAddress(url, f"This link uses {host}, an address only this computer can open: learners' phones "
                            f"and laptops cannot reach it. Set GENLAB_PUBLIC_URL to the address they use (for "
                            f"example http://192.168.1.20:8501) and restart the app, or open this page at that "
                            f"address.")
