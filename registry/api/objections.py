"""Legal's API for objections and organisations (bearer token; editors write, viewers read)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from litestar import Controller, Request, Response, get, patch, post, put
from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import JSONBody, Parameter
from pydantic import BaseModel, ConfigDict, Field

from registry.api.read import API_PREFIX
from registry.auth import BearerTokenMiddleware, requires
from registry.enums import ObjectionStatus, UserRole
from registry.models import Objection, Organisation, User
from registry.services import notice_periods, objection_limits, objections, organisations
from registry.services.evidence import evidence as build_evidence
from registry.services.evidence import evidence_pdf
from registry.services.objection_mail import Mailer
from registry.services.org_contracts import Terms, save_terms, terms_of
from registry.services.versions import today
from registry.text_fields import Text
from registry.web.deps import DB, WriteDB, provide_write_db


class ObjectionOut(BaseModel):
    reference: str
    version: int
    recipient: str
    reason: str
    contact_email: str
    contact_name: str
    organisation: str
    source: str
    status: ObjectionStatus
    confirmed_at: datetime | None
    resolution: str
    version_id: int
    created_at: datetime


class ObjectionChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: ObjectionStatus
    note: Text = Field(default="", max_length=10_000)
    version_id: int | None = None


class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(pattern="^(note|reply)$")
    body: Text = Field(min_length=1, max_length=10_000)


class OrganisationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: Text = Field(min_length=1, max_length=200)
    notice_days: int = Field(ge=0, le=365)
    note: Text = Field(default="", max_length=5_000)
    version_id: int | None = None
    # The contract's terms (registry.services.org_contracts); PUT replaces them too.
    contacts: list[Text] = Field(default_factory=list, max_length=20)
    objection_days: int | None = Field(default=None, ge=0, le=365)
    lang: Text = Field(default="en", max_length=8)
    countries: list[Text] = Field(default_factory=list, max_length=100)
    recipients: list[Text] = Field(default_factory=list, max_length=100)
    dpa_signed_on: date | None = None
    dpa_version: int | None = Field(default=None, ge=1, le=2_147_483_647)

    def terms(self) -> Terms:
        return Terms(
            contacts=self.contacts,
            objection_days=self.objection_days,
            lang=self.lang,
            countries=self.countries,
            recipients=self.recipients,
            dpa_signed_on=self.dpa_signed_on,
            dpa_version=self.dpa_version,
        )


class OrganisationOut(BaseModel):
    id: int
    name: str
    notice_days: int
    note: str
    version_id: int
    contacts: list[str] = Field(default_factory=list)
    objection_days: int | None = None
    lang: str = "en"
    countries: list[str] = Field(default_factory=list)
    recipients: list[str] = Field(default_factory=list)
    dpa_signed_on: date | None = None
    dpa_version: int | None = None


class NoticeWarning(BaseModel):
    effective_at: date
    organisations: list[OrganisationOut]
    told: list[dict[str, Any]] = Field(default_factory=list)


def objection_out(objection: Objection) -> ObjectionOut:
    return ObjectionOut(
        reference=objection.reference,
        version=objection.version_number,
        recipient=objection.recipient_slug,
        reason=objection.reason,
        contact_email=objection.contact_email,
        contact_name=objection.contact_name,
        organisation=objection.organisation,
        source=objection.source,
        status=objection.status,
        confirmed_at=objection.confirmed_at,
        resolution=objection.resolution,
        version_id=objection.version_id,
        created_at=objection.created_at,
    )


def organisation_out(organisation: Organisation, session: Any = None) -> OrganisationOut:
    terms = terms_of(session, organisation) if session is not None else {}
    return OrganisationOut(
        id=organisation.id or 0,
        name=organisation.name,
        notice_days=organisation.notice_days,
        note=organisation.note,
        version_id=organisation.version_id,
        **terms,
    )


class LegalController(Controller):
    path = API_PREFIX
    tags = ["objections"]
    middleware = [BearerTokenMiddleware]
    guards = [requires(UserRole.VIEWER)]
    dependencies = {"write_db": Provide(provide_write_db)}
    security = [{"BearerToken": []}]

    @get("/objections", sync_to_thread=True)
    def list_objections(
        self,
        db: DB,
        version: int | None = Parameter(default=None, ge=1, le=2_147_483_647),
        status: ObjectionStatus | None = Parameter(default=None),
        limit: int = Parameter(default=objection_limits.DEFAULT_PAGE, ge=1, le=500),
        offset: int = Parameter(default=0, ge=0, le=2_147_483_647),
    ) -> Response[list[ObjectionOut]]:
        """Objections, newest first, a page at a time (`X-Total-Count`: how many in all);
        filter by version and status."""
        rows = objections.list_objections(
            db, version=version, status=status, limit=limit, offset=offset
        )
        total = objection_limits.count_objections(db, version=version, status=status)
        return Response([objection_out(o) for o in rows], headers={"X-Total-Count": str(total)})

    @get("/objections/{reference:str}", sync_to_thread=True)
    def one(self, db: DB, reference: str = Parameter(max_length=32)) -> dict[str, Any]:
        """One objection with its notes, replies and status changes."""
        objection = objections.get(db, reference)
        return objection_out(objection).model_dump(mode="json") | {
            "entries": [
                {"at": e.at.isoformat(), "author": e.author, "kind": e.kind, "body": e.body}
                for e in objections.entries(db, objection)
            ]
        }

    @patch("/objections/{reference:str}", sync_to_thread=True, guards=[requires(UserRole.EDITOR)])
    def change(
        self,
        request: Request[User, Any, Any],
        state: State,
        write_db: WriteDB,
        data: JSONBody[ObjectionChange],
        reference: str = Parameter(max_length=32),
    ) -> ObjectionOut:
        """Move an objection on: in discussion, or resolved (keeping the change needs reasons)."""
        return objection_out(
            objections.change_status(
                write_db,
                reference,
                data.status,
                actor=request.user.email,
                note=data.note,
                version_id=data.version_id,
                mailer=Mailer(state.templates, state.settings.base_url),
            )
        )

    @post(
        "/objections/{reference:str}/entries",
        sync_to_thread=True,
        guards=[requires(UserRole.EDITOR)],
    )
    def add_entry(
        self,
        request: Request[User, Any, Any],
        state: State,
        write_db: WriteDB,
        data: JSONBody[EntryIn],
        reference: str = Parameter(max_length=32),
    ) -> dict[str, str]:
        """An internal note, or a reply emailed to the customer."""
        entry = objections.add_entry(
            write_db,
            reference,
            actor=request.user.email,
            kind=data.kind,
            body=data.body,
            mailer=Mailer(state.templates, state.settings.base_url),
        )
        return {"kind": entry.kind, "at": entry.at.isoformat(), "body": entry.body}

    @get("/organisations", sync_to_thread=True)
    def list_organisations(self, db: DB) -> list[OrganisationOut]:
        """Customer organisations and their contractual notice periods."""
        return [organisation_out(o, db) for o in organisations.list_organisations(db)]

    @post("/organisations", sync_to_thread=True, guards=[requires(UserRole.EDITOR)])
    def create_organisation(
        self, request: Request[User, Any, Any], write_db: WriteDB, data: JSONBody[OrganisationIn]
    ) -> OrganisationOut:
        """Record an organisation's notice period and contract terms (201)."""
        organisation = organisations.save_organisation(
            write_db,
            name=data.name,
            notice_days=data.notice_days,
            note=data.note,
            actor=request.user.email,
        )
        save_terms(write_db, organisation, data.terms(), actor=request.user.email, today=today())
        return organisation_out(organisation, write_db)

    @put(
        "/organisations/{organisation_id:int}",
        sync_to_thread=True,
        guards=[requires(UserRole.EDITOR)],
    )
    def update_organisation(
        self,
        request: Request[User, Any, Any],
        write_db: WriteDB,
        data: JSONBody[OrganisationIn],
        organisation_id: int = Parameter(ge=1, le=2_147_483_647),
    ) -> OrganisationOut:
        """Change an organisation; a stale version_id is answered 409."""
        organisation = organisations.save_organisation(
            write_db,
            name=data.name,
            notice_days=data.notice_days,
            note=data.note,
            actor=request.user.email,
            organisation_id=organisation_id,
            version_id=data.version_id,
        )
        save_terms(write_db, organisation, data.terms(), actor=request.user.email, today=today())
        return organisation_out(organisation, write_db)

    @get("/publications/notice-warnings", sync_to_thread=True)
    def notice_warnings(self, db: DB, effective_at: date = Parameter()) -> NoticeWarning:
        """Before publishing: organisations whose notice period this effective date cuts short."""
        told = notice_periods.preview(db, effective_at, today())
        return NoticeWarning(
            effective_at=effective_at,
            organisations=[organisation_out(o.organisation, db) for o in told if o.cut_short],
            told=notice_periods.owed_out(db, told),
        )


class EvidenceController(Controller):
    path = API_PREFIX
    tags = ["objections"]
    middleware = [BearerTokenMiddleware]
    guards = [requires(UserRole.VIEWER)]
    security = [{"BearerToken": []}]

    @get("/versions/{number:int}/evidence", sync_to_thread=True)
    def evidence(
        self, state: State, db: DB, number: int = Parameter(ge=1, le=2_147_483_647)
    ) -> dict[str, Any]:
        """What was told to whom and when for one publication, and what became of objections."""
        return build_evidence(db, number, state.templates, state.settings.base_url)

    @get("/versions/{number:int}/evidence.pdf", sync_to_thread=True, media_type="application/pdf")
    def evidence_pdf(
        self,
        state: State,
        db: DB,
        lang: str = Parameter(default="en", pattern="^(en|ko)$"),
        number: int = Parameter(ge=1, le=2_147_483_647),
    ) -> Response[bytes]:
        """The same evidence as a PDF report, for the file."""
        data = build_evidence(db, number, state.templates, state.settings.base_url)
        return Response(
            evidence_pdf(data, state.templates, lang),
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="evidence-v{number}-{lang}.pdf"'
            },
        )
