"""The pair memo that remembers token similarities (stopship.match.memo): the compiled
``PairMemo`` and its Python twin ``PairMemoPy`` return what the function they remember
returns, call it once per (a, b, strict) until they are full, start afresh then, pass every
other call through, and keep no object the cyclic collector tracks per remembered pair."""

from __future__ import annotations

import gc
import json
import random
from collections.abc import Callable
from pathlib import Path

import pytest

from stopship.match import Matcher, Query, features
from stopship.match import engine as engine_module
from stopship.match.compiled import kernel
from stopship.match.memo import PairMemo, PairMemoPy, pair_memo
from stopship.model import Entity

needs_kernel = pytest.mark.skipif(kernel is None, reason="the compiled kernel is not built")


def _memos(fn: Callable[..., float], maxsize: int) -> list[PairMemo]:
    out: list[PairMemo] = [PairMemoPy(fn, maxsize)]
    if kernel is not None:
        out.append(kernel.PairMemo(fn, maxsize))
    return out


class _Counting:
    """A pure function of (a, b, strict) that counts its calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []

    def __call__(self, a: str, b: str, strict: bool = False) -> float:
        self.calls.append((a, b, strict))
        return 1.0 if a == b else (0.0 if strict else len(a) / (len(a) + len(b)))


@pytest.mark.parametrize("impl", [0, 1])
def test_remembers_each_pair_once(impl: int) -> None:
    fn = _Counting()
    memos = _memos(fn, 1000)
    if impl >= len(memos):
        pytest.skip("the compiled kernel is not built")
    memo = memos[impl]
    assert memo("ab", "abc") == fn("ab", "abc")
    fn.calls.clear()
    assert memo("ab", "abc") == 0.4
    assert memo("ab", "abc", False) == 0.4  # (a, b) and (a, b, False): one entry
    assert fn.calls == []
    assert memo("ab", "abc", True) == 0.0  # strict is its own entry
    assert memo("ab", "abc", True) == 0.0
    assert fn.calls == [("ab", "abc", True)]
    assert memo.size() == 2
    memo.cache_clear()
    assert memo.size() == 0
    assert memo("ab", "abc") == 0.4
    assert len(fn.calls) == 2


@pytest.mark.parametrize("impl", [0, 1])
def test_passes_other_calls_through_unremembered(impl: int) -> None:
    seen: list[object] = []

    def fn(a: object, b: object, strict: object = False) -> object:
        seen.append((a, b, strict))
        return (a, b, strict) if not isinstance(a, str) else 7  # not an exact float

    memos = _memos(fn, 10)
    if impl >= len(memos):
        pytest.skip("the compiled kernel is not built")
    memo: Callable[..., object] = memos[impl]
    assert memo(1, "b") == (1, "b", False)
    assert memo("a", "b", 1) == 7
    assert seen[-1] == ("a", "b", 1)  # strict not a bool: passed on as given
    assert memo("a", "b", strict=True) == 7
    assert memo("a", "b") == 7
    assert memo("a", "b") == 7  # an int result is not remembered
    assert memos[impl].size() == 0
    with pytest.raises(TypeError):
        memo("a")


@pytest.mark.parametrize("impl", [0, 1])
def test_starts_afresh_when_full(impl: int) -> None:
    fn = _Counting()
    memos = _memos(fn, 3)
    if impl >= len(memos):
        pytest.skip("the compiled kernel is not built")
    memo = memos[impl]
    for b in ("b1", "b2", "b3"):
        memo("a", b)
    assert memo.size() == 3
    memo("a", "b4")  # full: forgets the three, keeps this one
    assert memo.size() == 1
    fn.calls.clear()
    assert memo("a", "b4") == fn("a", "b4")
    assert len(fn.calls) == 1  # only the direct call: b4 was remembered
    memo("a", "b1")
    assert len(fn.calls) == 2  # b1 was forgotten


def test_errors_propagate_and_are_not_remembered() -> None:
    def fn(a: str, b: str, strict: bool = False) -> float:
        raise RuntimeError(a + b)

    for memo in _memos(fn, 10):
        with pytest.raises(RuntimeError, match="ab"):
            memo("a", "b")
        assert memo.size() == 0


def test_twins_agree_with_the_function_on_random_tokens() -> None:
    rng = random.Random(5)
    letters = "abcdeiklmnorsv"
    tokens = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 9))) for _ in range(60)]
    fn = features._token_similarity
    memos = _memos(fn, 500)  # small: several fresh starts on the way
    for _ in range(4000):
        a, b, strict = rng.choice(tokens), rng.choice(tokens), rng.random() < 0.2
        want = fn(a, b, strict)
        for memo in memos:
            assert memo(a, b, strict) == want
            assert memo(a, b) == fn(a, b)


def test_remembered_pairs_add_no_tracked_objects() -> None:
    """The point of the memo: per remembered pair nothing the collector walks (one row
    dict per first token, itself untracked)."""
    for memo in _memos(lambda a, b, strict=False: 0.5, 100_000):
        memo("warm", "up")
        gc.collect()
        before = len(gc.get_objects())
        for i in range(2000):
            memo("a", f"b{i}")
            memo(f"c{i % 7}", f"d{i}", True)
        assert memo.size() == 4001
        assert len(gc.get_objects()) - before < 20


@needs_kernel
def test_token_similarity_is_the_compiled_memo() -> None:
    assert kernel is not None
    assert isinstance(features.token_similarity, kernel.PairMemo)
    assert pair_memo(features._token_similarity, 10).__class__ is kernel.PairMemo
    features.token_similarity.cache_clear()
    assert features.token_similarity("aleksandr", "alexandr") == features.token_similarity_py(
        "aleksandr", "alexandr"
    )


def test_patronymics_memo_keeps_answers_and_adds_no_tracked_objects(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = [
        ("ivanov", "sergey", "petrovich"),
        ("yevhen", "harriiovych", "kovalenko"),
        ("roman", "abramovich"),
        ("pashkevich", "aleksandr", "mikhailovich"),
        ("alabuga", "development", "llc"),
    ]
    features._patronymics_memo.clear()
    want = [features._patronymics(n) for n in names]
    assert [features.patronymics(n) for n in names] == want
    assert [features.patronymics(n) for n in names] == want  # remembered
    assert want[2] == frozenset() and want[0] == frozenset({2})
    monkeypatch.setattr(features, "PATRONYMICS_MEMO", 3)
    features._patronymics_memo.clear()
    assert [features.patronymics(n) for n in names] == want  # started afresh on the way
    assert len(features._patronymics_memo) <= 3
    monkeypatch.setattr(features, "PATRONYMICS_MEMO", 100_000)
    plain = [tuple(f"w{i}x{k}" for k in range(3)) for i in range(2000)]
    gc.collect()
    before = len(gc.get_objects())
    for n in plain:
        assert features.patronymics(n) is features._NO_PATRONYMICS
    assert len(gc.get_objects()) - before < 20


def test_name_data_shares_its_factor_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each scored name's unmatched-weight factors are what unmatched_factors gives, in one
    list per pattern; the scores are the same when every name has its own list."""
    path = Path(__file__).resolve().parents[1] / "fixtures" / "match" / "entities.json"
    entities = [Entity.model_validate(e) for e in json.loads(path.read_text(encoding="utf-8"))]
    queries = [Query(name=n.value) for e in entities for n in e.names][:60]
    m = Matcher.build(entities, versions={"test": 1})
    shared = [r.model_dump_json() for r in m.match_batch(queries, threshold=0.3)]
    assert m._name_data
    lists: dict[tuple[float | None, ...], int] = {}
    for ni, nd in m._name_data.items():
        is_person = m.index.entities[m.index.names[ni].entity].kind == "person"
        for cv, _cj, _cw, cf in nd.variants:
            assert cf == features.unmatched_factors(cv, is_person)
            assert lists.setdefault(tuple(cf), id(cf)) == id(cf)  # one list per pattern
    monkeypatch.setattr(engine_module, "shared_unmatched_factors", features.unmatched_factors)
    m._name_data.clear()
    m.forget_queries()  # each name aligned again, with its own factors
    assert [r.model_dump_json() for r in m.match_batch(queries, threshold=0.3)] == shared


