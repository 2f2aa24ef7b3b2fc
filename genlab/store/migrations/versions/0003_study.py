"""Study: flashcard schedules and reviews (fsrs), study preferences, quiz attempts and answers."""

import sqlalchemy as sa
from alembic import op

revision = "0003_study"
down_revision = "0001_core"
branch_labels = ("study",)
depends_on = None


def _learner() -> sa.Column:
    return sa.Column("learner_id", sa.Integer(), sa.ForeignKey("learners.id", ondelete="CASCADE"),
                     nullable=False)


def upgrade() -> None:
    op.create_table(
        "study_preferences",
        sa.Column("learner_id", sa.Integer(), sa.ForeignKey("learners.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("desired_retention", sa.Float(), nullable=False),
        sa.Column("new_cards_per_day", sa.Integer(), nullable=False),
    )
    op.create_table(
        "flashcard_states",
        sa.Column("learner_id", sa.Integer(), sa.ForeignKey("learners.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("card_id", sa.String(80), primary_key=True),
        sa.Column("card", sa.JSON(), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("due", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("leech", sa.Boolean(), nullable=False),
        sa.Column("introduced_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_flashcard_states_learner_due", "flashcard_states", ["learner_id", "due"])
    op.create_table(
        "flashcard_reviews",
        sa.Column("id", sa.Integer(), primary_key=True),
        _learner(),
        sa.Column("card_id", sa.String(80), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("state_before", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("log", sa.JSON(), nullable=False),
    )
    op.create_index("ix_flashcard_reviews_learner_time", "flashcard_reviews", ["learner_id", "reviewed_at"])
    op.create_table(
        "quiz_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        _learner(),
        sa.Column("mode", sa.String(20), nullable=False),
        sa.Column("scope", sa.String(80), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("item_ids", sa.JSON(), nullable=False),
        sa.Column("marked", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("time_limit_s", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
    )
    op.create_index("ix_quiz_attempts_learner_started", "quiz_attempts", ["learner_id", "started_at"])
    op.create_table(
        "quiz_answers",
        sa.Column("attempt_id", sa.Integer(), sa.ForeignKey("quiz_attempts.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("item_id", sa.String(80), primary_key=True),
        sa.Column("objective", sa.String(10), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("quiz_answers")
    op.drop_index("ix_quiz_attempts_learner_started", table_name="quiz_attempts")
    op.drop_table("quiz_attempts")
    op.drop_index("ix_flashcard_reviews_learner_time", table_name="flashcard_reviews")
    op.drop_table("flashcard_reviews")
    op.drop_index("ix_flashcard_states_learner_due", table_name="flashcard_states")
    op.drop_table("flashcard_states")
    op.drop_table("study_preferences")
