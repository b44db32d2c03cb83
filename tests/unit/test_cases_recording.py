"""How a screening call's alerts are written: in one transaction with the call's audit
row, with a fixed number of statements however many alerts the call opens, a pair
repeated within a call updating the alert it opened, and nothing left behind when any
part fails."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select

from stopship.cases import Alert, AlertStatus, Role
from stopship.cases.schema import alert_events, alerts, evidence_snapshots, webhook_deliveries
from stopship.match import QueryResult
from stopship.model import Entity
from tests.cases_fixtures import Env, fixture_entities, fx_env, fx_pg, fx_url  # noqa: F401


def _with_hits(r: QueryResult, entity_ids: list[str]) -> QueryResult:
    """The result with its first hit repeated against other listed entities."""
    hit = r.hits[0]
    hits = [hit.model_copy(update={"entity_id": e, "source": "test"}) for e in entity_ids]
    return r.model_copy(update={"hits": hits})


@contextmanager
def _sql(env: Env) -> Iterator[dict[str, int]]:
    """Counts the statements and commits on the store's engine inside the block."""
    seen = {"statements": 0, "commits": 0}

    def on_statement(*_: Any) -> None:
        seen["statements"] += 1

    def on_commit(*_: Any) -> None:
        seen["commits"] += 1

    event.listen(env.store.engine, "before_cursor_execute", on_statement)
    event.listen(env.store.engine, "commit", on_commit)
    try:
        yield seen
    finally:
        event.remove(env.store.engine, "before_cursor_execute", on_statement)
        event.remove(env.store.engine, "commit", on_commit)


def _call_audit(alerts_: list[Alert]) -> tuple[str, dict[str, Any]]:
    return "screen.test", {"alert_ids": [a.id for a in alerts_]}


def _count(env: Env, table: Any) -> int:
    with env.store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_the_alerts_and_the_audit_row_of_a_call_are_one_transaction(env: Env) -> None:
    r = _with_hits(env.match("Arkadiy VELIKANOV"), ["test:p1", "test:p2"])
    with _sql(env) as seen:
        recorded = env.cases.alerts_from_match(
            r, actor="erp#1", monitor=True, audit_call=_call_audit
        )
    assert seen["commits"] == 1
    assert [a.status for a in recorded] == [AlertStatus.OPEN, AlertStatus.OPEN]
    rows = list(reversed(env.cases.audit_entries(limit=10)))
    assert [e.event for e in rows] == [
        "monitoring.added",
        "alert.opened",
        "alert.opened",
        "screen.test",
    ]
    assert rows[-1].details == {"alert_ids": [a.id for a in recorded]}
    assert [e.details["alert_id"] for e in rows[1:3]] == [a.id for a in recorded]
    assert len({e.at for e in rows}) == 1
    assert env.cases.verify_audit().ok
    # a call that alerts on nothing still writes its audit row
    weak = env.match("Liesel Brandauer")
    assert env.cases.alerts_from_match(weak, actor="erp#1", audit_call=_call_audit) == []
    assert env.cases.audit_entries(limit=1)[0].details == {"alert_ids": []}
    assert env.cases.verify_audit().ok


def test_the_alerts_returned_are_the_alerts_stored(env: Env) -> None:
    """They are built from what was written, not read back: they must be equal."""
    env.cases.add_webhook("https://hooks.example/a", actor=env.key(Role.ADMIN))
    r = _with_hits(env.match("Arkadiy VELIKANOV"), ["test:p1", "test:p2", "test:c1"])
    first = env.cases.alerts_from_match(r, actor="a")
    assert first == [env.cases.get_alert(a.id).alert for a in first]
    # what a webhook receives is the new alert as stored
    payloads = [d.payload["alert"] for d in _deliveries(env)]
    assert payloads == [a.model_dump(mode="json", exclude={"evidence"}) for a in first]
    env.clock.advance(minutes=5)
    again = env.cases.alerts_from_match(r, actor="b")
    assert [a.version for a in again] == [2, 2, 2]
    assert again == [env.cases.get_alert(a.id).alert for a in again]
    assert [a.entity_id for a in again] == ["test:p1", "test:p2", "test:c1"]


def _deliveries(env: Env) -> list[Any]:
    with env.store.engine.connect() as conn:
        return list(conn.execute(select(webhook_deliveries).order_by(webhook_deliveries.c.id)))


