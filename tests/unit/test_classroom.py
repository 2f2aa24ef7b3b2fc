"""Live class quiz on the real store (SQLite and PostgreSQL): codes, lifecycle, answers, scoring, export."""

import dataclasses
import hmac
import io
import threading
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from pydantic import SecretStr
from sqlalchemy import func, select

from genlab import classroom as live
from genlab.classroom import codes, scoring
from genlab.classroom.export import COLUMNS, export_csv, results_frame
from genlab.classroom.qr import qr_png
from genlab.classroom.questions import LiveChoice, LiveQuestion, live_questions
from genlab.classroom.tables import Answer
from genlab.content import load_bank
from genlab.settings import Settings
from genlab.store import Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def q(qid: str, correct: str = "b", select: int = 1, options: str = "abcd") -> LiveQuestion:
    """A small question whose correct choice ids are the letters in ``correct``."""
    return LiveQuestion(qid, "1.2.1", f"Stem of {qid}?", None, None, select,
                        tuple(LiveChoice(o, f"Option {o}", o in correct, f"Why {o}.") for o in options))


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


@pytest.fixture
def room(store: Store) -> str:
    with store.session() as s:
        return live.create_room(s, [q("q1", "b"), q("q2", "c"), q("q3", "ad", select=2)], "Test quiz", 20, now=T0)


def join(store: Store, code: str, *names: str) -> dict[str, live.Joined]:
    with store.session() as s:
        return {name: live.join(s, code, name, now=T0) for name in names}


def submit(store: Store, code: str, player: live.Joined, choices: list[str], seconds: float) -> live.Submitted:
    with store.session() as s:
        return live.submit(s, code, player.token, choices, now=at(seconds))


# --- codes and nicknames ----------------------------------------------------------------------


def test_join_codes_use_an_unambiguous_alphabet() -> None:
    drawn = {codes.new_code() for _ in range(500)}
    assert len(drawn) == 500
    assert all(len(c) == 6 and set(c) <= set(codes.CODE_ALPHABET) for c in drawn)
    assert not set(codes.CODE_ALPHABET) & set("0O1IL5S2Z8BUVQ")


def test_typed_codes_are_normalised_or_refused_with_a_sentence() -> None:
    assert codes.clean_code(" k7m-w3x ") == "K7MW3X"
    for bad in ["", "K7MW3", "K7MW3XX", "K0MW3X"]:
        with pytest.raises(live.JoinError, match=r"\.$"):
            codes.clean_code(bad)


@pytest.mark.parametrize("bad", ["", "   ", "x" * 21, "<script>", "=cmd|x", "_x", "-1"])
def test_bad_nicknames_get_a_sentence(bad: str) -> None:
    with pytest.raises(live.JoinError, match=r"\.$"):
        codes.clean_nickname(bad)


def test_nicknames_are_trimmed_and_compared_without_case() -> None:
    assert codes.clean_nickname("  Ana   María ") == "Ana María"
    assert codes.nickname_key("ANA  maría") == codes.nickname_key("ana maría")


def test_join_link_follows_the_host_page_address() -> None:
    assert codes.join_url("https://lab.school.example/genlab/classroom-host?room=X&present=1", "K7MW3X") == \
        "https://lab.school.example/genlab/classroom?room=K7MW3X"


def test_qr_code_is_a_png() -> None:
    assert qr_png("http://127.0.0.1:8600/classroom?room=K7MW3X").startswith(b"\x89PNG")


# --- questions from the bank ------------------------------------------------------------------


def test_bank_questions_become_choice_questions() -> None:
    bank = load_bank()
    askable = live_questions(bank)
    assert askable and all(q.choices and 1 <= q.select <= 3 for q in askable.values())
    assert all(len(q.correct_ids) == q.select for q in askable.values())
    lesson = live.for_lesson(bank, "diffusion")
    assert lesson and {q.id for q in lesson} <= set(askable)
    assert all(q.objective == "1.2.1" for q in live.for_objective(bank, "1.2.1"))
    public = askable[lesson[0].id].public()
    assert not any(hasattr(c, "correct") or hasattr(c, "why") for c in public.choices)


