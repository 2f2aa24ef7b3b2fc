"""Reading progress through the lessons (see the package docstring)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from genlab.content import Lesson
from genlab.lessons.tables import SectionRead
from genlab.store.models import utcnow


@dataclass(frozen=True)
class LessonProgress:
    slug: str
    read: frozenset[int]
    total: int

    @property
    def done(self) -> int:
        return len(self.read)

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total

    @property
    def first_unread(self) -> int | None:
        return next((i for i in range(self.total) if i not in self.read), None)


@dataclass(frozen=True)
class Continue:
    """Where a returning learner picks up: a lesson and the first section they have not read."""

    lesson: Lesson
    section: int
    started: bool  # False: nothing read yet, so this is the first lesson's start


def read_sections(session: Session, learner_id: int) -> dict[str, frozenset[int]]:
    rows = session.execute(select(SectionRead.lesson_slug, SectionRead.section)
                           .where(SectionRead.learner_id == learner_id)).all()
    found: dict[str, set[int]] = {}
    for slug, section in rows:
        found.setdefault(slug, set()).add(section)
    return {slug: frozenset(sections) for slug, sections in found.items()}


def mark_read(session: Session, learner_id: int, slug: str, section: int, read: bool = True,
              now: datetime | None = None) -> None:
    """Tick (or untick) one section; ticking twice keeps the first time."""
    row = session.get(SectionRead, (learner_id, slug, section))
    if read and row is None:
        session.add(SectionRead(learner_id=learner_id, lesson_slug=slug, section=section, read_at=now or utcnow()))
    elif not read and row is not None:
        session.execute(delete(SectionRead).where(SectionRead.learner_id == learner_id,
                                                  SectionRead.lesson_slug == slug, SectionRead.section == section))
    session.commit()


def lesson_progress(lessons: Sequence[Lesson], read: dict[str, frozenset[int]]) -> dict[str, LessonProgress]:
    """Each lesson's progress; sections beyond the lesson's current length (an edited lesson) do not count."""
    return {lesson.slug: LessonProgress(lesson.slug, frozenset(i for i in read.get(lesson.slug, ())
                                                              if i < len(lesson.sections)), len(lesson.sections))
            for lesson in lessons}


def _latest_lesson(session: Session, learner_id: int) -> str | None:
    return session.scalar(select(SectionRead.lesson_slug).where(SectionRead.learner_id == learner_id)
                          .order_by(SectionRead.read_at.desc()).limit(1))


def continue_point(session: Session, learner_id: int, lessons: Sequence[Lesson]) -> Continue | None:
    """The lesson last worked on if it is unfinished, else the first unfinished one in order; None when all
    are complete."""
    ordered = sorted(lessons, key=lambda lesson: lesson.order)
    progress = lesson_progress(ordered, read_sections(session, learner_id))
    latest = _latest_lesson(session, learner_id)
    candidates = [lesson for lesson in ordered if lesson.slug == latest] + ordered
    for lesson in candidates:
        unread = progress[lesson.slug].first_unread
        if unread is not None:
            return Continue(lesson, unread, started=latest is not None)
    return None


def next_lesson(lessons: Sequence[Lesson], slug: str) -> Lesson | None:
    """The lesson after ``slug`` in the learning path, or None after the last."""
    ordered = sorted(lessons, key=lambda lesson: lesson.order)
    slugs = [lesson.slug for lesson in ordered]
    position = slugs.index(slug)
    return ordered[position + 1] if position + 1 < len(ordered) else None
