"""The alerts API over alerts opened by real screening calls: filters and paging, one
alert with evidence, events and list record, assignment, comments, decisions (reason
required, four eyes, 409 on a stale version), the good-guy list, statistics, keys,
webhooks and the audit log. On SQLite and on PostgreSQL (skipped when unreachable)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from stopship.cases import Role
from tests.api_app import BLOCK_QUERY, REVIEW_QUERY, XSS_NAME, ApiEnv, env_in
from tests.cases_fixtures import fx_pg, fx_url  # noqa: F401  (store_url: both backends)


@pytest.fixture()
def api_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, store_url: str) -> Iterator[ApiEnv]:
    yield from env_in(tmp_path, monkeypatch, store_url)


@pytest.fixture()
def client(api_env: ApiEnv) -> Iterator[TestClient]:
    with TestClient(api_env.app()) as c:
        c.headers.update(api_env.auth(Role.ANALYST))
        yield c


def screen(client: TestClient, env: ApiEnv, name: str) -> int:
    r = client.post("/v1/match", json={"name": name}, headers=env.auth(Role.SERVICE))
    assert r.status_code == 200
    ids: list[int] = r.json()["alert_ids"]
    assert len(ids) == 1, r.json()
    return ids[0]


def alert(client: TestClient, alert_id: int) -> dict[str, Any]:
    r = client.get(f"/v1/alerts/{alert_id}")
    assert r.status_code == 200
    data: dict[str, Any] = r.json()
    return data


def decide(
    client: TestClient,
    alert_id: int,
    status: str,
    reason: str = "checked the registry",
    version: int | None = None,
    headers: dict[str, str] | None = None,
) -> Any:
    if version is None:
        version = alert(client, alert_id)["alert"]["version"]
    return client.post(
        f"/v1/alerts/{alert_id}/decision",
        json={"status": status, "reason": reason, "expected_version": version},
        headers=headers,
    )


# ----------------------------------------------------------------------------- reading


def test_list_filters_and_pages(api_env: ApiEnv, client: TestClient) -> None:
    block = screen(client, api_env, BLOCK_QUERY)
    review = screen(client, api_env, REVIEW_QUERY)
    person = screen(client, api_env, "Ivan Petrovich Testovski")
    page = client.get("/v1/alerts").json()
    assert page["total"] == 3
    assert [a["id"] for a in page["items"]] == [person, review, block]  # newest first
    assert [a["id"] for a in client.get("/v1/alerts?level=review").json()["items"]] == [review]
    assert client.get("/v1/alerts?source=test").json()["total"] == 3
    assert client.get("/v1/alerts?source=ofac").json()["total"] == 0
    assert [a["id"] for a in client.get("/v1/alerts?q=testovski").json()["items"]] == [person]
    two = client.get("/v1/alerts?limit=2&offset=1").json()
    assert (two["total"], two["limit"], two["offset"]) == (3, 2, 1)
    assert [a["id"] for a in two["items"]] == [review, block]
    decide(client, review, "true_match")
    got = client.get("/v1/alerts?status=open&status=escalated").json()
    assert sorted(a["id"] for a in got["items"]) == sorted([block, person])
    assert [a["id"] for a in client.get("/v1/alerts?status=true_match").json()["items"]] == [review]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("status=closed", "query.status"),
        ("level=high", "query.level"),
        ("limit=0", "query.limit"),
        ("limit=501", "query.limit"),
        ("offset=-1", "query.offset"),
    ],
)
def test_bad_filters_are_422_naming_the_parameter(
    client: TestClient, query: str, field: str
) -> None:
    r = client.get(f"/v1/alerts?{query}")
    assert r.status_code == 422
    assert r.json()["error"]["fields"][0]["field"].startswith(field)


def test_one_alert_has_evidence_events_and_the_list_record(
    api_env: ApiEnv, client: TestClient
) -> None:
    alert_id = screen(client, api_env, BLOCK_QUERY)
    d = alert(client, alert_id)
    assert d["alert"]["status"] == "open" and d["alert"]["level"] == "block"
    assert d["alert"]["evidence"]["query"]["name"] == BLOCK_QUERY
    assert d["alert"]["evidence"]["hit"]["explanation"]["token_pairs"]
    assert d["alert"]["evidence"]["list_versions"] == {"test": 1}
    assert [e["kind"] for e in d["events"]] == ["created"]
    assert d["entity"]["id"] == "test:100"
    assert len(d["evidence_snapshots"]) == 1
    assert d["suppression"] is None


def test_unknown_alert_is_404(client: TestClient) -> None:
    r = client.get("/v1/alerts/999")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"
    assert client.get("/v1/alerts/abc").status_code == 422


# ----------------------------------------------------------------------------- working


def test_assign_and_comment(api_env: ApiEnv, client: TestClient) -> None:
    alert_id = screen(client, api_env, REVIEW_QUERY)
    r = client.post(
        f"/v1/alerts/{alert_id}/assign", json={"assignee": "ana", "expected_version": 1}
    )
    assert r.status_code == 200
    assert r.json()["assignee"] == "ana" and r.json()["version"] == 2
    assert [a["id"] for a in client.get("/v1/alerts?assignee=ana").json()["items"]] == [alert_id]
    stale = client.post(
        f"/v1/alerts/{alert_id}/assign", json={"assignee": "bob", "expected_version": 1}
    )
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "conflict"
    r = client.post(f"/v1/alerts/{alert_id}/comments", json={"text": "asked the customer"})
    assert r.status_code == 200
    assert r.json()["events"][-1]["kind"] == "comment"
    assert r.json()["events"][-1]["text"] == "asked the customer"
    empty = client.post(f"/v1/alerts/{alert_id}/comments", json={"text": ""})
    assert empty.status_code == 422
    assert empty.json()["error"]["fields"][0]["field"] == "body.text"


def test_a_decision_needs_a_reason(api_env: ApiEnv, client: TestClient) -> None:
    alert_id = screen(client, api_env, REVIEW_QUERY)
    r = decide(client, alert_id, "false_positive", reason="   ")
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "decision_refused"
    assert "reason" in r.json()["error"]["message"]
    missing = client.post(
        f"/v1/alerts/{alert_id}/decision", json={"status": "true_match", "expected_version": 1}
    )
    assert missing.status_code == 422
    assert missing.json()["error"]["fields"][0]["field"] == "body.reason"
    bad = decide(client, alert_id, "maybe")
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"][0]["field"] == "body.status"


def test_clearing_a_review_alert_suppresses_it_and_shows_the_suppression(
    api_env: ApiEnv, client: TestClient
) -> None:
    alert_id = screen(client, api_env, REVIEW_QUERY)
    r = decide(client, alert_id, "false_positive", reason="different company, other city")
    assert r.status_code == 200
    assert r.json()["status"] == "false_positive"
    sups = client.get("/v1/suppressions").json()
    assert [(s["entity_id"], s["alert_id"]) for s in sups] == [("test:100", alert_id)]
    # screening the same counterparty again: a new alert, stored closed as suppressed
    again = screen(client, api_env, REVIEW_QUERY)
    assert again != alert_id
    d = alert(client, again)
    assert d["alert"]["status"] == "false_positive"
    assert d["alert"]["suppressed_by"] is not None
    assert d["suppression"]["id"] == sups[0]["id"]
    assert [e["kind"] for e in d["events"]] == ["created", "suppressed"]
    assert client.get("/v1/alerts").json()["total"] == 2  # shown, not hidden
    assert client.get("/v1/alerts?status=open").json()["total"] == 0


def test_four_eyes_on_clearing_a_block_alert(api_env: ApiEnv, client: TestClient) -> None:
    alert_id = screen(client, api_env, BLOCK_QUERY)
    first = decide(client, alert_id, "false_positive", reason="not the listed zone")
    assert first.status_code == 200
    assert first.json()["status"] == "pending_second_review"
    # the same analyst cannot approve; an analyst cannot approve at all
    same = decide(client, alert_id, "false_positive")
    assert same.status_code == 403
    # a reviewer approves
    reviewer = api_env.auth(Role.REVIEWER)
    ok = decide(client, alert_id, "false_positive", reason="agree", headers=reviewer)
    assert ok.status_code == 200
    assert ok.json()["status"] == "false_positive"
    kinds = [e["kind"] for e in alert(client, alert_id)["events"]]
    assert kinds == ["created", "decision", "approval"]


def test_four_eyes_refuses_the_proposer_as_approver(api_env: ApiEnv, client: TestClient) -> None:
    reviewer = api_env.auth(Role.REVIEWER)
    alert_id = screen(client, api_env, BLOCK_QUERY)
    assert decide(client, alert_id, "false_positive", headers=reviewer).status_code == 200
    r = decide(client, alert_id, "false_positive", headers=reviewer)
    assert r.status_code == 422
    assert "four eyes" in r.json()["error"]["message"]


def test_concurrent_decisions_one_wins_the_other_gets_409(
    api_env: ApiEnv, client: TestClient
) -> None:
    alert_id = screen(client, api_env, REVIEW_QUERY)
    version = alert(client, alert_id)["alert"]["version"]
    a = decide(client, alert_id, "true_match", version=version)
    b = decide(
        client, alert_id, "false_positive", version=version, headers=api_env.auth(Role.REVIEWER)
    )
    assert a.status_code == 200
    assert b.status_code == 409
    assert b.json()["error"]["code"] == "conflict"
    assert alert(client, alert_id)["alert"]["status"] == "true_match"


def test_stats_count_by_status_list_and_level(api_env: ApiEnv, client: TestClient) -> None:
    review = screen(client, api_env, REVIEW_QUERY)
    screen(client, api_env, "Ivan Petrovich Testovski")
    decide(client, review, "true_match")
    s = client.get("/v1/alerts/stats").json()
    assert s["total"] == 2
    assert s["by_status"]["true_match"] == 1 and s["by_status"]["open"] == 1
    assert s["by_source"] == {"test": 2}
    assert s["by_level"]["review"] + s["by_level"]["block"] == 2


def test_xss_counterparty_is_stored_as_text(api_env: ApiEnv, client: TestClient) -> None:
    alert_id = screen(client, api_env, XSS_NAME)
    assert alert(client, alert_id)["alert"]["counterparty"] == XSS_NAME


# ----------------------------------------------------------------------------- admin


def test_keys_create_list_revoke(api_env: ApiEnv, client: TestClient) -> None:
    admin = api_env.auth(Role.ADMIN)
    r = client.post("/v1/keys", json={"role": "reviewer", "name": "rita"}, headers=admin)
    assert r.status_code == 201
    new = r.json()
    assert new["key"]["role"] == "reviewer" and new["secret"].startswith(new["key"]["prefix"])
    mine = {"Authorization": f"Bearer {new['secret']}"}
    assert client.get("/v1/alerts", headers=mine).status_code == 200
    listed = client.get("/v1/keys", headers=admin).json()
    assert "rita" in [k["name"] for k in listed]
    assert all("secret" not in k for k in listed)
    gone = client.delete(f"/v1/keys/{new['key']['id']}", headers=admin)
    assert gone.status_code == 200 and gone.json()["revoked_at"]
    assert client.get("/v1/alerts", headers=mine).status_code == 401
    assert client.delete("/v1/keys/9999", headers=admin).status_code == 404
    bad = client.post("/v1/keys", json={"role": "root"}, headers=admin)
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "body.role"


def test_webhooks_add_list_remove(api_env: ApiEnv, client: TestClient) -> None:
    admin = api_env.auth(Role.ADMIN)
    r = client.post(
        "/v1/webhooks", json={"url": "https://hooks.example.org/x", "secret": "s"}, headers=admin
    )
    assert r.status_code == 201, r.text
    hook = r.json()
    assert hook["signed"] is True and hook["active"] is True
    assert [h["url"] for h in client.get("/v1/webhooks", headers=admin).json()] == [hook["url"]]
    assert client.delete(f"/v1/webhooks/{hook['id']}", headers=admin).status_code == 200
    bad = client.post("/v1/webhooks", json={"url": "ftp://x.example"}, headers=admin)
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "body.url"


def test_audit_log_records_calls_and_detects_tampering(api_env: ApiEnv, client: TestClient) -> None:
    admin = api_env.auth(Role.ADMIN)
    alert_id = screen(client, api_env, REVIEW_QUERY)
    decide(client, alert_id, "true_match")
    events = [e["event"] for e in client.get("/v1/audit?limit=1000", headers=admin).json()]
    assert "screen.match" in events and "alert.decision" in events
    ok = client.get("/v1/audit/verify", headers=admin).json()
    assert ok["ok"] is True and ok["rows"] == len(events)
    with api_env.store.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_log SET actor = 'someone-else' WHERE event = 'alert.decision'")
        )
    bad = client.get("/v1/audit/verify", headers=admin).json()
    assert bad["ok"] is False and bad["first_bad_seq"] is not None


def test_the_server_delivers_webhooks_of_new_alerts(api_env: ApiEnv) -> None:
    import hashlib
    import hmac
    import json
    import threading
    import time
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from stopship.api import ApiSettings

    got: list[tuple[dict[str, str], bytes]] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            got.append((dict(self.headers), body))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    receiver = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{receiver.server_port}/hook"
    try:
        app = api_env.app(ApiSettings(webhook_seconds=30))  # a nudge, not the interval
        with TestClient(app) as c:
            admin = api_env.auth(Role.ADMIN)
            r = c.post("/v1/webhooks", json={"url": url, "secret": "s3cret"}, headers=admin)
            assert r.status_code == 201
            alert_id = screen(c, api_env, BLOCK_QUERY)
            deadline = time.monotonic() + 20
            while not got:
                assert time.monotonic() < deadline, "no webhook delivered"
                time.sleep(0.05)
    finally:
        receiver.shutdown()
    headers, body = got[0]
    payload = json.loads(body)
    assert payload["event"] == "alert.created" and payload["alert"]["id"] == alert_id
    expected = hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert expected in headers["X-Stopship-Signature"]


def test_only_calls_that_queued_webhooks_wake_the_delivery_thread(api_env: ApiEnv) -> None:
    from stopship.api import ApiSettings

    app = api_env.app(ApiSettings(webhook_seconds=3600))
    with TestClient(app) as c:
        loop = app.state.services.deliveries
        nudges: list[int] = []
        real = loop.nudge
        loop.nudge = lambda: (nudges.append(1), real())[1]  # type: ignore[method-assign]
        screen(c, api_env, BLOCK_QUERY)  # a new alert, but no webhook: nothing to send
        r = c.post("/v1/match", json={"name": "Lindenhaus GmbH"}, headers=api_env.auth())
        assert r.status_code == 200 and r.json()["alert_ids"] == []
        assert nudges == []
        r = c.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=api_env.auth())
        assert r.status_code == 201
        screen(c, api_env, BLOCK_QUERY)  # the open alert updated: nothing to send
        assert nudges == []
        screen(c, api_env, REVIEW_QUERY)  # a new alert: one delivery queued
        assert nudges == [1]


def test_monitored_counterparties_added_and_removed(api_env: ApiEnv, client: TestClient) -> None:
    svc = api_env.auth(Role.SERVICE)
    r = client.post(
        "/v1/monitored", json={"name": "Lindenhaus GmbH", "country": "Germany"}, headers=svc
    )
    assert r.status_code == 201
    mid = r.json()["id"]
    assert (r.json()["name"], r.json()["country"]) == ("Lindenhaus GmbH", "DE")
    assert [m["id"] for m in client.get("/v1/monitored").json()] == [mid]
    assert client.delete(f"/v1/monitored/{mid}", headers=svc).status_code == 403
    assert client.delete(f"/v1/monitored/{mid}").status_code == 204
    assert client.get("/v1/monitored").json() == []
    assert client.delete(f"/v1/monitored/{mid}").status_code == 404
    bad = client.post("/v1/monitored", json={"name": "X", "country": "Atlantis"}, headers=svc)
    assert bad.status_code == 422 and bad.json()["error"]["fields"][0]["field"] == "body.country"
