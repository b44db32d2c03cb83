"""Case management: alerts from screening, review with four eyes, the good-guy list,
monitoring with re-screening on list updates, webhooks, API keys and the audit log.
See docs/cases.md."""

from stopship.cases.models import (
    ACTIVE_STATUSES,
    Alert,
    AlertDetail,
    AlertEvent,
    AlertPage,
    AlertStatus,
    ApiKey,
    AuditEntry,
    AuditReport,
    DeliveryReport,
    EvidenceSnapshot,
    MonitoredCounterparty,
    RescreenReport,
    Role,
    Suppression,
    Webhook,
)
from stopship.cases.permissions import ACTIONS, PERMISSIONS
from stopship.cases.service import CaseService

__all__ = [
    "ACTIONS",
    "ACTIVE_STATUSES",
    "PERMISSIONS",
    "Alert",
    "AlertDetail",
    "AlertEvent",
    "AlertPage",
    "AlertStatus",
    "ApiKey",
    "AuditEntry",
    "AuditReport",
    "CaseService",
    "DeliveryReport",
    "EvidenceSnapshot",
    "MonitoredCounterparty",
    "RescreenReport",
    "Role",
    "Suppression",
    "Webhook",
]
