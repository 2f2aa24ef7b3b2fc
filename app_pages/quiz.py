"""Knowledge check: a lesson's check, practice by objective, an exam simulation and a drill of mistakes.

``?lesson=<slug>`` opens that lesson's knowledge check and ``?objective=<id>`` practice on one
objective, so lessons can link here. Every answer is saved at once; an unfinished attempt opens
again after a reload or a restart.
"""

import streamlit as st

from ui import keys
from ui import practice as pw
from ui.quiz.asking import run_attempt
from ui.quiz.flow import Quiz
from ui.quiz.menu import menu
from ui.quiz.results import progress, show_results

st.title("Knowledge check", anchor=False)
pw.keyboard_hints()
learner, store = pw.require_learner("Your quiz attempts and scores")
quiz = Quiz(learner, store, pw.bank(), pw.index())

quiz.follow_links()
attempt = quiz.current()
if attempt is not None and attempt.status == "finished":
    show_results(quiz, attempt)
elif attempt is not None and attempt.status == "open":
    run_attempt(quiz, attempt)
else:
    st.session_state.pop(keys.QUIZ_WANTED, None)
    menu(quiz)
    progress(quiz)
