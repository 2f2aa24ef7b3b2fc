"""The Practice pages driven through AppTest: flashcard reviews, a lesson check, an exam simulation,
and progress that survives a restart (a fresh AppTest on the same data directory)."""

import re
from datetime import timedelta

import streamlit as st
from streamlit.testing.v1 import AppTest

from genlab.content import load_bank
from genlab.settings import get_settings
from genlab.store import Store
from genlab.store import learners as profiles
from genlab.study import attempts, results, selection
from genlab.study.attempts import Attempt
from genlab.study.tables import QuizAttempt
from tests.support.apptest import APP, click
from ui import keys

INDEX = selection.item_index(load_bank())
FLASHCARDS = "app_pages/flashcards.py"
QUIZ = "app_pages/quiz.py"


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in (*at.success, *at.error, *at.warning, *at.info)]
    return "\n".join(parts)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def open_app(name: str = "Ada", page: str | None = None, pin: str = "2468") -> AppTest:
    """A fresh app session (what a reload or a restart gives), with the profile opened in the sidebar."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    next(t for t in at.text_input if t.label == "Profile name").set_value(name)
    next(t for t in at.text_input if t.label == "PIN or passphrase").set_value(pin)
    click(at, "Start learning")
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def current_attempt(name: str = "Ada") -> Attempt:
    store = Store.open(get_settings().sqlalchemy_url)
    with store.session() as session:
        learner = profiles.get_or_create(session, name)
        attempt = attempts.open_attempt(session, learner.id)
    store.engine.dispose()
    assert attempt is not None
    return attempt


def answer(at: AppTest, attempt: Attempt, item_id: str, right: bool = True) -> None:
    """Set the item's widgets to a fully right (or a fully wrong) answer; the form is submitted after."""
    item = INDEX[item_id].item
    key = f"q-{attempt.id}-{item_id}"
    if item.type in ("single", "fill"):
        at.radio(key=key).set_value(next(o.id for o in item.options if o.correct == right))
    elif item.type == "multi":
        for o in item.options:
            at.checkbox(key=f"{key}-{o.id}").set_value(o.correct == right)
    elif item.type == "yesno":
        for s in item.statements:
            at.radio(key=f"{key}-{s.id}").set_value("Yes" if s.answer == right else "No")
    elif item.type == "match":
        ids = [p.id for p in item.pairs]
        chosen = ids if right else ids[1:] + ids[:1]
        for pair_id, pick in zip(ids, chosen, strict=True):
            at.selectbox(key=f"{key}-{pair_id}").set_value(pick)
    else:
        steps = [s.id for s in item.steps]
        at.multiselect(key=key).set_value(steps if right else steps[::-1])


# --- flashcards -------------------------------------------------------------------------------


def test_pages_ask_for_a_profile_first() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    for page, heading in ((FLASHCARDS, "Flashcards"), (QUIZ, "Knowledge check")):
        at.switch_page(page).run()
        assert [t.value for t in at.title] == [heading]
        assert "Your profile" in at.info[0].value and "sidebar" in at.info[0].value


def test_review_cards_with_interval_labels() -> None:
    at = open_app(page=FLASHCARDS)
    assert [t.value for t in at.title] == ["Flashcards"]
    assert metric(at, "Reviewed today") == "0" and metric(at, "New cards left today") == "20"
    click(at, "Show answer")
    assert "**Answer:**" in texts(at)
    labels = [b.label for b in at.button if b.key and b.key.startswith("fc_rate_")]
    assert [label.split(" · ")[0] for label in labels] == ["Again", "Hard", "Good", "Easy"]
    assert all(re.search(r" · \d+(\.\d)? (min|h|d|mo|y)$", label) for label in labels), labels
    good = next(label for label in labels if label.startswith("Good"))
    click(at, good)
    assert f"you will see this card again in {good.split(' · ')[1]}" in texts(at)
    assert metric(at, "Reviewed today") == "1"
    click(at, "Show answer")
    click(at, next(b.label for b in at.button if b.label.startswith("Again")))
    assert metric(at, "Reviewed today") == "2" and metric(at, "New cards left today") == "18"
    assert "Due in the next 14 days" in [s.value for s in at.subheader]
    assert "Due forecast as text" in texts(at)


def test_cram_mode_does_not_touch_the_schedule() -> None:
    at = open_app(page=FLASHCARDS)
    at.toggle(key="fc_cram").set_value(True).run()
    click(at, "Show answer")
    assert [b.label for b in at.button if b.label.startswith("Again")] == ["Again · repeat soon"]
    click(at, "Good · done")
    assert "Your schedule is unchanged" in texts(at)
    assert metric(at, "Reviewed today") == "0"


