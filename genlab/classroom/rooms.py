"""A live quiz room, from the lobby to the podium, kept entirely in the store.

The game is a small state machine on the room row::

    lobby --start--> question 0 --reveal--> reveal 0 --next--> question 1 ... --next--> podium

Every host action names the state it expects (``expected`` question index) and is one conditional
``UPDATE ... WHERE phase = ... AND current = ...``: two clicks, or two host tabs on two replicas,
move the game once. Answers are one ``INSERT ... ON CONFLICT DO NOTHING`` on a unique
(room, question, player) key, so a double tap or a reconnect never counts twice; the insert then
re-reads the room under a share lock, so an answer racing the reveal is either scored or refused,
never lost in between. Time is the app server's UTC clock; the deadline is stored, so every
replica refuses the same late answers (keep replicas' clocks in sync with NTP).

Functions take a SQLAlchemy session and commit their own work, like ``genlab.store.learners``.
Every ``now`` argument exists for tests; callers leave it out.
"""

import functools
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from genlab.classroom import scoring
from genlab.classroom.codes import (
    ClassroomError,
    JoinError,
    clean_code,
    clean_nickname,
    new_code,
    new_token,
    nickname_key,
)
from genlab.classroom.questions import LETTERS, LiveQuestion, PublicQuestion
from genlab.classroom.snapshots import PlayerRow, RoomRow, RoomSnapshot, cache_for
from genlab.classroom.tables import Answer, Player, Room
from genlab.store.models import utcnow
from genlab.store.roundtrips import counted

TIME_LIMITS_S = (10, 20, 30, 60, 90)
DEFAULT_TIME_LIMIT_S = 20
MAX_QUESTIONS = 50
MAX_PLAYERS = 1000

LOBBY, QUESTION, REVEAL, PODIUM = "lobby", "question", "reveal", "podium"
#: With no sign of life from the host screen for this long, the open question's clock stands still
#: (a reload, a closed laptop) and runs on from where it stood when the host screen is back.
HOST_AWAY = timedelta(seconds=5)
EXTEND_S = 15


# --- values handed to the pages ---------------------------------------------------------------


@dataclass(frozen=True)
class Joined:
    code: str
    nickname: str
    token: str


@dataclass(frozen=True)
class Submitted:
    """The outcome of one answer attempt: ``counted`` when an answer of this player is on record."""

    status: str  # "counted" | "already" | "late" | "closed" | "invalid"
    counted: bool
    message: str


@dataclass(frozen=True)
class Standing:
    rank: int
    nickname: str
    score: int
    streak: int
    correct: int


@dataclass(frozen=True)
class ChoiceCount:
    letter: str
    text: str
    correct: bool
    count: int


@dataclass(frozen=True)
class RoomInfo:
    code: str
    title: str
    phase: str
    current: int
    total: int
    time_limit_s: int
    created_at: datetime


@dataclass(frozen=True)
class RoomScreen:
    """What every screen of a room shows: which room, and where the game is."""

    code: str
    title: str
    phase: str
    index: int
    total: int
    time_limit_s: int


@dataclass(frozen=True)
class HostView(RoomScreen):
    """What the host screen (the projector) shows. The answer itself only in the reveal phase."""

    question: LiveQuestion | None
    remaining_s: float | None
    players: tuple[str, ...]
    answered: int
    distribution: tuple[ChoiceCount, ...]
    percent_correct: float | None
    average_s: float | None
    leaderboard: tuple[Standing, ...]
    correct_count: int = 0  # answers that were right (reveal only)
    paused: str | None = None  # "host" (paused on purpose), "away" (host screen gone) or None

    @property
    def everyone_answered(self) -> bool:
        return bool(self.players) and self.answered >= len(self.players)

    @property
    def time_up(self) -> bool:
        return self.remaining_s is not None and self.remaining_s <= 0

    @property
    def is_last(self) -> bool:
        return self.index >= self.total - 1


@dataclass(frozen=True)
class LearnerView(RoomScreen):
    """What one learner's device shows: their own answer only, and the answer only after the reveal."""

    nickname: str
    players: int
    question: PublicQuestion | None
    remaining_s: float | None
    my_choices: tuple[str, ...] | None
    score: int
    # Filled in the reveal and podium phases only:
    correct_ids: tuple[str, ...] | None = None
    my_correct: bool | None = None
    my_points: int | None = None
    streak: int = 0
    feedback: tuple[str, ...] = ()
    rank: int | None = None
    podium: tuple[Standing, ...] = ()
    paused: str | None = None  # "host" (paused on purpose), "away" (host screen gone) or None