def test_hand_picked_ids_keep_their_order_and_explain_problems() -> None:
    bank = load_bank()
    assert [q.id for q in live.by_ids(bank, "aoai-01, diff-01")] == ["aoai-01", "diff-01"]
    with pytest.raises(live.QuestionError, match="not in the question bank: nope-99"):
        live.by_ids(bank, "diff-01, nope-99")
    with pytest.raises(live.QuestionError, match=r"diff-02 \(order\)"):
        live.by_ids(bank, "diff-02")
    with pytest.raises(live.QuestionError, match="Type one or more"):
        live.by_ids(bank, " , ")


def test_multi_select_is_all_or_nothing() -> None:
    question = q("m", "ad", select=2)
    assert question.is_correct({"a", "d"})
    assert not question.is_correct({"a"}) and not question.is_correct({"a", "b", "d"})


# --- scoring ----------------------------------------------------------------------------------


def test_points_follow_the_documented_formula() -> None:
    assert scoring.speed_points(0, 20) == scoring.speed_points(2, 20) == 1000  # the 2 s screen delay is free
    assert scoring.speed_points(11, 20) == 750
    assert scoring.speed_points(20, 20) == 500
    assert scoring.speed_points(99, 20) == 500 and scoring.speed_points(-1, 20) == 1000
    assert scoring.speed_points(10, 20, screen_delay_s=0) == 750  # Kahoot's formula as published
    assert [scoring.streak_bonus(n) for n in range(1, 9)] == [0, 100, 200, 300, 400, 500, 500, 500]
    assert scoring.score(False, 1, 20, previous_streak=4) == scoring.Scored(0, 0)
    assert scoring.score(True, 5, 20, previous_streak=2) == scoring.Scored(917 + 200, 3)
    assert scoring.competition_ranks([900, 800, 800, 10]) == [1, 2, 2, 4]


# --- the game ---------------------------------------------------------------------------------


def test_a_whole_game_scores_streaks_and_podium(store: Store, room: str) -> None:
    players = join(store, room, "Ada", "Bob", "Cy", "Dee")
    with store.session() as s:
        assert live.host_view(s, room).phase == "lobby"
        assert live.start(s, room, now=at(0)) is True
        assert live.start(s, room, now=at(1)) is False  # a second click does nothing
    # Q1 (correct b): Ada fast, Bob slow, Cy wrong, Dee silent.
    assert submit(store, room, players["Ada"], ["b"], 2).status == "counted"
    assert submit(store, room, players["Bob"], ["b"], 10).status == "counted"
    assert submit(store, room, players["Cy"], ["a"], 3).status == "counted"
    with store.session() as s:
        host = live.host_view(s, room, now=at(4))
        assert (host.phase, host.answered, host.remaining_s, host.distribution) == ("question", 3, 16.0, ())
        assert live.reveal(s, room, 0, now=at(12)) is True
        assert live.reveal(s, room, 0, now=at(13)) is False
        host = live.host_view(s, room)
        assert [c.count for c in host.distribution] == [1, 2, 0, 0]
        assert host.percent_correct == 50.0 and host.average_s == pytest.approx(5.0)
        assert [(x.nickname, x.score, x.streak) for x in host.leaderboard] == \
            [("Ada", 1000, 1), ("Bob", 778, 1), ("Cy", 0, 0), ("Dee", 0, 0)]
        assert [x.rank for x in host.leaderboard] == [1, 2, 3, 3]
        assert live.next_question(s, room, 0, now=at(20)) is True
        assert live.next_question(s, room, 0, now=at(21)) is False
    # Q2 (correct c), opened at t=20: Ada and Bob right again (streak 2: +100), Dee right (streak 1).
    assert submit(store, room, players["Ada"], ["c"], 20).status == "counted"
    assert submit(store, room, players["Bob"], ["c"], 30).status == "counted"
    assert submit(store, room, players["Dee"], ["c"], 40).status == "counted"  # at the buzzer: 500
    with store.session() as s:
        assert live.reveal(s, room, 1, now=at(41)) and live.next_question(s, room, 1, now=at(50))
    # Q3 (select TWO: a+d), opened at t=50: Ada wrong (breaks her streak), Bob right (streak 3: +200).
    assert submit(store, room, players["Ada"], ["a", "b"], 51).status == "counted"
    assert submit(store, room, players["Bob"], ["d", "a"], 60).status == "counted"
    with store.session() as s:
        assert live.reveal(s, room, 2, now=at(61))
        assert live.next_question(s, room, 2, now=at(62)) is True  # after the last one: podium
        host = live.host_view(s, room)
        assert host.phase == "podium"
        board = [(x.nickname, x.score, x.streak, x.correct) for x in host.leaderboard]
        assert board == [("Bob", 778 + 878 + 978, 3, 3), ("Ada", 1000 + 1100, 0, 2), ("Dee", 500, 0, 1),
                         ("Cy", 0, 0, 0)]
        view = live.learner_view(s, room, players["Dee"].token)
        assert view.rank == 3 and [p.nickname for p in view.podium] == ["Bob", "Ada", "Dee"]
        with pytest.raises(live.JoinError, match="has ended"):
            live.join(s, room, "Late")


