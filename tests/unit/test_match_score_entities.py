"""Matcher.score_entities: a query scored against chosen entries, retrieved or not."""

from __future__ import annotations

from stopship.match import Matcher, Query
from stopship.model import Entity
from tests.named import named


def test_an_entry_retrieval_does_not_return_is_still_scored() -> None:
    m = Matcher.build(
        [_entity("a", "Ivan PETROV"), _entity("b", "Zebulon QUARTERMAINE")], versions={"t": 1}
    )
    q = Query(name="Ivan Petrov")
    assert {h.entity_id for h in m.match(q, threshold=0.0).hits} == {"t:a"}
    hits = m.score_entities(q, ["t:b", "t:a", "t:missing"])
    assert [h.entity_id for h in hits] == ["t:a", "t:b"]
    assert hits[0].score == m.match(q).hits[0].score  # the same score as a full match
    assert 0.0 <= hits[1].score < m.threshold and hits[1].explanation.features


def test_skeleton_script_queries_are_scored_through_skeletons_too() -> None:
    m = Matcher.build([_entity("h", "Malik AL-HUSSEINI")], versions={"t": 1})
    hits = m.score_entities(Query(name="مالك الحسيني"), ["t:h"])
    names = {f.name for f in hits[0].explanation.features}
    assert "name.consonant_skeleton" in names and hits[0].score >= m.threshold


def test_no_known_entity_scores_nothing() -> None:
    m = Matcher.build([_entity("a", "Ivan PETROV")], versions={"t": 1})
    assert m.score_entities(Query(name="Ivan Petrov"), ["x:1"]) == []


def _entity(rid: str, name: str, kind: str = "person") -> Entity:
    return named(rid, name, kind)
