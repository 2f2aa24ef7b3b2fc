"""Kahoot-style points: correctness first, then speed, plus a bonus for an answer streak.

The formula (also in deploy/README.md and on the host page):

* A wrong answer, or no answer, scores **0** and resets the streak to 0.
* A correct answer scores ``round(1000 * (1 - (t / T) / 2))``: Kahoot's published
  "points = 1000 x (1 - (response time / question timer) / 2)". An instant answer earns 1000 and
  one at the buzzer 500, so being right always beats being fast.
  Here ``t`` is the seconds from the question opening to the answer reaching the server, less a
  **screen delay** of 2 s (learners' screens refresh every 2 s, so a question reaches some phones up
  to 2 s after others; nobody loses points for that), never below 0; ``T`` is the time limit less
  the same 2 s. With a 20 s limit: answered within 2 s = 1000, at 11 s = 750, at 20 s = 500.
* The **streak** counts consecutive correct answers, this one included. From the second one on
  it adds ``100 * (streak - 1)`` points, capped at **500** (streak 2: +100, streak 6 and up: +500).
* A multi-select question is all-or-nothing: exactly the correct choices, as on the exam.

The leaderboard ranks by total points; players with equal points share a rank ("1, 2, 2, 4").
"""

from dataclasses import dataclass

MAX_POINTS = 1000
STREAK_STEP = 100
STREAK_CAP = 500
#: Learners' screens refresh this often (seconds); the same head start is granted to everyone.
SCREEN_DELAY_S = 2.0


def speed_points(elapsed_s: float, time_limit_s: float, screen_delay_s: float = SCREEN_DELAY_S) -> int:
    """Points for a correct answer given ``elapsed_s`` of ``time_limit_s`` (500 to 1000)."""
    window = max(time_limit_s - screen_delay_s, 1.0)
    fraction = min(max((elapsed_s - screen_delay_s) / window, 0.0), 1.0)
    return round(MAX_POINTS * (1 - fraction / 2))


def streak_bonus(streak: int) -> int:
    """Bonus for the ``streak``-th correct answer in a row (0 for the first)."""
    return min(STREAK_STEP * max(streak - 1, 0), STREAK_CAP)


@dataclass(frozen=True)
class Scored:
    points: int
    streak: int


def score(correct: bool, elapsed_s: float, time_limit_s: float, previous_streak: int) -> Scored:
    """Points and the new streak for one player on one question (``correct=False`` for no answer)."""
    if not correct:
        return Scored(0, 0)
    streak = previous_streak + 1
    return Scored(speed_points(elapsed_s, time_limit_s) + streak_bonus(streak), streak)


def competition_ranks(scores: list[int]) -> list[int]:
    """Ranks for scores already sorted high to low; ties share a rank: [900, 800, 800, 10] -> [1, 2, 2, 4]."""
    ranks: list[int] = []
    for i, value in enumerate(scores):
        ranks.append(ranks[-1] if i and value == scores[i - 1] else i + 1)
    return ranks
