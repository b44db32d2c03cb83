"""Rows of the case tables as models."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from stopship.cases.base import utc, utc_or_none
from stopship.cases.models import (
    Alert,
    AlertEvent,
    AlertStatus,
    EvidenceSnapshot,
    MonitoredCounterparty,
    Suppression,
    Webhook,
)
from stopship.cases.schema import alerts, evidence_snapshots


def alert_select(*, evidence: bool = True) -> Select[Any]:
    """Alerts with the evidence of their latest snapshot (or an empty one)."""
    if not evidence:
        return select(alerts)
    return select(alerts, evidence_snapshots.c.evidence).select_from(
        alerts.outerjoin(evidence_snapshots, evidence_snapshots.c.id == alerts.c.latest_snapshot_id)
    )


def alert_from_row(r: Any) -> Alert:
    return Alert(
        id=r.id,
        status=AlertStatus(r.status),
        level=r.level,
        counterparty=r.counterparty,
        counterparty_key=r.counterparty_key,
        entity_id=r.entity_id,
        source=r.source,
        score=r.score,
        origin=r.origin,
        document_id=r.document_id,
        reason_code=r.reason_code,
        assignee=r.assignee,
        created_at=utc(r.created_at),
        updated_at=utc(r.updated_at),
        version=r.version,
        suppressed_by=r.suppressed_by,
        evidence=getattr(r, "evidence", None) or {},
    )


def event_from_row(r: Any) -> AlertEvent:
    return AlertEvent(
        id=r.id,
        alert_id=r.alert_id,
        at=utc(r.at),
        actor=r.actor,
        actor_key_id=r.actor_key_id,
        kind=r.kind,
        status_from=AlertStatus(r.status_from) if r.status_from else None,
        status_to=AlertStatus(r.status_to) if r.status_to else None,
        text=r.text,
    )


def snapshot_from_row(r: Any) -> EvidenceSnapshot:
    return EvidenceSnapshot(
        id=r.id,
        alert_id=r.alert_id,
        at=utc(r.at),
        origin=r.origin,
        entity_fingerprint=r.entity_fingerprint,
        evidence=r.evidence,
    )


def suppression_from_row(r: Any) -> Suppression:
    return Suppression(
        id=r.id,
        counterparty_key=r.counterparty_key,
        entity_id=r.entity_id,
        fingerprint=r.fingerprint,
        alert_id=r.alert_id,
        decision_event_id=r.decision_event_id,
        created_by=r.created_by,
        created_at=utc(r.created_at),
        expires_at=utc_or_none(r.expires_at),
        revoked_at=utc_or_none(r.revoked_at),
    )


def monitored_from_row(r: Any) -> MonitoredCounterparty:
    return MonitoredCounterparty(
        id=r.id,
        key=r.key,
        name=r.name,
        kind=r.kind,
        country=r.country,
        birth_date=r.birth_date,
        id_value=r.id_value,
        origin=r.origin,
        created_at=utc(r.created_at),
        last_screened_at=utc(r.last_screened_at),
    )


def webhook_from_row(r: Any) -> Webhook:
    return Webhook(
        id=r.id,
        url=r.url,
        signed=bool(r.secret),
        created_at=utc(r.created_at),
        created_by=r.created_by,
        active=bool(r.active),
    )
