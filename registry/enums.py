"""Every enumeration, defined once, with its label in each language.

Templates show `member.label`; none of them spells a value out.
"""

from __future__ import annotations

from enum import StrEnum

from registry.i18n import gettext as _
from registry.i18n import pgettext


class RecipientRole(StrEnum):
    SUB_PROCESSOR = "sub_processor"
    PROCESSOR = "processor"
    THIRD_PARTY = "third_party"

    @property
    def label(self) -> str:
        return {
            RecipientRole.SUB_PROCESSOR: _("Sub-processor"),
            RecipientRole.PROCESSOR: _("Processor"),
            RecipientRole.THIRD_PARTY: _("Third party"),
        }[self]


class PipaRelationship(StrEnum):
    ENTRUSTMENT = "entrustment"
    PROVISION = "provision"

    @property
    def label(self) -> str:
        return {
            PipaRelationship.ENTRUSTMENT: _("Entrustment (processing on our behalf)"),
            PipaRelationship.PROVISION: _("Provision to a third party"),
        }[self]


class Mechanism(StrEnum):
    """The legal basis of a transfer to one destination (GDPR Arts. 45-49)."""

    EEA = "eea"
    ADEQUACY = "adequacy"
    DPF = "dpf"
    SCC = "scc"
    BCR = "bcr"
    DEROGATION = "derogation"
    NONE = "none"

    @property
    def label(self) -> str:
        return {
            Mechanism.EEA: _("Within the EEA (no transfer mechanism needed)"),
            Mechanism.ADEQUACY: _("EU adequacy decision"),
            Mechanism.DPF: _("EU-US Data Privacy Framework (adequacy for certified organisations)"),
            Mechanism.SCC: _("Standard Contractual Clauses"),
            Mechanism.BCR: _("Binding corporate rules"),
            Mechanism.DEROGATION: _("Derogation (GDPR Art. 49)"),
            Mechanism.NONE: _("No transfer mechanism recorded"),
        }[self]


class SccModule(StrEnum):
    C2C = "1"
    C2P = "2"
    P2P = "3"
    P2C = "4"

    @property
    def label(self) -> str:
        return {
            SccModule.C2C: _("Module 1: controller to controller"),
            SccModule.C2P: _("Module 2: controller to processor"),
            SccModule.P2P: _("Module 3: processor to processor"),
            SccModule.P2C: _("Module 4: processor to controller"),
        }[self]


class RecipientStatus(StrEnum):
    ACTIVE = "active"
    RETIRED = "retired"

    @property
    def label(self) -> str:
        return {RecipientStatus.ACTIVE: _("Active"), RecipientStatus.RETIRED: _("Retired")}[self]


class UserRole(StrEnum):
    VIEWER = "viewer"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {
            UserRole.VIEWER: _("Viewer"),
            UserRole.EDITOR: _("Editor"),
            UserRole.ADMIN: _("Administrator"),
        }[self]

    def may(self, needed: UserRole) -> bool:
        order = [UserRole.VIEWER, UserRole.EDITOR, UserRole.ADMIN]
        return order.index(self) >= order.index(needed)


class ListStyle(StrEnum):
    """How a list of phrases reads in English prose: "a, b, c" or "a, b, and c"."""

    COMMAS = "commas"
    SERIES_AND = "series_and"

    @property
    def label(self) -> str:
        return {
            ListStyle.COMMAS: _("Commas (a, b, c)"),
            ListStyle.SERIES_AND: _("With “and” (a, b, and c)"),
        }[self]


