"""The public side of objections: the form, its submission, the confirmation link."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, Parameter

from registry.errors import Conflict, InvalidInput, NotFound
from registry.i18n import gettext as _
from registry.i18n import language
from registry.services import objection_limits, objections, versions
from registry.services.objection_mail import Mailer
from registry.web.deps import DB, Lang, WriteDB, provide_lang, provide_write_db
from registry.web.inputs import positive_id

PATH_NEW = "/objections/new"
PATH_SUBMIT = "/objections"
PATH_CONFIRM = "/objections/confirm/{token:str}"
FIELDS = ("recipient", "reason", "contact_email", "contact_name", "organisation")
FormData = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]


def field_message(field: str, lang: str) -> str:
    """What to do about one field of the public objection form, in the reader's language
    (the service words its errors for the API, in English)."""
    with language(lang):
        messages = {
            "reason": _("Write why you object: legal reads it before answering."),
            "contact_email": _("Enter your email address, e.g. name@example.com."),
            "contact_name": _("Shorten your name to at most 200 characters."),
            "organisation": _("Shorten your organisation's name to at most 200 characters."),
            "recipient": _("Choose a recipient from the list, or the change as a whole."),
        }
        return messages.get(field, _("Check this field: this value cannot be used."))


def _page(
    state: State, lang: str, template: str, status: int = 200, **context: Any
) -> Response[str]:
    with language(lang):
        html = state.templates.get_template(template).render(lang=lang, **context)
    return Response(html, status_code=status, media_type="text/html")


class ObjectionController(Controller):
    include_in_schema = False
    dependencies = {
        "lang": Provide(provide_lang, sync_to_thread=False),
        "write_db": Provide(provide_write_db),
    }

    def _form(
        self,
        state: State,
        db: Any,
        lang: str,
        number: int,
        *,
        token: str = "",
        values: dict[str, str] | None = None,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> Response[str]:
        version = versions.get_version(db, number)
        snapshot = versions.snapshot_of(version)
        return _page(
            state,
            lang,
            "public/objection_form.html",
            status,
            version=version,
            window=objections.window(version, withdrawn=version.number in versions.withdrawals(db)),
            token=token,
            recipients=snapshot["recipients"],
            values=values or {},
            errors=errors or {},
            company_email=snapshot["company"].get("contact_email", ""),
            # The notice's link names its recipient: they are not asked for it again.
            identified=objections.token_email(state.secret_key, version.number, token),
        )

    @get(PATH_NEW, sync_to_thread=True)
    def new(
        self,
        state: State,
        db: DB,
        lang: Lang,
        version: int | None = Parameter(default=None, ge=1, le=2_147_483_647),
        recipient: str = Parameter(default="", max_length=64),
        t: str = Parameter(default="", max_length=300),
    ) -> Response[str]:
        """The objection form for one version (or why its window has closed). Without a
        version (a shortened or hand-typed link), the next change to take effect, else the
        version in force: a page, never the raw 400 of a missing parameter."""
        if version is None:
            line = versions.timeline(db)
            version = line.upcoming[0][0] if line.upcoming else line.in_force
            if version is None:
                raise NotFound("No version has been published yet")
        return self._form(state, db, lang, version, token=t, values={"recipient": recipient})

    @post(PATH_SUBMIT, sync_to_thread=True, status_code=200)
    def submit(
        self,
        request: Request[Any, Any, Any],
        state: State,
        write_db: WriteDB,
        lang: Lang,
        data: FormData,
    ) -> Response[str]:
        """Record an objection; answer with its reference, or the form with errors."""
        raw = {name: str(data.get(name, ""))[:20_000] for name in (*FIELDS, "version", "t")}
        number = positive_id(raw["version"], "version")
        client = request.client.host if request.client else "unknown"
        if not state.subscribe_limiter.allow(f"objection:{client}"):
            raise objection_limits.TooMany("Too many requests; try again later")
        if not raw["contact_email"].strip():
            raw["contact_email"] = objections.token_email(state.secret_key, number, raw["t"])
        objection_limits.check_address(write_db, raw["contact_email"])
        try:
            submitted = objections.submit(
                write_db,
                secret=state.secret_key,
                version_number=number,
                reason=raw["reason"],
                contact_email=raw["contact_email"],
                contact_name=raw["contact_name"],
                organisation=raw["organisation"],
                recipient_slug=raw["recipient"],
                token=raw["t"],
                lang=lang,
                mailer=Mailer(state.templates, state.settings.base_url),
            )
        except InvalidInput as error:
            field = "contact_email" if error.field == "email" else error.field
            return self._form(
                state,
                write_db,
                lang,
                number,
                token=raw["t"],
                values=raw,
                errors={field: field_message(field, lang)},
                status=400,
            )
        except Conflict:
            return self._form(state, write_db, lang, number, values=raw, status=409)
        return _page(state, lang, "public/objection_done.html", objection=submitted.objection)

    @get(PATH_CONFIRM, sync_to_thread=True)
    def confirm(
        self, state: State, write_db: WriteDB, lang: Lang, token: str = Parameter(max_length=200)
    ) -> Response[str]:
        """Following the emailed link confirms a web objection."""
        objection = objections.confirm(
            write_db, token, Mailer(state.templates, state.settings.base_url)
        )
        return _page(state, lang, "public/objection_done.html", objection=objection)
