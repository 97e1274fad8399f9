"""translation sources: each translation bound to the English it translated; Korean summaries

Revision ID: 0007_translation_sources
Revises: 0005
Create Date: 2026-11-29 07:45:00

Existing translations are bound to today's English: they were written against
some English, and the best record of which is that they have stood beside this
one. From now on every change of the English makes its translation stale.
"""

import hashlib
import json
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007_translation_sources"
down_revision: str | None = "0006_roles_company_processing"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _fingerprint(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _leaves(words: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(words, dict):
        for key, value in words.items():
            yield from _leaves(value, f"{prefix}.{key}" if prefix else str(key))
    elif prefix and words not in ("", [], None):
        yield prefix, words


def _value_at(record: Any, path: str) -> Any:
    for part in path.split("."):
        if not isinstance(record, dict):
            return None
        record = record.get(part)
    return record


def _backfill(table: str) -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text(f"SELECT * FROM {table}")).mappings().all()  # noqa: S608
    for row in rows:
        record = {key: _loaded(value) for key, value in row.items()}
        sources: dict[str, dict[str, str]] = {}
        for lang, words in (record.get("translations") or {}).items():
            for path, _value in _leaves(words):
                sources.setdefault(lang, {})[path] = _fingerprint(_value_at(record, path))
        connection.execute(
            sa.text(f"UPDATE {table} SET translation_sources = :sources WHERE id = :id"),  # noqa: S608
            {"sources": json.dumps(sources, ensure_ascii=False), "id": row["id"]},
        )


def _loaded(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def upgrade() -> None:
    with op.batch_alter_table("recipient") as batch_op:
        batch_op.add_column(
            sa.Column("translation_sources", sa.JSON(), nullable=False, server_default="{}")
        )
    with op.batch_alter_table("company") as batch_op:
        batch_op.add_column(
            sa.Column("translation_sources", sa.JSON(), nullable=False, server_default="{}")
        )
    with op.batch_alter_table("registry_version") as batch_op:
        batch_op.add_column(
            sa.Column("translations", sa.JSON(), nullable=False, server_default="{}")
        )
    _backfill("recipient")
    _backfill("company")


def downgrade() -> None:
    with op.batch_alter_table("registry_version") as batch_op:
        batch_op.drop_column("translations")
    with op.batch_alter_table("company") as batch_op:
        batch_op.drop_column("translation_sources")
    with op.batch_alter_table("recipient") as batch_op:
        batch_op.drop_column("translation_sources")
