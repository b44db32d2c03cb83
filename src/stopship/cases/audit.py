"""The audit log: append-only rows chained by SHA-256, and their verification.

Each row's ``hash`` is ``sha256(prev_hash + canonical JSON of (seq, at, actor, event,
details))``; the first row's ``prev_hash`` is 64 zeros. ``audit_head`` holds the last
seq and hash; appending locks it, so rows are chained in one order even with several
writers. Verification recomputes every hash: a changed, deleted, inserted or reordered
row breaks the chain at that row.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from stopship.cases.base import ServiceBase, utc
from stopship.cases.models import AuditEntry, AuditReport
from stopship.cases.schema import audit_head, audit_log
from stopship.errors import AuditTamperedError

GENESIS = "0" * 64


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(seq: int, at: datetime, actor: str, event: str, details: Any) -> str:
    row = {"seq": seq, "at": _iso(at), "actor": actor, "event": event, "details": details}
    return json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(prev_hash: str, seq: int, at: datetime, actor: str, event: str, details: Any) -> str:
    payload = prev_hash + canonical(seq, at, actor, event, details)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def plain_json(details: dict[str, Any]) -> dict[str, Any]:
    """The details as they come back from a JSON column (so the hash re-verifies)."""
    out: dict[str, Any] = json.loads(json.dumps(details, ensure_ascii=False, default=str))
    return out


#: built once: statements made per call cost SQLAlchemy more than the database does
_LOCK_HEAD = (
    select(audit_head.c.seq, audit_head.c.hash).where(audit_head.c.id == 1).with_for_update()
)
_INSERT_ROW = insert(audit_log)
_MOVE_HEAD = update(audit_head).where(audit_head.c.id == 1)

#: one row to append: (at, actor, event, details)
Pending = tuple[datetime, str, str, dict[str, Any]]


def append(
    conn: Connection, at: datetime, actor: str, event: str, details: dict[str, Any]
) -> AuditEntry:
    """Append one row inside the caller's transaction (call it last: it locks the head)."""
    return append_many(conn, [(at, actor, event, details)])[0]


def append_many(conn: Connection, rows: Sequence[Pending]) -> list[AuditEntry]:
    """Append rows in this order inside the caller's transaction, each chained to the
    one before: one read of the head (locked), one insert of all rows, one update of the
    head. Call it last in a transaction: it locks the head until the commit."""
    if not rows:
        return []
    head = conn.execute(_LOCK_HEAD).one()
    seq, prev = int(head.seq), str(head.hash)
    out: list[AuditEntry] = []
    for at, actor, event, details in rows:
        seq += 1
        data = plain_json(details)
        at = utc(at)
        h = chain_hash(prev, seq, at, actor, event, data)
        out.append(
            AuditEntry(
                seq=seq, at=at, actor=actor, event=event, details=data, prev_hash=prev, hash=h
            )
        )
        prev = h
    conn.execute(
        _INSERT_ROW,
        [
            {
                "seq": e.seq,
                "at": e.at,
                "actor": e.actor,
                "event": e.event,
                "details": e.details,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in out
        ],
    )
    conn.execute(_MOVE_HEAD, {"seq": seq, "hash": prev})
    return out


def verify(conn: Connection) -> AuditReport:
    """Walk the chain from the first row; report the first row that does not verify."""
    prev = GENESIS
    expected = 1
    rows = 0
    result = conn.execution_options(stream_results=True, yield_per=2000).execute(
        select(audit_log).order_by(audit_log.c.seq)
    )
    for r in result:
        rows += 1
        bad: str | None = None
        if r.seq != expected:
            bad = (
                f"row {expected} is missing (deleted?): the next row is {r.seq}"
                if r.seq > expected
                else f"row {r.seq} is out of order"
            )
        elif r.prev_hash != prev:
            bad = f"row {r.seq} does not follow row {r.seq - 1} (inserted, removed or reordered)"
        elif chain_hash(prev, r.seq, utc(r.at), r.actor, r.event, r.details) != r.hash:
            bad = f"row {r.seq} was changed after it was written"
        if bad is not None:
            result.close()
            return AuditReport(
                ok=False, rows=rows, head=None, first_bad_seq=min(expected, r.seq), problem=bad
            )
        prev = r.hash
        expected += 1
    head = conn.execute(select(audit_head.c.seq, audit_head.c.hash)).all()
    last = expected - 1
    if len(head) != 1 or head[0].seq != last or head[0].hash != prev:
        head_seq = head[0].seq if len(head) == 1 else None
        return AuditReport(
            ok=False,
            rows=rows,
            head=None,
            first_bad_seq=_first_bad_seq_at_end(head_seq, last),
            problem=(
                f"the chain ends at row {last} but its head records row {head_seq}: "
                "rows were removed from (or added to) its end"
            ),
        )
    return AuditReport(ok=True, rows=rows, head=prev)


def _first_bad_seq_at_end(head_seq: int | None, last: int) -> int:
    """Rows removed from the end: the first missing one; rows appended behind the head's
    back: the first of them; a rewritten head: the last row."""
    if head_seq is None or head_seq == last:
        return max(last, 1)
    return last + 1 if head_seq > last else head_seq + 1


class AuditMixin(ServiceBase):
    def audit(self, event: str, *, actor: str, details: dict[str, Any]) -> None:
        """Append one audit row in its own transaction."""
        with self._write() as conn:
            append(conn, self.now(), actor, event, details)

    def verify_audit(self) -> AuditReport:
        with self._read() as conn:
            return verify(conn)

    def require_intact_audit(self) -> AuditReport:
        """:meth:`verify_audit`, raising :class:`AuditTamperedError` when it fails."""
        report = self.verify_audit()
        if not report.ok:
            raise AuditTamperedError(
                f"audit log tampered at row {report.first_bad_seq}: {report.problem}"
            )
        return report

    def audit_entries(self, *, limit: int = 100, offset: int = 0) -> list[AuditEntry]:
        """The newest rows first."""
        with self._read() as conn:
            rows = conn.execute(
                select(audit_log).order_by(audit_log.c.seq.desc()).limit(limit).offset(offset)
            ).all()
        return [
            AuditEntry(
                seq=r.seq,
                at=utc(r.at),
                actor=r.actor,
                event=r.event,
                details=r.details,
                prev_hash=r.prev_hash,
                hash=r.hash,
            )
            for r in rows
        ]