# --- helpers ----------------------------------------------------------------------------------


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything here is UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def room_by_code(session: Session, code: str) -> Room:
    """The room with this join code, read fresh; JoinError (with a sentence) when there is none."""
    # populate_existing: host actions update the row with plain UPDATEs, so never trust a cached copy.
    room = session.scalar(select(Room).where(Room.code == clean_code(code))
                          .execution_options(populate_existing=True))
    if room is None:
        raise JoinError(f"No live quiz has the code {clean_code(code)}. Check the code on the projector "
                        "screen; if the quiz was just created, ask the host to read it out.")
    return room


def questions_of(room: Room) -> list[LiveQuestion]:
    """The room's questions, from the snapshot taken when it was created."""
    return [LiveQuestion.from_json(q) for q in room.questions]


def _frozen_at(room: Room, now: datetime) -> datetime | None:
    """When the open question's clock stopped: the host's pause, or the host screen going away."""
    if room.paused_at is not None:
        return _aware(room.paused_at)
    seen = _aware(room.host_seen_at)
    if seen is not None and now - seen > HOST_AWAY:
        return seen + HOST_AWAY
    return None


def _paused(room: Room, now: datetime) -> str | None:
    if room.phase != QUESTION:
        return None
    if room.paused_at is not None:
        return "host"
    return "away" if _frozen_at(room, now) is not None and (_remaining(room, now) or 0) > 0 else None


def _clock(room: Room, now: datetime) -> datetime:
    frozen = _frozen_at(room, now)
    return min(frozen, now) if frozen is not None else now


def last_revealed(room: Room) -> int:
    """Index of the last question whose answer everyone has seen (-1: none yet).

    What the results may show: during a question its answer is still secret; at the podium the
    last question was revealed before the move (``current`` stays on it).
    """
    if room.phase == LOBBY:
        return -1
    if room.phase == QUESTION:
        return room.current - 1
    if room.phase == PODIUM:
        return max(room.current, -1)
    return room.current


def _remaining(room: Room, now: datetime) -> float | None:
    if room.phase != QUESTION or room.deadline is None:
        return None
    return max((_aware(room.deadline) - _clock(room, now)).total_seconds(), 0.0)  # type: ignore[operator]


def _seen(room: Room, now: datetime) -> datetime | None:
    """A host action is a sign of life too (only once the host screen sends them at all)."""
    return now if room.host_seen_at is not None else None


def podium_places(standings: tuple[Standing, ...] | list[Standing]) -> tuple[Standing, ...]:
    """The top three places that earned points: nobody gets a trophy for 0 points."""
    return tuple(s for s in standings if s.rank <= 3 and s.score > 0)


def _player(session: Session, room: Room, token: str) -> Player:
    player = session.scalar(select(Player).where(Player.room_id == room.id, Player.token == token)
                            .execution_options(populate_existing=True))
    if player is None:
        raise JoinError("This device is not in that quiz (the link may be from another device, or the room "
                        "was recreated). Join again with your nickname.")
    return player


def _insert(session: Session):
    return (postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert)(Answer)


def _move(session: Session, room: Room, expected_phase: str | tuple[str, ...], expected_index: int | None,
          **values) -> bool:
    """Compare-and-set the room's state; True when this call made the move."""
    phases = (expected_phase,) if isinstance(expected_phase, str) else expected_phase
    stmt = update(Room).where(Room.id == room.id, Room.phase.in_(phases))
    if expected_index is not None:
        stmt = stmt.where(Room.current == expected_index)
    result = session.execute(stmt.values(**values).execution_options(synchronize_session=False))
    return result.rowcount == 1


def _drops_snapshot(action: Callable[..., bool]) -> Callable[..., bool]:
    """A host action changes where the game is: this replica's snapshot of the room goes (see snapshots.py)."""

    @functools.wraps(action)
    def act(session: Session, code: str, *args, **kwargs) -> bool:
        try:
            return action(session, code, *args, **kwargs)
        finally:
            cache_for(session).drop(clean_code(code))

    return act


# --- the host's side --------------------------------------------------------------------------