class MeasureHeading(StrEnum):
    """Annex II's headings, in the order the SCCs list them."""

    PSEUDONYMISATION_ENCRYPTION = "pseudonymisation_encryption"
    CONFIDENTIALITY_INTEGRITY = "confidentiality_integrity"
    AVAILABILITY_RESTORATION = "availability_restoration"
    REGULAR_TESTING = "regular_testing"
    USER_IDENTIFICATION = "user_identification"
    TRANSMISSION_PROTECTION = "transmission_protection"
    STORAGE_PROTECTION = "storage_protection"
    PHYSICAL_SECURITY = "physical_security"
    EVENT_LOGGING = "event_logging"
    SYSTEM_CONFIGURATION = "system_configuration"
    IT_GOVERNANCE = "it_governance"
    CERTIFICATION = "certification"
    DATA_MINIMISATION = "data_minimisation"
    DATA_QUALITY = "data_quality"
    LIMITED_RETENTION = "limited_retention"
    ACCOUNTABILITY = "accountability"
    PORTABILITY_ERASURE = "portability_erasure"
    SUBPROCESSOR_ASSISTANCE = "subprocessor_assistance"

    @property
    def label(self) -> str:
        return {
            MeasureHeading.PSEUDONYMISATION_ENCRYPTION: _(
                "Measures of pseudonymisation and encryption of personal data"
            ),
            MeasureHeading.CONFIDENTIALITY_INTEGRITY: _(
                "Measures for ensuring ongoing confidentiality, integrity, availability and "
                "resilience of processing systems and services"
            ),
            MeasureHeading.AVAILABILITY_RESTORATION: _(
                "Measures for ensuring the ability to restore the availability and access to "
                "personal data in a timely manner in the event of a physical or technical incident"
            ),
            MeasureHeading.REGULAR_TESTING: _(
                "Processes for regularly testing, assessing and evaluating the effectiveness of "
                "technical and organisational measures"
            ),
            MeasureHeading.USER_IDENTIFICATION: _(
                "Measures for user identification and authorisation"
            ),
            MeasureHeading.TRANSMISSION_PROTECTION: _(
                "Measures for the protection of data during transmission"
            ),
            MeasureHeading.STORAGE_PROTECTION: _(
                "Measures for the protection of data during storage"
            ),
            MeasureHeading.PHYSICAL_SECURITY: _(
                "Measures for ensuring physical security of locations at which personal data "
                "are processed"
            ),
            MeasureHeading.EVENT_LOGGING: _("Measures for ensuring events logging"),
            MeasureHeading.SYSTEM_CONFIGURATION: _(
                "Measures for ensuring system configuration, including default configuration"
            ),
            MeasureHeading.IT_GOVERNANCE: _(
                "Measures for internal IT and IT security governance and management"
            ),
            MeasureHeading.CERTIFICATION: _(
                "Measures for certification/assurance of processes and products"
            ),
            MeasureHeading.DATA_MINIMISATION: _("Measures for ensuring data minimisation"),
            MeasureHeading.DATA_QUALITY: _("Measures for ensuring data quality"),
            MeasureHeading.LIMITED_RETENTION: _("Measures for ensuring limited data retention"),
            MeasureHeading.ACCOUNTABILITY: _("Measures for ensuring accountability"),
            MeasureHeading.PORTABILITY_ERASURE: _(
                "Measures for allowing data portability and ensuring erasure"
            ),
            MeasureHeading.SUBPROCESSOR_ASSISTANCE: _(
                "For transfers to (sub-)processors, the specific technical and organisational "
                "measures to be taken by the (sub-)processor to be able to provide assistance "
                "to the controller"
            ),
        }[self]


class SubscriberStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    UNSUBSCRIBED = "unsubscribed"

    @property
    def label(self) -> str:
        return {
            SubscriberStatus.PENDING: _("Waiting for confirmation"),
            SubscriberStatus.CONFIRMED: _("Confirmed"),
            SubscriberStatus.UNSUBSCRIBED: _("Unsubscribed"),
        }[self]


class OutboxKind(StrEnum):
    CONFIRMATION = "confirmation"
    NOTICE = "notice"
    WEBHOOK = "webhook"
    MESSAGE = "message"
    CONTRACT = "contract"

    @property
    def label(self) -> str:
        return {
            OutboxKind.CONFIRMATION: _("Confirmation email"),
            OutboxKind.NOTICE: _("Change notice email"),
            OutboxKind.WEBHOOK: _("Webhook delivery"),
            OutboxKind.MESSAGE: _("Email about an objection"),
            OutboxKind.CONTRACT: _("Contractual change notice email"),
        }[self]


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return {
            OutboxStatus.PENDING: _("Pending"),
            OutboxStatus.SENDING: _("Sending"),
            OutboxStatus.SENT: _("Sent"),
            OutboxStatus.FAILED: _("Failed"),
        }[self]


class WebhookStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"

    @property
    def label(self) -> str:
        return {
            WebhookStatus.ACTIVE: pgettext("account", "Active"),
            WebhookStatus.DISABLED: _("Disabled"),
        }[self]


class ObjectionStatus(StrEnum):
    """Where a customer's objection to a change stands."""

    PENDING_CONFIRMATION = "pending_confirmation"
    OPEN = "open"
    IN_DISCUSSION = "in_discussion"
    WITHDRAWN_BY_CUSTOMER = "withdrawn_by_customer"
    CHANGE_WITHDRAWN = "change_withdrawn"
    CHANGE_KEPT = "change_kept"

    @property
    def label(self) -> str:
        return {
            ObjectionStatus.PENDING_CONFIRMATION: _("Awaiting email confirmation"),
            ObjectionStatus.OPEN: _("Open"),
            ObjectionStatus.IN_DISCUSSION: _("In discussion"),
            ObjectionStatus.WITHDRAWN_BY_CUSTOMER: _("Resolved: withdrawn by the customer"),
            ObjectionStatus.CHANGE_WITHDRAWN: _("Resolved: change withdrawn"),
            ObjectionStatus.CHANGE_KEPT: _("Resolved: change kept, with reasons"),
        }[self]

    @property
    def resolved(self) -> bool:
        return self in (
            ObjectionStatus.WITHDRAWN_BY_CUSTOMER,
            ObjectionStatus.CHANGE_WITHDRAWN,
            ObjectionStatus.CHANGE_KEPT,
        )


class DocumentKind(StrEnum):
    """The documents generated from a version (HTML and PDF)."""

    TRANSFERS = "transfers"
    ANNEXES = "annexes"

    @property
    def label(self) -> str:
        return {
            DocumentKind.TRANSFERS: _("Transfer table (PIPA Art. 28-8)"),
            DocumentKind.ANNEXES: _("SCC Annexes I–III"),
        }[self]


class PipaBasis(StrEnum):
    """The ground of an overseas transfer under PIPA Art. 28-8(1)."""

    CONSENT = "consent"
    LAW = "law"
    CONTRACT = "contract"
    CERTIFICATION = "certification"
    EQUIVALENCE = "equivalence"

    @property
    def label(self) -> str:
        return {
            PipaBasis.CONSENT: _(
                "PIPA Art. 28-8(1)(i): the data subject's separate consent to the overseas transfer"
            ),
            PipaBasis.LAW: _(
                "PIPA Art. 28-8(1)(ii): a special provision in a law, or in a treaty or other "
                "international agreement to which Korea is a party"
            ),
            PipaBasis.CONTRACT: _(
                "PIPA Art. 28-8(1)(iii): the entrustment or storage is necessary to conclude and "
                "perform a contract with the data subject, and the items of Art. 28-8(2) are "
                "disclosed in the privacy policy or notified to the data subject"
            ),
            PipaBasis.CERTIFICATION: _(
                "PIPA Art. 28-8(1)(iv): the recipient holds a certification designated by the "
                "Personal Information Protection Commission"
            ),
            PipaBasis.EQUIVALENCE: _(
                "PIPA Art. 28-8(1)(v): the Personal Information Protection Commission recognises "
                "the destination's protection as substantially equivalent"
            ),
        }[self]


class ExplicitValue(StrEnum):
    """A value someone chose where a blank would mean "unknown"."""

    NONE = "none"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label(self) -> str:
        return {
            ExplicitValue.NONE: _("None"),
            ExplicitValue.NOT_APPLICABLE: _("Not applicable"),
        }[self]
