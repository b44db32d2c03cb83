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


def test_a_common_token_is_credited_with_its_best_similar_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from stopship.index.tokens import TokenIndex

    idx = TokenIndex()
    idx.add(0, [("alabuga", "tradin", "trading")])  # has both spellings
    idx.add(1, [("tradin", "trading", "nord")])
    idx.add(2, [("tradin", "trading", "sud")])
    real = idx.similar_tokens

    def worst_first(token: str) -> list[tuple[int, float]]:
        return sorted(real(token), key=lambda m: m[1])  # the order must not matter

    monkeypatch.setattr(idx, "similar_tokens", worst_first)
    got = idx.retrieve(
        [("alabuga", "tradin")],
        weigh=lambda t: 1.0,
        generic=frozenset(),
        generic_share=1.0,
        max_postings=2,  # "tradin"/"trading" are in three names: not followed
        floor=0.5,
    )
    assert got[0] == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("logeks", "logex"),  # ks/x: two edits in six letters
        ("trimiks", "trimix"),
        ("holdyngz", "holdings"),  # y/i, then one edit apart
        ("alekseyev", "alexeyev"),
        ("eksperts", "experts"),
        ("kargo", "cargo"),  # a Russian k for an English c
        ("kompleks", "complex"),
        ("poklonska", "poklonskaya"),  # Ukrainian and Russian feminine surname endings
    ],
)
def test_sound_alike_tokens_several_edits_apart_are_found(query: str, listed: str) -> None:
    from stopship.index.tokens import TokenIndex
    from stopship.match.features import token_similarity

    assert token_similarity(query, listed) > 0.0  # the scorer accepts them
    idx = TokenIndex()
    idx.add(0, [(listed,)])
    assert {idx.tokens[t] for t, _ in idx.similar_tokens(query)} == {listed}
    # and the other way round
    back = TokenIndex()
    back.add(0, [(query,)])
    assert {back.tokens[t] for t, _ in back.similar_tokens(listed)} == {query}
    got = idx.retrieve([(query,)], lambda t: 1.0, frozenset(), 1.0, 300, 0.5)
    assert got[0] == pytest.approx(token_similarity(query, listed))


def test_phonetic_keys_can_be_switched_off() -> None:
    from stopship.index.tokens import TokenIndex

    idx = TokenIndex(phonetic=False)
    idx.add(0, [("logex",)])
    assert idx.similar_tokens("logeks") == []


def test_phonetic_keys_find_only_what_the_scorer_accepts() -> None:
    """Every token reached through a phonetic key is credited with its token similarity,
    and a phonetic near-miss the scorer rejects is not returned."""
    from stopship.index.tokens import TokenIndex, phonetic_keys
    from stopship.match.features import token_similarity

    assert phonetic_keys("vladimir") == frozenset()  # its own key: nothing to add
    # one shared empty set, not a new one per token kept by the memo
    assert phonetic_keys("vladimir") is phonetic_keys("petrov") is phonetic_keys("ivan")
    idx = TokenIndex()
    for i, t in enumerate(("logex", "lodex", "mikhail", "michail", "boeks")):
        idx.add(i, [(t,)])
    for q in ("logeks", "mihail", "boex"):
        for tid, s in idx.similar_tokens(q):
            assert s == token_similarity(q, idx.tokens[tid]) > 0.0
    assert {idx.tokens[t] for t, _ in idx.similar_tokens("logeks")} == {"logex"}


def test_an_index_pickled_without_phonetic_keys_keeps_working() -> None:
    import pickle

    from stopship.index.tokens import TokenIndex

    idx = TokenIndex()
    idx.add(0, [("logex",)])
    state = idx.__getstate__()
    del state["phonetic"]
    old = TokenIndex.__new__(TokenIndex)
    old.__setstate__(state)
    assert old.phonetic is False
    assert pickle.loads(pickle.dumps(idx)).similar_tokens("logeks") != []


def test_c_reads_as_k_or_s_but_ch_stays_itself() -> None:
    from stopship.match.features import phonetic

    assert phonetic("cargo") == phonetic("kargo")
    assert phonetic("chernov") == "chernov"  # not "kernov": ч is not к
    # ... and as "s" before e, i, y, as English writes it: "Uniservice" = ЮНИСЕРВИС
    assert phonetic("uniservice") == phonetic("uniservis")
    assert phonetic("vincent") == phonetic("vinsent")
    # the Ukrainian and Russian endings of a feminine surname
    assert phonetic("poklonska") == phonetic("poklonskaya") == phonetic("poklonskaia")
