"""Live-quiz tables, on the ``classroom`` migration branch (0004_classroom).

Everything about a room lives here, never in a process: the host's replica and each learner's
replica read and write the same rows, so any replica can serve anyone.

* ``classroom_rooms``: one row per room; its questions are a JSON snapshot, ``phase`` and
  ``current`` say where the game is, ``deadline`` is the server-side end of the open question.
* ``classroom_players``: nickname (unique per room, ignoring case), the device token, running
  score and streak (updated once per question, at the reveal).
* ``classroom_answers``: one row per room, question and player, **enforced by a unique
  constraint**: a double tap, a retry or a reconnect can never count twice.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from genlab.store.models import Base, utcnow


class Room(Base):
    __tablename__ = "classroom_rooms"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    time_limit_s: Mapped[int] = mapped_column(Integer)
    phase: Mapped[str] = mapped_column(String(12), default="lobby")  # lobby | question | reveal | podium
    current: Mapped[int] = mapped_column(Integer, default=-1)  # index of the question on screen
    opened_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    deadline: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # 0006_classroom_timer: the host paused the open question at this moment (None: running)...
    paused_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # ...and the host screen's last sign of life; while it is older than rooms.HOST_AWAY the clock stands still.
    host_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Player(Base):
    __tablename__ = "classroom_players"
    __table_args__ = (UniqueConstraint("room_id", "nickname_key", name="uq_classroom_players_nickname"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("classroom_rooms.id", ondelete="CASCADE"))
    nickname: Mapped[str] = mapped_column(String(20))
    nickname_key: Mapped[str] = mapped_column(String(20))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    score: Mapped[int] = mapped_column(Integer, default=0)
    streak: Mapped[int] = mapped_column(Integer, default=0)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Answer(Base):
    __tablename__ = "classroom_answers"
    __table_args__ = (
        UniqueConstraint("room_id", "question_index", "player_id", name="uq_classroom_answers_once"),
        Index("ix_classroom_answers_player", "player_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("classroom_rooms.id", ondelete="CASCADE"))
    question_index: Mapped[int] = mapped_column(Integer)
    player_id: Mapped[int] = mapped_column(ForeignKey("classroom_players.id", ondelete="CASCADE"))
    choices: Mapped[list[str]] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column(Boolean)
    elapsed_ms: Mapped[int] = mapped_column(Integer)
    points: Mapped[int] = mapped_column(Integer, default=0)  # set at the reveal
    streak: Mapped[int] = mapped_column(Integer, default=0)  # set at the reveal
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
