"""Alerts from screening: one per alerting pair, updated (never duplicated or rewritten)
when screened again, evidence snapshots as screened, the queue, alert pages, stats."""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal

import pytest

from stopship.cases import AlertStatus, Role
from stopship.errors import CaseNotFoundError, InputError
from stopship.match import Query
from stopship.screen.addresses import AddressIndex, load_places
from stopship.screen.goods import GoodsRules
from stopship.screen.orders import LineItem, Order, Party, PartyRole, Route
from stopship.screen.route import Ruleset
from stopship.screen.screener import Screener
from tests.cases_fixtures import Env, fixture_entities, fx_env, fx_pg, fx_url  # noqa: F401
from tests.unit.test_screen_checks import COMPANY, SMALL_LIST


def test_one_alert_per_alerting_hit_with_the_evidence_as_screened(env: Env) -> None:
    r = env.match("Arkadiy Semyonovich VELIKANOV", birth_date="1968-04-12")
    (alert,) = env.cases.alerts_from_match(r, actor="erp#1")
    assert alert.status is AlertStatus.OPEN and alert.version == 1
    assert (alert.entity_id, alert.source, alert.origin) == ("test:p1", "test", "match")
    assert alert.level == "block" and alert.score == r.hits[0].score
    assert alert.counterparty == "Arkadiy Semyonovich VELIKANOV"
    assert alert.counterparty_key == "arkadiy semyonovich velikanov|born=1968-04-12"
    ev = alert.evidence
    assert ev["query"]["birth_date"] == "1968-04-12"
    assert ev["list_versions"] == r.list_versions
    assert ev["hit"]["explanation"]["features"] == [
        f.model_dump(mode="json") for f in r.hits[0].explanation.features
    ]
    entity = env.store.get_entity("test:p1")
    assert ev["entity"] == entity.content()
    assert ev["entity_fingerprint"] == entity.content_hash()
    detail = env.cases.get_alert(alert.id)
    assert [e.kind for e in detail.events] == ["created"]
    assert detail.events[0].actor == "erp#1"
    assert [s.evidence for s in detail.evidence_snapshots] == [ev]
    assert detail.entity is not None and detail.entity["caption"] == entity.caption
    assert detail.entity_changed is False and detail.suppression is None


def test_hits_below_the_alert_threshold_and_failed_queries_open_nothing(env: Env) -> None:
    weak = env.match("Liesel Brandauer")
    assert weak.hits and not weak.alert
    assert env.cases.alerts_from_match(weak, actor="t") == []
    bad = env.match("Arkadiy VELIKANOV", country="Atlantis")
    assert bad.error
    assert env.cases.alerts_from_match(bad, actor="t", monitor=True) == []
    assert env.cases.list_alerts().total == 0 and env.cases.monitored() == []


def test_screening_the_same_pair_again_updates_the_open_alert(env: Env) -> None:
    first = env.cases.alerts_from_match(env.match("Arkadiy VELIKANOV"), actor="a")[0]
    env.clock.advance(hours=1)
    # another spelling that normalises to the same key
    again = env.cases.alerts_from_match(env.match("  arkadiy   velikanov "), actor="b")[0]
    assert again.id == first.id and again.version == 2
    assert again.updated_at > first.updated_at and again.created_at == first.created_at
    detail = env.cases.get_alert(first.id)
    assert [e.kind for e in detail.events] == ["created", "updated"]
    snaps = detail.evidence_snapshots
    assert len(snaps) == 2 and snaps[0].evidence == first.evidence  # never rewritten
    assert snaps[1].evidence["query"]["name"] == "  arkadiy   velikanov "
    assert again.evidence == snaps[1].evidence
    # other facts make another counterparty: a second alert
    other = env.cases.alerts_from_match(env.match("Arkadiy VELIKANOV", country="RU"), actor="c")
    assert other[0].id != first.id
    assert env.cases.list_alerts().total == 2


