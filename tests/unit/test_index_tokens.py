"""index.tokens: deletion neighbourhoods, checked against a brute-force reference."""

from __future__ import annotations

from itertools import combinations

from hypothesis import given
from hypothesis import strategies as st

from stopship.index.tokens import EXACT_MAX, deletions


def _reference(token: str, depth: int) -> frozenset[str]:
    out = {token}
    for d in range(1, depth + 1):
        for drop in combinations(range(len(token)), d):
            out.add("".join(c for i, c in enumerate(token) if i not in drop))
    return frozenset(out)


@given(
    st.text(alphabet="abcdeklmnorsty", min_size=EXACT_MAX + 1, max_size=14), st.sampled_from([1, 2])
)
def test_deletions_are_every_string_with_up_to_depth_characters_removed(
    token: str, depth: int
) -> None:
    assert deletions(token, depth) == _reference(token, depth)


def test_short_tokens_are_only_themselves() -> None:
    assert deletions("ooo", 2) == frozenset({"ooo"})
