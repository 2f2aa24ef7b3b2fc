"""A learner's generated images: files on disk, metadata in the ``generations`` table, and the limits.

Bytes are written exactly as the backend returned them, to ``<data_dir>/images/<learner id>/
<generation id>-<n>.<ext>``: never decoded and saved again, because a re-save strips the Content
Credentials the lesson inspects. They live on disk rather than in the session, because closed tabs
keep their session for minutes and images are large.

Two guards for the paid backends are checked against the table before a request is sent: a per-learner
rate limit (so one learner cannot use up a key a class shares) and a daily budget (so a classroom key
cannot run up a bill). Each answers with a :class:`BackendError` sentence. The free local model has
neither: its guard is one drawing at a time per learner (:mod:`genlab.studio.gate`).
"""

import math
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select

from genlab.backends.errors import seconds
from genlab.backends.prices import dollars
from genlab.backends.tables import Generation
from genlab.backends.types import EXTENSIONS, BackendError, CostEstimate, ImageRequest, ImageResult
from genlab.settings import Settings
from genlab.store import Store

PAID_BACKENDS = ("azure", "openai")

#: Refusals made before anything was sent: not requests to a backend, so not recorded.
NOT_SENT = frozenset({"validation", "unavailable", "learner_rate_limit", "budget", "local_busy"})


@dataclass(frozen=True)
class SavedGeneration:
    """One row of a learner's gallery, with absolute paths to the original image files."""

    id: int
    learner_id: int
    backend: str
    model: str
    prompt: str
    parameters: dict[str, Any]
    cost: CostEstimate | None
    usage: dict[str, Any] | None
    timings: dict[str, float]
    request_id: str | None
    revised_prompt: str | None
    mime: str
    paths: list[Path]
    notes: list[str]
    error_kind: str | None
    error_message: str | None
    created_at: datetime


class Gallery:
    """Per-learner image history over a :class:`~genlab.store.Store` and the data directory."""

    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.data_dir = settings.data_dir
        self.rate_limit_per_minute = settings.rate_limit_per_minute
        self.daily_budget_usd = settings.daily_budget_usd

    def check(self, learner_id: int, backend: str, cost: CostEstimate,
              now: datetime | None = None) -> BackendError | None:
        """For a paid backend, the rate limit, then the budget; None when the request may go ahead (always,
        for the free local model)."""
        if backend not in PAID_BACKENDS:
            return None
        now = (now or datetime.now(UTC)).astimezone(UTC)  # stored times are UTC
        return self.rate_limit_error(learner_id, now) or self.budget_error(learner_id, cost, now)

    def rate_limit_error(self, learner_id: int, now: datetime) -> BackendError | None:
        """Too many paid requests in the last minute (local ones are not counted)."""
        limit = self.rate_limit_per_minute
        since = now - timedelta(minutes=1)
        with self.store.session() as s:
            recent = list(s.scalars(select(Generation.created_at)
                                    .where(Generation.learner_id == learner_id, Generation.created_at > since,
                                           Generation.backend.in_(PAID_BACKENDS))
                                    .order_by(Generation.created_at.desc()).limit(limit)))
        return rate_limit_error([_aware(t) for t in recent], limit, now)

    def spent_today(self, learner_id: int, now: datetime) -> float:
        """US dollars this learner's paid requests cost since midnight UTC."""
        midnight = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        with self.store.session() as s:
            total = s.scalar(select(func.coalesce(func.sum(Generation.cost_usd), 0.0))
                             .where(Generation.learner_id == learner_id, Generation.created_at >= midnight,
                                    Generation.backend.in_(PAID_BACKENDS)))
        return float(total or 0.0)

    def budget_error(self, learner_id: int, cost: CostEstimate, now: datetime) -> BackendError | None:
        return budget_error(self.spent_today(learner_id, now), cost, self.daily_budget_usd)

    def record(self, learner_id: int, request: ImageRequest, result: ImageResult) -> SavedGeneration | None:
        """Save a result that reached a backend: its files as they came, and a row describing it.

        Refusals made before sending (``NOT_SENT``) are not requests and are not saved (None).
        """
        if result.error is not None and result.error.kind in NOT_SENT:
            return None
        parameters = request.parameters()
        if result.seed is not None:
            parameters["seed"] = result.seed
        cost = result.cost or (MAYBE_BILLED if result.billed == "maybe" else None)
        row = Generation(
            learner_id=learner_id, backend=result.backend, model=result.model, prompt=request.prompt,
            parameters=parameters, cost_usd=cost.usd if cost else 0.0,
            cost_basis=cost.basis if cost else None, cost_label=cost.label if cost else None,
            usage=result.usage, timings=result.timings,
            request_id=result.request_id, revised_prompt=result.revised_prompt, mime=result.mime, files=[],
            notes=result.notes, error_kind=result.error.kind if result.error else None,
            error_message=result.error.message if result.error else None,
        )
        written: list[Path] = []
        with self.store.session() as s:
            s.add(row)
            s.flush()  # the id names the files
            try:
                folder = self.data_dir / "images" / str(learner_id)
                folder.mkdir(parents=True, exist_ok=True)
                ext = EXTENSIONS.get(result.mime, "bin")
                for i, data in enumerate(result.images, start=1):
                    path = folder / f"{row.id}-{i}.{ext}"
                    _write(path, data)
                    written.append(path)
                row.files = [str(p.relative_to(self.data_dir)) for p in written]
                s.commit()
            except BaseException:
                s.rollback()
                for path in written:
                    path.unlink(missing_ok=True)
                raise
            return self._saved(row)

    def history(self, learner_id: int, limit: int = 50,
                include_failed: bool = False) -> list[SavedGeneration]:
        """The learner's generations, newest first (successful ones unless ``include_failed``)."""
        query = select(Generation).where(Generation.learner_id == learner_id)
        if not include_failed:
            query = query.where(Generation.error_kind.is_(None))
        with self.store.session() as s:
            rows = s.scalars(query.order_by(Generation.created_at.desc(), Generation.id.desc()).limit(limit))
            return [self._saved(r) for r in rows]

    def delete(self, learner_id: int, generation_id: int) -> bool:
        """Remove one generation and its files; False when this learner has no such generation."""
        with self.store.session() as s:
            row = s.scalar(select(Generation).where(Generation.id == generation_id,
                                                    Generation.learner_id == learner_id))
            if row is None:
                return False
            s.delete(row)
            s.commit()
        self._unlink(row.files)
        return True

    def delete_all(self, learner_id: int) -> int:
        """Remove every generation of a learner, files included; returns how many there were."""
        with self.store.session() as s:
            files = list(s.scalars(select(Generation.files).where(Generation.learner_id == learner_id)))
            count = s.execute(delete(Generation).where(Generation.learner_id == learner_id)).rowcount
            s.commit()
        for names in files:
            self._unlink(names)
        return count

    def _unlink(self, names: list[str]) -> None:
        for name in names:
            (self.data_dir / name).unlink(missing_ok=True)

    def _saved(self, row: Generation) -> SavedGeneration:
        cost = (CostEstimate(usd=row.cost_usd, basis=row.cost_basis, label=row.cost_label or "")
                if row.cost_basis else None)
        return SavedGeneration(
            id=row.id, learner_id=row.learner_id, backend=row.backend, model=row.model, prompt=row.prompt,
            parameters=row.parameters, cost=cost, usage=row.usage, timings=row.timings,
            request_id=row.request_id, revised_prompt=row.revised_prompt, mime=row.mime,
            paths=[self.data_dir / f for f in row.files], notes=row.notes, error_kind=row.error_kind,
            error_message=row.error_message, created_at=_aware(row.created_at),
        )


