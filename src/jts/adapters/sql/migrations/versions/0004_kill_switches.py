"""The kill switch of each account.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kill_switches",
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("engaged", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(16)),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("engaged_by", sa.String(128), nullable=False),
        sa.Column("engaged_at_ns", sa.BigInteger()),
        sa.Column("released_at_ns", sa.BigInteger()),
        sa.Column("released_by", sa.String(128), nullable=False),
        sa.Column("release_reason", sa.Text(), nullable=False),
        sa.Column("updated_ns", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", name="pk_kill_switches"),
    )


def downgrade() -> None:
    op.drop_table("kill_switches")
