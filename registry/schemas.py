"""What the API reads: the request bodies for recipients, and their checks (the text types
they are made of are in `registry.text_fields`; a publication's body is in
`registry.publication_schemas`)."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_serializer,
    field_validator,
    model_validator,
)

from registry.countries import UnknownCountry, normalise_code
from registry.enums import (
    ExplicitValue,
    ListStyle,
    Mechanism,
    PipaBasis,
    PipaRelationship,
    RecipientRole,
    RecipientStatus,
    SccModule,
)
from registry.text_fields import (
    Item,
    Items,
    Line,
    Paragraph,
    RequiredLine,
    check_translation_languages,
    no_control_characters,
)

#: The `mechanisms` key for the places a destination note adds ("other countries ...").
OTHER_LOCATIONS = "other"
SLUG_RE = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"
READ_ONLY_FIELDS = frozenset(
    {"status_label", "created_at", "updated_at", "id", "translation_status", "translation_sources"}
)


class MechanismIn(BaseModel):
    """The legal basis for one destination."""

    model_config = ConfigDict(extra="forbid")

    mechanism: Mechanism = Mechanism.NONE
    scc_module: SccModule | None = None
    dpf_checked_on: date | None = None
    note: Paragraph = ""

    @model_validator(mode="after")
    def _consistent(self) -> MechanismIn:
        if self.mechanism == Mechanism.SCC and self.scc_module is None:
            raise ValueError("scc_module is required when the mechanism is scc")
        if self.dpf_checked_on and self.dpf_checked_on > date.today():  # noqa: DTZ011
            raise ValueError("dpf_checked_on cannot be in the future")
        return self


class RecipientTranslation(BaseModel):
    """One language's version of a recipient's words: each field as the English one, optional.

    Empty fields are dropped: where a field is absent, pages show the English
    text, marked as such.
    """

    model_config = ConfigDict(extra="forbid")

    name: Line = ""
    display_name: Line = ""
    services: Items = Field(default_factory=list)
    address: Paragraph = ""
    destination_note: Line = ""
    purposes: Items = Field(default_factory=list)
    data_categories: Annotated[list[Item], Field(max_length=100)] = Field(default_factory=list)
    data_subjects: Items = Field(default_factory=list)
    sensitive_data: Paragraph = ""
    sensitive_safeguards: Paragraph = ""
    retention: Line = ""
    transfer_timing: Paragraph = ""
    transfer_method: Paragraph = ""
    frequency: Paragraph = ""
    processing_nature: Paragraph = ""
    refusal_procedure: Paragraph = ""
    refusal_consequences: Paragraph = ""
    retention_law: Paragraph = ""
    onward_purposes: Annotated[dict[str, Line], Field(max_length=200)] = Field(
        default_factory=dict, description="Each onward recipient's purpose, keyed by its name."
    )

    def written(self) -> dict[str, Any]:
        """Only the fields that hold a translation."""
        return {name: value for name, value in self.model_dump().items() if value}


TRANSLATABLE_RECIPIENT_FIELDS = tuple(RecipientTranslation.model_fields)


class ServiceDetailTranslation(BaseModel):
    """One language's words for one service's own details."""

    model_config = ConfigDict(extra="forbid")

    purposes: Items = Field(default_factory=list)
    data_categories: Annotated[list[Item], Field(max_length=100)] = Field(default_factory=list)
    data_subjects: Items = Field(default_factory=list)
    processing_nature: Paragraph = ""
    onward_recipients: Paragraph = ""


class ServiceDetail(ServiceDetailTranslation):
    """What one service of a vendor does, where it differs from the row's own words.

    Blank fields fall back to the recipient's; `translations` as for a recipient.
    """

    translations: Annotated[
        dict[str, ServiceDetailTranslation], BeforeValidator(check_translation_languages)
    ] = Field(default_factory=dict)

    @field_serializer("translations")
    def _written_translations(
        self, value: dict[str, ServiceDetailTranslation]
    ) -> dict[str, dict[str, Any]]:
        written = {
            lang: {k: v for k, v in words.model_dump().items() if v}
            for lang, words in value.items()
        }
        return {lang: words for lang, words in written.items() if words}


#: Fields where "none" or "not applicable" is a value someone may choose.
ExplicitField = Literal[
    "onward",
    "sensitive_data",
    "sensitive_safeguards",
    "retention_law",
    "refusal_procedure",
    "refusal_consequences",
]


class ExplicitValueIn(BaseModel):
    """ "none" or "not_applicable", chosen by someone on a day (stamped on write)."""

    model_config = ConfigDict(extra="forbid")

    value: ExplicitValue
    set_by: Line = ""
    set_on: date | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_word(cls, data: Any) -> Any:
        return {"value": data} if isinstance(data, str) else data


def _web_address(value: str) -> str:
    if value and not re.fullmatch(r"https?://[^\s/]+\S*", value):
        raise ValueError("must be an http:// or https:// address")
    return value


WebAddress = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=500),
    AfterValidator(no_control_characters),
    AfterValidator(_web_address),
]


class OnwardIn(BaseModel):
    """One of a vendor's own sub-processors (a re-entrusted party, PIPA Art. 26)."""

    model_config = ConfigDict(extra="forbid")

    name: RequiredLine
    countries: Annotated[list[str], Field(max_length=60)] = Field(default_factory=list)
    purpose: Line = ""
    list_url: WebAddress = ""

    @field_validator("countries")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        return country_codes(value)


