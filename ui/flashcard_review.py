"""The Flashcards page's screens: review the next card (Space shows the answer, 1-4 rate, U undoes),
and the statistics and settings of the chosen deck. The schedule itself is ``genlab.study.flashcards``."""

from dataclasses import dataclass
from datetime import datetime

import streamlit as st
from fsrs import Rating

from genlab.quiz_schema import Flashcard
from genlab.store import Store
from genlab.study import flashcards, stats
from genlab.study.clock import today_bounds
from ui import keys
from ui import practice as pw
from ui.errors import keeps_learner_errors, shows_learner_errors
from ui.state import CurrentLearner

RATING_KEYS = {Rating.Again: "1", Rating.Hard: "2", Rating.Good: "3", Rating.Easy: "4"}
CRAM_LABELS = {Rating.Again: "repeat soon", Rating.Hard: "done", Rating.Good: "done", Rating.Easy: "done"}


@dataclass(frozen=True)
class Deck:
    """One learner's cards from one lesson (or all), in review order."""

    learner: CurrentLearner
    store: Store
    cards: dict[str, Flashcard]
    ids: list[str]


def start_cram(ids: list[str]) -> None:
    """A new cram round over ``ids`` when cram mode is on (its order changes every round)."""
    if st.session_state.get(keys.FC_CRAM):
        st.session_state[keys.FC_CRAM_LIST] = flashcards.cram_order(ids, seed=int(pw.now().timestamp()))


def _reveal(card_id: str) -> None:
    st.session_state[keys.FC_REVEALED] = card_id


@keeps_learner_errors
def _rate(deck: Deck, card_id: str, rating: Rating, cram: bool) -> None:
    st.session_state.pop(keys.FC_REVEALED, None)
    with deck.store.session() as session:
        outcome = flashcards.review(session, deck.learner.id, card_id, rating, pw.now(), cram=cram)
    name = flashcards.RATING_NAMES[rating]
    st.session_state.pop(keys.FC_UNDO, None)
    if cram:
        st.session_state[keys.FC_CRAM_LIST] = flashcards.cram_next(st.session_state[keys.FC_CRAM_LIST], rating)
        st.session_state[keys.FC_NOTE] = f"Cram: rated **{name}**. Your schedule is unchanged."
    else:
        st.session_state[keys.FC_NOTE] = f"Saved **{name}**: you will see this card again in {outcome.interval.text}."
        with deck.store.session() as session:
            st.session_state[keys.FC_UNDO] = flashcards.last_review_id(session, deck.learner.id)
    if outcome.became_leech:
        st.session_state[keys.FC_NOTE] += (f" You have now forgotten this card {outcome.lapses} times, so it is "
                                           "flagged as a leech: rewrite it in your own words or reread its lesson.")


@keeps_learner_errors
def _undo(deck: Deck, review_id: int) -> None:
    st.session_state.pop(keys.FC_UNDO, None)
    st.session_state.pop(keys.FC_REVEALED, None)
    with deck.store.session() as session:
        undone = flashcards.undo_last(session, deck.learner.id, review_id)
    front = deck.cards[undone.card_id].front if undone.card_id in deck.cards else "the card"
    st.session_state[keys.FC_NOTE] = (f"Took back **{flashcards.RATING_NAMES[undone.rating]}** on “{front}”: its "
                                      "schedule is as it was before, and it counts as not reviewed.")


@st.fragment(run_every=15)
def _wait_for(due: datetime) -> None:
    """Redraw the page when the next learning card falls due (checked every 15 s)."""
    if pw.now() >= due:
        st.rerun(scope="app")