def create_room(session: Session, questions: list[LiveQuestion], title: str,
                time_limit_s: int = DEFAULT_TIME_LIMIT_S, now: datetime | None = None) -> str:
    """A new room in the lobby; returns its join code."""
    if not questions:
        raise ClassroomError("Pick at least one question for the quiz.")
    if len(questions) > MAX_QUESTIONS:
        raise ClassroomError(f"A live quiz can have at most {MAX_QUESTIONS} questions; pick fewer.")
    if not 5 <= time_limit_s <= 240:
        raise ClassroomError("Give each question between 5 and 240 seconds.")
    title = " ".join(title.split())[:120] or "Live quiz"
    now = now or utcnow()
    for _attempt in range(5):
        code = new_code()
        session.add(Room(code=code, title=title, questions=[q.to_json() for q in questions],
                         time_limit_s=time_limit_s, phase=LOBBY, current=-1, created_at=now, updated_at=now))
        try:
            session.commit()
            return code
        except IntegrityError:  # the code is taken: draw another
            session.rollback()
    raise ClassroomError("Could not find a free join code; try again.")  # pragma: no cover


@counted("classroom.start")
@_drops_snapshot
def start(session: Session, code: str, now: datetime | None = None) -> bool:
    """Open the first question (from the lobby)."""
    room = room_by_code(session, code)
    now = now or utcnow()
    moved = _move(session, room, LOBBY, None, phase=QUESTION, current=0, opened_at=now,
                  host_seen_at=_seen(room, now),
                  deadline=now + timedelta(seconds=room.time_limit_s), updated_at=now)
    session.commit()
    return moved


@counted("classroom.reveal")
@_drops_snapshot
def reveal(session: Session, code: str, expected: int, now: datetime | None = None, last: bool = False) -> bool:
    """Close question ``expected``, score it and show the answer. False if it was not open.

    ``last`` ends the quiz after this reveal: the questions not yet asked are dropped, so the host's
    next button is "Show the podium".
    """
    room = room_by_code(session, code)
    now = now or utcnow()
    extra = {"questions": room.questions[:expected + 1]} if last else {}
    if not _move(session, room, QUESTION, expected, phase=REVEAL, deadline=now, paused_at=None, updated_at=now,
                 **extra):
        session.rollback()
        return False
    _score(session, room, expected)
    session.commit()
    return True


@_drops_snapshot
def next_question(session: Session, code: str, expected: int, now: datetime | None = None) -> bool:
    """From the reveal of question ``expected`` to the next question, or to the podium after the last."""
    room = room_by_code(session, code)
    now = now or utcnow()
    if expected + 1 >= len(room.questions):
        moved = _move(session, room, REVEAL, expected, phase=PODIUM, updated_at=now)
    else:
        moved = _move(session, room, REVEAL, expected, phase=QUESTION, current=expected + 1, opened_at=now,
                      paused_at=None, host_seen_at=_seen(room, now),
                      deadline=now + timedelta(seconds=room.time_limit_s), updated_at=now)
    session.commit()
    return moved


@_drops_snapshot
def finish(session: Session, code: str, now: datetime | None = None) -> bool:
    """End the quiz early. An open question is revealed (and scored) first, with the podium next;
    from the lobby or a reveal the podium comes at once."""
    room = room_by_code(session, code)
    now = now or utcnow()
    if room.phase == QUESTION:
        return reveal(session, code, room.current, now, last=True)
    moved = _move(session, room, (LOBBY, REVEAL), None, phase=PODIUM, updated_at=now)
    session.commit()
    return moved


@counted("classroom.heartbeat")
def heartbeat(session: Session, code: str, now: datetime | None = None) -> None:
    """The host screen is here. If it was away, the open question's clock runs on from where it stood."""
    room = room_by_code(session, code)
    now = now or utcnow()
    seen = _aware(room.host_seen_at)
    values: dict = {"host_seen_at": now}
    deadline, opened = _aware(room.deadline), _aware(room.opened_at)
    if (room.phase == QUESTION and room.paused_at is None and seen is not None and deadline is not None
            and now - seen > HOST_AWAY and deadline > seen + HOST_AWAY):
        gap = now - (seen + HOST_AWAY)
        values |= {"deadline": deadline + gap, "opened_at": (opened + gap) if opened else None}
    stmt = update(Room).where(Room.id == room.id)
    # Compare-and-set on the last heartbeat: two host tabs never move the clock twice for one absence.
    stmt = stmt.where(Room.host_seen_at.is_(None) if room.host_seen_at is None
                      else Room.host_seen_at == room.host_seen_at)
    session.execute(stmt.values(**values).execution_options(synchronize_session=False))
    session.commit()


