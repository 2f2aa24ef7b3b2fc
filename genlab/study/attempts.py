"""Quiz attempts in the store: started, answered item by item, resumed after a reload or a restart,
finished. Every answer is saved the moment it is given, so closing the tab loses nothing.

A learner has at most one open attempt: starting a new one marks the previous one abandoned (its
answers still count for "review my mistakes" and readiness, since they were real answers).
"""

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from genlab.content import IN_SCOPE_OBJECTIVES, ContentBank
from genlab.errors import LearnerError
from genlab.quiz_schema import ScoredItem
from genlab.study import selection
from genlab.study.clock import utc
from genlab.study.scoring import Score, score
from genlab.study.tables import QuizAnswer, QuizAttempt

#: Quiz modes, as stored.
MODES: dict[str, str] = {
    "lesson": "Lesson knowledge check",
    "objective": "Practice by objective",
    "exam": "Exam simulation",
    "mistakes": "Review my mistakes",
}
#: Modes that show feedback right after each answer (the exam shows it after submitting).
PRACTICE_MODES = frozenset({"lesson", "objective", "mistakes"})


class AttemptError(LearnerError, ValueError):
    """A quiz request that cannot be carried out; the message tells the learner what to do."""


@dataclass(frozen=True)
class Answer:
    item_id: str
    objective: str
    response: Any
    points: float
    answered_at: datetime


@dataclass(frozen=True)
class Attempt:
    id: int
    learner_id: int
    mode: str
    scope: str
    seed: int
    item_ids: list[str]
    marked: list[str]
    position: int
    time_limit_s: int | None
    status: str
    started_at: datetime
    finished_at: datetime | None
    score: float | None
    answers: dict[str, Answer] = field(default_factory=dict)

    @property
    def deadline(self) -> datetime | None:
        return self.started_at + timedelta(seconds=self.time_limit_s) if self.time_limit_s else None

    def seconds_left(self, now: datetime) -> int | None:
        """Whole seconds until the time limit (never negative), or None without a limit."""
        deadline = self.deadline
        return None if deadline is None else max(0, int((deadline - utc(now)).total_seconds()))

    def expired(self, now: datetime) -> bool:
        return self.seconds_left(now) == 0

    @property
    def unanswered(self) -> list[str]:
        return [i for i in self.item_ids if i not in self.answers]


def new_seed() -> int:
    """A fresh per-attempt seed (fits a 32-bit signed column)."""
    return secrets.randbelow(2**31 - 1)


def _view(row: QuizAttempt, answers: list[QuizAnswer]) -> Attempt:
    return Attempt(row.id, row.learner_id, row.mode, row.scope, row.seed, list(row.item_ids), list(row.marked),
                   row.position, row.time_limit_s, row.status, utc(row.started_at),
                   utc(row.finished_at) if row.finished_at else None, row.score,
                   {a.item_id: Answer(a.item_id, a.objective, a.response, a.score, utc(a.answered_at))
                    for a in answers})


def _row(session: Session, attempt_id: int) -> QuizAttempt:
    row = session.get(QuizAttempt, attempt_id)
    if row is None:
        raise AttemptError("That quiz attempt no longer exists; start a new one.")
    return row


def load(session: Session, attempt_id: int) -> Attempt:
    row = _row(session, attempt_id)
    answers = list(session.scalars(select(QuizAnswer).where(QuizAnswer.attempt_id == attempt_id)))
    return _view(row, answers)


def start(session: Session, learner_id: int, mode: str, item_ids: list[str], seed: int, now: datetime, *,
          scope: str = "", time_limit_s: int | None = None) -> Attempt:
    """Save a new attempt (any open one of this learner is abandoned)."""
    if mode not in MODES:
        raise AttemptError(f"Unknown quiz mode {mode!r}; choose one of {', '.join(MODES)}.")
    if not item_ids:
        raise AttemptError("There are no questions to ask in this mode yet.")
    for old in session.scalars(select(QuizAttempt).where(QuizAttempt.learner_id == learner_id,
                                                         QuizAttempt.status == "open")):
        old.status = "abandoned"
    row = QuizAttempt(learner_id=learner_id, mode=mode, scope=scope, seed=seed, item_ids=list(item_ids), marked=[],
                      position=0, time_limit_s=time_limit_s, status="open", started_at=utc(now))
    session.add(row)
    session.commit()
    return _view(row, [])


def begin(session: Session, learner_id: int, bank: ContentBank, mode: str, now: datetime, *, scope: str = "",
          seed: int | None = None, exam_items: int = selection.EXAM_ITEMS, exam_minutes: int | None = None) -> Attempt:
    """Draw the items for ``mode`` (``scope`` is the lesson slug or objective id) and start the attempt.

    The exam simulation asks ``exam_items`` questions in ``exam_minutes`` (default:
    :func:`~genlab.study.selection.exam_minutes` of its length); the other modes are untimed.
    """
    seed = new_seed() if seed is None else seed
    minutes = selection.exam_minutes(exam_items) if exam_minutes is None else exam_minutes
    if mode == "exam":
        check_exam_plan(exam_items, minutes)
    if mode == "lesson":
        if scope not in {lesson.slug for lesson in bank.lessons}:
            raise AttemptError(f"There is no lesson called {scope!r}; choose one from the list.")
        ids = selection.lesson_check(bank, scope, seed)
    elif mode == "objective":
        if scope not in IN_SCOPE_OBJECTIVES:
            raise AttemptError(f"{scope!r} is not an AI-901 objective this app covers; choose one from the list.")
        ids = selection.objective_practice(bank, scope, seed)
    elif mode == "mistakes":
        ids = selection.mistakes_drill(bank, missed_items(session, learner_id), seed)
        if not ids:
            raise AttemptError("You have no missed questions to review yet: every question you answered was "
                               "fully right. Take a knowledge check or an exam simulation first.")
    elif mode == "exam":
        ids = selection.exam_simulation(bank, seed, exam_items)
    else:
        raise AttemptError(f"Unknown quiz mode {mode!r}; choose one of {', '.join(MODES)}.")
    limit = minutes * 60 if mode == "exam" else None
    return start(session, learner_id, mode, ids, seed, now, scope=scope, time_limit_s=limit)


