"""A replica's short-lived copy of one room, so a class of hundreds does not ask the database hundreds of times.

Every learner's device refreshes every 2 s. Read one by one, 600 learners are 300 views a second,
each a pooled connection, a ping, a transaction and two queries, while the only things that change
between two refreshes are where the game is (a host click) and who answered. So each replica keeps
one :class:`RoomSnapshot` per room for :data:`TTL_S`: the room row, every player and the open
question's answers, read with two queries by whichever refresh finds it stale (the others wait for
that one read instead of reading too). A learner's view is then built from memory.

What this replica itself writes is never stale: a join or an answer is added to the snapshot the
moment it commits (the learner's next screen, served by the same replica, shows it), and a host
action drops the snapshot. What another replica writes shows up here within :data:`TTL_S`, on top
of the learner's own 2 s refresh. The host's screen never reads a snapshot: it is one screen, and
it must count answers the moment they land.

Keyed by database URL (not engine): in one process, two engines on one database share a snapshot,
so one's writes are seen by the other's readers at once.
"""

import threading
import time
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

#: How long a replica serves a room from memory before reading it again.
TTL_S = 0.5


@dataclass(frozen=True)
class RoomRow:
    """The columns of ``classroom_rooms`` a view needs, detached from any session (shared by threads)."""

    id: int
    code: str
    title: str
    questions: list[dict[str, Any]]
    time_limit_s: int
    phase: str
    current: int
    opened_at: datetime | None
    deadline: datetime | None
    paused_at: datetime | None
    host_seen_at: datetime | None


@dataclass(frozen=True)
class PlayerRow:
    id: int
    nickname: str
    token: str
    score: int
    streak: int


@dataclass
class RoomSnapshot:
    """One room as this replica last read it, plus what this replica wrote since."""

    room: RoomRow
    players: dict[str, PlayerRow]  # by device token
    answers: dict[int, tuple[list[str], int]]  # player id -> (choices, points), for question ``room.current``
    read_at: float  # time.monotonic()
    scores: list[int] = field(default_factory=list)  # every player's score, ascending
    extras: dict[str, Any] = field(default_factory=dict)  # computed once per snapshot (the podium)

    def __post_init__(self) -> None:
        self.scores = sorted(p.score for p in self.players.values())

    def ahead_of(self, score: int) -> int:
        """How many players have more points than ``score``."""
        return len(self.scores) - bisect_right(self.scores, score)


class SnapshotCache:
    """The snapshots of one database in this process, with one reader at a time per room."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rooms: dict[str, RoomSnapshot] = {}
        self._reading: dict[str, threading.Lock] = {}
        # This replica's recent writes per room, (when, player or (index, player id, choices)): a read that
        # began before one of them committed gets it added when it is stored, so it is never lost.
        self._written: dict[str, list[tuple[float, PlayerRow | tuple[int, int, list[str]]]]] = {}

    def get(self, code: str, read: Callable[[], RoomSnapshot], max_age_s: float = TTL_S) -> RoomSnapshot:
        """The room's snapshot if younger than ``max_age_s``; else read it (once, however many ask)."""
        snapshot = self._rooms.get(code)
        if snapshot is not None and time.monotonic() - snapshot.read_at < max_age_s:
            return snapshot
        with self._lock:
            reading = self._reading.setdefault(code, threading.Lock())
        with reading:
            snapshot = self._rooms.get(code)  # someone else may have read it while this thread waited
            if snapshot is not None and time.monotonic() - snapshot.read_at < max_age_s:
                return snapshot
            started = time.monotonic()
            snapshot = read()
            snapshot.read_at = started  # its age counts from before the read: nothing older is kept
            with self._lock:
                written = self._written.get(code, [])
                written[:] = [w for w in written if w[0] > started - 10 * max_age_s - 1]  # keep the log short
                self._rooms[code] = snapshot
                for when, write in written:
                    if when >= started:
                        self._apply(code, write)
                return self._rooms[code]

    def drop(self, code: str) -> None:
        """Forget the room (a host action changed it): the next view reads it again."""
        with self._lock:
            self._rooms.pop(code, None)

    def add_player(self, code: str, player: PlayerRow) -> None:
        """A player who joined through this replica (their next screen must know them)."""
        self._write(code, player)

    def add_answer(self, code: str, index: int, player_id: int, choices: list[str]) -> None:
        """An answer counted through this replica (the learner's next screen confirms it)."""
        self._write(code, (index, player_id, list(choices)))

    def _write(self, code: str, write: PlayerRow | tuple[int, int, list[str]]) -> None:
        with self._lock:
            self._written.setdefault(code, []).append((time.monotonic(), write))
            self._apply(code, write)

    def _apply(self, code: str, write: PlayerRow | tuple[int, int, list[str]]) -> None:
        """Add one write to the stored snapshot (copy on write: readers keep a consistent one). Lock held."""
        snapshot = self._rooms.get(code)
        if snapshot is None:
            return
        if isinstance(write, PlayerRow):
            if write.token not in snapshot.players:
                self._rooms[code] = RoomSnapshot(snapshot.room, snapshot.players | {write.token: write},
                                                 snapshot.answers, snapshot.read_at)
            return
        index, player_id, choices = write
        if snapshot.room.current == index and player_id not in snapshot.answers:
            self._rooms[code] = RoomSnapshot(snapshot.room, snapshot.players,
                                             snapshot.answers | {player_id: (choices, 0)}, snapshot.read_at,
                                             extras=snapshot.extras)


_caches: dict[str, SnapshotCache] = {}
_caches_lock = threading.Lock()


def cache_for(session: Session) -> SnapshotCache:
    """The snapshot cache of the database this session talks to."""
    key = session.get_bind().url.render_as_string(hide_password=True)
    with _caches_lock:
        cache = _caches.get(key)
        if cache is None:
            cache = _caches[key] = SnapshotCache()
        return cache
