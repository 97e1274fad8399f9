"""A regime's document as HTML and PDF, through the documents' one machinery.

The same context as the other documents (`registry.documents.context`), with
the regime, its recipients, legal's settings and the frozen reference data
added; the same Jinja environment, PDF renderer and cache as `/annexes`.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment

from registry.documents import DocumentMeta, Exporter
from registry.documents import _default_environment as default_environment
from registry.documents.context import build_context
from registry.documents.pdf import html_to_pdf
from registry.enums import DocumentKind
from registry.i18n import gettext, language
from registry.integrity.embedded import snapshot_attachments
from registry.regimes.base import Regime


def regime_context(
    regime: Regime,
    snapshot: dict[str, Any],
    meta: DocumentMeta,
    lang: str,
    exporter: Exporter | None = None,
) -> dict[str, Any]:
    context = build_context(DocumentKind.ANNEXES, snapshot, meta, lang, exporter)
    chosen = (snapshot.get("regime_settings") or {}).get(regime.slug) or {}
    context.update(
        kind=regime.slug,
        regime=regime,
        regime_recipients=regime.recipients(snapshot),
        settings={s.key: s.label_of(str(chosen.get(s.key) or "")) for s in regime.settings},
        raw_settings=dict(chosen),
        reference=snapshot.get("reference") or {},
        processing=snapshot["company"].get("processing") or {},
        scc=snapshot["company"].get("scc") or {},
    )
    if regime.context is not None:
        context.update(regime.context(snapshot, lang))
    return context


def render_regime_html(
    regime: Regime,
    snapshot: dict[str, Any],
    meta: DocumentMeta,
    lang: str,
    exporter: Exporter | None = None,
    *,
    env: Environment | None = None,
) -> str:
    env = env or default_environment()
    note = ""
    if lang not in regime.languages:
        # Said in the reader's language; the document itself in the instrument's.
        with language(lang):
            note = gettext(
                "This document is available in English only: it follows the English text "
                "of its legal instrument."
            )
        lang = regime.languages[0]
    with language(lang):
        context = regime_context(regime, snapshot, meta, lang, exporter)
        context["language_note"] = note
        return env.get_template(regime.template).render(**context)


def render_regime_pdf(
    regime: Regime,
    snapshot: dict[str, Any],
    meta: DocumentMeta,
    lang: str,
    exporter: Exporter | None = None,
    *,
    env: Environment | None = None,
) -> bytes:
    html = render_regime_html(regime, snapshot, meta, lang, exporter, env=env)
    identity = "|".join(
        [regime.slug, str(meta.number), meta.content_hash, lang, *(exporter or Exporter()).key()]
    )
    return html_to_pdf(html, identity, snapshot_attachments(snapshot, meta))
