"""Brazil: the transfer description of the ANPD clauses (Res. CD/ANPD 19/2024, Annex II)."""

from __future__ import annotations

from registry.i18n import lazy_gettext
from registry.regimes import register
from registry.regimes.base import Need, Regime, Setting
from registry.regimes.common import IMPORTER, sub_processors

REGIME = register(
    Regime(
        slug="br-anpd",
        short=lazy_gettext("Brazil"),
        title=lazy_gettext("Brazil: ANPD standard contractual clauses"),
        instrument=lazy_gettext(
            "Standard contractual clauses of Resolution CD/ANPD No. 19/2024, Annex II (LGPD "
            "Art. 33(II)(b))"
        ),
        summary=lazy_gettext(
            "The transfer description the ANPD clauses ask for: parties and roles, the "
            "designated party, purposes, categories of data and storage period."
        ),
        template="documents/regimes/br_anpd.html",
        company=(
            *IMPORTER,
            Need("company.role", lazy_gettext("The company's role (controller/processor)")),
            Need("company.processing.purposes", lazy_gettext("Purposes of the processing")),
            Need(
                "company.processing.data_categories",
                lazy_gettext("Categories of personal data customers send"),
            ),
            Need(
                "company.processing.sensitive_data",
                lazy_gettext("Sensitive data customers send (or that there is none)"),
            ),
            Need("company.processing.duration", lazy_gettext("Duration of the processing")),
        ),
        recipient=(
            Need("destinations", lazy_gettext("The destination countries")),
            Need("purposes", lazy_gettext("The purposes")),
        ),
        settings=(
            Setting(
                "designated_party",
                lazy_gettext(
                    "Designated party (transparency, data subjects' requests, "
                    "incident notification)"
                ),
                choices=(
                    ("exporter", lazy_gettext("Exporter")),
                    ("importer", lazy_gettext("Importer")),
                ),
                kind="choice",
            ),
        ),
        scope=sub_processors,
        languages=("en",),
        exporter=True,
        order=40,
    )
)
