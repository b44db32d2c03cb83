"""Alerts from screening results: one per alerting (counterparty, list entity) pair, or
per (document, reason code) for reasons about no listed entity. A pair with an alert
still open is updated (an event and a new evidence snapshot), not duplicated; a pair on
the good-guy list is stored closed with ``suppressed_by`` set."""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import bindparam, insert, or_, select, text, update
from sqlalchemy.engine import Connection

from stopship.cases import audit as audit_chain
from stopship.cases import webhooks as hooks
from stopship.cases.base import ServiceBase
from stopship.cases.keying import counterparty_key, document_key
from stopship.cases.models import (
    ACTIVE_STATUSES,
    Alert,
    AlertStatus,
    Level,
    Origin,
    Suppression,
)
from stopship.cases.monitoring import remember
from stopship.cases.rows import alert_from_row, alert_select, suppression_from_row
from stopship.cases.schema import alert_events, alerts, evidence_snapshots, suppressions
from stopship.match.model import Hit, QueryResult
from stopship.model import Entity
from stopship.screen.decision import Decision, Reason, Severity

Outcome = Literal["opened", "updated", "suppressed"]
#: the audit row of a screening call, from the alerts it recorded: (event, details)
AuditCall = Callable[[list[Alert]], tuple[str, dict[str, Any]]]
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


# the locks one by one in ascending order (a sorted subquery feeds the function)
_ADVISORY_LOCKS = text(
    "SELECT count(pg_advisory_xact_lock(n)) FROM "
    "(SELECT unnest(CAST(:ns AS bigint[])) AS n ORDER BY 1) AS pairs"
)


def _lock_pairs(conn: Connection, dedup_keys: Sequence[str]) -> None:
    """Serialise writers of the same pairs on PostgreSQL (SQLite writers are serial
    already), with one statement. The locks are taken in ascending order, so two calls
    locking some of the same pairs cannot deadlock; call it before anything else that
    locks."""
    if conn.dialect.name != "postgresql" or not dedup_keys:
        return
    ns = sorted(
        {
            int.from_bytes(hashlib.sha256(k.encode()).digest()[:8], "big", signed=True)
            for k in dedup_keys
        }
    )
    conn.execute(_ADVISORY_LOCKS, {"ns": ns})


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


# Statements built once (with expanding parameters for the IN lists): SQLAlchemy then
# reuses their compiled form, which costs less than building them per call.
_ACTIVE = [s.value for s in ACTIVE_STATUSES]
_SUPPRESSIONS = (
    select(suppressions)
    .where(
        suppressions.c.counterparty_key.in_(bindparam("ckeys", expanding=True)),
        suppressions.c.entity_id.in_(bindparam("eids", expanding=True)),
        suppressions.c.revoked_at.is_(None),
    )
    .order_by(suppressions.c.id.desc())
)
_EXISTING = (
    select(alerts)
    .where(
        alerts.c.dedup_key.in_(bindparam("keys", expanding=True)),
        or_(
            alerts.c.status.in_(_ACTIVE),
            alerts.c.suppressed_by.in_(bindparam("sups", expanding=True)),
        ),
    )
    .order_by(alerts.c.id.desc())
)
# rows come back in no promised order: they are matched by the pair (unique in a wave)
# and by the alert, which lets both backends insert all rows in one statement
_INSERT_ALERTS = insert(alerts).returning(alerts.c.id, alerts.c.dedup_key)
_INSERT_SNAPSHOTS = insert(evidence_snapshots).returning(
    evidence_snapshots.c.id, evidence_snapshots.c.alert_id
)
_INSERT_EVENTS = insert(alert_events)
_FIRST_SNAPSHOT = (
    update(alerts)
    .where(alerts.c.id == bindparam("aid"))
    .values(latest_snapshot_id=bindparam("snap"))
)
_SCREENED_AGAIN = (
    update(alerts)
    .where(alerts.c.id == bindparam("aid"))
    .values(
        latest_snapshot_id=bindparam("snap"),
        level=bindparam("new_level"),
        score=bindparam("new_score"),
        updated_at=bindparam("now"),
        version=alerts.c.version + 1,
    )
    .returning(*alerts.c)
)


def _suppressions_for(
    conn: Connection, candidates: Sequence[Candidate], now: datetime
) -> list[Suppression | None]:
    """The active suppression of each candidate's pair, bound to its entity's current
    fingerprint (None for none): one query for all of them."""
    wanted = [c for c in candidates if c.entity_id and c.fingerprint]
    if not wanted:
        return [None] * len(candidates)
    rows = conn.execute(
        _SUPPRESSIONS,
        {
            "ckeys": sorted({c.counterparty_key for c in wanted}),
            "eids": sorted({str(c.entity_id) for c in wanted}),
        },
    ).all()
    found = [suppression_from_row(r) for r in rows]  # newest first
    out: list[Suppression | None] = []
    for c in candidates:
        sup = None
        if c.entity_id and c.fingerprint:
            sup = next(
                (
                    s
                    for s in found
                    if s.counterparty_key == c.counterparty_key
                    and s.entity_id == c.entity_id
                    and s.fingerprint == c.fingerprint
                    and s.active(now)
                ),
                None,
            )
        out.append(sup)
    return out


