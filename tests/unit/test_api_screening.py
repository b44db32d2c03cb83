"""The screening endpoints over a small fictional list: /health, /v1/match (the same
JSON as ``stopship match --json``), /v1/match/batch, /v1/screen and /v1/screen/payment
(the same decisions as the CLI), bad input naming the field, size limits, alerts opened
and every call audited."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from stopship.api import ApiSettings, create_app
from stopship.cases import CaseService, Role
from stopship.cli.match import result_json
from stopship.match import Query
from stopship.screen.orders import read_orders
from stopship.screen.payments import parse_payment_file
from stopship.store import Store
from tests.api_app import BLOCK_QUERY, REVIEW_QUERY, XSS_NAME, ApiEnv, env_in

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture()
def api_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ApiEnv]:
    yield from env_in(tmp_path, monkeypatch)


@pytest.fixture()
def client(api_env: ApiEnv) -> Iterator[TestClient]:
    with TestClient(api_env.app()) as c:
        c.headers.update(api_env.auth(Role.SERVICE))
        yield c


def without(data: dict[str, Any], *keys: str) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in keys}


def audit_events(env: ApiEnv) -> list[str]:
    return [e.event for e in env.cases.audit_entries(limit=1000)]


# ----------------------------------------------------------------------------- health


def test_health_ready_names_the_versions_in_service(client: TestClient) -> None:
    r = client.get("/health", headers={"Authorization": ""})
    assert r.status_code == 200
    body = r.json()
    assert body["ready"] is True and body["status"] == "ready"
    assert body["serving"] == {"test": 1}
    assert body["stale"] is False
    assert [(x["source"], x["version"], x["entity_count"]) for x in body["lists"]] == [
        ("test", 1, 5)
    ]


def test_health_is_503_without_lists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STOPSHIP_HOME", str(tmp_path / "empty"))
    monkeypatch.delenv("STOPSHIP_DB_URL", raising=False)
    store = Store()
    cases = CaseService(store)
    _, secret = cases.create_key(Role.SERVICE, "svc")
    with TestClient(create_app(store=store, cases=cases)) as c:
        r = c.get("/health")
        assert r.status_code == 503
        assert r.json()["ready"] is False
        assert "no lists are loaded" in r.json()["problem"]
        m = c.post("/v1/match", json={"name": "x"}, headers={"Authorization": f"Bearer {secret}"})
        assert m.status_code == 503
        assert m.json()["error"]["code"] == "lists_not_loaded"
    store.close()


def test_health_reports_stale_when_the_store_has_newer_lists(
    api_env: ApiEnv, client: TestClient
) -> None:
    from tests.unit.test_screen_checks import SMALL_LIST

    api_env.store.replace_source("test", SMALL_LIST, published=None, meta={})
    body = client.get("/health").json()
    assert body["stale"] is True
    assert body["serving"] == {"test": 1}
    assert body["lists"][0]["version"] == 2


def test_new_list_versions_are_loaded_while_serving(api_env: ApiEnv) -> None:
    from stopship.api.loading import reload_if_stale
    from tests.unit.test_screen_checks import SMALL_LIST

    settings = ApiSettings(reload_seconds=0)
    app = create_app(store=api_env.store, cases=api_env.cases, settings=settings)
    svc = app.state.services
    with TestClient(app) as c:  # the lifespan loads the lists from the store
        c.headers.update(api_env.auth(Role.SERVICE))
        assert c.get("/health").json()["serving"] == {"test": 1}
        assert c.post("/v1/match", json={"name": XSS_NAME}).json()["alert"] is True
        assert reload_if_stale(svc) is False  # nothing new
        api_env.store.replace_source("test", SMALL_LIST, published=None, meta={})  # 900 gone
        assert c.get("/health").json()["stale"] is True
        assert reload_if_stale(svc) is True
        body = c.get("/health").json()
        assert body["serving"] == {"test": 2} and body["stale"] is False
        assert c.post("/v1/match", json={"name": XSS_NAME}).json()["hits"] == []
    assert "service.lists_loaded" in audit_events(api_env)


def test_the_server_watches_for_new_lists(api_env: ApiEnv) -> None:
    from tests.unit.test_screen_checks import SMALL_LIST

    settings = ApiSettings(reload_seconds=0.1)
    with TestClient(create_app(store=api_env.store, cases=api_env.cases, settings=settings)) as c:
        assert c.get("/health").json()["serving"] == {"test": 1}
        api_env.store.replace_source("test", SMALL_LIST, published=None, meta={})
        deadline = time.monotonic() + 30
        while c.get("/health").json()["serving"] != {"test": 2}:
            assert time.monotonic() < deadline, "the new version was not loaded"
            time.sleep(0.05)


# ----------------------------------------------------------------------------- match


def test_match_is_the_cli_json_plus_alert_ids(api_env: ApiEnv, client: TestClient) -> None:
    r = client.post("/v1/match", json={"name": BLOCK_QUERY, "kind": "organization"})
    assert r.status_code == 200
    body = r.json()
    expected = result_json(
        api_env.screener.matcher.match(Query(name=BLOCK_QUERY, kind="organization"))  # type: ignore[arg-type]
    )
    assert without(body, "alert_ids") == expected
    assert body["alert"] is True
    assert body["hits"][0]["entity_id"] == "test:100"
    # the alert it opened holds this evidence
    [alert_id] = body["alert_ids"]
    detail = api_env.cases.get_alert(alert_id)
    assert detail.alert.entity_id == "test:100"
    assert detail.alert.counterparty == BLOCK_QUERY
    assert detail.alert.evidence["hit"] == body["hits"][0]
    assert "screen.match" in audit_events(api_env)


def test_match_options_change_the_result_as_in_the_cli(api_env: ApiEnv, client: TestClient) -> None:
    body = {
        "name": "Ivan Testovsky",
        "kind": "person",
        "country": "Russia",
        "birth_date": "1970",
        "threshold": 0.99,
        "limit": 1,
    }
    r = client.post("/v1/match", json=body)
    assert r.status_code == 200
    q = Query(name="Ivan Testovsky", kind="person", country="RU", birth_date="1970")  # type: ignore[arg-type]
    expected = result_json(api_env.screener.matcher.match(q, threshold=0.99, limit=1))
    assert without(r.json(), "alert_ids") == expected
    assert r.json()["query"]["country"] == "RU"
    assert len(r.json()["hits"]) <= 1
    assert r.json()["alert"] is False and r.json()["alert_ids"] == []


def test_clean_name_opens_no_alert(api_env: ApiEnv, client: TestClient) -> None:
    r = client.post("/v1/match", json={"name": "Lindenhaus Buromobel GmbH"})
    assert r.status_code == 200
    assert r.json()["alert"] is False and r.json()["alert_ids"] == []
    assert api_env.cases.list_alerts().total == 0


def test_the_same_match_updates_its_alert(api_env: ApiEnv, client: TestClient) -> None:
    first = client.post("/v1/match", json={"name": REVIEW_QUERY}).json()["alert_ids"]
    again = client.post("/v1/match", json={"name": REVIEW_QUERY}).json()["alert_ids"]
    assert first == again and len(first) == 1
    alert = api_env.cases.get_alert(first[0]).alert
    assert alert.level == "review"
    assert api_env.cases.list_alerts().total == 1


def test_monitor_remembers_the_counterparty(api_env: ApiEnv, client: TestClient) -> None:
    client.post("/v1/match", json={"name": "Lindenhaus GmbH", "country": "DE"})
    assert api_env.cases.monitored() == []
    r = client.post("/v1/match", json={"name": "Lindenhaus GmbH", "country": "DE", "monitor": True})
    assert r.status_code == 200
    assert [(m.name, m.country) for m in api_env.cases.monitored()] == [("Lindenhaus GmbH", "DE")]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "body.name"),
        ({"name": ""}, "body.name"),
        ({"name": "x" * 1001}, "body.name"),
        ({"name": "Acme", "kind": "dragon"}, "body.kind"),
        ({"name": "Acme", "country": "Atlantis"}, "body.country"),
        ({"name": "Acme", "birth_date": "1990-13"}, "body.birth_date"),
        ({"name": "Acme", "threshold": 1.5}, "body.threshold"),
        ({"name": "Acme", "limit": 0}, "body.limit"),
        ({"name": "Acme", "colour": "red"}, "body.colour"),
        ({"name": 5}, "body.name"),
        ({"name": "!!!"}, "body.name"),
    ],
)
def test_bad_match_input_is_422_naming_the_field(
    client: TestClient, body: dict[str, Any], field: str
) -> None:
    r = client.post("/v1/match", json=body)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid"
    assert field in [f["field"] for f in err["fields"]]
    assert field in err["message"]


def test_bad_json_is_422(client: TestClient) -> None:
    r = client.post(
        "/v1/match", content=b'{"name": "x",', headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["fields"][0]["field"] == "body"
    assert "bad JSON" in err["fields"][0]["message"]


def test_a_body_over_the_limit_is_413_before_parsing(api_env: ApiEnv) -> None:
    app = api_env.app(ApiSettings(max_body_bytes=2000))
    with TestClient(app) as c:
        c.headers.update(api_env.auth(Role.SERVICE))
        big = json.dumps({"name": "x" * 3000})
        r = c.post("/v1/match", content=big, headers={"Content-Type": "application/json"})
        assert r.status_code == 413
        assert r.json()["error"]["code"] == "payload_too_large"

        def chunks() -> Iterator[bytes]:  # no Content-Length: counted while streaming
            for _ in range(10):
                yield b" " * 500

        r = c.post("/v1/screen/payment", content=chunks(), headers={"Content-Type": "text/plain"})
        assert r.status_code == 413
        assert r.json()["error"]["code"] == "payload_too_large"
        # just under the limit is parsed normally (a 1,000-letter word is matched quickly)
        r = c.post("/v1/match", json={"name": "x" * 1000})
        assert r.status_code == 200


# ----------------------------------------------------------------------------- batch


def test_batch_gives_one_cli_result_per_query_in_order(api_env: ApiEnv, client: TestClient) -> None:
    names = [BLOCK_QUERY, "Lindenhaus Buromobel GmbH", "Тестовский Иван Петрович"]
    r = client.post("/v1/match/batch", json={"queries": [{"name": n} for n in names]})
    assert r.status_code == 200
    body = r.json()
    expected = api_env.screener.matcher.match_batch([Query(name=n) for n in names])
    assert [without(x, "alert_ids") for x in body["results"]] == [result_json(e) for e in expected]
    assert body["alerts"] == 2
    assert body["alert_ids"] == [i for x in body["results"] for i in x["alert_ids"]]
    assert len(body["alert_ids"]) == 2
    assert "screen.match_batch" in audit_events(api_env)


def test_batch_of_1000_is_accepted_and_1001_refused(client: TestClient) -> None:
    ok = client.post(
        "/v1/match/batch", json={"queries": [{"name": f"Clean Name {i}"} for i in range(1000)]}
    )
    assert ok.status_code == 200
    assert len(ok.json()["results"]) == 1000
    r = client.post("/v1/match/batch", json={"queries": [{"name": "a"}] * 1001})
    assert r.status_code == 422
    assert r.json()["error"]["fields"][0]["field"] == "body.queries"


def test_batch_names_the_bad_query(client: TestClient) -> None:
    queries = [{"name": "Acme"}, {"name": "Acme", "country": "Atlantis"}]
    r = client.post("/v1/match/batch", json={"queries": queries})
    assert r.status_code == 422
    assert r.json()["error"]["fields"][0]["field"] == "body.queries.1.country"


def test_batch_row_the_matcher_refuses_carries_its_error(client: TestClient) -> None:
    r = client.post("/v1/match/batch", json={"queries": [{"name": "!!!"}, {"name": BLOCK_QUERY}]})
    assert r.status_code == 200
    first, second = r.json()["results"]
    assert first["error"] and first["hits"] == [] and first["alert_ids"] == []
    assert second["alert"] is True


# ----------------------------------------------------------------------------- orders


def _orders() -> list[dict[str, Any]]:
    data: list[dict[str, Any]] = json.loads(
        (FIXTURES / "screen" / "orders_mixed.json").read_text(encoding="utf-8")
    )
    return data


def test_screen_order_gives_the_cli_decision(api_env: ApiEnv, client: TestClient) -> None:
    records = list(read_orders(FIXTURES / "screen" / "orders_mixed.json"))
    for raw, rec in zip(_orders(), records, strict=True):
        r = client.post("/v1/screen", json=raw)
        assert r.status_code == 200, r.text
        body = r.json()
        assert rec.order is not None
        expected = api_env.screener.screen_order(rec.order).model_dump(mode="json")
        skip = ("screened_at", "alert_ids", "warnings")
        assert without(body, *skip) == without(expected, "screened_at")
        assert bool(body["alert_ids"]) == (body["decision"] != "clear")
    decisions = [client.post("/v1/screen", json=o).json()["decision"] for o in _orders()]
    assert decisions == ["block", "review", "clear"]
    assert audit_events(api_env).count("screen.order") == 6


def test_screen_order_alerts_name_the_document(api_env: ApiEnv, client: TestClient) -> None:
    body = client.post("/v1/screen", json=_orders()[0]).json()
    alerts = [api_env.cases.get_alert(i).alert for i in body["alert_ids"]]
    assert {a.document_id for a in alerts} == {"MX-1"}
    assert {a.origin for a in alerts} == {"order"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"parties": [{"role": "boss", "name": "X"}]}, "body.parties.0.role"),
        ({"order_date": "31/02/2026"}, "body.order_date"),
        ({"route": {"ship_to": "Atlantis"}}, "body.route.ship_to"),
        ({"items": [{"line": 1, "hs_code": "ABC"}]}, "body.items.0.hs_code"),
        ({"items": [{"line": 1, "description": "x", "currency": "XXY"}]}, "body.items.0.currency"),
        ({"unknown": 1}, "body.unknown"),
    ],
)
def test_bad_order_is_422_naming_the_field(
    client: TestClient, change: dict[str, Any], field: str
) -> None:
    r = client.post("/v1/screen", json={**_orders()[2], **change})
    assert r.status_code == 422, r.text
    assert field in [f["field"] for f in r.json()["error"]["fields"]]


def test_order_without_id_is_422(client: TestClient) -> None:
    order = {k: v for k, v in _orders()[2].items() if k != "order_id"}
    r = client.post("/v1/screen", json=order)
    assert r.status_code == 422
    assert r.json()["error"]["fields"][0]["field"] == "body.order_id"


# ----------------------------------------------------------------------------- payments


def _cli_payment_json(env: ApiEnv, path: Path) -> list[dict[str, Any]]:
    out = []
    for p in parse_payment_file(path):
        data = env.screener.screen_payment(p).model_dump(mode="json")
        data["warnings"] = list(p.warnings)
        out.append(without(data, "screened_at"))
    return out


@pytest.mark.parametrize(
    ("name", "ctype"),
    [
        ("mt103_alabuga.fin", "text/plain"),
        ("mt103_clean.fin", "text/plain"),
        ("pacs008_alabuga.xml", "application/xml"),
        ("pacs008_clean.xml", "application/xml"),
    ],
)
def test_screen_payment_gives_the_cli_decisions(
    api_env: ApiEnv, client: TestClient, name: str, ctype: str
) -> None:
    path = FIXTURES / "payments" / name
    r = client.post(
        "/v1/screen/payment", content=path.read_bytes(), headers={"Content-Type": ctype}
    )
    assert r.status_code == 200, r.text
    decisions = r.json()["decisions"]
    assert [without(d, "screened_at", "alert_ids") for d in decisions] == _cli_payment_json(
        api_env, path
    )
    for d in decisions:
        assert bool(d["alert_ids"]) == (d["decision"] != "clear")
    assert ("alabuga" in name) == any(d["decision"] == "block" for d in decisions)


def test_screen_payment_accepts_json(api_env: ApiEnv, client: TestClient) -> None:
    text = (FIXTURES / "payments" / "mt103_alabuga.fin").read_text(encoding="utf-8")
    r = client.post("/v1/screen/payment", json={"message": text})
    assert r.status_code == 200
    assert r.json()["decisions"][0]["decision"] == "block"
    assert "screen.payment" in audit_events(api_env)


@pytest.mark.parametrize(
    ("content", "ctype", "field"),
    [
        (b"hello world", "text/plain", None),
        (b"", "text/plain", None),
        (b'{"message": ""}', "application/json", "body.message"),
        (b'{"msg": "x"}', "application/json", "body.message"),
        (b'{"message": ', "application/json", "body"),
        (b"<a/>", "image/png", "content-type"),
    ],
)
def test_bad_payment_is_422(
    client: TestClient, content: bytes, ctype: str, field: str | None
) -> None:
    r = client.post("/v1/screen/payment", content=content, headers={"Content-Type": ctype})
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == "invalid" and err["message"]
    if field is not None:
        assert field in [f["field"] for f in err["fields"]]


def test_payment_missing_a_mandatory_field_names_it(client: TestClient) -> None:
    path = FIXTURES / "screen" / "mt103_missing_32a.fin"
    r = client.post("/v1/screen/payment", content=path.read_bytes())
    assert r.status_code == 422
    assert ":32A:" in r.json()["error"]["message"]