#: The cost of a request that reached a service whose answer was lost: unknown, so nothing is counted.
MAYBE_BILLED = CostEstimate(usd=0.0, basis="unknown", label="Unknown: it may have been billed, but the "
                                                            "service reported no usage, so nothing is counted.")


def rate_limit_error(recent: list[datetime], limit: int, now: datetime) -> BackendError | None:
    """The per-learner rate limit of paid requests: ``recent`` holds the times of paid requests in the last
    minute, newest first.

    The one rule and sentence for a learner with a profile (rows in the store) and without one (a list
    kept for the visit)."""
    recent = [t for t in recent if now - t < timedelta(minutes=1)]
    if len(recent) < limit:
        return None
    oldest = min(recent)
    wait = max(1, math.ceil((oldest + timedelta(minutes=1) - now).total_seconds()))
    return BackendError(kind="learner_rate_limit", retry_after_s=float(wait), message=(
        f"You have made {limit} paid image requests in the last minute, which is the limit for each "
        f"learner; wait {seconds(wait)} and try again, or use the free local model, which has no such limit."))


def budget_error(spent: float, cost: CostEstimate, budget: float) -> BackendError | None:
    """The daily budget for paid images: None when ``cost`` still fits after ``spent`` today."""
    if budget <= 0:
        return BackendError(kind="budget", message=(
            "Paid images are turned off on this app (its daily budget is $0); use the local model."))
    if spent + cost.usd <= budget:
        return None
    return BackendError(kind="budget", details={"spent_usd": spent, "budget_usd": budget,
                                                "estimate_usd": cost.usd}, message=(
        f"This request would cost about {dollars(cost.usd)}, and you have already spent "
        f"{dollars(spent)} of today's {dollars(budget)} budget for paid images; use the local model, "
        "choose a lower quality or fewer images, or come back after midnight UTC."))


def _aware(when: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored as UTC); PostgreSQL aware ones. Make both aware."""
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _write(path: Path, data: bytes) -> None:
    """Write via a temporary file and rename, so a crash never leaves half an image under the real name."""
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(data)
    os.replace(tmp, path)
