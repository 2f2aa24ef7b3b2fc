"""Flashcard scheduling with FSRS, through the ``fsrs`` library (py-fsrs); nothing here re-derives it.

What this module adds around the library is what an app needs: a card's schedule per learner in the
store, the review queue (due cards first, then new cards up to a daily limit, as Anki does), the
next interval printed on each rating button, leeches, and cram mode.

Fuzzing is off. py-fsrs fuzzes Review intervals with the process-wide ``random.random``, so the
interval previewed on a button could differ from the one the press then gives, and a per-card seed
cannot be set safely while several Streamlit sessions review at once. The interval a learner sees is
therefore exactly the interval the card gets.
"""

import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from fsrs import Card, Rating, Scheduler, State
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from genlab.errors import LearnerError
from genlab.study.clock import today_bounds, utc
from genlab.study.tables import CardReview, CardState, StudyPreference

DEFAULT_RETENTION = 0.9
DEFAULT_NEW_PER_DAY = 20
#: Anki's threshold: a card forgotten this many times is a leech (better rewritten than drilled).
LEECH_LAPSES = 8
#: Learning cards due within this window count as "due soon". They are shown at their due time, not
#: before: "Again: 10 min" on a button means ten minutes, so an early repeat would not test recall.
LEARN_AHEAD = timedelta(minutes=20)
#: Desired retention the settings accept. Anki's manual: above 0.9 the workload rises quickly.
RETENTION_RANGE = (0.70, 0.97)
NEW_PER_DAY_RANGE = (0, 200)

RATINGS: tuple[Rating, ...] = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)
RATING_NAMES: dict[Rating, str] = {Rating.Again: "Again", Rating.Hard: "Hard", Rating.Good: "Good",
                                   Rating.Easy: "Easy"}


class StudyError(LearnerError, ValueError):
    """A study setting or request that cannot be used; the message says what to do instead."""


@lru_cache(maxsize=32)
def scheduler(desired_retention: float = DEFAULT_RETENTION) -> Scheduler:
    """The library's scheduler with default FSRS-6 parameters, without fuzzing (see module doc)."""
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


def fsrs_card_id(card_id: str) -> int:
    """A stable integer for the library's ``Card.card_id`` (our ids are strings like ``fc-diff-01``)."""
    return zlib.crc32(card_id.encode("utf-8"))


def new_card(card_id: str, now: datetime) -> Card:
    """A card never reviewed: Learning state, due now."""
    return Card(card_id=fsrs_card_id(card_id), due=utc(now))


# --- intervals ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NextInterval:
    """What pressing a rating would do: the card becomes due ``delta`` from now."""

    rating: Rating
    delta: timedelta
    text: str  # "1 min", "10 min", "2 d", "1.5 mo"


def interval_text(delta: timedelta) -> str:
    """A short interval in Anki's style: minutes, hours, days, months or years."""
    seconds = max(0.0, delta.total_seconds())
    minutes = seconds / 60
    if minutes < 59.5:
        return f"{max(1, round(minutes))} min"
    hours = minutes / 60
    if hours < 23.5:
        return f"{round(hours)} h"
    days = hours / 24
    if days < 30.5:
        return f"{round(days)} d"
    if days < 365:
        return f"{days / 30.4:.1f} mo".replace(".0 ", " ")
    return f"{days / 365.25:.1f} y".replace(".0 ", " ")


def preview(card: Card, now: datetime, desired_retention: float = DEFAULT_RETENTION) -> dict[Rating, NextInterval]:
    """For each rating, the interval the card would get if it were pressed now (nothing is saved)."""
    now = utc(now)
    sched = scheduler(desired_retention)
    result = {}
    for rating in RATINGS:
        after, _log = sched.review_card(card, rating, review_datetime=now)
        delta = after.due - now
        result[rating] = NextInterval(rating, delta, interval_text(delta))
    return result


# --- preferences --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preferences:
    desired_retention: float = DEFAULT_RETENTION
    new_cards_per_day: int = DEFAULT_NEW_PER_DAY


def preferences(session: Session, learner_id: int) -> Preferences:
    """The learner's study settings (the defaults until they change one)."""
    row = session.get(StudyPreference, learner_id)
    if row is None:
        return Preferences()
    return Preferences(row.desired_retention, row.new_cards_per_day)


