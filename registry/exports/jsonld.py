"""A version as JSON-LD, its terms mapped to the W3C Data Privacy Vocabulary (DPV 2).

The context is inline, so the document expands offline. Recipients are
`dpv:DataSubProcessor`, `dpv:DataProcessor` or `dpv:ThirdParty`, each with its
purposes (`dpv:Purpose`), personal data categories (`dpv:PersonalData`) and
destinations (`dpv:Location` with `dpv:hasCountry` a DPV location concept,
`loc:US`); a destination's transfer mechanism becomes the GDPR article DPV's
EU GDPR extension names (`eu-gdpr:A45-3` adequacy, `eu-gdpr:A46-2-c` SCCs,
`eu-gdpr:A46-2-b` binding corporate rules). A derogation (Art. 49) records no
paragraph, so it keeps its label only; a destination in the EEA is no transfer.
"""

from __future__ import annotations

from typing import Any

from registry.enums import Mechanism, RecipientRole

DPV = "https://w3id.org/dpv#"
CONTEXT: dict[str, Any] = {
    "dpv": DPV,
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
    "loc": "https://w3id.org/dpv/loc#",
    "dct": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "name": "schema:name",
    "description": "dct:description",
    "identifier": "dct:identifier",
    "version": "schema:version",
    "published": {"@id": "dct:issued", "@type": "http://www.w3.org/2001/XMLSchema#dateTime"},
    "validFrom": {"@id": "dct:valid", "@type": "http://www.w3.org/2001/XMLSchema#date"},
    "contentHash": "dpv:hasIdentifier",
    "publisher": {"@id": "dct:publisher"},
    "hasRecipient": {"@id": "dpv:hasRecipient", "@container": "@set"},
    "hasPurpose": {"@id": "dpv:hasPurpose", "@container": "@set"},
    "hasPersonalData": {"@id": "dpv:hasPersonalData", "@container": "@set"},
    "hasLocation": {"@id": "dpv:hasLocation", "@container": "@set"},
    "hasCountry": {"@id": "dpv:hasCountry", "@type": "@id"},
    "hasLegalBasis": {"@id": "dpv:hasLegalBasis", "@type": "@id"},
    "countryCode": "schema:addressCountry",
    "services": {"@id": "schema:brand", "@container": "@set"},
}
ROLE_TYPES = {
    RecipientRole.SUB_PROCESSOR: "dpv:DataSubProcessor",
    RecipientRole.PROCESSOR: "dpv:DataProcessor",
    RecipientRole.THIRD_PARTY: "dpv:ThirdParty",
}
LEGAL_BASES = {
    Mechanism.ADEQUACY: "eu-gdpr:A45-3",
    Mechanism.DPF: "eu-gdpr:A45-3",  # Decision 2023/1795 is an adequacy decision
    Mechanism.SCC: "eu-gdpr:A46-2-c",
    Mechanism.BCR: "eu-gdpr:A46-2-b",
}


def _location(record: dict[str, Any], code: str) -> dict[str, Any]:
    location: dict[str, Any] = {"@type": "dpv:Location", "hasCountry": f"loc:{code}"}
    location["countryCode"] = code
    mechanism = (record.get("mechanisms", {}).get(code) or {}).get("mechanism")
    if mechanism in LEGAL_BASES:
        location["hasLegalBasis"] = LEGAL_BASES[Mechanism(mechanism)]
    elif mechanism:
        location["description"] = str(mechanism)
    return location


def _recipient(record: dict[str, Any], base_url: str) -> dict[str, Any]:
    role = record.get("role", "")
    kind = ROLE_TYPES.get(RecipientRole(role)) if role in set(RecipientRole) else None
    return {
        "@id": f"{base_url}/#recipient-{record['slug']}",
        "@type": [kind] if kind else ["dpv:Recipient"],
        "identifier": record["slug"],
        "name": record.get("name", ""),
        "services": list(record.get("services") or []),
        "hasPurpose": [
            {"@type": "dpv:Purpose", "description": text} for text in record.get("purposes", [])
        ],
        "hasPersonalData": [
            {"@type": "dpv:PersonalData", "description": text}
            for text in record.get("data_categories", [])
        ],
        "hasLocation": [_location(record, code) for code in record.get("destinations", [])],
    }


def registry_jsonld(version: Any, snapshot: dict[str, Any], base_url: str) -> dict[str, Any]:
    company = snapshot.get("company", {})
    return {
        "@context": CONTEXT,
        "@id": f"{base_url}/api/v1/versions/{version.number}",
        "@type": "dpv:Process",
        "version": str(version.number),
        "published": version.published_at.isoformat(),
        "validFrom": version.effective_at.isoformat(),
        "contentHash": f"sha256:{version.content_hash}",
        "description": version.summary,
        "publisher": {"@type": "dpv:LegalEntity", "name": company.get("name", "")},
        "hasRecipient": [_recipient(r, base_url) for r in snapshot.get("recipients", [])],
    }
