"""The ``generations`` table: one row per image request a learner sent, on the ``generations`` branch.

The image bytes themselves live on disk (see ``gallery.py``); the row holds what is needed to show,
compare and reproduce a result, and what the rate limit and the daily budget are checked against.
Failed requests are rows too (with ``error_kind``): they count towards the rate limit.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from genlab.store.models import Base, utcnow


class Generation(Base):
    __tablename__ = "generations"
    __table_args__ = (Index("ix_generations_learner_created", "learner_id", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    backend: Mapped[str] = mapped_column(String(20))
    model: Mapped[str] = mapped_column(String(100))
    prompt: Mapped[str] = mapped_column(Text)
    parameters: Mapped[dict[str, Any]] = mapped_column(JSON)
    cost_usd: Mapped[float] = mapped_column(Float, default=0.0)
    cost_basis: Mapped[str | None] = mapped_column(String(20), default=None)
    cost_label: Mapped[str | None] = mapped_column(Text, default=None)
    usage: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    timings: Mapped[dict[str, float]] = mapped_column(JSON)
    request_id: Mapped[str | None] = mapped_column(String(200), default=None)
    revised_prompt: Mapped[str | None] = mapped_column(Text, default=None)
    mime: Mapped[str] = mapped_column(String(40))
    files: Mapped[list[str]] = mapped_column(JSON)
    notes: Mapped[list[str]] = mapped_column(JSON)
    error_kind: Mapped[str | None] = mapped_column(String(40), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
