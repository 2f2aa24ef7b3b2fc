"""Flashcard statistics for the progress header and the stats view: what is due, what was done,
how well reviews are remembered, and how many days in a row the learner has studied.

True retention follows Anki's definition: of the reviews of cards that were in the Review state
(learning steps excluded), the share not rated Again. It is the number to compare with the desired
retention setting.
"""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from fsrs import Rating, State
from sqlalchemy import select
from sqlalchemy.orm import Session

from genlab.study.clock import today_bounds, utc
from genlab.study.tables import CardReview, CardState

RETENTION_WINDOW_DAYS = 30
FORECAST_DAYS = 14


@dataclass(frozen=True)
class StudyStats:
    due_today: int  # started cards due before the end of today (UTC), overdue included
    reviewed_today: int
    true_retention: float | None  # None until there is a Review-state review in the window
    retention_reviews: int  # how many reviews the retention is computed from
    streak_days: int
    cards_started: int
    cards_total: int
    leeches: list[str]


def streak(days: set[date], today: date) -> int:
    """Consecutive days with reviews ending today, or ending yesterday if today has none yet
    (a streak is not broken until the day is over)."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def study_stats(session: Session, learner_id: int, card_ids: Sequence[str], now: datetime) -> StudyStats:
    now = utc(now)
    deck = set(card_ids)
    start, end = today_bounds(now)
    states = [row for row in session.scalars(select(CardState).where(CardState.learner_id == learner_id))
              if row.card_id in deck]
    reviews = list(session.execute(
        select(CardReview.reviewed_at, CardReview.rating, CardReview.state_before, CardReview.card_id)
        .where(CardReview.learner_id == learner_id)))
    window_start = now - timedelta(days=RETENTION_WINDOW_DAYS)
    in_window = [r for r in reviews if utc(r.reviewed_at) >= window_start and r.state_before == State.Review.value]
    kept = sum(1 for r in in_window if r.rating != Rating.Again.value)
    return StudyStats(
        due_today=sum(1 for row in states if utc(row.due) < end),
        reviewed_today=sum(1 for r in reviews if start <= utc(r.reviewed_at) < end and r.card_id in deck),
        true_retention=kept / len(in_window) if in_window else None,
        retention_reviews=len(in_window),
        streak_days=streak({utc(r.reviewed_at).date() for r in reviews}, now.date()),
        cards_started=len(states),
        cards_total=len(deck),
        leeches=sorted(row.card_id for row in states if row.leech),
    )


def due_forecast(session: Session, learner_id: int, card_ids: Sequence[str], now: datetime,
                 days: int = FORECAST_DAYS) -> list[tuple[date, int]]:
    """Cards due on each of the next ``days`` UTC days; today's count includes overdue cards.

    New (never reviewed) cards are not counted: they arrive through the daily new-card limit.
    """
    now = utc(now)
    deck = set(card_ids)
    today = now.date()
    counts: Counter[date] = Counter()
    for card_id, due in session.execute(select(CardState.card_id, CardState.due)
                                        .where(CardState.learner_id == learner_id)):
        if card_id in deck:
            counts[max(today, utc(due).date())] += 1
    return [(today + timedelta(days=i), counts[today + timedelta(days=i)]) for i in range(days)]
