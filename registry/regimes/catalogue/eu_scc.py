"""EU: the SCC Annexes I–III (Commission Implementing Decision (EU) 2021/914)."""

from __future__ import annotations

from collections.abc import Iterator

from registry.i18n import lazy_gettext
from registry.regimes import register
from registry.regimes.base import Gap, Need, Regime, Snapshot
from registry.regimes.common import (
    ANNEX_III,
    IMPORTER,
    PROCESSING,
    SCC_OPTIONS,
    measures_gaps,
    mechanism_gaps,
    sub_processors,
)


def _check(snapshot: Snapshot) -> Iterator[Gap]:
    yield from measures_gaps(snapshot)
    yield from mechanism_gaps(sub_processors(snapshot))


REGIME = register(
    Regime(
        slug="eu-scc",
        short=lazy_gettext("EU SCC"),
        title=lazy_gettext("SCC Annexes I–III"),
        instrument=lazy_gettext(
            "Standard Contractual Clauses, Commission Implementing Decision (EU) 2021/914"
        ),
        summary=lazy_gettext(
            "Parties, description of the transfer, supervisory authority, technical and "
            "organisational measures and the list of sub-processors."
        ),
        template="documents/regimes/eu_scc.html",
        company=(
            *IMPORTER,
            Need("company.activities", lazy_gettext("The company's activities")),
            Need("company.role", lazy_gettext("The company's role (controller/processor)")),
            Need("company.authority_name", lazy_gettext("The competent supervisory authority")),
            *PROCESSING,
            *SCC_OPTIONS,
        ),
        recipient=ANNEX_III,
        scope=sub_processors,
        check=_check,
        exporter=True,
        order=10,
    )
)
