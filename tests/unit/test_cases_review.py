"""Deciding alerts: reasons, four eyes on clearing block-level alerts, reopening,
assignment, comments, and optimistic concurrency (one of two concurrent decisions wins,
on SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from stopship.cases import Alert, AlertStatus, ApiKey, Role
from stopship.errors import (
    CaseNotFoundError,
    ConflictError,
    DecisionError,
    PermissionDeniedError,
)
from tests.cases_fixtures import Env, fx_env, fx_pg, fx_url  # noqa: F401


def _alert(env: Env, name: str = "ALABUGA TRADING LLC") -> Alert:
    (a,) = env.cases.alerts_from_match(env.match(name), actor="t")
    return a


def test_a_decision_needs_a_reason_and_a_known_status(env: Env) -> None:
    a = _alert(env)
    analyst = env.key(Role.ANALYST)
    for reason in ("", "   "):
        with pytest.raises(DecisionError, match="reason: required"):
            env.cases.decide(
                a.id, status="true_match", reason=reason, actor=analyst, expected_version=1
            )
    with pytest.raises(DecisionError, match="status: 'maybe'"):
        env.cases.decide(a.id, status="maybe", reason="x", actor=analyst, expected_version=1)
    with pytest.raises(DecisionError, match="pending_second_review"):
        env.cases.decide(
            a.id, status="pending_second_review", reason="x", actor=analyst, expected_version=1
        )
    with pytest.raises(CaseNotFoundError):
        env.cases.decide(999, status="true_match", reason="x", actor=analyst, expected_version=1)
    assert env.cases.get_alert(a.id).alert.version == 1  # nothing changed


def test_service_keys_may_not_decide(env: Env) -> None:
    a = _alert(env)
    with pytest.raises(PermissionDeniedError):
        env.cases.decide(
            a.id,
            status="true_match",
            reason="x",
            actor=env.key(Role.SERVICE),
            expected_version=1,
        )


def test_true_match_closes_with_the_reason_recorded(env: Env) -> None:
    a = _alert(env)
    analyst = env.key(Role.ANALYST, "ann")
    done = env.cases.decide(
        a.id,
        status=AlertStatus.TRUE_MATCH,
        reason="same registration number",
        actor=analyst,
        expected_version=1,
    )
    assert done.status is AlertStatus.TRUE_MATCH and done.version == 2
    ev = env.cases.get_alert(a.id).events[-1]
    assert (ev.kind, ev.actor, ev.actor_key_id) == ("decision", analyst.actor, analyst.id)
    assert (ev.status_from, ev.status_to) == (AlertStatus.OPEN, AlertStatus.TRUE_MATCH)
    assert ev.text == "same registration number"
    with pytest.raises(DecisionError, match="closed"):
        env.cases.decide(a.id, status="escalated", reason="x", actor=analyst, expected_version=2)


def test_clearing_a_block_level_alert_needs_a_second_reviewer(env: Env) -> None:
    a = _alert(env)
    assert a.level == "block"
    analyst = env.key(Role.ANALYST, "ann")
    reviewer = env.key(Role.REVIEWER, "rita")
    other_analyst = env.key(Role.ANALYST, "bob")
    first = env.cases.decide(
        a.id,
        status="false_positive",
        reason="different company, other country",
        actor=reviewer,
        expected_version=1,
    )
    assert first.status is AlertStatus.PENDING_SECOND_REVIEW
    assert env.cases.suppressions() == []
    # the same person cannot approve their own clearing, even as a reviewer
    with pytest.raises(DecisionError, match="four eyes"):
        env.cases.decide(
            a.id, status="false_positive", reason="ok", actor=reviewer, expected_version=2
        )
    # an analyst may not give the second approval
    with pytest.raises(PermissionDeniedError, match="analyst"):
        env.cases.decide(
            a.id, status="false_positive", reason="ok", actor=other_analyst, expected_version=2
        )
    second_reviewer = env.key(Role.ADMIN, "alex")
    done = env.cases.decide(
        a.id,
        status="false_positive",
        reason="agreed",
        actor=second_reviewer,
        expected_version=2,
    )
    assert done.status is AlertStatus.FALSE_POSITIVE and done.version == 3
    events = env.cases.get_alert(a.id).events
    assert [(e.kind, e.status_to) for e in events] == [
        ("created", AlertStatus.OPEN),
        ("decision", AlertStatus.PENDING_SECOND_REVIEW),
        ("approval", AlertStatus.FALSE_POSITIVE),
    ]
    assert analyst.id != second_reviewer.id


def test_a_pending_clearing_can_be_rejected(env: Env) -> None:
    a = _alert(env)
    analyst = env.key(Role.ANALYST)
    env.cases.decide(
        a.id, status="false_positive", reason="not them", actor=analyst, expected_version=1
    )
    back = env.cases.decide(
        a.id,
        status="escalated",
        reason="needs legal",
        actor=env.key(Role.REVIEWER),
        expected_version=2,
    )
    assert back.status is AlertStatus.ESCALATED
    # the next clearing needs four eyes again, from scratch
    again = env.cases.decide(
        a.id,
        status="false_positive",
        reason="legal says no",
        actor=analyst,
        expected_version=3,
    )
    assert again.status is AlertStatus.PENDING_SECOND_REVIEW


def test_a_review_level_alert_is_cleared_by_one_person(env: Env) -> None:
    a = _alert(env, "Krasnoverkh")
    assert a.level == "review"
    done = env.cases.decide(
        a.id,
        status="false_positive",
        reason="bakery",
        actor=env.key(Role.ANALYST),
        expected_version=1,
    )
    assert done.status is AlertStatus.FALSE_POSITIVE


def test_reopening_needs_a_reviewer_and_withdraws_the_suppression(env: Env) -> None:
    a = _alert(env, "Krasnoverkh")
    analyst = env.key(Role.ANALYST)
    env.cases.decide(
        a.id, status="false_positive", reason="bakery", actor=analyst, expected_version=1
    )
    assert len(env.cases.suppressions(active_only=True)) == 1
    with pytest.raises(PermissionDeniedError):
        env.cases.decide(a.id, status="open", reason="oops", actor=analyst, expected_version=2)
    reopened = env.cases.decide(
        a.id,
        status="open",
        reason="new facts",
        actor=env.key(Role.REVIEWER),
        expected_version=2,
    )
    assert reopened.status is AlertStatus.OPEN
    assert env.cases.suppressions(active_only=True) == []
    assert env.cases.suppressions()[0].revoked_at == env.clock.now


def test_a_stale_version_is_a_conflict(env: Env) -> None:
    a = _alert(env)
    analyst = env.key(Role.ANALYST)
    env.cases.assign(a.id, "ann", actor=analyst, expected_version=1)
    with pytest.raises(ConflictError, match="reload"):
        env.cases.decide(a.id, status="escalated", reason="x", actor=analyst, expected_version=1)
    # a re-screening that updates the alert also moves its version
    _alert(env)
    with pytest.raises(ConflictError):
        env.cases.decide(a.id, status="escalated", reason="x", actor=analyst, expected_version=2)
    ok = env.cases.decide(a.id, status="escalated", reason="x", actor=analyst, expected_version=3)
    assert ok.version == 4


def _race(env: Env, alert_id: int, keys: list[ApiKey], statuses: list[str]) -> list[Any]:
    """Two threads decide one alert at once, each on its own connection."""
    barrier = threading.Barrier(2)
    outcome: list[Any] = [None, None]

    def run(i: int) -> None:
        barrier.wait()
        try:
            outcome[i] = env.cases.decide(
                alert_id,
                status=statuses[i],
                reason=f"by {i}",
                actor=keys[i],
                expected_version=1,
            )
        except Exception as exc:  # the loser's error is what the test looks at
            outcome[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcome


def test_two_concurrent_decisions_exactly_one_wins(env: Env) -> None:
    keys = [env.key(Role.ANALYST, "ann"), env.key(Role.ANALYST, "bob")]
    for _round in range(3):
        a = _alert(env, "Ocean Pearlescent")
        outcome = _race(env, a.id, keys, ["true_match", "escalated"])
        winners = [o for o in outcome if isinstance(o, Alert)]
        losers = [o for o in outcome if isinstance(o, ConflictError)]
        assert len(winners) == 1 and len(losers) == 1, outcome
        detail = env.cases.get_alert(a.id)
        decisions = [e for e in detail.events if e.kind == "decision"]
        assert len(decisions) == 1 and detail.alert.version == 2
        assert detail.alert.status == winners[0].status
        if detail.alert.status is AlertStatus.ESCALATED:
            env.cases.decide(
                a.id, status="true_match", reason="close", actor=keys[0], expected_version=2
            )
    assert env.cases.verify_audit().ok


def test_assign_and_comment(env: Env) -> None:
    a = _alert(env)
    analyst = env.key(Role.ANALYST, "ann")
    got = env.cases.assign(a.id, "  bob ", actor=analyst, expected_version=1)
    assert got.assignee == "bob" and got.version == 2
    got = env.cases.assign(a.id, None, actor=analyst, expected_version=2)
    assert got.assignee is None
    note = env.cases.comment(a.id, "<script>alert(1)</script> called them", actor=analyst)
    assert note.kind == "comment" and note.text == "<script>alert(1)</script> called them"
    assert env.cases.get_alert(a.id).alert.version == 3  # comments do not move the version
    with pytest.raises(DecisionError, match="text: required"):
        env.cases.comment(a.id, " ", actor=analyst)
    with pytest.raises(CaseNotFoundError):
        env.cases.comment(999, "x", actor=analyst)
    with pytest.raises(PermissionDeniedError):
        env.cases.comment(a.id, "x", actor=env.key(Role.SERVICE))
    kinds = [e.kind for e in env.cases.get_alert(a.id).events]
    assert kinds == ["created", "assigned", "assigned", "comment"]
    audit = [e.event for e in env.cases.audit_entries(limit=100) if e.event != "key.created"]
    assert audit[:3] == ["alert.commented", "alert.assigned", "alert.assigned"]