def test_ties_share_a_podium_place(store: Store, room: str) -> None:
    players = join(store, room, "Ada", "Bob", "Cy")
    with store.session() as s:
        live.start(s, room, now=at(0))
    for name in ("Ada", "Bob"):
        submit(store, room, players[name], ["b"], 4)
    with store.session() as s:
        live.finish(s, room, now=at(5))
        board = live.leaderboard(s, room)
    assert [(x.rank, x.nickname) for x in board] == [(1, "Ada"), (1, "Bob"), (3, "Cy")]


def test_nicknames_are_unique_per_room_only(store: Store, room: str) -> None:
    join(store, room, "Ada")
    with store.session() as s, pytest.raises(live.JoinError, match="already called"):
        live.join(s, room, " ada ")
    with store.session() as s:
        other = live.create_room(s, [q("x")], "Other", now=T0)
        assert live.join(s, other, "Ada").nickname == "Ada"
        with pytest.raises(live.JoinError, match="No live quiz has the code"):
            live.join(s, "K7MW3X" if room != "K7MW3X" else "K7MW3Y", "Zed")


def test_a_device_token_rejoins_only_its_own_room(store: Store, room: str) -> None:
    ada = join(store, room, "Ada")["Ada"]
    with store.session() as s:
        assert live.rejoin(s, room, ada.token) == ada
        assert live.rejoin(s, room, "not-a-token") is None
        other = live.create_room(s, [q("x")], "Other", now=T0)
        assert live.rejoin(s, other, ada.token) is None


def test_room_creation_checks_its_input(store: Store) -> None:
    with store.session() as s:
        with pytest.raises(live.ClassroomError, match="at least one question"):
            live.create_room(s, [], "Empty")
        with pytest.raises(live.ClassroomError, match="between 5 and 240"):
            live.create_room(s, [q("x")], "Quick", time_limit_s=1)
        code = live.create_room(s, [q("x")], "  ", now=T0)
        assert live.host_view(s, code).title == "Live quiz"
        assert code in [r.code for r in live.recent_rooms(s)]


# --- answers ----------------------------------------------------------------------------------