def _nothing_due(deck: Deck, queue: flashcards.ReviewQueue, cram: bool, t: datetime) -> None:
    _, end_of_day = today_bounds(t)
    if cram:
        st.success("Cram round finished: you went through every card.", icon=":material/task_alt:")
        st.button("Start another cram round", on_click=start_cram, args=(deck.ids,), shortcut="Enter")
    elif queue.later is not None and queue.later < end_of_day:
        wait = flashcards.interval_text(queue.later - t)
        st.info(f"No card is due right now. The next one is due at {queue.later:%H:%M} UTC, in {wait}; this page "
                "shows it then. Cards you are still learning come back at their time, not sooner, so that each "
                "repeat really tests your memory.", icon=":material/schedule:")
        _wait_for(queue.later)
    else:
        st.success("All done for today: no card is due and today's new cards are started. Come back tomorrow, "
                   "or switch on cram mode to practise anyway.", icon=":material/task_alt:")


def _card(deck: Deck, current: str, cram: bool, t: datetime, desired_retention: float) -> None:
    card = deck.cards[current]
    with deck.store.session() as session:
        info = flashcards.card_info(session, deck.learner.id, current)
        upcoming = flashcards.preview(flashcards.card_state(session, deck.learner.id, current, t), t,
                                      desired_retention)
    revealed = st.session_state.get(keys.FC_REVEALED) == current
    with st.container(border=True):
        st.markdown(f":blue-badge[{'New card' if info.is_new else 'Review'}] AI-901 "
                    f"{pw.objective_label(card.objective)}")
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
        return
    st.markdown("How well did you remember it?" if not cram else
                "How well did you remember it? (Cram mode: nothing is rescheduled.)")
    for column, rating in zip(st.columns(4), flashcards.RATINGS, strict=True):
        after = CRAM_LABELS[rating] if cram else upcoming[rating].text
        column.button(f"{flashcards.RATING_NAMES[rating]} · {after}", key=f"{keys.FC_RATE_PREFIX}{rating.value}",
                      width="stretch", shortcut=RATING_KEYS[rating], on_click=_rate, args=(deck, current, rating, cram))


def review(deck: Deck, queue: flashcards.ReviewQueue, t: datetime, desired_retention: float) -> None:
    """The review tab: cram toggle, the last rating's note (with Undo), then the next card or why none."""
    cram = st.toggle("Cram mode: go through every card without changing your schedule", key=keys.FC_CRAM,
                     on_change=start_cram, args=(deck.ids,))
    if note := st.session_state.pop(keys.FC_NOTE, None):
        st.markdown(note)
    undo = st.session_state.get(keys.FC_UNDO)
    if undo is not None and not cram:
        st.button("Undo this rating", key="fc_undo_button", icon=":material/undo:", shortcut="u", on_click=_undo,
                  args=(deck, undo), help="Takes back your last rating; the card comes back as it was. Keyboard: U.")
    current = (st.session_state.get(keys.FC_CRAM_LIST) or [None])[0] if cram else queue.next
    if current is None:
        _nothing_due(deck, queue, cram, t)
    else:
        _card(deck, current, cram, t, desired_retention)


def statistics(deck: Deck, t: datetime, prefs: flashcards.Preferences) -> None:
    """The statistics tab: today's numbers, the due forecast, retention, leeches and the settings form."""
    with deck.store.session() as session:
        summary = stats.study_stats(session, deck.learner.id, deck.ids, t)
        forecast = stats.due_forecast(session, deck.learner.id, deck.ids, t)
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
        st.markdown(f"**Leeches** (forgotten {flashcards.LEECH_LAPSES} times or more; rewrite them): "
                    + "; ".join(deck.cards[c].front for c in summary.leeches if c in deck.cards))
    st.subheader("Settings", anchor=False)
    with st.form("fc_settings"):
        retention = st.slider("Desired retention (%)", 70, 97, round(prefs.desired_retention * 100),
                              help="The share of cards you want to still remember when they come due. 90% suits "
                                   "most learners; above 90% the number of reviews rises quickly.")
        per_day = st.number_input("New cards per day", 0, 200, prefs.new_cards_per_day, step=5)
        saved = st.form_submit_button("Save settings")
    if saved:
        with shows_learner_errors():  # a value the engine refuses: its sentence under the form
            with deck.store.session() as session:
                flashcards.set_preferences(session, deck.learner.id, desired_retention=retention / 100,
                                           new_cards_per_day=int(per_day))
            st.rerun()
