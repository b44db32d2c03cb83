"""Webhooks: an outbox entry per new alert and webhook, signed POSTs, retries with
backoff, dead after the last attempt."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import httpx
import pytest

from stopship.cases import CaseService, Role
from stopship.cases.delivery import DeliveryLoop
from stopship.cases.webhooks import CLAIM_LEASE, DELIVERY_HEADER, SIGNATURE_HEADER
from stopship.errors import CaseNotFoundError, InputError, PermissionDeniedError
from stopship.store import Store
from tests.cases_fixtures import Env, fx_env, fx_pg, fx_url  # noqa: F401


class Receiver:
    """A webhook endpoint answering with the given statuses in turn."""

    def __init__(self, *statuses: int) -> None:
        self.statuses = list(statuses)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 0:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(status)

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self))


def test_only_admins_manage_webhooks_and_urls_are_checked(env: Env) -> None:
    admin = env.key(Role.ADMIN)
    with pytest.raises(PermissionDeniedError):
        env.cases.add_webhook("https://hooks.example/a", actor=env.key(Role.REVIEWER))
    for bad in ("ftp://x/y", "hooks.example", ""):
        with pytest.raises(InputError, match="url"):
            env.cases.add_webhook(bad, actor=admin)
    hook = env.cases.add_webhook("https://hooks.example/a", actor=admin, secret="s3")
    assert hook.signed and hook.active and hook.created_by == admin.actor
    assert env.cases.list_webhooks() == [hook]
    gone = env.cases.remove_webhook(hook.id, actor=admin)
    assert gone.active is False
    with pytest.raises(CaseNotFoundError):
        env.cases.remove_webhook(99, actor=admin)
    events = [e.event for e in env.cases.audit_entries(limit=10)]
    assert events[:2] == ["webhook.removed", "webhook.added"]


def test_a_new_alert_is_posted_signed_and_retried_after_a_failure(env: Env) -> None:
    admin = env.key(Role.ADMIN)
    signed = env.cases.add_webhook("https://hooks.example/signed", actor=admin, secret="s3cret")
    env.cases.add_webhook("https://hooks.example/plain", actor=admin)
    (alert,) = env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="t")
    # an update of the same alert is not a new alert: nothing more to send
    env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="t")
    rx = Receiver(500, 200)
    first = env.cases.deliver_pending(rx.client())
    assert (first.attempted, first.delivered, first.failed, first.dead) == (2, 1, 1, 0)
    assert first.pending == 1
    failed = [d for d in env.cases.deliveries() if d["status"] == "pending"]
    assert failed[0]["attempts"] == 1 and failed[0]["last_error"] == "HTTP 500"
    # not due yet: the backoff holds it back
    assert env.cases.deliver_pending(rx.client()).attempted == 0
    env.clock.advance(seconds=31)
    second = env.cases.deliver_pending(rx.client())
    assert (second.attempted, second.delivered, second.pending) == (1, 1, 0)
    assert {d["status"] for d in env.cases.deliveries()} == {"delivered"}
    # what was sent: the alert as JSON, signed with the webhook's secret where it has one
    by_url = {str(r.url): r for r in rx.requests}
    req = by_url["https://hooks.example/signed"]
    body = req.content
    payload = json.loads(body)
    assert payload["event"] == "alert.created" and payload["alert"]["id"] == alert.id
    assert payload["alert"]["entity_id"] == "test:v1" and "evidence" not in payload["alert"]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert req.headers[SIGNATURE_HEADER] == expected
    assert req.headers[DELIVERY_HEADER]
    assert SIGNATURE_HEADER not in by_url["https://hooks.example/plain"].headers
    assert signed.id in {d["webhook_id"] for d in env.cases.deliveries()}


def test_a_delivery_is_dead_after_its_last_attempt(env: Env) -> None:
    env.cases.add_webhook("https://hooks.example/down", actor=env.key(Role.ADMIN))
    env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="t")
    rx = Receiver(0, 503, 0)
    for _ in range(3):
        env.cases.deliver_pending(rx.client(), max_attempts=3)
        env.clock.advance(minutes=10)
    (d,) = env.cases.deliveries()
    assert d["status"] == "dead" and d["attempts"] == 3
    assert d["last_error"].startswith("ConnectError")
    assert env.cases.deliver_pending(rx.client(), max_attempts=3).attempted == 0
    assert len(rx.requests) == 3


def test_suppressed_alerts_and_removed_webhooks_send_nothing(env: Env) -> None:
    admin = env.key(Role.ADMIN)
    hook = env.cases.add_webhook("https://hooks.example/a", actor=admin)
    (a,) = env.cases.alerts_from_match(env.match("Krasnoverkh"), actor="t")
    env.cases.decide(a.id, status="false_positive", reason="x", actor=admin, expected_version=1)
    env.cases.deliver_pending(Receiver().client())
    (b,) = env.cases.alerts_from_match(env.match("Krasnoverkh"), actor="t")
    assert b.suppressed_by is not None
    assert len(env.cases.deliveries()) == 1
    env.cases.remove_webhook(hook.id, actor=admin)
    env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="t")
    assert env.cases.deliver_pending(Receiver().client()).attempted == 0


def test_the_delivery_loop_sends_in_the_background(env: Env) -> None:
    env.cases.add_webhook("https://hooks.example/a", actor=env.key(Role.ADMIN))
    rx = Receiver(200)
    loop = DeliveryLoop(env.cases, interval=30.0, client=rx.client()).start()
    try:
        env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="t")
        loop.nudge()
        deadline = time.monotonic() + 20
        while not rx.requests and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        loop.stop()
    assert len(rx.requests) == 1
    assert [d["status"] for d in env.cases.deliveries()] == ["delivered"]
    assert loop.passes >= 2


def test_two_processes_delivering_at_once_send_a_delivery_once(env: Env) -> None:
    """Each delivery is claimed before it is sent: a second deliverer (another API
    worker, `stopship lists update`) running while the first is sending finds it taken."""
    other = CaseService(Store(env.store.url), clock=env.clock)
    env.cases.add_webhook("https://hooks.example/a", actor=env.key(Role.ADMIN))
    env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="t")
    rx_other = Receiver(200)
    reports = []

    def first_receiver(request: httpx.Request) -> httpx.Response:
        # while this process is sending, the other one runs a whole pass
        reports.append(other.deliver_pending(rx_other.client()))
        return httpx.Response(200)

    try:
        mine = env.cases.deliver_pending(
            httpx.Client(transport=httpx.MockTransport(first_receiver))
        )
    finally:
        other.store.close()
    assert (mine.attempted, mine.delivered) == (1, 1)
    assert reports[0].attempted == 0 and rx_other.requests == []
    (d,) = env.cases.deliveries()
    assert d["status"] == "delivered" and d["attempts"] == 1


def test_a_delivery_whose_sender_died_is_sent_after_the_claim_lapses(env: Env) -> None:
    env.cases.add_webhook("https://hooks.example/a", actor=env.key(Role.ADMIN))
    env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="t")

    def dies(request: httpx.Request) -> httpx.Response:
        raise KeyboardInterrupt  # the process stops mid-delivery, its claim stays

    with pytest.raises(KeyboardInterrupt):
        env.cases.deliver_pending(httpx.Client(transport=httpx.MockTransport(dies)))
    rx = Receiver(200)
    assert env.cases.deliver_pending(rx.client()).attempted == 0  # still claimed
    env.clock.advance(seconds=CLAIM_LEASE.total_seconds() + 1)
    assert env.cases.deliver_pending(rx.client()).delivered == 1
    assert len(rx.requests) == 1
    assert [d["status"] for d in env.cases.deliveries()] == ["delivered"]


def test_a_claim_is_taken_once_until_it_lapses(env: Env) -> None:
    env.cases.add_webhook("https://hooks.example/a", actor=env.key(Role.ADMIN))
    env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="t")
    (d,) = env.cases.deliveries()
    assert env.cases._claim(d["id"], "worker-1") is True
    assert env.cases._claim(d["id"], "worker-2") is False
    env.clock.advance(seconds=CLAIM_LEASE.total_seconds())
    assert env.cases._claim(d["id"], "worker-2") is True
