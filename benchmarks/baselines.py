"""Baseline scorers for the accuracy benchmark, one signature each:
``score(query: Query, candidate: Entity) -> float`` in [0, 1], plus the scorer's own default
alert threshold.

- ``logic-v2`` and ``logic-v1``: nomenklatura's matchers (yente's algorithms), called on
  followthemoney proxies built from our model, with their default configuration. Threshold:
  yente's ``SCORE_THRESHOLD = 0.70`` (yente/settings.py), the threshold of its /match endpoint
  for every algorithm; logic-v2 has been yente's default algorithm since PR #961 (Dec 2025).
- ``rapidfuzz``: max over the candidate's names of ``fuzz.token_sort_ratio`` on casefolded,
  ASCII-folded strings / 100. Threshold 0.85 (our choice; a common setting for this baseline).

Install nomenklatura as a benchmark-only extra: ``.venv/bin/pip install nomenklatura``.

    .venv/bin/python benchmarks/baselines.py --demo "Vladimir Putin" [--kind person]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import unicodedata
from collections.abc import Sequence
from importlib import metadata
from typing import Any, Protocol

from rapidfuzz import fuzz
from rapidfuzz import utils as rf_utils

from stopship.match.model import Query
from stopship.model import Entity, EntityKind, IdType, NameType

#: yente/settings.py: SCORE_THRESHOLD = 0.70 (the /match default for every algorithm)
YENTE_THRESHOLD = 0.70
RAPIDFUZZ_THRESHOLD = 0.85


class Scorer(Protocol):
    name: str
    threshold: float
    version: str

    def score(self, query: Query, candidate: Entity) -> float: ...


# ----------------------------------------------------------------------------- rapidfuzz


def ascii_fold(text: str) -> str:
    """Casefold and drop combining marks (NFKD); other scripts stay as they are."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class RapidfuzzScorer:
    """max over names of token_sort_ratio(casefold+ASCII-fold) / 100."""

    name = "rapidfuzz"
    threshold = RAPIDFUZZ_THRESHOLD

    def __init__(self) -> None:
        self.version = f"rapidfuzz {metadata.version('rapidfuzz')}"
        self._names: dict[tuple[str, int], list[str]] = {}

    def _entity_names(self, e: Entity) -> list[str]:
        key = (e.id, id(e))
        names = self._names.get(key)
        if names is None:
            names = [rf_utils.default_process(ascii_fold(n.value)) for n in e.names]
            self._names[key] = names
        return names

    def score(self, query: Query, candidate: Entity) -> float:
        q = rf_utils.default_process(ascii_fold(query.name))
        best = 0.0
        for n in self._entity_names(candidate):
            s = fuzz.token_sort_ratio(q, n, processor=None)
            if s > best:
                best = s
        return best / 100.0


# ----------------------------------------------------------------------------- nomenklatura

_QUERY_SCHEMA = {
    EntityKind.PERSON: "Person",
    EntityKind.ORGANIZATION: "Company",
    EntityKind.VESSEL: "Vessel",
    EntityKind.AIRCRAFT: "Airplane",
}
_ENTITY_SCHEMA = {
    EntityKind.PERSON: "Person",
    EntityKind.ORGANIZATION: "Organization",
    EntityKind.VESSEL: "Vessel",
    EntityKind.AIRCRAFT: "Airplane",
}
_NAME_PROP = {
    NameType.PRIMARY: "name",
    NameType.STRONG_ALIAS: "alias",
    NameType.ORIGINAL_SCRIPT: "alias",
    NameType.FORMER: "previousName",
    NameType.WEAK_ALIAS: "weakAlias",
}
_ID_PROP: dict[IdType, tuple[str, ...]] = {
    IdType.INN: ("innCode",),
    IdType.OGRN: ("ogrnCode",),
    IdType.IMO: ("imoNumber",),
    IdType.MMSI: ("mmsi",),
    IdType.BIC: ("swiftBic",),
    IdType.LEI: ("leiCode",),
    IdType.PASSPORT: ("passportNumber", "idNumber"),
    IdType.NATIONAL_ID: ("idNumber",),
    IdType.TAX_ID: ("taxNumber",),
    IdType.REGISTRATION: ("registrationNumber",),
    IdType.KPP: ("registrationNumber",),
    IdType.OKPO: ("registrationNumber",),
}


def _add(proxy: Any, prop: str, value: str | None) -> None:
    if value and prop in proxy.schema.properties:
        proxy.add(prop, value, cleaned=False, quiet=True, fuzzy=True)


