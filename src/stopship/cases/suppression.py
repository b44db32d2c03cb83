"""The good-guy list: a cleared (false positive) pair of counterparty and list entity
stays cleared while the entity's record keeps its fingerprint and the decision has not
expired. Alerts it applies to are stored closed with ``suppressed_by`` set, never hidden."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from stopship.cases.base import ServiceBase
from stopship.cases.models import Suppression
from stopship.cases.rows import suppression_from_row
from stopship.cases.schema import suppressions


def active_suppression(
    conn: Connection, counterparty_key: str, entity_id: str, fingerprint: str, now: datetime
) -> Suppression | None:
    rows = conn.execute(
        select(suppressions)
        .where(
            suppressions.c.counterparty_key == counterparty_key,
            suppressions.c.entity_id == entity_id,
            suppressions.c.fingerprint == fingerprint,
            suppressions.c.revoked_at.is_(None),
        )
        .order_by(suppressions.c.id.desc())
    ).all()
    for r in rows:
        s = suppression_from_row(r)
        if s.active(now):
            return s
    return None


def create_suppression(
    conn: Connection,
    *,
    counterparty_key: str,
    entity_id: str,
    fingerprint: str,
    alert_id: int,
    decision_event_id: int,
    actor: str,
    now: datetime,
    days: int | None,
) -> int:
    return int(
        conn.execute(
            insert(suppressions)
            .values(
                counterparty_key=counterparty_key,
                entity_id=entity_id,
                fingerprint=fingerprint,
                alert_id=alert_id,
                decision_event_id=decision_event_id,
                created_by=actor,
                created_at=now,
                expires_at=None if days is None else now + timedelta(days=days),
            )
            .returning(suppressions.c.id)
        ).scalar_one()
    )


def revoke_for_alert(conn: Connection, alert_id: int, now: datetime) -> list[int]:
    """Withdraw the suppressions an alert's clearing created (when it is reopened)."""
    ids = [
        int(r.id)
        for r in conn.execute(
            select(suppressions.c.id).where(
                suppressions.c.alert_id == alert_id, suppressions.c.revoked_at.is_(None)
            )
        )
    ]
    if ids:
        conn.execute(update(suppressions).where(suppressions.c.id.in_(ids)).values(revoked_at=now))
    return ids


def revoke_by_event(conn: Connection, decision_event_id: int, now: datetime) -> None:
    """Withdraw the suppression a decision created (a suppressed alert is reopened)."""
    conn.execute(
        update(suppressions)
        .where(
            suppressions.c.decision_event_id == decision_event_id,
            suppressions.c.revoked_at.is_(None),
        )
        .values(revoked_at=now)
    )


def suppression_by_event(conn: Connection, decision_event_id: int) -> Suppression | None:
    r = conn.execute(
        select(suppressions).where(suppressions.c.decision_event_id == decision_event_id)
    ).one_or_none()
    return None if r is None else suppression_from_row(r)


def suppression_of_alert(conn: Connection, alert_id: int) -> Suppression | None:
    r = conn.execute(
        select(suppressions)
        .where(suppressions.c.alert_id == alert_id)
        .order_by(suppressions.c.id.desc())
        .limit(1)
    ).one_or_none()
    return None if r is None else suppression_from_row(r)


class SuppressionMixin(ServiceBase):
    def suppressions(self, *, active_only: bool = False) -> list[Suppression]:
        """Every suppression (newest first); ``active_only`` drops expired and revoked ones.
        A suppression also lapses when its entity's record changes: that is checked per
        screening against the fingerprint, not here."""
        with self._read() as conn:
            rows = conn.execute(select(suppressions).order_by(suppressions.c.id.desc())).all()
        out = [suppression_from_row(r) for r in rows]
        now = self.now()
        return [s for s in out if s.active(now)] if active_only else out
