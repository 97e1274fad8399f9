"""The transfer regimes: one dataset, the document each law expects, and what each still lacks.

Each regime is one module in `registry/regimes/catalogue/` that builds a
`Regime` and passes it to `register`, and one template under
`templates/documents/regimes/`. Modules there are found at first use, so adding
a regime touches nothing else: the routes (`/documents/{slug}`), the documents
page, the API (`/api/v1/versions/{n}/regimes`) and the admin read this list.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from typing import Any

from registry.errors import NotFound
from registry.regimes.base import Gap, Need, Regime, Setting

__all__ = ["Gap", "Need", "Regime", "Setting", "all_regimes", "get", "register", "reports"]

_REGIMES: dict[str, Regime] = {}
_loaded = threading.Event()
_lock = threading.Lock()


def register(regime: Regime) -> Regime:
    """Declare a regime (called by each catalogue module at import); the slug must be new."""
    existing = _REGIMES.get(regime.slug)
    if existing is not None and existing is not regime:
        raise ValueError(f"Regime {regime.slug!r} is declared twice")
    _REGIMES[regime.slug] = regime
    return regime


def _discover() -> None:
    if _loaded.is_set():
        return
    with _lock:
        if _loaded.is_set():
            return
        from registry.regimes import catalogue

        for module in pkgutil.iter_modules(catalogue.__path__):
            importlib.import_module(f"{catalogue.__name__}.{module.name}")
        _loaded.set()


def all_regimes() -> list[Regime]:
    """Every declared regime, in the order the documents page shows them."""
    _discover()
    return sorted(_REGIMES.values(), key=lambda r: (r.order, r.slug))


def get(slug: str) -> Regime:
    """The regime named `slug`; 404 naming the known ones otherwise."""
    _discover()
    regime = _REGIMES.get(slug)
    if regime is None:
        known = ", ".join(r.slug for r in all_regimes())
        raise NotFound(f"No regime {slug!r}; the regimes are: {known}")
    return regime


def reports(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    """Per regime: complete or not, and what is missing (the API's answer)."""
    return [regime.report(snapshot) for regime in all_regimes()]
