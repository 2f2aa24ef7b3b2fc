"""The study engine: FSRS scheduling through the library, queue, cram, leeches, stats, quiz scoring,
selection and shuffles, and attempts persisted and resumed on SQLite and PostgreSQL."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State
from sqlalchemy import func, select

from genlab.content import IN_SCOPE_OBJECTIVES, domain_of, load_bank
from genlab.store import Store
from genlab.store import learners as profiles
from genlab.study import attempts, flashcards, results, scoring, selection, stats
from genlab.study.tables import CardReview, CardState

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday morning, UTC
BANK = load_bank()
INDEX = selection.item_index(BANK)
DECK = [c.id for c in BANK.flashcards]


def item(item_id: str):
    return INDEX[item_id].item


def learner(store: Store, name: str = "Ada") -> int:
    with store.session() as s:
        return profiles.get_or_create(s, name).id


def restart(store: Store) -> Store:
    """A second process opening the same database (what an app restart does)."""
    return Store.open(store.engine.url.render_as_string(hide_password=False))


# --- FSRS through the library -----------------------------------------------------------------


def test_intervals_follow_the_library(store: Store) -> None:
    """Good, Good, Good, Again, Good: the stored card equals the library's card after each press."""
    ada = learner(store)
    reference = Scheduler(enable_fuzzing=False)
    expected = Card(card_id=flashcards.fsrs_card_id("fc-diff-01"), due=T0)
    now, texts = T0, []
    with store.session() as s:
        for rating in (Rating.Good, Rating.Good, Rating.Good, Rating.Again, Rating.Good):
            shown = flashcards.preview(flashcards.card_state(s, ada, "fc-diff-01", now), now)[rating]
            outcome = flashcards.review(s, ada, "fc-diff-01", rating, now)
            expected, _log = reference.review_card(expected, rating, review_datetime=now)
            stored = flashcards.card_state(s, ada, "fc-diff-01", now)
            assert stored.to_dict() == expected.to_dict() == outcome.card.to_dict()
            assert shown.delta == expected.due - now  # the button said what the press did
            texts.append(outcome.interval.text)
            now = expected.due
    # The research note's run of the same sequence: +10 min, +2 d, +11 d, lapse +10 min, +2 d.
    assert texts == ["10 min", "2 d", "11 d", "10 min", "2 d"]
    assert expected.state == State.Review


def test_desired_retention_is_stored_and_used(store: Store) -> None:
    ada = learner(store)
    with store.session() as s:
        assert flashcards.preferences(s, ada) == flashcards.Preferences(0.9, 20)
        flashcards.set_preferences(s, ada, desired_retention=0.95)
        with pytest.raises(flashcards.StudyError, match="between 70% and 97%"):
            flashcards.set_preferences(s, ada, desired_retention=0.99)
    with restart(store).session() as s:
        assert flashcards.preferences(s, ada).desired_retention == 0.95
        now = T0
        for rating in (Rating.Good, Rating.Good, Rating.Good):
            outcome = flashcards.review(s, ada, "fc-diff-02", rating, now)
            now = outcome.card.due
    strict = Scheduler(desired_retention=0.95, enable_fuzzing=False)
    card, now = Card(card_id=flashcards.fsrs_card_id("fc-diff-02"), due=T0), T0
    for rating in (Rating.Good, Rating.Good, Rating.Good):
        card, _ = strict.review_card(card, rating, review_datetime=now)
        now = card.due
    assert outcome.card.due == card.due
    relaxed = flashcards.preview(outcome.card, now, 0.8)[Rating.Good].delta
    assert flashcards.preview(outcome.card, now, 0.95)[Rating.Good].delta < relaxed


def test_every_review_log_is_kept(store: Store) -> None:
    ada = learner(store)
    with store.session() as s:
        flashcards.review(s, ada, "fc-diff-01", Rating.Good, T0)
        flashcards.review(s, ada, "fc-diff-01", Rating.Again, T0 + timedelta(minutes=10))
        logs = list(s.scalars(select(CardReview).order_by(CardReview.id)))
    assert [(r.rating, r.state_before) for r in logs] == [(3, State.Learning.value), (1, State.Learning.value)]
    assert logs[0].log["card_id"] == flashcards.fsrs_card_id("fc-diff-01")


