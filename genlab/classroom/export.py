"""Who answered what: one row per player per asked question, for the instructor's records.

Only questions whose answer has been revealed are exported, so a CSV downloaded mid-question
shows nothing a learner could not already see on the projector.
"""

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from genlab.classroom.rooms import last_revealed, questions_of, room_by_code
from genlab.classroom.tables import Answer, Player

COLUMNS = ["room", "question_no", "question_id", "objective", "question", "nickname", "answer", "correct",
           "seconds", "points", "streak", "total_score"]


def results_frame(session: Session, code: str) -> pd.DataFrame:
    """The results table (columns :data:`COLUMNS`), ordered by question, then nickname."""
    room = room_by_code(session, code)
    questions = questions_of(room)
    last = last_revealed(room)
    players = session.execute(select(Player.id, Player.nickname, Player.score).where(Player.room_id == room.id)
                              .order_by(Player.nickname_key)).all()
    answers = {(a.question_index, a.player_id): a for a in session.scalars(
        select(Answer).where(Answer.room_id == room.id, Answer.question_index <= last))}
    rows = []
    for index in range(last + 1):
        question = questions[index]
        for player_id, nickname, total in players:
            answer = answers.get((index, player_id))
            if answer is None:
                text, correct, seconds, points, streak = "", "no answer", None, 0, 0
            else:
                text = "; ".join(f"{question.letter(c)}: {next(x.text for x in question.choices if x.id == c)}"
                                 for c in sorted(answer.choices, key=question.letter))
                correct = "yes" if answer.correct else "no"
                seconds, points, streak = round(answer.elapsed_ms / 1000, 2), answer.points, answer.streak
            rows.append([room.code, index + 1, question.id, question.objective, question.stem, nickname, text,
                         correct, seconds, points, streak, total])
    return pd.DataFrame(rows, columns=COLUMNS)


def export_csv(session: Session, code: str) -> bytes:
    """The results as UTF-8 CSV (with a byte-order mark, so Excel reads accented nicknames right)."""
    return results_frame(session, code).to_csv(index=False).encode("utf-8-sig")
