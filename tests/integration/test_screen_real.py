"""Screening over every real list in ../shared/lists (loaded once per module into a
temporary STOPSHIP_HOME): the example diversion order and the Alabuga payments block,
naming the listed Alabuga entities; the clean examples and payments clear."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from stopship.screen.decision import Decision, Outcome, Severity
from stopship.screen.orders import read_orders
from stopship.screen.payments import parse_payment_file
from stopship.screen.screener import Screener
from stopship.store import Store

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PAYMENTS = ROOT / "tests" / "fixtures" / "payments"

ALABUGA_SEZ = "ofac:45708"  # JSC Special Economic Zone of Industrial Production "Alabuga"
DIVERSION = "SO-2024-0417"
CLEAN = ("SO-2024-0418", "SO-2024-0419", "SO-2024-0420")


@pytest.fixture(scope="module")
def screener(real_lists_home: Path) -> Iterator[Screener]:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STOPSHIP_HOME", str(real_lists_home))
        mp.delenv("STOPSHIP_DB_URL", raising=False)
        store = Store()
        yield Screener.from_store(store)
        store.close()


@pytest.fixture(scope="module")
def examples(screener: Screener) -> dict[str, Decision]:
    out: dict[str, Decision] = {}
    for rec in read_orders(EXAMPLES / "orders.json"):
        assert rec.order is not None, rec.errors
        out[rec.order.order_id] = screener.screen_order(rec.order)
    assert set(out) == {DIVERSION, *CLEAN}
    return out


def _why(d: Decision) -> list[tuple[str, str, str]]:
    return [(r.severity.value, r.code, r.message[:160]) for r in d.reasons]


def test_diversion_order_blocks_naming_alabuga(examples: dict[str, Decision]) -> None:
    d = examples[DIVERSION]
    assert d.decision is Outcome.BLOCK, _why(d)
    assert ALABUGA_SEZ in d.entity_ids, d.entity_ids
    blocking = [r for r in d.reasons if r.severity is Severity.BLOCK]
    # the Alabuga address: a listed address of the zone's entities, and the zone itself
    sez = [r for r in blocking if ALABUGA_SEZ in r.entity_ids]
    assert sez and all(r.check in ("address", "party") for r in sez), _why(d)
    assert any("alabuga" in r.message.lower() for r in sez)
    assert any(r.code == "place_alabuga_sez" for r in d.reasons), _why(d)
    for r in d.reasons:
        assert r.source is not None and r.source.name, r


def test_diversion_order_names_the_chpl_tiers(examples: dict[str, Decision]) -> None:
    d = examples[DIVERSION]
    tiers = {r.code for r in d.reasons if r.check == "goods" and r.code.startswith("chpl_tier_")}
    assert {"chpl_tier_1", "chpl_tier_2"} <= tiers, _why(d)
    for r in d.reasons:
        if r.code.startswith("chpl_tier_"):
            assert r.source is not None and r.source.name and r.source.version, r
    items = {r.subject.split(" ")[1] for r in d.reasons if r.code.startswith("chpl_tier_")}
    assert items == {"1", "2", "3"}, _why(d)


def test_diversion_order_fires_the_route_rules(examples: dict[str, Decision]) -> None:
    d = examples[DIVERSION]
    route = {r.code: r for r in d.reasons if r.check == "route"}
    assert "chpl_to_russia_belarus" in route, _why(d)
    assert route["chpl_to_russia_belarus"].severity is Severity.BLOCK
    assert "RU" in route["chpl_to_russia_belarus"].evidence["countries"]
    assert "chpl_via_transshipment_country" in route
    assert {"KG", "AE"} <= set(route["chpl_via_transshipment_country"].evidence["countries"])
    assert "freight_forwarder_final_destination" in route
    assert "ship_to_differs_from_buyer_country" in route
    for r in route.values():
        assert r.source is not None and r.source.url


def test_diversion_decision_records_versions(examples: dict[str, Decision]) -> None:
    d = examples[DIVERSION]
    assert {"ofac", "un", "eu", "uk", "csl"} <= set(d.list_versions)
    assert d.ruleset_version.startswith("rules@") and "chpl@" in d.ruleset_version


@pytest.mark.parametrize("order_id", CLEAN)
def test_clean_example_orders_clear(examples: dict[str, Decision], order_id: str) -> None:
    d = examples[order_id]
    assert d.decision is Outcome.CLEAR, _why(d)
    assert d.entity_ids == []


@pytest.mark.parametrize("name", ["mt103_alabuga.fin", "pacs008_alabuga.xml"])
def test_alabuga_payments_block(screener: Screener, name: str) -> None:
    (payment,) = parse_payment_file(PAYMENTS / name)
    d = screener.screen_payment(payment)
    assert d.decision is Outcome.BLOCK, _why(d)
    assert ALABUGA_SEZ in d.entity_ids, (d.entity_ids, _why(d))
    creditor = [
        r for r in d.reasons if r.subject.startswith("creditor") and ALABUGA_SEZ in r.entity_ids
    ]
    assert any(r.severity is Severity.BLOCK for r in creditor), _why(d)
    assert any(r.code == "party_match" for r in creditor), _why(d)


@pytest.mark.parametrize("name", ["mt103_clean.fin", "pacs008_clean.xml"])
def test_clean_payments_clear(screener: Screener, name: str) -> None:
    payments = parse_payment_file(PAYMENTS / name)
    assert payments
    for p in payments:
        d = screener.screen_payment(p)
        assert d.decision is Outcome.CLEAR, (p.reference, _why(d))
        assert d.entity_ids == []
