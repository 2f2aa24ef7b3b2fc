"""Learner profiles: a name the learner picks, so progress follows them across restarts."""

import re

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from genlab.store.models import Learner, utcnow

NAME_RE = re.compile(r"^[\w][\w .'-]{0,39}$", re.UNICODE)


class ProfileError(ValueError):
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
    """The learner with this name (case-insensitive), created if new."""
    cleaned = clean_name(name)
    learner = session.scalar(select(Learner).where(Learner.name.ilike(cleaned)))
    if learner is None:
        learner = Learner(name=cleaned)
        session.add(learner)
        try:
            session.flush()
        except IntegrityError:  # another replica created the same name just now
            session.rollback()
            learner = session.scalar(select(Learner).where(Learner.name.ilike(cleaned)))
            assert learner is not None
    learner.last_seen_at = utcnow()
    session.commit()
    return learner


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


def recent(session: Session, limit: int = 20) -> list[Learner]:
    """Profiles used most recently on this database, for the "pick your profile" list."""
    return list(session.scalars(select(Learner).order_by(Learner.last_seen_at.desc()).limit(limit)))
