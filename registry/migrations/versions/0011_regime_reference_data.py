"""regime reference data and settings

Revision ID: 0011_regime_reference_data
Revises: 0005
Create Date: 2026-11-29 07:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import registry.models.base

revision: str = "0011_regime_reference_data"
down_revision: str | None = "0010_hash_chain_kept_bytes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "regime_reference",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("countries", sa.JSON(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("verified", sa.Boolean(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("checked_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kind", "key"),
    )
    op.create_index(
        op.f("ix_regime_reference_kind"), "regime_reference", ["kind"], unique=False
    )
    op.create_table(
        "regime_setting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("regime", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column(
            "updated_at", registry.models.base.UTCDateTime(timezone=True), nullable=False
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("regime", "key"),
    )


def downgrade() -> None:
    op.drop_table("regime_setting")
    op.drop_index(op.f("ix_regime_reference_kind"), table_name="regime_reference")
    op.drop_table("regime_reference")
