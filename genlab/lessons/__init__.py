"""Lesson progress per learner: which sections they have read, where to continue, what comes next.

A section counts as read when the learner ticks it; a lesson is complete when every section is.
Stored per learner and section (``tables.py``, migration branch ``lessons``), so progress follows the
learner to any device and any app replica.
"""

from genlab.lessons.progress import (
    Continue,
    LessonProgress,
    continue_point,
    lesson_progress,
    mark_read,
    next_lesson,
    read_sections,
)

__all__ = ["Continue", "LessonProgress", "continue_point", "lesson_progress", "mark_read", "next_lesson",
           "read_sections"]
