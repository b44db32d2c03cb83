"""Parties: every named party and bank of a document through the matching engine (names
with their role), and their addresses through the address checks."""

from __future__ import annotations

from dataclasses import dataclass

from stopship.match.engine import Matcher
from stopship.match.model import Hit, Query
from stopship.screen.addresses import AddressHit, AddressIndex, Place, place_reasons
from stopship.screen.decision import Citation, Reason, Severity


@dataclass(frozen=True)
class PartyIn:
    """One party of a document, as the checks need it."""

    role: str
    name: str | None
    address: str | None = None
    country: str | None = None
    bic: str | None = None
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Thresholds:
    party_block: float = 0.90  # a confident list match blocks
    party_review: float = 0.80  # an alerting match below that asks for review
    address_block: float = 0.80
    address_review: float = 0.60


def _citation(hit: Hit, versions: dict[str, int]) -> Citation:
    return Citation(
        name=f"{hit.source.upper()} {hit.list_name or ''}".strip(),
        version=str(versions.get(hit.source, "")) or None,
    )


def _bic_forms(bic: str | None) -> list[str]:
    """A BIC as given and in its other length: a BIC11 ("VLGARU2KXXX", or a branch
    "VLGARU2K500") belongs to the institution of its first eight characters, and lists
    give either form."""
    b = "".join((bic or "").split()).upper()
    if len(b) == 11:
        return [b, b[:8]]
    if len(b) == 8:
        return [b, b + "XXX"]
    return [b] if b else []


def party_reasons(
    matcher: Matcher,
    addresses: AddressIndex,
    places: tuple[Place, ...],
    parties: list[PartyIn],
    thresholds: Thresholds,
) -> list[Reason]:
    """Every party's reasons, in party order."""
    return [
        r for rs in reasons_per_party(matcher, addresses, places, parties, thresholds) for r in rs
    ]


def reasons_per_party(
    matcher: Matcher,
    addresses: AddressIndex,
    places: tuple[Place, ...],
    parties: list[PartyIn],
    thresholds: Thresholds,
) -> list[list[Reason]]:
    """The reasons of each party (name, identifiers, address, place), one list each."""
    per: list[list[Reason]] = [[] for _ in parties]
    versions = matcher.index.versions
    queries: list[tuple[int, PartyIn, Query]] = []
    for n, p in enumerate(parties):
        ids = list(dict.fromkeys([*_bic_forms(p.bic), *(i for i in p.identifiers if i)]))
        name = p.name if p.name and p.name.strip() else (ids[0] if ids else None)
        if name is None:
            continue
        queries.append((n, p, Query(name=name, id=ids[0] if ids else None)))
        # every further identifier is looked up on its own
        queries.extend((n, p, Query(name=name, id=i)) for i in ids[1:])
    results = matcher.match_batch([q for _, _, q in queries], threshold=thresholds.party_review)
    # one reason per (party, entity), from the query that scored it best
    best: dict[tuple[int, str], float] = {}
    for (n, _p, _q), res in zip(queries, results, strict=True):
        for hit in res.hits:
            best[(n, hit.entity_id)] = max(best.get((n, hit.entity_id), 0.0), hit.score)
    seen: set[tuple[int, str]] = set()
    for (n, p, q), res in zip(queries, results, strict=True):
        subject = f"{p.role}: {p.name or p.bic or q.id}"
        if res.error:
            if (n, "") in seen:
                continue
            seen.add((n, ""))
            per[n].append(
                Reason(
                    check="party",
                    code="party_name_unusable",
                    severity=Severity.REVIEW,
                    message=f"the name could not be screened: {res.error}",
                    subject=subject,
                )
            )
            continue
        for hit in res.hits:
            key = (n, hit.entity_id)
            if hit.score < thresholds.party_review or key in seen or hit.score < best[key]:
                continue
            seen.add(key)
            severity = Severity.BLOCK if hit.score >= thresholds.party_block else Severity.REVIEW
            per[n].append(
                Reason(
                    check="party",
                    code="party_match",
                    severity=severity,
                    message=(
                        f"{p.role} '{p.name or q.name}' matches {hit.entity_id} "
                        f"'{hit.matched_name}' ({hit.caption}) with score {hit.score:.2f}"
                    ),
                    subject=subject,
                    entity_ids=[hit.entity_id],
                    evidence={"hit": hit.model_dump(mode="json")},
                    source=_citation(hit, versions),
                )
            )
    for n, p in enumerate(parties):
        if not p.address and not p.country:
            continue
        subject = f"{p.role} address: {p.address or p.country}"
        if p.address:
            hits = addresses.match(p.address, p.country, floor=thresholds.address_review)
            # one reason per listed entity: its best-matching address (hits come best first)
            best_per_entity: dict[str, AddressHit] = {}
            for h in hits:
                best_per_entity.setdefault(h.address.entity_id, h)
            for ah in list(best_per_entity.values())[:5]:
                severity = (
                    Severity.BLOCK if ah.score >= thresholds.address_block else Severity.REVIEW
                )
                per[n].append(
                    Reason(
                        check="address",
                        code="address_match",
                        severity=severity,
                        message=(
                            f"{p.role} address matches the listed address of "
                            f"{ah.address.entity_id} ({ah.address.caption}): "
                            f"'{ah.address.text}' (score {ah.score:.2f})"
                        ),
                        subject=subject,
                        entity_ids=[ah.address.entity_id],
                        evidence={
                            "listed_address": ah.address.text,
                            "matched_tokens": [list(t) for t in ah.matched_tokens],
                            "postcode_match": ah.postcode_match,
                            "score": ah.score,
                        },
                        source=Citation(
                            name=f"{ah.address.entity_id.split(':')[0].upper()} list address",
                            version=str(versions.get(ah.address.entity_id.split(":")[0], ""))
                            or None,
                        ),
                    )
                )
        per[n].extend(place_reasons(subject, p.address or "", p.country, places))
    return per
