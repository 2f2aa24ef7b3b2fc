"""An attempt in progress: one question at a time, with feedback after each (practice modes) or the
exam's clock, sections, marks for review and a review screen (exam simulation)."""

from typing import Any

import streamlit as st

from genlab.study import attempts
from genlab.study.attempts import MODES, PRACTICE_MODES, Attempt
from genlab.study.scoring import score
from genlab.study.selection import Entry, exam_sections
from ui import keys
from ui import practice as pw
from ui.errors import keeps_learner_errors
from ui.quiz.flow import Quiz


@st.fragment(run_every=1)
def timer(attempt: Attempt, hidden: bool) -> None:
    """The exam clock, redrawn every second; hiding it hides the numbers only, the time keeps running."""
    left = attempt.seconds_left(pw.now()) or 0
    if left <= 0:
        st.rerun(scope="app")
    st.markdown(":material/timer: Timer hidden. The exam time keeps running." if hidden else
                f":material/timer: **Time left: {left // 60:02d}:{left % 60:02d}**")


@keeps_learner_errors
def _save(quiz: Quiz, attempt: Attempt, entry: Entry, response: Any, *, marked: bool | None = None,
          target: int | None = None) -> None:
    """Save an answer (and, in the exam, its mark and where the learner goes next)."""
    with quiz.store.session() as session:
        if not pw.is_blank(response):
            attempts.answer(session, attempt.id, entry.item, response, pw.now())
        if marked is not None:
            attempts.set_marked(session, attempt.id, entry.item.id, marked)
        if target is not None:
            attempts.move_to(session, attempt.id, target)


def practice_question(quiz: Quiz, attempt: Attempt, position: int) -> None:
    item_id = attempt.item_ids[position]
    entry = quiz.index[item_id]
    saved = attempt.answers.get(item_id)
    if saved is None:
        with st.form(f"quiz_form_{attempt.id}_{position}"):
            response = pw.item_widgets(entry, attempt.seed, f"{keys.QUIZ_ITEM_PREFIX}{attempt.id}-{item_id}")
            checked = st.form_submit_button("Check answer", shortcut="Enter", icon=":material/done:")
        if checked:
            if pw.is_blank(response):
                st.warning("Choose an answer first, then check it.", icon=":material/touch_app:")
                return
            _save(quiz, attempt, entry, response)
            st.rerun()
        return
    pw.item_text(entry)
    pw.verdict(score(entry.item, saved.response))
    pw.explanation(entry, saved.response)
    if position == len(attempt.item_ids) - 1:
        st.button("See results", shortcut="Enter", icon=":material/flag:", on_click=quiz.finish, args=(attempt.id,))
    else:
        st.button("Next question", shortcut="Enter", icon=":material/arrow_forward:", on_click=quiz.move,
                  args=(attempt.id, position + 1))


def section_heading(quiz: Quiz, attempt: Attempt, item_id: str) -> None:
    """Which of the exam's sections this question is in, and how far the learner is through it."""
    sections = exam_sections(attempt.item_ids, quiz.index)
    number, (title, ids) = next((n, s) for n, s in enumerate(sections, 1) if item_id in s[1])
    st.subheader(f"Section {number} of {len(sections)}: {title}", anchor=False)
    done = sum(i in attempt.answers for i in ids)
    st.progress(done / len(ids), text=f"{done} of {len(ids)} answered in this section")


def exam_question(quiz: Quiz, attempt: Attempt, position: int) -> None:
    item_id = attempt.item_ids[position]
    entry = quiz.index[item_id]
    saved = attempt.answers.get(item_id)
    with st.form(f"quiz_form_{attempt.id}_{position}"):
        response = pw.item_widgets(entry, attempt.seed, f"{keys.QUIZ_ITEM_PREFIX}{attempt.id}-{item_id}",
                                   saved.response if saved else None)
        marked = st.checkbox("Mark this question for review", value=item_id in attempt.marked)
        nxt, back, review = st.columns(3)
        go_next = nxt.form_submit_button("Save and next", shortcut="Enter", icon=":material/arrow_forward:",
                                         width="stretch")
        go_back = back.form_submit_button("Previous question", disabled=position == 0, width="stretch")
        go_review = review.form_submit_button("Review screen", width="stretch")
    if go_next or go_back or go_review:
        target = position + 1 if go_next else position - 1 if go_back else len(attempt.item_ids)
        _save(quiz, attempt, entry, response, marked=marked, target=target)
        st.rerun()


