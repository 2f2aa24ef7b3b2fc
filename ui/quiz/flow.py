"""What the Knowledge check's buttons do to the learner's attempt, and which screen follows.

The screens (``ui.quiz.menu``, ``ui.quiz.asking``, ``ui.quiz.results``) draw; they change the attempt
only through a :class:`Quiz`, whose callbacks keep a LearnerError (say, an attempt finished in another
tab) for the router to show at the top of the next run.
"""

from dataclasses import dataclass
from functools import cached_property

import streamlit as st

from genlab.content import ContentBank
from genlab.store import Store
from genlab.study import attempts
from genlab.study.attempts import MODES, Attempt, AttemptError
from genlab.study.selection import EXAM_ITEMS, Entry
from ui import keys
from ui import practice as pw
from ui.errors import keeps_learner_errors, shows_learner_errors
from ui.state import CurrentLearner

#: Said above the results when the clock ran out.
TIME_UP = "Time is up: your exam was submitted with the answers you had saved."


@dataclass(frozen=True)
class Quiz:
    """One learner's knowledge check: the bank it draws from and the store its attempts live in."""

    learner: CurrentLearner
    store: Store
    bank: ContentBank
    index: dict[str, Entry]

    @cached_property
    def lessons(self) -> dict[str, str]:
        return {lesson.slug: lesson.title for lesson in self.bank.lessons}

    def scope_label(self, scope: str) -> str:
        return self.lessons.get(scope) or (pw.objective_label(scope) if scope else "")

    def title(self, attempt: Attempt) -> str:
        scope = self.scope_label(attempt.scope)
        return f"{MODES[attempt.mode]}{': ' + scope if scope else ''}"

    # --- changes to the attempt -------------------------------------------------------------------

    def start(self, mode: str, scope: str = "", items: int = EXAM_ITEMS, minutes: int | None = None) -> None:
        """Start an attempt (any open one is abandoned); raises AttemptError with its sentence."""
        with self.store.session() as session:
            attempt = attempts.begin(session, self.learner.id, self.bank, mode, pw.now(), scope=scope,
                                     exam_items=items, exam_minutes=minutes)
        st.session_state[keys.QUIZ_SEEN] = attempt.id
        st.session_state.pop(keys.QUIZ_RESULTS, None)

    @keeps_learner_errors
    def begin(self, mode: str, scope: str = "", items: int = EXAM_ITEMS, minutes: int | None = None) -> None:
        self.start(mode, scope, items, minutes)

    @keeps_learner_errors
    def finish(self, attempt_id: int, note: str = "") -> None:
        with self.store.session() as session:
            attempts.finish(session, attempt_id, pw.now())
        st.session_state[keys.QUIZ_RESULTS] = attempt_id
        st.session_state.pop(keys.QUIZ_SEEN, None)
        if note:
            st.session_state[keys.QUIZ_NOTE] = note

    @keeps_learner_errors
    def move(self, attempt_id: int, position: int) -> None:
        with self.store.session() as session:
            attempts.move_to(session, attempt_id, position)

    @keeps_learner_errors
    def abandon(self, attempt_id: int) -> None:
        with self.store.session() as session:
            attempts.abandon(session, attempt_id)
        st.session_state.pop(keys.QUIZ_SEEN, None)

    @keeps_learner_errors
    def switch(self, attempt_id: int, mode: str, scope: str) -> None:
        """Leave the open attempt for the one a lesson link asked for."""
        self.abandon(attempt_id)
        self.start(mode, scope)
        st.session_state.pop(keys.QUIZ_WANTED, None)

    @staticmethod
    def close_results() -> None:
        st.session_state.pop(keys.QUIZ_RESULTS, None)

    # --- which attempt is on screen ---------------------------------------------------------------

    def follow_links(self) -> None:
        """``?lesson=<slug>`` starts that lesson's check, ``?objective=<id>`` practice on it; with another
        attempt open, the learner is asked first (``QUIZ_WANTED``)."""
        if (slug := st.query_params.get("lesson")) is not None:
            wanted = ("lesson", slug)
        elif (objective := st.query_params.get("objective")) is not None:
            wanted = ("objective", objective)
        else:
            return
        st.query_params.clear()  # handled once: a reload must not start another attempt
        self.close_results()
        with self.store.session() as session:
            current = attempts.open_attempt(session, self.learner.id)
        if current is None:
            with shows_learner_errors():  # a link to a lesson that is gone: say so above the menu
                self.start(*wanted)
        elif (current.mode, current.scope) != wanted:
            st.session_state[keys.QUIZ_WANTED] = wanted

    def current(self) -> Attempt | None:
        """The attempt to show: finished results being read, else the open attempt; an exam whose time
        ran out is submitted first."""
        with self.store.session() as session:
            attempt = None
            if (shown := st.session_state.get(keys.QUIZ_RESULTS)) is not None:
                try:
                    attempt = attempts.load(session, shown)
                except AttemptError:  # gone since (its profile was reset): back to the menu
                    self.close_results()
            if attempt is None:
                attempt = attempts.open_attempt(session, self.learner.id)
        if attempt is not None and attempt.status == "open" and attempt.expired(pw.now()):
            self.finish(attempt.id, TIME_UP)
            st.rerun()
        if attempt is None:
            self._closed_elsewhere()
        return attempt

    def _closed_elsewhere(self) -> None:
        """Say so when the attempt this tab was showing was submitted or left in another tab (an answer
        given here after that is not saved)."""
        if (seen := st.session_state.pop(keys.QUIZ_SEEN, None)) is None:
            return
        with self.store.session() as session:
            try:
                gone = attempts.load(session, seen)
            except AttemptError:
                return
        what = MODES[gone.mode].lower()
        if gone.status == "finished":
            st.info(f"Your {what} was submitted in another tab or window, so nothing more was saved here; its "
                    "score is under Your progress.", icon=":material/tab:")
        elif gone.status == "abandoned":
            st.info(f"Your {what} was left in another tab or window, so nothing more was saved here.",
                    icon=":material/tab:")