@pytest.mark.parametrize(("minutes", "text"), [(0.2, "1 min"), (10, "10 min"), (90, "2 h"), (60 * 24 * 2, "2 d"),
                                               (60 * 24 * 45, "1.5 mo"), (60 * 24 * 400, "1.1 y")])
def test_interval_text(minutes: float, text: str) -> None:
    assert flashcards.interval_text(timedelta(minutes=minutes)) == text


# --- queue, cram, leeches ---------------------------------------------------------------------


def test_queue_puts_due_cards_first_then_new_up_to_the_daily_limit(store: Store) -> None:
    ada = learner(store)
    deck = DECK[:10]
    with store.session() as s:
        flashcards.set_preferences(s, ada, new_cards_per_day=3)
        first = flashcards.review_queue(s, ada, deck, T0)
        assert first.due == [] and first.new == deck[:3] and first.next == deck[0]
        # Day 1: start three cards (Easy sends each straight to Review, due in days).
        for card_id in deck[:3]:
            flashcards.review(s, ada, card_id, Rating.Easy, T0)
        later = flashcards.review_queue(s, ada, deck, T0 + timedelta(hours=1))
        assert later.new == [] and later.new_today == 3 and later.done_today == 3
        # Weeks later all three are due, oldest due first, ahead of three new cards.
        dues = {c: flashcards.card_state(s, ada, c, T0).due for c in deck[:3]}
        far = T0 + timedelta(days=60)
        queue = flashcards.review_queue(s, ada, deck, far)
    assert queue.due == sorted(deck[:3], key=lambda c: (dues[c], c))
    assert queue.new == deck[3:6]
    assert queue.order == queue.due + queue.new


def test_learning_cards_come_back_at_their_due_time_not_before(store: Store) -> None:
    ada = learner(store)
    with store.session() as s:
        flashcards.set_preferences(s, ada, new_cards_per_day=1)
        outcome = flashcards.review(s, ada, DECK[0], Rating.Again, T0)  # due again in a few minutes
        queue = flashcards.review_queue(s, ada, DECK, T0 + timedelta(seconds=5))
        assert queue.due == [] and queue.new == [] and queue.ahead == [DECK[0]]
        assert queue.next is None and queue.later == outcome.card.due  # "the next card is due at ..."
        back = flashcards.review_queue(s, ada, DECK, outcome.card.due)
    assert back.next == DECK[0]


def test_each_deck_has_its_own_new_card_limit_and_count(store: Store) -> None:
    ada = learner(store)
    lessons = sorted({c.lesson for c in BANK.flashcards})
    first = [c.id for c in BANK.flashcards if c.lesson == lessons[0]]
    second = [c.id for c in BANK.flashcards if c.lesson == lessons[1]]
    with store.session() as s:
        flashcards.set_preferences(s, ada, new_cards_per_day=2)
        for card_id in first[:2]:
            flashcards.review(s, ada, card_id, Rating.Easy, T0)
        assert flashcards.review_queue(s, ada, first, T0).new == []
        other = flashcards.review_queue(s, ada, second, T0)
        assert other.new == second[:2] and other.done_today == 0 and other.new_today == 0
        assert flashcards.review_queue(s, ada, first, T0).done_today == 2
        assert stats.study_stats(s, ada, second, T0).reviewed_today == 0


def test_undo_takes_back_the_latest_rating(store: Store) -> None:
    ada = learner(store)
    with store.session() as s:
        flashcards.review(s, ada, DECK[0], Rating.Good, T0)
        before = flashcards.card_state(s, ada, DECK[0], T0).to_dict()
        first_id = flashcards.last_review_id(s, ada)
        flashcards.review(s, ada, DECK[0], Rating.Again, T0 + timedelta(minutes=15))
        with pytest.raises(flashcards.StudyError, match="latest rating"):
            flashcards.undo_last(s, ada, first_id)  # not the latest any more
        undone = flashcards.undo_last(s, ada, flashcards.last_review_id(s, ada))
        assert (undone.card_id, undone.rating) == (DECK[0], Rating.Again)
        assert flashcards.card_state(s, ada, DECK[0], T0).to_dict() == before
        # Undoing a new card's first rating makes it new again.
        flashcards.undo_last(s, ada, flashcards.last_review_id(s, ada))
        assert s.scalar(select(func.count()).select_from(CardState)) == 0
        assert s.scalar(select(func.count()).select_from(CardReview)) == 0
        assert flashcards.review_queue(s, ada, DECK, T0).new[0] == DECK[0]


