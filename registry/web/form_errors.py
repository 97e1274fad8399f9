"""Form errors the GOV.UK way: every error at once, each in words made for its field.

A form's handler turns a pydantic `ValidationError` (or one `InvalidInput`)
into `FormErrors`: an ordered mapping from field name to a message, translated
when the page is rendered, plus the id of the control each error links to.
`templates/_macros/forms.html` shows them twice: all together in the error
summary at the top of the page (which takes the focus), and each beside its
field. Validator text and internal codes never reach the page: an error this
module does not know gets a general message naming the field by its label.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from babel.support import LazyProxy
from pydantic import ValidationError

from registry.countries import pycountry_name
from registry.errors import InvalidInput
from registry.i18n import current_language
from registry.i18n import lazy_gettext as _
from registry.labels import field_label

Message = str | LazyProxy


class FormErrors(dict[str, Message]):
    """Field name → message, in the order of the form, and where each error links to."""

    def __init__(self, anchors: Mapping[str, str] | None = None) -> None:
        super().__init__()
        self.anchors = dict(anchors or {})

    def add(self, field: str, message: Message) -> None:
        """The first error of a field is the one shown (GOV.UK: one message a field)."""
        self.setdefault(field, message)

    def anchor(self, field: str) -> str:
        """The id of the control the summary's link for `field` moves to."""
        return self.anchors.get(field, "f-" + field)


#: What each kind of pydantic error means, for any field (`label` is the field's label).
GENERAL: dict[str, Callable[[Any, dict[str, Any]], Message]] = {
    "missing": lambda label, ctx: _("Enter %(field)s.", field=label),
    "string_too_short": lambda label, ctx: _("Enter %(field)s.", field=label),
    "too_short": lambda label, ctx: _("Enter at least one item in %(field)s.", field=label),
    "string_too_long": lambda label, ctx: _(
        "%(field)s must be %(max)s characters or fewer.", field=label, max=ctx.get("max_length")
    ),
    "too_long": lambda label, ctx: _(
        "%(field)s can hold at most %(max)s items.", field=label, max=ctx.get("max_length")
    ),
    "enum": lambda label, ctx: _("Choose one of the options for %(field)s.", field=label),
    "literal_error": lambda label, ctx: _("Choose one of the options for %(field)s.", field=label),
    "date_from_datetime_parsing": lambda label, ctx: _(
        "Enter %(field)s as a date, e.g. 2026-11-29.", field=label
    ),
    "date_parsing": lambda label, ctx: _(
        "Enter %(field)s as a date, e.g. 2026-11-29.", field=label
    ),
    "string_pattern_mismatch": lambda label, ctx: _(
        "%(field)s has characters it cannot hold.", field=label
    ),
    "int_parsing": lambda label, ctx: _("Enter %(field)s as a whole number.", field=label),
}


def _fallback(label: Any) -> Message:
    return _("Check %(field)s: this value cannot be used.", field=label)


def from_validation(
    error: ValidationError,
    *,
    messages: Mapping[str, Message] | None = None,
    explain: Callable[[tuple[Any, ...], dict[str, Any]], tuple[str, Message] | None] | None = None,
    anchors: Mapping[str, str] | None = None,
    label: Callable[[str], Any] | None = None,
) -> FormErrors:
    """Every error of `error`, each as (form field, message).

    `messages` gives a field its own message for "missing or empty"; `explain`
    handles the errors a form knows better (nested fields, model checks),
    answering (field, message) or None to fall through to the general wording.
    """
    errors = FormErrors(anchors)
    for item in error.errors():
        loc = tuple(item.get("loc", ()))
        kind = str(item.get("type", ""))
        explained = explain(loc, dict(item)) if explain else None
        if explained is not None:
            errors.add(*explained)
            continue
        field = str(loc[0]) if loc else "form"
        if messages and field in messages and kind in ("missing", "string_too_short", "too_short"):
            errors.add(field, messages[field])
            continue
        make = GENERAL.get(kind)
        name = (label or lazy_label)(field)
        errors.add(field, make(name, item.get("ctx") or {}) if make else _fallback(name))
    return errors


def from_invalid(error: InvalidInput, anchors: Mapping[str, str] | None = None) -> FormErrors:
    """One service-side error (a duplicate, a rule across fields) for a form."""
    errors = FormErrors(anchors)
    field = error.field.split(".")[0]
    errors.add(field, _fallback(lazy_label(field)))
    return errors


def _country_name(code: str) -> str:
    return pycountry_name(code, current_language())


def country(code: str) -> LazyProxy:
    """A country's name for messages, in the language of the page that shows it."""
    return LazyProxy(_country_name, code, enable_cache=False)


def lazy_label(field: str) -> LazyProxy:
    """A field's label, in the language of the page that shows it."""
    return LazyProxy(field_label, field, enable_cache=False)
