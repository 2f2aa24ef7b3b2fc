"""Lesson progress per learner and section, where to continue, and the next lesson (SQLite and PostgreSQL)."""

from datetime import UTC, datetime, timedelta

from genlab import lessons as progress
from genlab.content import load_lessons
from genlab.store import Store
from genlab.store import learners as profiles

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
LESSONS = sorted(load_lessons(), key=lambda lesson: lesson.order)


def test_sections_read_are_per_learner_and_continue_follows_them(store: Store) -> None:
    first, second = LESSONS[0], LESSONS[1]
    with store.session() as s:
        ada = profiles.get_or_create(s, "Ada").id
        grace = profiles.get_or_create(s, "Grace").id
        start = progress.continue_point(s, ada, LESSONS)
        assert start is not None and (start.lesson.slug, start.section, start.started) == (first.slug, 0, False)
        progress.mark_read(s, ada, first.slug, 0, now=T0)
        progress.mark_read(s, ada, first.slug, 0, now=T0 + timedelta(minutes=1))  # twice: once
        progress.mark_read(s, ada, second.slug, 1, now=T0 + timedelta(minutes=2))
        here = progress.continue_point(s, ada, LESSONS)
        assert (here.lesson.slug, here.section, here.started) == (second.slug, 0, True)  # last worked on
        states = progress.lesson_progress(LESSONS, progress.read_sections(s, ada))
        assert states[first.slug].done == 1 and states[second.slug].read == frozenset({1})
        assert progress.read_sections(s, grace) == {}  # nothing of Ada's
        progress.mark_read(s, ada, second.slug, 1, read=False)
        assert progress.read_sections(s, ada) == {first.slug: frozenset({0})}
        for lesson in LESSONS:
            for i in range(len(lesson.sections)):
                progress.mark_read(s, ada, lesson.slug, i)
        assert progress.continue_point(s, ada, LESSONS) is None
        assert all(p.complete for p in progress.lesson_progress(LESSONS, progress.read_sections(s, ada)).values())


def test_next_lesson_follows_the_learning_path() -> None:
    assert progress.next_lesson(LESSONS, LESSONS[0].slug) == LESSONS[1]
    assert progress.next_lesson(LESSONS, LESSONS[-1].slug) is None
