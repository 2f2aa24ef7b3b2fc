"""The Knowledge check's menu: which kind of quiz, on what, and for the exam simulation how long.

The exam's length and time are the learner's to choose within the engine's bounds; the defaults and
their source come from :mod:`genlab.study.selection`, so the screen and the engine cannot disagree.
"""

import streamlit as st

from genlab.content import IN_SCOPE_OBJECTIVES
from genlab.study.attempts import MODES
from genlab.study.selection import (
    DOMAIN_SHARES,
    EXAM_DEFAULT_SOURCE,
    EXAM_ITEM_RANGE,
    EXAM_ITEMS,
    EXAM_MINUTE_RANGE,
    EXAM_SECONDS_PER_ITEM,
    exam_minutes,
)
from ui import keys
from ui import practice as pw
from ui.quiz.flow import Quiz


def _weights() -> str:
    return ", ".join(f"domain {d}: {low:.0%}-{high:.0%}" for d, (low, high) in DOMAIN_SHARES.items())


def _pace_minutes() -> None:
    """A new length brings the default time for it; the learner can still change the time after."""
    st.session_state[keys.QUIZ_EXAM_MINUTES] = exam_minutes(st.session_state[keys.QUIZ_EXAM_ITEMS])


def exam_plan() -> tuple[int, int]:
    """The exam's length and time, as the learner set them (defaults: the engine's)."""
    st.session_state.setdefault(keys.QUIZ_EXAM_ITEMS, EXAM_ITEMS)
    st.session_state.setdefault(keys.QUIZ_EXAM_MINUTES, exam_minutes(EXAM_ITEMS))
    left, right = st.columns(2)
    items = left.number_input("Number of questions", *EXAM_ITEM_RANGE, step=1, key=keys.QUIZ_EXAM_ITEMS,
                              on_change=_pace_minutes,
                              help=f"Changing it sets the time to {EXAM_SECONDS_PER_ITEM} seconds a question.")
    minutes = right.number_input("Time in minutes", *EXAM_MINUTE_RANGE, step=1, key=keys.QUIZ_EXAM_MINUTES)
    st.caption(EXAM_DEFAULT_SOURCE)
    return int(items), int(minutes)


def menu(quiz: Quiz) -> None:
    st.header("Start a quiz", anchor=False)
    st.markdown("- **Lesson knowledge check**: 3-5 questions from one lesson, with feedback after each.\n"
                "- **Practice by objective**: questions on one AI-901 objective, with feedback after each.\n"
                f"- **Exam simulation**: questions weighted like AI-901 ({_weights()}), timed, in sections with "
                "the case study last, marks for review and feedback at the end; you choose the length and time.\n"
                "- **Review my mistakes**: only the questions whose latest answer was not fully right.")
    mode = st.radio("What would you like to do?", list(MODES), format_func=MODES.get, key=keys.QUIZ_MODE)
    scope, items, minutes = "", EXAM_ITEMS, None
    if mode == "lesson":
        scope = st.selectbox("Lesson", list(quiz.lessons), format_func=quiz.lessons.get, key=keys.QUIZ_LESSON,
                             width=420)
    elif mode == "objective":
        scope = st.selectbox("Objective", IN_SCOPE_OBJECTIVES, format_func=pw.objective_label,
                             key=keys.QUIZ_OBJECTIVE, width=420)
    elif mode == "exam":
        items, minutes = exam_plan()
    st.button("Start", shortcut="Enter", on_click=quiz.begin, args=(mode, scope, items, minutes),
              icon=":material/play_arrow:")
