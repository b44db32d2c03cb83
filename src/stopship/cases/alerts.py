"""Alerts from screening results: one per alerting (counterparty, list entity) pair, or
per (document, reason code) for reasons about no listed entity. A pair with an alert
still open is updated (an event and a new evidence snapshot), not duplicated; a pair on
the good-guy list is stored closed with ``suppressed_by`` set."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import insert, select, text, update
from sqlalchemy.engine import Connection

from stopship.cases import audit as audit_chain
from stopship.cases import webhooks as hooks
from stopship.cases.base import ServiceBase
from stopship.cases.keying import counterparty_key, document_key
from stopship.cases.models import ACTIVE_STATUSES, Alert, AlertStatus, Level, Origin
from stopship.cases.monitoring import remember
from stopship.cases.rows import alert_from_row, alert_select
from stopship.cases.schema import alert_events, alerts, evidence_snapshots
from stopship.cases.suppression import active_suppression
from stopship.errors import EntityNotFoundError
from stopship.match.model import Hit, QueryResult
from stopship.screen.decision import Decision, Reason, Severity

Outcome = Literal["opened", "updated", "suppressed"]
_LEVEL_RANK = {"review": 0, "block": 1}


@dataclass
class Candidate:
    """One alert as a screening wants it: what, about whom, and the evidence."""

    level: Level
    counterparty: str
    counterparty_key: str
    entity_id: str | None
    source: str | None
    score: float | None
    origin: Origin
    dedup_key: str
    evidence: dict[str, Any]
    fingerprint: str | None = None
    document_id: str | None = None
    reason_code: str | None = None


def hit_level(hit: Hit) -> Level:
    """A match as confident as a blocking party match in screening is block-level."""
    from stopship.screen.parties import Thresholds  # the matcher's import chain, on use

    return "block" if hit.score >= Thresholds().party_block else "review"


def _pair_key(ckey: str, entity_id: str) -> str:
    return f"pair:{entity_id}|{ckey}"


def _lock(conn: Connection, dedup_key: str) -> None:
    """Serialise writers of one pair on PostgreSQL (SQLite writers are serial already)."""
    if conn.dialect.name == "postgresql":
        n = int.from_bytes(hashlib.sha256(dedup_key.encode()).digest()[:8], "big", signed=True)
        conn.execute(text("SELECT pg_advisory_xact_lock(:n)"), {"n": n})


def _snapshot(conn: Connection, alert_id: int, c: Candidate, now: datetime) -> int:
    return int(
        conn.execute(
            insert(evidence_snapshots)
            .values(
                alert_id=alert_id,
                at=now,
                origin=c.origin,
                entity_fingerprint=c.fingerprint,
                evidence=c.evidence,
            )
            .returning(evidence_snapshots.c.id)
        ).scalar_one()
    )


def add_event(
    conn: Connection,
    alert_id: int,
    now: datetime,
    actor: str,
    kind: str,
    *,
    key_id: int | None = None,
    status_from: str | None = None,
    status_to: str | None = None,
    text_: str | None = None,
) -> int:
    return int(
        conn.execute(
            insert(alert_events)
            .values(
                alert_id=alert_id,
                at=now,
                actor=actor,
                actor_key_id=key_id,
                kind=kind,
                status_from=status_from,
                status_to=status_to,
                text=text_,
            )
            .returning(alert_events.c.id)
        ).scalar_one()
    )


def load_alert(conn: Connection, alert_id: int) -> Alert | None:
    r = conn.execute(alert_select().where(alerts.c.id == alert_id)).one_or_none()
    return None if r is None else alert_from_row(r)


def record(conn: Connection, c: Candidate, actor: str, now: datetime) -> tuple[Alert, Outcome]:
    """Open, update or store-as-suppressed the alert for one candidate (and audit it)."""
    _lock(conn, c.dedup_key)
    sup = None
    if c.entity_id and c.fingerprint:
        sup = active_suppression(conn, c.counterparty_key, c.entity_id, c.fingerprint, now)
    if sup is not None:
        existing = conn.execute(
            select(alerts.c.id, alerts.c.version)
            .where(
                alerts.c.dedup_key == c.dedup_key,
                alerts.c.suppressed_by == sup.decision_event_id,
            )
            .order_by(alerts.c.id.desc())
            .limit(1)
        ).one_or_none()
    else:
        existing = conn.execute(
            select(alerts.c.id, alerts.c.version)
            .where(
                alerts.c.dedup_key == c.dedup_key,
                alerts.c.status.in_([s.value for s in ACTIVE_STATUSES]),
            )
            .order_by(alerts.c.id.desc())
            .limit(1)
        ).one_or_none()
    outcome: Outcome
    if existing is not None:
        aid = int(existing.id)
        snap = _snapshot(conn, aid, c, now)
        cur = conn.execute(select(alerts.c.level, alerts.c.score).where(alerts.c.id == aid)).one()
        level = c.level if _LEVEL_RANK[c.level] > _LEVEL_RANK[cur.level] else cur.level
        conn.execute(
            update(alerts)
            .where(alerts.c.id == aid)
            .values(
                latest_snapshot_id=snap,
                level=level,
                score=c.score,
                updated_at=now,
                version=alerts.c.version + 1,
            )
        )
        kind = "suppressed" if sup is not None else "updated"
        note = f"screened again ({c.origin}); evidence snapshot {snap}"
        if sup is not None:
            note += f"; still suppressed by decision {sup.decision_event_id}"
        add_event(conn, aid, now, actor, kind, text_=note)
        outcome = "suppressed" if sup is not None else "updated"
    else:
        status = AlertStatus.FALSE_POSITIVE if sup is not None else AlertStatus.OPEN
        aid = int(
            conn.execute(
                insert(alerts)
                .values(
                    status=status.value,
                    level=c.level,
                    counterparty=c.counterparty,
                    counterparty_key=c.counterparty_key,
                    entity_id=c.entity_id,
                    source=c.source,
                    score=c.score,
                    origin=c.origin,
                    document_id=c.document_id,
                    reason_code=c.reason_code,
                    dedup_key=c.dedup_key,
                    created_at=now,
                    updated_at=now,
                    version=1,
                    suppressed_by=sup.decision_event_id if sup is not None else None,
                )
                .returning(alerts.c.id)
            ).scalar_one()
        )
        snap = _snapshot(conn, aid, c, now)
        conn.execute(update(alerts).where(alerts.c.id == aid).values(latest_snapshot_id=snap))
        add_event(conn, aid, now, actor, "created", status_to=status.value)
        if sup is not None:
            add_event(
                conn,
                aid,
                now,
                actor,
                "suppressed",
                status_from=None,
                status_to=status.value,
                text_=(
                    f"suppressed by decision {sup.decision_event_id} on alert {sup.alert_id} "
                    f"(good-guy list entry {sup.id}, "
                    f"until {sup.expires_at.isoformat() if sup.expires_at else 'revoked'})"
                ),
            )
            outcome = "suppressed"
        else:
            outcome = "opened"
    alert = load_alert(conn, aid)
    assert alert is not None
    if outcome == "opened":
        hooks.enqueue(conn, alert, now)
    audit_chain.append(
        conn,
        now,
        actor,
        f"alert.{outcome}",
        {
            "alert_id": aid,
            "counterparty": c.counterparty,
            "entity_id": c.entity_id,
            "document_id": c.document_id,
            "origin": c.origin,
            "level": alert.level,
            "score": c.score,
            "suppressed_by": alert.suppressed_by,
        },
    )
    return alert, outcome


class AlertsMixin(ServiceBase):
    def _entity_record(self, entity_id: str) -> tuple[dict[str, Any] | None, str | None]:
        """The list record in service for an entity and its fingerprint (None if gone)."""
        try:
            ent = self.store.get_entity(entity_id)
        except EntityNotFoundError:
            return None, None
        return ent.content(), ent.content_hash()

    def _record_all(
        self, candidates: Sequence[Candidate], actor: str
    ) -> list[tuple[Alert, Outcome]]:
        out: list[tuple[Alert, Outcome]] = []
        for c in candidates:
            with self._write() as conn:
                out.append(record(conn, c, actor, self.now()))
        return out

    # ------------------------------------------------------------------ match results

    def match_candidates(self, result: QueryResult, origin: Origin = "match") -> list[Candidate]:
        q = result.query
        ckey = counterparty_key(
            q.name, q.kind.value if q.kind else None, q.country, q.birth_date, q.id
        )
        screened_at = self.now().isoformat()
        query_json = result.query.model_dump(mode="json", exclude={"ref"})
        out: list[Candidate] = []
        for hit in result.hits:
            if not hit.alert:
                continue
            record_, fp = self._entity_record(hit.entity_id)
            out.append(
                Candidate(
                    level=hit_level(hit),
                    counterparty=q.name,
                    counterparty_key=ckey,
                    entity_id=hit.entity_id,
                    source=hit.source,
                    score=hit.score,
                    origin=origin,
                    dedup_key=_pair_key(ckey, hit.entity_id),
                    fingerprint=fp,
                    evidence={
                        "origin": origin,
                        "screened_at": screened_at,
                        "query": query_json,
                        "normalized": result.normalized,
                        "list_versions": result.list_versions,
                        "warnings": result.warnings,
                        "hit": hit.model_dump(mode="json"),
                        "entity": record_,
                        "entity_fingerprint": fp,
                    },
                )
            )
        return out

    def alerts_from_match(
        self, result: QueryResult, *, actor: str, monitor: bool = False
    ) -> list[Alert]:
        """One alert per alerting hit (opened, updated or stored as suppressed).
        ``monitor`` remembers the query's counterparty for re-screening on list updates."""
        if monitor and result.error is None:
            q = result.query
            with self._write() as conn:
                remember(
                    conn,
                    self.now(),
                    q.name,
                    kind=q.kind.value if q.kind else None,
                    country=q.country,
                    birth_date=q.birth_date,
                    id_value=q.id,
                    origin="match",
                    actor=actor,
                )
        return [a for a, _ in self._record_all(self.match_candidates(result), actor)]

    # ------------------------------------------------------------------ document decisions

    def decision_candidates(self, decision: Decision) -> list[Candidate]:
        origin: Origin = "order" if decision.document_type == "order" else "payment"
        doc = {
            "id": decision.document_id,
            "type": decision.document_type,
            "decision": decision.decision.value,
            "screened_at": decision.screened_at.isoformat(),
            "ruleset_version": decision.ruleset_version,
        }
        by_key: dict[str, Candidate] = {}
        for reason in decision.reasons:
            if reason.severity not in (Severity.BLOCK, Severity.REVIEW):
                continue
            level: Level = "block" if reason.severity == Severity.BLOCK else "review"
            reason_json = reason.model_dump(mode="json")
            if reason.entity_ids:
                who = _subject_text(reason)
                ckey = counterparty_key(who)
                if reason.check != "party":
                    ckey = counterparty_key(f"{reason.check}: {who}")
                for eid in reason.entity_ids:
                    dkey = _pair_key(ckey, eid)
                    if dkey in by_key:
                        _merge(by_key[dkey], level, reason_json)
                        continue
                    record_, fp = self._entity_record(eid)
                    by_key[dkey] = Candidate(
                        level=level,
                        counterparty=who,
                        counterparty_key=ckey,
                        entity_id=eid,
                        source=eid.split(":", 1)[0],
                        score=_reason_score(reason),
                        origin=origin,
                        dedup_key=dkey,
                        fingerprint=fp,
                        document_id=decision.document_id,
                        reason_code=reason.code,
                        evidence={
                            "origin": origin,
                            "document": doc,
                            "list_versions": decision.list_versions,
                            "reasons": [reason_json],
                            "entity": record_,
                            "entity_fingerprint": fp,
                        },
                    )
            else:
                dkey = f"doc:{decision.document_id}|{reason.code}"
                if dkey in by_key:
                    _merge(by_key[dkey], level, reason_json)
                    by_key[dkey].counterparty += f"; {reason.subject}"
                    continue
                by_key[dkey] = Candidate(
                    level=level,
                    counterparty=reason.subject,
                    counterparty_key=document_key(decision.document_id),
                    entity_id=None,
                    source=None,
                    score=None,
                    origin=origin,
                    dedup_key=dkey[:700],
                    document_id=decision.document_id,
                    reason_code=reason.code,
                    evidence={
                        "origin": origin,
                        "document": doc,
                        "list_versions": decision.list_versions,
                        "reasons": [reason_json],
                    },
                )
        return list(by_key.values())

    def alerts_from_decision(
        self,
        decision: Decision,
        *,
        actor: str,
        monitor: bool = False,
        parties: list[str] | None = None,
    ) -> list[Alert]:
        """One alert per blocking or reviewing reason about a listed entity (per party and
        entity), and one per (document, reason code) for the others (goods, routes).
        ``monitor`` remembers ``parties`` (the document's party names), or when none are
        given the parties named by the party reasons."""
        if monitor:
            names = parties
            if names is None:
                names = [_subject_text(r) for r in decision.reasons if r.check == "party"]
            origin = "order" if decision.document_type == "order" else "payment"
            with self._write() as conn:
                for name in dict.fromkeys(n for n in names if n and n.strip()):
                    remember(conn, self.now(), name, origin=origin, actor=actor)
        return [a for a, _ in self._record_all(self.decision_candidates(decision), actor)]


def _subject_text(reason: Reason) -> str:
    """ "consignee: OOO Example" -> "OOO Example"."""
    _, sep, rest = reason.subject.partition(": ")
    return rest.strip() if sep and rest.strip() else reason.subject


def _reason_score(reason: Reason) -> float | None:
    hit = reason.evidence.get("hit")
    if isinstance(hit, dict) and isinstance(hit.get("score"), int | float):
        return float(hit["score"])
    score = reason.evidence.get("score")
    return float(score) if isinstance(score, int | float) else None


def _merge(c: Candidate, level: Level, reason_json: dict[str, Any]) -> None:
    if _LEVEL_RANK[level] > _LEVEL_RANK[c.level]:
        c.level = level
    c.evidence.setdefault("reasons", []).append(reason_json)
