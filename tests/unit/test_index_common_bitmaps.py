"""Retrieval credits common tokens (not followed: their postings are too long) by testing
names against those tokens' posting sets; the compiled kernel keeps the larger sets as
bitmaps. Both ways give the same shares as the Python code, for posting sets of every
size, sparse name ids, and index changes between queries."""

from __future__ import annotations

import random

import pytest

from stopship.index import tokens as token_module

needs_kernel = pytest.mark.skipif(
    token_module._kernel is None, reason="the compiled kernel is not built (no C compiler?)"
)

_COMMON = ["bank", "banka", "trading", "tradings", "group", "grup", "holding", "company"]
_RARE = [f"{a}{b}" for a in ("alab", "petr", "kovl", "hoss", "sina") for b in ("uga", "ova")]


def _weigh(t: str) -> float:
    return 0.1 if t in _COMMON else 0.9


def _index(
    seed: int, count: int, id_step: int
) -> tuple[token_module.TokenIndex, list[tuple[str, ...]]]:
    index = token_module.TokenIndex()
    rng = random.Random(seed)
    names: list[tuple[str, ...]] = []
    for k in range(count):
        # the first common words are in most names, the last in few
        commons = [w for i, w in enumerate(_COMMON) if rng.random() < 0.9 / (i + 1)]
        name = (*commons, *rng.sample(_RARE, rng.choice([1, 2])))
        names.append(name)
        index.add(k * id_step, [name])
    return index, names


def _both(
    index: token_module.TokenIndex,
    q: tuple[str, ...],
    max_postings: int,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[dict[int, float], dict[int, float]]:
    got = index.retrieve([q], _weigh, frozenset({"group"}), 0.35, max_postings, 0.3)
    with monkeypatch.context() as mp:
        mp.setattr(token_module, "_kernel", None)
        want = index.retrieve([q], _weigh, frozenset({"group"}), 0.35, max_postings, 0.3)
    return got, want


@needs_kernel
@pytest.mark.parametrize(("count", "id_step"), [(300, 1), (1500, 1), (700, 97)])
def test_common_tokens_credited_alike(
    monkeypatch: pytest.MonkeyPatch, count: int, id_step: int
) -> None:
    index, names = _index(count, count, id_step)
    rng = random.Random(1)
    queries = [*names[:40], ("tradng", "alabuga"), ("bank", "grup", "sinaova")]
    queries += [(*rng.sample(_COMMON, 3), rng.choice(_RARE)) for _ in range(40)]
    for q in queries:
        for max_postings in (3, 20, 100, 1000):
            got, want = _both(index, q, max_postings, monkeypatch)
            assert list(got.items()) == list(want.items()), (q, max_postings)


@needs_kernel
def test_index_changed_between_queries(monkeypatch: pytest.MonkeyPatch) -> None:
    """New names after a query: the token index makes new posting sets (its caches start
    afresh), and the new names are credited."""
    index, _names = _index(5, 400, 1)
    q = ("bank", "trading", "alabuga")
    before, _ = _both(index, q, 20, monkeypatch)
    for k in range(400, 800):
        index.add(k, [("bank", "trading", "alabuga")])
    got, want = _both(index, q, 20, monkeypatch)
    assert list(got.items()) == list(want.items())
    assert len(got) > len(before)
