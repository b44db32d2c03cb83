"""Authentication and roles on every endpoint of the OpenAPI document: a missing,
malformed, unknown or revoked key is 401 (with WWW-Authenticate), a role without the
permission is 403, and every error has the one envelope."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stopship.cases import Role
from tests.api_app import BLOCK_QUERY, ApiEnv, env_in


@pytest.fixture()
def api_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ApiEnv]:
    yield from env_in(tmp_path, monkeypatch)


@pytest.fixture()
def client(api_env: ApiEnv) -> Iterator[TestClient]:
    with TestClient(api_env.app()) as c:
        yield c


def operations(client: TestClient) -> list[tuple[str, str]]:
    paths: dict[str, dict[str, Any]] = client.get("/openapi.json").json()["paths"]
    return [
        (method.upper(), re.sub(r"\{[^}]+\}", "1", path))
        for path, ops in paths.items()
        for method in ops
        if path != "/health"
    ]


def assert_envelope(r: Any, status: int, code: str) -> None:
    assert r.status_code == status, (r.request.method, r.request.url, r.text)
    err = r.json()["error"]
    assert err["code"] == code
    assert isinstance(err["message"], str) and err["message"]
    assert isinstance(err["fields"], list)


def test_the_openapi_document_lists_every_endpoint(client: TestClient) -> None:
    ops = set(operations(client))
    for op in [
        ("POST", "/v1/match"),
        ("POST", "/v1/match/batch"),
        ("POST", "/v1/screen"),
        ("POST", "/v1/screen/payment"),
        ("GET", "/v1/alerts"),
        ("GET", "/v1/alerts/1"),
        ("POST", "/v1/alerts/1/assign"),
        ("POST", "/v1/alerts/1/comments"),
        ("POST", "/v1/alerts/1/decision"),
        ("GET", "/v1/alerts/stats"),
        ("GET", "/v1/suppressions"),
        ("GET", "/v1/monitored"),
        ("POST", "/v1/monitored"),
        ("DELETE", "/v1/monitored/1"),
        ("GET", "/v1/keys"),
        ("POST", "/v1/keys"),
        ("DELETE", "/v1/keys/1"),
        ("GET", "/v1/webhooks"),
        ("POST", "/v1/webhooks"),
        ("DELETE", "/v1/webhooks/1"),
        ("GET", "/v1/audit"),
        ("GET", "/v1/audit/verify"),
    ]:
        assert op in ops
    schema = client.get("/openapi.json").json()
    assert "HTTPBearer" in schema["components"]["securitySchemes"]


def test_health_needs_no_key(client: TestClient) -> None:
    assert client.get("/health").status_code == 200


@pytest.mark.parametrize(
    "header",
    [None, "Bearer ss_not-a-key", "Basic dXNlcjpwYXNz", "Bearer", "ss_no_scheme"],
    ids=["missing", "unknown", "basic", "empty-bearer", "no-scheme"],
)
def test_every_endpoint_refuses_a_bad_key_with_401(client: TestClient, header: str | None) -> None:
    headers = {} if header is None else {"Authorization": header}
    ops = operations(client)
    assert len(ops) >= 20
    for method, path in ops:
        r = client.request(method, path, headers=headers, json={})
        assert_envelope(r, 401, "unauthorized")
        assert r.headers["www-authenticate"].startswith("Bearer")


def test_a_revoked_key_is_refused_everywhere(api_env: ApiEnv, client: TestClient) -> None:
    key, secret = api_env.keys[Role.ADMIN]
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.get("/v1/alerts", headers=auth).status_code == 200
    api_env.cases.revoke_key(key.id, actor="test")
    for method, path in operations(client):
        r = client.request(method, path, headers=auth, json={})
        assert_envelope(r, 401, "unauthorized")
        assert "revoked" in r.json()["error"]["message"]


#: (method, path, body) -> the roles that may call it
MATRIX: list[tuple[str, str, dict[str, Any] | None, set[Role]]] = [
    ("POST", "/v1/match", {"name": "Acme"}, set(Role)),
    ("POST", "/v1/match/batch", {"queries": [{"name": "Acme"}]}, set(Role)),
    ("GET", "/v1/alerts", None, {Role.ANALYST, Role.REVIEWER, Role.ADMIN}),
    ("GET", "/v1/alerts/stats", None, {Role.ANALYST, Role.REVIEWER, Role.ADMIN}),
    ("GET", "/v1/suppressions", None, {Role.ANALYST, Role.REVIEWER, Role.ADMIN}),
    ("GET", "/v1/monitored", None, {Role.ANALYST, Role.REVIEWER, Role.ADMIN}),
    ("GET", "/v1/keys", None, {Role.ADMIN}),
    ("POST", "/v1/keys", {"role": "analyst", "name": "new"}, {Role.ADMIN}),
    ("GET", "/v1/webhooks", None, {Role.ADMIN}),
    ("GET", "/v1/audit", None, {Role.ADMIN}),
    ("GET", "/v1/audit/verify", None, {Role.ADMIN}),
]


@pytest.mark.parametrize(("method", "path", "body", "roles"), MATRIX)
def test_roles(
    api_env: ApiEnv,
    client: TestClient,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    roles: set[Role],
) -> None:
    for role in Role:
        r = client.request(method, path, headers=api_env.auth(role), json=body)
        if role in roles:
            assert r.status_code in (200, 201), (role, r.text)
        else:
            assert_envelope(r, 403, "forbidden")
            assert role.value in r.json()["error"]["message"]


def test_a_service_key_cannot_work_alerts(api_env: ApiEnv, client: TestClient) -> None:
    alert_id = client.post(
        "/v1/match", json={"name": BLOCK_QUERY}, headers=api_env.auth(Role.SERVICE)
    ).json()["alert_ids"][0]
    svc = api_env.auth(Role.SERVICE)
    assert_envelope(client.get(f"/v1/alerts/{alert_id}", headers=svc), 403, "forbidden")
    r = client.post(
        f"/v1/alerts/{alert_id}/decision",
        headers=svc,
        json={"status": "true_match", "reason": "x", "expected_version": 1},
    )
    assert_envelope(r, 403, "forbidden")
    r = client.post(f"/v1/alerts/{alert_id}/comments", headers=svc, json={"text": "x"})
    assert_envelope(r, 403, "forbidden")


def test_unknown_path_and_method_use_the_envelope(api_env: ApiEnv, client: TestClient) -> None:
    assert_envelope(client.get("/v1/nothing", headers=api_env.auth()), 404, "not_found")
    assert_envelope(client.get("/v1/match", headers=api_env.auth()), 405, "method_not_allowed")