def test_cram_leaves_the_schedule_untouched(store: Store) -> None:
    ada = learner(store)
    with store.session() as s:
        flashcards.review(s, ada, DECK[0], Rating.Good, T0)
        before = flashcards.card_state(s, ada, DECK[0], T0).to_dict()
        outcome = flashcards.review(s, ada, DECK[0], Rating.Again, T0 + timedelta(minutes=3), cram=True)
        flashcards.review(s, ada, DECK[1], Rating.Easy, T0, cram=True)
        assert not outcome.saved
        assert flashcards.card_state(s, ada, DECK[0], T0).to_dict() == before
        assert s.scalar(select(func.count()).select_from(CardReview)) == 1
        assert s.scalar(select(func.count()).select_from(CardState)) == 1
    order = flashcards.cram_order(DECK, seed=7)
    assert sorted(order) == sorted(DECK) and order == flashcards.cram_order(DECK, seed=7)
    assert flashcards.cram_next(["a", "b", "c", "d", "e"], Rating.Again) == ["b", "c", "d", "a", "e"]
    assert flashcards.cram_next(["a", "b"], Rating.Again) == ["b", "a"]
    assert flashcards.cram_next(["a", "b"], Rating.Good) == ["b"]


def test_a_card_becomes_a_leech_after_eight_lapses(store: Store) -> None:
    ada = learner(store)
    card_id, now = DECK[0], T0
    became = []
    with store.session() as s:
        outcome = flashcards.review(s, ada, card_id, Rating.Easy, now)  # straight to Review
        for _ in range(flashcards.LEECH_LAPSES):
            now = outcome.card.due
            outcome = flashcards.review(s, ada, card_id, Rating.Again, now)  # a lapse
            became.append(outcome.became_leech)
            now = outcome.card.due
            outcome = flashcards.review(s, ada, card_id, Rating.Good, now)  # relearned: Review again
        info = flashcards.card_info(s, ada, card_id)
        seen = stats.study_stats(s, ada, DECK, now)
    assert became == [False] * 7 + [True]
    assert info.lapses == 8 and info.leech
    assert seen.leeches == [card_id]


# --- statistics -------------------------------------------------------------------------------


def test_stats_retention_and_streak_on_fixed_days(store: Store) -> None:
    ada = learner(store)
    with store.session() as s:
        # Three cards go to Review on day 0 (Easy), then are reviewed on later days.
        for c in DECK[:3]:
            flashcards.review(s, ada, c, Rating.Easy, T0)
        cards = {c: flashcards.card_state(s, ada, c, T0) for c in DECK[:3]}
        day = T0 + timedelta(days=1)
        flashcards.review(s, ada, DECK[0], Rating.Good, day)  # Review state, kept
        flashcards.review(s, ada, DECK[1], Rating.Again, day)  # Review state, forgotten
        day2 = T0 + timedelta(days=2)
        flashcards.review(s, ada, DECK[2], Rating.Hard, day2)  # Review state, kept (Hard is a pass)
        flashcards.review(s, ada, DECK[1], Rating.Good, day2)  # Relearning: not counted for retention
        now = T0 + timedelta(days=2, hours=5)
        result = stats.study_stats(s, ada, DECK, now)
        forecast = stats.due_forecast(s, ada, DECK, now)
    assert all(card.state == State.Review for card in cards.values())
    assert result.reviewed_today == 2
    assert result.retention_reviews == 3 and result.true_retention == pytest.approx(2 / 3)
    assert result.streak_days == 3
    assert result.cards_started == 3 and result.cards_total == len(DECK)
    assert len(forecast) == 14 and forecast[0][0] == now.date()
    assert sum(n for _day, n in forecast) <= 3
    assert result.due_today == forecast[0][1]


