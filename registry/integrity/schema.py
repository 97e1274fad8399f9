"""The JSON Schema (2020-12) of a version as `/api/v1/registry` and
`/api/v1/versions/{n}` return it, served at `/schema/registry.json`.

Objects accept keys beyond those described (`additionalProperties` is left
open): a newer registry may add documented fields, and a customer's validator
must not reject them. Every described field has a description; a test holds
every served version valid against this schema.
"""

from __future__ import annotations

from typing import Any

from registry.enums import ListStyle, Mechanism, PipaRelationship, RecipientRole, SccModule
from registry.integrity.hashing import SCHEMES

SCHEMA_ID = "/schema/registry.json"
HEX64 = {"type": "string", "pattern": "^[0-9a-f]{64}$"}
COUNTRY = {"type": "string", "pattern": "^[A-Z]{2}$", "description": "ISO 3166-1 alpha-2 code."}


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "description": description}


def _texts(description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "string"}, "description": description}


MECHANISM = {
    "type": "object",
    "description": "The legal basis of the transfer to one destination (GDPR Arts. 45-49).",
    "properties": {
        "mechanism": {
            "enum": [m.value for m in Mechanism],
            "description": "eea (no transfer), adequacy (an EU adequacy decision), dpf (EU-US "
            "Data Privacy Framework), scc (Standard Contractual Clauses), bcr (binding corporate "
            "rules), derogation (Art. 49), none (no basis recorded).",
        },
        "scc_module": {
            "enum": [*[m.value for m in SccModule], None],
            "description": "The SCC module when the mechanism is scc: 1 controller to "
            "controller, 2 controller to processor, 3 processor to processor, 4 processor to "
            "controller; null otherwise.",
        },
        "dpf_checked_on": {
            "type": ["string", "null"],
            "description": "The date the recipient's DPF certification was last checked.",
        },
        "note": _text("Free text about this basis (e.g. which derogation)."),
    },
    "required": ["mechanism"],
}

RECIPIENT_PROPERTIES: dict[str, Any] = {
    "slug": _text("A stable identifier of the recipient, unique in the registry."),
    "name": _text("The recipient's legal name."),
    "display_name": _text("The short name the transfer table shows."),
    "services": _texts("The recipient's services (products) that receive the data."),
    "corporate_country": {
        **COUNTRY,
        "description": "Where the recipient is established (ISO code, or empty when unknown).",
        "pattern": "^([A-Z]{2})?$",
    },
    "address": _text("The recipient's postal address."),
    "contact": _text("How to reach the recipient about personal data (URL or address)."),
    "website": _text("The recipient's website."),
    "role": {
        "enum": [r.value for r in RecipientRole],
        "description": "sub_processor (processes customers' data), processor (the company's "
        "own users' data, on its behalf) or third_party.",
    },
    "pipa_relationship": {
        "enum": [r.value for r in PipaRelationship],
        "description": "Under Korea's PIPA: entrustment (Art. 26) or provision to a third party.",
    },
    "destinations": {
        "type": "array",
        "items": COUNTRY,
        "description": "The countries the data goes to (ISO 3166-1 alpha-2).",
    },
    "destination_note": _text("A qualifier of the destinations, e.g. other locations."),
    "mechanisms": {
        "type": "object",
        "description": "Per destination country code, the transfer mechanism.",
        "additionalProperties": MECHANISM,
    },
    "purposes": _texts("Why the data is transferred."),
    "data_categories": _texts("The categories of personal data transferred."),
    "data_subjects": _texts("Whose data it is."),
    "sensitive_data": _text("Sensitive data transferred, if any (empty: none recorded)."),
    "sensitive_safeguards": _text("The safeguards applied to the sensitive data."),
    "retention": _text("How long the recipient keeps the data."),
    "transfer_timing": _text("When the data is transferred (PIPA Art. 28-8(2))."),
    "transfer_method": _text("How the data is transferred (PIPA Art. 28-8(2))."),
    "frequency": _text("How often the data is transferred (SCC Annex I.B)."),
    "processing_nature": _text("The nature of the processing (SCC Annex I.B, Annex III)."),
    "onward_recipients": _text("The recipient's own sub-processors, as text."),
    "refusal_procedure": _text("How a user refuses the transfer (PIPA Art. 28-8(2))."),
    "refusal_consequences": _text("What refusing means for the user."),
    "list_style": {
        "enum": [s.value for s in ListStyle],
        "description": "How lists read in English prose: commas, or series_and.",
    },
    "translations": {
        "type": "object",
        "description": "Per language code (e.g. ko), the translated values of the fields above.",
        "additionalProperties": {"type": "object"},
    },
}

VERSION_PROPERTIES: dict[str, Any] = {
    "version": {"type": "integer", "minimum": 1, "description": "The version's number."},
    "published_at": {
        "type": "string",
        "format": "date-time",
        "description": "When it was published (UTC).",
    },
    "effective_at": {
        "type": "string",
        "format": "date",
        "description": "The day it takes (or took) effect.",
    },
    "summary": _text("What changed, as legal wrote it."),
    "content_hash": {
        **HEX64,
        "description": "SHA-256 (hex) of the version's snapshot "
        "(/api/v1/versions/{n}/snapshot), computed as hash_scheme says.",
    },
    "hash_scheme": {
        "enum": list(SCHEMES),
        "description": "jcs-sha256: SHA-256 of the RFC 8785 canonical JSON of the snapshot, "
        "which links to the previous version; sorted-json-sha256: versions published before.",
    },
    "previous": {
        "description": "The version this one commits to (the newest earlier one not withdrawn "
        "when it was published), or null for the first; absent before the chain began.",
        "oneOf": [
            {"type": "null"},
            {
                "type": "object",
                "properties": {
                    "version": {"type": "integer", "description": "Its number."},
                    "content_hash": {**HEX64, "description": "Its content hash."},
                },
                "required": ["version", "content_hash"],
            },
        ],
    },
    "in_force": {"type": "boolean", "description": "Whether it is the version in force today."},
    "upcoming": {"type": "boolean", "description": "Whether it takes effect in the future."},
    "withdrawn": {"type": "boolean", "description": "Withdrawn before it took effect."},
    "snapshot_url": _text("Where its snapshot (what content_hash covers) is served."),
    "company": {
        "type": "object",
        "description": "The company (the data importer): name, address, contact, activities, "
        "role, data subjects, the supervisory authority and the technical and organisational "
        "measures (Annex II), with translations.",
        "properties": {
            "name": _text("The company's legal name."),
            "address": _text("Its address."),
            "contact_person": _text("Its contact person for data protection."),
            "contact_email": _text("Its privacy contact email."),
            "measures": {"type": "object", "description": "Annex II measures, by heading."},
        },
    },
    "recipients": {
        "type": "array",
        "description": "Every recipient of personal data, in the table's order.",
        "items": {
            "type": "object",
            "properties": RECIPIENT_PROPERTIES,
            "required": ["slug", "name", "destinations", "purposes", "data_categories"],
        },
    },
}


def registry_schema(base_url: str) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{base_url}{SCHEMA_ID}",
        "title": "A version of the subprocessor and transfer registry",
        "description": "As /api/v1/registry, /api/v1/versions/{n} and "
        "/.well-known/subprocessors.json return it. Keys not described here may be added.",
        "type": "object",
        "properties": VERSION_PROPERTIES,
        "required": [
            "version",
            "published_at",
            "effective_at",
            "summary",
            "content_hash",
            "hash_scheme",
            "company",
            "recipients",
        ],
    }
