"""Flashcards: review today's cards with FSRS, keyboard first (Space shows the answer, 1-4 rate)."""

from datetime import datetime

import streamlit as st
from fsrs import Rating

from genlab.study import flashcards, stats
from genlab.study.clock import today_bounds
from ui import keys
from ui import practice as pw
from ui.errors import keeps_learner_errors

RATING_KEYS = {Rating.Again: "1", Rating.Hard: "2", Rating.Good: "3", Rating.Easy: "4"}
CRAM_LABELS = {Rating.Again: "repeat soon", Rating.Hard: "done", Rating.Good: "done", Rating.Easy: "done"}

st.title("Flashcards", anchor=False)
pw.keyboard_hints()
learner, store = pw.require_learner("Your flashcard schedule and reviews")

cards = {card.id: card for card in pw.bank().flashcards}
lessons = {lesson.slug: lesson.title for lesson in pw.bank().lessons}


def _deck(lesson: str) -> list[str]:
    """The cards in review order, all of them or one lesson's (``?lesson=<slug>`` links here)."""
    return [c.id for c in cards.values() if lesson == "all" or c.lesson == lesson]


def _reveal(card_id: str) -> None:
    st.session_state[keys.FC_REVEALED] = card_id


@keeps_learner_errors
def _rate(card_id: str, rating: Rating, cram: bool) -> None:
    st.session_state.pop(keys.FC_REVEALED, None)
    with store.session() as session:
        outcome = flashcards.review(session, learner.id, card_id, rating, pw.now(), cram=cram)
    name = flashcards.RATING_NAMES[rating]
    st.session_state.pop(keys.FC_UNDO, None)
    if cram:
        st.session_state[keys.FC_CRAM_LIST] = flashcards.cram_next(st.session_state[keys.FC_CRAM_LIST], rating)
        st.session_state[keys.FC_NOTE] = f"Cram: rated **{name}**. Your schedule is unchanged."
    else:
        st.session_state[keys.FC_NOTE] = f"Saved **{name}**: you will see this card again in {outcome.interval.text}."
        with store.session() as session:
            st.session_state[keys.FC_UNDO] = flashcards.last_review_id(session, learner.id)
    if outcome.became_leech:
        st.session_state[keys.FC_NOTE] += (f" You have now forgotten this card {outcome.lapses} times, so it is "
                                        "flagged as a leech: rewrite it in your own words or reread its lesson.")


def _undo(review_id: int) -> None:
    st.session_state.pop(keys.FC_UNDO, None)
    st.session_state.pop(keys.FC_REVEALED, None)
    try:
        with store.session() as session:
            undone = flashcards.undo_last(session, learner.id, review_id)
    except flashcards.StudyError as exc:
        st.session_state[keys.FC_NOTE] = str(exc)
        return
    front = cards[undone.card_id].front if undone.card_id in cards else "the card"
    st.session_state[keys.FC_NOTE] = (f"Took back **{flashcards.RATING_NAMES[undone.rating]}** on “{front}”: its "
                                   "schedule is as it was before, and it counts as not reviewed.")


@st.fragment(run_every=15)
def _wait_for(due: datetime) -> None:
    """Redraw the page when the next learning card falls due (checked every 15 s)."""
    if pw.now() >= due:
        st.rerun(scope="app")


def _start_cram() -> None:
    if st.session_state.get(keys.FC_CRAM):
        deck = _deck(st.session_state.get(keys.FC_LESSON, "all"))
        st.session_state[keys.FC_CRAM_LIST] = flashcards.cram_order(deck, seed=int(pw.now().timestamp()))


def _pick_lesson() -> None:
    """Keep ``?lesson=`` in the address in step with the choice, so a reload or a shared link keeps it."""
    if st.session_state[keys.FC_LESSON] == "all":
        st.query_params.pop("lesson", None)
    else:
        st.query_params["lesson"] = st.session_state[keys.FC_LESSON]
    _start_cram()


if st.query_params.get("lesson") in lessons:  # a lesson's "Review this lesson's flashcards" link
    st.session_state[keys.FC_LESSON] = st.query_params["lesson"]
chosen = st.selectbox("Cards from", ["all", *lessons], format_func=lambda s: lessons.get(s, "All lessons"),
                      key=keys.FC_LESSON, on_change=_pick_lesson, width=420)
deck = _deck(chosen)


t = pw.now()
with store.session() as session:
    queue = flashcards.review_queue(session, learner.id, deck, t)
    prefs = flashcards.preferences(session, learner.id)

due, new, done = st.columns(3)
due.metric("Due now or soon", len(queue.due) + len(queue.ahead), border=True)
new.metric("New cards left today", len(queue.new), border=True)
done.metric("Reviewed today", queue.done_today, border=True)

review_tab, stats_tab = st.tabs(["Review", "Statistics and settings"])