def test_a_closed_true_match_does_not_absorb_a_new_screening(env: Env) -> None:
    analyst = env.key(Role.ANALYST)
    a = env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="t")[0]
    env.cases.decide(
        a.id, status="true_match", reason="same IMO", actor=analyst, expected_version=1
    )
    b = env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="t")[0]
    assert b.id != a.id and b.status is AlertStatus.OPEN


@pytest.fixture()
def screener(env: Env) -> Screener:
    env.load(list(SMALL_LIST))
    version, places = load_places()
    return Screener(
        matcher=env.matcher,
        addresses=AddressIndex.build(env.store.iter_entities()),
        goods=GoodsRules.load(()),
        ruleset=Ruleset.load(None),
        places=places,
        places_version=version,
    )


def _order(*parties: Party) -> Order:
    chip = LineItem(line=1, description="microcontroller", hs_code="854231", quantity=Decimal(5))
    return Order(
        order_id="PO-77",
        parties=parties,
        items=(chip,),
        route=Route(ship_from="DE", ship_to="RU"),
        end_use="resale",
    )


def test_a_document_decision_opens_party_and_document_alerts(env: Env, screener: Screener) -> None:
    d = screener.screen_order(
        _order(
            Party(role=PartyRole.BUYER, name="JSC Testzone Industrial", country="RU"),
            Party(role=PartyRole.CONSIGNEE, name="Volzhsky Pribor OOO", country="RU"),
        )
    )
    blocking = [r for r in d.reasons if r.severity.value in ("block", "review")]
    alerts = env.cases.alerts_from_decision(d, actor="erp#2", monitor=True)
    party = [a for a in alerts if a.entity_id == COMPANY]
    assert len(party) == 1 and party[0].origin == "order"
    assert party[0].counterparty == "JSC Testzone Industrial"
    assert party[0].document_id == "PO-77" and party[0].level == "block"
    assert party[0].evidence["document"]["id"] == "PO-77"
    assert party[0].evidence["reasons"][0]["code"] == "party_match"
    assert party[0].evidence["entity"]["id"] == COMPANY
    # reasons about no listed entity: one alert per (document, reason code)
    doc_codes = {r.code for r in blocking if not r.entity_ids}
    assert doc_codes  # the CHPL goods to Russia
    docs = [a for a in alerts if a.entity_id is None]
    assert {a.reason_code for a in docs} == doc_codes
    assert all(a.counterparty_key == "document:PO-77" for a in docs)
    # the party names of the reasons are monitored (parties not given)
    assert [m.name for m in env.cases.monitored()] == ["JSC Testzone Industrial"]
    # screening the same document again updates, never duplicates
    again = env.cases.alerts_from_decision(d, actor="erp#2")
    assert sorted(a.id for a in again) == sorted(a.id for a in alerts)
    assert all(a.version == 2 for a in again)


def test_monitoring_the_given_parties_of_a_document(env: Env, screener: Screener) -> None:
    d = screener.screen_order(
        _order(Party(role=PartyRole.BUYER, name="Lindenhaus GmbH", country="DE"))
    )
    env.cases.alerts_from_decision(d, actor="t", monitor=True, parties=["Lindenhaus GmbH", ""])
    (m,) = env.cases.monitored()
    assert (m.name, m.origin) == ("Lindenhaus GmbH", "order")


def _seed(env: Env) -> dict[str, int]:
    ids = {}
    for name in ("Arkadiy VELIKANOV", "Ocean Pearlescent", "Krasnoverkh", "ALABUGA TRADING LLC"):
        (a,) = env.cases.alerts_from_match(env.match(name), actor="t")
        ids[name] = a.id
        env.clock.advance(seconds=1)
    return ids