def review_screen(quiz: Quiz, attempt: Attempt) -> None:
    st.header("Review your answers", anchor=False)
    unanswered, marked = len(attempt.unanswered), len(attempt.marked)
    st.markdown(f"{len(attempt.answers)} of {len(attempt.item_ids)} answered · {unanswered} not answered · "
                f"{marked} marked for review. Go back to a question by its button, or submit the exam.")
    label = "Submit exam" + (f" ({unanswered} not answered)" if unanswered else "")
    st.button(label, shortcut="Enter", icon=":material/send:", on_click=quiz.finish, args=(attempt.id,))
    for number, (title, ids) in enumerate(exam_sections(attempt.item_ids, quiz.index), 1):
        st.subheader(f"Section {number}: {title}", anchor=False)
        columns = st.columns(4)
        for column, item_id in enumerate(ids):
            n = attempt.item_ids.index(item_id)
            answered, flagged = item_id in attempt.answers, item_id in attempt.marked
            icon = (":material/flag:" if flagged else ":material/check_circle:" if answered
                    else ":material/radio_button_unchecked:")
            columns[column % 4].button(
                f"Question {n + 1}: {'answered' if answered else 'not answered'}{', marked' if flagged else ''}",
                key=f"{keys.QUIZ_GOTO_PREFIX}{n}", icon=icon, width="stretch", on_click=quiz.move,
                args=(attempt.id, n))


def _offer_wanted(quiz: Quiz, attempt: Attempt) -> None:
    """A lesson link asked for another quiz while this one is open: carry on, or switch."""
    if wanted := st.session_state.get(keys.QUIZ_WANTED):
        mode, scope = wanted
        st.warning(f"You asked for a {MODES[mode].lower()} ({quiz.scope_label(scope)}), but this attempt is "
                   "unfinished. Carry on with it, or leave it and start the new one.", icon=":material/info:")
        st.button(f"Leave this attempt and start the {MODES[mode].lower()}", on_click=quiz.switch,
                  args=(attempt.id, mode, scope))


def run_attempt(quiz: Quiz, attempt: Attempt) -> None:
    n = len(attempt.item_ids)
    position = min(attempt.position, n)
    st.header(quiz.title(attempt), anchor=False)
    if st.session_state.get(keys.QUIZ_SEEN) != attempt.id:
        st.session_state[keys.QUIZ_SEEN] = attempt.id
        st.info(f"Welcome back: this {MODES[attempt.mode].lower()} from {attempt.started_at:%d %b %H:%M} UTC is "
                "unfinished, so it continues where you left it.", icon=":material/history:")
    _offer_wanted(quiz, attempt)
    if attempt.mode == "exam":
        timer(attempt, st.toggle("Hide timer", key=keys.QUIZ_HIDE_TIMER))
    if attempt.mode == "exam" and position == n:
        review_screen(quiz, attempt)
    else:
        item_id = attempt.item_ids[position]
        if attempt.mode == "exam":
            section_heading(quiz, attempt, item_id)
        objective = quiz.index[item_id].item.objective
        st.markdown(f"**Question {position + 1} of {n}** · {len(attempt.answers)} answered · AI-901 objective "
                    f"{pw.objective_label(objective)}")
        if attempt.mode in PRACTICE_MODES:
            practice_question(quiz, attempt, position)
        else:
            exam_question(quiz, attempt, position)
    st.button("Leave this attempt", icon=":material/logout:", on_click=quiz.abandon, args=(attempt.id,),
              help="Stops this attempt without a score; your answers so far still count for your progress.")
