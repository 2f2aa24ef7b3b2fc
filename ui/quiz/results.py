"""A finished attempt's results, and the learner's progress over all attempts.

Every scaled number carries :data:`genlab.study.results.ESTIMATE_LABEL` and the caveat next to it:
it is this app's linear estimate from this module's questions, not Microsoft's scaling.
"""

import streamlit as st

from genlab.study import attempts, results
from genlab.study.attempts import Attempt
from genlab.study.scoring import score
from ui import keys
from ui import practice as pw
from ui.quiz.flow import Quiz


def show_results(quiz: Quiz, attempt: Attempt) -> None:
    result = results.attempt_result(attempt, quiz.index)
    st.header("Your results", anchor=False)
    finished = f", finished {attempt.finished_at:%d %b %H:%M} UTC" if attempt.finished_at else ""
    st.markdown(f"**{quiz.title(attempt)}**{finished}")
    if note := st.session_state.pop(keys.QUIZ_NOTE, None):
        st.info(note, icon=":material/timer_off:")
    summary = (f"You scored **{result.share:.0%}** ({result.points:g} of {result.items} points). "
               f"{results.ESTIMATE_LABEL}: about **{result.scaled} / 1000** on the exam's scale; the pass mark is "
               f"{results.PASS_MARK}. {results.CAVEAT}")
    if result.passed:
        st.success(f"**Pass level:** {summary}", icon=":material/check_circle:")
    else:
        st.error(f"**Below the pass mark:** {summary}", icon=":material/cancel:")
    pw.mastery_chart(result.objectives, "Score per objective in this attempt")
    if not result.mistakes:
        st.button("Back to the quiz menu", shortcut="Enter", on_click=quiz.close_results)
        return
    st.subheader("Review your mistakes", anchor=False)
    for n, item_id in enumerate(result.mistakes, 1):
        entry = quiz.index[item_id]
        saved = attempt.answers.get(item_id)
        response = saved.response if saved else None
        with st.expander(f"Mistake {n}: {entry.item.stem[:90]}{'…' if len(entry.item.stem) > 90 else ''}"):
            pw.item_text(entry)
            pw.verdict(score(entry.item, response))
            pw.explanation(entry, response)
    left, right = st.columns(2)
    left.button("Drill only these mistakes", on_click=quiz.begin, args=("mistakes",), icon=":material/replay:")
    right.button("Back to the quiz menu", shortcut="Enter", on_click=quiz.close_results)


def progress(quiz: Quiz) -> None:
    with quiz.store.session() as session:
        history = attempts.history(session, quiz.learner.id)
    st.header("Your progress", anchor=False)
    ready = results.learner_readiness(history, len(quiz.index))
    if ready.estimate is None:
        st.markdown("Answer some questions to see how ready you are for the exam.")
        return
    verdict = "at or above" if ready.on_track else "below"
    st.markdown(f"**{results.ESTIMATE_LABEL}: {ready.estimate} / 1000**, {verdict} the {results.PASS_MARK} pass mark "
                f"on this module's questions. Based on your latest answer to each of the {ready.answered} questions "
                f"you have answered, out of {ready.total}; domains weighted like the exam. {results.CAVEAT}")
    pw.mastery_chart(ready.objectives, "Mastery per objective, from your latest answers")
    if ready.weak:
        st.markdown(f"**Needs review** (below {results.WEAK_SHARE:.0%}): "
                    + "; ".join(pw.objective_label(o.objective) for o in ready.weak))
    finished = [a for a in history if a.status == "finished"]
    if finished:
        rows = "\n".join(f"| {a.finished_at:%d %b %H:%M} | {quiz.title(a)} | {a.score:.0%} | "
                         f"{results.scaled(a.score)} |"
                         for a in reversed(finished[-10:]) if a.finished_at and a.score is not None)
        scaled = f"Scaled ({results.ESTIMATE_LABEL.lower()})"
        st.markdown(f"**Recent attempts** (UTC)\n\n| Finished | Quiz | Score | {scaled} |\n|---|---|---|---|\n{rows}")
    left, right = st.columns(2)
    left.download_button("Download my attempts (CSV)", results.to_csv(results.attempts_frame(history)),
                         file_name=f"{quiz.learner.name}-attempts.csv", mime="text/csv", on_click="ignore",
                         icon=":material/download:")
    right.download_button("Download my answers (CSV)", results.to_csv(results.answers_frame(history)),
                          file_name=f"{quiz.learner.name}-answers.csv", mime="text/csv", on_click="ignore",
                          icon=":material/download:")
