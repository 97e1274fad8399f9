"""adequacy decisions: their name, decision and scope in other languages

`translations` is {"ko": {"name": ..., "decision": ..., "scope": ...}}, as the
seed's adequacy.toml writes it; a Korean document prints the Korean where it is
written and the English, marked, where it is not.

Revision ID: 0013_adequacy_translations
Revises: 0012_contracts_scopes_onward
Create Date: 2026-12-07 01:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_adequacy_translations"
down_revision: str | None = "0012_contracts_scopes_onward"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("adequacy_decision", schema=None) as batch_op:
        batch_op.add_column(sa.Column("translations", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("adequacy_decision", schema=None) as batch_op:
        batch_op.drop_column("translations")
