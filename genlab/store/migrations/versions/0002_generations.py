"""Generations: one row per image request (metadata; the bytes are files in the data directory)."""

import sqlalchemy as sa
from alembic import op

revision = "0002_generations"
down_revision = "0001_core"
branch_labels = ("generations",)
depends_on = None


def upgrade() -> None:
    op.create_table(
        "generations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("learner_id", sa.Integer(), sa.ForeignKey("learners.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("backend", sa.String(20), nullable=False),
        sa.Column("model", sa.String(100), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("cost_usd", sa.Float(), nullable=False),
        sa.Column("cost_basis", sa.String(20), nullable=True),
        sa.Column("cost_label", sa.Text(), nullable=True),
        sa.Column("usage", sa.JSON(), nullable=True),
        sa.Column("timings", sa.JSON(), nullable=False),
        sa.Column("request_id", sa.String(200), nullable=True),
        sa.Column("revised_prompt", sa.Text(), nullable=True),
        sa.Column("mime", sa.String(40), nullable=False),
        sa.Column("files", sa.JSON(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.Column("error_kind", sa.String(40), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_generations_learner_created", "generations", ["learner_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_generations_learner_created", table_name="generations")
    op.drop_table("generations")