def _existing_for(
    conn: Connection, candidates: Sequence[Candidate], sups: Sequence[Suppression | None]
) -> list[Any]:
    """The alert each candidate updates (the row, or None): for a suppressed pair the
    latest alert stored suppressed by the same decision, otherwise the latest active
    alert of the pair. One query for all of them."""
    sup_ids = sorted({s.decision_event_id for s in sups if s is not None})
    rows = conn.execute(
        _EXISTING, {"keys": sorted({c.dedup_key for c in candidates}), "sups": sup_ids}
    ).all()  # newest first
    out: list[Any] = []
    for c, sup in zip(candidates, sups, strict=True):
        if sup is not None:
            row = next(
                (
                    r
                    for r in rows
                    if r.dedup_key == c.dedup_key and r.suppressed_by == sup.decision_event_id
                ),
                None,
            )
        else:
            row = next(
                (r for r in rows if r.dedup_key == c.dedup_key and r.status in _ACTIVE), None
            )
        out.append(row)
    return out


def _waves(candidates: Sequence[Candidate]) -> list[list[int]]:
    """Candidate positions in groups without a repeated pair (almost always one group):
    a pair repeated within one call updates the alert its first occurrence recorded."""
    waves: list[list[int]] = []
    seen: list[set[str]] = []
    for i, c in enumerate(candidates):
        for wave, keys in zip(waves, seen, strict=True):
            if c.dedup_key not in keys:
                wave.append(i)
                keys.add(c.dedup_key)
                break
        else:
            waves.append([i])
            seen.append({c.dedup_key})
    return waves


def record_many(
    conn: Connection,
    candidates: Sequence[Candidate],
    actor: str,
    now: datetime,
    audits: list[audit_chain.Pending],
) -> tuple[list[tuple[Alert, Outcome]], int]:
    """Open, update or store-as-suppressed the alert of each candidate, in order, inside
    the caller's transaction, with a handful of statements for all of them (not per
    alert); their audit rows are added to ``audits`` for the caller to append last.
    Also answers how many webhook deliveries were queued."""
    results: list[tuple[Alert, Outcome] | None] = [None] * len(candidates)
    hooks_cache: list[list[int]] = []
    for wave in _waves(candidates):
        batch = [candidates[i] for i in wave]
        for i, res in zip(wave, _record_wave(conn, batch, actor, now, hooks_cache), strict=True):
            results[i] = res
    out = [r for r in results if r is not None]
    opened = sum(1 for _, o in out if o == "opened")
    queued = opened * len(hooks_cache[0]) if hooks_cache else 0
    for alert, outcome in out:
        audits.append(
            (
                now,
                actor,
                f"alert.{outcome}",
                {
                    "alert_id": alert.id,
                    "counterparty": alert.counterparty,
                    "entity_id": alert.entity_id,
                    "document_id": alert.document_id,
                    "origin": alert.origin,
                    "level": alert.level,
                    "score": alert.score,
                    "suppressed_by": alert.suppressed_by,
                },
            )
        )
    return out, queued


