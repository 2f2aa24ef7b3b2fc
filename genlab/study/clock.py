"""UTC helpers: every study time is UTC, and "today" is the UTC calendar day.

py-fsrs accepts only datetimes whose ``tzinfo`` is ``timezone.utc``. SQLite hands stored datetimes
back without a zone and PostgreSQL in the session's zone, so everything read from the store passes
through :func:`utc` first.
"""

from datetime import UTC, datetime, time, timedelta


def utc(moment: datetime) -> datetime:
    """The same instant with ``tzinfo=UTC`` (naive values are taken to be UTC already)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def today_bounds(now: datetime) -> tuple[datetime, datetime]:
    """Start of today and start of tomorrow (UTC)."""
    start = datetime.combine(utc(now).date(), time(), tzinfo=UTC)
    return start, start + timedelta(days=1)