def test_more_alerts_in_a_call_take_no_more_statements(env: Env) -> None:
    env.cases.add_webhook("https://hooks.example/a", actor=env.key(Role.ADMIN))
    base = env.match("Arkadiy VELIKANOV")
    counts = []
    for i, ids in enumerate([["test:p1"], ["test:p2", "test:p3", "test:p4", "test:c1"]]):
        # another counterparty each time: new alerts
        query = base.query.model_copy(update={"name": f"Arkadiy VELIKANOV {i}"})
        r = _with_hits(base.model_copy(update={"query": query}), ids)
        with _sql(env) as seen:
            recorded = env.cases.alerts_from_match(r, actor="t", audit_call=_call_audit)
        assert len(recorded) == len(ids) and all(a.version == 1 for a in recorded)
        counts.append(seen["statements"])
    assert counts[0] == counts[1]
    assert len(_deliveries(env)) == 5


def test_a_pair_repeated_within_one_call_updates_the_alert_it_opened(env: Env) -> None:
    r = _with_hits(env.match("Arkadiy VELIKANOV"), ["test:p1", "test:p2", "test:p1"])
    got = env.cases.alerts_from_match(r, actor="t")
    assert [a.entity_id for a in got] == ["test:p1", "test:p2", "test:p1"]
    assert got[0].id == got[2].id != got[1].id
    assert [a.version for a in got] == [1, 1, 2]
    detail = env.cases.get_alert(got[0].id)
    assert [e.kind for e in detail.events] == ["created", "updated"]
    assert len(detail.evidence_snapshots) == 2
    assert env.cases.list_alerts().total == 2
    events = [e.event for e in reversed(env.cases.audit_entries(limit=10))]
    assert events == ["alert.opened", "alert.opened", "alert.updated"]


def test_a_call_whose_audit_fails_leaves_nothing_behind(env: Env) -> None:
    env.cases.add_webhook("https://hooks.example/a", actor=env.key(Role.ADMIN))
    before = env.cases.verify_audit()
    r = _with_hits(env.match("Arkadiy VELIKANOV"), ["test:p1", "test:p2"])

    def broken(_: list[Alert]) -> tuple[str, dict[str, Any]]:
        raise RuntimeError("the audit could not be written")

    with pytest.raises(RuntimeError):
        env.cases.alerts_from_match(r, actor="t", monitor=True, audit_call=broken)
    for table in (alerts, alert_events, evidence_snapshots, webhook_deliveries):
        assert _count(env, table) == 0
    assert env.cases.monitored() == []
    after = env.cases.verify_audit()
    assert after.ok and (after.rows, after.head) == (before.rows, before.head)


def test_webhook_deliveries_queued_are_counted(env: Env) -> None:
    r = env.match("Ocean Pearlescent")
    env.cases.alerts_from_match(r, actor="t")
    assert env.cases.deliveries_queued == 0  # no webhook
    admin = env.key(Role.ADMIN)
    env.cases.add_webhook("https://hooks.example/a", actor=admin)
    env.cases.add_webhook("https://hooks.example/b", actor=admin)
    env.cases.alerts_from_match(r, actor="t")  # an update: nothing to send
    assert env.cases.deliveries_queued == 0
    env.cases.alerts_from_match(env.match("Arkadiy VELIKANOV"), actor="t")
    assert env.cases.deliveries_queued == 2


def test_list_records_are_parsed_once_per_list_version(
    env: Env, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed: list[str] = []
    real = Entity.model_validate_json

    def counting(data: str | bytes, **kw: Any) -> Entity:
        ent = real(data, **kw)
        parsed.append(ent.id)
        return ent

    monkeypatch.setattr(Entity, "model_validate_json", counting)
    r = env.match("Ocean Pearlescent")
    (first,) = env.cases.alerts_from_match(r, actor="t")
    (again,) = env.cases.alerts_from_match(r, actor="t")
    assert parsed == [first.entity_id]
    assert again.evidence["entity"] == first.evidence["entity"]
    again.evidence["entity"]["id"] = "changed by a caller"  # not the cached copy
    (cached,) = env.cases.alerts_from_match(r, actor="t")
    assert cached.evidence["entity"] == first.evidence["entity"]
    assert parsed == [first.entity_id]
    # a new list version with the entry changed: read, parsed and fingerprinted anew
    changed = [
        e.model_copy(update={"remarks": ("amended",)}) if e.id == first.entity_id else e
        for e in fixture_entities()
    ]
    env.load(changed)
    parsed.clear()
    (third,) = env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="t")
    assert parsed == [first.entity_id]
    assert third.evidence["entity"]["remarks"] == ["amended"]
    assert third.evidence["entity"]["id"] == first.entity_id
    assert third.evidence["entity_fingerprint"] != first.evidence["entity_fingerprint"]