def _record_wave(
    conn: Connection,
    batch: Sequence[Candidate],
    actor: str,
    now: datetime,
    hooks_cache: list[list[int]],
) -> list[tuple[Alert, Outcome]]:
    sups = _suppressions_for(conn, batch, now)
    existing = _existing_for(conn, batch, sups)
    new = [i for i, row in enumerate(existing) if row is None]
    new_ids: dict[int, int] = {}
    if new:
        inserted = conn.execute(
            _INSERT_ALERTS,
            [
                {
                    "status": (
                        AlertStatus.FALSE_POSITIVE if sups[i] is not None else AlertStatus.OPEN
                    ).value,
                    "level": batch[i].level,
                    "counterparty": batch[i].counterparty,
                    "counterparty_key": batch[i].counterparty_key,
                    "entity_id": batch[i].entity_id,
                    "source": batch[i].source,
                    "score": batch[i].score,
                    "origin": batch[i].origin,
                    "document_id": batch[i].document_id,
                    "reason_code": batch[i].reason_code,
                    "dedup_key": batch[i].dedup_key,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                    "suppressed_by": _sup_id(sups[i]),
                }
                for i in new
            ],
        ).all()
        by_pair = {r.dedup_key: int(r.id) for r in inserted}
        new_ids = {i: by_pair[batch[i].dedup_key] for i in new}
    alert_ids = [new_ids[i] if i in new_ids else int(existing[i].id) for i in range(len(batch))]
    snap_of = {
        int(r.alert_id): int(r.id)
        for r in conn.execute(
            _INSERT_SNAPSHOTS,
            [
                {
                    "alert_id": aid,
                    "at": now,
                    "origin": c.origin,
                    "entity_fingerprint": c.fingerprint,
                    "evidence": c.evidence,
                }
                for aid, c in zip(alert_ids, batch, strict=True)
            ],
        ).all()
    }
    snaps = [snap_of[aid] for aid in alert_ids]
    if new:
        conn.execute(_FIRST_SNAPSHOT, [{"aid": new_ids[i], "snap": snaps[i]} for i in new])
    out: list[tuple[Alert, Outcome]] = []
    events: list[dict[str, Any]] = []
    for i, c in enumerate(batch):
        sup, aid = sups[i], alert_ids[i]
        outcome: Outcome
        if i in new_ids:
            status = AlertStatus.FALSE_POSITIVE if sup is not None else AlertStatus.OPEN
            alert = Alert(
                id=aid,
                status=status,
                level=c.level,
                counterparty=c.counterparty,
                counterparty_key=c.counterparty_key,
                entity_id=c.entity_id,
                source=c.source,
                score=c.score,
                origin=c.origin,
                document_id=c.document_id,
                reason_code=c.reason_code,
                created_at=now,
                updated_at=now,
                version=1,
                suppressed_by=_sup_id(sup),
                evidence=c.evidence,
            )
            events.append(_event(aid, now, actor, "created", status_to=status.value))
            if sup is not None:
                events.append(
                    _event(
                        aid,
                        now,
                        actor,
                        "suppressed",
                        status_to=status.value,
                        text_=(
                            f"suppressed by decision {sup.decision_event_id} on alert "
                            f"{sup.alert_id} (good-guy list entry {sup.id}, until "
                            f"{sup.expires_at.isoformat() if sup.expires_at else 'revoked'})"
                        ),
                    )
                )
                outcome = "suppressed"
            else:
                outcome = "opened"
        else:
            cur = existing[i]
            level = c.level if _LEVEL_RANK[c.level] > _LEVEL_RANK[cur.level] else cur.level
            row = conn.execute(
                _SCREENED_AGAIN,
                {
                    "aid": aid,
                    "snap": snaps[i],
                    "new_level": level,
                    "new_score": c.score,
                    "now": now,
                },
            ).one()
            alert = alert_from_row(row).model_copy(update={"evidence": c.evidence})
            note = f"screened again ({c.origin}); evidence snapshot {snaps[i]}"
            if sup is not None:
                note += f"; still suppressed by decision {sup.decision_event_id}"
            kind = "suppressed" if sup is not None else "updated"
            events.append(_event(aid, now, actor, kind, text_=note))
            outcome = "suppressed" if sup is not None else "updated"
        out.append((alert, outcome))
    conn.execute(_INSERT_EVENTS, events)
    opened = [a for a, o in out if o == "opened"]
    if opened:
        if not hooks_cache:
            hooks_cache.append(hooks.active_webhooks(conn))
        hooks.enqueue_many(conn, opened, now, hooks_cache[0])
    return out


def _sup_id(sup: Suppression | None) -> int | None:
    return None if sup is None else sup.decision_event_id


def _event(
    alert_id: int,
    now: datetime,
    actor: str,
    kind: str,
    *,
    status_to: str | None = None,
    text_: str | None = None,
) -> dict[str, Any]:
    return {
        "alert_id": alert_id,
        "at": now,
        "actor": actor,
        "actor_key_id": None,
        "kind": kind,
        "status_from": None,
        "status_to": status_to,
        "text": text_,
    }


