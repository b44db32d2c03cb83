"""index.tokens: deletion neighbourhoods, checked against a brute-force reference."""

from __future__ import annotations

from itertools import combinations

import pytest
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


def test_a_token_longer_than_any_indexed_one_skips_the_deletion_neighbourhood(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import stopship.index.tokens as tokens_mod

    idx = tokens_mod.TokenIndex()
    idx.add(0, [("alabuga", "development")])
    idx.add(1, [("alabugga",)])
    seen: list[str] = []
    real = tokens_mod.deletions

    def spy(token: str, depth: int) -> frozenset[str]:
        seen.append(token)
        return real(token, depth)

    monkeypatch.setattr(tokens_mod, "deletions", spy)
    assert {idx.tokens[t] for t, _ in idx.similar_tokens("alabuka")} == {"alabuga", "alabugga"}
    long_word = "x" * 2000
    assert idx.similar_tokens(long_word) == []
    assert long_word not in seen and "alabuka" in seen
    # exactly as long as the longest indexed token + 2 is still looked up fuzzily
    assert idx.similar_tokens("developmentxx") != []