def test_streak_counts_until_yesterday_when_today_is_empty() -> None:
    today = T0.date()
    days = {today - timedelta(days=d) for d in (1, 2, 3, 5)}
    assert stats.streak(days, today) == 3
    assert stats.streak(days | {today}, today) == 4
    assert stats.streak({today - timedelta(days=2)}, today) == 0


def test_due_today_and_forecast_buckets(store: Store) -> None:
    ada = learner(store)
    with store.session() as s:
        flashcards.review(s, ada, DECK[0], Rating.Again, T0)  # due in 1 min: today
        flashcards.review(s, ada, DECK[1], Rating.Easy, T0)  # due in several days
        easy_due = flashcards.card_state(s, ada, DECK[1], T0).due
        result = stats.study_stats(s, ada, DECK, T0 + timedelta(hours=1))
        forecast = dict(stats.due_forecast(s, ada, DECK, T0 + timedelta(hours=1)))
    assert result.due_today == 1
    assert forecast[T0.date()] == 1 and forecast[easy_due.date()] == 1


# --- scoring ----------------------------------------------------------------------------------


def first_of(kind: str):
    return next(e.item for e in INDEX.values() if e.item.type == kind)


def test_single_and_fill_score_exact() -> None:
    for kind in ("single", "fill"):
        q = first_of(kind)
        right = next(o.id for o in q.options if o.correct)
        wrong = next(o.id for o in q.options if not o.correct)
        assert scoring.score(q, right).points == 1 and scoring.score(q, right).correct
        assert scoring.score(q, wrong).points == 0
        assert scoring.score(q, None).points == 0


def test_multi_gives_credit_per_correct_pick_minus_wrong_picks() -> None:
    q = next(e.item for e in INDEX.values() if e.item.type == "multi" and e.item.select == 2)
    right = [o.id for o in q.options if o.correct]
    wrong = [o.id for o in q.options if not o.correct]
    assert scoring.score(q, right).points == 1
    assert scoring.score(q, right[:1]).points == 0.5
    assert scoring.score(q, [right[0], wrong[0]]).points == 0
    assert scoring.score(q, wrong[:2]).points == 0  # floor at 0, never negative
    assert scoring.score(q, [*right, wrong[0]]).points == 0.5
    assert scoring.score(q, []).points == 0


def test_yesno_and_match_score_per_part() -> None:
    yn = first_of("yesno")
    answers = {s.id: s.answer for s in yn.statements}
    assert scoring.score(yn, answers).points == 1
    answers[yn.statements[0].id] = not yn.statements[0].answer
    assert scoring.score(yn, answers).points == pytest.approx(2 / 3)
    assert scoring.score(yn, {}).points == 0
    m = first_of("match")
    perfect = {p.id: p.id for p in m.pairs}
    assert scoring.score(m, perfect).points == 1
    swapped = dict(perfect)
    swapped[m.pairs[0].id], swapped[m.pairs[1].id] = m.pairs[1].id, m.pairs[0].id
    assert scoring.score(m, swapped).points == pytest.approx((len(m.pairs) - 2) / len(m.pairs))


def test_order_scores_the_longest_run_in_correct_relative_order() -> None:
    q = first_of("order")
    steps = [s.id for s in q.steps]
    n = len(steps)
    assert scoring.score(q, steps).points == 1
    assert scoring.score(q, list(reversed(steps))).points == 0
    moved = steps[1:] + steps[:1]  # first step moved to the end: n-1 still in order
    assert scoring.score(q, moved).points == pytest.approx((n - 2) / (n - 1))
    assert scoring.score(q, steps[:2]).points == pytest.approx(1 / (n - 1))  # partial list
    assert scoring.longest_in_order([3, 1, 2, 5, 4]) == 3


