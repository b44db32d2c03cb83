"""The review queue: listing, reading, assigning, commenting on and deciding alerts.

Every change is one UPDATE ... WHERE version = :expected: when someone else changed the
alert first, no row matches and the caller gets a :class:`ConflictError` (on SQLite and
on PostgreSQL alike; the loser changes nothing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import Connection

from stopship.cases import audit as audit_chain
from stopship.cases.alerts import add_event, load_alert
from stopship.cases.base import ServiceBase
from stopship.cases.models import (
    Alert,
    AlertDetail,
    AlertEvent,
    AlertPage,
    AlertStatus,
    ApiKey,
)
from stopship.cases.permissions import (
    ALERTS_APPROVE,
    ALERTS_ASSIGN,
    ALERTS_COMMENT,
    ALERTS_DECIDE,
    require,
)
from stopship.cases.rows import (
    alert_from_row,
    alert_select,
    event_from_row,
    snapshot_from_row,
)
from stopship.cases.schema import alert_events, alerts, evidence_snapshots
from stopship.cases.suppression import (
    create_suppression,
    revoke_by_event,
    revoke_for_alert,
    suppression_by_event,
    suppression_of_alert,
)
from stopship.errors import (
    CaseNotFoundError,
    ConflictError,
    DecisionError,
    EntityNotFoundError,
    InputError,
)

MAX_TEXT = 10_000
MAX_LIMIT = 500


def parse_status(value: AlertStatus | str, field: str = "status") -> AlertStatus:
    try:
        return AlertStatus(value)
    except ValueError:
        names = ", ".join(s.value for s in AlertStatus)
        raise DecisionError(f"{field}: {value!r} is not one of {names}") from None


def _text(value: str | None, field: str) -> str:
    if value is None or not value.strip():
        raise DecisionError(f"{field}: required (it cannot be empty)")
    if len(value) > MAX_TEXT:
        raise DecisionError(f"{field}: at most {MAX_TEXT} characters")
    return value.strip()


def _current(conn: Connection, alert_id: int, expected_version: int) -> Any:
    r = conn.execute(select(alerts).where(alerts.c.id == alert_id)).one_or_none()
    if r is None:
        raise CaseNotFoundError(f"no alert {alert_id}")
    if r.version != expected_version:
        raise ConflictError(
            f"alert {alert_id} was changed by someone else (version {r.version}, you had "
            f"{expected_version}): reload it and decide again"
        )
    return r


def _bump(conn: Connection, alert_id: int, expected_version: int, **values: Any) -> None:
    n = conn.execute(
        update(alerts)
        .where(alerts.c.id == alert_id, alerts.c.version == expected_version)
        .values(version=alerts.c.version + 1, **values)
    ).rowcount
    if n != 1:
        raise ConflictError(
            f"alert {alert_id} was changed by someone else at the same time: reload it and "
            "decide again"
        )


class ReviewMixin(ServiceBase):
    # ------------------------------------------------------------------ reading

    def list_alerts(
        self,
        *,
        status: list[AlertStatus] | None = None,
        source: str | None = None,
        level: str | None = None,
        assignee: str | None = None,
        q: str | None = None,
        limit: int = 50,
        offset: int = 0,
        evidence: bool = True,
    ) -> AlertPage:
        """Alerts, newest first. ``q`` searches counterparty, entity id and document id.
        ``evidence=False`` leaves each alert's evidence empty (a lighter queue page)."""
        if not 1 <= limit <= MAX_LIMIT:
            raise InputError(f"limit: between 1 and {MAX_LIMIT}")
        if offset < 0:
            raise InputError("offset: 0 or more")
        conds: list[Any] = []
        if status:
            conds.append(alerts.c.status.in_([parse_status(s).value for s in status]))
        if source:
            conds.append(alerts.c.source == source)
        if level:
            if level not in ("block", "review"):
                raise InputError(f"level: {level!r} is not block or review")
            conds.append(alerts.c.level == level)
        if assignee:
            conds.append(alerts.c.assignee == assignee)
        if q and q.strip():
            term = q.strip()
            conds.append(
                or_(
                    alerts.c.counterparty.icontains(term, autoescape=True),
                    alerts.c.entity_id.icontains(term, autoescape=True),
                    alerts.c.document_id.icontains(term, autoescape=True),
                )
            )
        with self._read() as conn:
            total = int(
                conn.execute(select(func.count()).select_from(alerts).where(*conds)).scalar_one()
            )
            rows = conn.execute(
                alert_select(evidence=evidence)
                .where(*conds)
                .order_by(alerts.c.id.desc())
                .limit(limit)
                .offset(offset)
            ).all()
        return AlertPage(
            items=[alert_from_row(r) for r in rows], total=total, limit=limit, offset=offset
        )

    def get_alert(self, alert_id: int) -> AlertDetail:
        with self._read() as conn:
            alert = load_alert(conn, alert_id)
            if alert is None:
                raise CaseNotFoundError(f"no alert {alert_id}")
            events = [
                event_from_row(r)
                for r in conn.execute(
                    select(alert_events)
                    .where(alert_events.c.alert_id == alert_id)
                    .order_by(alert_events.c.id)
                )
            ]
            snaps = [
                snapshot_from_row(r)
                for r in conn.execute(
                    select(evidence_snapshots)
                    .where(evidence_snapshots.c.alert_id == alert_id)
                    .order_by(evidence_snapshots.c.id)
                )
            ]
            if alert.suppressed_by is not None:
                sup = suppression_by_event(conn, alert.suppressed_by)
            else:
                sup = suppression_of_alert(conn, alert_id)
        entity: dict[str, Any] | None = None
        changed = False
        if alert.entity_id:
            try:
                ent = self.store.get_entity(alert.entity_id)
            except EntityNotFoundError:
                changed = True
            else:
                entity = ent.content()
                entity["caption"] = ent.caption
                last_fp = snaps[-1].entity_fingerprint if snaps else None
                changed = last_fp is not None and last_fp != ent.content_hash()
        return AlertDetail(
            alert=alert,
            events=events,
            evidence_snapshots=snaps,
            entity=entity,
            entity_changed=changed,
            suppression=sup,
        )

    def stats(self) -> dict[str, Any]:
        """Counts by status, by level, by source, and by source and status (the chart)."""
        with self._read() as conn:
            rows = conn.execute(
                select(alerts.c.status, alerts.c.level, alerts.c.source, func.count()).group_by(
                    alerts.c.status, alerts.c.level, alerts.c.source
                )
            ).all()
            suppressed = int(
                conn.execute(
                    select(func.count())
                    .select_from(alerts)
                    .where(alerts.c.suppressed_by.is_not(None))
                ).scalar_one()
            )
        by_status = {s.value: 0 for s in AlertStatus}
        by_level = {"block": 0, "review": 0}
        by_source: dict[str, int] = {}
        by_source_status: dict[str, dict[str, int]] = {}
        total = 0
        for st, lv, src, n in rows:
            name = src or "document"
            total += n
            by_status[st] = by_status.get(st, 0) + n
            by_level[lv] = by_level.get(lv, 0) + n
            by_source[name] = by_source.get(name, 0) + n
            per = by_source_status.setdefault(name, {})
            per[st] = per.get(st, 0) + n
        return {
            "total": total,
            "open": sum(by_status[s] for s in ("open", "escalated", "pending_second_review")),
            "suppressed": suppressed,
            "by_status": by_status,
            "by_level": by_level,
            "by_source": dict(sorted(by_source.items())),
            "by_source_status": dict(sorted(by_source_status.items())),
        }

    # ------------------------------------------------------------------ changing

    def assign(
        self, alert_id: int, assignee: str | None, *, actor: ApiKey, expected_version: int
    ) -> Alert:
        require(actor, ALERTS_ASSIGN)
        who = assignee.strip() if assignee and assignee.strip() else None
        if who is not None and len(who) > 200:
            raise DecisionError("assignee: at most 200 characters")
        now = self.now()
        with self._write() as conn:
            cur = _current(conn, alert_id, expected_version)
            _bump(conn, alert_id, expected_version, assignee=who, updated_at=now)
            add_event(
                conn,
                alert_id,
                now,
                actor.actor,
                "assigned",
                key_id=actor.id,
                text_=who or "(unassigned)",
            )
            audit_chain.append(
                conn,
                now,
                actor.actor,
                "alert.assigned",
                {"alert_id": alert_id, "from": cur.assignee, "to": who},
            )
            alert = load_alert(conn, alert_id)
        assert alert is not None
        return alert

    def comment(self, alert_id: int, text: str, *, actor: ApiKey) -> AlertEvent:
        """A comment never changes the alert, so it needs no version."""
        require(actor, ALERTS_COMMENT)
        body = _text(text, "text")
        now = self.now()
        with self._write() as conn:
            if conn.execute(select(alerts.c.id).where(alerts.c.id == alert_id)).first() is None:
                raise CaseNotFoundError(f"no alert {alert_id}")
            eid = add_event(
                conn, alert_id, now, actor.actor, "comment", key_id=actor.id, text_=body
            )
            audit_chain.append(
                conn,
                now,
                actor.actor,
                "alert.commented",
                {"alert_id": alert_id, "event_id": eid, "text": body},
            )
            row = conn.execute(select(alert_events).where(alert_events.c.id == eid)).one()
        return event_from_row(row)

    def decide(
        self,
        alert_id: int,
        *,
        status: AlertStatus | str,
        reason: str,
        actor: ApiKey,
        expected_version: int,
    ) -> Alert:
        """Decide an alert. ``reason`` is required. ``false_positive`` on a block-level
        alert needs four eyes: the first decision moves it to ``pending_second_review``,
        and the same decision by a reviewer or admin holding another key clears it.
        A closed alert can only be reopened (status ``open``, reviewer or admin)."""
        target = parse_status(status)
        why = _text(reason, "reason")
        require(actor, ALERTS_DECIDE)
        if target == AlertStatus.PENDING_SECOND_REVIEW:
            raise DecisionError(
                "status: pending_second_review is reached by deciding false_positive on a "
                "block-level alert, not set directly"
            )
        now = self.now()
        with self._write() as conn:
            cur = _current(conn, alert_id, expected_version)
            current = AlertStatus(cur.status)
            kind = "decision"
            final: AlertStatus = target
            values: dict[str, Any] = {"updated_at": now}
            if current.closed:
                if target != AlertStatus.OPEN:
                    raise DecisionError(
                        f"status: alert {alert_id} is closed ({current.value}); reopen it "
                        "(status open) first"
                    )
                require(actor, ALERTS_APPROVE)
                # reopening withdraws the suppression the alert created or was closed by
                revoke_for_alert(conn, alert_id, now)
                if cur.suppressed_by is not None:
                    revoke_by_event(conn, cur.suppressed_by, now)
                values.update(suppressed_by=None, proposed_by_key_id=None)
            elif (
                current == AlertStatus.PENDING_SECOND_REVIEW
                and target == AlertStatus.FALSE_POSITIVE
            ):
                require(actor, ALERTS_APPROVE)
                if cur.proposed_by_key_id == actor.id:
                    raise DecisionError(
                        "four eyes: the second approval of clearing a block-level alert must "
                        f"come from another person than the first decision (key {actor.actor})"
                    )
                kind = "approval"
            elif target == current:
                raise DecisionError(f"status: alert {alert_id} is already {current.value}")
            elif target == AlertStatus.FALSE_POSITIVE and cur.level == "block":
                final = AlertStatus.PENDING_SECOND_REVIEW
                values["proposed_by_key_id"] = actor.id
            else:
                values["proposed_by_key_id"] = None
            _bump(conn, alert_id, expected_version, status=final.value, **values)
            event_id = add_event(
                conn,
                alert_id,
                now,
                actor.actor,
                kind,
                key_id=actor.id,
                status_from=current.value,
                status_to=final.value,
                text_=why,
            )
            details: dict[str, Any] = {
                "alert_id": alert_id,
                "event_id": event_id,
                "from": current.value,
                "to": final.value,
                "reason": why,
            }
            if final == AlertStatus.FALSE_POSITIVE and cur.entity_id:
                fp = conn.execute(
                    select(evidence_snapshots.c.entity_fingerprint).where(
                        evidence_snapshots.c.id == cur.latest_snapshot_id
                    )
                ).scalar_one_or_none()
                if fp:
                    details["suppression_id"] = create_suppression(
                        conn,
                        counterparty_key=cur.counterparty_key,
                        entity_id=cur.entity_id,
                        fingerprint=fp,
                        alert_id=alert_id,
                        decision_event_id=event_id,
                        actor=actor.actor,
                        now=now,
                        days=self.suppression_days,
                    )
            audit_chain.append(conn, now, actor.actor, f"alert.{kind}", details)
            alert = load_alert(conn, alert_id)
        assert alert is not None
        return alert
