"""Knowledge check: a lesson's check, practice by objective, an exam simulation and a drill of mistakes.

``?lesson=<slug>`` opens that lesson's knowledge check and ``?objective=<id>`` practice on one
objective, so lessons can link here. Every answer is saved at once; an unfinished attempt opens
again after a reload or a restart.
"""

import streamlit as st

from genlab.content import IN_SCOPE_OBJECTIVES
from genlab.study import attempts, results
from genlab.study.attempts import MODES, PRACTICE_MODES, Attempt, AttemptError
from genlab.study.scoring import score
from genlab.study.selection import EXAM_DEFAULT_SOURCE, EXAM_ITEMS, EXAM_SECONDS_PER_ITEM
from ui import study_widgets as sw

st.title("Knowledge check", anchor=False)
sw.keyboard_hints()
learner, store = sw.require_learner("Your quiz attempts and scores")

bank = sw.bank()
index = sw.index()
lessons = {lesson.slug: lesson.title for lesson in bank.lessons}


def _begin(mode: str, scope: str = "") -> None:
    try:
        with store.session() as session:
            attempt = attempts.begin(session, learner.id, bank, mode, sw.now(), scope=scope)
    except AttemptError as exc:
        st.session_state["quiz_error"] = str(exc)
        return
    st.session_state["quiz_seen"] = attempt.id
    st.session_state.pop("quiz_results", None)


def _finish(attempt_id: int, note: str = "") -> None:
    with store.session() as session:
        attempts.finish(session, attempt_id, sw.now())
    st.session_state["quiz_results"] = attempt_id
    if note:
        st.session_state["quiz_note"] = note


def _move(attempt_id: int, position: int) -> None:
    with store.session() as session:
        attempts.move_to(session, attempt_id, position)


def _abandon(attempt_id: int) -> None:
    with store.session() as session:
        attempts.abandon(session, attempt_id)


def _title(attempt: Attempt) -> str:
    scope = lessons.get(attempt.scope) or (sw.objective_label(attempt.scope) if attempt.scope else "")
    return f"{MODES[attempt.mode]}{': ' + scope if scope else ''}"


# --- links from lessons: ?lesson=<slug> or ?objective=<id> ---------------------------------------

wanted = None
if (slug := st.query_params.get("lesson")) is not None:
    wanted = ("lesson", slug)
elif (objective := st.query_params.get("objective")) is not None:
    wanted = ("objective", objective)
if wanted:
    st.query_params.clear()  # handled once: a reload must not start another attempt
    st.session_state.pop("quiz_results", None)
    with store.session() as session:
        current = attempts.open_attempt(session, learner.id)
    if current is None:
        _begin(*wanted)
    elif (current.mode, current.scope) != wanted:
        st.session_state["quiz_wanted"] = wanted


def _switch(attempt_id: int, mode: str, scope: str) -> None:
    _abandon(attempt_id)
    _begin(mode, scope)
    st.session_state.pop("quiz_wanted", None)


# --- results ------------------------------------------------------------------------------------


def show_results(attempt: Attempt) -> None:
    result = results.attempt_result(attempt, index)
    st.header("Your results", anchor=False)
    finished = f", finished {attempt.finished_at:%d %b %H:%M} UTC" if attempt.finished_at else ""
    st.markdown(f"**{_title(attempt)}**{finished}")
    if note := st.session_state.pop("quiz_note", None):
        st.info(note, icon=":material/timer_off:")
    summary = (f"You scored **{result.share:.0%}** ({result.points:g} of {result.items} points). As an estimate "
               f"on the exam's scale that is about **{result.scaled} / 1000**; the pass mark is {results.PASS_MARK}. "
               f"{results.CAVEAT}")
    if result.passed:
        st.success(f"**Pass level:** {summary}", icon=":material/check_circle:")
    else:
        st.error(f"**Below the pass mark:** {summary}", icon=":material/cancel:")
    sw.mastery_chart(result.objectives, "Score per objective in this attempt")
    if result.mistakes:
        st.subheader("Review your mistakes", anchor=False)
        for n, item_id in enumerate(result.mistakes, 1):
            entry = index[item_id]
            saved = attempt.answers.get(item_id)
            response = saved.response if saved else None
            with st.expander(f"Mistake {n}: {entry.item.stem[:90]}{'…' if len(entry.item.stem) > 90 else ''}"):
                sw.item_text(entry)
                sw.verdict(score(entry.item, response))
                sw.explanation(entry, response)
        left, right = st.columns(2)
        left.button("Drill only these mistakes", on_click=_begin, args=("mistakes",), icon=":material/replay:")
        right.button("Back to the quiz menu", shortcut="Enter",
                     on_click=st.session_state.pop, args=("quiz_results", None))
    else:
        st.button("Back to the quiz menu", shortcut="Enter",
                  on_click=st.session_state.pop, args=("quiz_results", None))


# --- one question ---------------------------------------------------------------------------------