def test_case_scores_each_sub_item_by_its_own_rule() -> None:
    case = next(q for q in BANK.questions if q.type == "case")
    perfect = {}
    for sub in case.items:
        if sub.type in ("single", "fill"):
            perfect[sub.id] = next(o.id for o in sub.options if o.correct)
        elif sub.type == "multi":
            perfect[sub.id] = [o.id for o in sub.options if o.correct]
        elif sub.type == "yesno":
            perfect[sub.id] = {s.id: s.answer for s in sub.statements}
        elif sub.type == "match":
            perfect[sub.id] = {p.id: p.id for p in sub.pairs}
    assert scoring.score(case, perfect).points == 1
    half = dict(perfect)
    half.pop(case.items[0].id)
    assert scoring.score(case, half).points == pytest.approx((len(case.items) - 1) / len(case.items))
    assert len(scoring.feedback(case, perfect)) >= len(case.items)


def test_feedback_explains_the_chosen_and_the_correct_option() -> None:
    q = first_of("single")
    wrong = next(o for o in q.options if not o.correct)
    right = next(o for o in q.options if o.correct)
    lines = scoring.feedback(q, wrong.id)
    assert [(line.label, line.why) for line in lines] == sorted(
        [(wrong.text, wrong.why), (right.text, right.why)], key=lambda t: [o.text for o in q.options].index(t[0]))
    assert {line.yours for line in lines} == {"Your choice", "Not chosen"}
    assert [line.verdict for line in lines if line.label == wrong.text] == ["Your choice, wrong"]
    assert [line.verdict for line in lines if line.label == right.text] == [
        "The correct answer, which you did not choose"]
    yn = first_of("yesno")
    lines = scoring.feedback(yn, {yn.statements[0].id: yn.statements[0].answer})
    assert [line.ok for line in lines] == [True, False, False]
    assert [line.verdict for line in lines] == ["Right", "Wrong", "Wrong"]
    assert lines[1].yours == "No answer"


# --- selection and shuffles -------------------------------------------------------------------


def test_exam_is_weighted_like_ai901_over_many_seeds() -> None:
    shares = []
    for seed in range(300):
        ids = selection.exam_simulation(BANK, seed)
        assert len(ids) == 20 == len(set(ids))
        objectives = [item(i).objective for i in ids]
        assert set(objectives) <= set(IN_SCOPE_OBJECTIVES)
        share = sum(domain_of(o) == 2 for o in objectives) / len(ids)
        assert 0.55 <= share <= 0.60, (seed, share)
        shares.append(share)
        cases = [INDEX[i].case.id for i in ids if INDEX[i].case]
        if cases:  # one case study, its sub-items together at the end
            assert len(set(cases)) == 1 and all(INDEX[i].case for i in ids[-len(cases):])
    assert set(shares) == {0.55, 0.60}  # both allowed mixes occur
    assert selection.domain_two_counts(20) == [11, 12]
    assert selection.domain_two_counts(13) == [7]  # no whole number fits 55-60%: the nearest to 57.5%


def test_exam_spreads_over_objectives() -> None:
    """Stand-alone items are drawn round-robin over each domain's objectives."""
    for seed in range(50):
        standalone = [i for i in selection.exam_simulation(BANK, seed) if INDEX[i].case is None]
        counts = Counter(item(i).objective for i in standalone)
        domain1 = [counts[o] for o in IN_SCOPE_OBJECTIVES if domain_of(o) == 1]
        domain2 = [counts[o] for o in IN_SCOPE_OBJECTIVES if domain_of(o) == 2]
        assert max(domain1) - min(domain1) <= 1
        assert min(domain2) >= 2 and max(domain2) - min(domain2) <= 1  # a domain-2 case study takes its share


def test_lesson_check_and_objective_practice_stay_in_scope() -> None:
    for lesson in BANK.lessons:
        ids = selection.lesson_check(BANK, lesson.slug, seed=1)
        assert 3 <= len(ids) <= 5 and all(item(i).lesson == lesson.slug for i in ids)
        assert ids == selection.lesson_check(BANK, lesson.slug, seed=1)
    for objective in IN_SCOPE_OBJECTIVES:
        ids = selection.objective_practice(BANK, objective, seed=3)
        assert ids and all(item(i).objective == objective for i in ids)


