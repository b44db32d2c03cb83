"""The review UI through HTTP: login with an API key (session cookie, CSRF), the queue,
the alert page, deciding, lookup, lists and dashboard; each page's JSON twin; user
text escaped everywhere; security headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stopship.cases import Role
from tests.api_app import BLOCK_QUERY, REVIEW_QUERY, XSS_NAME, ApiEnv, env_in

ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture()
def api_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ApiEnv]:
    yield from env_in(tmp_path, monkeypatch)


@pytest.fixture()
def app_client(api_env: ApiEnv) -> Iterator[TestClient]:
    with TestClient(api_env.app(), follow_redirects=False) as c:
        yield c


def login_form(client: TestClient, **fields: str) -> dict[str, str]:
    """The login form's fields (with its CSRF token) plus ``fields``."""
    html = client.get("/ui/login").text
    m = re.search(r'name="login_csrf" value="([^"]+)"', html)
    assert m is not None
    return {"login_csrf": m.group(1), "next": "/ui/alerts", **fields}


def login(client: TestClient, secret: str) -> None:
    r = client.post("/ui/login", data=login_form(client, api_key=secret))
    assert r.status_code == 303, r.text
    assert r.headers["location"] == "/ui/alerts"


def screen(client: TestClient, env: ApiEnv, name: str) -> int:
    r = client.post("/v1/match", json={"name": name}, headers=env.auth(Role.SERVICE))
    ids: list[int] = r.json()["alert_ids"]
    assert len(ids) == 1
    return ids[0]


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m is not None
    return m.group(1)


@pytest.fixture()
def analyst(api_env: ApiEnv, app_client: TestClient) -> TestClient:
    login(app_client, api_env.secret(Role.ANALYST))
    return app_client


# ----------------------------------------------------------------------------- login


def test_pages_redirect_to_login_and_twins_answer_401(app_client: TestClient) -> None:
    r = app_client.get("/ui/alerts?status=any")
    assert r.status_code == 303
    assert r.headers["location"] == "/ui/login?next=%2Fui%2Falerts%3Fstatus%3Dany"
    twin = app_client.get("/ui/alerts.json")
    assert twin.status_code == 401
    assert twin.json()["error"]["code"] == "unauthorized"
    page = app_client.get("/ui/login")
    assert page.status_code == 200 and 'name="api_key"' in page.text


def test_login_sets_a_strict_httponly_cookie(api_env: ApiEnv, app_client: TestClient) -> None:
    r = app_client.post(
        "/ui/login", data=login_form(app_client, api_key=api_env.secret(Role.ANALYST))
    )
    assert r.status_code == 303
    cookie = next(
        c for c in r.headers.get_list("set-cookie") if c.startswith("stopship_session=")
    ).lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/ui" in cookie
    assert api_env.secret(Role.ANALYST).lower() not in cookie  # the key stays on the server
    assert app_client.get("/ui/alerts").status_code == 200


def test_login_with_a_wrong_key_shows_why(api_env: ApiEnv, app_client: TestClient) -> None:
    r = app_client.post("/ui/login", data=login_form(app_client, api_key="ss_wrong"))
    assert r.status_code == 401
    assert "unknown API key" in r.text
    assert "stopship_session" not in r.headers.get("set-cookie", "")
    svc = app_client.post(
        "/ui/login", data=login_form(app_client, api_key=api_env.secret(Role.SERVICE))
    )
    assert svc.status_code == 403  # a service key may screen, not review


def test_login_needs_the_forms_csrf_token(api_env: ApiEnv, app_client: TestClient) -> None:
    secret = api_env.secret(Role.ANALYST)
    form = login_form(app_client, api_key=secret)
    forged = app_client.post("/ui/login", data={**form, "login_csrf": "forged"})
    assert forged.status_code == 403 and "expired" in forged.text
    app_client.cookies.clear()
    no_cookie = app_client.post("/ui/login", data=form)  # as from another site: no cookie
    assert no_cookie.status_code == 403
    assert "stopship_session" not in no_cookie.headers.get("set-cookie", "")


