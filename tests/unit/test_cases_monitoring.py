"""Monitoring: counterparties screened with monitor=True are re-screened against only the
new and changed entries of a list update."""

from __future__ import annotations

from stopship.cases import AlertStatus, Role
from stopship.model import Entity, EntityKind, Name
from stopship.store.delta import Delta
from tests.cases_fixtures import Env, fixture_entities, fx_env, fx_pg, fx_url  # noqa: F401

NEWCOMER = Entity(
    id="test:n1",
    source="test",
    record_id="n1",
    kind=EntityKind.ORGANIZATION,
    list_name="TEST",
    names=(Name(value="NORDLICHT KRANBAU AG"),),
)


def _delta(env: Env) -> Delta:
    v = env.store.current_version("test")
    assert v is not None and v.delta is not None
    return v.delta


def test_a_new_entry_matching_a_monitored_name_opens_an_alert(env: Env) -> None:
    quiet = env.match("Nordlicht Kranbau AG", kind="organization")
    assert quiet.hits == []
    assert env.cases.alerts_from_match(quiet, actor="erp#1", monitor=True) == []
    (known,) = env.cases.alerts_from_match(
        env.match("Ocean Pearlescent"), actor="erp#1", monitor=True
    )
    env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="erp#1", monitor=True)
    monitored = env.cases.monitored()
    assert [(m.name, m.kind, m.origin) for m in monitored] == [
        ("Nordlicht Kranbau AG", "organization", "match"),
        ("Ocean Pearlescent", None, "match"),
    ]
    # version 2: one new entity, everything else unchanged
    matcher = env.load([*fixture_entities(), NEWCOMER])
    delta = _delta(env)
    assert delta.added == ["test:n1"] and not delta.changed
    env.clock.advance(hours=1)
    report = env.cases.rescreen(matcher, [delta])
    assert (report.monitored, report.entities, report.queries) == (2, 1, 2)
    assert (report.alerts_opened, report.alerts_updated, report.suppressed) == (1, 0, 0)
    assert report.errors == []
    new = env.cases.list_alerts(q="Nordlicht").items
    assert len(new) == 1 and new[0].entity_id == "test:n1" and new[0].origin == "rescreen"
    assert new[0].evidence["query"]["kind"] == "organization"
    assert new[0].evidence["list_versions"] == {"test": delta.version}
    # the unchanged entity of the other counterparty produced nothing new
    assert env.cases.get_alert(known.id).alert.version == 2
    assert env.cases.list_alerts().total == 2
    assert all(m.last_screened_at == env.clock.now for m in env.cases.monitored())
    assert "monitoring.rescreened" in [e.event for e in env.cases.audit_entries(limit=5)]


def test_a_changed_entry_updates_the_open_alert_with_a_new_snapshot(env: Env) -> None:
    (a,) = env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="t", monitor=True)
    changed = [
        e.model_copy(update={"remarks": ("IMO corrected",)}) if e.id == "test:v1" else e
        for e in fixture_entities()
    ]
    matcher = env.load(changed)
    delta = _delta(env)
    assert list(delta.changed) == ["test:v1"]
    report = env.cases.rescreen(matcher, [delta])
    assert (report.alerts_opened, report.alerts_updated) == (0, 1)
    detail = env.cases.get_alert(a.id)
    assert [e.kind for e in detail.events] == ["created", "updated"]
    first, second = detail.evidence_snapshots
    assert second.origin == "rescreen"
    assert first.evidence["entity"]["remarks"] == []
    assert second.evidence["entity"]["remarks"] == ["IMO corrected"]
    assert first.entity_fingerprint != second.entity_fingerprint
    assert detail.entity_changed is False


def test_nothing_to_do_without_a_delta_or_monitored_names(env: Env) -> None:
    env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="t", monitor=True)
    matcher = env.load(fixture_entities())  # same content: an empty delta
    delta = _delta(env)
    assert delta.is_empty
    report = env.cases.rescreen(matcher, [delta])
    assert (report.entities, report.queries, report.alerts_opened) == (0, 0, 0)
    assert env.cases.list_alerts().total == 1
    # removed entries cannot match: they are not re-screened
    matcher = env.load([e for e in fixture_entities() if e.id != "test:v1"])
    delta = _delta(env)
    assert delta.removed == ["test:v1"]
    assert env.cases.rescreen(matcher, [delta]).entities == 0


def test_a_closed_alert_reopens_as_a_new_alert_on_a_changed_entry(env: Env) -> None:
    (a,) = env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="t", monitor=True)
    env.cases.decide(
        a.id,
        status="true_match",
        reason="ours",
        actor=env.key(Role.ANALYST),
        expected_version=1,
    )
    changed = [
        e.model_copy(update={"programs": ("NEW-PROGRAM",)}) if e.id == "test:v1" else e
        for e in fixture_entities()
    ]
    report = env.cases.rescreen(env.load(changed), [_delta(env)])
    assert report.alerts_opened == 1
    statuses = sorted(x.status.value for x in env.cases.list_alerts().items)
    assert statuses == [AlertStatus.OPEN.value, AlertStatus.TRUE_MATCH.value]
