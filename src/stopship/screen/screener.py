"""One explained decision per document: orders and payments through the party, address,
goods and route checks, against the lists and rule set in force."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from pathlib import Path

from stopship.countries import to_iso
from stopship.match.engine import Matcher
from stopship.model import Address
from stopship.screen.addresses import AddressIndex, Place, load_places
from stopship.screen.decision import Citation, Decision, Reason, Severity, decide
from stopship.screen.goods import GoodsReason, GoodsRules, HsCodeError
from stopship.screen.orders import Order, PartyRole
from stopship.screen.parties import PartyIn, Thresholds, reasons_per_party
from stopship.screen.payments.model import Payment, PaymentParty
from stopship.screen.route import RouteFacts, Ruleset, route_reasons
from stopship.store import Store

#: parties whose reasons a screener remembers (then it starts afresh)
PARTY_CACHE_SIZE = 200_000

#: order roles whose country is where the goods end up
_DESTINATION_ROLES = {PartyRole.CONSIGNEE, PartyRole.END_USER}


def address_text(a: Address | None) -> str | None:
    if a is None:
        return None
    if a.full:
        return a.full
    parts = [a.street, a.city, a.region, a.postcode]
    return ", ".join(p for p in parts if p) or None


def _payment_address(p: PaymentParty) -> str | None:
    lines = list(p.address_lines)
    if p.address is not None:
        a = p.address
        lines.extend(
            x
            for x in (
                a.street,
                a.building_number,
                a.building_name,
                a.postcode,
                a.town,
                a.district,
                a.region,
            )
            if x
        )
    return ", ".join(lines) or None


@dataclass
class Screener:
    matcher: Matcher
    addresses: AddressIndex
    goods: GoodsRules
    ruleset: Ruleset
    places: tuple[Place, ...]
    places_version: str
    thresholds: Thresholds = field(default_factory=Thresholds)

    @classmethod
    def from_store(
        cls,
        store: Store,
        *,
        rules: Path | None = None,
        goods_lists: tuple[Path, ...] = (),
        thresholds: Thresholds | None = None,
    ) -> Screener:
        matcher = Matcher.from_store(store)
        version, places = load_places()
        screener = cls(
            matcher=matcher,
            addresses=AddressIndex.build(store.iter_entities()),
            goods=GoodsRules.load(goods_lists),
            ruleset=Ruleset.load(rules),
            places=places,
            places_version=version,
            thresholds=thresholds or Thresholds(),
        )
        gc.collect()
        gc.freeze()  # the indexes live as long as the screener: keep them out of collections
        return screener

    _party_cache: dict[PartyIn, list[Reason]] = field(default_factory=dict, repr=False)

    def _party_reasons(self, parties: list[PartyIn]) -> list[Reason]:
        """Party and address reasons, remembered per party: order books and payment
        flows repeat their counterparties, and the lists do not change within a run."""
        out: list[Reason] = []
        todo = [p for p in dict.fromkeys(parties) if p not in self._party_cache]
        if todo:
            fresh = reasons_per_party(
                self.matcher, self.addresses, self.places, todo, self.thresholds
            )
            if len(self._party_cache) > PARTY_CACHE_SIZE:
                self._party_cache.clear()
            self._party_cache.update(zip(todo, fresh, strict=True))
        for p in parties:
            out.extend(r.model_copy() for r in self._party_cache[p])
        return out

    @property
    def ruleset_version(self) -> str:
        goods = ",".join(f"{k}@{v}" for k, v in sorted(self.goods.versions.items()))
        return f"rules@{self.ruleset.version};places@{self.places_version};{goods}"

    # ------------------------------------------------------------------ orders

    def screen_order(self, order: Order) -> Decision:
        parties = [
            PartyIn(
                role=p.role.value,
                name=p.name,
                address=address_text(p.address),
                country=p.country or (p.address.country if p.address else None),
                identifiers=(p.identifier,) if p.identifier else (),
            )
            for p in order.parties
        ]
        reasons = self._party_reasons(parties)
        chpl: list[str] = []
        for item in order.items:
            subject = f"item {item.line}" + (f" (HS {item.hs_code})" if item.hs_code else "")
            try:
                found = self.goods.check_item(item)
            except HsCodeError as exc:
                reasons.append(
                    Reason(
                        check="goods",
                        code="hs_code_invalid",
                        severity=Severity.REVIEW,
                        message=str(exc),
                        subject=subject,
                    )
                )
                continue
            for g in found:
                reasons.append(_goods_reason(subject, g))
                if g.code.startswith("chpl") and subject not in chpl:
                    chpl.append(subject)
        facts = RouteFacts(
            buyer_countries={
                c
                for p in order.parties
                if p.role is PartyRole.BUYER
                for c in [_country(p.country, p.address)]
                if c
            },
            destination_countries={
                c
                for p in order.parties
                if p.role in _DESTINATION_ROLES
                for c in [_country(p.country, p.address)]
                if c
            }
            | ({order.route.ship_to} if order.route.ship_to else set()),
            party_countries={
                c for p in order.parties for c in [_country(p.country, p.address)] if c
            },
            transit_countries=set(order.route.transit),
            ship_to_country=order.route.ship_to
            or next(
                (
                    c
                    for p in order.parties
                    if p.role is PartyRole.CONSIGNEE
                    for c in [_country(p.country, p.address)]
                    if c
                ),
                None,
            ),
            forwarder_is_final=_forwarder_is_final(order),
            end_use=order.end_use,
            chpl_items=chpl,
        )
        reasons.extend(route_reasons(facts, self.ruleset))
        return decide(
            order.order_id, "order", reasons, self.matcher.index.versions, self.ruleset_version
        )

    # ------------------------------------------------------------------ payments

    def screen_payment(self, payment: Payment) -> Decision:
        parties = [
            PartyIn(
                role=p.role.value,
                name=p.name,
                address=_payment_address(p),
                country=p.country,
                bic=p.bic,
                identifiers=tuple(i.value for i in p.identifiers),
            )
            for p in payment.parties
        ]
        reasons = self._party_reasons(parties)
        doc_id = payment.reference or f"{payment.source}#{payment.index}"
        return decide(
            doc_id,
            payment.message_type,
            reasons,
            self.matcher.index.versions,
            self.ruleset_version,
        )


def _country(country: str | None, address: Address | None) -> str | None:
    value = country or (address.country if address else None)
    return to_iso(value) if value else None


def _forwarder_is_final(order: Order) -> bool:
    """A freight forwarder is the consignee or end user (by role or by the same name)."""
    forwarders = {
        p.name.strip().casefold() for p in order.parties if p.role is PartyRole.FREIGHT_FORWARDER
    }
    finals = [p for p in order.parties if p.role in _DESTINATION_ROLES]
    if not finals:
        return bool(forwarders) and not any(p.role is PartyRole.CONSIGNEE for p in order.parties)
    return any(p.name.strip().casefold() in forwarders for p in finals)


def _goods_reason(subject: str, g: GoodsReason) -> Reason:
    return Reason(
        check="goods",
        code=g.code,
        severity=Severity(g.severity),
        message=g.message,
        subject=subject,
        evidence=g.model_dump(mode="json", exclude={"source", "source_url"}),
        source=Citation(name=g.list_name, version=g.list_version, url=g.source_url),
    )