def test_login_next_must_stay_in_the_ui(api_env: ApiEnv, app_client: TestClient) -> None:
    r = app_client.post(
        "/ui/login",
        data=login_form(
            app_client, api_key=api_env.secret(Role.ANALYST), next="https://evil.example/"
        ),
    )
    assert r.headers["location"] == "/ui/alerts"


def test_logout_ends_the_session(analyst: TestClient) -> None:
    html = analyst.get("/ui/alerts").text
    r = analyst.post("/ui/logout", data={"csrf": csrf_of(html)})
    assert r.status_code == 303
    assert analyst.get("/ui/alerts").status_code == 303


def test_a_revoked_key_ends_its_sessions(api_env: ApiEnv, analyst: TestClient) -> None:
    assert analyst.get("/ui/alerts").status_code == 200
    api_env.cases.revoke_key(api_env.keys[Role.ANALYST][0].id, actor="test")
    assert analyst.get("/ui/alerts").status_code == 303


# ----------------------------------------------------------------------------- pages


def test_queue_lists_active_alerts_with_filters(api_env: ApiEnv, analyst: TestClient) -> None:
    block = screen(analyst, api_env, BLOCK_QUERY)
    review = screen(analyst, api_env, REVIEW_QUERY)
    html = analyst.get("/ui/alerts").text
    assert f'href="/ui/alerts/{block}"' in html and f'href="/ui/alerts/{review}"' in html
    only_review = analyst.get("/ui/alerts?level=review").text
    assert f'href="/ui/alerts/{review}"' in only_review
    assert f'href="/ui/alerts/{block}"' not in only_review
    assert analyst.get("/ui/alerts?status=nonsense").status_code == 422


def test_every_page_has_a_json_twin(api_env: ApiEnv, analyst: TestClient) -> None:
    alert_id = screen(analyst, api_env, BLOCK_QUERY)
    api = api_env.auth(Role.ANALYST)
    queue = analyst.get("/ui/alerts.json").json()
    assert queue["page"] == analyst.get("/v1/alerts", headers=api).json()
    assert queue["filters"]["status"] == "active"
    by_accept = analyst.get("/ui/alerts", headers={"Accept": "application/json"}).json()
    assert by_accept == queue
    detail = analyst.get(f"/ui/alerts/{alert_id}.json").json()
    assert detail["detail"] == analyst.get(f"/v1/alerts/{alert_id}", headers=api).json()
    assert detail["four_eyes"] == {"required": True, "pending": False, "proposal": None}
    stats = analyst.get("/ui/dashboard.json").json()
    assert stats["stats"] == analyst.get("/v1/alerts/stats", headers=api).json()
    lists = analyst.get("/ui/lists.json").json()
    assert lists["serving"] == {"test": 1} and lists["versions"][0]["source"] == "test"
    lookup = analyst.get("/ui/lookup.json?name=Testzone+Industrial").json()
    assert lookup["result"]["hits"][0]["entity_id"] == "test:100"
    # with a bearer key instead of the session
    with TestClient(api_env.app()) as fresh:
        r = fresh.get("/ui/alerts.json", headers=api)
        assert r.status_code == 200 and r.json()["page"]["total"] == 1


def test_alert_page_shows_query_entry_explanation_and_record(
    api_env: ApiEnv, analyst: TestClient
) -> None:
    alert_id = screen(analyst, api_env, REVIEW_QUERY)
    html = analyst.get(f"/ui/alerts/{alert_id}").text
    assert '<dd class="name" id="query-name">JSC Testzone</dd>' in html
    assert "JSC Testzone Industrial" in html  # the list entry
    assert "<th>Contribution</th>" in html and "<th>Similarity</th>" in html
    assert "List record in service now" in html and "test:100" in html
    assert 'name="expected_version" value="1"' in html
    assert analyst.get("/ui/alerts/999").status_code == 404
    assert analyst.get("/ui/alerts/abc").status_code == 404


