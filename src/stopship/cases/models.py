"""The case model: keys, alerts, their events and evidence, suppressions, monitoring,
webhooks and the audit report (pydantic, serialisable as JSON)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, Field


class Role(StrEnum):
    ANALYST = "analyst"
    REVIEWER = "reviewer"
    ADMIN = "admin"
    SERVICE = "service"


class AlertStatus(StrEnum):
    OPEN = "open"
    ESCALATED = "escalated"
    #: a block-level alert one person proposed to clear; a reviewer must approve (four eyes)
    PENDING_SECOND_REVIEW = "pending_second_review"
    TRUE_MATCH = "true_match"
    FALSE_POSITIVE = "false_positive"

    @property
    def closed(self) -> bool:
        return self in (AlertStatus.TRUE_MATCH, AlertStatus.FALSE_POSITIVE)


#: statuses of alerts that still need someone's attention
ACTIVE_STATUSES = (AlertStatus.OPEN, AlertStatus.ESCALATED, AlertStatus.PENDING_SECOND_REVIEW)

Level = Literal["block", "review"]
Origin = Literal["match", "order", "payment", "rescreen"]
EventKind = Literal[
    "created", "updated", "comment", "assigned", "decision", "approval", "suppressed"
]


class ApiKey(BaseModel):
    id: int
    name: str
    role: Role
    prefix: str  # the first characters of the secret, for display
    created_at: datetime
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    @property
    def actor(self) -> str:
        """How this key appears in events and the audit log: ``name#id``."""
        return f"{self.name or 'key'}#{self.id}"


class Alert(BaseModel):
    id: int
    status: AlertStatus
    level: Level
    counterparty: str
    counterparty_key: str
    entity_id: str | None
    source: str | None
    score: float | None
    origin: Origin
    document_id: str | None = None
    reason_code: str | None = None
    assignee: str | None = None
    created_at: datetime
    updated_at: datetime
    version: int
    suppressed_by: int | None = None  # the decision event whose suppression applied
    evidence: dict[str, Any] = Field(default_factory=dict)  # the latest snapshot


class AlertEvent(BaseModel):
    id: int
    alert_id: int
    at: datetime
    actor: str
    actor_key_id: int | None = None
    kind: EventKind
    status_from: AlertStatus | None = None
    status_to: AlertStatus | None = None
    text: str | None = None  # the reason of a decision, the text of a comment, ...


class EvidenceSnapshot(BaseModel):
    id: int
    alert_id: int
    at: datetime
    origin: Origin
    entity_fingerprint: str | None
    evidence: dict[str, Any]


class Suppression(BaseModel):
    """A good-guy entry: this counterparty is not this list entity, while the entity's
    record keeps the fingerprint it had when the decision was made."""

    id: int
    counterparty_key: str
    entity_id: str
    fingerprint: str
    alert_id: int
    decision_event_id: int
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None = None

    def active(self, now: datetime) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


class AlertDetail(BaseModel):
    alert: Alert
    events: list[AlertEvent]
    evidence_snapshots: list[EvidenceSnapshot]  # oldest first
    entity: dict[str, Any] | None  # the list record in service now; None if it left the lists
    entity_changed: bool  # the record in service differs from the latest snapshot's
    suppression: Suppression | None  # the suppression that applied, or that this alert created


class AlertPage(BaseModel):
    items: list[Alert]
    total: int
    limit: int
    offset: int


class MonitoredCounterparty(BaseModel):
    id: int
    key: str
    name: str
    kind: str | None = None
    country: str | None = None
    birth_date: str | None = None
    id_value: str | None = None
    origin: str
    created_at: datetime
    last_screened_at: datetime


class RescreenReport(BaseModel):
    monitored: int
    entities: int  # added or changed entity ids re-screened against
    queries: int
    hits: int
    alerts_opened: int
    alerts_updated: int
    suppressed: int
    errors: list[str] = Field(default_factory=list)

    def summary(self) -> str:
        return (
            f"re-screened {self.monitored} monitored counterparties against "
            f"{self.entities} new or changed entities: {self.alerts_opened} new alerts, "
            f"{self.alerts_updated} updated, {self.suppressed} suppressed"
        )


class Webhook(BaseModel):
    id: int
    url: str
    signed: bool  # a secret is set: deliveries carry an HMAC-SHA256 signature
    created_at: datetime
    created_by: str
    active: bool


class DeliveryReport(BaseModel):
    attempted: int
    delivered: int
    failed: int  # will be retried
    dead: int  # gave up after max_attempts
    pending: int  # still waiting after this run (including those not yet due)


class AuditEntry(BaseModel):
    seq: int
    at: datetime
    actor: str
    event: str
    details: dict[str, Any]
    prev_hash: str
    hash: str


class AuditReport(BaseModel):
    ok: bool
    rows: int
    head: str | None  # the hash of the last row (record it elsewhere to anchor the chain)
    first_bad_seq: int | None = None
    problem: str | None = None