@_drops_snapshot
def pause(session: Session, code: str, expected: int, now: datetime | None = None) -> bool:
    """Stop question ``expected``'s clock (answers are still taken while it stands)."""
    room = room_by_code(session, code)
    now = now or utcnow()
    if room.phase != QUESTION or room.paused_at is not None or not _remaining(room, now):
        return False
    moved = session.execute(update(Room).where(Room.id == room.id, Room.phase == QUESTION, Room.current == expected,
                                               Room.paused_at.is_(None))
                            .values(paused_at=_clock(room, now), host_seen_at=_seen(room, now), updated_at=now)
                            .execution_options(synchronize_session=False)).rowcount == 1
    session.commit()
    return moved


@_drops_snapshot
def resume(session: Session, code: str, expected: int, now: datetime | None = None) -> bool:
    """Start question ``expected``'s clock again, with the time it had left when paused."""
    room = room_by_code(session, code)
    now = now or utcnow()
    paused_at = _aware(room.paused_at)
    if room.phase != QUESTION or room.current != expected or paused_at is None:
        return False
    gap = max(now - paused_at, timedelta(0))
    moved = session.execute(update(Room).where(Room.id == room.id, Room.phase == QUESTION, Room.current == expected,
                                               Room.paused_at == room.paused_at)
                            .values(paused_at=None, host_seen_at=_seen(room, now), updated_at=now,
                                    deadline=_aware(room.deadline) + gap,  # type: ignore[operator]
                                    opened_at=_aware(room.opened_at) + gap)  # type: ignore[operator]
                            .execution_options(synchronize_session=False)).rowcount == 1
    session.commit()
    return moved


@_drops_snapshot
def extend(session: Session, code: str, expected: int, seconds: int = EXTEND_S, now: datetime | None = None) -> bool:
    """Give question ``expected`` more time; when its time was up, it opens again for ``seconds``."""
    room = room_by_code(session, code)
    now = now or utcnow()
    deadline = _aware(room.deadline)
    if room.phase != QUESTION or room.current != expected or deadline is None:
        return False
    clock = _clock(room, now)
    new_deadline = max(deadline, clock) + timedelta(seconds=seconds)
    moved = session.execute(update(Room).where(Room.id == room.id, Room.phase == QUESTION, Room.current == expected,
                                               Room.deadline == room.deadline)
                            .values(deadline=new_deadline, host_seen_at=_seen(room, now), updated_at=now)
                            .execution_options(synchronize_session=False)).rowcount == 1
    session.commit()
    return moved


@_drops_snapshot
def restart(session: Session, code: str, expected: int, now: datetime | None = None) -> bool:
    """Ask question ``expected`` again from the start: its answers so far are dropped, the full time is back."""
    room = room_by_code(session, code)
    now = now or utcnow()
    if not _move(session, room, QUESTION, expected, opened_at=now, paused_at=None, host_seen_at=_seen(room, now),
                 deadline=now + timedelta(seconds=room.time_limit_s), updated_at=now):
        session.rollback()
        return False
    session.execute(delete(Answer).where(Answer.room_id == room.id, Answer.question_index == expected))
    session.commit()
    return True


def _score(session: Session, room: Room, index: int) -> None:
    """Points and streaks for question ``index`` (called once, inside the reveal's transaction)."""
    answers = {a.player_id: a for a in session.scalars(
        select(Answer).where(Answer.room_id == room.id, Answer.question_index == index))}
    players = session.scalars(select(Player).where(Player.room_id == room.id)
                              .execution_options(populate_existing=True)).all()
    player_rows, answer_rows = [], []
    for player in players:
        answer = answers.get(player.id)
        scored = scoring.score(answer is not None and answer.correct,
                               (answer.elapsed_ms / 1000) if answer else 0.0, room.time_limit_s, player.streak)
        player_rows.append({"id": player.id, "score": player.score + scored.points, "streak": scored.streak})
        if answer is not None:
            answer_rows.append({"id": answer.id, "points": scored.points, "streak": scored.streak})
    if player_rows:
        session.execute(update(Player), player_rows)
    if answer_rows:
        session.execute(update(Answer), answer_rows)