def test_a_lesson_link_shows_only_that_lessons_cards() -> None:
    lesson_cards = {c.id: c.front for c in load_bank().flashcards if c.lesson == "responsible-ai"}
    at = open_app(page=FLASHCARDS)
    at.query_params["lesson"] = "responsible-ai"
    at.run()
    assert at.selectbox(key="fc_lesson").value == "responsible-ai"
    assert metric(at, "New cards left today") == str(min(20, len(lesson_cards)))
    assert any(f"**Question:** {front}" in texts(at) for front in lesson_cards.values())
    at.selectbox(key="fc_lesson").set_value("all").run()
    assert "lesson" not in at.query_params and metric(at, "New cards left today") == "20"


def set_new_per_day(at: AppTest, n: int) -> None:
    at.number_input[0].set_value(n)
    click(at, "Save settings")


def test_a_lesson_deck_is_not_used_up_by_another_decks_cards() -> None:
    lesson_cards = [c.id for c in load_bank().flashcards if c.lesson == "responsible-ai"]
    at = open_app(page=FLASHCARDS)
    set_new_per_day(at, 2)
    for _ in range(2):  # two new cards from "All lessons" (the first cards are not responsible-ai's)
        click(at, "Show answer")
        click(at, next(b.label for b in at.button if b.label.startswith("Easy")))
    assert metric(at, "New cards left today") == "0" and metric(at, "Reviewed today") == "2"
    at.selectbox(key="fc_lesson").set_value("responsible-ai").run()
    assert metric(at, "New cards left today") == str(min(2, len(lesson_cards)))
    assert metric(at, "Reviewed today") == "0"
    assert any(b.label == "Show answer" for b in at.button)


def test_again_waits_for_its_due_time_and_says_when() -> None:
    at = open_app(page=FLASHCARDS)
    set_new_per_day(at, 1)
    click(at, "Show answer")
    click(at, next(b.label for b in at.button if b.label.startswith("Again")))
    assert not any(b.label == "Show answer" for b in at.button)  # not back within seconds
    assert re.search(r"The next one is due at \d\d:\d\d UTC, in \d+ min", at.info[0].value)
    assert "All done for today" not in texts(at)


def test_undo_takes_back_the_last_rating() -> None:
    at = open_app(page=FLASHCARDS)
    click(at, "Show answer")
    first = next(m.value for m in at.markdown if m.value.startswith("**Question:**"))
    click(at, next(b.label for b in at.button if b.label.startswith("Good")))
    assert metric(at, "Reviewed today") == "1" and metric(at, "New cards left today") == "19"
    click(at, "Undo this rating")
    assert "Took back **Good**" in texts(at)
    assert metric(at, "Reviewed today") == "0" and metric(at, "New cards left today") == "20"
    assert next(m.value for m in at.markdown if m.value.startswith("**Question:**")) == first
    assert not any(b.label == "Undo this rating" for b in at.button)


def test_desired_retention_setting_is_saved() -> None:
    at = open_app(page=FLASHCARDS)
    at.slider[0].set_value(85)
    click(at, "Save settings")
    assert "desired retention is 85%" in texts(at)


# --- quiz -------------------------------------------------------------------------------------


def test_lesson_check_from_a_link_gives_feedback_and_results() -> None:
    at = open_app(page=QUIZ)
    at.query_params["lesson"] = "diffusion"
    at.run()
    assert [h.value for h in at.header] == ["Lesson knowledge check: How AI creates images from noise"]
    attempt = current_attempt()
    assert 3 <= len(attempt.item_ids) <= 5
    for n, item_id in enumerate(attempt.item_ids):
        assert f"Question {n + 1} of {len(attempt.item_ids)}" in texts(at)
        answer(at, attempt, item_id, right=n > 0)
        click(at, "Check answer")
        if n == 0:
            assert at.error and at.error[0].value.startswith("**Not quite:**")
            # each part explained: the learner's wrong pick (or wrong statement, pair, step) and why
            assert re.search(r"\*\*(Your choice, wrong|Wrong):\*\*", texts(at))
        else:
            assert at.success and at.success[0].value.startswith("**Correct:**")
        click(at, "See results" if n == len(attempt.item_ids) - 1 else "Next question")
    assert "Your results" in [h.value for h in at.header]
    assert "**Lesson knowledge check: How AI creates images from noise**, finished" in texts(at)
    assert "| Objective | Score | Questions |" in texts(at)
    assert "Review your mistakes" in [s.value for s in at.subheader]
    assert len(at.expander) == 1
    click(at, "Back to the quiz menu")
    assert "Estimate from this module only" in texts(at)
    assert {b.label for b in at.get("download_button")} == {"Download my attempts (CSV)",
                                                            "Download my answers (CSV)"}