def test_deciding_in_the_form_closes_the_alert(api_env: ApiEnv, analyst: TestClient) -> None:
    alert_id = screen(analyst, api_env, REVIEW_QUERY)
    html = analyst.get(f"/ui/alerts/{alert_id}").text
    form = {
        "status": "false_positive",
        "reason": "a different company in another city",
        "expected_version": "1",
        "csrf": csrf_of(html),
    }
    r = analyst.post(f"/ui/alerts/{alert_id}/decision", data=form)
    assert r.status_code == 303
    assert r.headers["location"] == f"/ui/alerts/{alert_id}?decided=1"
    after = analyst.get(r.headers["location"]).text
    assert "Decision recorded." in after
    assert "Good-guy suppression" in after
    assert f'href="/ui/alerts/{alert_id}"' not in analyst.get("/ui/alerts").text
    # a stale form is refused with the conflict shown on the page
    again = analyst.post(f"/ui/alerts/{alert_id}/decision", data={**form, "status": "open"})
    assert again.status_code == 409
    assert 'role="alert"' in again.text


def test_decision_form_errors_are_shown(api_env: ApiEnv, analyst: TestClient) -> None:
    alert_id = screen(analyst, api_env, BLOCK_QUERY)
    token = csrf_of(analyst.get(f"/ui/alerts/{alert_id}").text)
    base = {"expected_version": "1", "csrf": token}
    r = analyst.post(
        f"/ui/alerts/{alert_id}/decision", data={**base, "status": "true_match", "reason": ""}
    )
    assert r.status_code == 422 and "reason" in r.text
    r = analyst.post(
        f"/ui/alerts/{alert_id}/decision",
        data={**base, "status": "false_positive", "reason": "not them"},
    )
    assert r.status_code == 303
    pending = analyst.get(f"/ui/alerts/{alert_id}").text
    assert "Awaiting second review" in pending and "analyst-1" in pending


def test_posts_need_the_csrf_token(api_env: ApiEnv, analyst: TestClient) -> None:
    alert_id = screen(analyst, api_env, REVIEW_QUERY)
    form = {"status": "true_match", "reason": "x", "expected_version": "1"}
    for token in (None, "forged"):
        data = dict(form) if token is None else {**form, "csrf": token}
        r = analyst.post(f"/ui/alerts/{alert_id}/decision", data=data)
        assert r.status_code == 403
    assert api_env.cases.get_alert(alert_id).alert.status.value == "open"


def test_comment_and_assign_forms(api_env: ApiEnv, analyst: TestClient) -> None:
    alert_id = screen(analyst, api_env, REVIEW_QUERY)
    token = csrf_of(analyst.get(f"/ui/alerts/{alert_id}").text)
    r = analyst.post(f"/ui/alerts/{alert_id}/comment", data={"text": "called them", "csrf": token})
    assert r.status_code == 303
    r = analyst.post(
        f"/ui/alerts/{alert_id}/assign",
        data={"assignee": "ana", "expected_version": "1", "csrf": token},
    )
    assert r.status_code == 303
    detail = api_env.cases.get_alert(alert_id)
    assert detail.alert.assignee == "ana"
    assert [e.text for e in detail.events if e.kind == "comment"] == ["called them"]
    empty = analyst.post(f"/ui/alerts/{alert_id}/comment", data={"text": " ", "csrf": token})
    assert empty.status_code == 422 and "a comment needs text" in empty.text


def test_script_names_render_as_text(api_env: ApiEnv, analyst: TestClient) -> None:
    alert_id = screen(analyst, api_env, XSS_NAME)
    for path in ("/ui/alerts", f"/ui/alerts/{alert_id}", "/ui/lookup?name=%3Cscript%3E"):
        html = analyst.get(path).text
        assert XSS_NAME not in html, path
        assert "<script>alert" not in html, path
    assert ESCAPED in analyst.get("/ui/alerts").text
    page = analyst.get(f"/ui/alerts/{alert_id}").text
    assert f'id="query-name">{ESCAPED}</dd>' in page
    # the only scripts are the UI's own file
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/ui/static/app.js" defer>']