def leaderboard(session: Session, code: str) -> list[Standing]:
    """Every player by total points (ties share a rank), with their count of correct answers."""
    room = room_by_code(session, code)
    return _leaderboard(session, room)


def _leaderboard(session: Session, room: Room) -> list[Standing]:
    # Scored answers only (points are set at the reveal; every correct answer earns at least 500),
    # so the open question's answers never show up here.
    correct = (select(Answer.player_id, func.count().label("n"))
               .where(Answer.room_id == room.id, Answer.points > 0).group_by(Answer.player_id).subquery())
    rows = session.execute(
        select(Player.nickname, Player.score, Player.streak, func.coalesce(correct.c.n, 0))
        .outerjoin(correct, correct.c.player_id == Player.id)
        .where(Player.room_id == room.id)
        .order_by(Player.score.desc(), Player.nickname_key)).all()
    ranks = scoring.competition_ranks([r[1] for r in rows])
    return [Standing(rank, r[0], r[1], r[2], int(r[3])) for rank, r in zip(ranks, rows, strict=True)]


@counted("classroom.host_view")
def host_view(session: Session, code: str, now: datetime | None = None) -> HostView:
    room = room_by_code(session, code)
    now = now or utcnow()
    questions = questions_of(room)
    question = questions[room.current] if room.phase in (QUESTION, REVEAL) else None
    players = tuple(session.scalars(select(Player.nickname).where(Player.room_id == room.id)
                                    .order_by(Player.joined_at, Player.id)))
    answered = 0
    distribution: tuple[ChoiceCount, ...] = ()
    percent = average = None
    correct_count = 0
    if question is not None:
        if room.phase == QUESTION:  # only the count: the distribution would give the answer away
            answered = session.scalar(select(func.count()).select_from(Answer).where(
                Answer.room_id == room.id, Answer.question_index == room.current)) or 0
        else:
            rows = session.execute(select(Answer.choices, Answer.correct, Answer.elapsed_ms).where(
                Answer.room_id == room.id, Answer.question_index == room.current)).all()
            answered = len(rows)
            counts = Counter(choice for r in rows for choice in r[0])
            distribution = tuple(ChoiceCount(LETTERS[i], c.text, c.correct, counts[c.id])
                                 for i, c in enumerate(question.choices))
            correct_count = sum(bool(r[1]) for r in rows)
            if players:  # of everyone in the room: not answering is not knowing
                percent = 100 * correct_count / len(players)
            if rows:
                average = sum(r[2] for r in rows) / len(rows) / 1000
    standings = tuple(_leaderboard(session, room)) if room.phase in (REVEAL, PODIUM) else ()
    return HostView(room.code, room.title, room.phase, room.current, len(questions), room.time_limit_s,
                    question, _remaining(room, now), players, answered, distribution, percent, average,
                    standings, correct_count, _paused(room, now))


def recent_rooms(session: Session, limit: int = 8) -> list[RoomInfo]:
    """Rooms created most recently, so a host can get back to one (from any replica)."""
    rooms = session.scalars(select(Room).order_by(Room.created_at.desc(), Room.id.desc()).limit(limit))
    return [RoomInfo(r.code, r.title, r.phase, r.current, len(r.questions), r.time_limit_s,
                     _aware(r.created_at)) for r in rooms]  # type: ignore[arg-type]


# --- the learners' side -----------------------------------------------------------------------


@counted("classroom.join")
def join(session: Session, code: str, nickname: str, now: datetime | None = None) -> Joined:
    """Add a player; the returned token identifies this device from now on.

    The room and its head count come from this replica's snapshot (at most ``snapshots.TTL_S``
    old), so a join is one INSERT; the unique (room, nickname) key, not a read before it, keeps
    nicknames unique. Near the cap, joins at the same moment on several replicas can pass it by a few.
    """
    snapshot = _snapshot(session, code)
    room = snapshot.room
    name = clean_nickname(nickname)
    if room.phase == PODIUM:
        raise JoinError("This quiz has ended. Ask the host for the code of the next one.")
    if len(snapshot.players) >= MAX_PLAYERS:
        raise JoinError(f"This quiz is full ({MAX_PLAYERS} players). Ask the host to start a second room.")
    player = Player(room_id=room.id, nickname=name, nickname_key=nickname_key(name), token=new_token(), score=0,
                    streak=0, joined_at=now or utcnow())
    session.add(player)
    try:
        session.commit()
    except IntegrityError:  # the nickname is taken: earlier, or a moment ago on this or another replica
        session.rollback()
        raise JoinError(f"Someone in this quiz is already called {name}. Add a letter or a number to yours, "
                        f"for example {name[:17]} 2.") from None
    cache_for(session).add_player(room.code, PlayerRow(player.id, name, player.token, 0, 0))
    return Joined(room.code, name, player.token)


