"""Lesson progress table, on the ``lessons`` migration branch (0008_lesson_progress)."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from genlab.store.models import Base, utcnow


class SectionRead(Base):
    """One section of one lesson that one learner has marked as read."""

    __tablename__ = "lesson_sections_read"

    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True)
    lesson_slug: Mapped[str] = mapped_column(String(80), primary_key=True)
    section: Mapped[int] = mapped_column(Integer, primary_key=True)  # 0-based, in reading order
    read_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
