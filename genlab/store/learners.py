"""Learner profiles: a name and a PIN the learner picks, or a single sign-on identity.

Nothing here lists learners: a profile is reached by a secret its learner holds (the PIN, a
remembered device's token, or the sign-on session), never by knowing or browsing its name.
"""

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from genlab import identity
from genlab.errors import LearnerError
from genlab.store.models import Learner, LearnerDevice, utcnow

NAME_RE = re.compile(r"^[\w][\w .'-]{0,39}$", re.UNICODE)
#: Wrong PINs in a row before a profile locks; after that, one try per lock period.
PIN_ATTEMPTS = 5
PIN_LOCK = timedelta(minutes=15)


class ProfileError(LearnerError, ValueError):
    """A profile name that cannot be used; the message says how to fix it."""


def clean_name(name: str) -> str:
    """Validate a learner name, returning it trimmed with inner spaces collapsed."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ProfileError("Type a name for your profile, for example your first name.")
    if len(cleaned) > 40:
        raise ProfileError("That name is longer than 40 characters; please choose a shorter one.")
    if not NAME_RE.match(cleaned):
        raise ProfileError("Use letters, digits, spaces, dots, apostrophes or dashes in your profile name.")
    return cleaned


def get_or_create(session: Session, name: str) -> Learner:
    """The learner with this name (case-insensitive), created if new, with no PIN check.

    For scripts and tests that set up data; pages open profiles with :func:`open_or_create`.
    """
    cleaned = clean_name(name)
    learner = _by_name(session, cleaned)
    if learner is None:
        learner = Learner(name=cleaned)
        session.add(learner)
        try:
            session.flush()
        except IntegrityError:  # another replica created the same name just now
            session.rollback()
            learner = _by_name(session, cleaned)
            assert learner is not None
    learner.last_seen_at = utcnow()
    session.commit()
    return learner


def _by_name(session: Session, cleaned: str) -> Learner | None:
    return session.scalar(select(Learner).where(Learner.name.ilike(cleaned))
                          .execution_options(populate_existing=True))


@dataclass(frozen=True)
class Opened:
    """A profile opened with its PIN; ``created`` when this call made it, ``claimed`` when it set its first PIN."""

    learner_id: int
    name: str
    created: bool = False
    claimed: bool = False


def open_or_create(session: Session, name: str, pin: str, now: datetime | None = None) -> Opened:
    """Open the profile called ``name`` with its PIN, or create it with this PIN when the name is new.

    Wrong PINs are counted on the profile's row before the (slow) check runs, in the same UPDATE
    that sets the lock, so parallel guesses on several replicas cannot get past the limit.
    """
    cleaned = clean_name(name)
    if not pin:
        raise ProfileError("Type your PIN too: a new profile needs one, and an existing one opens with it.")
    now = now or utcnow()
    learner = _by_name(session, cleaned)
    if learner is None:
        check_pin_shape_or_raise(pin)
        learner = Learner(name=cleaned, pin_hash=identity.hash_pin(pin), last_seen_at=now)
        session.add(learner)
        try:
            session.commit()
        except IntegrityError:  # the same name was created a moment ago, on this or another replica
            session.rollback()
            return open_or_create(session, name, pin, now)
        return Opened(learner.id, learner.name, created=True)
    if learner.oidc_subject is not None and learner.pin_hash is None:
        raise ProfileError(f"The profile {learner.name} belongs to a sign-in account. Use Sign in to open it.")
    if learner.pin_hash is None:  # made before profiles had PINs: the first PIN typed protects it
        check_pin_shape_or_raise(pin)
        claimed = session.execute(update(Learner).where(Learner.id == learner.id, Learner.pin_hash.is_(None))
                                  .values(pin_hash=identity.hash_pin(pin), last_seen_at=now))
        session.commit()
        if claimed.rowcount == 1:
            return Opened(learner.id, learner.name, claimed=True)
        learner = _by_name(session, cleaned)
        assert learner is not None and learner.pin_hash is not None
    _reserve_attempt(session, learner, now)
    if not identity.verify_pin(pin, learner.pin_hash):  # type: ignore[arg-type]
        raise ProfileError(f"That is not the PIN of the profile {learner.name}. Check it and try again; "
                           f"if this is not your profile, choose another name.")
    session.execute(update(Learner).where(Learner.id == learner.id)
                    .values(pin_failures=0, pin_locked_until=None, last_seen_at=now))
    session.commit()
    return Opened(learner.id, learner.name)


def check_pin_shape_or_raise(pin: str) -> None:
    try:
        identity.check_pin_shape(pin)
    except identity.PinError as exc:
        raise ProfileError(str(exc)) from None


def _reserve_attempt(session: Session, learner: Learner, now: datetime) -> None:
    """Count one PIN attempt, or refuse it while the profile is locked (one atomic UPDATE, committed)."""
    lock = now + PIN_LOCK
    counted = session.execute(
        update(Learner)
        .where(Learner.id == learner.id,
               or_(Learner.pin_locked_until.is_(None), Learner.pin_locked_until <= now))
        .values(pin_failures=Learner.pin_failures + 1,
                pin_locked_until=case((Learner.pin_failures + 1 >= PIN_ATTEMPTS, lock), else_=None))
        .execution_options(synchronize_session=False))
    session.commit()
    if counted.rowcount == 1:
        return
    locked_until = _aware(session.scalar(select(Learner.pin_locked_until).where(Learner.id == learner.id)))
    minutes = max(1, math.ceil(((locked_until or lock) - now).total_seconds() / 60))
    raise ProfileError(f"Too many wrong PINs for the profile {learner.name}, so it is locked for "
                       f"{minutes} more minute{'s' if minutes != 1 else ''}. Try again after that.")


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything here is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def remember_device(session: Session, learner_id: int, now: datetime | None = None) -> str:
    """A new device token for this learner; the store keeps only its hash. Put the token in a cookie."""
    now = now or utcnow()
    token = identity.new_device_token()
    session.add(LearnerDevice(learner_id=learner_id, token_sha256=identity.token_digest(token), created_at=now,
                              last_used_at=now, expires_at=now + timedelta(days=identity.DEVICE_DAYS)))
    session.commit()
    return token


def from_device(session: Session, token: str | None, now: datetime | None = None) -> Learner | None:
    """The learner a remembered device's token belongs to, or None (unknown, forgotten or expired)."""
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    device = session.scalar(select(LearnerDevice).where(LearnerDevice.token_sha256 == identity.token_digest(token)))
    if device is None or _aware(device.expires_at) <= now:  # type: ignore[operator]
        return None
    device.last_used_at = now
    learner = session.get(Learner, device.learner_id)
    if learner is not None:
        learner.last_seen_at = now
    session.commit()
    return learner


def forget_device(session: Session, token: str | None) -> None:
    """Sign this device out: its token opens nothing from now on."""
    if token:
        session.execute(delete(LearnerDevice).where(LearnerDevice.token_sha256 == identity.token_digest(token)))
        session.commit()


def from_sign_in(session: Session, subject: str, display_name: str) -> Learner:
    """The learner for a single sign-on identity; the profile name defaults to the display name."""
    learner = session.scalar(select(Learner).where(Learner.oidc_subject == subject))
    if learner is None:
        base = clean_name(display_name or "Learner")[:34]
        name, n = base, 1
        while session.scalar(select(Learner).where(Learner.name.ilike(name))) is not None:
            n += 1
            name = f"{base} {n}"
        learner = Learner(name=name, oidc_subject=subject)
        session.add(learner)
    learner.last_seen_at = utcnow()
    session.commit()
    return learner