@counted("classroom.rejoin")
def rejoin(session: Session, code: str, token: str) -> Joined | None:
    """The player this device token belongs to, or None (a stale or foreign link)."""
    try:
        room = room_by_code(session, code)
        player = _player(session, room, token)
    except JoinError:
        return None
    return Joined(room.code, player.nickname, player.token)


@counted("classroom.submit")
def submit(session: Session, code: str, token: str, choice_ids: list[str] | tuple[str, ...] | set[str],
           now: datetime | None = None) -> Submitted:
    """Record one player's answer to the open question, once.

    One read (room, player and any earlier answer) under a share lock on the room row, then one
    INSERT: a reveal (an UPDATE of that row) waits for this answer and scores it, or committed
    first and this answer is refused as late; never lost in between.
    """
    earlier_answer = (select(Answer.choices).where(Answer.room_id == Room.id, Answer.question_index == Room.current,
                                                   Answer.player_id == Player.id).scalar_subquery())
    found = session.execute(select(Room, Player, earlier_answer).join(Player, Player.room_id == Room.id)
                            .where(Room.code == clean_code(code), Player.token == token)
                            .with_for_update(read=True, of=Room)
                            .execution_options(populate_existing=True)).first()
    if found is None:  # say which of the two is wrong
        _player(session, room_by_code(session, code), token)
    room, player, previous = found  # type: ignore[misc]
    index = room.current
    now = now or utcnow()
    if room.phase != QUESTION:
        session.rollback()
        if previous is not None:
            return Submitted("already", True, "Your answer was received before the question closed.")
        return Submitted("closed", False, "This question is closed, so answers are no longer taken. "
                                          "Wait for the next question.")
    question = questions_of(room)[index]
    if previous is not None:
        session.rollback()
        return _already(question, previous)
    opened = _aware(room.opened_at)
    if room.deadline is not None and _clock(room, now) > _aware(room.deadline):  # type: ignore[operator]
        session.rollback()
        return _late()
    chosen = frozenset(choice_ids)
    valid = {c.id for c in question.choices}
    if not chosen <= valid:
        session.rollback()
        return Submitted("invalid", False, "That choice is not part of this question; pick one of the buttons.")
    if len(chosen) != question.select:
        session.rollback()
        word = {1: "one answer", 2: "TWO answers", 3: "THREE answers"}[question.select]
        return Submitted("invalid", False, f"Pick {word}, then send.")
    # Time on the question's own clock: a pause, or the host screen's absence, does not count.
    elapsed_ms = max(int((_clock(room, now) - opened).total_seconds() * 1000), 0) if opened else 0
    inserted = session.scalar(_insert(session).values(
        room_id=room.id, question_index=index, player_id=player.id, choices=sorted(chosen),
        correct=question.is_correct(chosen), elapsed_ms=elapsed_ms, points=0, streak=0, answered_at=now,
    ).on_conflict_do_nothing(index_elements=["room_id", "question_index", "player_id"]).returning(Answer.id))
    if inserted is None:  # a second tap, or the same player on another device, got there first
        session.rollback()
        earlier = session.scalar(select(Answer.choices).where(
            Answer.room_id == room.id, Answer.question_index == index, Answer.player_id == player.id))
        return _already(question, earlier or [])
    if session.get_bind().dialect.name == "sqlite":
        # SQLite has no share lock, and its transaction starts at the INSERT: look again under the write lock.
        phase, current = session.execute(select(Room.phase, Room.current).where(Room.id == room.id)).one()
        if phase != QUESTION or current != index:
            session.rollback()
            return _late()
    session.commit()
    cache_for(session).add_answer(room.code, index, player.id, sorted(chosen))
    letters = ", ".join(question.letter(c) for c in sorted(chosen, key=lambda c: question.letter(c)))
    return Submitted("counted", True, f"Answer {letters} received. Watch the screen for the reveal.")


def _already(question: LiveQuestion, choices: list[str]) -> Submitted:
    letters = ", ".join(sorted(question.letter(c) for c in choices))
    return Submitted("already", True, f"Your answer {letters} was already received; it counts once.")


