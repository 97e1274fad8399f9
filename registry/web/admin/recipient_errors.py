"""The recipient form's errors: all of them at once, in words made for each field."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from registry.errors import InvalidInput
from registry.i18n import lazy_gettext as _
from registry.schemas import RecipientIn
from registry.web.form_errors import FormErrors, Message, country, from_invalid, from_validation

#: The summary's links land on the control a person acts on.
ANCHORS = {
    "destinations": "country-filter",
    "data_categories": "f-data_categories",
    "mechanisms": "f-mechanisms",
}

#: "Missing or empty", said for each required field.
REQUIRED = {
    "name": _("Enter the recipient's legal name, as in the contract (e.g. “Auth0, Inc.”)."),
    "destinations": _("Tick at least one country the data is transferred to."),
    "purposes": _("Write at least one purpose of use, one a line."),
    "data_categories": _("Tick or write at least one category of information transferred."),
    "retention": _("Enter how long the recipient keeps the data."),
}


def _explain(loc: tuple[Any, ...], item: dict[str, Any]) -> tuple[str, Message] | None:
    text = str(item.get("msg", ""))
    if loc[:1] == ("mechanisms",) and len(loc) >= 2:
        code = str(loc[1])
        if "scc_module" in text or (len(loc) > 2 and loc[2] == "scc_module"):
            return f"scc_module-{code}", _(
                "Choose the SCC module for %(country)s.", country=country(code)
            )
        if "future" in text or (len(loc) > 2 and loc[2] == "dpf_checked_on"):
            return f"dpf_checked_on-{code}", _(
                "Enter the date the DPF list was checked for %(country)s: today or earlier.",
                country=country(code),
            )
        return f"mechanism-{code}", _(
            "Choose the legal basis for %(country)s.", country=country(code)
        )
    if loc[:1] == ("destinations",) and item.get("type") == "value_error":
        if "twice" in text:
            return "destinations", _("Each country can be ticked once.")
        return "destinations", _("Choose the countries from the list.")
    if loc[:1] == ("corporate_country",) and item.get("type") == "value_error":
        return "corporate_country", _("Choose the country from the list.")
    if not loc and "mechanisms:" in text:
        return "mechanisms", _("A legal basis is recorded for a country that is not ticked.")
    return None


def recipient_errors(values: dict[str, Any]) -> FormErrors:
    """Every error of the posted recipient (empty when it is valid)."""
    try:
        RecipientIn.model_validate(values)
    except ValidationError as error:
        return from_validation(error, messages=REQUIRED, explain=_explain, anchors=ANCHORS)
    return FormErrors(ANCHORS)


def service_errors(error: InvalidInput | Any) -> FormErrors:
    """An error the draft service found (a taken identifier, a rule across fields)."""
    field = str(getattr(error, "field", "slug"))
    if field == "slug" or "slug" in str(getattr(error, "detail", "")):
        errors = FormErrors(ANCHORS)
        errors.add(
            "slug",
            _("A recipient with this identifier already exists: choose another identifier."),
        )
        return errors
    if isinstance(error, InvalidInput):
        return from_invalid(error, ANCHORS)
    errors = FormErrors(ANCHORS)
    errors.add("form", _("The recipient could not be saved; check the fields and try again."))
    return errors