def set_preferences(session: Session, learner_id: int, *, desired_retention: float | None = None,
                    new_cards_per_day: int | None = None) -> Preferences:
    """Store a new desired retention and/or daily new-card limit; out-of-range values are refused."""
    low, high = RETENTION_RANGE
    if desired_retention is not None and not low <= desired_retention <= high:
        raise StudyError(f"Choose a desired retention between {low:.0%} and {high:.0%}; 90% suits most learners.")
    low_new, high_new = NEW_PER_DAY_RANGE
    if new_cards_per_day is not None and not low_new <= new_cards_per_day <= high_new:
        raise StudyError(f"Choose between {low_new} and {high_new} new cards a day.")
    row = session.get(StudyPreference, learner_id)
    if row is None:
        row = StudyPreference(learner_id=learner_id, desired_retention=DEFAULT_RETENTION,
                              new_cards_per_day=DEFAULT_NEW_PER_DAY)
        session.add(row)
    if desired_retention is not None:
        row.desired_retention = round(float(desired_retention), 3)
    if new_cards_per_day is not None:
        row.new_cards_per_day = int(new_cards_per_day)
    session.commit()
    return Preferences(row.desired_retention, row.new_cards_per_day)


# --- one card -----------------------------------------------------------------------------------


def _states(session: Session, learner_id: int) -> dict[str, CardState]:
    rows = session.scalars(select(CardState).where(CardState.learner_id == learner_id))
    return {row.card_id: row for row in rows}


def card_state(session: Session, learner_id: int, card_id: str, now: datetime) -> Card:
    """The learner's ``fsrs.Card`` for a flashcard (a new card if it was never reviewed)."""
    row = session.get(CardState, (learner_id, card_id))
    return Card.from_dict(row.card) if row is not None else new_card(card_id, now)


@dataclass(frozen=True)
class CardInfo:
    """What the review screen shows about a card besides its text."""

    card_id: str
    is_new: bool
    state: State
    lapses: int
    leech: bool


def card_info(session: Session, learner_id: int, card_id: str) -> CardInfo:
    row = session.get(CardState, (learner_id, card_id))
    if row is None:
        return CardInfo(card_id, True, State.Learning, 0, False)
    return CardInfo(card_id, False, State(row.state), row.lapses, row.leech)


@dataclass(frozen=True)
class ReviewOutcome:
    card_id: str
    rating: Rating
    card: Card  # the library's card after the review
    interval: NextInterval
    lapses: int
    leech: bool
    became_leech: bool  # this press made it a leech: say so once
    saved: bool  # False in cram mode


def review(session: Session, learner_id: int, card_id: str, rating: Rating | int, now: datetime, *,
           cram: bool = False) -> ReviewOutcome:
    """Rate a card. Saves the new ``Card`` and the ``ReviewLog``, unless ``cram`` (then nothing is saved).

    A lapse is Again on a card in the Review state (Anki's definition); at :data:`LEECH_LAPSES`
    lapses the card is flagged as a leech.
    """
    rating = Rating(int(rating))
    now = utc(now)
    prefs = preferences(session, learner_id)
    row = session.get(CardState, (learner_id, card_id))
    was_new = row is None
    before = Card.from_dict(row.card) if row is not None else new_card(card_id, now)
    after, log = scheduler(prefs.desired_retention).review_card(before, rating, review_datetime=now)
    lapse = before.state == State.Review and rating == Rating.Again
    lapses = (row.lapses if row is not None else 0) + int(lapse)
    was_leech = row.leech if row is not None else False
    leech = was_leech or lapses >= LEECH_LAPSES
    delta = after.due - now
    outcome = ReviewOutcome(card_id, rating, after, NextInterval(rating, delta, interval_text(delta)), lapses,
                            leech, leech and not was_leech, saved=not cram)
    if cram:
        return outcome
    if row is None:
        row = CardState(learner_id=learner_id, card_id=card_id, introduced_at=now, lapses=0, leech=False)
        session.add(row)
    row.card = after.to_dict()
    row.state = after.state.value
    row.due = after.due
    row.lapses = lapses
    row.leech = leech
    session.add(CardReview(learner_id=learner_id, card_id=card_id, rating=rating.value,
                           state_before=before.state.value, reviewed_at=now, log=dict(log.to_dict()),
                           card_before=None if was_new else before.to_dict(), was_new=was_new))
    session.commit()
    return outcome


@dataclass(frozen=True)
class Undone:
    card_id: str
    rating: Rating