def test_answers_count_once_and_late_ones_are_refused(store: Store, room: str) -> None:
    players = join(store, room, "Ada", "Bob", "Cy")
    with store.session() as s:
        assert live.submit(s, room, players["Ada"].token, ["b"], now=at(0)).status == "closed"  # lobby
        live.start(s, room, now=at(0))
    first = submit(store, room, players["Ada"], ["b"], 1)
    again = submit(store, room, players["Ada"], ["c"], 2)  # a change of mind is not a second answer
    assert (first.status, again.status, again.counted) == ("counted", "already", True)
    assert "counts once" in again.message
    late = submit(store, room, players["Bob"], ["b"], 20.5)
    assert late.status == "late" and not late.counted
    assert late.message == ("Time was up before your answer arrived, so it was not counted. "
                            "Get ready for the next question.")
    assert submit(store, room, players["Cy"], ["z"], 3).status == "invalid"
    assert submit(store, room, players["Cy"], ["a", "b"], 3).status == "invalid"
    with store.session() as s:
        live.reveal(s, room, 0, now=at(21))
        assert live.submit(s, room, players["Cy"].token, ["b"], now=at(21)).status == "closed"
        assert live.submit(s, room, players["Ada"].token, ["b"], now=at(22)).status == "already"
        rows = s.execute(select(Answer.player_id, Answer.choices)).all()
    assert len(rows) == 1 and rows[0][1] == ["b"]
    with store.session() as s, pytest.raises(live.JoinError, match="not in that quiz"):
        live.submit(s, room, "forged-token", ["b"], now=at(22))


def test_concurrent_double_taps_count_once(store: Store, room: str) -> None:
    """Eight simultaneous submissions per player, from threads with their own sessions."""
    players = list(join(store, room, "Ada", "Bob", "Cy").values())
    with store.session() as s:
        live.start(s, room, now=at(0))
    barrier = threading.Barrier(len(players) * 8)
    results: list[str] = []
    errors: list[BaseException] = []

    def tap(player: live.Joined) -> None:
        try:
            barrier.wait(10)
            results.append(submit(store, room, player, ["b"], 1).status)
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=tap, args=(p,)) for p in players for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors
    assert sorted(results) == ["already"] * 21 + ["counted"] * 3
    with store.session() as s:
        assert s.scalar(select(func.count()).select_from(Answer)) == 3
        assert live.host_view(s, room, now=at(2)).answered == 3