def test_shuffles_are_stable_per_seed() -> None:
    for entry in INDEX.values():
        q = entry.item
        assert selection.display_order(q, 11) == selection.display_order(q, 11)
        if q.type == "order":
            assert selection.display_order(q, 11) != [s.id for s in q.steps]
    q = first_of("single")
    orders = {tuple(selection.display_order(q, seed)) for seed in range(20)}
    assert len(orders) > 1  # a different attempt gets a different shuffle
    assert selection.exam_simulation(BANK, 5) == selection.exam_simulation(BANK, 5)


# --- attempts: persistence, resume, results, export -------------------------------------------


def _right(q) -> object:
    if q.type in ("single", "fill"):
        return next(o.id for o in q.options if o.correct)
    if q.type == "multi":
        return [o.id for o in q.options if o.correct]
    if q.type == "yesno":
        return {s.id: s.answer for s in q.statements}
    if q.type == "match":
        return {p.id: p.id for p in q.pairs}
    return [s.id for s in q.steps]


def test_attempt_survives_a_restart_and_finishes(store: Store) -> None:
    ada = learner(store)
    seed = 1234
    ids = selection.exam_simulation(BANK, seed)
    with store.session() as s:
        started = attempts.start(s, ada, "exam", ids, seed, T0, time_limit_s=1800)
        attempts.answer(s, started.id, item(ids[0]), _right(item(ids[0])), T0 + timedelta(minutes=1))
        attempts.answer(s, started.id, item(ids[1]), None, T0 + timedelta(minutes=2))
        attempts.set_marked(s, started.id, ids[1], True)
        attempts.move_to(s, started.id, 2)
    again = restart(store)
    with again.session() as s:
        resumed = attempts.open_attempt(s, ada)
        assert resumed is not None and resumed.id == started.id
        assert resumed.item_ids == ids and resumed.seed == seed and resumed.position == 2
        assert resumed.marked == [ids[1]] and set(resumed.answers) == {ids[0], ids[1]}
        assert resumed.seconds_left(T0 + timedelta(minutes=10)) == 20 * 60
        assert resumed.expired(T0 + timedelta(minutes=31))
        # The shuffle is rebuilt from the stored seed: the same order as before the restart.
        assert [selection.display_order(item(i), resumed.seed) for i in ids] == \
               [selection.display_order(item(i), seed) for i in ids]
        for i in ids[2:]:
            attempts.answer(s, started.id, item(i), _right(item(i)), T0 + timedelta(minutes=5))
        done = attempts.finish(s, started.id, T0 + timedelta(minutes=20))
        assert attempts.open_attempt(s, ada) is None
        with pytest.raises(attempts.AttemptError, match="already finished"):
            attempts.answer(s, started.id, item(ids[0]), None, T0 + timedelta(minutes=21))
        assert attempts.missed_items(s, ada) == [ids[1]]
    result = results.attempt_result(done, INDEX)
    assert done.status == "finished" and done.score == pytest.approx(19 / 20)
    assert result.scaled == 950 and result.passed and result.mistakes == [ids[1]]
    assert sum(o.items for o in result.objectives) == 20


def test_new_attempt_abandons_the_open_one_and_drill_uses_only_misses(store: Store) -> None:
    ada = learner(store)
    ids = selection.lesson_check(BANK, "diffusion", seed=9)
    with store.session() as s:
        first = attempts.start(s, ada, "lesson", ids, 9, T0, scope="diffusion")
        attempts.answer(s, first.id, item(ids[0]), None, T0)  # missed
        attempts.answer(s, first.id, item(ids[1]), _right(item(ids[1])), T0)
        missed = attempts.missed_items(s, ada)
        drill_ids = selection.mistakes_drill(BANK, missed, seed=2)
        drill = attempts.start(s, ada, "mistakes", drill_ids, 2, T0 + timedelta(minutes=5))
        history = attempts.history(s, ada)
    assert drill_ids == [ids[0]]
    assert [a.status for a in history] == ["abandoned", "open"] and history[1].id == drill.id