class AlertsMixin(ServiceBase):
    #: webhook deliveries this object queued so far (a service delivers at once when it
    #: grows, instead of at its next pass)
    deliveries_queued: int = 0

    #: how many list records (as JSON, with their fingerprints) are kept in memory
    entity_cache_size: int = 4096

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: (entity id, list version) -> (the record as JSON, its fingerprint)
        self._entity_cache: OrderedDict[tuple[str, int], tuple[str, str]] = OrderedDict()

    def _entity_records(
        self, entity_ids: Sequence[str]
    ) -> dict[str, tuple[dict[str, Any] | None, str | None]]:
        """The list record in service of each entity and its fingerprint ((None, None)
        for one no longer listed): one read for all of them. Records already seen in the
        same list version are not parsed and hashed again (a version never changes)."""
        stored = self.store.entity_records(entity_ids) if entity_ids else {}
        cache = self._entity_cache
        out: dict[str, tuple[dict[str, Any] | None, str | None]] = {}
        for eid in entity_ids:
            if eid not in stored:
                out[eid] = (None, None)
                continue
            version, data = stored[eid]
            hit = cache.get((eid, version))
            if hit is None:
                ent = Entity.model_validate_json(data)
                hit = (json.dumps(ent.content(), ensure_ascii=False), ent.content_hash())
                cache[(eid, version)] = hit
                while len(cache) > self.entity_cache_size:
                    cache.popitem(last=False)
            # a fresh copy each time: the caller's evidence may be changed
            out[eid] = (json.loads(hit[0]), hit[1])
        return out

    def _record_all(
        self,
        candidates: Sequence[Candidate],
        actor: str,
        *,
        remember_first: Callable[[Connection, datetime, list[audit_chain.Pending]], None]
        | None = None,
        audit_call: AuditCall | None = None,
    ) -> list[tuple[Alert, Outcome]]:
        """Record the candidates' alerts in one transaction, with the audit rows of
        those alerts and, when ``audit_call`` is given, the audit row of the call that
        produced them (``audit_call(alerts)`` gives its event and details), appended
        last in that order. ``remember_first`` runs first in the same transaction
        (monitoring)."""
        if not candidates and remember_first is None and audit_call is None:
            return []
        with self._write() as conn:
            now = self.now()
            audits: list[audit_chain.Pending] = []
            _lock_pairs(conn, [c.dedup_key for c in candidates])
            if remember_first is not None:
                remember_first(conn, now, audits)
            out, queued = record_many(conn, candidates, actor, now, audits)
            if audit_call is not None:
                event, details = audit_call([a for a, _ in out])
                audits.append((now, actor, event, details))
            audit_chain.append_many(conn, audits)
        self.deliveries_queued += queued
        return out

    # ------------------------------------------------------------------ match results

    def match_candidates(self, result: QueryResult, origin: Origin = "match") -> list[Candidate]:
        if not any(h.alert for h in result.hits):
            return []  # most names screened: nothing to record
        q = result.query
        ckey = counterparty_key(
            q.name, q.kind.value if q.kind else None, q.country, q.birth_date, q.id
        )
        screened_at = self.now().isoformat()
        query_json = result.query.model_dump(mode="json", exclude={"ref"})
        out: list[Candidate] = []
        records = self._entity_records([h.entity_id for h in result.hits if h.alert])
        for hit in result.hits:
            if not hit.alert:
                continue
            record_, fp = records[hit.entity_id]
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
        self,
        result: QueryResult,
        *,
        actor: str,
        monitor: bool = False,
        audit_call: AuditCall | None = None,
    ) -> list[Alert]:
        """One alert per alerting hit (opened, updated or stored as suppressed), all in
        one transaction. ``monitor`` remembers the query's counterparty for re-screening
        on list updates; ``audit_call(alerts)`` gives the event and details of an audit
        row for the call itself, written in the same transaction after the alerts'."""
        remember_first = None
        if monitor and result.error is None:
            q = result.query

            def remember_first(
                conn: Connection, now: datetime, audits: list[audit_chain.Pending]
            ) -> None:
                remember(
                    conn,
                    now,
                    q.name,
                    kind=q.kind.value if q.kind else None,
                    country=q.country,
                    birth_date=q.birth_date,
                    id_value=q.id,
                    origin="match",
                    actor=actor,
                    audits=audits,
                )

        recorded = self._record_all(
            self.match_candidates(result),
            actor,
            remember_first=remember_first,
            audit_call=audit_call,
        )
        return [a for a, _ in recorded]

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
        records = self._entity_records(
            list(
                dict.fromkeys(
                    eid
                    for r in decision.reasons
                    if r.severity in (Severity.BLOCK, Severity.REVIEW)
                    for eid in r.entity_ids
                )
            )
        )
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
                    record_, fp = records[eid]
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
        audit_call: AuditCall | None = None,
    ) -> list[Alert]:
        """One alert per blocking or reviewing reason about a listed entity (per party and
        entity), and one per (document, reason code) for the others (goods, routes), all
        in one transaction. ``monitor`` remembers ``parties`` (the document's party
        names), or when none are given the parties named by the party reasons;
        ``audit_call(alerts)`` gives the event and details of an audit row for the call,
        written in the same transaction after the alerts'."""
        remember_first = None
        if monitor:
            names = parties
            if names is None:
                names = [_subject_text(r) for r in decision.reasons if r.check == "party"]
            origin = "order" if decision.document_type == "order" else "payment"
            unique = list(dict.fromkeys(n for n in names if n and n.strip()))

            def remember_first(
                conn: Connection, now: datetime, audits: list[audit_chain.Pending]
            ) -> None:
                for name in unique:
                    remember(conn, now, name, origin=origin, actor=actor, audits=audits)

        recorded = self._record_all(
            self.decision_candidates(decision),
            actor,
            remember_first=remember_first,
            audit_call=audit_call,
        )
        return [a for a, _ in recorded]


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