def test_answers_racing_the_reveal_are_scored_or_refused_never_lost(store: Store, room: str) -> None:
    players = list(join(store, room, *[f"P{i}" for i in range(12)]).values())
    with store.session() as s:
        live.start(s, room, now=at(0))
    barrier = threading.Barrier(len(players) + 1)
    outcome: dict[str, str] = {}

    def answer(player: live.Joined) -> None:
        barrier.wait(10)
        outcome[player.nickname] = submit(store, room, player, ["b"], 5).status

    def host() -> None:
        barrier.wait(10)
        with store.session() as s:
            live.reveal(s, room, 0, now=at(5))

    threads = [threading.Thread(target=answer, args=(p,)) for p in players] + [threading.Thread(target=host)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert set(outcome.values()) <= {"counted", "late", "closed"}
    with store.session() as s:
        scored = dict(s.execute(select(Answer.player_id, Answer.points)).all())
        board = {x.nickname: x.score for x in live.leaderboard(s, room)}
    assert all(points > 0 for points in scored.values())  # every stored answer was scored
    assert sum(1 for v in outcome.values() if v == "counted") == len(scored)
    assert sum(1 for v in board.values() if v > 0) == len(scored)


# --- what each screen may see -----------------------------------------------------------------


def test_a_learner_never_sees_other_answers_or_the_key_before_the_reveal(store: Store, room: str) -> None:
    players = join(store, room, "Ada", "Bobby")
    with store.session() as s:
        live.start(s, room, now=at(0))
    submit(store, room, players["Bobby"], ["c"], 1)
    with store.session() as s:
        before = live.learner_view(s, room, players["Ada"].token, now=at(2))
    flat = repr(dataclasses.asdict(before))
    assert before.my_choices is None and before.correct_ids is None and before.feedback == ()
    assert "Bobby" not in flat and "'correct'" not in flat and "Why " not in flat
    assert before.remaining_s == 18.0 and before.question is not None
    submit(store, room, players["Ada"], ["b"], 3)
    with store.session() as s:
        mine = live.learner_view(s, room, players["Ada"].token, now=at(4))
        assert mine.my_choices == ("b",) and mine.my_points is None and mine.rank is None
        live.reveal(s, room, 0, now=at(5))
        after = live.learner_view(s, room, players["Ada"].token)
    assert after.correct_ids == ("b",) and after.my_correct is True and after.my_points == 972
    assert after.rank == 1 and "Bobby" not in repr(dataclasses.asdict(after))
    assert after.feedback == ("B: Why b.",)


def test_the_host_screen_shows_only_a_count_until_the_reveal(store: Store, room: str) -> None:
    players = join(store, room, "Ada")
    with store.session() as s:
        live.start(s, room, now=at(0))
    submit(store, room, players["Ada"], ["a"], 1)
    with store.session() as s:
        view = live.host_view(s, room, now=at(2))
    assert view.answered == 1 and view.everyone_answered
    assert view.distribution == () and view.percent_correct is None and view.leaderboard == ()


# --- export -----------------------------------------------------------------------------------


def test_csv_lists_who_answered_what_for_revealed_questions(store: Store, room: str) -> None:
    players = join(store, room, "Ada", "Bob")
    with store.session() as s:
        live.start(s, room, now=at(0))
    submit(store, room, players["Ada"], ["b"], 2)
    with store.session() as s:
        assert results_frame(s, room).empty  # the open question is not exported yet
        live.reveal(s, room, 0, now=at(5))
        live.next_question(s, room, 0, now=at(6))
    submit(store, room, players["Bob"], ["a"], 7)  # on the still-open second question
    with store.session() as s:
        data = export_csv(s, room)
    frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(frame.columns) == COLUMNS
    assert len(frame) == 2 and set(frame["question_id"]) == {"q1"}
    ada, bob = frame.set_index("nickname").loc["Ada"], frame.set_index("nickname").loc["Bob"]
    assert (ada["answer"], ada["correct"], ada["seconds"], ada["points"]) == ("B: Option b", "yes", 2.0, 1000)
    assert (bob["correct"], bob["points"]) == ("no answer", 0)


# --- hosting ----------------------------------------------------------------------------------


def test_passcode_check_is_constant_time_and_needs_a_configured_passcode(monkeypatch) -> None:
    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    configured = Settings(instructor_passcode=SecretStr("correct horse"))
    assert live.check_passcode(configured, "correct horse") and calls
    assert not live.check_passcode(configured, "correct hors")
    assert not live.check_passcode(configured, "")
    assert not live.check_passcode(Settings(), "anything") and not live.passcode_configured(Settings())
    assert "correct horse" not in repr(configured)
    assert "GENLAB_INSTRUCTOR_PASSCODE" in live.SETUP_INSTRUCTIONS and "restart" in live.SETUP_INSTRUCTIONS


# --- the clock: host away, pause, extend, ask again, ending early -----------------------------


def test_the_clock_stands_still_while_the_host_screen_is_away(store: Store, room: str) -> None:
    players = join(store, room, "Ada")
    with store.session() as s:
        live.heartbeat(s, room, now=at(0))
        live.start(s, room, now=at(0))
        live.heartbeat(s, room, now=at(3))
        assert live.host_view(s, room, now=at(4)).remaining_s == 16.0
        # The host reloads at t=3; 5 s without a sign of life and the clock stops at 12 s left.
        away = live.host_view(s, room, now=at(30))
        assert (away.remaining_s, away.paused) == (12.0, "away")
        assert live.learner_view(s, room, players["Ada"].token, now=at(30)).paused == "away"
    assert submit(store, room, players["Ada"], ["b"], 30).status == "counted"  # not "late": time is left
    with store.session() as s:
        live.heartbeat(s, room, now=at(40))  # the host screen is back: 12 s left, running again
        back = live.host_view(s, room, now=at(41))
        assert (back.remaining_s, back.paused) == (11.0, None)
        answer = s.scalar(select(Answer.elapsed_ms))
    assert answer == 8_000  # answered at 8 s on the question's own clock


def test_a_question_that_had_timed_out_does_not_reopen_when_the_host_returns(store: Store, room: str) -> None:
    join(store, room, "Ada")
    with store.session() as s:
        live.heartbeat(s, room, now=at(0))
        live.start(s, room, now=at(0))
        for second in range(1, 26):  # time was up at 20 s, with the host watching; then the host leaves
            live.heartbeat(s, room, now=at(second))
        live.heartbeat(s, room, now=at(60))
        view = live.host_view(s, room, now=at(61))
    assert view.remaining_s == 0 and view.time_up and view.paused is None


def test_pause_resume_and_extend(store: Store, room: str) -> None:
    players = join(store, room, "Ada")
    with store.session() as s:
        live.start(s, room, now=at(0))
        assert live.pause(s, room, 0, now=at(5)) is True
        assert live.pause(s, room, 0, now=at(6)) is False  # already paused
        view = live.host_view(s, room, now=at(50))
        assert (view.remaining_s, view.paused) == (15.0, "host")
    assert submit(store, room, players["Ada"], ["b"], 50).status == "counted"  # answers still count
    with store.session() as s:
        assert live.extend(s, room, 0, now=at(55)) is True  # while paused: 15 + 15 s
        assert live.resume(s, room, 0, now=at(60)) is True
        assert live.host_view(s, room, now=at(61)).remaining_s == 29.0
        assert live.extend(s, room, 0, now=at(100)) is True  # time was up: open again for 15 s
        view = live.host_view(s, room, now=at(101))
        assert view.remaining_s == 14.0 and view.paused is None


def test_ask_again_drops_the_answers_and_gives_full_time(store: Store, room: str) -> None:
    players = join(store, room, "Ada", "Bob")
    with store.session() as s:
        live.start(s, room, now=at(0))
    submit(store, room, players["Ada"], ["a"], 2)
    with store.session() as s:
        assert live.restart(s, room, 0, now=at(30)) is True
        assert live.restart(s, room, 1, now=at(30)) is False  # not the open question
        view = live.host_view(s, room, now=at(31))
        assert (view.answered, view.remaining_s) == (0, 19.0)
    assert submit(store, room, players["Ada"], ["b"], 32).status == "counted"  # a new answer, not "already"


def test_ending_during_a_question_reveals_it_before_the_podium(store: Store, room: str) -> None:
    players = join(store, room, "Ada", "Bob")
    with store.session() as s:
        live.start(s, room, now=at(0))
    submit(store, room, players["Ada"], ["b"], 2)
    with store.session() as s:
        assert live.finish(s, room, now=at(5)) is True
        view = live.host_view(s, room)
        assert view.phase == "reveal" and view.question is not None and view.is_last and view.total == 1
        assert live.next_question(s, room, 0, now=at(6)) is True
        assert live.host_view(s, room).phase == "podium"


def test_no_trophy_for_zero_points_and_honest_counts(store: Store, room: str) -> None:
    players = join(store, room, "Ada", "Bob", "Cy")
    with store.session() as s:
        live.start(s, room, now=at(0))
    submit(store, room, players["Ada"], ["b"], 2)
    submit(store, room, players["Bob"], ["a"], 2)
    with store.session() as s:
        live.reveal(s, room, 0, now=at(5))
        view = live.host_view(s, room)
        assert (view.answered, view.correct_count, len(view.players)) == (2, 1, 3)
        live.finish(s, room, now=at(6))
        board = live.host_view(s, room).leaderboard
        assert [x.nickname for x in live.podium_places(board)] == ["Ada"]  # Bob and Cy scored 0
        assert [x.nickname for x in live.learner_view(s, room, players["Cy"].token).podium] == ["Ada"]
