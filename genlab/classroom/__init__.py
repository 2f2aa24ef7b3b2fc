"""Live class quiz, Kahoot style: an instructor hosts a room, learners join with a code and a nickname.

All room state lives in the store (``tables.py``), so the host and the learners may be served by
different app replicas. No streamlit here: the pages in ``app_pages/classroom_*.py`` draw what
these functions return.

* ``codes``: join codes (no look-alike characters), nicknames, join links.
* ``questions``: bank items as live questions (choices), by lesson, objective or ids.
* ``scoring``: the points formula (correctness, speed, streak bonus).
* ``rooms``: the game: create, join, start, answer, reveal, next, finish, host and learner views.
* ``export``: CSV of who answered what (imports pandas, so import it where needed).
* ``host``: the instructor passcode check.  ``qr``: the join link as a PNG.
"""

from genlab.classroom.codes import (
    ClassroomError,
    JoinAddress,
    JoinError,
    clean_code,
    clean_nickname,
    join_address,
    join_url,
)
from genlab.classroom.host import SETUP_INSTRUCTIONS, check_passcode, passcode_configured
from genlab.classroom.questions import LiveQuestion, PublicQuestion, QuestionError, by_ids, for_lesson, for_objective
from genlab.classroom.rooms import (
    DEFAULT_TIME_LIMIT_S,
    EXTEND_S,
    TIME_LIMITS_S,
    HostView,
    Joined,
    LearnerView,
    RoomInfo,
    Standing,
    Submitted,
    create_room,
    extend,
    finish,
    heartbeat,
    host_view,
    join,
    leaderboard,
    learner_view,
    next_question,
    pause,
    podium_places,
    recent_rooms,
    rejoin,
    restart,
    resume,
    reveal,
    start,
    submit,
)
from genlab.classroom.scoring import score

__all__ = [
    "DEFAULT_TIME_LIMIT_S",
    "EXTEND_S",
    "SETUP_INSTRUCTIONS",
    "TIME_LIMITS_S",
    "ClassroomError",
    "HostView",
    "JoinAddress",
    "JoinError",
    "Joined",
    "LearnerView",
    "LiveQuestion",
    "PublicQuestion",
    "QuestionError",
    "RoomInfo",
    "Standing",
    "Submitted",
    "by_ids",
    "check_passcode",
    "clean_code",
    "clean_nickname",
    "create_room",
    "extend",
    "finish",
    "for_lesson",
    "for_objective",
    "heartbeat",
    "host_view",
    "join",
    "join_address",
    "join_url",
    "leaderboard",
    "learner_view",
    "next_question",
    "passcode_configured",
    "pause",
    "podium_places",
    "recent_rooms",
    "rejoin",
    "restart",
    "resume",
    "reveal",
    "score",
    "start",
    "submit",
]
