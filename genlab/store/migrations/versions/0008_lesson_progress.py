"""Lessons: which sections each learner has read (see genlab/lessons/tables.py)."""

import sqlalchemy as sa
from alembic import op

revision = "0008_lesson_progress"
down_revision = "0001_core"
branch_labels = ("lessons",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lesson_sections_read",
        sa.Column("learner_id", sa.Integer(), sa.ForeignKey("learners.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("lesson_slug", sa.String(80), primary_key=True),
        sa.Column("section", sa.Integer(), primary_key=True),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("lesson_sections_read")
