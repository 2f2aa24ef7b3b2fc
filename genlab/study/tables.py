"""The study tables, on the ``study`` migration branch (``0003_study``).

Flashcards keep the library's own records: the ``fsrs`` ``Card`` as its ``to_dict()`` JSON per
learner and card, and every ``ReviewLog`` the same way, so a future optimiser run
(``fsrs.Optimizer``) can read a learner's real history. A few columns are copied out of the JSON
(``due``, ``state``, the rating) because the queue, the forecast and the statistics filter on them.

Quiz attempts store the per-attempt ``seed`` that fixed which items were drawn and how their options
were shuffled, so a reload or a restart shows the same attempt in the same order.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column

from genlab.store.models import Base, utcnow


class StudyPreference(Base):
    """Per-learner study settings; a learner without a row uses the defaults."""

    __tablename__ = "study_preferences"

    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True)
    desired_retention: Mapped[float] = mapped_column(Float, default=0.9)
    new_cards_per_day: Mapped[int] = mapped_column(Integer, default=20)


class CardState(Base):
    """One learner's schedule for one flashcard (a row appears when the card is first reviewed)."""

    __tablename__ = "flashcard_states"
    __table_args__ = (Index("ix_flashcard_states_learner_due", "learner_id", "due"),)

    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True)
    card_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    card: Mapped[dict[str, Any]] = mapped_column(JSON)  # fsrs.Card.to_dict()
    state: Mapped[int] = mapped_column(Integer)  # fsrs.State value, copied for queries
    due: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    leech: Mapped[bool] = mapped_column(Boolean, default=False)
    introduced_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CardReview(Base):
    """One press of Again/Hard/Good/Easy outside cram mode."""

    __tablename__ = "flashcard_reviews"
    __table_args__ = (Index("ix_flashcard_reviews_learner_time", "learner_id", "reviewed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    card_id: Mapped[str] = mapped_column(String(80))
    rating: Mapped[int] = mapped_column(Integer)
    state_before: Mapped[int] = mapped_column(Integer)  # true retention counts Review-state reviews only
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    log: Mapped[dict[str, Any]] = mapped_column(JSON)  # fsrs.ReviewLog.to_dict()
    # 0007_study_undo: what Undo restores (the card before this press; None when it was new).
    card_before: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    was_new: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())


class QuizAttempt(Base):
    """One knowledge check, practice round or exam simulation."""

    __tablename__ = "quiz_attempts"
    __table_args__ = (Index("ix_quiz_attempts_learner_started", "learner_id", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("learners.id", ondelete="CASCADE"))
    mode: Mapped[str] = mapped_column(String(20))
    scope: Mapped[str] = mapped_column(String(80), default="")  # lesson slug or objective id
    seed: Mapped[int] = mapped_column(Integer)
    item_ids: Mapped[list[str]] = mapped_column(JSON)
    marked: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    time_limit_s: Mapped[int | None] = mapped_column(Integer, default=None)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | finished | abandoned
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    score: Mapped[float | None] = mapped_column(Float, default=None)  # share of points, 0..1


class QuizAnswer(Base):
    """The learner's latest answer to one item of an attempt, with its score."""

    __tablename__ = "quiz_answers"

    attempt_id: Mapped[int] = mapped_column(ForeignKey("quiz_attempts.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    objective: Mapped[str] = mapped_column(String(10))
    response: Mapped[Any] = mapped_column(JSON)
    score: Mapped[float] = mapped_column(Float)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
