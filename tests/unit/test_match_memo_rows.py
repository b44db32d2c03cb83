"""``PairMemo.row``: the pair memo's own dict of the results remembered for one first
token, which the scorer uses as a query token's similarity row. Both implementations
(compiled and Python) hand out the same rows, fill them as calls are remembered, count a
new row as one result, and start afresh alike."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from stopship.match.compiled import kernel
from stopship.match.memo import PairMemo, PairMemoPy


def _memos(fn: Callable[..., float], maxsize: int) -> list[PairMemo]:
    out: list[PairMemo] = [PairMemoPy(fn, maxsize)]
    if kernel is not None:
        out.append(kernel.PairMemo(fn, maxsize))
    return out


def _sim(a: str, b: str, strict: bool = False) -> float:
    return 1.0 if a == b else (0.0 if strict else len(a) / (len(a) + len(b)))


@pytest.mark.parametrize("impl", [0, 1])
def test_rows_are_the_memos_own(impl: int) -> None:
    memos = _memos(_sim, 1000)
    if impl >= len(memos):
        pytest.skip("the compiled kernel is not built")
    memo = memos[impl]
    row = memo.row("ab", False)
    assert row == {}
    assert memo.size() == 1  # a new row counts as one result
    assert memo.row("ab", False) is row
    assert memo.size() == 1
    strict_row = memo.row("ab", True)
    assert strict_row is not row and memo.size() == 2
    assert memo("ab", "abc") == 0.4
    assert memo("ab", "abcd", True) == 0.0
    assert row == {"abc": 0.4}
    assert strict_row == {"abcd": 0.0}
    assert memo.size() == 4
    row["xy"] = 0.5  # a caller's result of fn, remembered
    assert memo("ab", "xy") == 0.5
    memo.cache_clear()
    assert memo.size() == 0
    fresh = memo.row("ab", False)
    assert fresh == {} and fresh is not row


def test_both_implementations_agree() -> None:
    memos = _memos(_sim, 7)
    if len(memos) < 2:
        pytest.skip("the compiled kernel is not built")
    seen: list[list[object]] = [[], []]
    for k, memo in enumerate(memos):
        for i in range(20):
            a, b = "t" * (1 + i % 4), "u" * (1 + i % 5)
            row = memo.row(a, i % 3 == 0)
            seen[k].append((memo(a, b, i % 3 == 0), dict(row), memo.size()))
    assert seen[0] == seen[1]


@pytest.mark.parametrize("impl", [0, 1])
def test_row_takes_a_str_and_a_bool(impl: int) -> None:
    memos = _memos(_sim, 10)
    if impl >= len(memos):
        pytest.skip("the compiled kernel is not built")
    memo = memos[impl]

    class Word(str):
        pass

    with pytest.raises(TypeError):
        memo.row(Word("ab"), False)
    with pytest.raises(TypeError):
        memo.row("ab", 0)  # type: ignore[arg-type]
    assert memo.size() == 0
