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

from genlab.classroom.codes import ClassroomError, JoinError, clean_code, clean_nickname, join_url
from genlab.classroom.host import SETUP_INSTRUCTIONS, check_passcode, passcode_configured
from genlab.classroom.questions import LiveQuestion, PublicQuestion, QuestionError, by_ids, for_lesson, for_objective
from genlab.classroom.rooms import (
    DEFAULT_TIME_LIMIT_S,
    TIME_LIMITS_S,
    HostView,
    Joined,
    LearnerView,
    RoomInfo,
    Standing,
    Submitted,
    create_room,
    finish,
    host_view,
    join,
    leaderboard,
    learner_view,
    next_question,
    recent_rooms,
    rejoin,
    reveal,
    start,
    submit,
)
from genlab.classroom.scoring import score

__all__ = [
    "DEFAULT_TIME_LIMIT_S",
    "SETUP_INSTRUCTIONS",
    "TIME_LIMITS_S",
    "ClassroomError",
    "HostView",
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
    "finish",
    "for_lesson",
    "for_objective",
    "host_view",
    "join",
    "join_url",
    "leaderboard",
    "learner_view",
    "next_question",
    "passcode_configured",
    "recent_rooms",
    "rejoin",
    "reveal",
    "score",
    "start",
    "submit",
]
