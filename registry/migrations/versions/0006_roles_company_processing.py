"""roles per service, company processing and SCC options

Revision ID: 0006_roles_company_processing
Revises: 0005
Create Date: 2026-11-29 07:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006_roles_company_processing"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECIPIENT_JSON = ("service_roles", "service_details", "explicit_values")
COMPANY_JSON = ("processing", "scc", "notices")


def upgrade() -> None:
    with op.batch_alter_table("recipient") as batch:
        for name in RECIPIENT_JSON:
            batch.add_column(sa.Column(name, sa.JSON(), nullable=False, server_default="{}"))
        batch.add_column(
            sa.Column(
                "pipa_basis",
                sqlmodel.sql.sqltypes.AutoString(length=32),
                nullable=False,
                server_default="",
            )
        )
        batch.add_column(sa.Column("retention_law", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("adequacy_decision") as batch:
        batch.add_column(sa.Column("source", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("company") as batch:
        for name in COMPANY_JSON:
            batch.add_column(sa.Column(name, sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("adequacy_decision") as batch:
        batch.drop_column("source")
    with op.batch_alter_table("company") as batch:
        for name in COMPANY_JSON:
            batch.drop_column(name)
    with op.batch_alter_table("recipient") as batch:
        for name in (*RECIPIENT_JSON, "pipa_basis", "retention_law"):
            batch.drop_column(name)