def country_codes(value: list[str]) -> list[str]:
    """ISO codes, normalised, each once; ValueError naming the first that is not one."""
    codes: list[str] = []
    for raw in value:
        try:
            code = normalise_code(raw)
        except UnknownCountry as error:
            raise ValueError(str(error)) from None
        if code in codes:
            raise ValueError(f"{code} is listed twice")
        codes.append(code)
    return codes


class RecipientIn(BaseModel):
    """A whole recipient, as POST and PUT take it (PATCH merges into this shape)."""

    model_config = ConfigDict(extra="forbid")

    slug: Annotated[str, StringConstraints(pattern=SLUG_RE, max_length=64)] | None = None
    name: RequiredLine
    display_name: Line = ""
    services: Items = Field(default_factory=list)
    corporate_country: str = ""
    address: Paragraph = ""
    contact: Paragraph = ""
    website: Line = ""
    role: RecipientRole = RecipientRole.SUB_PROCESSOR
    pipa_relationship: PipaRelationship = PipaRelationship.ENTRUSTMENT
    destinations: Annotated[list[str], Field(min_length=1, max_length=60)]
    destination_note: Line = ""
    mechanisms: dict[str, MechanismIn] = Field(default_factory=dict)
    purposes: Annotated[list[Item], Field(min_length=1, max_length=50)]
    data_categories: Annotated[list[Item], Field(min_length=1, max_length=100)]
    data_subjects: Items = Field(default_factory=list)
    sensitive_data: Paragraph = ""
    sensitive_safeguards: Paragraph = ""
    retention: RequiredLine
    transfer_timing: Paragraph = ""
    transfer_method: Paragraph = ""
    frequency: Paragraph = ""
    processing_nature: Paragraph = ""
    onward: Annotated[list[OnwardIn], Field(max_length=200)] = Field(default_factory=list)
    onward_list_url: Line = ""
    onward_checked_on: date | None = None
    refusal_procedure: Paragraph = ""
    refusal_consequences: Paragraph = ""
    list_style: ListStyle = ListStyle.COMMAS
    status: RecipientStatus = RecipientStatus.ACTIVE
    translations: Annotated[
        dict[str, RecipientTranslation], BeforeValidator(check_translation_languages)
    ] = Field(default_factory=dict)
    version_id: int | None = Field(default=None, ge=1)
    service_roles: dict[Item, RecipientRole] = Field(default_factory=dict)
    service_details: dict[Item, ServiceDetail] = Field(default_factory=dict)
    pipa_basis: PipaBasis | Literal[""] = ""
    retention_law: Paragraph = ""
    explicit_values: dict[ExplicitField, ExplicitValueIn] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _services_known(self) -> RecipientIn:
        for field in ("service_roles", "service_details"):
            for service in getattr(self, field):
                if service not in self.services:
                    raise ValueError(f"{field}: {service!r} is not one of the services")
        return self

    confirm_translations: Annotated[
        list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}\.[a-z_.]{1,100}$")]],
        Field(max_length=100),
    ] = Field(
        default_factory=list,
        description='Translations checked against the current English and kept ("ko.retention").',
    )

    @model_validator(mode="before")
    @classmethod
    def _drop_read_only(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in READ_ONLY_FIELDS}
        return data

    @field_validator("destinations")
    @classmethod
    def _countries(cls, value: list[str]) -> list[str]:
        codes: list[str] = []
        for raw in value:
            try:
                code = normalise_code(raw)
            except UnknownCountry as error:
                raise ValueError(str(error)) from None
            if code in codes:
                raise ValueError(f"{code} is listed twice")
            codes.append(code)
        return codes

    @field_validator("onward")
    @classmethod
    def _onward_once(cls, value: list[OnwardIn]) -> list[OnwardIn]:
        seen: set[str] = set()
        for entry in value:
            if entry.name.casefold() in seen:
                raise ValueError(f"{entry.name!r} is listed twice")
            seen.add(entry.name.casefold())
        return value

    @field_validator("onward_list_url")
    @classmethod
    def _onward_list_url(cls, value: str) -> str:
        return _web_address(value)

    @field_validator("onward_checked_on")
    @classmethod
    def _checked_not_future(cls, value: date | None) -> date | None:
        if value and value > date.today():  # noqa: DTZ011
            raise ValueError("cannot be in the future")
        return value

    @field_validator("corporate_country")
    @classmethod
    def _corporate_country(cls, value: str) -> str:
        if not value.strip():
            return ""
        try:
            return normalise_code(value)
        except UnknownCountry as error:
            raise ValueError(str(error)) from None

    @field_serializer("translations")
    def _written_translations(
        self, value: dict[str, RecipientTranslation]
    ) -> dict[str, dict[str, Any]]:
        return {lang: words.written() for lang, words in value.items() if words.written()}

    @model_validator(mode="after")
    def _mechanisms_match_destinations(self) -> RecipientIn:
        normalised: dict[str, MechanismIn] = {}
        for raw, mechanism in self.mechanisms.items():
            if raw == OTHER_LOCATIONS:  # the places a destination_note adds
                if not self.destination_note:
                    raise ValueError("mechanisms: 'other' needs a destination_note")
                normalised[raw] = mechanism
                continue
            try:
                code = normalise_code(raw)
            except UnknownCountry as error:
                raise ValueError(f"mechanisms: {error}") from None
            if code not in self.destinations:
                raise ValueError(f"mechanisms: {code} is not one of the destinations")
            normalised[code] = mechanism
        self.mechanisms = normalised
        return self


class RecipientPatch(BaseModel):
    """Only the fields a PATCH names; merged into the stored recipient, then checked whole."""

    model_config = ConfigDict(extra="allow")