def undo_last(session: Session, learner_id: int, review_id: int) -> Undone:
    """Take back review ``review_id``, which must be the learner's latest: the card's schedule, lapses and
    leech flag return to what they were before it, and the review no longer counts anywhere."""
    last = session.scalar(select(CardReview).where(CardReview.learner_id == learner_id)
                          .order_by(CardReview.reviewed_at.desc(), CardReview.id.desc()).limit(1))
    if last is None or last.id != review_id:
        raise StudyError("Only your latest rating can be undone, and it has changed (another tab?). "
                         "Rate the card again instead.")
    if last.card_before is None and not last.was_new:
        raise StudyError("That rating was saved before undo existed, so it cannot be taken back.")
    row = session.get(CardState, (learner_id, last.card_id))
    if row is not None:
        if last.was_new:
            session.delete(row)
        else:
            before = Card.from_dict(last.card_before)  # type: ignore[arg-type]
            lapse = last.state_before == State.Review.value and last.rating == Rating.Again.value
            row.card, row.state, row.due = before.to_dict(), before.state.value, before.due
            row.lapses = max(row.lapses - int(lapse), 0)
            row.leech = row.lapses >= LEECH_LAPSES
    session.delete(last)
    session.commit()
    return Undone(last.card_id, Rating(last.rating))


def last_review_id(session: Session, learner_id: int) -> int | None:
    """The id of the learner's latest rating (what Undo takes back)."""
    return session.scalar(select(CardReview.id).where(CardReview.learner_id == learner_id)
                          .order_by(CardReview.reviewed_at.desc(), CardReview.id.desc()).limit(1))


# --- the queue ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewQueue:
    """The deck's cards to show now, in order: due, then new (within the deck's daily limit).

    Learning cards not yet due wait for their due time (``ahead`` lists those due within
    :data:`LEARN_AHEAD`); ``later`` is when the deck's next card falls due, so the page can say so.
    """

    due: list[str]
    new: list[str]
    ahead: list[str]
    done_today: int  # ratings of this deck's cards today
    new_today: int  # this deck's new cards started today
    new_limit: int
    later: datetime | None = None

    @property
    def order(self) -> list[str]:
        return self.due + self.new

    @property
    def next(self) -> str | None:
        order = self.order
        return order[0] if order else None


def _reviews_today(session: Session, learner_id: int, card_ids: Sequence[str], now: datetime) -> int:
    start, end = today_bounds(now)
    return session.scalar(select(func.count()).select_from(CardReview).where(
        CardReview.learner_id == learner_id, CardReview.card_id.in_(list(card_ids)),
        CardReview.reviewed_at >= start, CardReview.reviewed_at < end)) or 0


def review_queue(session: Session, learner_id: int, card_ids: Sequence[str], now: datetime) -> ReviewQueue:
    """Today's queue for the cards in ``card_ids`` (the deck, in the order new cards are introduced).

    Due cards come first, oldest due first; then new cards: the learner's daily new-card limit
    applies to each deck on its own (a lesson's deck is not used up by another lesson's cards), minus
    this deck's cards already started today. Counts are of this deck's cards only.
    """
    now = utc(now)
    prefs = preferences(session, learner_id)
    states = _states(session, learner_id)
    start, _end = today_bounds(now)
    deck = [c for c in card_ids if c in states]
    due = sorted((c for c in deck if utc(states[c].due) <= now), key=lambda c: (utc(states[c].due), c))
    ahead = sorted((c for c in deck if now < utc(states[c].due) <= now + LEARN_AHEAD
                    and states[c].state != State.Review.value), key=lambda c: (utc(states[c].due), c))
    waiting = [utc(states[c].due) for c in deck if utc(states[c].due) > now]
    new_today = sum(1 for c in deck if utc(states[c].introduced_at) >= start)
    room = max(0, prefs.new_cards_per_day - new_today)
    new = [c for c in card_ids if c not in states][:room]
    return ReviewQueue(due, new, ahead, _reviews_today(session, learner_id, card_ids, now), new_today,
                       prefs.new_cards_per_day, min(waiting) if waiting else None)


# --- cram ---------------------------------------------------------------------------------------

#: In cram mode a card rated Again comes back after this many other cards.
CRAM_AGAIN_GAP = 3


def cram_order(card_ids: Sequence[str], seed: int) -> list[str]:
    """Every card once, shuffled by ``seed``: cram mode ignores due dates and limits."""
    order = list(card_ids)
    random.Random(seed).shuffle(order)
    return order


def cram_next(remaining: Sequence[str], rating: Rating | int) -> list[str]:
    """The cram list after rating its first card: Again puts the card back a few places later."""
    head, rest = remaining[0], list(remaining[1:])
    if Rating(int(rating)) == Rating.Again:
        rest.insert(min(CRAM_AGAIN_GAP, len(rest)), head)
    return rest
