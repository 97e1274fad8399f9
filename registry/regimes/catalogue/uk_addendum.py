"""UK: the International Data Transfer Addendum to the EU SCCs (ICO, B1.0, from 21 March 2022)."""

from __future__ import annotations

from registry.i18n import lazy_gettext
from registry.regimes import register
from registry.regimes.base import Need, Regime, Setting
from registry.regimes.common import IMPORTER

REGIME = register(
    Regime(
        slug="uk-addendum",
        short=lazy_gettext("UK"),
        title=lazy_gettext("UK Addendum to the SCCs"),
        instrument=lazy_gettext(
            "International Data Transfer Addendum to the EU Commission Standard Contractual "
            "Clauses, version B1.0, in force 21 March 2022 (ICO)"
        ),
        summary=lazy_gettext(
            "Tables 1–4 of the ICO's Addendum: the parties, the SCC modules and options, the "
            "appendix information (the SCC annexes of this version) and who may end it."
        ),
        template="documents/regimes/uk_addendum.html",
        company=(
            *IMPORTER,
            Need("company.contact_email", lazy_gettext("The company's contact email")),
            Need("company.scc.modules", lazy_gettext("The SCC modules the annexes complete")),
            Need("company.scc.docking", lazy_gettext("Whether Clause 7 (docking) applies")),
            Need("company.scc.clause9_option", lazy_gettext("The Clause 9(a) option")),
            Need("company.scc.notice_days", lazy_gettext("The Clause 9(a) notice period in days")),
            Need(
                "company.scc.clause11_option", lazy_gettext("Whether the Clause 11 option applies")
            ),
        ),
        settings=(
            Setting(
                "importer_trading_name",
                lazy_gettext("Importer's trading name (if different)"),
                required=False,
            ),
            Setting(
                "importer_registration",
                lazy_gettext("Importer's official registration number"),
                lazy_gettext(
                    "The company number or similar identifier; write “None” if there is none."
                ),
            ),
            Setting(
                "key_contact_title",
                lazy_gettext("Importer's key contact: job title"),
                lazy_gettext("For example “Data Protection Officer”."),
            ),
            Setting(
                "ending_party",
                lazy_gettext(
                    "Which parties may end the Addendum when the approved Addendum changes"
                ),
                choices=(
                    ("importer", lazy_gettext("Importer")),
                    ("exporter", lazy_gettext("Exporter")),
                    ("both", lazy_gettext("Importer and exporter")),
                    ("neither", lazy_gettext("Neither party")),
                ),
                kind="choice",
            ),
        ),
        scope=lambda snapshot: [],  # Table 3 points at the annexes, which list them
        languages=("en",),
        exporter=True,
        order=20,
    )
)
