"""Optimization runs and their trials.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "optimization_runs",
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("created_ns", sa.BigInteger(), nullable=False),
        sa.Column("strategy", sa.String(128), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("objective", sa.String(64), nullable=False),
        sa.Column("best_parameters", sa.Text(), nullable=False),
        sa.Column("best_score", sa.Float()),
        sa.Column("trial_count", sa.Integer(), nullable=False),
        sa.Column("deflated_sharpe", sa.Float()),
        sa.Column("pbo", sa.Float()),
        sa.Column("document", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", name="pk_optimization_runs"),
    )
    op.create_index(
        "ix_optimization_runs_strategy_created_ns",
        "optimization_runs",
        ["strategy", "created_ns"],
    )
    op.create_table(
        "optimization_trials",
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("trial_no", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("parameters", sa.Text(), nullable=False),
        sa.Column("score", sa.Float()),
        sa.Column("objective", sa.Float()),
        sa.Column("trades", sa.Integer(), nullable=False),
        sa.Column("violation", sa.Text()),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["optimization_runs.run_id"],
            name="fk_optimization_trials_run_id_optimization_runs",
        ),
        sa.PrimaryKeyConstraint("run_id", "trial_no", name="pk_optimization_trials"),
    )


def downgrade() -> None:
    op.drop_table("optimization_trials")
    op.drop_index("ix_optimization_runs_strategy_created_ns", table_name="optimization_runs")
    op.drop_table("optimization_runs")
