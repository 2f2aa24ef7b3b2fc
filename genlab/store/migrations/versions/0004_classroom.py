"""Classroom: live-quiz rooms, players and answers (see genlab/classroom/tables.py)."""

import sqlalchemy as sa
from alembic import op

revision = "0004_classroom"
down_revision = "0001_core"
branch_labels = ("classroom",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classroom_rooms",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(12), nullable=False, unique=True),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("time_limit_s", sa.Integer(), nullable=False),
        sa.Column("phase", sa.String(12), nullable=False),
        sa.Column("current", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "classroom_players",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("room_id", sa.Integer(), sa.ForeignKey("classroom_rooms.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("nickname", sa.String(20), nullable=False),
        sa.Column("nickname_key", sa.String(20), nullable=False),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("streak", sa.Integer(), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("room_id", "nickname_key", name="uq_classroom_players_nickname"),
    )
    op.create_table(
        "classroom_answers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("room_id", sa.Integer(), sa.ForeignKey("classroom_rooms.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("question_index", sa.Integer(), nullable=False),
        sa.Column("player_id", sa.Integer(), sa.ForeignKey("classroom_players.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("choices", sa.JSON(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("elapsed_ms", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("streak", sa.Integer(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("room_id", "question_index", "player_id", name="uq_classroom_answers_once"),
    )
    op.create_index("ix_classroom_answers_player", "classroom_answers", ["player_id"])


def downgrade() -> None:
    op.drop_index("ix_classroom_answers_player", table_name="classroom_answers")
    op.drop_table("classroom_answers")
    op.drop_table("classroom_players")
    op.drop_table("classroom_rooms")
