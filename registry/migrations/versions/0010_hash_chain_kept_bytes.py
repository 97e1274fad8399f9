"""hash scheme of each version; the bytes of every message sent

Revision ID: 0010_hash_chain_kept_bytes
Revises: 0005
Create Date: 2026-11-29 07:50:00

Versions published before this revision keep their hashes: they are marked
`sorted-json-sha256`; new versions use RFC 8785 (JCS) and chain to the last one.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import registry.models.base

revision: str = "0010_hash_chain_kept_bytes"
down_revision: str | None = "0007_translation_sources"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("registry_version", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "hash_scheme",
                sqlmodel.sql.sqltypes.AutoString(length=32),
                nullable=False,
                server_default="sorted-json-sha256",
            )
        )
    op.create_table(
        "kept_base",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", registry.models.base.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("kept_base", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kept_base_created_at"), ["created_at"], unique=False)
    op.create_table(
        "kept_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("version_number", sa.Integer(), nullable=True),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("recipient", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("message_id", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("base_id", sa.Integer(), nullable=False),
        sa.Column("delta", sa.LargeBinary(), nullable=False),
        sa.Column("headers", sa.Text(), nullable=False),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("handed_at", registry.models.base.UTCDateTime(), nullable=False),
        sa.Column("replied_at", registry.models.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["base_id"], ["kept_base.id"]),
        sa.ForeignKeyConstraint(["outbox_id"], ["outbox_message.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("kept_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kept_message_base_id"), ["base_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kept_message_handed_at"), ["handed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_kept_message_outbox_id"), ["outbox_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kept_message_sha256"), ["sha256"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_kept_message_version_number"), ["version_number"], unique=False
        )


def downgrade() -> None:
    op.drop_table("kept_message")
    op.drop_table("kept_base")
    with op.batch_alter_table("registry_version", schema=None) as batch_op:
        batch_op.drop_column("hash_scheme")
