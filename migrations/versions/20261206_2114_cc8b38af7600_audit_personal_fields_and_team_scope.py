"""audit personal fields and team scope

Revision ID: cc8b38af7600
Revises: 9a8658a73231
Create Date: 2026-12-06 21:14:31.684803+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "cc8b38af7600"
down_revision: str | Sequence[str] | None = "9a8658a73231"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The teams' own work recorded before events carried `team_private` (their hashes do not cover the flag).
TEAM_ACTIONS = (
    "submission.create",
    "submission.update",
    "submission.terms",
    "submission.lead",
    "submission.cover",
    "submission.cover.remove",
)
TEAM_ACTION_PREFIXES = (
    "submission.invite",
    "submission.member.",
    "submission.join-request.",
    "submission.attachment.",
    "team-finder.",
)


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team_private", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("personal", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("personal_salts", sa.JSON(), nullable=True))
    events = sa.table("audit_events", sa.column("action", sa.String()), sa.column("team_private", sa.Boolean()))
    op.execute(
        events.update()
        .where(
            sa.or_(
                events.c.action.in_(TEAM_ACTIONS),
                *(events.c.action.startswith(prefix, autoescape=True) for prefix in TEAM_ACTION_PREFIXES),
            )
        )
        .values(team_private=sa.true())
    )


def downgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("personal_salts")
        batch_op.drop_column("personal")
        batch_op.drop_column("team_private")