def test_an_empty_answer_is_not_checked() -> None:
    at = open_app(page=QUIZ)
    at.query_params["objective"] = "2.3.2"
    at.run()
    click(at, "Check answer")
    assert "Choose an answer first" in at.warning[0].value
    assert current_attempt().answers == {}


def test_exam_start_mark_review_submit() -> None:
    at = open_app(page=QUIZ)
    at.radio(key="quiz_mode").set_value("exam").run()
    click(at, "Start")
    assert any("Time left: 30:00" in m.value or "Time left: 29:5" in m.value for m in at.markdown)
    attempt = current_attempt()
    assert len(attempt.item_ids) == 20 and attempt.time_limit_s == 1800
    answer(at, attempt, attempt.item_ids[0])
    next(c for c in at.checkbox if c.label == "Mark this question for review").check()
    click(at, "Save and next")
    assert "Question 2 of 20" in texts(at)
    answer(at, attempt, attempt.item_ids[1], right=False)
    click(at, "Review screen")
    assert [h.value for h in at.header][-1] == "Review your answers"
    goto = {b.key: b.label for b in at.button if b.key and b.key.startswith("quiz_goto_")}
    assert [goto[f"quiz_goto_{n}"] for n in range(3)] == [
        "Question 1: answered, marked", "Question 2: answered", "Question 3: not answered"]
    click(at, "Question 1: answered, marked")
    assert next(c for c in at.checkbox if c.label == "Mark this question for review").value
    click(at, "Review screen")
    click(at, "Submit exam (18 not answered)")
    assert "Your results" in [h.value for h in at.header] and "**Exam simulation**, finished" in texts(at)
    assert "pass mark is 700" in texts(at) and "50 / 1000" in texts(at)  # 1 of 20 points
    assert f"{results.ESTIMATE_LABEL}: about **50 / 1000**" in at.error[0].value and results.CAVEAT in texts(at)
    assert not [t for t in at.toggle if t.key == "quiz_hide_timer"]  # the timer went with the exam


def test_the_exam_is_submitted_when_time_is_up() -> None:
    at = open_app(page=QUIZ)
    at.radio(key="quiz_mode").set_value("exam").run()
    click(at, "Start")
    attempt = current_attempt()
    answer(at, attempt, attempt.item_ids[0])
    click(at, "Save and next")
    store = Store.open(get_settings().sqlalchemy_url)
    with store.session() as session:  # the clock runs on: pretend the exam began 31 minutes ago
        row = session.get(QuizAttempt, attempt.id)
        row.started_at = row.started_at - timedelta(minutes=31)
        session.commit()
    store.engine.dispose()
    at.run()
    assert "Time is up" in at.info[0].value
    assert "Your results" in [h.value for h in at.header]
    assert "1 of 20 points" in texts(at)


def test_progress_survives_a_restart() -> None:
    at = open_app(page=FLASHCARDS)
    click(at, "Show answer")
    click(at, next(b.label for b in at.button if b.label.startswith("Good")))
    at.switch_page(QUIZ).run()
    at.radio(key="quiz_mode").set_value("exam").run()
    click(at, "Start")
    attempt = current_attempt()
    for item_id in attempt.item_ids[:2]:
        answer(at, attempt, item_id)
        click(at, "Save and next")

    st.cache_resource.clear()  # a restart: no process-wide object survives, only the data directory
    again = open_app(page=QUIZ)
    assert "Welcome back" in again.info[0].value
    assert "Question 3 of 20" in texts(again) and "2 answered" in texts(again)
    assert current_attempt().item_ids == attempt.item_ids
    again.switch_page(FLASHCARDS).run()
    assert metric(again, "Reviewed today") == "1"


def test_review_my_mistakes_needs_mistakes_first() -> None:
    at = open_app(page=QUIZ)
    at.radio(key="quiz_mode").set_value("mistakes").run()
    click(at, "Start")
    assert "no missed questions" in at.error[0].value
    assert next(h.value for h in at.header) == "Start a quiz"  # the menu stays, with the sentence above it


