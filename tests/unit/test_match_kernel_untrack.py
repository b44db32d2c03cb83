"""Tuples of numbers and strings the kernel makes for an alignment (its matches, its
pairs) are left untracked by the cyclic collector, as the collector itself leaves such
tuples once it has met them; they are equal to the Python code's."""

from __future__ import annotations

import gc

import pytest

from stopship.match import features

kernel = features._kernel
needs_kernel = pytest.mark.skipif(kernel is None, reason="the compiled kernel is not built")


@needs_kernel
def test_alignment_tuples_are_untracked_and_the_same() -> None:
    assert kernel is not None
    q, c = ("ivan", "petrov", "x"), ("petrova", "ivan")
    qw, cw, cf = [1.0, 0.8, 0.1], [0.9, 1.0], [None, None]
    got = kernel.align_core(q, qw, c, cw, cf, False, None, features.token_similarity)
    assert got is not None
    want = features.align_core_py(q, qw, c, cw, cf, False)
    assert repr(got) == repr(want)
    order = got[3]
    assert order and all(not gc.is_tracked(m) for m in order)
    assert gc.is_tracked(order)  # a list stays tracked
    pairs = kernel.alignment_pairs(q, c, qw, order)
    assert pairs == features.alignment_pairs_py(q, c, qw, order)
    assert pairs is not None and not gc.is_tracked(pairs)
    assert all(not gc.is_tracked(p) for p in pairs)


@needs_kernel
def test_a_tuple_with_a_collectable_item_stays_tracked() -> None:
    assert kernel is not None
    qw = [[1.0]]  # an item the collector tracks (a list) in the pair
    pairs = kernel.alignment_pairs(("ivan",), ("ivan",), qw, [(0, 0, 1.0)])  # type: ignore[arg-type]
    assert pairs is not None
    assert gc.is_tracked(pairs[0]) and gc.is_tracked(pairs)
