"""A version's snapshot with everything every regime needs, built from the seeded version 1.

The company's description of its own processing and its SCC options come from
the legal-documents branch (`company.processing`, `company.scc`); until they
are in the snapshot, the tests add them to the frozen data themselves.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from registry.db import read_session
from registry.documents import DocumentMeta
from registry.services import versions
from tests.documents.conftest import no_weasyprint_warnings  # noqa: F401  (autouse: any warning fails)

PROCESSING = {
    "data_subjects": ["Customers' administrators and team members"],
    "data_categories": ["Server command input and output", "Account email address"],
    "sensitive_data": "None: customers are asked not to send special categories of data",
    "sensitive_safeguards": "",
    "frequency": "Continuous, whenever a customer's team uses the service",
    "nature": "Hosting, storage and remote execution of customers' server sessions",
    "purposes": ["Providing the Alpacon service to the customer"],
    "duration": "For the term of the customer's contract, then deleted within 30 days",
}
SCC = {
    "modules": [2, 3],
    "docking": True,
    "clause9_option": 2,
    "notice_days": 30,
    "clause11_option": False,
    "clause13": "established",
    "governing_law": "Ireland",
    "courts": "the courts of Dublin, Ireland",
}
SETTINGS = {
    "uk-addendum": {
        "importer_trading_name": "Alpacon",
        "importer_registration": "C4123456",
        "key_contact_title": "Head of Privacy Engineering",
        "ending_party": "importer",
    },
    "ch-fadp": {
        "scope": "fadp_and_gdpr",
        "governing_law": "Switzerland",
        "courts": "the courts of Zurich, Switzerland",
    },
    "br-anpd": {"designated_party": "importer"},
    "cn-pipl": {
        "volume": "Fewer than 10,000 individuals a year",
        "transmission_method": "HTTPS with TLS 1.2 or later over the internet",
        "pia_date": "2026-10-01",
    },
    "jp-appi": {"importer_country": "US"},
}


def seeded_snapshot(client: Any, number: int = 1) -> tuple[dict[str, Any], DocumentMeta]:
    with read_session(client.app.state.engine) as session:
        version = versions.get_version(session, number)
        meta = DocumentMeta(version.number, version.effective_at, version.content_hash)
        # A copy: snapshot_of's dict is parsed once and shared (read-only) by every reader.
        return copy.deepcopy(versions.snapshot_of(version)), meta


def complete(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot with legal's additions, every setting chosen, every reference verified."""
    full = copy.deepcopy(snapshot)
    full["company"]["processing"] = copy.deepcopy(PROCESSING)
    full["company"]["scc"] = copy.deepcopy(SCC)
    full["regime_settings"] = copy.deepcopy(SETTINGS)
    for entries in full["reference"].values():
        for entry in entries.values():
            if isinstance(entry, dict) and "verified" in entry:
                entry["verified"] = True
    return full


@pytest.fixture
def full(client: Any) -> tuple[dict[str, Any], DocumentMeta]:
    snapshot, meta = seeded_snapshot(client)
    return complete(snapshot), meta