def check_exam_plan(items: int, minutes: int) -> None:
    """Refuse an exam length or time outside :data:`~genlab.study.selection.EXAM_ITEM_RANGE` and
    :data:`~genlab.study.selection.EXAM_MINUTE_RANGE`, saying which bounds hold."""
    (low_n, high_n), (low_m, high_m) = selection.EXAM_ITEM_RANGE, selection.EXAM_MINUTE_RANGE
    if not low_n <= items <= high_n:
        raise AttemptError(f"Choose between {low_n} and {high_n} questions for an exam simulation.")
    if not low_m <= minutes <= high_m:
        raise AttemptError(f"Choose between {low_m} and {high_m} minutes for an exam simulation.")


def open_attempt(session: Session, learner_id: int) -> Attempt | None:
    """The learner's unfinished attempt, to resume (None if there is none)."""
    row = session.scalar(select(QuizAttempt).where(QuizAttempt.learner_id == learner_id, QuizAttempt.status == "open")
                         .order_by(QuizAttempt.started_at.desc()).limit(1))
    return None if row is None else load(session, row.id)


def answer(session: Session, attempt_id: int, item: ScoredItem, response: Any, now: datetime) -> Score:
    """Score and save an answer (replacing an earlier answer to the same item in this attempt)."""
    row = _row(session, attempt_id)
    if row.status != "open":
        raise AttemptError("This attempt is already finished; start a new one to answer again.")
    if item.id not in row.item_ids:
        raise AttemptError(f"Question {item.id!r} is not part of this attempt.")
    result = score(item, response)
    saved = session.get(QuizAnswer, (attempt_id, item.id))
    if saved is None:
        saved = QuizAnswer(attempt_id=attempt_id, item_id=item.id)
        session.add(saved)
    saved.objective = item.objective
    saved.response = response
    saved.score = result.points
    saved.answered_at = utc(now)
    session.commit()
    return result


def set_marked(session: Session, attempt_id: int, item_id: str, marked: bool) -> None:
    """Mark or unmark an item for review (exam mode)."""
    row = _row(session, attempt_id)
    current = [i for i in row.marked if i != item_id]
    row.marked = [*current, item_id] if marked else current
    session.commit()


def move_to(session: Session, attempt_id: int, position: int) -> None:
    """Remember which item the learner is on, so a resumed attempt opens there."""
    row = _row(session, attempt_id)
    row.position = max(0, min(position, len(row.item_ids)))
    session.commit()


def finish(session: Session, attempt_id: int, now: datetime) -> Attempt:
    """Close the attempt; its score is the share of points over all its items (unanswered = 0)."""
    row = _row(session, attempt_id)
    answers = list(session.scalars(select(QuizAnswer).where(QuizAnswer.attempt_id == attempt_id)))
    if row.status == "open":
        row.status = "finished"
        row.finished_at = utc(now)
        row.score = sum(a.score for a in answers if a.item_id in row.item_ids) / len(row.item_ids)
        session.commit()
    return _view(row, answers)


def abandon(session: Session, attempt_id: int) -> None:
    """Leave an open attempt unfinished for good (its answers are kept)."""
    row = _row(session, attempt_id)
    if row.status == "open":
        row.status = "abandoned"
        session.commit()


def history(session: Session, learner_id: int) -> list[Attempt]:
    """All of a learner's attempts with their answers, oldest first."""
    rows = list(session.scalars(select(QuizAttempt).where(QuizAttempt.learner_id == learner_id)
                                .order_by(QuizAttempt.started_at, QuizAttempt.id)))
    if not rows:
        return []
    answers: dict[int, list[QuizAnswer]] = {row.id: [] for row in rows}
    for a in session.scalars(select(QuizAnswer).where(QuizAnswer.attempt_id.in_(answers))):
        answers[a.attempt_id].append(a)
    return [_view(row, answers[row.id]) for row in rows]


def latest_answers(attempts: list[Attempt]) -> dict[str, Answer]:
    """Each item's most recent answer over all attempts."""
    latest: dict[str, Answer] = {}
    for attempt in attempts:
        for a in attempt.answers.values():
            if a.item_id not in latest or a.answered_at >= latest[a.item_id].answered_at:
                latest[a.item_id] = a
    return latest


def missed_items(session: Session, learner_id: int) -> list[str]:
    """Items whose most recent answer was not fully right, most recently missed first."""
    latest = latest_answers(history(session, learner_id))
    missed = [a for a in latest.values() if a.points < 1.0 - 1e-9]
    return [a.item_id for a in sorted(missed, key=lambda a: a.answered_at, reverse=True)]
