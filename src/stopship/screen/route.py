"""Route and red-flag rules from published official guidance (data/rules/ruleset.json):
each rule enabled and weighted by configuration, each reason citing its source."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from stopship.errors import InputError
from stopship.screen.decision import Citation, Reason, Severity


@dataclass(frozen=True)
class Rule:
    id: str
    enabled: bool
    severity: Severity
    description: str
    countries: frozenset[str]
    vague: frozenset[str]
    sources: tuple[Citation, ...]


@dataclass(frozen=True)
class Ruleset:
    version: str
    rules: dict[str, Rule]

    @classmethod
    def load(cls, path: Path | None = None) -> Ruleset:
        where = str(path) if path else "stopship/data/rules/ruleset.json"
        try:
            if path is None:
                raw = (
                    resources.files("stopship.data")
                    .joinpath("rules/ruleset.json")
                    .read_text("utf-8")
                )
            else:
                raw = path.read_text(encoding="utf-8")
            data: dict[str, Any] = json.loads(raw)
            sources = {
                k: Citation(name=v["name"], version=v.get("version"), url=v.get("url"))
                for k, v in data["sources"].items()
            }
            rules = {
                r["id"]: Rule(
                    id=r["id"],
                    enabled=bool(r.get("enabled", True)),
                    severity=Severity(r["severity"]),
                    description=r["description"],
                    countries=frozenset(r.get("countries", [])),
                    vague=frozenset(v.lower() for v in r.get("vague", [])),
                    sources=tuple(sources[s] for s in r.get("source", [])),
                )
                for r in data["rules"]
            }
            return cls(version=str(data["version"]), rules=rules)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"{where}: not a valid rule set ({type(exc).__name__}: {exc})"
            ) from exc


@dataclass
class RouteFacts:
    """What the route rules look at, taken from an order."""

    buyer_countries: set[str] = field(default_factory=set)
    destination_countries: set[str] = field(default_factory=set)  # consignee, end user, ship-to
    party_countries: set[str] = field(default_factory=set)  # every party
    transit_countries: set[str] = field(default_factory=set)
    ship_to_country: str | None = None
    forwarder_is_final: bool = False
    end_use: str | None = None
    chpl_items: list[str] = field(default_factory=list)  # subjects of CHPL goods reasons


def route_reasons(facts: RouteFacts, ruleset: Ruleset) -> list[Reason]:
    out: list[Reason] = []

    def fire(rule_id: str, subject: str, detail: str, evidence: dict[str, Any]) -> None:
        rule = ruleset.rules.get(rule_id)
        if rule is None or not rule.enabled:
            return
        out.append(
            Reason(
                check="route",
                code=rule.id,
                severity=rule.severity,
                message=f"{rule.description} {detail}".strip(),
                subject=subject,
                evidence={**evidence, "all_sources": [s.name for s in rule.sources]},
                source=rule.sources[0] if rule.sources else None,
            )
        )

    if facts.chpl_items:
        items = ", ".join(facts.chpl_items)
        rule = ruleset.rules.get("chpl_to_russia_belarus")
        if rule:
            hit = sorted((facts.destination_countries | facts.party_countries) & rule.countries)
            if hit:
                fire(rule.id, "route", f"({items} -> {', '.join(hit)})", {"countries": hit})
        rule = ruleset.rules.get("chpl_via_transshipment_country")
        if rule:
            hit = sorted(
                (facts.transit_countries | facts.party_countries | facts.destination_countries)
                & rule.countries
            )
            if hit:
                fire(rule.id, "route", f"({items} via {', '.join(hit)})", {"countries": hit})
    if facts.forwarder_is_final:
        fire("freight_forwarder_final_destination", "route", "", {})
    if (
        facts.ship_to_country
        and facts.buyer_countries
        and (facts.ship_to_country not in facts.buyer_countries)
    ):
        fire(
            "ship_to_differs_from_buyer_country",
            "route",
            f"(buyer {', '.join(sorted(facts.buyer_countries))}, ship-to {facts.ship_to_country})",
            {"buyer": sorted(facts.buyer_countries), "ship_to": facts.ship_to_country},
        )
    rule = ruleset.rules.get("end_use_not_declared")
    if rule and (facts.end_use or "").strip().lower() in rule.vague:
        fire(rule.id, "end use", f"(declared: '{facts.end_use or ''}')", {})
    rule = ruleset.rules.get("transit_through_russia_belarus")
    if rule:
        hit = sorted(facts.transit_countries & rule.countries)
        if hit:
            fire(rule.id, "route", f"({', '.join(hit)})", {"countries": hit})
    return out
