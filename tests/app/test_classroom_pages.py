"""The live quiz's two screens through AppTest, against the same store a real class would use."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
import streamlit as st
from sqlalchemy import update
from streamlit.testing.v1 import AppTest

from genlab import classroom
from genlab.classroom import questions as classroom_questions
from genlab.classroom.tables import Room
from genlab.content import load_bank
from genlab.settings import get_settings
from genlab.store import Store
from genlab.store.models import utcnow
from tests.support.apptest import APP

PASSCODE = "class-passcode"
HOST, JOIN = "app_pages/classroom_host.py", "app_pages/classroom_join.py"


@pytest.fixture(autouse=True)
def passcode(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("GENLAB_INSTRUCTOR_PASSCODE", PASSCODE)
    get_settings.cache_clear()
    st.cache_resource.clear()
    yield


def store() -> Store:
    return Store.open(get_settings().sqlalchemy_url)


def make_room(*ids: str, limit: int = 20) -> str:
    s = store()
    with s.session() as session:
        return classroom.create_room(session, classroom.by_ids(load_bank(), ", ".join(ids)), "Test quiz", limit)


def act(code: str, action, *args) -> None:
    with store().session() as session:
        action(session, code, *args)


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in (*at.success, *at.error, *at.warning, *at.info)]
    parts += [f"{m.label}: {m.value}" for m in at.metric]
    return "\n".join(parts)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def click(at: AppTest, label: str) -> AppTest:
    button(at, label).click().run()
    assert not at.exception, at.exception
    return at


def learner(code: str, nickname: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(JOIN).run()
    next(t for t in at.text_input if t.label == "Join code").set_value(code)
    next(t for t in at.text_input if t.label == "Nickname").set_value(nickname)
    click(at, "Join")
    assert f"You're in, {nickname}!" in texts(at)
    return at


def host(code: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(HOST).run()
    next(t for t in at.text_input if t.label == "Instructor passcode").set_value(PASSCODE)
    click(at, "Sign in to host")
    if code:
        at.query_params["room"] = code
        at.run()
    return at


def test_select_two_can_be_sent_again_after_a_wrong_count() -> None:
    code = make_room("aoai-07")
    player = learner(code, "Ada")
    act(code, classroom.start)
    player.run()
    boxes = {c.label[0]: c for c in player.main.checkbox}
    boxes["B"].check().run()
    click(player, "Send answer")
    assert "Pick TWO answers, then send." in texts(player)
    assert len(player.main.checkbox) == 5 and any(b.label == "Send answer" for b in player.button)  # still there
    next(c for c in player.main.checkbox if c.label.startswith("C")).check().run()
    click(player, "Send answer")
    assert "Answer B, C received" in texts(player)


def test_join_link_says_when_phones_cannot_reach_it(monkeypatch: pytest.MonkeyPatch) -> None:
    code = make_room("diff-01")
    at = host(code)
    assert "only this computer can open" in at.warning[0].value and "GENLAB_PUBLIC_URL" in at.warning[0].value
    monkeypatch.setenv("GENLAB_PUBLIC_URL", "https://lab.example.edu/ai901")
    get_settings.cache_clear()
    st.cache_resource.clear()
    at = host(code)
    assert not at.warning
    assert f"https://lab.example.edu/ai901/classroom?room={code}" in texts(at)


def test_ending_early_asks_first_and_reveals_before_the_podium() -> None:
    code = make_room("diff-01", "aoai-01", "aoai-02")
    learner(code, "Ada")
    at = host(code)
    click(at, "Start the quiz")
    click(at, "End the quiz now")
    assert "End the quiz now?" in texts(at) and "2 questions will not be asked" in texts(at)
    click(at, "Keep playing")
    assert "End the quiz now?" not in texts(at) and any(b.label == "Reveal answer" for b in at.button)
    click(at, "End the quiz now")
    click(at, "Yes, end the quiz")
    assert "correct answer" in texts(at)  # the answer is on screen...
    assert not any(s.value == "Podium" for s in at.subheader)  # ...and no podium yet
    click(at, "Show the podium")
    assert any(s.value == "Podium" for s in at.subheader)


def test_honest_counts_and_no_trophy_for_zero_points() -> None:
    code = make_room("diff-01")  # single choice, D correct
    players = {name: learner(code, name) for name in ("Ada", "Bob", "Cy")}
    act(code, classroom.start)
    for name, letter in (("Ada", "D"), ("Bob", "A")):
        players[name].run()
        click(players[name], next(b.label for b in players[name].button if b.label.startswith(f"{letter} · ")))
    at = host(code)
    click(at, "Reveal answer")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Answered"] == "2 of 3" and metrics["Correct"] == "1 of 3"
    bars = "\n".join(p.proto.text for p in at.get("progress"))
    assert "**D** · chosen in 1 of 2 answers (50%)" in bars and "**A** · chosen in 1 of 2 answers" in bars
    click(at, "Show the podium")
    podium = "\n".join(m.value for m in at.markdown if "place" in m.value)
    assert "Ada" in podium and "Bob" not in podium and "Cy" not in podium


def test_pause_extend_and_ask_again_from_the_host_screen() -> None:
    code = make_room("diff-01", "aoai-01")
    player = learner(code, "Ada")
    at = host(code)
    click(at, "Start the quiz")
    click(at, "Pause")
    assert "Paused" in texts(at) and any(b.label == "Resume" for b in at.button)
    player.run()
    assert "The clock is paused: the host stopped it." in texts(player)
    click(at, "Resume")
    click(at, f"+{classroom.EXTEND_S} s")
    with store().session() as session:
        assert classroom.host_view(session, code).remaining_s > 20
    click(player, next(b.label for b in player.button if b.label.startswith("A · ")))
    at.run()
    assert "1 of 1" in texts(at)
    click(at, "Ask again")
    assert "0 of 1" in texts(at)
    player.run()
    assert any(b.label.startswith("D · ") for b in player.button)  # Ada can answer the question again


def test_host_reload_keeps_the_clock_stopped_while_away() -> None:
    code = make_room("diff-01", limit=10)
    player = learner(code, "Ada")
    at = host(code)
    click(at, "Start the quiz")  # the host screen has sent its sign of life
    # 2 s into a 10 s question the host reloads and is gone for a minute; 5 s later the clock stops.
    with store().session() as session:
        session.execute(update(Room).values(host_seen_at=utcnow() - timedelta(seconds=60),
                                            opened_at=utcnow() - timedelta(seconds=62),
                                            deadline=utcnow() - timedelta(seconds=52)))
        session.commit()
    player.run()
    assert "waiting for the host's screen to come back" in texts(player)
    click(player, next(b.label for b in player.button if b.label.startswith("D · ")))
    assert "Answer D received" in texts(player)
    back = host(code)  # a reload: a new session on the same room, the passcode typed again in AppTest
    with store().session() as session:
        view = classroom.host_view(session, code)
    assert view.phase == "question" and view.paused is None and 2 < view.remaining_s <= 3  # stopped 3 s before the end
    assert "1 of 1" in texts(back)


def test_the_builder_filters_by_lesson_objective_and_type_with_a_preview_and_a_count() -> None:
    at = host()
    label = next(b for b in at.button if b.key == "classroom_create").label
    assert label == "Create room with 10 questions" and "The first 10 are ticked." in texts(at)
    at.multiselect(key="classroom_types").set_value(["multi"]).run()
    assert not at.exception, at.exception
    bank_multi = [c for c in classroom_questions.candidates(load_bank()) if c.type == "multi"]
    assert f"**{len(bank_multi)} questions match.**" in texts(at)
    create = next(b for b in at.button if b.key == "classroom_create")
    ticked = min(len(bank_multi), 10)
    assert create.label == f"Create room with {ticked} questions"
    assert at.expander[0].label.startswith(f"Preview: {ticked} questions")
    at.multiselect(key="classroom_lessons").set_value(["diffusion"]).run()
    narrowed = [c for c in bank_multi if c.lesson == "diffusion"]
    label = next(b for b in at.button if b.key == "classroom_create").label
    assert label == f"Create room with {len(narrowed)} question{'s' if len(narrowed) != 1 else ''}"
    click(at, label)
    code = at.query_params["room"]
    with store().session() as session:
        assert classroom.host_view(session, code).total == len(narrowed)


def test_the_builder_says_when_nothing_matches() -> None:
    at = host()
    at.multiselect(key="classroom_types").set_value(["fill"]).run()
    at.multiselect(key="classroom_objectives").set_value(["1.3.4"]).run()  # no fill-in item on 1.3.4
    assert "No question in the bank matches all of these filters" in at.warning[0].value
    assert next(b for b in at.button if b.key == "classroom_create").disabled