with review_tab:
    cram = st.toggle("Cram mode: go through every card without changing your schedule", key=keys.FC_CRAM,
                     on_change=_start_cram)
    if note := st.session_state.pop(keys.FC_NOTE, None):
        st.markdown(note)
    undo = st.session_state.get(keys.FC_UNDO)
    if undo is not None and not cram:
        st.button("Undo this rating", key="fc_undo_button", icon=":material/undo:", shortcut="u", on_click=_undo,
                  args=(undo,), help="Takes back your last rating; the card comes back as it was. Keyboard: U.")
    current = (st.session_state.get(keys.FC_CRAM_LIST) or [None])[0] if cram else queue.next
    if current is None:
        _, end_of_day = today_bounds(t)
        if cram:
            st.success("Cram round finished: you went through every card.", icon=":material/task_alt:")
            st.button("Start another cram round", on_click=_start_cram, shortcut="Enter")
        elif queue.later is not None and queue.later < end_of_day:
            wait = flashcards.interval_text(queue.later - t)
            st.info(f"No card is due right now. The next one is due at {queue.later:%H:%M} UTC, in {wait}; this "
                    "page shows it then. Cards you are still learning come back at their time, not sooner, so "
                    "that each repeat really tests your memory.", icon=":material/schedule:")
            _wait_for(queue.later)
        else:
            st.success("All done for today: no card is due and today's new cards are started. Come back "
                       "tomorrow, or switch on cram mode to practise anyway.", icon=":material/task_alt:")
    else:
        card = cards[current]
        with store.session() as session:
            info = flashcards.card_info(session, learner.id, current)
            upcoming = flashcards.preview(flashcards.card_state(session, learner.id, current, t), t,
                                          prefs.desired_retention)
        revealed = st.session_state.get(keys.FC_REVEALED) == current
        kind = "New card" if info.is_new else "Review"
        with st.container(border=True):
            st.markdown(f":blue-badge[{kind}] AI-901 {pw.objective_label(card.objective)}")
            st.markdown(f"**Question:** {card.front}")
            if revealed:
                st.divider()
                st.markdown(f"**Answer:** {card.back}")
        if info.leech:
            st.warning(f"This card is a leech: you have forgotten it {info.lapses} times. Rewrite it in your own "
                       "words or reread its lesson rather than drilling it again.", icon=":material/flag:")
        if not revealed:
            st.button("Show answer", shortcut="Space", icon=":material/visibility:", on_click=_reveal, args=(current,))
            st.caption("Keyboard: Space shows the answer; then 1 Again, 2 Hard, 3 Good, 4 Easy.")
        else:
            st.markdown("How well did you remember it?" if not cram else
                        "How well did you remember it? (Cram mode: nothing is rescheduled.)")
            columns = st.columns(4)
            for column, rating in zip(columns, flashcards.RATINGS, strict=True):
                after = CRAM_LABELS[rating] if cram else upcoming[rating].text
                column.button(f"{flashcards.RATING_NAMES[rating]} · {after}",
                              key=f"{keys.FC_RATE_PREFIX}{rating.value}", width="stretch",
                              shortcut=RATING_KEYS[rating], on_click=_rate, args=(current, rating, cram))

with stats_tab:
    with store.session() as session:
        summary = stats.study_stats(session, learner.id, deck, t)
        forecast = stats.due_forecast(session, learner.id, deck, t)
    a, b, c, d = st.columns(4)
    a.metric("Due today", summary.due_today)
    b.metric("Reviewed today", summary.reviewed_today)
    c.metric("True retention (30 days)", "not yet" if summary.true_retention is None
             else f"{summary.true_retention:.0%}")
    d.metric("Streak", f"{summary.streak_days} day{'s' if summary.streak_days != 1 else ''}")
    st.markdown(f"You have started {summary.cards_started} of {summary.cards_total} cards. All times are UTC.")
    st.subheader("Due in the next 14 days", anchor=False)
    pw.forecast_chart(forecast)
    st.subheader("Retention", anchor=False)
    pw.retention_chart(summary.true_retention, prefs.desired_retention, summary.retention_reviews)
    if summary.leeches:
        st.markdown("**Leeches** (forgotten 8 times or more; rewrite them): "
                    + "; ".join(cards[c].front for c in summary.leeches if c in cards))
    st.subheader("Settings", anchor=False)
    with st.form("fc_settings"):
        retention = st.slider("Desired retention (%)", 70, 97, round(prefs.desired_retention * 100),
                              help="The share of cards you want to still remember when they come due. 90% suits "
                                   "most learners; above 90% the number of reviews rises quickly.")
        per_day = st.number_input("New cards per day", 0, 200, prefs.new_cards_per_day, step=5)
        if st.form_submit_button("Save settings"):
            with store.session() as session:
                flashcards.set_preferences(session, learner.id, desired_retention=retention / 100,
                                           new_cards_per_day=int(per_day))
            st.rerun()