@st.fragment(run_every=1)
def timer(attempt: Attempt, hidden: bool) -> None:
    """The exam clock, redrawn every second; hiding it hides the numbers only, the time keeps running."""
    left = attempt.seconds_left(sw.now()) or 0
    if left <= 0:
        st.rerun(scope="app")
    st.markdown(":material/timer: Timer hidden. The exam time keeps running." if hidden else
                f":material/timer: **Time left: {left // 60:02d}:{left % 60:02d}**")


def practice_question(attempt: Attempt, position: int) -> None:
    item_id = attempt.item_ids[position]
    entry = index[item_id]
    last = position == len(attempt.item_ids) - 1
    saved = attempt.answers.get(item_id)
    if saved is None:
        with st.form(f"quiz_form_{attempt.id}_{position}"):
            response = sw.item_widgets(entry, attempt.seed, f"q-{attempt.id}-{item_id}")
            checked = st.form_submit_button("Check answer", shortcut="Enter", icon=":material/done:")
        if checked:
            if sw.is_blank(response):
                st.warning("Choose an answer first, then check it.", icon=":material/touch_app:")
                return
            try:
                with store.session() as session:
                    attempts.answer(session, attempt.id, entry.item, response, sw.now())
            except AttemptError as exc:  # e.g. the attempt was finished in another tab
                st.session_state["quiz_error"] = str(exc)
            st.rerun()
        return
    sw.item_text(entry)
    sw.verdict(score(entry.item, saved.response))
    sw.explanation(entry, saved.response)
    if last:
        st.button("See results", shortcut="Enter", icon=":material/flag:", on_click=_finish, args=(attempt.id,))
    else:
        st.button("Next question", shortcut="Enter", icon=":material/arrow_forward:", on_click=_move,
                  args=(attempt.id, position + 1))


def exam_question(attempt: Attempt, position: int) -> None:
    item_id = attempt.item_ids[position]
    entry = index[item_id]
    saved = attempt.answers.get(item_id)
    with st.form(f"quiz_form_{attempt.id}_{position}"):
        response = sw.item_widgets(entry, attempt.seed, f"q-{attempt.id}-{item_id}", saved.response if saved else None)
        marked = st.checkbox("Mark this question for review", value=item_id in attempt.marked)
        nxt, back, review = st.columns(3)
        go_next = nxt.form_submit_button("Save and next", shortcut="Enter", icon=":material/arrow_forward:",
                                         width="stretch")
        go_back = back.form_submit_button("Previous question", disabled=position == 0, width="stretch")
        go_review = review.form_submit_button("Review screen", width="stretch")
    if go_next or go_back or go_review:
        target = position + 1 if go_next else position - 1 if go_back else len(attempt.item_ids)
        try:
            with store.session() as session:
                if not sw.is_blank(response):
                    attempts.answer(session, attempt.id, entry.item, response, sw.now())
                attempts.set_marked(session, attempt.id, item_id, marked)
                attempts.move_to(session, attempt.id, target)
        except AttemptError as exc:  # e.g. the attempt was finished in another tab
            st.session_state["quiz_error"] = str(exc)
        st.rerun()


def review_screen(attempt: Attempt) -> None:
    st.header("Review your answers", anchor=False)
    unanswered, marked = len(attempt.unanswered), len(attempt.marked)
    st.markdown(f"{len(attempt.answers)} of {len(attempt.item_ids)} answered · {unanswered} not answered · "
                f"{marked} marked for review. Go back to a question by its button, or submit the exam.")
    label = "Submit exam" + (f" ({unanswered} not answered)" if unanswered else "")
    st.button(label, shortcut="Enter", icon=":material/send:", on_click=_finish, args=(attempt.id,))
    columns = st.columns(4)
    for n, item_id in enumerate(attempt.item_ids):
        status = "answered" if item_id in attempt.answers else "not answered"
        flagged = item_id in attempt.marked
        icon = ":material/flag:" if flagged else ":material/check_circle:" if item_id in attempt.answers else \
            ":material/radio_button_unchecked:"
        columns[n % 4].button(f"Question {n + 1}: {status}{', marked' if flagged else ''}", key=f"quiz_goto_{n}",
                              icon=icon, width="stretch", on_click=_move, args=(attempt.id, n))


