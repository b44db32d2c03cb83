"""Hits and results are built without validation (``match.model.trusted``): each must be
what validating the same data gives — the same fields and types, the same fields set,
the same JSON — for every kind of hit the matcher makes."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from stopship.match import Matcher, Query, QueryResult
from stopship.match import engine as engine_module
from stopship.match import model as model_module
from stopship.match.model import (
    TRUSTED,
    Feature,
    Hit,
    TokenPair,
    str_list,
    str_list_py,
    token_pairs,
    token_pairs_py,
    trusted,
    trusted_py,
)
from stopship.model import Entity

ENTITIES = Path(__file__).resolve().parents[1] / "fixtures" / "match" / "entities.json"

#: Arabic-script names scored through consonant skeletons and the long-vowel check
ARABIC = [
    ("a1", "Mohammad Reza MOHAMMADI", "محمد رضا محمدی"),
    ("a2", "Malik HASAN", "مالك الحسيني"),
    ("a3", "Mohammad Taqi OSANLOO", "محمدتقی اسانلو"),
]

QUERIES = [
    {"name": "Arkadiy Semyonovich VELIKANOV"},
    {"name": "Аркадий Семёнович Великанов", "kind": "person", "country": "RU"},
    {"name": "VELIKANOV Arkadiy", "birth_date": "1961", "kind": "organization"},
    {"name": "Arkadiy VELIKANOFF", "birth_date": "1968-04"},
    {"name": "Mirzo Dustnazarov", "birth_date": "1975", "country": "TJ"},
    {"name": "Liesel Brandauer Kovacevic", "kind": "person"},
    {"name": "ООО Красноверх Инвест", "country": "RU"},
    {"name": "Krasnoverkh Invest JSC"},
    {"name": "SEVERTRANSLOGISTIKA"},
    {"name": "Alabuga Trading LLC", "country": "Russia"},
    {"name": "A L A B U G A TRADING"},
    {"name": "Global Trading", "kind": "vessel"},
    {"name": "Zephyrin Maritime Holdings Ltd", "country": "CY"},
    {"name": "Ocean Pearlescent", "kind": "vessel", "id": "IMO 1234567"},
    {"name": "Torvaldsen Quantum Dynamics"},
    *({"name": arabic} for _id, _latin, arabic in ARABIC),
    {"name": "OOO Alabuga", "birth_date": "1970-03"},
    {"name": "x" * 1001},
    {"name": "Ivan", "country": "Narnia"},
    {"name": "ꆈꌠ꒿ ꁱꂷ"},  # no transliterator: a warning
]


def _same(a: BaseModel, b: BaseModel) -> None:
    """Recursively: the same class, fields (in order) and value types, and fields set."""
    assert type(a) is type(b)
    assert list(a.__dict__) == list(b.__dict__) == list(type(a).model_fields)
    assert a.model_fields_set == b.model_fields_set
    assert a.__pydantic_extra__ == b.__pydantic_extra__
    assert a.__pydantic_private__ == b.__pydantic_private__
    for k, va in a.__dict__.items():
        vb = b.__dict__[k]
        assert type(va) is type(vb), k
        if isinstance(va, BaseModel):
            _same(va, vb)
        elif isinstance(va, list):
            assert len(va) == len(vb)
            for x, y in zip(va, vb, strict=True):
                assert type(x) is type(y), k
                if isinstance(x, BaseModel):
                    _same(x, y)
                else:
                    assert x == y
        else:
            assert va == vb, k


def _matcher() -> Matcher:
    entities = [Entity.model_validate(e) for e in json.loads(ENTITIES.read_text("utf-8"))]
    entities += [
        Entity.model_validate(
            {
                "id": f"test:{i}",
                "source": "test",
                "record_id": i,
                "kind": "person",
                "names": [{"value": latin, "type": "primary", "script": "Latn"}],
            }
        )
        for i, latin, _arabic in ARABIC
    ]
    return Matcher.build(entities, versions={"test": 7})


@pytest.fixture(scope="module")
def results() -> list[QueryResult]:
    qs = [Query(**q) for q in QUERIES]
    return _matcher().match_batch(qs, threshold=0.0, limit=50)


def test_results_are_what_validation_gives(results: list[QueryResult]) -> None:
    hits = [h for r in results for h in r.hits]
    assert len(hits) >= 20
    features = {f.name for h in hits for f in h.explanation.features}
    assert {"name.consonant_skeleton", "kind", "country", "birth_date", "legal_form"} <= features
    assert any(r.error for r in results) and any(r.warnings for r in results)
    for r in results:
        # as the matcher built them before (the hits validated from plain data)
        if r.error is None:
            validated = QueryResult(
                query=r.query,
                normalized=list(r.normalized),
                list_versions=dict(r.list_versions),
                hits=[Hit.model_validate(h.model_dump()) for h in r.hits],
                warnings=list(r.warnings),
            )
        else:
            validated = QueryResult(
                query=r.query,
                normalized=[],
                list_versions=dict(r.list_versions),
                hits=[],
                error=r.error,
            )
        _same(r, validated)
        assert r == validated
        assert r.model_dump_json() == validated.model_dump_json()
        assert r.model_dump_json(exclude_unset=True) == validated.model_dump_json(
            exclude_unset=True
        )


def test_trusted_models_have_nothing_validation_would_add() -> None:
    for cls in TRUSTED:
        assert not cls.__pydantic_post_init__
        assert not cls.__private_attributes__
        assert cls.model_config.get("extra") in (None, "ignore")
        decorators = cls.__pydantic_decorators__
        assert not (decorators.validators or decorators.field_validators)
        assert not (decorators.model_validators or decorators.root_validators)
        for field in cls.model_fields.values():
            assert field.alias is None and field.validation_alias is None


def test_trusted_is_model_construct_when_all_fields_are_given() -> None:
    data: dict[str, Any] = {"query": "a", "list": None, "similarity": 0.5, "weight": 1.0}
    built = trusted(TokenPair, dict(data))
    _same(built, TokenPair.model_construct(**data))
    _same(built, TokenPair.model_validate(data))
    f = trusted(
        Feature, {"name": "x", "value": 1.0, "weight": 1.0, "contribution": 0.0, "detail": {}}
    )
    _same(f, Feature(name="x", value=1.0, weight=1.0, contribution=0.0, detail={}))
    # a result given only some fields: the others keep their defaults and are not "set"
    fields = ("query", "normalized", "list_versions", "hits", "warnings")
    r = trusted(
        QueryResult,
        {
            "query": Query(name="a"),
            "normalized": [],
            "list_versions": {},
            "hits": [],
            "warnings": [],
            "error": None,
        },
        fields,
    )
    _same(
        r, QueryResult(query=Query(name="a"), normalized=[], list_versions={}, hits=[], warnings=[])
    )
    assert Hit in TRUSTED


@pytest.mark.parametrize(
    ("query", "feature"),
    [
        ({"name": "Krasnoverkh Invest JSC"}, "legal_form"),  # a legal form, nothing else
        ({"name": "Arkadiy VELIKANOV", "birth_date": "1968"}, "birth_date"),
        ({"name": "Arkadiy VELIKANOV", "country": "RU"}, "country"),
        ({"name": "Arkadiy VELIKANOV", "kind": "person"}, "kind"),
    ],
)
def test_each_query_fact_alone_brings_its_feature(query: dict[str, str], feature: str) -> None:
    """The scorer skips the secondary features of a query with none of these facts: one
    of them alone is enough to have them computed, and a bare name has none."""
    entities = [Entity.model_validate(e) for e in json.loads(ENTITIES.read_text("utf-8"))]
    m = Matcher.build(entities, versions={"test": 7})
    hits = m.match(Query(**query), threshold=0.0).hits
    assert hits and feature in {f.name for f in hits[0].explanation.features}
    bare = m.match(Query(name=query["name"].replace(" JSC", "")), threshold=0.0).hits
    assert bare and all(f.name.startswith("name.") for f in bare[0].explanation.features)


needs_kernel = pytest.mark.skipif(
    model_module._kernel is None, reason="the compiled kernel is not built (no C compiler?)"
)


@needs_kernel
def test_kernel_builds_what_python_builds() -> None:
    assert trusted is not trusted_py and token_pairs is not token_pairs_py
    data: dict[str, Any] = {"name": "x", "value": 1.0, "weight": 0.5, "contribution": 0.0,
                            "detail": {"query": ["a"]}}  # fmt: skip
    _same(trusted(Feature, dict(data)), trusted_py(Feature, dict(data)))
    fields = ("query", "normalized", "list_versions", "hits", "warnings")
    values: dict[str, Any] = {"query": Query(name="a"), "normalized": [], "list_versions": {},
                              "hits": [], "warnings": ["w"], "error": None}  # fmt: skip
    a, b = trusted(QueryResult, dict(values), fields), trusted_py(QueryResult, dict(values), fields)
    _same(a, b)
    assert a.model_dump_json(exclude_unset=True) == b.model_dump_json(exclude_unset=True)
    # rounding as the builtin rounds (halves, ints, negative zero, huge and tiny numbers)
    nums = [0.12345, 0.00005, 0.00015, 2.675e-05, 1, 0, -0.0, 1e300, 5e-324, 0.99995, 1 / 3]
    pairs = [("a", None if k % 3 == 0 else "b", x, nums[-1 - k]) for k, x in enumerate(nums)]
    built, expected = token_pairs(pairs), token_pairs_py(pairs)
    assert len(built) == len(expected) == len(pairs)
    for x, y in zip(built, expected, strict=True):
        _same(x, y)
        assert repr(x.similarity) == repr(y.similarity) and repr(x.weight) == repr(y.weight)
    # a fresh fields set each: setting a field on one hit leaves the others alone
    built[0].query = "z"
    assert built[1].model_fields_set == expected[1].model_fields_set
    # a fields set of names only is left out of cyclic collection (it can be in no cycle);
    # still a fresh set per model that pydantic adds to
    assert not any(gc.is_tracked(x.model_fields_set) for x in built)
    assert not gc.is_tracked(a.model_fields_set) and gc.is_tracked(b.model_fields_set)
    a.error = "e"
    assert a.model_fields_set == set(fields) | {"error"} and b.model_fields_set == set(fields)
    odd = trusted(Feature, dict(data), ["name", ("not", "a", "name")])
    assert gc.is_tracked(odd.model_fields_set)  # not names only: tracked as usual
    with pytest.raises(TypeError):
        trusted(Feature, [("name", "x")])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        token_pairs([("a", "b", 1.0)])  # type: ignore[list-item]


@needs_kernel
def test_results_built_by_python_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    m = _matcher()
    qs = [Query(**q) for q in QUERIES]
    compiled = m.match_batch(qs, threshold=0.0, limit=50)
    monkeypatch.setattr(engine_module, "trusted", trusted_py)
    monkeypatch.setattr(engine_module, "token_pairs", token_pairs_py)
    monkeypatch.setattr(engine_module, "str_list", str_list_py)
    python = m.match_batch(qs, threshold=0.0, limit=50)
    assert sum(len(r.hits) for r in python) >= 20
    for a, b in zip(compiled, python, strict=True):
        _same(a, b)
        assert a.model_dump_json() == b.model_dump_json()


@needs_kernel
def test_lists_of_strings_left_out_of_collection() -> None:
    """``str_list`` is ``list``; the compiled one leaves a list of exact strings untracked
    by the cyclic collector (it can be in no cycle), and any other list tracked."""
    assert str_list is not str_list_py
    for items in [("a", "b"), (), iter(["x"]), map(" ".join, [("a", "b")])]:
        got = str_list(items)
        assert type(got) is list and got == str_list_py(items if isinstance(items, tuple) else got)
        assert not gc.is_tracked(got)
    for items in [("a", ["b"]), ("a", 1), [type("S", (str,), {})("a")]]:
        got = str_list(items)  # type: ignore[arg-type]
        assert got == list(items) and gc.is_tracked(got)
    with pytest.raises(TypeError):
        str_list(1)  # type: ignore[arg-type]
    got = str_list(["a"])
    got.append("b")  # still a list like any other
    assert got == ["a", "b"]


@needs_kernel
def test_results_leave_their_string_lists_untracked() -> None:
    """A result's lists of strings (normalized forms, warnings, the explanation's tokens)
    are not objects the collector walks after a batch; the JSON is what validation gives."""
    m = _matcher()
    results = m.match_batch([Query(**q) for q in QUERIES], threshold=0.0, limit=50)
    hits = [h for r in results for h in r.hits]
    assert hits
    assert any(r.warnings for r in results)
    for r in results:
        if r.error is None:  # (a query that fails is validated as usual)
            assert not gc.is_tracked(r.normalized) and not gc.is_tracked(r.warnings)
        assert QueryResult.model_validate(r.model_dump()).model_dump_json() == r.model_dump_json()
    for h in hits:
        e = h.explanation
        assert not gc.is_tracked(e.query_tokens) and not gc.is_tracked(e.list_tokens)
        assert type(e.query_tokens) is list and type(e.list_tokens) is list
        assert Hit.model_validate(h.model_dump()) == h
