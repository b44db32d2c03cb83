"""Addresses and sites: a document's address against every listed address (any script),
and against places under comprehensive sanctions or listed zones (data/rules/places.json)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from rapidfuzz.distance import OSA

from stopship.countries import to_iso
from stopship.match.features import phonetic
from stopship.model import Entity
from stopship.normalize.text import clean
from stopship.normalize.translit import latin_variants
from stopship.screen.decision import Citation, Reason, Severity

#: address words that identify nothing ("ul." street, "d." house, "g." town, ...)
_NOISE = frozenset(
    [
        "ul",
        "ulitsa",
        "ulica",
        "street",
        "st",
        "str",
        "strasse",
        "rd",
        "road",
        "ave",
        "avenue",
        "prospekt",
        "pr",
        "pr-t",
        "d",
        "dom",
        "house",
        "building",
        "bldg",
        "bld",
        "korp",
        "korpus",
        "k",
        "stroenie",
        "str",
        "office",
        "of",
        "ofis",
        "room",
        "rm",
        "pom",
        "pomeshchenie",
        "kv",
        "floor",
        "fl",
        "etazh",
        "g",
        "gor",
        "gorod",
        "city",
        "town",
        "ter",
        "territory",
        "territoriya",
        "rayon",
        "raion",
        "district",
        "oblast",
        "obl",
        "region",
        "respublika",
        "republic",
        "resp",
        "krai",
        "kray",
        "the",
        "of",
        "and",
        "no",
        "nr",
        "p",
        "pos",
        "poselok",
        "selo",
        "village",
        "mkr",
        "microdistrict",
        "liter",
        "lit",
        "unit",
        "suite",
        "box",
        "po",
        "pobox",
        "zip",
        "russia",
        "russian",
        "federation",
        "rf",
    ]
)
_POSTCODE = re.compile(r"^\d{4,6}$")


def _is_country(token: str) -> bool:
    return len(token) > 3 and to_iso(token) is not None


@lru_cache(maxsize=100_000)
def address_tokens(text: str) -> tuple[frozenset[str], str | None]:
    """Distinctive Latin tokens of an address (any script) and its postcode."""
    cleaned = clean(text)
    latin = latin_variants(cleaned)[:1] if not cleaned.isascii() else (cleaned,)
    tokens: set[str] = set()
    postcode: str | None = None
    words = (latin[0] if latin else cleaned).split()
    # two-word country names ("hong kong", "united kingdom") go too
    drop = {
        i + k
        for i in range(len(words) - 1)
        if to_iso(f"{words[i]} {words[i + 1]}") is not None
        for k in (0, 1)
    }
    for i, t in enumerate(words):
        if i in drop:
            continue
        if _POSTCODE.match(t):
            postcode = postcode or t
            continue
        if t in _NOISE or (len(t) == 1 and not t.isdigit()) or _is_country(t):
            continue
        tokens.add(t)
    return frozenset(tokens), postcode


def same_word(a: str, b: str) -> bool:
    """Place words compare strictly: equal, equal under the phonetic key ("yelabuga" /
    "elabuga"), or one typo in a long word with the same first letter. "Yelabuga" (the
    town) is not "Alabuga" (the zone)."""
    if a == b or phonetic(a) == phonetic(b):
        return True
    return len(a) >= 6 and a[0] == b[0] and OSA.normalized_similarity(a, b) >= 0.85


@dataclass(frozen=True, slots=True)
class ListedAddress:
    entity_id: str
    caption: str
    text: str
    tokens: frozenset[str]
    postcode: str | None
    country: str | None


@dataclass(frozen=True, slots=True)
class AddressHit:
    address: ListedAddress
    score: float
    matched_tokens: tuple[tuple[str, str], ...]
    postcode_match: bool


class AddressIndex:
    """Listed addresses, looked up by postcode and by distinctive (phonetic) tokens."""

    def __init__(self, addresses: list[ListedAddress]) -> None:
        self.addresses = addresses
        self.by_key: dict[str, list[int]] = {}
        for i, a in enumerate(addresses):
            keys = {phonetic(t) for t in a.tokens if len(t) >= 4}
            if a.postcode:
                keys.add("#" + a.postcode)
            for k in keys:
                self.by_key.setdefault(k, []).append(i)

    @classmethod
    def build(cls, entities: Iterable[Entity]) -> AddressIndex:
        out: list[ListedAddress] = []
        for e in entities:
            for a in e.addresses:
                text = a.full or ", ".join(x for x in (a.street, a.city, a.region, a.postcode) if x)
                if not text:
                    continue
                tokens, postcode = address_tokens(text)
                pc = (a.postcode or postcode or "").replace(" ", "") or None
                if tokens or pc:
                    out.append(ListedAddress(e.id, e.caption, text, tokens, pc, a.country))
        return cls(out)

    def match(self, text: str, country: str | None = None, floor: float = 0.6) -> list[AddressHit]:
        tokens, postcode = address_tokens(text)
        keys = {phonetic(t) for t in tokens if len(t) >= 4}
        if postcode:
            keys.add("#" + postcode)
        counts: dict[int, int] = {}
        for k in keys:
            postings = self.by_key.get(k, ())
            if len(postings) > 2000:  # a city or word on thousands of addresses
                continue
            for i in postings:
                counts[i] = counts.get(i, 0) + 1
        hits: list[AddressHit] = []
        for i, n in counts.items():
            if n < 2:
                continue
            a = self.addresses[i]
            if country and a.country and country != a.country:
                continue
            hit = _score(tokens, postcode, a)
            if hit.score >= floor:
                hits.append(hit)
        hits.sort(key=lambda h: (-h.score, h.address.entity_id, h.address.text))
        return hits


#: a listed address needs this many distinctive tokens to be compared at all: "Amsterdam,
#: Netherlands" names a city, not a site
MIN_LISTED_TOKENS = 2
#: the highest score of an address match with neither postcode nor house number agreeing
ADDRESS_UNCONFIRMED_CAP = 0.75


def _score(tokens: frozenset[str], postcode: str | None, a: ListedAddress) -> AddressHit:
    """Postcode agreement (0.35) plus the share of the listed address's distinctive
    tokens found in the query (0.65), typo- and transliteration-tolerant. Without a
    postcode on both sides the token share alone counts, and needs three tokens."""
    pairs: list[tuple[str, str]] = []
    free = set(tokens)
    for lt in sorted(a.tokens):
        qt = next((q for q in sorted(free) if same_word(q, lt)), None)
        if qt is not None:
            free.discard(qt)
            pairs.append((qt, lt))
    matched = len(pairs)
    share = matched / len(a.tokens) if a.tokens else 0.0
    pc = bool(postcode and a.postcode and postcode == a.postcode)
    if len(a.tokens) < MIN_LISTED_TOKENS or matched < 2:
        score = 0.0
    elif postcode and a.postcode:
        score = (0.35 if pc else 0.0) + 0.65 * share
    else:
        score = share if matched >= 3 else 0.0
    # the same street is not the same building: without an agreeing postcode or house
    # number, an address match asks for review at most
    number = any(lt.isdigit() for _q, lt in pairs)
    if not (pc or number):
        score = min(score, ADDRESS_UNCONFIRMED_CAP)
    return AddressHit(a, round(score, 4), tuple(pairs), pc)


# ----------------------------------------------------------------------- places


@dataclass(frozen=True)
class Place:
    id: str
    severity: Severity
    description: str
    countries: frozenset[str]
    countries_only: frozenset[str]
    names: frozenset[str]
    near_names: frozenset[str]
    postcode_prefixes: tuple[str, ...]
    source: Citation


@lru_cache(maxsize=4)
def load_places(path: str | None = None) -> tuple[str, tuple[Place, ...]]:
    """(version, places) from data/rules/places.json or another file of that format."""
    if path is None:
        raw = resources.files("stopship.data").joinpath("rules/places.json").read_text("utf-8")
    else:
        raw = Path(path).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    places = tuple(
        Place(
            id=p["id"],
            severity=Severity(p["severity"]),
            description=p["description"],
            countries=frozenset(p.get("countries", [])),
            countries_only=frozenset(p.get("countries_only", [])),
            names=frozenset(p.get("names", [])),
            near_names=frozenset(p.get("near_names", [])),
            postcode_prefixes=tuple(p.get("postcode_prefixes", [])),
            source=Citation(
                name=p["source"]["name"],
                version=p["source"].get("version"),
                url=p["source"].get("url"),
            ),
        )
        for p in data["places"]
    )
    return str(data["version"]), places


def place_reasons(
    subject: str, text: str, country: str | None, places: Iterable[Place]
) -> list[Reason]:
    """Reasons for an address inside a sanctioned place or listed zone."""
    iso = to_iso(country) if country else None
    tokens, postcode = address_tokens(text) if text else (frozenset(), None)
    out: list[Reason] = []
    for p in places:
        if p.countries_only:
            if iso in p.countries_only:
                out.append(_place_reason(subject, p, p.severity, f"country {iso}"))
            continue
        if iso and p.countries and iso not in p.countries:
            continue
        named = sorted(t for t in tokens if any(same_word(t, n) for n in p.names))
        near = sorted(t for t in tokens if any(same_word(t, n) for n in p.near_names))
        in_postcode = bool(
            postcode and p.postcode_prefixes and postcode.startswith(p.postcode_prefixes)
        )
        if named:
            why = f"names {', '.join(named)}" + (f", postcode {postcode}" if in_postcode else "")
            out.append(_place_reason(subject, p, p.severity, why))
        elif in_postcode and not p.near_names:
            out.append(_place_reason(subject, p, p.severity, f"postcode {postcode}"))
        elif near or in_postcode:
            why = ", ".join(x for x in (", ".join(near), postcode if in_postcode else "") if x)
            out.append(_place_reason(subject, p, Severity.REVIEW, f"near: {why}"))
    return out


def _place_reason(subject: str, p: Place, severity: Severity, why: str) -> Reason:
    return Reason(
        check="address",
        code=f"place_{p.id}",
        severity=severity,
        message=f"address in {p.description} ({why})",
        subject=subject,
        evidence={"place": p.id, "why": why},
        source=p.source,
    )
