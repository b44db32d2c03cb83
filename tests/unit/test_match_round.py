"""The compiled ``round4`` (stopship.match._kernel) is ``round(x, 4)``: the same float, bit
for bit, for scores and similarities, near the ties its fast path leaves to the builtin,
and for everything else (large, not finite, not a float)."""

from __future__ import annotations

import math
import random
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stopship.match.compiled import kernel
from stopship.match.model import round4, round4_py

pytestmark = pytest.mark.skipif(kernel is None, reason="the compiled kernel is not built")


def _same(x: object) -> None:
    assert kernel is not None
    want = round(x, 4)  # type: ignore[call-overload]
    got = kernel.round4(x)  # type: ignore[arg-type]
    assert type(got) is type(want)
    if isinstance(want, float) and math.isnan(want):
        assert math.isnan(got)
    else:
        assert struct.pack("<d", got) == struct.pack("<d", want), (x, got, want)


def test_round4_is_the_kernel_when_built() -> None:
    assert kernel is not None
    assert round4 is kernel.round4
    assert round4_py(0.123456) == round(0.123456, 4)


def test_scores_and_similarities() -> None:
    rng = random.Random(3)
    for _ in range(300_000):
        _same(rng.uniform(-1.5, 2.5))
    for k in range(-20_000, 20_001):  # every 4-place value and its neighbours
        x = k / 10_000
        _same(x)
        _same(math.nextafter(x, math.inf))
        _same(math.nextafter(x, -math.inf))


def test_ties_and_their_neighbours() -> None:
    for k in range(-30_000, 30_000):
        tie = (k + 0.5) / 10_000  # the double nearest a half: above or below it
        x = tie
        for _ in range(4):
            _same(x)
            x = math.nextafter(x, math.inf)
        x = tie
        for _ in range(4):
            _same(x)
            x = math.nextafter(x, -math.inf)


def test_other_values() -> None:
    class F(float):
        pass

    for x in (0.0, -0.0, -0.00001, 0.00004999, 1e-300, -1e-300, 99_999.99995, 1e5, 1e15,
              -1e300, math.inf, -math.inf, math.nan, 3, -7, True, F(0.33335), 2.0**52 + 0.5,
              0.5, 1.5, 0.00005, 0.00015, 0.99995, 1.00005):  # fmt: skip
        _same(x)
    with pytest.raises(TypeError):
        kernel.round4("0.5")  # type: ignore[arg-type,union-attr]


@settings(max_examples=3000, deadline=None)
@given(st.floats(allow_nan=False, min_value=-1e6, max_value=1e6))
def test_any_float(x: float) -> None:
    _same(x)
