"""Paper accounts of the simulated exchange: documents and the fill log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "paper_account_documents",
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("doc_kind", sa.String(16), nullable=False),
        sa.Column("doc_key", sa.String(128), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint(
            "account_id", "doc_kind", "doc_key", name="pk_paper_account_documents"
        ),
    )
    op.create_table(
        "paper_account_fills",
        sa.Column("account_id", sa.String(64), nullable=False),
        sa.Column("seq", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("ts_event", sa.BigInteger(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("account_id", "seq", name="pk_paper_account_fills"),
    )
    op.create_index(
        "ix_paper_account_fills_account_id_ts_event",
        "paper_account_fills",
        ["account_id", "ts_event"],
    )


def downgrade() -> None:
    op.drop_table("paper_account_fills")
    op.drop_table("paper_account_documents")
