"""The screening checks against a small hand-written list: decision precedence, route
rules (on, off, disabled, malformed rule file), place rules, address matching in any
script, party and BIC matching, citations and the versions a decision records.

Every list entry here is fictional. ``SMALL_LIST`` and ``build_small_store`` are shared
with the report and CLI tests."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from stopship.errors import InputError
from stopship.model import (
    Address,
    Entity,
    EntityKind,
    Identifier,
    IdType,
    Name,
    NameType,
)
from stopship.screen.addresses import AddressIndex, Place, load_places, place_reasons
from stopship.screen.decision import Citation, Decision, Outcome, Reason, Severity, decide
from stopship.screen.orders import LineItem, Order, Party, PartyRole, Route
from stopship.screen.payments import PartyRole as PayRole
from stopship.screen.payments import Payment, PaymentParty
from stopship.screen.route import Ruleset
from stopship.screen.screener import Screener
from stopship.store import Store

RULESET = (
    Path(__file__).resolve().parents[2] / "src" / "stopship" / "data" / "rules" / "ruleset.json"
)

Places = tuple[Place, ...]

COMPANY = "test:100"
BANK = "test:200"
PERSON = "test:300"
CITY_ONLY = "test:400"


def _ent(rid: str, kind: EntityKind, *names: Name, **kw: Any) -> Entity:
    return Entity(
        id=f"test:{rid}",
        source="test",
        record_id=rid,
        kind=kind,
        list_name="Fictional Test List",
        names=names,
        **kw,
    )


#: a small, entirely fictional list
SMALL_LIST: tuple[Entity, ...] = (
    _ent(
        "100",
        EntityKind.ORGANIZATION,
        Name(value="JSC Testzone Industrial"),
        Name(value="АО Тестзона Индастриал", type=NameType.ORIGINAL_SCRIPT, script="Cyrl"),
        # the creditor name of the MT103 / pacs.008 fixtures in tests/fixtures/payments
        Name(value="AO OEZ PPT ALABUGA", type=NameType.STRONG_ALIAS),
        addresses=(
            Address(
                full="ul. Sh-2 4/1, Yelabuga, Tatarstan 423600",
                street="ul. Sh-2 4/1",
                city="Yelabuga",
                region="Tatarstan",
                postcode="423600",
                country="RU",
            ),
        ),
        countries=("RU",),
    ),
    _ent(
        "200",
        EntityKind.ORGANIZATION,
        Name(value="Volgaria Credit Bank"),
        identifiers=(Identifier(type=IdType.BIC, value="VLGARU2K"),),
        addresses=(Address(city="Kazan", country="RU"),),
    ),
    _ent(
        "300",
        EntityKind.PERSON,
        Name(value="Ivan Petrovich Testovsky"),
        Name(value="Тестовский Иван Петрович", type=NameType.ORIGINAL_SCRIPT, script="Cyrl"),
    ),
    _ent(
        "400",
        EntityKind.ORGANIZATION,
        Name(value="Grachtenhof Holding Placeholder BV"),
        addresses=(Address(full="Amsterdam, Netherlands", city="Amsterdam", country="NL"),),
    ),
)


def build_small_store(home: Path) -> None:
    """Load ``SMALL_LIST`` into the store under ``home`` (STOPSHIP_HOME must be ``home``)."""
    assert os.environ.get("STOPSHIP_HOME") == str(home)
    store = Store()
    try:
        store.replace_source("test", SMALL_LIST, published=date(2026, 1, 1), meta={})
    finally:
        store.close()


@pytest.fixture(scope="module")
def screener(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Screener]:
    home = tmp_path_factory.mktemp("screen-checks") / "home"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STOPSHIP_HOME", str(home))
        mp.delenv("STOPSHIP_DB_URL", raising=False)
        build_small_store(home)
        yield Screener.from_store(Store())


# ----------------------------------------------------------------------------- helpers


def party(role: PartyRole, name: str, country: str | None = None, **addr: str) -> Party:
    address = Address(**addr, country=country) if addr else None
    return Party(role=role, name=name, country=country, address=address)


CHIP = LineItem(
    line=1, description="32-bit microcontroller", hs_code="854231", quantity=Decimal(10)
)
CHAIR = LineItem(line=1, description="office chairs", hs_code="940130", quantity=Decimal(10))


def order(
    *parties: Party,
    items: tuple[LineItem, ...] = (CHAIR,),
    route: Route | None = None,
    end_use: str | None = "furnishing our own offices",
) -> Order:
    return Order(
        order_id="T-1",
        parties=parties,
        items=items,
        route=route or Route(),
        end_use=end_use,
    )


def codes(d: Decision, check: str | None = None) -> set[str]:
    return {r.code for r in d.reasons if check is None or r.check == check}


def reason(d: Decision, code: str) -> Reason:
    found = [r for r in d.reasons if r.code == code]
    assert found, f"no {code} reason in {[r.code for r in d.reasons]}"
    return found[0]


ROUTE_CODES = {
    "chpl_to_russia_belarus",
    "chpl_via_transshipment_country",
    "freight_forwarder_final_destination",
    "ship_to_differs_from_buyer_country",
    "end_use_not_declared",
    "transit_through_russia_belarus",
}

BERLIN = {"street": "Unter den Linden 5", "city": "Berlin", "postcode": "10117"}


def clean_order(**kw: object) -> Order:
    base: dict[str, object] = {
        "route": Route(ship_from="DE", ship_to="DE"),
    }
    base.update(kw)
    return order(
        party(PartyRole.BUYER, "Lindenhaus Buromobel GmbH", "DE", **BERLIN),
        party(PartyRole.CONSIGNEE, "Lindenhaus Buromobel GmbH", "DE", **BERLIN),
        **base,  # type: ignore[arg-type]
    )


# ----------------------------------------------------------------------------- decide()


def _r(severity: Severity, code: str, *ids: str) -> Reason:
    return Reason(
        check="party",
        code=code,
        severity=severity,
        message=code,
        subject="s",
        entity_ids=list(ids),
        source=Citation(name="X"),
    )


def test_decide_precedence_and_entity_ids() -> None:
    info, review, block = (
        _r(Severity.INFO, "i", "x:1"),
        _r(Severity.REVIEW, "r", "x:2"),
        _r(Severity.BLOCK, "b", "x:3", "x:2"),
    )
    args = ({"x": 7}, "rules@1")
    assert decide("d", "order", [], *args).decision is Outcome.CLEAR
    assert decide("d", "order", [info], *args).decision is Outcome.CLEAR
    assert decide("d", "order", [info, review], *args).decision is Outcome.REVIEW
    d = decide("d", "order", [info, review, block], *args)
    assert d.decision is Outcome.BLOCK
    assert [r.code for r in d.reasons] == ["b", "r", "i"]  # most severe first
    assert d.entity_ids == ["x:1", "x:2", "x:3"]  # every reason's, once, sorted
    assert d.list_versions == {"x": 7} and d.ruleset_version == "rules@1"


# ----------------------------------------------------------------------------- route rules


def test_clean_order_clears(screener: Screener) -> None:
    d = screener.screen_order(clean_order())
    assert d.decision is Outcome.CLEAR, [r.message for r in d.reasons]
    assert d.reasons == [] and d.entity_ids == []


def test_chpl_to_russia_blocks(screener: Screener) -> None:
    d = screener.screen_order(
        order(party(PartyRole.BUYER, "Volzhsky Pribor OOO", "RU"), items=(CHIP,))
    )
    assert d.decision is Outcome.BLOCK
    r = reason(d, "chpl_to_russia_belarus")
    assert r.severity is Severity.BLOCK and r.evidence["countries"] == ["RU"]
    assert any(c.startswith("chpl_tier_") for c in codes(d, "goods"))
    # the same goods to a clean destination: no route rule
    assert not codes(screener.screen_order(clean_order(items=(CHIP,)))) & ROUTE_CODES


def test_chpl_to_belarus_by_ship_to_blocks(screener: Screener) -> None:
    d = screener.screen_order(clean_order(items=(CHIP,), route=Route(ship_from="DE", ship_to="BY")))
    assert reason(d, "chpl_to_russia_belarus").evidence["countries"] == ["BY"]
    assert d.decision is Outcome.BLOCK


@pytest.mark.parametrize("country", ["KG", "AE"])
def test_chpl_via_transshipment_country_reviews(screener: Screener, country: str) -> None:
    d = screener.screen_order(
        clean_order(items=(CHIP,), route=Route(ship_from="DE", transit=(country,), ship_to="DE"))
    )
    r = reason(d, "chpl_via_transshipment_country")
    assert r.severity is Severity.REVIEW and r.evidence["countries"] == [country]
    assert d.decision is Outcome.REVIEW
    assert "chpl_to_russia_belarus" not in codes(d)
    # not for goods off the CHPL
    chairs = screener.screen_order(
        clean_order(route=Route(ship_from="DE", transit=(country,), ship_to="DE"))
    )
    assert "chpl_via_transshipment_country" not in codes(chairs)


def test_freight_forwarder_as_consignee_reviews(screener: Screener) -> None:
    d = screener.screen_order(
        order(
            party(PartyRole.BUYER, "Lindenhaus Buromobel GmbH", "DE", **BERLIN),
            party(PartyRole.CONSIGNEE, "Spree Cargo Forwarding GmbH", "DE"),
            party(PartyRole.FREIGHT_FORWARDER, "Spree Cargo Forwarding GmbH", "DE"),
            route=Route(ship_from="DE", ship_to="DE"),
        )
    )
    assert codes(d) == {"freight_forwarder_final_destination"}
    assert d.decision is Outcome.REVIEW
    # a forwarder that only carries the goods to another consignee is no red flag
    d = screener.screen_order(
        order(
            party(PartyRole.BUYER, "Lindenhaus Buromobel GmbH", "DE", **BERLIN),
            party(PartyRole.CONSIGNEE, "Lindenhaus Buromobel GmbH", "DE", **BERLIN),
            party(PartyRole.FREIGHT_FORWARDER, "Spree Cargo Forwarding GmbH", "DE"),
            route=Route(ship_from="DE", ship_to="DE"),
        )
    )
    assert d.decision is Outcome.CLEAR, codes(d)


def test_ship_to_other_than_buyer_country_reviews(screener: Screener) -> None:
    d = screener.screen_order(clean_order(route=Route(ship_from="DE", ship_to="AT")))
    r = reason(d, "ship_to_differs_from_buyer_country")
    assert r.evidence == {
        "buyer": ["DE"],
        "ship_to": "AT",
        "all_sources": r.evidence["all_sources"],
    }
    assert codes(d) == {"ship_to_differs_from_buyer_country"}
    assert d.decision is Outcome.REVIEW


@pytest.mark.parametrize("end_use", [None, "", "Resale", "  general use ", "N/A"])
def test_vague_end_use_reviews(screener: Screener, end_use: str | None) -> None:
    d = screener.screen_order(clean_order(end_use=end_use))
    assert codes(d) == {"end_use_not_declared"}
    assert d.decision is Outcome.REVIEW


def test_transit_through_russia_reviews(screener: Screener) -> None:
    d = screener.screen_order(
        clean_order(route=Route(ship_from="DE", transit=("RU",), ship_to="DE"))
    )
    assert codes(d) == {"transit_through_russia_belarus"}
    assert reason(d, "transit_through_russia_belarus").evidence["countries"] == ["RU"]
    assert d.decision is Outcome.REVIEW


def test_route_reasons_cite_their_guidance(screener: Screener) -> None:
    d = screener.screen_order(
        order(
            party(PartyRole.BUYER, "Ala-Too Sample Trade LLC", "KG"),
            party(PartyRole.CONSIGNEE, "Kama Sample Cargo LLC", "RU"),
            party(PartyRole.FREIGHT_FORWARDER, "Kama Sample Cargo LLC", "RU"),
            items=(CHIP,),
            route=Route(ship_from="DE", transit=("KG", "RU"), ship_to="RU"),
            end_use="resale",
        )
    )
    assert codes(d, "route") == ROUTE_CODES
    rules = json.loads(RULESET.read_text(encoding="utf-8"))
    for r in d.reasons:
        if r.check == "route":
            assert r.source is not None and r.source.name and r.source.url
            assert r.source.name in r.evidence["all_sources"]
    fincen = rules["sources"]["fincen_bis_2022"]["name"]
    assert reason(d, "chpl_via_transshipment_country").source == Citation(
        name=fincen,
        version=rules["sources"]["fincen_bis_2022"]["version"],
        url=rules["sources"]["fincen_bis_2022"]["url"],
    )


def _ruleset_copy(tmp_path: Path, **changes: dict[str, object]) -> Path:
    data = json.loads(RULESET.read_text(encoding="utf-8"))
    for rule in data["rules"]:
        rule.update(changes.get(rule["id"], {}))
    path = tmp_path / "ruleset.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_disabled_rule_does_not_fire(screener: Screener, tmp_path: Path) -> None:
    path = _ruleset_copy(
        tmp_path,
        transit_through_russia_belarus={"enabled": False},
        chpl_via_transshipment_country={"enabled": False},
    )
    custom = replace(screener, ruleset=Ruleset.load(path))
    o = clean_order(items=(CHIP,), route=Route(ship_from="DE", transit=("KG", "RU"), ship_to="DE"))
    before = codes(screener.screen_order(o))
    assert {"transit_through_russia_belarus", "chpl_via_transshipment_country"} <= before
    after = codes(custom.screen_order(o))
    assert "transit_through_russia_belarus" not in after
    assert "chpl_via_transshipment_country" not in after
    # the rest still fire
    assert after == before - {"transit_through_russia_belarus", "chpl_via_transshipment_country"}


def test_rule_severity_is_configurable(screener: Screener, tmp_path: Path) -> None:
    path = _ruleset_copy(tmp_path, transit_through_russia_belarus={"severity": "block"})
    custom = replace(screener, ruleset=Ruleset.load(path))
    d = custom.screen_order(clean_order(route=Route(ship_from="DE", transit=("BY",), ship_to="DE")))
    assert reason(d, "transit_through_russia_belarus").severity is Severity.BLOCK
    assert d.decision is Outcome.BLOCK


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        '{"version": "1", "sources": {}}',  # no rules
        '{"version": "1", "sources": {}, "rules": [{"id": "x", "severity": "maybe",'
        ' "description": "d"}]}',
        '{"version": "1", "sources": {}, "rules": [{"id": "x", "severity": "review",'
        ' "description": "d", "source": ["nowhere"]}]}',
    ],
)
def test_malformed_rule_file_names_the_file(tmp_path: Path, text: str) -> None:
    path = tmp_path / "my-rules.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        Ruleset.load(path)
    assert str(path) in str(exc.value)
    with pytest.raises(InputError, match=r"no-such-rules\.json"):
        Ruleset.load(tmp_path / "no-such-rules.json")


# ----------------------------------------------------------------------------- places


@pytest.fixture(scope="module")
def places() -> Places:
    return load_places()[1]


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("ul. Kirova 12, Simferopol", "UA"),
        ("ul. Lenina 5, Sevastopol", "RU"),
        ("Respublika Krym, ul. Gagarina 3", None),
        ("ul. Pushkina 2, 295000", "RU"),
        ("ul. Pushkina 2, 298600", "UA"),
    ],
)
def test_crimea_by_name_or_postcode_blocks(places: Places, text: str, country: str | None) -> None:
    rs = place_reasons("buyer address", text, country, places)
    assert [(r.code, r.severity) for r in rs] == [("place_crimea", Severity.BLOCK)]
    assert rs[0].source is not None and "13685" in rs[0].source.name


def test_crimea_postcode_needs_a_ukrainian_or_russian_address(places: Places) -> None:
    # 29500 is a postcode in France; a six-digit 295xxx is not Crimea outside UA/RU
    assert place_reasons("a", "12 rue Haute, 295000", "FR", places) == []


@pytest.mark.parametrize("country", ["IR", "Iran", "KP", "CU"])
def test_embargoed_country_blocks(places: Places, country: str) -> None:
    rs = place_reasons("buyer address", "Valiasr St 10", country, places)
    assert [(r.code, r.severity) for r in rs] == [("place_embargoed_countries", Severity.BLOCK)]


def test_yelabuga_alone_reviews_alabuga_blocks(places: Places) -> None:
    town = place_reasons("c", "ul. Lenina 3, Yelabuga", "RU", places)
    assert [(r.code, r.severity) for r in town] == [("place_alabuga_sez", Severity.REVIEW)]
    cyr = place_reasons("c", "ул. Ленина 3, Елабуга", "RU", places)
    assert [(r.code, r.severity) for r in cyr] == [("place_alabuga_sez", Severity.REVIEW)]
    for zone in ("OEZ Alabuga, Yelabuga, Tatarstan", "ул. Ш-2, ОЭЗ Алабуга, Елабуга 423600"):
        rs = place_reasons("c", zone, "RU", places)
        assert [(r.code, r.severity) for r in rs] == [("place_alabuga_sez", Severity.BLOCK)]
        assert rs[0].source is not None and "45708" in rs[0].source.name


def test_place_rules_through_the_screener(screener: Screener) -> None:
    def decided(text: str, country: str) -> Decision:
        return screener.screen_order(
            clean_order(route=None).model_copy(
                update={
                    "parties": (
                        Party(
                            role=PartyRole.BUYER,
                            name="Lindenhaus Buromobel GmbH",
                            country=country,
                            address=Address(full=text, country=country),
                        ),
                    ),
                }
            )
        )

    d = decided("Territoriya OEZ Alabuga, ul. Sh-5, 10, Yelabuga", "RU")
    assert d.decision is Outcome.BLOCK and "place_alabuga_sez" in codes(d)
    d = decided("ul. Lenina 3, Yelabuga", "RU")
    assert d.decision is Outcome.REVIEW and codes(d) == {"place_alabuga_sez"}
    d = decided("ul. Kirova 12, Simferopol", "UA")
    assert d.decision is Outcome.BLOCK and codes(d) == {"place_crimea"}
    d = decided("Valiasr St 10, Tehran", "IR")
    assert d.decision is Outcome.BLOCK and codes(d) == {"place_embargoed_countries"}
    d = decided("Unter den Linden 5, 10117 Berlin", "DE")
    assert d.decision is Outcome.CLEAR and d.reasons == []


def test_berlin_address_hits_no_place(places: Places) -> None:
    assert place_reasons("c", "Unter den Linden 5, 10117 Berlin", "DE", places) == []
    assert place_reasons("c", "Unter den Linden 5, 10117 Berlin", None, places) == []


# ----------------------------------------------------------------------------- addresses


def test_cyrillic_address_hits_the_listed_address() -> None:
    idx = AddressIndex.build(SMALL_LIST)
    hits = idx.match("ул. Ш-2, 4/1, Елабуга, 423600", "RU")
    assert [h.address.entity_id for h in hits] == [COMPANY]
    assert hits[0].postcode_match and hits[0].score >= 0.8
    assert ("yelabuga", "yelabuga") in hits[0].matched_tokens or any(
        lt == "yelabuga" for _, lt in hits[0].matched_tokens
    )
    # another country's address with the same words is not that site
    assert idx.match("ул. Ш-2, 4/1, Елабуга, 423600", "KZ") == []


def test_city_only_listed_address_never_matches() -> None:
    idx = AddressIndex.build(SMALL_LIST)
    for text in ("Amsterdam, Netherlands", "Keizersgracht 401, 1016 EK Amsterdam, Netherlands"):
        assert [h for h in idx.match(text, "NL", floor=0.0) if h.score > 0] == []
        assert all(
            h.address.entity_id != CITY_ONLY
            for h in idx.match(text, None, floor=0.0)
            if h.score > 0
        )


def test_same_long_road_is_not_the_listed_site() -> None:
    """A listed street-level address (a long road in a big city) must not block every
    other building on that road."""
    listed = _ent(
        "900",
        EntityKind.ORGANIZATION,
        Name(value="Sample Dunes General Trading LLC"),
        addresses=(
            Address(full="Sheikh Zayed Rd, Dubai City, United Arab Emirates", country="AE"),
        ),
    )
    idx = AddressIndex.build([listed])
    text = "Sheikh Zayed Road, 3021, Al Saqr Business Tower, Dubai"
    assert all(h.score < 0.8 for h in idx.match(text, "AE", floor=0.0))


def test_address_match_through_the_screener(screener: Screener) -> None:
    d = screener.screen_order(
        order(
            party(PartyRole.BUYER, "Lindenhaus Buromobel GmbH", "DE", **BERLIN),
            Party(
                role=PartyRole.CONSIGNEE,
                name="Kama Sample Cargo LLC",
                country="RU",
                address=Address(full="ул. Ш-2, 4/1, Елабуга, 423600", country="RU"),
            ),
            route=Route(ship_from="DE", ship_to="DE"),
        )
    )
    r = reason(d, "address_match")
    assert r.severity is Severity.BLOCK and r.entity_ids == [COMPANY]
    assert r.evidence["postcode_match"] is True
    assert r.evidence["listed_address"].startswith("ul. Sh-2 4/1")
    assert r.source is not None and r.source.name == "TEST list address"
    assert d.decision is Outcome.BLOCK and COMPANY in d.entity_ids
    amsterdam = screener.screen_order(
        order(
            party(PartyRole.BUYER, "Keizers Kantoor BV", "NL", full="Amsterdam, Netherlands"),
            party(PartyRole.CONSIGNEE, "Keizers Kantoor BV", "NL", full="Amsterdam, Netherlands"),
            route=Route(ship_from="DE", ship_to="NL"),
        )
    )
    assert amsterdam.decision is Outcome.CLEAR, [r.message for r in amsterdam.reasons]


# ----------------------------------------------------------------------------- parties


@pytest.mark.parametrize(
    "name",
    ["JSC Testzone Industrial", "Testzona Industrial AO", "АО «Тестзона Индастриал»"],
)
def test_company_name_in_any_script_blocks(screener: Screener, name: str) -> None:
    d = screener.screen_order(
        order(party(PartyRole.END_USER, name, "DE"), route=Route(ship_from="DE", ship_to="DE"))
    )
    r = reason(d, "party_match")
    assert r.severity is Severity.BLOCK and r.entity_ids == [COMPANY]
    assert r.subject == f"end_user: {name}"
    assert r.source is not None and r.source.name == "TEST Fictional Test List"
    assert r.source.version == str(d.list_versions["test"])
    assert r.evidence["hit"]["entity_id"] == COMPANY
    assert d.decision is Outcome.BLOCK and d.entity_ids == [COMPANY]


def test_person_name_reordered_blocks(screener: Screener) -> None:
    d = screener.screen_order(
        order(
            party(PartyRole.BUYER, "TESTOVSKY IVAN PETROVICH", "DE"),
            route=Route(ship_from="DE", ship_to="DE"),
        )
    )
    assert reason(d, "party_match").entity_ids == [PERSON]
    assert d.decision is Outcome.BLOCK


def test_unrelated_names_do_not_match(screener: Screener) -> None:
    d = screener.screen_order(
        order(
            party(PartyRole.BUYER, "Industrial Testing Laboratories Ltd", "DE"),
            party(PartyRole.CONSIGNEE, "Volga Shipping Agency", "DE"),
            route=Route(ship_from="DE", ship_to="DE"),
        )
    )
    assert not codes(d, "party"), [r.message for r in d.reasons]


def _payment(*parties: PaymentParty) -> Payment:
    return Payment(
        message_type="MT103",
        message_id="REF-1",
        currency="EUR",
        amount=Decimal("100.00"),
        parties=list(parties),
    )


def test_bic_in_payment_hits_the_bank_by_identifier(screener: Screener) -> None:
    agent = PaymentParty(role=PayRole.CREDITOR_AGENT, bic="VLGARU2K", source_field="57A")
    d = screener.screen_payment(_payment(agent))
    r = reason(d, "party_match")
    assert r.entity_ids == [BANK] and r.severity is Severity.BLOCK
    assert r.subject == "creditor_agent: VLGARU2K"
    assert "None" not in r.message  # a party known by its BIC only
    features = {f["name"]: f["value"] for f in r.evidence["hit"]["explanation"]["features"]}
    assert features.get("identifier") == 1.0
    assert d.decision is Outcome.BLOCK and d.entity_ids == [BANK]
    assert d.document_type == "MT103" and d.document_id == "REF-1"
    # a BIC with a branch code is the same bank; another bank's BIC is not
    branch = PaymentParty(role=PayRole.CREDITOR_AGENT, bic="VLGARU2KXXX", source_field="57A")
    assert screener.screen_payment(_payment(branch)).entity_ids == [BANK]
    other = PaymentParty(role=PayRole.CREDITOR_AGENT, bic="DEUTDEFF", source_field="57A")
    assert screener.screen_payment(_payment(other)).decision is Outcome.CLEAR


def test_payment_creditor_under_transliterated_name_blocks(screener: Screener) -> None:
    creditor = PaymentParty(
        role=PayRole.CREDITOR,
        name="AO OEZ PPT ALABUGA",
        address_lines=["UL. SH-2, 4/1", "YELABUGA, TATARSTAN 423600"],
        country="RU",
        source_field="59F",
    )
    d = screener.screen_payment(_payment(creditor))
    assert d.decision is Outcome.BLOCK and d.entity_ids == [COMPANY]
    assert {"party_match", "address_match"} <= codes(d)


# ----------------------------------------------------------------------------- provenance


def test_every_reason_cites_a_source_and_decisions_record_versions(
    screener: Screener,
) -> None:
    d = screener.screen_order(
        order(
            party(PartyRole.BUYER, "Ala-Too Sample Trade LLC", "KG"),
            Party(
                role=PartyRole.CONSIGNEE,
                name="АО Тестзона Индастриал",
                country="RU",
                address=Address(full="ул. Ш-2, 4/1, ОЭЗ Алабуга, Елабуга, 423600", country="RU"),
            ),
            party(PartyRole.FREIGHT_FORWARDER, "АО Тестзона Индастриал", "RU"),
            items=(CHIP,),
            route=Route(ship_from="DE", transit=("KG", "RU"), ship_to="RU"),
            end_use="resale",
        )
    )
    assert d.decision is Outcome.BLOCK
    assert {"party", "address", "goods", "route"} <= {r.check for r in d.reasons}
    for r in d.reasons:
        assert r.source is not None and r.source.name.strip(), r
    assert d.list_versions == {v.source: v.id for v in Store().current_versions()}
    assert d.list_versions.keys() == {"test"}
    rules = json.loads(RULESET.read_text(encoding="utf-8"))
    assert f"rules@{rules['version']}" in d.ruleset_version
    assert f"places@{load_places()[0]}" in d.ruleset_version
    assert "chpl@" in d.ruleset_version
    assert d.ruleset_version == screener.ruleset_version
    assert d.screened_at.tzinfo is not None
    # a decision survives JSON (what `stopship screen` writes) unchanged
    assert Decision.model_validate_json(d.model_dump_json()) == d