def _birth_values(e: Entity) -> list[str]:
    out: list[str] = []
    for b in e.birth_dates:
        if b.precision == "day":
            out.append(b.start.isoformat())
        elif b.precision == "month":
            out.append(b.start.isoformat()[:7])
        elif b.precision == "year":
            out.append(str(b.start.year))
        elif b.end.year - b.start.year <= 5:
            out.extend(str(y) for y in range(b.start.year, b.end.year + 1))
    return out


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def entity_proxy(e: Entity) -> Any:
    """A followthemoney proxy for one of our entities."""
    from followthemoney import model

    proxy = model.make_entity(_ENTITY_SCHEMA.get(e.kind, "LegalEntity"))
    # nomenklatura memoises name analysis by proxy id (lru_cache on Entity.__hash__): the id
    # must change when the content does (e.g. the Latin-only copy of an entity)
    proxy.id = f"{e.id}#{_digest(e.model_dump_json())}"
    for n in e.names:
        prop = _NAME_PROP.get(n.type, "alias")
        if prop == "name" and proxy.get("name"):
            prop = "alias"  # several primary names: the rest as aliases
        _add(proxy, prop, n.value)
    for d in _birth_values(e):
        _add(proxy, "birthDate", d)
    for c in e.nationalities:
        _add(proxy, "nationality" if "nationality" in proxy.schema.properties else "country", c)
    for c in e.countries:
        _add(proxy, "country", c)
    for ident in e.identifiers:
        for prop in _ID_PROP.get(ident.type, ("idNumber", "registrationNumber")):
            if prop in proxy.schema.properties:
                _add(proxy, prop, ident.value)
                break
    for a in e.addresses:
        text = a.full or ", ".join(
            p for p in (a.street, a.postcode, a.city, a.region, a.country_name or a.country) if p
        )
        _add(proxy, "address", text)
    return proxy


def query_proxy(q: Query) -> Any:
    """A followthemoney proxy for a query, as a yente /match example would carry it."""
    from followthemoney import model

    schema = _QUERY_SCHEMA.get(q.kind, "LegalEntity") if q.kind is not None else "LegalEntity"
    proxy = model.make_entity(schema)
    proxy.id = f"query#{_digest(q.model_dump_json(exclude={'ref'}))}"  # see entity_proxy
    _add(proxy, "name", q.name)
    _add(proxy, "birthDate", q.birth_date)
    if q.country:
        _add(proxy, "nationality" if schema == "Person" else "country", q.country)
    if q.id:
        _add(proxy, "idNumber" if schema == "Person" else "registrationNumber", q.id)
    return proxy


class NomenklaturaScorer:
    """nomenklatura's LogicV1 / LogicV2 ``compare`` with its default configuration."""

    threshold = YENTE_THRESHOLD

    def __init__(self, algorithm: str) -> None:
        from nomenklatura.matching import get_algorithm

        algo = get_algorithm(algorithm)
        if algo is None:
            raise ValueError(f"nomenklatura has no algorithm {algorithm!r}")
        self.algo = algo
        self.name = algorithm
        self.config = algo.default_config()
        self.version = (
            f"nomenklatura {metadata.version('nomenklatura')}, "
            f"followthemoney {metadata.version('followthemoney')}, "
            f"rigour {metadata.version('rigour')}"
        )
        # candidates are converted once, as an index would hold them
        self._entities: dict[tuple[str, int], Any] = {}
        self._queries: dict[Query, Any] = {}

    def score(self, query: Query, candidate: Entity) -> float:
        qp = self._queries.get(query)
        if qp is None:
            if len(self._queries) > 10_000:
                self._queries.clear()
            qp = self._queries[query] = query_proxy(query)
        key = (candidate.id, id(candidate))  # the Latin-only copy of an entity is another key
        ep = self._entities.get(key)
        if ep is None:
            ep = self._entities[key] = entity_proxy(candidate)
        res = self.algo.compare(qp, ep, self.config)
        return float(min(1.0, max(0.0, res.score)))

    def forget(self) -> None:
        """Drop cached proxies (e.g. before scoring against a differently filtered index)."""
        self._entities.clear()
        self._queries.clear()


def make_scorers(names: Sequence[str] = ("logic-v2", "logic-v1", "rapidfuzz")) -> list[Scorer]:
    out: list[Scorer] = []
    for n in names:
        out.append(RapidfuzzScorer() if n == "rapidfuzz" else NomenklaturaScorer(n))
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--demo", metavar="NAME", help="score NAME against the entities of the store "
                    "whose names share a token with it, and print the best")  # fmt: skip
    ap.add_argument("--kind", choices=[k.value for k in EntityKind], default=None)
    ap.add_argument("--home", default=None, help="STOPSHIP_HOME (default benchmarks/out/home)")
    args = ap.parse_args(argv)
    scorers = make_scorers()
    for s in scorers:
        print(f"{s.name:10s} threshold {s.threshold:.2f}  {s.version}")
    if not args.demo:
        return 0
    from pathlib import Path

    from common import DEFAULT_HOME, ensure_store, norm_key

    from stopship.store import Store

    store = Store(ensure_store(Path(args.home) if args.home else DEFAULT_HOME))
    q = Query(name=args.demo, kind=EntityKind(args.kind) if args.kind else None)
    qk = norm_key(args.demo)
    cands = [e for e in store.iter_entities() if any(norm_key(n.value) & qk for n in e.names)]
    rows = []
    for e in cands:
        rows.append((max(s.score(q, e) for s in scorers), e, [s.score(q, e) for s in scorers]))
    rows.sort(key=lambda r: -r[0])
    for _, e, scores in rows[:10]:
        cols = "  ".join(f"{s.name}={v:.3f}" for s, v in zip(scorers, scores, strict=True))
        print(f"{e.id:40s} {e.caption[:40]:40s} {cols}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
