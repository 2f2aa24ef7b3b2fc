"""A replica's room snapshot: learner refreshes without a query each, and never a stale screen for its own writes."""

import threading
import time

from genlab import classroom as live
from genlab.classroom.questions import LiveChoice, LiveQuestion
from genlab.classroom.snapshots import PlayerRow, RoomRow, RoomSnapshot, SnapshotCache
from genlab.store import Store
from genlab.store.roundtrips import operation, snapshot


def question() -> LiveQuestion:
    return LiveQuestion("q1", "1.2.1", "Stem?", None, None, 1,
                        tuple(LiveChoice(o, f"Option {o}", o == "b", f"Why {o}.") for o in "abcd"))


def round_trips(name: str) -> int:
    return snapshot()["operations"].get(name, {}).get("round_trips", 0)


def test_a_class_refreshing_costs_one_read_not_one_per_learner(store: Store) -> None:
    with store.session() as s:
        code = live.create_room(s, [question()], "Snapshot quiz")
        players = [live.join(s, code, f"Player {i}") for i in range(40)]
        live.start(s, code)
    before = round_trips("test.refreshes")
    with operation("test.refreshes"):
        for player in players:
            with store.session() as s:
                view = live.learner_view(s, code, player.token)
                assert view.phase == "question" and view.players == 40 and view.my_choices is None
    # 40 refreshes within the snapshot's lifetime: at most one read of the room (two queries, a
    # transaction and a ping), or two if the snapshot expired in between on a slow machine.
    assert round_trips("test.refreshes") - before <= 12


def test_own_answers_and_host_actions_show_at_once(store: Store) -> None:
    with store.session() as s:
        code = live.create_room(s, [question()], "Snapshot quiz")
        ada = live.join(s, code, "Ada")
        assert live.learner_view(s, code, ada.token).phase == "lobby"  # the snapshot now holds the lobby
        live.start(s, code)  # a host action on this replica drops it
        assert live.learner_view(s, code, ada.token).phase == "question"
        assert live.submit(s, code, ada.token, ["b"]).status == "counted"
        assert live.learner_view(s, code, ada.token).my_choices == ("b",)  # written through, no wait
        bob = live.join(s, code, "Bob")  # a new player is known at once too
        assert live.learner_view(s, code, bob.token).players == 2
        live.reveal(s, code, 0)
        revealed = live.learner_view(s, code, ada.token)
        assert revealed.phase == "reveal" and revealed.my_correct and revealed.score > 0 and revealed.rank == 1


def _row(current: int = 0) -> RoomRow:
    return RoomRow(1, "ABCDEF", "Quiz", [], 20, "question", current, None, None, None, None)


def test_many_threads_asking_at_once_read_the_room_once() -> None:
    cache, reads, gate = SnapshotCache(), [], threading.Event()

    def read() -> RoomSnapshot:
        reads.append(1)
        gate.wait(2)
        return RoomSnapshot(_row(), {}, {}, 0.0)

    threads = [threading.Thread(target=cache.get, args=("ABCDEF", read)) for _ in range(20)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    gate.set()
    for t in threads:
        t.join(5)
    assert len(reads) == 1


def test_a_write_during_a_read_is_kept_when_the_read_is_stored() -> None:
    cache = SnapshotCache()
    cache.get("ABCDEF", lambda: RoomSnapshot(_row(), {}, {}, 0.0))
    ada = PlayerRow(7, "Ada", "token-ada", 0, 0)

    def slow_read() -> RoomSnapshot:  # began before Ada's join and answer committed, ends after
        cache.add_player("ABCDEF", ada)
        cache.add_answer("ABCDEF", 0, 7, ["b"])
        return RoomSnapshot(_row(), {}, {}, 0.0)

    stored = cache.get("ABCDEF", slow_read, max_age_s=0.0)
    assert stored.players == {"token-ada": ada} and stored.answers == {7: (["b"], 0)}
    assert stored.ahead_of(0) == 0


def test_scores_rank_players_with_ties_sharing_a_place() -> None:
    players = {f"t{i}": PlayerRow(i, f"P{i}", f"t{i}", score, 0) for i, score in enumerate([900, 500, 500, 0])}
    snap = RoomSnapshot(_row(), players, {}, 0.0)
    assert [snap.ahead_of(s) for s in (900, 500, 0)] == [0, 1, 3]