def test_fill_in_items_keep_their_code_after_checking_and_in_the_mistakes() -> None:
    at = open_app(page=QUIZ)
    at.query_params["objective"] = "2.3.2"  # three fill-in-the-blank items
    at.run()
    attempt = current_attempt()
    fills = [i for i in attempt.item_ids if INDEX[i].item.type == "fill"]
    assert fills, "objective practice on 2.3.2 draws its fill-in items"
    for n, item_id in enumerate(attempt.item_ids):
        answer(at, attempt, item_id, right=False)
        click(at, "Check answer")
        if item_id in fills:
            assert INDEX[item_id].item.code in [c.value for c in at.code], item_id
        click(at, "See results" if n == len(attempt.item_ids) - 1 else "Next question")
    codes = [c.value for c in at.code]  # every mistake's expander, drawn on the page
    assert all(INDEX[i].item.code in codes for i in fills)


def progress_texts(at: AppTest) -> list[str]:
    return [p.proto.text for p in at.get("progress")]


def test_exam_length_and_time_are_set_on_screen_with_their_defaults_source() -> None:
    at = open_app(page=QUIZ)
    at.radio(key=keys.QUIZ_MODE).set_value("exam").run()
    assert at.number_input(key=keys.QUIZ_EXAM_ITEMS).value == selection.EXAM_ITEMS
    assert at.number_input(key=keys.QUIZ_EXAM_MINUTES).value == selection.exam_minutes(selection.EXAM_ITEMS)
    assert selection.EXAM_DEFAULT_SOURCE in [c.value for c in at.caption]
    assert "Default: 20 questions in 30 minutes" in selection.EXAM_DEFAULT_SOURCE
    at.number_input(key=keys.QUIZ_EXAM_ITEMS).set_value(10).run()
    assert at.number_input(key=keys.QUIZ_EXAM_MINUTES).value == 15  # the time follows the length at 90 s each
    at.number_input(key=keys.QUIZ_EXAM_MINUTES).set_value(12).run()
    click(at, "Start")
    attempt = current_attempt()
    assert len(attempt.item_ids) == 10 and attempt.time_limit_s == 12 * 60
    assert any(re.search(r"Time left: (12:00|11:5\d)", m.value) for m in at.markdown)
    assert "Question 1 of 10" in texts(at)


def test_exam_sections_come_from_the_engine_with_progress_and_review() -> None:
    at = open_app(page=QUIZ)
    at.radio(key=keys.QUIZ_MODE).set_value("exam").run()
    click(at, "Start")
    attempt = current_attempt()
    sections = selection.exam_sections(attempt.item_ids, INDEX)
    assert len(sections) == 2 and sections[1][0].startswith("Case study: ")  # 20 items include a case study
    (first, standalone), (case_title, case_ids) = sections
    assert [s.value for s in at.main.subheader] == [f"Section 1 of 2: {first}"]
    assert progress_texts(at) == [f"0 of {len(standalone)} answered in this section"]
    answer(at, attempt, attempt.item_ids[0])
    click(at, "Save and next")
    assert progress_texts(at) == [f"1 of {len(standalone)} answered in this section"]
    click(at, "Review screen")
    assert [s.value for s in at.main.subheader] == [f"Section 1: {first}", f"Section 2: {case_title}"]
    case_position = attempt.item_ids.index(case_ids[0])
    click(at, f"Question {case_position + 1}: not answered")
    assert [s.value for s in at.main.subheader] == [f"Section 2 of 2: {case_title}"]
    assert progress_texts(at) == [f"0 of {len(case_ids)} answered in this section"]
    assert any(m.value.startswith("**Case study.**") for m in at.markdown)


def test_an_attempt_submitted_in_another_tab_is_said_once() -> None:
    at = open_app(page=QUIZ)
    at.radio(key=keys.QUIZ_MODE).set_value("exam").run()
    click(at, "Start")
    attempt = current_attempt()
    other_tab = open_app(page=QUIZ)  # the same profile in a second tab submits the exam
    click(other_tab, "Review screen")
    click(other_tab, "Submit exam (20 not answered)")
    answer(at, attempt, attempt.item_ids[0])
    click(at, "Save and next")
    assert at.info[0].value == ("Your exam simulation was submitted in another tab or window, so nothing more was "
                                "saved here; its score is under Your progress.")
    assert next(h.value for h in at.header) == "Start a quiz"  # the finished attempt is no longer on screen
    at.run()
    assert not at.info  # said once
    click(at, "Start")
    click(at, "Leave this attempt")  # leaving in this tab is not news
    assert not at.info and next(h.value for h in at.header) == "Start a quiz"