def test_lookup_in_any_script(analyst: TestClient) -> None:
    html = analyst.get("/ui/lookup?name=АО+Тестзона+Индастриал").text
    assert "test:100" in html and "<th>Weight</th>" in html
    empty = analyst.get("/ui/lookup").text
    assert "No hits" not in empty and 'name="name"' in empty
    bad = analyst.get("/ui/lookup?name=Acme&country=Atlantis")
    assert bad.status_code == 422 and "Atlantis" in bad.text


def test_dashboard_draws_bars_from_the_stats(api_env: ApiEnv, analyst: TestClient) -> None:
    review = screen(analyst, api_env, REVIEW_QUERY)
    screen(analyst, api_env, "Ivan Petrovich Testovski")
    api_env.cases.decide(
        review,
        status="true_match",
        reason="confirmed",
        actor=api_env.keys[Role.ANALYST][0],
        expected_version=1,
    )
    html = analyst.get("/ui/dashboard").text
    bars: list[Any] = re.findall(r'class="bar bar-([a-z_]+)"><title>[^<]*: (\d+)</title>', html)
    assert ("true_match", "1") in bars and ("open", "1") in bars and ("test", "2") in bars
    assert "<svg" in html


def test_lists_page(analyst: TestClient) -> None:
    html = analyst.get("/ui/lists").text
    assert "<td>test</td>" in html and "ready" in html


def test_security_headers(analyst: TestClient) -> None:
    r = analyst.get("/ui/alerts")
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["cache-control"] == "no-store"
    assert analyst.get("/ui/static/style.css").status_code == 200


# ----------------------------------------------------------------------------- sessions


def test_session_cookies_are_signed_expire_and_end() -> None:
    from stopship.web.sessions import SessionStore, csrf_ok

    now = [1_000_000.0]
    store = SessionStore(b"k" * 32, max_age_seconds=60, clock=lambda: now[0])
    s = store.create(7)
    got = store.get(s.token)
    assert got is not None and got.key_id == 7 and csrf_ok(got, s.csrf)
    assert not csrf_ok(got, "x" * len(s.csrf)) and not csrf_ok(got, None)
    body, _, sig = s.token.rpartition(".")
    forged = body.replace("7.", "8.", 1) + "." + sig
    assert store.get(forged) is None
    assert store.get(s.token[:-1] + ("0" if s.token[-1] != "0" else "1")) is None
    assert SessionStore(b"other" * 8, clock=lambda: now[0]).get(s.token) is None
    now[0] += 61
    assert store.get(s.token) is None
    fresh = store.create(7)
    store.end(fresh.token)
    assert store.get(fresh.token) is None


def test_a_forged_cookie_is_not_a_session(api_env: ApiEnv, app_client: TestClient) -> None:
    app_client.cookies.set("stopship_session", "1.1.x.deadbeef", path="/ui")
    assert app_client.get("/ui/alerts").status_code == 303


def test_document_alert_page_shows_reasons_and_the_entity(
    api_env: ApiEnv, analyst: TestClient
) -> None:
    import json

    orders = Path(__file__).resolve().parents[1] / "fixtures" / "screen" / "orders_mixed.json"
    order = json.loads(orders.read_text(encoding="utf-8"))[0]
    r = analyst.post("/v1/screen", json=order, headers=api_env.auth(Role.SERVICE))
    ids = r.json()["alert_ids"]
    with_entity = [i for i in ids if api_env.cases.get_alert(i).alert.entity_id]
    assert with_entity
    html = analyst.get(f"/ui/alerts/{with_entity[0]}").text
    assert "Screening reasons" in html and "address_match" in html
    assert '<dd class="name">JSC Testzone Industrial</dd>' in html
    assert "order MX-1 → block" in html
