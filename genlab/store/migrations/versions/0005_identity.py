"""Identity: learner PINs (scrypt hashes), the wrong-PIN counter, and remembered devices.

On its own branch from the core schema, like every feature.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_identity"
down_revision = "0001_core"
branch_labels = ("identity",)
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("learners") as batch:
        batch.add_column(sa.Column("pin_hash", sa.String(200), nullable=True))
        batch.add_column(sa.Column("pin_failures", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("pin_locked_until", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "learner_devices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("learner_id", sa.Integer(), sa.ForeignKey("learners.id", ondelete="CASCADE"), nullable=False),
        sa.Column("token_sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_learner_devices_learner_id", "learner_devices", ["learner_id"])


def downgrade() -> None:
    op.drop_index("ix_learner_devices_learner_id", table_name="learner_devices")
    op.drop_table("learner_devices")
    with op.batch_alter_table("learners") as batch:
        batch.drop_column("pin_locked_until")
        batch.drop_column("pin_failures")
        batch.drop_column("pin_hash")
