"""The good-guy list: a false positive suppresses the same counterparty against the
same list entry, visibly, until the entry changes or the decision expires."""

from __future__ import annotations

from stopship.cases import Alert, AlertStatus, CaseService, Role
from tests.cases_fixtures import Env, fixture_entities, fx_env, fx_pg, fx_url  # noqa: F401

NAME = "Krasnoverkh"  # a review-level match of test:c1: one person clears it


def _cleared(env: Env) -> Alert:
    (a,) = env.cases.alerts_from_match(env.match(NAME), actor="t")
    return env.cases.decide(
        a.id,
        status="false_positive",
        reason="a bakery in Graz",
        actor=env.key(Role.ANALYST),
        expected_version=1,
    )


def _decision_event(env: Env, alert_id: int) -> int:
    return [e.id for e in env.cases.get_alert(alert_id).events if e.kind == "decision"][-1]


def test_a_cleared_pair_is_stored_suppressed_and_shown(env: Env) -> None:
    cleared = _cleared(env)
    (sup,) = env.cases.suppressions()
    entity = env.store.get_entity("test:c1")
    assert (sup.counterparty_key, sup.entity_id) == ("krasnoverkh", "test:c1")
    assert sup.fingerprint == entity.content_hash() and sup.alert_id == cleared.id
    assert sup.decision_event_id == _decision_event(env, cleared.id)
    assert sup.expires_at is not None and (sup.expires_at - sup.created_at).days == 30
    env.clock.advance(days=1)
    (later,) = env.cases.alerts_from_match(env.match(" KRASNOVERKH "), actor="t")
    assert later.id != cleared.id
    assert later.status is AlertStatus.FALSE_POSITIVE
    assert later.suppressed_by == sup.decision_event_id
    detail = env.cases.get_alert(later.id)
    assert [e.kind for e in detail.events] == ["created", "suppressed"]
    assert detail.suppression == sup
    assert f"decision {sup.decision_event_id}" in (detail.events[1].text or "")
    # shown in the queue, not hidden
    listed = env.cases.list_alerts(status=[AlertStatus.FALSE_POSITIVE])
    assert later.id in [a.id for a in listed.items]
    assert env.cases.stats()["suppressed"] == 1
    # screened again while suppressed: the suppressed alert gets the new snapshot
    (third,) = env.cases.alerts_from_match(env.match(NAME), actor="t")
    assert third.id == later.id and third.version == 2
    assert len(env.cases.get_alert(later.id).evidence_snapshots) == 2


def test_another_counterparty_or_entity_is_not_suppressed(env: Env) -> None:
    _cleared(env)
    (other,) = env.cases.alerts_from_match(env.match(NAME, kind="organization"), actor="t")
    assert other.status is AlertStatus.OPEN and other.suppressed_by is None
    # the same counterparty against another entity: that pair was never cleared
    env.cases.decide(
        other.id,
        status="true_match",
        reason="x",
        actor=env.key(Role.ANALYST),
        expected_version=1,
    )
    clone = fixture_entities()
    c1 = next(e for e in clone if e.id == "test:c1")
    twin = c1.model_copy(update={"id": "test:c1b", "record_id": "c1b"})
    env.load([*clone, twin])
    hits = env.cases.alerts_from_match(env.match(NAME), actor="t")
    by_entity = {a.entity_id: a for a in hits}
    assert by_entity["test:c1"].suppressed_by is not None
    assert by_entity["test:c1b"].status is AlertStatus.OPEN


def test_the_suppression_lapses_when_the_entry_changes(env: Env) -> None:
    _cleared(env)
    changed = [
        e.model_copy(update={"remarks": ("Listed again with a new address.",)})
        if e.id == "test:c1"
        else e
        for e in fixture_entities()
    ]
    env.load(changed)
    (a,) = env.cases.alerts_from_match(env.match(NAME), actor="t")
    assert a.status is AlertStatus.OPEN and a.suppressed_by is None
    assert a.evidence["entity_fingerprint"] != env.cases.suppressions()[0].fingerprint


def test_the_suppression_expires(env: Env) -> None:
    _cleared(env)
    env.clock.advance(days=31)
    (a,) = env.cases.alerts_from_match(env.match(NAME), actor="t")
    assert a.status is AlertStatus.OPEN
    assert env.cases.suppressions(active_only=True) == []


def test_without_expiry_it_lasts(env: Env) -> None:
    forever = CaseService(env.store, clock=env.clock, suppression_days=None)
    (a,) = forever.alerts_from_match(env.match(NAME), actor="t")
    forever.decide(
        a.id,
        status="false_positive",
        reason="x",
        actor=env.key(Role.ANALYST),
        expected_version=1,
    )
    assert forever.suppressions()[0].expires_at is None
    env.clock.advance(days=3650)
    (b,) = forever.alerts_from_match(env.match(NAME), actor="t")
    assert b.suppressed_by is not None


def test_a_block_level_clearing_suppresses_only_once_approved(env: Env) -> None:
    (a,) = env.cases.alerts_from_match(env.match("ALABUGA TRADING LLC"), actor="t")
    env.cases.decide(
        a.id,
        status="false_positive",
        reason="x",
        actor=env.key(Role.ANALYST, "a"),
        expected_version=1,
    )
    (again,) = env.cases.alerts_from_match(env.match("ALABUGA TRADING LLC"), actor="t")
    assert again.id == a.id and again.status is AlertStatus.PENDING_SECOND_REVIEW
    assert env.cases.suppressions() == []
    env.cases.decide(
        a.id,
        status="false_positive",
        reason="ok",
        actor=env.key(Role.REVIEWER, "r"),
        expected_version=3,
    )
    (sup,) = env.cases.suppressions()
    assert sup.decision_event_id == next(
        e.id for e in env.cases.get_alert(a.id).events if e.kind == "approval"
    )
    # the fingerprint is the one of the record as reviewed (the latest snapshot)
    assert sup.fingerprint == again.evidence["entity_fingerprint"]


def test_reopening_a_suppressed_alert_withdraws_the_suppression(env: Env) -> None:
    _cleared(env)
    (suppressed,) = env.cases.alerts_from_match(env.match(NAME), actor="t")
    assert suppressed.suppressed_by is not None
    reopened = env.cases.decide(
        suppressed.id,
        status="open",
        reason="the customer changed owners",
        actor=env.key(Role.REVIEWER),
        expected_version=1,
    )
    assert reopened.status is AlertStatus.OPEN and reopened.suppressed_by is None
    assert env.cases.suppressions(active_only=True) == []
    # the next screening updates the reopened alert instead of suppressing
    (again,) = env.cases.alerts_from_match(env.match(NAME), actor="t")
    assert again.id == suppressed.id and again.status is AlertStatus.OPEN
