"""Monitored counterparties: names screened with ``monitor=True``, kept with the facts
given with them, to be re-screened when the lists change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from stopship.cases import audit as audit_chain
from stopship.cases.base import ServiceBase
from stopship.cases.keying import counterparty_key
from stopship.cases.models import ApiKey, MonitoredCounterparty
from stopship.cases.permissions import ALERTS_DECIDE, require
from stopship.cases.rows import monitored_from_row
from stopship.cases.schema import monitored
from stopship.errors import CaseNotFoundError
from stopship.match.model import Query


def remember(
    conn: Connection,
    now: datetime,
    name: str,
    *,
    kind: str | None = None,
    country: str | None = None,
    birth_date: str | None = None,
    id_value: str | None = None,
    origin: str,
    actor: str,
    audits: list[audit_chain.Pending] | None = None,
) -> int:
    """Add a counterparty to monitoring (or note that it was screened again). With
    ``audits`` the audit row is added to that list, for the caller to append at the end
    of its transaction, instead of being appended at once."""
    key = counterparty_key(name, kind, country, birth_date, id_value)
    existing = conn.execute(select(monitored.c.id).where(monitored.c.key == key)).one_or_none()
    if existing is not None:
        conn.execute(
            update(monitored).where(monitored.c.id == existing.id).values(last_screened_at=now)
        )
        return int(existing.id)
    mid = int(
        conn.execute(
            insert(monitored)
            .values(
                key=key,
                name=name,
                kind=kind,
                country=country,
                birth_date=birth_date,
                id_value=id_value,
                origin=origin,
                created_at=now,
                last_screened_at=now,
            )
            .returning(monitored.c.id)
        ).scalar_one()
    )
    row: audit_chain.Pending = (
        now,
        actor,
        "monitoring.added",
        {"monitored_id": mid, "name": name, "key": key},
    )
    if audits is None:
        audit_chain.append_many(conn, [row])
    else:
        audits.append(row)
    return mid


class MonitoringMixin(ServiceBase):
    def monitor(self, query: Query, *, actor: str, origin: str = "match") -> MonitoredCounterparty:
        """Remember a counterparty for re-screening without screening it now (e.g. a
        customer base registered in bulk)."""
        with self._write() as conn:
            mid = remember(
                conn,
                self.now(),
                query.name,
                kind=query.kind.value if query.kind else None,
                country=query.country,
                birth_date=query.birth_date,
                id_value=query.id,
                origin=origin,
                actor=actor,
            )
            row = conn.execute(select(monitored).where(monitored.c.id == mid)).one()
        return monitored_from_row(row)

    def monitored(self) -> list[MonitoredCounterparty]:
        with self._read() as conn:
            rows = conn.execute(select(monitored).order_by(monitored.c.id)).all()
        return [monitored_from_row(r) for r in rows]

    def unmonitor(self, monitored_id: int, *, actor: ApiKey) -> None:
        """Stop re-screening a counterparty (its alerts stay)."""
        require(actor, ALERTS_DECIDE)
        now = self.now()
        with self._write() as conn:
            r = conn.execute(select(monitored).where(monitored.c.id == monitored_id)).one_or_none()
            if r is None:
                raise CaseNotFoundError(f"no monitored counterparty {monitored_id}")
            conn.execute(delete(monitored).where(monitored.c.id == monitored_id))
            audit_chain.append(
                conn,
                now,
                actor.actor,
                "monitoring.removed",
                {"monitored_id": monitored_id, "name": r.name, "key": r.key},
            )
