"""Names of record fields as people read them (diffs, history, conflict pages)."""

from __future__ import annotations

from registry.enums import MeasureHeading, ObjectionStatus
from registry.i18n import gettext as _
from registry.i18n import pgettext


def field_label(name: str) -> str:
    """The label of a recipient, company or user field; the raw name when unknown."""
    labels = {
        "slug": _("Identifier"),
        "name": _("Legal name"),
        "display_name": _("Short name"),
        "services": _("Services used"),
        "corporate_country": _("Country of establishment"),
        "address": _("Address"),
        "contact": _("Privacy contact"),
        "website": _("Website"),
        "role": _("Role"),
        "pipa_relationship": _("Relationship under PIPA"),
        "destinations": _("Destination countries"),
        "destination_note": _("Note on destinations"),
        "mechanisms": _("Transfer mechanisms"),
        "purposes": _("Purposes of use"),
        "data_categories": _("Information transferred"),
        "data_subjects": _("Data subjects"),
        "sensitive_data": _("Sensitive data"),
        "sensitive_safeguards": _("Safeguards for sensitive data"),
        "retention": _("Retention period"),
        "transfer_timing": _("When transferred"),
        "transfer_method": _("How transferred"),
        "frequency": _("Frequency"),
        "processing_nature": _("Nature of the processing"),
        "onward": _("Onward recipients"),
        "onward_recipients": _("Onward recipients (text)"),
        "onward_purposes": _("Purposes of the onward recipients"),
        "onward_list_url": _("Vendor's list of sub-processors"),
        # Inside an onward recipient, Annex I.B and the SCC options (the notices' entries).
        "countries": _("Countries"),
        "purpose": _("Purposes"),
        "list_url": _("Vendor's list of sub-processors"),
        "nature": _("Nature of the processing"),
        "duration": _("Duration of the processing"),
        "modules": _("Modules offered"),
        "docking": _("Clause 7 (docking clause)"),
        "clause9_option": _("Clause 9(a) (use of sub-processors)"),
        "notice_days": _("Notice period in days (Clause 9(a))"),
        "clause11_option": _("Clause 11(a) (redress)"),
        "clause13": _("Clause 13 (supervision)"),
        "governing_law": _("Governing law (Clause 17)"),
        "courts": _("Courts (Clause 18)"),
        "objection": _("How to object, and on what grounds"),
        "after_effective": _("What happens on the effective date if an objection stands"),
        "onward_checked_on": _("List last checked"),
        "refusal_procedure": _("How to refuse"),
        "refusal_consequences": _("What refusing means"),
        "list_style": _("List style"),
        "translations": _("Translations"),
        "regime_settings": _("Settings of the transfer regimes"),
        "translation_sources": _("Translations checked against the English"),
        "status": _("Status"),
        "resolution": _("Resolution"),
        "contact_person": _("Contact person"),
        "contact_email": _("Contact email"),
        "activities": _("Activities"),
        "authority_name": _("Supervisory authority"),
        "authority_address": _("Authority's address"),
        "authority_website": _("Authority's website"),
        "authority_reason": _("Why this authority"),
        "measures": _("Security measures (Annex II)"),
        "email": _("Email"),
        "is_active": pgettext("account", "Active"),
        "summary": _("Summary"),
        "effective_at": _("Takes effect"),
        "content_hash": _("Content hash"),
        "version": _("Version"),
        "mechanism": _("Mechanism"),
        "scc_module": _("SCC module"),
        "dpf_checked_on": _("DPF list checked on"),
        "note": _("Note"),
        "service_roles": _("Role of each service"),
        "service_details": _("What each service does"),
        "pipa_basis": _("Ground of the overseas transfer (PIPA Art. 28-8(1))"),
        "retention_law": _("Law and period behind the retention"),
        "explicit_values": _("Values chosen (none, not applicable)"),
        "processing": _("What customers send (Annex I.B)"),
        "scc": _("SCC options"),
        "notices": _("Notice texts"),
        "other": _("Other locations"),
        "value": _("Value"),
        "set_by": _("Chosen by"),
        "set_on": _("Chosen on"),
        "en": _("English"),
        "ko": _("Korean"),
    }
    if name in labels:
        return labels[name]
    try:
        return MeasureHeading(name).label
    except ValueError:
        return name


def path_label(path: str) -> str:
    """A dotted field path as people read it: "company.measures.certification" is
    "Measures for certification/assurance of processes and products"."""
    parts = [p for p in path.split(".") if p not in ("company", "recipient", "settings")]
    return " · ".join(field_label(part) for part in parts) or path


def action_label(action: str) -> str:
    """What a history record says was done; the raw word when unknown."""
    labels = {
        "create": pgettext("history action", "Created"),
        "update": pgettext("history action", "Changed"),
        "delete": pgettext("history action", "Deleted"),
        "publish": pgettext("history action", "Published"),
        "withdraw": pgettext("history action", "Withdrawn"),
    }
    return labels.get(action, action)


def system_message(message: str, object_type: str) -> str:
    """A history message the registry wrote itself, in the reader's language; "" for one a
    person wrote (shown as their words, quoted)."""
    labels = {
        ("user", "password changed"): pgettext("history message", "Password changed"),
        ("recipient", "retired"): pgettext("history message", "Retired from the draft"),
        ("objection", "objection received"): pgettext("history message", "Objection received"),
        ("objection", "confirmed"): pgettext(
            "history message", "Confirmed by the customer through the emailed link"
        ),
        ("objection_entry", "note"): pgettext("history message", "Internal note"),
        ("objection_entry", "reply"): pgettext("history message", "Reply sent to the customer"),
    }
    return labels.get((object_type, message), "")


def object_type_label(object_type: str) -> str:
    """What kind of thing a history record is about; the raw word when unknown."""
    labels = {
        "company": _("Company details"),
        "objection": _("Objection"),
        "objection_entry": _("Note on an objection"),
        "organisation": _("Organisation"),
        "organisation_contract": _("Organisation's contract"),
        "recipient": _("Recipient"),
        "regime_settings": _("Settings of the transfer regimes"),
        "token": _("API token"),
        "user": _("User"),
        "version": _("Version"),
    }
    return labels.get(object_type, object_type)


def objection_entry_text(kind: str, body: str) -> str:
    """An objection's log entry as people read it: a status change is stored as
    "change_kept: our reasons" and reads "Resolved: change kept, with reasons: our reasons"."""
    if kind != "status":
        return body
    code, _sep, note = body.partition(": ")
    try:
        label = ObjectionStatus(code).label
    except ValueError:
        return body
    return f"{label}: {note}" if note else label


def objection_entry_kind(kind: str) -> str:
    """What an objection's log entry is: a note, a reply, a status change."""
    labels = {
        "note": _("Internal note"),
        "reply": _("Reply emailed"),
        "status": _("Status change"),
    }
    return labels.get(kind, kind)
