"""The audit log's hash chain: intact chains verify; a changed, deleted, inserted or
reordered row (tampered with directly in SQL) is found, with the first bad row."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy import delete, insert, select, update

from stopship.cases import Role
from stopship.cases.audit import GENESIS, chain_hash
from stopship.cases.schema import audit_head, audit_log
from stopship.errors import AuditTamperedError
from tests.cases_fixtures import Env, fx_env, fx_pg, fx_url  # noqa: F401


def _fill(env: Env) -> None:
    admin = env.key(Role.ADMIN, "root")  # 1 key.created
    env.cases.audit("screen.match", actor=admin.actor, details={"name": "Ωmega «x»", "n": 1.5})
    (a,) = env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor=admin.actor)
    env.cases.comment(a.id, "looked at it", actor=admin)
    env.cases.revoke_key(admin.id, actor="cli")
    env.clock.advance(seconds=1)
    env.cases.audit("lists.update", actor="cli", details={"sources": ["test"]})


def _exec(env: Env, stmt: object) -> None:
    with env.store.engine.begin() as conn:
        conn.execute(stmt)  # type: ignore[call-overload]


def test_an_intact_chain_verifies(env: Env) -> None:
    assert env.cases.verify_audit().ok  # empty
    _fill(env)
    report = env.cases.verify_audit()
    assert report.ok and report.rows == 6 and report.first_bad_seq is None
    entries = env.cases.audit_entries(limit=100)
    assert [e.seq for e in entries] == [6, 5, 4, 3, 2, 1]
    assert report.head == entries[0].hash
    assert entries[-1].prev_hash == GENESIS
    for newer, older in itertools.pairwise(entries):
        assert newer.prev_hash == older.hash
    e = entries[4]  # row 2: recompute its hash by hand
    assert e.details == {"name": "Ωmega «x»", "n": 1.5}
    assert e.hash == chain_hash(e.prev_hash, e.seq, e.at, e.actor, e.event, e.details)
    assert env.cases.require_intact_audit().ok


@pytest.mark.parametrize(
    "values",
    [{"details": {"name": "someone else", "n": 1.5}}, {"actor": "mallory"}, {"event": "noop"}],
)
def test_a_changed_row_is_found(env: Env, values: dict[str, object]) -> None:
    _fill(env)
    _exec(env, update(audit_log).where(audit_log.c.seq == 2).values(**values))
    report = env.cases.verify_audit()
    assert not report.ok and report.first_bad_seq == 2
    assert report.problem == "row 2 was changed after it was written"
    with pytest.raises(AuditTamperedError, match="row 2"):
        env.cases.require_intact_audit()


def test_a_changed_time_is_found(env: Env) -> None:
    _fill(env)
    with env.store.engine.connect() as conn:
        at = conn.execute(select(audit_log.c.at).where(audit_log.c.seq == 4)).scalar_one()
    _exec(env, update(audit_log).where(audit_log.c.seq == 4).values(at=at.replace(year=2025)))
    assert env.cases.verify_audit().first_bad_seq == 4


def test_a_row_changed_with_a_recomputed_hash_breaks_the_next_link(env: Env) -> None:
    _fill(env)
    with env.store.engine.connect() as conn:
        r = conn.execute(select(audit_log).where(audit_log.c.seq == 3)).one()
    forged = chain_hash(r.prev_hash, 3, r.at, "mallory", r.event, r.details)
    _exec(
        env,
        update(audit_log).where(audit_log.c.seq == 3).values(actor="mallory", hash=forged),
    )
    report = env.cases.verify_audit()
    assert report.first_bad_seq == 4 and "does not follow" in (report.problem or "")


def test_a_deleted_row_is_found(env: Env) -> None:
    _fill(env)
    _exec(env, delete(audit_log).where(audit_log.c.seq == 3))
    report = env.cases.verify_audit()
    assert not report.ok and report.first_bad_seq == 3 and "missing" in (report.problem or "")


def test_deleting_the_last_rows_is_found(env: Env) -> None:
    _fill(env)
    _exec(env, delete(audit_log).where(audit_log.c.seq >= 5))
    report = env.cases.verify_audit()
    assert not report.ok and report.rows == 4 and report.first_bad_seq == 5
    assert "removed" in (report.problem or "")


def test_an_inserted_row_is_found(env: Env) -> None:
    _fill(env)
    with env.store.engine.connect() as conn:
        rows = conn.execute(select(audit_log).order_by(audit_log.c.seq)).all()
    at = rows[1].at
    # make room after row 2 and insert a well-formed row 3 chained to row 2
    for r in reversed(rows[2:]):
        _exec(env, update(audit_log).where(audit_log.c.seq == r.seq).values(seq=r.seq + 1))
    details = {"alert_id": 1, "to": "false_positive"}
    h = chain_hash(rows[1].hash, 3, at, "mallory", "alert.decision", details)
    _exec(
        env,
        insert(audit_log).values(
            seq=3,
            at=at,
            actor="mallory",
            event="alert.decision",
            details=details,
            prev_hash=rows[1].hash,
            hash=h,
        ),
    )
    report = env.cases.verify_audit()
    assert not report.ok and report.first_bad_seq == 4


def test_a_row_appended_behind_the_head_is_found(env: Env) -> None:
    _fill(env)
    with env.store.engine.connect() as conn:
        last = conn.execute(select(audit_log).where(audit_log.c.seq == 6)).one()
    prev = last.hash
    for seq in (7, 8):  # two well-chained rows, written behind the head's back
        h = chain_hash(prev, seq, last.at, "mallory", "x", {})
        _exec(
            env,
            insert(audit_log).values(
                seq=seq,
                at=last.at,
                actor="mallory",
                event="x",
                details={},
                prev_hash=prev,
                hash=h,
            ),
        )
        prev = h
    report = env.cases.verify_audit()
    assert not report.ok and report.first_bad_seq == 7 and "head" in (report.problem or "")


def test_reordered_rows_are_found(env: Env) -> None:
    _fill(env)
    _exec(env, update(audit_log).where(audit_log.c.seq == 2).values(seq=100))
    _exec(env, update(audit_log).where(audit_log.c.seq == 3).values(seq=2))
    _exec(env, update(audit_log).where(audit_log.c.seq == 100).values(seq=3))
    report = env.cases.verify_audit()
    assert not report.ok and report.first_bad_seq == 2


def test_concurrent_writers_keep_one_chain(env: Env) -> None:
    def write(who: str) -> None:
        for i in range(15):
            env.cases.audit("screen.match", actor=who, details={"i": i})

    threads = [threading.Thread(target=write, args=(f"w{n}",)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    report = env.cases.verify_audit()
    assert report.ok and report.rows == 45
    with env.store.engine.connect() as conn:
        assert conn.execute(select(audit_head.c.seq)).scalar_one() == 45


def test_every_row_is_protected(env: Env) -> None:
    """Change each row in turn (and put it back): the change is found at that row."""
    _fill(env)
    with env.store.engine.connect() as conn:
        rows = conn.execute(select(audit_log.c.seq, audit_log.c.details)).all()
    for seq, details in rows:
        forged = {**details, "forged": True}
        _exec(env, update(audit_log).where(audit_log.c.seq == seq).values(details=forged))
        report = env.cases.verify_audit()
        assert (report.ok, report.first_bad_seq) == (False, seq)
        _exec(env, update(audit_log).where(audit_log.c.seq == seq).values(details=details))
        assert env.cases.verify_audit().ok


def test_deleting_every_row_is_found(env: Env) -> None:
    _fill(env)
    _exec(env, delete(audit_log))
    report = env.cases.verify_audit()
    assert not report.ok and report.rows == 0 and report.first_bad_seq == 1
