"""Which recipients act in which role (stand-in: the legal-documents branch brings the real one).

`entries(snapshot, role)` lists the recipient records of a snapshot acting in
`role` ("sub_processor", "processor", "third_party"). Every "which recipients
are sub-processors" question goes through here.
"""

from __future__ import annotations

from typing import Any


def entries(snapshot: dict[str, Any], role: str) -> list[dict[str, Any]]:
    return [r for r in snapshot["recipients"] if r.get("role") == role]
