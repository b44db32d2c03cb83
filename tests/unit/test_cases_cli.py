"""`stopship keys ...`, `stopship audit verify` and what `stopship lists update` does for
case management (audit, re-screening, webhooks), through the real entry point."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from stopship.cases import AlertStatus, CaseService, Role
from stopship.match import Matcher, Query
from stopship.store import Store
from tests.cli import run

UN_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "un" / "consolidated.xml"


def test_keys_create_list_revoke(home: Path) -> None:
    p = run(home, "keys", "create", "--role", "reviewer", "--name", "Rita <r@x>")
    assert p.returncode == 0, p.stderr
    secret = p.stdout.strip()
    assert secret.startswith("ss_") and "\n" not in secret
    assert "shown only this once" in p.stderr
    p = run(home, "keys", "create", "--role", "service", "--json")
    assert p.returncode == 0, p.stderr
    created = json.loads(p.stdout)
    assert created["key"]["role"] == "service" and created["secret"].startswith("ss_")
    listed = run(home, "keys", "list", "--json")
    keys = json.loads(listed.stdout)
    assert [(k["id"], k["role"], k["name"]) for k in keys] == [
        (1, "reviewer", "Rita <r@x>"),
        (2, "service", ""),
    ]
    assert secret not in listed.stdout and created["secret"] not in listed.stdout
    table = run(home, "keys", "list")
    assert table.returncode == 0 and "Rita <r@x>" in table.stdout
    assert secret[:10] in table.stdout and secret not in table.stdout
    p = run(home, "keys", "revoke", "1")
    assert p.returncode == 0 and "revoked" in p.stdout
    store = Store()
    try:
        cases = CaseService(store)
        assert cases.get_key(1).revoked_at is not None
        events = [(e.actor, e.event) for e in reversed(cases.audit_entries())]
        assert events == [("cli", "key.created"), ("cli", "key.created"), ("cli", "key.revoked")]
    finally:
        store.close()


def test_keys_bad_input_exits_with_the_field_named(home: Path) -> None:
    p = run(home, "keys", "create", "--role", "boss")
    assert p.returncode == 2 and "role: 'boss'" in p.stderr
    p = run(home, "keys", "revoke", "42")
    assert p.returncode == 6 and "no API key 42" in p.stderr
    p = run(home, "keys", "create")
    assert p.returncode == 2 and "--role" in p.stderr


def _un_dir(tmp_path: Path, *, without: str | None) -> Path:
    d = tmp_path / "lists" / "un"
    d.mkdir(parents=True, exist_ok=True)
    text = UN_FIXTURE.read_text(encoding="utf-8")
    if without:
        start = text.index(f"<ENTITY>\n      <DATAID>{without}")
        end = text.index("</ENTITY>", start) + len("</ENTITY>")
        text = text[:start] + text[end:]
    (d / "consolidated.xml").write_text(text, encoding="utf-8")
    return d


def test_lists_update_rescreens_monitored_names_and_audit_verify(
    home: Path, tmp_path: Path
) -> None:
    # version 1 lacks TEST SHIPPING LINE
    d = _un_dir(tmp_path, without="9200002")
    p = run(home, "lists", "update", "--from", str(d), "--source", "un")
    assert p.returncode == 0, p.stderr
    assert "re-screened 0 monitored counterparties" in p.stderr
    store = Store()
    try:
        cases = CaseService(store)
        matcher = Matcher.build(store.iter_entities())
        quiet = matcher.match(Query(name="Test Shipping Line"))
        assert not quiet.alert
        cases.alerts_from_match(quiet, actor="erp", monitor=True)
        admin = cases.create_key(Role.ADMIN, "root")[0]
        cases.add_webhook("http://127.0.0.1:9/hook", actor=admin)  # nothing listens there
    finally:
        store.close()
    # version 2 brings it
    d = _un_dir(tmp_path, without=None)
    p = run(home, "lists", "update", "--from", str(d), "--source", "un")
    assert p.returncode == 0, p.stderr
    assert (
        "re-screened 1 monitored counterparties against 1 new or changed entities: "
        "1 new alerts" in p.stderr
    )
    assert "webhooks: 0 delivered, 1 to retry" in p.stderr
    store = Store()
    try:
        cases = CaseService(store)
        (alert,) = cases.list_alerts().items
        assert (alert.entity_id, alert.origin, alert.status) == (
            "un:9200002",
            "rescreen",
            AlertStatus.OPEN,
        )
        updates = [e for e in cases.audit_entries() if e.event == "lists.update"]
        assert len(updates) == 2
        assert updates[0].details["results"][0]["version"]["delta"]["added"] == 1
        (delivery,) = cases.deliveries()
        assert delivery["status"] == "pending" and delivery["attempts"] == 1
    finally:
        store.close()

    p = run(home, "audit", "verify")
    assert p.returncode == 0, p.stderr
    assert "audit log intact" in p.stdout
    report = json.loads(run(home, "audit", "verify", "--json").stdout)
    assert report["ok"] is True and report["rows"] >= 8

    db = sqlite3.connect(home / "stopship.db")
    db.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3")
    db.commit()
    db.close()
    p = run(home, "audit", "verify")
    assert p.returncode == 11
    assert "first bad row 3" in p.stderr and "changed" in p.stderr
    p = run(home, "audit", "verify", "--json")
    assert p.returncode == 11 and json.loads(p.stdout)["first_bad_seq"] == 3
