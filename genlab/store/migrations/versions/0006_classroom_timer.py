"""Classroom: a question's clock that stops when the host pauses it or the host screen goes away."""

import sqlalchemy as sa
from alembic import op

revision = "0006_classroom_timer"
down_revision = "0004_classroom"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("classroom_rooms") as batch:
        batch.add_column(sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("host_seen_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("classroom_rooms") as batch:
        batch.drop_column("host_seen_at")
        batch.drop_column("paused_at")