def run_attempt(attempt: Attempt) -> None:
    n = len(attempt.item_ids)
    position = min(attempt.position, n)
    st.header(_title(attempt), anchor=False)
    if st.session_state.get("quiz_seen") != attempt.id:
        st.session_state["quiz_seen"] = attempt.id
        st.info(f"Welcome back: this {MODES[attempt.mode].lower()} from "
                f"{attempt.started_at:%d %b %H:%M} UTC is unfinished, so it continues where you left it.",
                icon=":material/history:")
    if wanted := st.session_state.get("quiz_wanted"):
        mode, scope = wanted
        st.warning(f"You asked for a {MODES[mode].lower()} ({lessons.get(scope) or sw.objective_label(scope)}), "
                   "but this attempt is unfinished. Carry on with it, or leave it and start the new one.",
                   icon=":material/info:")
        st.button(f"Leave this attempt and start the {MODES[mode].lower()}", on_click=_switch,
                  args=(attempt.id, mode, scope))
    if attempt.mode == "exam":
        timer(attempt, st.toggle("Hide timer", key="quiz_hide_timer"))
    if attempt.mode == "exam" and position == n:
        review_screen(attempt)
    else:
        answered = len(attempt.answers)
        st.markdown(f"**Question {position + 1} of {n}** · {answered} answered · AI-901 objective "
                    f"{sw.objective_label(index[attempt.item_ids[position]].item.objective)}")
        if attempt.mode in PRACTICE_MODES:
            practice_question(attempt, position)
        else:
            exam_question(attempt, position)
    st.button("Leave this attempt", icon=":material/logout:", on_click=_abandon, args=(attempt.id,),
              help="Stops this attempt without a score; your answers so far still count for your progress.")


# --- the menu -----------------------------------------------------------------------------------


def menu() -> None:
    st.header("Start a quiz", anchor=False)
    st.markdown("- **Lesson knowledge check**: 3-5 questions from one lesson, with feedback after each.\n"
                "- **Practice by objective**: questions on one AI-901 objective, with feedback after each.\n"
                f"- **Exam simulation**: {EXAM_ITEMS} questions weighted like AI-901 (domain 1: 40-45%, domain 2: "
                f"55-60%), {EXAM_ITEMS * EXAM_SECONDS_PER_ITEM // 60} minutes, feedback at the end. "
                f"{EXAM_DEFAULT_SOURCE}\n"
                "- **Review my mistakes**: only the questions whose latest answer was not fully right.")
    mode = st.radio("What would you like to do?", list(MODES), format_func=MODES.get, key="quiz_mode")
    scope = ""
    if mode == "lesson":
        scope = st.selectbox("Lesson", list(lessons), format_func=lessons.get, key="quiz_lesson", width=420)
    elif mode == "objective":
        scope = st.selectbox("Objective", IN_SCOPE_OBJECTIVES, format_func=sw.objective_label, key="quiz_objective",
                             width=420)
    st.button("Start", shortcut="Enter", on_click=_begin, args=(mode, scope),
              icon=":material/play_arrow:")


def progress() -> None:
    with store.session() as session:
        history = attempts.history(session, learner.id)
    st.header("Your progress", anchor=False)
    ready = results.learner_readiness(history, len(index))
    if ready.estimate is None:
        st.markdown("Answer some questions to see how ready you are for the exam.")
        return
    verdict = "at or above" if ready.on_track else "below"
    st.markdown(f"**Estimate from this module only: {ready.estimate} / 1000**, {verdict} the {results.PASS_MARK} "
                f"pass mark on this module's questions. Based on your latest answer to each of the {ready.answered} "
                f"questions you have answered, out of {ready.total}; domains weighted like the exam. {results.CAVEAT}")
    sw.mastery_chart(ready.objectives, "Mastery per objective, from your latest answers")
    if ready.weak:
        st.markdown("**Needs review** (below 65%): " + "; ".join(sw.objective_label(o.objective) for o in ready.weak))
    finished = [a for a in history if a.status == "finished"]
    if finished:
        rows = "\n".join(f"| {a.finished_at:%d %b %H:%M} | {_title(a)} | {a.score:.0%} | {results.scaled(a.score)} |"
                         for a in reversed(finished[-10:]) if a.finished_at and a.score is not None)
        st.markdown("**Recent attempts** (UTC)\n\n| Finished | Quiz | Score | Scaled |\n|---|---|---|---|\n" + rows)
    left, right = st.columns(2)
    left.download_button("Download my attempts (CSV)", results.to_csv(results.attempts_frame(history)),
                         file_name=f"{learner.name}-attempts.csv", mime="text/csv", on_click="ignore",
                         icon=":material/download:")
    right.download_button("Download my answers (CSV)", results.to_csv(results.answers_frame(history)),
                          file_name=f"{learner.name}-answers.csv", mime="text/csv", on_click="ignore",
                          icon=":material/download:")


# --- which screen ---------------------------------------------------------------------------------

if error := st.session_state.pop("quiz_error", None):
    st.warning(error, icon=":material/info:")

with store.session() as session:
    if (shown := st.session_state.get("quiz_results")) is not None:
        attempt = attempts.load(session, shown)
    else:
        attempt = attempts.open_attempt(session, learner.id)
if attempt is not None and attempt.status == "open" and attempt.expired(sw.now()):
    _finish(attempt.id, "Time is up: your exam was submitted with the answers you had saved.")
    st.rerun()

if attempt is not None and attempt.status == "finished":
    show_results(attempt)
elif attempt is not None and attempt.status == "open":
    run_attempt(attempt)
else:
    st.session_state.pop("quiz_wanted", None)
    menu()
    progress()
