"""The publish form's errors, each said for its field, in the reader's language."""

from __future__ import annotations

from typing import Any

from babel.support import LazyProxy
from pydantic import ValidationError

from registry.errors import Conflict, Incomplete, InvalidInput
from registry.i18n import lazy_gettext as _
from registry.i18n import ngettext
from registry.web.form_errors import FormErrors, Message, from_validation

ANCHORS = {"confirm_audience": "f-confirm_audience", "draft": "diff-h", "checklist": "checklist"}

REQUIRED = {
    "summary": _("Write a summary of the changes: customers read it in the notice."),
}


def _explain(loc: tuple[Any, ...], item: dict[str, Any]) -> tuple[str, Message] | None:
    if loc[:1] == ("effective_at",):
        return "effective_at", _("Enter the date it takes effect, e.g. 2026-12-29.")
    return None


def publish_errors(error: ValidationError) -> FormErrors:
    return from_validation(error, messages=REQUIRED, explain=_explain, anchors=ANCHORS)


def publish_refusal(error: InvalidInput | Conflict | Incomplete) -> FormErrors:
    """What the publication service refused, said for the field it concerns."""
    errors = FormErrors(ANCHORS)
    field = getattr(error, "field", "")
    if field == "effective_at":
        errors.add("effective_at", _("The date it takes effect cannot be in the past."))
    elif field == "short_notice_reason":
        errors.add(
            "short_notice_reason",
            _("Write why this change takes effect sooner than the promised notice period."),
        )
    elif isinstance(error, Incomplete):
        errors.add(
            "checklist",
            _("Not yet: complete what the checklist below names, then publish."),
        )
    elif isinstance(error, Conflict):
        errors.add("draft", _("Nothing to publish: the draft equals the newest version."))
    else:
        errors.add(field or "summary", _("Check this field: the publication was refused."))
    return errors


def publish_unconfirmed(told: dict[str, int]) -> FormErrors:
    errors = FormErrors(ANCHORS)
    people = told.get("subscribers", 0) + told.get("webhooks", 0)
    errors.add(
        "confirm_audience",
        _("Tick the box to confirm that %(count)s will be told.", count=_people(people)),
    )
    return errors


def people(n: int) -> str:
    """ "3 subscribers or webhooks", in the language of the moment."""
    return ngettext("%(num)d subscriber or webhook", "%(num)d subscribers or webhooks", n, num=n)


def _people(n: int) -> LazyProxy:
    return LazyProxy(people, n, enable_cache=False)