def _late() -> Submitted:
    return Submitted("late", False, "Time was up before your answer arrived, so it was not counted. "
                                    "Get ready for the next question.")


def _read_snapshot(session: Session, code: str) -> RoomSnapshot:
    """The room, its players and the open question's answers: two queries, whatever the class size."""
    room = room_by_code(session, code)
    row = RoomRow(room.id, room.code, room.title, room.questions, room.time_limit_s, room.phase, room.current,
                  room.opened_at, room.deadline, room.paused_at, room.host_seen_at)
    rows = session.execute(
        select(Player.id, Player.nickname, Player.token, Player.score, Player.streak, Answer.choices, Answer.points)
        .outerjoin(Answer, and_(Answer.player_id == Player.id, Answer.room_id == room.id,
                                Answer.question_index == room.current))
        .where(Player.room_id == room.id)).all()
    session.rollback()  # nothing is written: end the read here, not whenever the caller closes the session
    players = {r[2]: PlayerRow(r[0], r[1], r[2], r[3], r[4]) for r in rows}
    answers = {r[0]: (list(r[5]), r[6] or 0) for r in rows if r[5] is not None}
    return RoomSnapshot(row, players, answers, read_at=0.0)


def _snapshot(session: Session, code: str, max_age_s: float | None = None) -> RoomSnapshot:
    """This replica's snapshot of the room (see ``snapshots``): from memory, or read now if too old."""
    clean = clean_code(code)
    cache = cache_for(session)
    read = functools.partial(_read_snapshot, session, clean)
    return cache.get(clean, read) if max_age_s is None else cache.get(clean, read, max_age_s)


def _questions(snapshot: RoomSnapshot) -> list[LiveQuestion]:
    """The room's questions, parsed once per snapshot rather than once per learner."""
    parsed = snapshot.extras.get("questions")
    if parsed is None:
        parsed = snapshot.extras["questions"] = [LiveQuestion.from_json(q) for q in snapshot.room.questions]
    return parsed


@counted("classroom.learner_view")
def learner_view(session: Session, code: str, token: str, now: datetime | None = None) -> LearnerView:
    """This player's screen. Every learner's device asks every 2 s, so it comes from this replica's
    snapshot of the room (``snapshots.TTL_S`` old at most; this replica's own writes at once)."""
    snapshot = _snapshot(session, code)
    player = snapshot.players.get(token)
    if player is None:  # joined through another replica a moment ago, or not a player here at all
        snapshot = _snapshot(session, code, max_age_s=0.0)
        player = snapshot.players.get(token)
        if player is None:
            raise JoinError("This device is not in that quiz (the link may be from another device, or the room "
                            "was recreated). Join again with your nickname.")
    room = snapshot.room
    now = now or utcnow()
    choices, points = snapshot.answers.get(player.id, (None, None))
    ahead = snapshot.ahead_of(player.score)
    base = dict(code=room.code, title=room.title, phase=room.phase, index=room.current, total=len(room.questions),
                time_limit_s=room.time_limit_s, nickname=player.nickname, players=len(snapshot.players),
                score=player.score, streak=player.streak)
    if room.phase == LOBBY:
        return LearnerView(**base, question=None, remaining_s=None, my_choices=None)
    if room.phase == PODIUM:
        podium = snapshot.extras.get("podium")
        if podium is None:
            podium = snapshot.extras["podium"] = podium_places(_leaderboard(session, room))
        return LearnerView(**base, question=None, remaining_s=None, my_choices=None, rank=ahead + 1, podium=podium)
    question = _questions(snapshot)[room.current]
    my_choices = tuple(choices) if choices is not None else None
    if room.phase == QUESTION:
        return LearnerView(**base, question=question.public(), remaining_s=_remaining(room, now), my_choices=my_choices,
                           paused=_paused(room, now))
    # Reveal: the answer, this player's result and rank; still nothing about anyone else's answer.
    chosen = set(my_choices or ())
    feedback = tuple(f"{question.letter(c.id)}: {c.why}" for c in question.choices if c.correct or c.id in chosen)
    return LearnerView(**base, question=question.public(), remaining_s=None, my_choices=my_choices,
                       correct_ids=tuple(sorted(question.correct_ids)),
                       my_correct=question.is_correct(chosen) if my_choices else False,
                       my_points=points or 0, feedback=feedback, rank=ahead + 1)
