"""Flashcards: review today's cards with FSRS, keyboard first (Space shows the answer, 1-4 rate)."""

import streamlit as st

from genlab.study import flashcards
from ui import keys
from ui import practice as pw
from ui.flashcard_review import Deck, review, start_cram, statistics

st.title("Flashcards", anchor=False)
pw.keyboard_hints()
learner, store = pw.require_learner("Your flashcard schedule and reviews")

cards = {card.id: card for card in pw.bank().flashcards}
lessons = {lesson.slug: lesson.title for lesson in pw.bank().lessons}


def _ids(lesson: str) -> list[str]:
    """The cards in review order, all of them or one lesson's (``?lesson=<slug>`` links here)."""
    return [c.id for c in cards.values() if lesson == "all" or c.lesson == lesson]


def _pick_lesson() -> None:
    """Keep ``?lesson=`` in the address in step with the choice, so a reload or a shared link keeps it."""
    if st.session_state[keys.FC_LESSON] == "all":
        st.query_params.pop("lesson", None)
    else:
        st.query_params["lesson"] = st.session_state[keys.FC_LESSON]
    start_cram(_ids(st.session_state[keys.FC_LESSON]))


if st.query_params.get("lesson") in lessons:  # a lesson's "Review this lesson's flashcards" link
    st.session_state[keys.FC_LESSON] = st.query_params["lesson"]
chosen = st.selectbox("Cards from", ["all", *lessons], format_func=lambda s: lessons.get(s, "All lessons"),
                      key=keys.FC_LESSON, on_change=_pick_lesson, width=420)
deck = Deck(learner, store, cards, _ids(chosen))

t = pw.now()
with store.session() as session:
    queue = flashcards.review_queue(session, learner.id, deck.ids, t)
    prefs = flashcards.preferences(session, learner.id)

due, new, done = st.columns(3)
due.metric("Due now or soon", len(queue.due) + len(queue.ahead), border=True)
new.metric("New cards left today", len(queue.new), border=True)
done.metric("Reviewed today", queue.done_today, border=True)

review_tab, stats_tab = st.tabs(["Review", "Statistics and settings"])
with review_tab:
    review(deck, queue, t, prefs.desired_retention)
with stats_tab:
    statistics(deck, t, prefs)
