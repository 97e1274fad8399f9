"""`registry export` / `registry import`: the whole registry as JSON, round-trip exact.

Every table the models define (drafts, versions with their snapshots and
hashes, the change log, users, subscribers, and whatever later tables join
them) is written row by row in primary-key order. Import refuses a file from
another schema revision with a clear message, and writes into an empty
registry (or, with replace, one it empties first), all in one transaction.
What it checks first (manifest, rows, hashes, which tables) is in import_checks.
"""

from __future__ import annotations

import base64
import json
from datetime import date, datetime
from enum import Enum
from typing import Any

from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Table, func, select, text
from sqlmodel import SQLModel

import registry.models  # noqa: F401  (every table on the metadata)
from registry.errors import Conflict, InvalidInput
from registry.migrate import alembic_config
from registry.models.base import utcnow
from registry.services import import_checks

FORMAT = "registry-export"
FORMAT_VERSION = 1


def head_revision() -> str:
    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())


def _encode(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes):  # kept message bytes: base64 in the JSON
        return base64.b64encode(value).decode("ascii")
    return value


def _tables() -> list[Table]:
    return list(SQLModel.metadata.sorted_tables)


def export_registry(connection: Connection) -> dict[str, Any]:
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _tables():
        rows = connection.execute(select(table).order_by(*table.primary_key.columns)).mappings()
        tables[table.name] = [{k: _encode(v) for k, v in row.items()} for row in rows]
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_revision": head_revision(),
        "exported_at": utcnow().isoformat(),
        "manifest": import_checks.manifest(tables),
        "tables": tables,
    }


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    for name, value in row.items():
        column = table.columns.get(name)
        if column is None:
            raise InvalidInput(f"tables.{table.name}", f"unknown column {name!r}")
        try:
            python_type = column.type.python_type
        except NotImplementedError:
            python_type = object
        if isinstance(value, str) and python_type is datetime:
            value = datetime.fromisoformat(value)
        elif isinstance(value, str) and python_type is date:
            value = date.fromisoformat(value)
        elif isinstance(value, str) and python_type is bytes:
            value = base64.b64decode(value, validate=True)
        decoded[name] = value
    return decoded


def check_file(data: Any) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInput("format", "this is not a registry export")
    if data.get("format_version") != FORMAT_VERSION:
        raise InvalidInput("format_version", f"unsupported format {data.get('format_version')!r}")
    revision = data.get("schema_revision")
    head = head_revision()
    if revision != head:
        known = {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
        if revision not in known:
            raise InvalidInput(
                "schema_revision",
                f"the file comes from a newer registry (schema {revision}; this one is {head}): "
                "upgrade registry before importing it",
            )
        raise InvalidInput(
            "schema_revision",
            f"the file comes from an older schema ({revision}; this one is {head}): import it "
            "with the registry version that wrote it, migrate, then export again",
        )
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise InvalidInput("tables", "missing")
    known_tables = {t.name for t in _tables()}
    unknown = set(tables) - known_tables
    if unknown:
        raise InvalidInput("tables", f"unknown tables: {', '.join(sorted(unknown))}")
    return tables


def import_registry(
    connection: Connection, data: Any, *, replace: bool = False, with_accounts: bool = False
) -> dict[str, int]:
    """Load an export into this database; returns rows per table.

    Sessions and login attempts are never loaded; users and API tokens only
    `with_accounts` (else this registry's own accounts stay as they are).
    """
    tables = check_file(data)
    import_checks.check_manifest(data, tables)
    tables = import_checks.selected_tables(tables, with_accounts=with_accounts)
    kept = set() if with_accounts else import_checks.ACCOUNT_TABLES
    targets = [t for t in _tables() if t.name not in kept]
    if replace:
        for table in reversed(targets):
            connection.execute(table.delete())
    else:
        for table in targets:
            if table.name in import_checks.NEVER_IMPORTED:
                continue
            if connection.execute(select(func.count()).select_from(table)).scalar():
                raise Conflict(
                    f"The registry is not empty (table {table.name} has rows): "
                    "import into a new database, or pass --replace to overwrite it"
                )
    counts: dict[str, int] = {}
    for table in targets:
        rows = tables.get(table.name, [])
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise InvalidInput(f"tables.{table.name}", "must be a list of rows")
        decoded = [_decode(table, row) for row in rows]
        for index, row in enumerate(decoded):
            import_checks.check_row(table.name, index, row)
        if decoded:
            connection.execute(table.insert(), decoded)
        counts[table.name] = len(rows)
    if connection.dialect.name == "postgresql":
        _reset_sequences(connection)
    return counts


def _reset_sequences(connection: Connection) -> None:
    for table in _tables():
        for column in table.primary_key.columns:
            if column.autoincrement is True or (
                column.autoincrement == "auto" and column.type.python_type is int
            ):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "  # noqa: S608
                        f"COALESCE(MAX({column.name}), 1), MAX({column.name}) IS NOT NULL) "
                        f'FROM "{table.name}"'
                    )
                )
