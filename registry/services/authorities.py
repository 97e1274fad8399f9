"""The EEA's supervisory authorities (reference data in seed/authorities.toml).

Annex I.C names the exporter's authority when its country is known; Germany's
is chosen by Land.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

AUTHORITIES_FILE = Path(__file__).resolve().parents[2] / "seed" / "authorities.toml"


@dataclass(frozen=True)
class Authority:
    country: str
    name: str
    address: str
    website: str
    region: str = ""
    region_name: str = ""


@lru_cache(maxsize=4)
def load_authorities(path: Path = AUTHORITIES_FILE) -> tuple[Authority, ...]:
    with path.open("rb") as handle:
        rows = tomllib.load(handle).get("authority", [])
    return tuple(Authority(**row) for row in rows)


def regions(country: str) -> list[Authority]:
    """The authorities of a country organised by region (Germany's Länder), else []."""
    return [a for a in load_authorities() if a.country == country.upper() and a.region]


def authority_for(country: str, region: str | None = None) -> Authority | None:
    """The competent authority of an exporter in `country` (and `region`, for Germany).

    None when the country has none listed (outside the EEA) or, for a country
    listed by region, when the region is not given or unknown.
    """
    code = (country or "").strip().upper()
    wanted = (region or "").strip().upper().removeprefix(f"{code}-")
    candidates = [a for a in load_authorities() if a.country == code]
    if not candidates:
        return None
    if any(a.region for a in candidates):
        return next((a for a in candidates if a.region == wanted), None)
    return candidates[0]
