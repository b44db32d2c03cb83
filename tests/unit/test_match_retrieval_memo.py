"""The candidates retrieved for a query name, remembered per matcher
(``Matcher._retrieved``), give the same results as retrieving them afresh: for repeated
names, with identifiers (whose entities' names are added to a copy), with ``only``
(not remembered) and with a memo started afresh at every name."""

from __future__ import annotations

import pytest

from stopship.match import Matcher, Query
from stopship.match import engine as engine_module
from stopship.match.features import token_similarity
from stopship.model import Entity
from tests.unit.test_match_kernel import _entities, _queries


def _with_identifier(entities: list[Entity]) -> list[Entity]:
    data = entities[0].model_dump()
    data["identifiers"] = [{"type": "imo", "value": "IMO 9166778"}]
    return [Entity.model_validate(data), *entities[1:]]


@pytest.fixture(scope="module")
def corpus() -> tuple[list[Entity], list[Query]]:
    entities = _with_identifier(_entities())
    queries = _queries(entities)[::3]
    # the same names with an identifier (of an entity with another name), and again
    # without: the names the identifier brings must not stay with the name
    with_id = [Query(name=q.name, id="9166778") for q in queries[:40]]
    return entities, [*queries, *with_id, *queries[:40]]


def _dumps(m: Matcher, queries: list[Query], **kw: object) -> list[str]:
    return [r.model_dump_json() for r in m.match_batch(queries, threshold=0.3, limit=20, **kw)]  # type: ignore[arg-type]


def test_remembered_retrieval_changes_nothing(
    corpus: tuple[list[Entity], list[Query]], monkeypatch: pytest.MonkeyPatch
) -> None:
    entities, queries = corpus
    m = Matcher.build(entities, versions={"test": 1})
    # each query alone in a fresh matcher's memo: nothing remembered from another query
    monkeypatch.setattr(engine_module, "RETRIEVAL_MEMO", 1)
    fresh = _dumps(Matcher.build(entities, versions={"test": 1}), queries)
    monkeypatch.undo()
    # the identifier's entity is a hit of every query with the identifier
    assert all(f'"entity_id":"{entities[0].id}"' in r for r in fresh[-80:-40])
    first = _dumps(m, queries)
    assert first == fresh
    assert m._retrieval and m._query_names
    assert _dumps(m, queries) == fresh  # every name from the memos
    # what is remembered is the retrieval alone (no names an identifier brought)
    other = Matcher.build(entities, versions={"test": 1})
    for name, (p, _cut, names, skel) in m._retrieval.items():
        assert (names, skel) == other._retrieved(name, p, None), name


def test_only_is_not_remembered_and_leaves_the_memo_alone(
    corpus: tuple[list[Entity], list[Query]],
) -> None:
    entities, queries = corpus
    m = Matcher.build(entities, versions={"test": 1})
    plain = _dumps(m, queries[:60])
    held = dict(m._retrieval)
    only = [e.id for e in entities[:50]]
    restricted = _dumps(m, queries[:60], only=only)
    assert m._retrieval == held
    other = Matcher.build(entities, versions={"test": 1})
    assert restricted == _dumps(other, queries[:60], only=only)
    assert _dumps(m, queries[:60]) == plain


def test_remembered_query_spellings_are_query_data(
    corpus: tuple[list[Entity], list[Query]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from stopship.match.prepare import prepare_query
    from stopship.match.regroup import keys_of

    entities, queries = corpus
    m = Matcher.build(entities, versions={"test": 1})
    for q in queries[:200]:
        p = prepare_query(q.name)
        for _ in range(2):  # the second time remembered
            spellings, q_regroup = m._query_spellings(p)
            assert q_regroup == keys_of(p.variants)
            want = [m._query_data(qv, p.generic) for qv in p.variants]
            assert [(qv, qj, qw, qwp) for qv, qj, qw, _rows, qwp in want] == spellings
    # a memo started afresh at every query gives the same
    monkeypatch.setattr(engine_module, "QUERY_SPELLINGS_MEMO", 1)
    small = Matcher.build(entities, versions={"test": 1})
    assert _dumps(small, queries[:100]) == _dumps(m, queries[:100])
    assert len(small._query_spelled) <= 1


def test_remembered_token_alignments_change_nothing(
    corpus: tuple[list[Entity], list[Query]], monkeypatch: pytest.MonkeyPatch
) -> None:
    entities, queries = corpus
    m = Matcher.build(entities, versions={"test": 1})
    first = _dumps(m, queries[:300])
    other = Matcher.build(entities, versions={"test": 1})
    for p, per_name in m._query_names.values():
        spellings, q_regroup = other._query_spellings(p)
        row = token_similarity.row
        qdata = [
            (qv, qj, qw, ([row(t, False) for t in qv], [row(t, True) for t in qv]), qwp)
            for qv, qj, qw, qwp in spellings
        ]
        for ni, got in per_name.items():
            assert repr(got) == repr(other._name_alignment(p, qdata, q_regroup, other._data(ni)))
    monkeypatch.setattr(engine_module, "QUERY_MEMO", 1)
    small = Matcher.build(entities, versions={"test": 1})
    assert _dumps(small, queries[:300]) == first
    assert _dumps(small, queries[:300]) == first and len(small._query_names) <= 1