def test_names_written_alike_share_their_data() -> None:
    """Two entries that write a name alike (one person in two lists) share its scoring
    data, computed once; the results are those of a matcher that computes each name's."""
    path = Path(__file__).resolve().parents[1] / "fixtures" / "match" / "entities.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    twins = [dict(e, id=e["id"] + "-twin") for e in raw]
    entities = [Entity.model_validate(e) for e in raw + twins]
    queries = [Query(name=n.value) for e in entities[: len(raw)] for n in e.names][:60]
    m = Matcher.build(entities, versions={"test": 1})
    got = [r.model_dump_json() for r in m.match_batch(queries, threshold=0.3)]
    by_id = {e.id: i for i, e in enumerate(m.index.entities)}
    shared = 0
    for ni, nd in m._name_data.items():
        nm = m.index.names[ni]
        entity = m.index.entities[nm.entity]
        twin = by_id.get(entity.id + "-twin")
        if twin is None:
            continue
        for tj in m.index.names_of(twin):
            other = m.index.names[tj]
            if other.prepared.variants == nm.prepared.variants and tj in m._name_data:
                assert m._name_data[tj] is nd
                shared += 1
    assert shared > 5
    fresh = Matcher.build(entities, versions={"test": 1})
    fresh._shared_data = (({}, {}), ({}, {}))
    calls = 0
    data = engine_module.Matcher._data

    def unshared(self: Matcher, ni: int) -> engine_module._NameData:
        nonlocal calls
        calls += 1
        self._shared_data = (({}, {}), ({}, {}))  # every name computed for itself
        return data(self, ni)

    fresh._data = unshared.__get__(fresh)  # type: ignore[method-assign]
    assert [r.model_dump_json() for r in fresh.match_batch(queries, threshold=0.3)] == got
    assert calls > 0
