"""Study: each flashcard review keeps the card as it was before, so the latest rating can be undone."""

import sqlalchemy as sa
from alembic import op

revision = "0007_study_undo"
down_revision = "0003_study"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("flashcard_reviews") as batch:
        batch.add_column(sa.Column("card_before", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("was_new", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("flashcard_reviews") as batch:
        batch.drop_column("was_new")
        batch.drop_column("card_before")
