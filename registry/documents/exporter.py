"""The lawyer's side of a document's context: the SCC module and options, Annex I.B, I.C.

`exporter_role`, `exporter_country` and `exporter_region` (Germany's Land)
choose the module and the competent supervisory authority; the company's
`processing` and `scc` content fills Annex I.B and the options the Clauses
leave open.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from registry.countries import UnknownCountry, normalise_code
from registry.errors import InvalidInput
from registry.services.authorities import authority_for, regions
from registry.services.mechanisms import EEA
from registry.services.roles import entries

EXPORTER_ROLES = ("", "controller", "processor")
#: What an empty `scc` (a version published before it existed) reads as.
SCC_DEFAULTS: dict[str, Any] = {
    "modules": [2, 3],
    "docking": True,
    "clause9_option": 2,
    "notice_days": 30,
    "clause11_option": False,
    "clause13": "",
    "governing_law": "",
    "courts": "",
}


def read_legal_params(params: Mapping[str, str | None]) -> dict[str, str]:
    """`exporter_role`, `exporter_country`, `exporter_region`: 400 naming the field when wrong."""
    role = (params.get("exporter_role") or "").strip().lower()
    if role not in EXPORTER_ROLES:
        raise InvalidInput("exporter_role", "must be controller or processor")
    raw_country = (params.get("exporter_country") or "").strip()
    country = ""
    if raw_country:
        if len(raw_country) > 3:
            raise InvalidInput("exporter_country", "must be an ISO 3166-1 country code")
        try:
            country = normalise_code(raw_country)
        except UnknownCountry as error:
            raise InvalidInput("exporter_country", str(error)) from None
    region = (params.get("exporter_region") or "").strip().upper().removeprefix(f"{country}-")
    if region:
        known = {a.region for a in regions(country)} if country else set()
        if region not in known:
            raise InvalidInput("exporter_region", "is not a region with its own authority")
    return {
        "role": "processor" if role == "processor" else role,
        "country": country,
        "region": region,
    }


def legal_context(snapshot: dict[str, Any], exporter: Any, lang: str) -> dict[str, Any]:
    """Module, options, Annex I.B's two parts and I.C's authority, for the annex templates."""
    company = snapshot["company"]
    processing = company.get("processing") or {}
    words = (company.get("translations") or {}).get(lang, {}).get("processing", {})
    shown = {
        field: (words.get(field) if lang != "en" and words.get(field) else value)
        for field, value in processing.items()
    }
    module = 3 if exporter.role == "processor" else 2
    authority = (
        authority_for(exporter.country, exporter.region or None) if exporter.country else None
    )
    return {
        "module": module,
        "scc": SCC_DEFAULTS | (company.get("scc") or {}),
        "processing": shown,
        "onward": entries(snapshot, "sub_processor"),
        "authority": authority,
        "exporter_in_eea": exporter.country in EEA,
        "exporter_regions": regions(exporter.country) if exporter.country else [],
    }


def exporter_choices(lang: str) -> dict[str, Any]:
    """The sales form's choices: countries with an authority (by name), and Germany's Länder."""
    from registry.countries import pycountry_name
    from registry.services.authorities import load_authorities

    codes = sorted({a.country for a in load_authorities()})
    named = sorted(((code, pycountry_name(code, lang)) for code in codes), key=lambda c: c[1])
    return {"exporter_countries": named, "exporter_regions": regions("DE")}