def test_the_queue_filters_and_pages(env: Env) -> None:
    ids = _seed(env)
    analyst = env.key(Role.ANALYST, "ann")
    env.cases.decide(
        ids["Ocean Pearlescent"],
        status="escalated",
        reason="check IMO",
        actor=analyst,
        expected_version=1,
    )
    env.cases.assign(ids["Krasnoverkh"], "ann", actor=analyst, expected_version=1)
    page = env.cases.list_alerts()
    assert page.total == 4 and [a.id for a in page.items] == sorted(ids.values(), reverse=True)
    esc = env.cases.list_alerts(status=[AlertStatus.ESCALATED])
    assert [a.id for a in esc.items] == [ids["Ocean Pearlescent"]]
    assert env.cases.list_alerts(status=["open"]).total == 3  # type: ignore[list-item]
    assert [a.id for a in env.cases.list_alerts(assignee="ann").items] == [ids["Krasnoverkh"]]
    # the level follows each hit's score (cases.alerts.hit_level): Krasnoverkh (0.81) is
    # review-level, an exact name block-level
    levels = {a.id: a.level for a in page.items}
    review = env.cases.list_alerts(level="review")
    assert levels[ids["Krasnoverkh"]] == "review" and levels[ids["Ocean Pearlescent"]] == "block"
    assert sorted(a.id for a in review.items) == sorted(
        i for i, lvl in levels.items() if lvl == "review"
    )
    assert env.cases.list_alerts(source="test").total == 4
    assert env.cases.list_alerts(source="ofac").total == 0
    assert [a.id for a in env.cases.list_alerts(q="pearl").items] == [ids["Ocean Pearlescent"]]
    assert [a.id for a in env.cases.list_alerts(q="test:c3").items] == [ids["ALABUGA TRADING LLC"]]
    assert env.cases.list_alerts(q="100%").total == 0  # LIKE wildcards are literal
    light = env.cases.list_alerts(evidence=False)
    assert [a.id for a in light.items] == [a.id for a in page.items]
    assert all(a.evidence == {} for a in light.items) and all(a.evidence for a in page.items)
    two = env.cases.list_alerts(limit=2, offset=2)
    assert (two.total, two.limit, two.offset, len(two.items)) == (4, 2, 2, 2)
    with pytest.raises(InputError, match="limit"):
        env.cases.list_alerts(limit=0)
    with pytest.raises(InputError, match="level"):
        env.cases.list_alerts(level="urgent")


def test_stats_count_by_status_level_and_source(env: Env) -> None:
    ids = _seed(env)
    analyst = env.key(Role.ANALYST)
    env.cases.decide(
        ids["Krasnoverkh"],
        status="false_positive",
        reason="another company",
        actor=analyst,
        expected_version=1,
    )
    s = env.cases.stats()
    assert s["total"] == 4 and s["open"] == 3
    assert s["by_status"]["open"] == 3 and s["by_status"]["false_positive"] == 1
    levels = Counter(a.level for a in env.cases.list_alerts().items)
    assert s["by_level"] == dict(levels) and set(levels) == {"block", "review"}
    assert s["by_source"] == {"test": 4}
    assert s["by_source_status"] == {"test": {"open": 3, "false_positive": 1}}


def test_alert_page_of_an_entity_that_left_the_lists(env: Env) -> None:
    (a,) = env.cases.alerts_from_match(env.match("Ocean Pearlescent"), actor="t")
    env.load([e for e in fixture_entities() if e.id != "test:v1"])
    detail = env.cases.get_alert(a.id)
    assert detail.entity is None and detail.entity_changed is True
    assert detail.evidence_snapshots[0].evidence["entity"]["id"] == "test:v1"
    with pytest.raises(CaseNotFoundError):
        env.cases.get_alert(9999)


def test_matcher_only_restricts_hits(env: Env) -> None:
    """The re-screening primitive the cases rely on."""
    r = env.matcher.match(Query(name="Ocean Pearlescent"), only=["test:p1"])
    assert r.hits == []


def test_concurrent_screenings_of_one_pair_open_one_alert(env: Env) -> None:
    r = env.match("Ocean Pearlescent")
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def screen() -> None:
        barrier.wait()
        try:
            env.cases.alerts_from_match(r, actor="t")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=screen) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    (alert,) = env.cases.list_alerts().items
    assert alert.version == 4
    assert len(env.cases.get_alert(alert.id).evidence_snapshots) == 4
