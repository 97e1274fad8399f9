"""The one Jinja environment (autoescaping) for pages, emails and documents.

Filters and globals are registered here and nowhere else.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_context,
    select_autoescape,
)

from registry import i18n, korean, legal_text, presentation
from registry.countries import search_terms
from registry.enums import (
    ExplicitValue,
    MeasureHeading,
    Mechanism,
    ObjectionStatus,
    OutboxStatus,
    PipaBasis,
    PipaRelationship,
    RecipientRole,
    SccModule,
)
from registry.labels import (
    action_label,
    field_label,
    object_type_label,
    objection_entry_kind,
    objection_entry_text,
    path_label,
    system_message,
)
from registry.notices import changeview
from registry.notices.entryview import entry_lines
from registry.services.completeness import is_overseas
from registry.services.roles import roles_of
from registry.timefmt import readable_time

TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"


def enum_label(enum_class: type[Any], value: Any) -> str:
    if value in (None, ""):
        return ""
    try:
        return str(enum_class(value).label)
    except ValueError:
        return str(value)


def build_environment(templates_dir: Path = TEMPLATES_DIR) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=select_autoescape(["html", "xml", "txt", "j2"], default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext, ngettext=i18n.ngettext, pgettext=i18n.pgettext, newstyle=True
    )
    env.filters.update(
        {
            "recipient_cell": presentation.recipient_cell,
            "destinations_cell": presentation.destinations_cell,
            "destination_names": presentation.destination_names,
            "purposes_cell": presentation.purposes_cell,
            "categories_cell": presentation.categories_cell,
            "prose_list": presentation.prose_list,
            "country_name": presentation.country_name,
            "tr": pass_context(presentation.translated_marked),
            "is_fallback": presentation.is_fallback,
            "tr_item": presentation.translated_item,
            "is_item_fallback": presentation.is_item_fallback,
            "long_date": presentation.long_date,
            "medium_date": presentation.medium_date,
            "short_hash": presentation.short_hash,
            "role_label": lambda v: enum_label(RecipientRole, v),
            "pipa_label": lambda v: enum_label(PipaRelationship, v),
            "mechanism_label": lambda v: enum_label(Mechanism, v),
            "scc_module_label": lambda v: enum_label(SccModule, v),
            "field_label": field_label,
            "action_label": action_label,
            "system_message": system_message,
            "country_search_terms": search_terms,
            "object_type_label": object_type_label,
            "path_label": path_label,
            "explicit_label": lambda v: enum_label(ExplicitValue, v),
            "pipa_basis_label": lambda v: enum_label(PipaBasis, v),
            "objection_status_label": lambda v: enum_label(ObjectionStatus, v),
            "outbox_status_label": lambda v: enum_label(OutboxStatus, v),
            "objection_entry_text": objection_entry_text,
            "objection_entry_kind": objection_entry_kind,
            "roles_of": roles_of,
            "transfer_basis": legal_text.transfer_basis,
            "roles_text": legal_text.roles_text,
            "is_overseas": is_overseas,
            "change_value": changeview.change_value,
            "entry_lines": entry_lines,
            "josa": korean.josa,
            "underline": presentation.underline,
            "summary_text": presentation.summary_text,
            "summary_is_fallback": presentation.summary_is_fallback,
            "readable_time": readable_time,
        }
    )
    env.tests["overseas"] = is_overseas
    env.globals["readable_fields"] = changeview.READABLE_FIELDS
    env.globals["objection_text"] = legal_text.objection_text
    env.globals["after_effective_text"] = legal_text.after_effective_text
    env.globals.update(
        {
            "current_language": i18n.current_language,
            "query_for_language": presentation.query_for_language,
            "LANGUAGES": i18n.LANGUAGES,
            "MeasureHeading": MeasureHeading,
        }
    )
    return env
