"""The transfer table as CSV: one row per recipient and destination.

UTF-8 with a byte-order mark, so spreadsheet programs open Korean correctly;
CRLF line endings (RFC 4180). Values in the requested language, falling back
to English where no translation is written, as the pages do. Cells that a
spreadsheet would run as a formula (=, +, -, @ first) are prefixed with an
apostrophe (OWASP's CSV injection advice).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from registry.enums import Mechanism, RecipientRole
from registry.i18n import gettext as _
from registry.i18n import language
from registry.presentation import country_name, translated

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _joined(record: dict[str, Any], field: str, lang: str) -> str:
    return "; ".join(translated(record, field, lang) or [])


def _mechanism(record: dict[str, Any], code: str) -> str:
    entry = record.get("mechanisms", {}).get(code) or {}
    value = entry.get("mechanism")
    if not value:
        return ""
    try:
        label = str(Mechanism(value).label)
    except ValueError:
        return str(value)
    module = entry.get("scc_module")
    return f"{label} (Module {module})" if value == Mechanism.SCC and module else label


def _role(record: dict[str, Any]) -> str:
    try:
        return str(RecipientRole(record.get("role", "")).label)
    except ValueError:
        return str(record.get("role", ""))


def transfers_csv(snapshot: dict[str, Any], lang: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    countries = snapshot.get("countries", {})
    with language(lang):
        writer.writerow(
            [
                _("Recipient"),
                _("Service"),
                _("Role"),
                _("Country code"),
                _("Country"),
                _("Transfer mechanism"),
                _("Purposes"),
                _("Data categories"),
                _("Retention"),
            ]
        )
        for record in snapshot.get("recipients", []):
            services = "; ".join(record.get("services") or [])
            for code in record.get("destinations", []):
                row = [
                    record.get("name", ""),
                    services,
                    _role(record),
                    code,
                    country_name(code, countries, lang),
                    _mechanism(record, code),
                    _joined(record, "purposes", lang),
                    _joined(record, "data_categories", lang),
                    translated(record, "retention", lang) or "",
                ]
                writer.writerow([_cell(str(value)) for value in row])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")
