"""Choosing the candidates to score looks at the names with one of the best shares only:
the same names, in the same order, as ranking every candidate."""

from __future__ import annotations

import heapq
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from stopship.match import Matcher, Query
from stopship.match import engine as engine_module
from stopship.match.prepare import PreparedName, prepare
from stopship.model import Entity

ENTITIES = Path(__file__).resolve().parents[1] / "fixtures" / "match" / "entities.json"


class _Ranked(Matcher):
    """The choice of candidates as written before the cut: every candidate ranked by a key
    function, computed per candidate."""

    def _best_candidates(
        self, found: dict[int, float], most: int = engine_module.MAX_SCORED_NAMES
    ) -> dict[int, float]:
        if len(found) <= most:
            return found
        lengths = [len(n.prepared.variants[0]) for n in self.index.names]
        return self._ranked(found, lambda kv: (-kv[1], lengths[kv[0]], kv[0]), most)

    def _best_skeleton_candidates(
        self, found: dict[int, float], p: PreparedName, most: int = engine_module.MAX_SCORED_NAMES
    ) -> dict[int, float]:
        if len(found) <= most:
            return found
        mine = set(p.skeleton).union(*(skel for _words, skel in p.readings))
        names = self.index.names

        def key(kv: tuple[int, float]) -> tuple[float, float, int, int]:
            toks = names[kv[0]].prepared.skeleton
            own = sum(t in mine for t in toks) / len(toks) if toks else 0.0
            return (-kv[1], -own, len(toks), kv[0])

        return self._ranked(found, key, most)

    def _ranked(
        self,
        found: dict[int, float],
        key: Callable[[tuple[int, float]], tuple[Any, ...]],
        most: int,
    ) -> dict[int, float]:
        chosen = heapq.nsmallest(most, found.items(), key=key)
        top = chosen[0][1]
        if chosen[-1][1] >= top:
            names = self.index.names
            seen = {names[ni].entity for ni, _ in chosen}
            taken = dict(chosen)
            tied = sorted(
                (kv for kv in found.items() if kv[1] >= top and kv[0] not in taken), key=key
            )
            extra = 0
            for kv in tied:
                ent = names[kv[0]].entity
                if ent not in seen:
                    seen.add(ent)
                    chosen.append(kv)
                    extra += 1
                    if extra == engine_module.MAX_EXTRA_ENTITIES:
                        break
        return dict(chosen)


def test_candidate_cut_chooses_as_ranking_all() -> None:
    entities = [Entity.model_validate(e) for e in json.loads(ENTITIES.read_text("utf-8"))]
    words = ["vtb", "bank", "pjsc", "oao", "mohammad", "reza", "hosseini", "rostami"]
    rng = random.Random(4)
    for k in range(60):  # entries of up to four names each, sharing their words
        names = [" ".join(rng.sample(words, rng.randint(1, 3))) for _ in range(rng.randint(1, 4))]
        entities.append(
            Entity.model_validate(
                {
                    "id": f"t:{k}",
                    "source": "t",
                    "record_id": str(k),
                    "kind": "organization",
                    "names": [{"value": v, "type": "primary" if i == 0 else "strong_alias"}
                              for i, v in enumerate(dict.fromkeys(names))],
                }
            )
        )  # fmt: skip
    m = Matcher.build(entities, versions={"test": 1})
    ref = _Ranked(m.index)
    n = len(m.index.names)
    assert n > 40
    query = prepare("محمد رضا")
    for _ in range(2000):
        shares = rng.choice(
            [[1.0], [1.0, 0.75], [0.5, 0.6, 0.75, 0.8, 1.0], [0.55 + i / 100 for i in range(40)]]
        )
        ids = rng.sample(range(n), rng.randint(1, min(n, 60)))
        found = {ni: rng.choice(shares) for ni in ids}
        assert list(m._best_candidates(found).items()) == list(ref._best_candidates(found).items())
        assert list(m._best_skeleton_candidates(found, query).items()) == list(
            ref._best_skeleton_candidates(found, query).items()
        )
        # as many as a query in another script than Latin is given
        most = engine_module.MAX_SCORED_NAMES_OTHER_SCRIPT
        assert list(m._best_candidates(found, most).items()) == list(
            ref._best_candidates(found, most).items()
        )
        assert list(m._best_skeleton_candidates(found, query, most).items()) == list(
            ref._best_skeleton_candidates(found, query, most).items()
        )


def test_a_query_in_another_script_has_more_names_scored(monkeypatch: Any) -> None:
    from tests.named import named

    # thirty factories of the query's words, each in another town, rank above the entry
    # its English reading names by retrieval share (and tie: 16 + 8 of them are scored)
    towns = [
        "alpha",
        "bravo",
        "charlie",
        "delta",
        "echo",
        "foxtrot",
        "golf",
        "hotel",
        "india",
        "juliett",
        "kilo",
        "lima",
        "mike",
        "november",
        "oscar",
        "papa",
        "quebec",
        "romeo",
        "sierra",
        "tango",
        "uniform",
        "victor",
        "whiskey",
        "xray",
        "yankee",
        "zulu",
        "amber",
        "coral",
        "ivory",
        "jade",
    ]
    decoys = [
        named(f"d{i}", f"KAMSKII AVTOMOBILNYI ZAVOD {town}", "organization")
        for i, town in enumerate(towns)
    ]
    target = named("kama", "KAMA AUTOMOBILE PLANT", "organization")
    m = Matcher.build([*decoys, target], versions={"t": 1})
    name = "Ка́мский автомоби́льный заво́д"

    def alerts() -> bool:
        hits = m.match(Query(name=name), limit=100).hits
        return any(h.entity_id == "t:kama" and h.alert for h in hits)

    assert alerts()
    monkeypatch.setattr(engine_module, "MAX_SCORED_NAMES_OTHER_SCRIPT", 16)
    assert not alerts()  # the cut of a Latin query leaves it out
