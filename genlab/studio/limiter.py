"""One limiter: the per-learner rate limit and the daily budget for paid images (the free local model has
neither; its guard is :mod:`genlab.studio.gate`, one drawing at a time).

A learner with a profile is limited by the rows in the store (:class:`StoreLimiter`), so the limits
hold across tabs and replicas; a visitor without one by a small record kept for the visit
(:class:`MemoryLimiter`). Both apply the same rules with the same sentences
(:func:`genlab.backends.gallery.rate_limit_error` and :func:`~genlab.backends.gallery.budget_error`), and
both count only what was delivered or reported: a failure without usage adds nothing to the budget.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from genlab.backends.gallery import PAID_BACKENDS, Gallery, budget_error, rate_limit_error
from genlab.backends.types import BackendError, CostEstimate, ImageResult


class Limiter(Protocol):
    """What the engine asks before a call, and tells after one."""

    def check(self, backend: str, cost: CostEstimate, now: datetime | None = None) -> BackendError | None:
        """None when a request of ``cost`` on ``backend`` may go ahead, else the sentence why not."""

    def count(self, result: ImageResult, now: datetime | None = None) -> None:
        """Remember a request that was sent (for the rate limit) and what it cost (for the budget)."""

    def spent_today(self, now: datetime | None = None) -> float:
        """US dollars counted against today's budget."""


def _now(now: datetime | None) -> datetime:
    return (now or datetime.now(UTC)).astimezone(UTC)


@dataclass
class StoreLimiter:
    """The limits of a learner with a profile: the gallery's rows are the record (``count`` adds nothing,
    because the engine saves every sent request to the gallery)."""

    gallery: Gallery
    learner_id: int

    def check(self, backend: str, cost: CostEstimate, now: datetime | None = None) -> BackendError | None:
        return self.gallery.check(self.learner_id, backend, cost, _now(now))

    def count(self, result: ImageResult, now: datetime | None = None) -> None:
        return None

    def spent_today(self, now: datetime | None = None) -> float:
        return self.gallery.spent_today(self.learner_id, _now(now))


@dataclass
class MemoryLimiter:
    """The same limits for a visitor without a profile, kept for the visit (in the page's session)."""

    rate_limit_per_minute: int
    daily_budget_usd: float
    times: list[datetime] = field(default_factory=list)
    spent: list[tuple[datetime, float]] = field(default_factory=list)

    def check(self, backend: str, cost: CostEstimate, now: datetime | None = None) -> BackendError | None:
        if backend not in PAID_BACKENDS:
            return None
        now = _now(now)
        recent = sorted((t for t in self.times if now - t < timedelta(minutes=1)), reverse=True)
        return (rate_limit_error(recent, self.rate_limit_per_minute, now)
                or budget_error(self.spent_today(now), cost, self.daily_budget_usd))

    def count(self, result: ImageResult, now: datetime | None = None) -> None:
        if result.backend not in PAID_BACKENDS:
            return
        now = _now(now)
        self.times = [t for t in self.times if now - t < timedelta(minutes=1)] + [now]
        if result.cost is not None and result.cost.usd > 0:
            self.spent.append((now, result.cost.usd))

    def spent_today(self, now: datetime | None = None) -> float:
        midnight = _now(now).replace(hour=0, minute=0, second=0, microsecond=0)
        return sum(usd for when, usd in self.spent if when >= midnight)