def test_readiness_and_csv_export(store: Store) -> None:
    ada = learner(store)
    d1 = next(i for i, e in INDEX.items() if domain_of(e.item.objective) == 1)
    d2 = next(i for i, e in INDEX.items() if domain_of(e.item.objective) == 2)
    with store.session() as s:
        a = attempts.start(s, ada, "objective", [d1, d2], 1, T0, scope=item(d1).objective)
        attempts.answer(s, a.id, item(d1), _right(item(d1)), T0)
        attempts.answer(s, a.id, item(d2), None, T0)
        attempts.finish(s, a.id, T0)
        history = attempts.history(s, ada)
    ready = results.learner_readiness(history, len(INDEX))
    assert ready.domains == {1: 1.0, 2: 0.0}
    assert ready.estimate == 425 and not ready.on_track  # 42.5% weight on a perfect domain 1
    assert [o.objective for o in ready.weak] == [item(d2).objective]
    summary = results.attempts_frame(history)
    detail = results.answers_frame(history)
    assert list(summary.columns) == results.ATTEMPT_COLUMNS
    assert list(detail.columns) == results.ANSWER_COLUMNS
    assert summary.iloc[0]["scaled_score"] == 500 and not summary.iloc[0]["passed"]
    csv = results.to_csv(detail).decode()
    assert csv.splitlines()[0] == ",".join(results.ANSWER_COLUMNS) and len(csv.splitlines()) == 3


def test_exam_sections_keep_the_case_study_last_and_defaults_state_their_source() -> None:
    from genlab.content import load_bank
    from genlab.study import selection

    bank = load_bank()
    index = selection.item_index(bank)
    ids = selection.exam_simulation(bank, seed=7, n=20)
    sections = selection.exam_sections(ids, index)
    assert [i for _, part in sections for i in part] == ids
    assert sections[0][0] == "Questions"
    if len(sections) > 1:
        assert sections[1][0].startswith("Case study: ")
        assert all(index[i].case is not None for i in sections[1][1])
    source = selection.EXAM_DEFAULT_SOURCE
    assert "study guide" in source and "20 questions in 30 minutes" in source
    assert selection.EXAM_ITEMS * selection.EXAM_SECONDS_PER_ITEM == 30 * 60


def test_exam_length_and_time_are_the_learners_choice_within_bounds(store: Store) -> None:
    ada = learner(store)
    with store.session() as s:
        default = attempts.begin(s, ada, BANK, "exam", T0, seed=3)
        assert len(default.item_ids) == selection.EXAM_ITEMS
        assert default.time_limit_s == selection.exam_minutes(selection.EXAM_ITEMS) * 60 == 30 * 60
        longer = attempts.begin(s, ada, BANK, "exam", T0, seed=3, exam_items=40, exam_minutes=45)
        assert len(longer.item_ids) == 40 and longer.time_limit_s == 45 * 60
        paced = attempts.begin(s, ada, BANK, "exam", T0, seed=3, exam_items=11)
        assert paced.time_limit_s == 17 * 60  # 11 x 90 s = 16.5 min, rounded up to whole minutes
        low, high = selection.EXAM_ITEM_RANGE
        with pytest.raises(attempts.AttemptError, match=f"between {low} and {high} questions"):
            attempts.begin(s, ada, BANK, "exam", T0, exam_items=high + 1)
        low, high = selection.EXAM_MINUTE_RANGE
        with pytest.raises(attempts.AttemptError, match=f"between {low} and {high} minutes"):
            attempts.begin(s, ada, BANK, "exam", T0, exam_items=20, exam_minutes=low - 1)
        assert [a.status for a in attempts.history(s, ada)] == ["abandoned", "abandoned", "open"]


def test_the_longest_exam_has_its_full_length_and_domain_weights() -> None:
    n = selection.EXAM_ITEM_RANGE[1]
    ids = selection.exam_simulation(BANK, seed=11, n=n)
    assert len(ids) == len(set(ids)) == n
    assert sum(domain_of(INDEX[i].item.objective) == 2 for i in ids) in selection.domain_two_counts(n)
