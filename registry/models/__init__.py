"""Every table model, imported here so Alembic's autogenerate sees them all."""

from registry.models.admin import AdminSession, LoginAttempt, VersionWithdrawal
from registry.models.audit import ChangeRecord
from registry.models.company import Company
from registry.models.contracts import ContractNotice, NoticeScope, OrganisationContact
from registry.models.kept import KeptBase, KeptMessage
from registry.models.notices import OutboxMessage, Subscriber, WebhookEndpoint
from registry.models.objection import Objection, ObjectionEntry, Organisation
from registry.models.recipient import Recipient
from registry.models.reference import AdequacyDecision, CountryName, DataCategory
from registry.models.regime import RegimeReference, RegimeSetting
from registry.models.user import ApiToken, User
from registry.models.version import RegistryVersion

__all__ = [
    "AdequacyDecision",
    "AdminSession",
    "ApiToken",
    "ChangeRecord",
    "Company",
    "ContractNotice",
    "CountryName",
    "DataCategory",
    "KeptBase",
    "KeptMessage",
    "LoginAttempt",
    "NoticeScope",
    "Objection",
    "ObjectionEntry",
    "Organisation",
    "OrganisationContact",
    "OutboxMessage",
    "Recipient",
    "RegimeReference",
    "RegimeSetting",
    "RegistryVersion",
    "Subscriber",
    "User",
    "VersionWithdrawal",
    "WebhookEndpoint",
]
