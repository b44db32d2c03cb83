"""The matcher's fast paths give the same numbers as the straightforward code they
replace: :func:`align` (precomputed weights, matches kept as indices) against the
original implementation kept here as the reference, bit for bit."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from stopship.match import weights as W
from stopship.match.engine import Matcher
from stopship.match.features import Alignment, align, patronymics, token_similarity
from stopship.match.prepare import is_patronymic
from stopship.model import Entity


def reference_align(
    q: tuple[str, ...],
    c: tuple[str, ...],
    weigh: Callable[[str], float],
    generic: frozenset[str],
    list_is_person: bool,
    strict: bool = False,
) -> Alignment:
    """``features.align`` as it was before the fast path (commit 97b34a6), verbatim but for
    the later rule that a list token made from a given name is a patronymic too
    (``features.patronymics``)."""

    def w(t: str, side_generic: bool) -> float:
        base = weigh(t)
        return base * W.GENERIC_WEIGHT if side_generic else base

    cand: list[tuple[float, int, int]] = []
    for i, a in enumerate(q):
        for j, b in enumerate(c):
            s = token_similarity(a, b, strict)
            if s > 0.0:
                cand.append((s, i, j))
    cand.sort(key=lambda x: (-x[0], x[1], x[2]))
    q_match: dict[int, tuple[int, float]] = {}
    c_used: set[int] = set()
    for s, i, j in cand:
        if i in q_match or j in c_used:
            continue
        q_match[i] = (j, s)
        c_used.add(j)
    alt: dict[int, float] = {}
    if len(c_used) < len(c):
        for j, b in enumerate(c):
            if j in c_used:
                continue
            for _i, (jm, sm) in q_match.items():
                if token_similarity(b, c[jm]) > 0.0:
                    alt[j] = sm
                    break
    qw = [w(t, t in generic) for t in q]
    cw = [w(t, t in generic) for t in c]
    for i, t in enumerate(q):
        if len(t) == 1:
            qw[i] *= W.INITIAL_WEIGHT
    for j, t in enumerate(c):
        if len(t) == 1:
            cw[j] *= W.INITIAL_WEIGHT
        elif j in c_used:
            continue
        elif list_is_person and (is_patronymic(t) or j in patronymics(c)):
            cw[j] *= W.PATRONYMIC_WEIGHT
        elif not list_is_person and len(t) <= W.ACRONYM_MAX_LEN:
            cw[j] *= W.ACRONYM_WEIGHT
    q_num = sum(qw[i] * s for i, (_j, s) in q_match.items())
    c_num = sum(cw[j] * s for _i, (j, s) in q_match.items())
    c_num += sum(cw[j] * s for j, s in alt.items())
    q_cov = q_num / sum(qw) if sum(qw) else 0.0
    c_cov = c_num / sum(cw) if sum(cw) else 0.0
    pairs: list[tuple[str, str | None, float, float]] = []
    for i, t in enumerate(q):
        if i in q_match:
            j, s = q_match[i]
            pairs.append((t, c[j], s, qw[i]))
        else:
            pairs.append((t, None, 0.0, qw[i]))
    score = 0.75 * min(q_cov, c_cov) + 0.25 * max(q_cov, c_cov)
    return Alignment(score, q_cov, c_cov, tuple(pairs))


#: tokens that meet in every way the scorer knows: equal, typos, transpositions,
#: phonetic spellings, given-name forms, initials, short words, patronymics, repeats
TOKENS = [
    "a", "i", "m", "al", "ooo", "ppt", "bin", "ali", "alabuga", "alabugga", "alabgua",
    "elabuga", "aleksandr", "alexandr", "alexander", "volodymyr", "vladimir", "sergey",
    "siarhei", "serhii", "ivanovich", "ivanovych", "petrov", "petrow", "trading", "group",
    "mohammad", "muhammad", "mohamed", "rostami", "rustami", "shagivaleev", "shagivaleyev",
    "development", "developmant", "zephyrine", "zefirin", "iurii", "yuri", "kh", "x",
]  # fmt: skip

spellings = st.lists(st.sampled_from(TOKENS), min_size=1, max_size=6).map(tuple)


def _weigher(seed: int) -> Callable[[str], float]:
    # deterministic, varied weights in (0, 1], as the index's IDF weights are
    return lambda t: 0.01 + ((hash((t, seed)) % 997) / 997.0) * 0.99


@settings(max_examples=3000, deadline=None)
@given(
    q=spellings,
    c=spellings,
    seed=st.integers(0, 50),
    generic=st.frozensets(st.sampled_from(["trading", "group", "ooo", "al", "bin"])),
    person=st.booleans(),
    strict=st.booleans(),
)
def test_align_is_the_reference(
    q: tuple[str, ...],
    c: tuple[str, ...],
    seed: int,
    generic: frozenset[str],
    person: bool,
    strict: bool,
) -> None:
    weigh = _weigher(seed)
    assert align(q, c, weigh, generic, person, strict) == reference_align(
        q, c, weigh, generic, person, strict
    )


def test_batches_pause_the_collector_and_restore_its_state() -> None:
    import gc

    from stopship.match.engine import _collector_paused

    was = gc.isenabled()
    try:
        gc.enable()
        with _collector_paused():
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()
        with _collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # a caller's choice is kept
        gc.enable()
        try:
            with _collector_paused():
                raise KeyError
        except KeyError:
            pass
        assert gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()


@settings(max_examples=1000, deadline=None)
@given(q=spellings, cs=st.lists(spellings, min_size=1, max_size=5), strict=st.booleans())
def test_similarity_rows_shared_across_names_change_nothing(
    q: tuple[str, ...], cs: list[tuple[str, ...]], strict: bool
) -> None:
    from stopship.match.features import align_core, side_weights, unmatched_factors

    weigh = _weigher(1)
    qw = side_weights(q, weigh, frozenset())
    rows: list[dict[str, float]] = [{} for _ in q]  # one query, many names: filled as met
    for c in cs:
        args = (q, qw, c, side_weights(c, weigh, frozenset()), unmatched_factors(c, False))
        assert align_core(*args, strict, rows) == align_core(*args, strict)


@settings(max_examples=500, deadline=None)
@given(
    postings=st.lists(st.lists(st.integers(0, 30), unique=True), min_size=1, max_size=6),
    sims=st.lists(st.sampled_from([0.0, 0.8, 0.85, 0.9, 0.92, 1.0]), min_size=6, max_size=6),
)
def test_names_of_a_token_keep_the_best_similarity(
    postings: list[list[int]], sims: list[float]
) -> None:
    from stopship.index.tokens import TokenIndex

    idx = TokenIndex()
    idx.postings = [sorted(p) for p in postings]
    matches = [(tid, sims[tid]) for tid in range(len(postings))]
    expected: dict[int, float] = {}  # the loop it replaces
    for tid, s in matches:
        for nid in idx.postings[tid]:
            if s > expected.get(nid, 0.0):
                expected[nid] = s
    assert idx._names_of(matches) == expected
    assert idx._names_of(matches[::-1]) == expected


_SKELETONS = ["mhmd", "rz", "hsn", "ali", "k", "slr", "slrk", "lh", "krm", "lhkrm", "zz"]
_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "match" / "entities.json"


@cache
def _fixture_matcher() -> Matcher:
    """One matcher over the fixture entities, built once for a test's examples."""
    entities = [Entity.model_validate(e) for e in json.loads(_FIXTURE.read_text("utf-8"))]
    return Matcher.build(entities, versions={"test": 1})


@settings(max_examples=500, deadline=None)
@given(
    q=st.lists(st.sampled_from(_SKELETONS), min_size=1, max_size=4).map(tuple),
    c=st.lists(st.sampled_from(_SKELETONS), min_size=1, max_size=4).map(tuple),
    person=st.booleans(),
    generic=st.frozensets(st.sampled_from(["grb", "slr", "zz"]), max_size=2),
)
def test_skeleton_align_is_align(
    q: tuple[str, ...], c: tuple[str, ...], person: bool, generic: frozenset[str]
) -> None:
    """The matcher's skeleton alignment (weights remembered per skeleton) is ``align``
    with the index's skeleton weights and the generic words' skeletons, asked twice (the
    second time from the memo)."""
    m = _fixture_matcher()
    want = align(q, c, m.index.skeleton_weight, generic, person, True)
    assert m._skeleton_align(q, c, person, generic) == want
    assert m._skeleton_align(q, c, person, generic) == want
    if not generic:
        assert m._skeleton_align(q, c, person) == want


def reference_compact_joined(a: str, b: str, strict: bool = False) -> float:
    """``features.compact_joined`` as it was before it looked at the first letters first
    (commit 5531f0f), verbatim."""
    from rapidfuzz.distance import Indel

    if strict or len(a) < W.COMPACT_MIN_LEN or len(b) < W.COMPACT_MIN_LEN:
        return 1.0 if a == b and a else 0.0
    s = float(Indel.normalized_similarity(a, b))
    if s < 0.9:
        return 0.0
    return s if a[:2] == b[:2] else 0.0


@settings(max_examples=3000, deadline=None)
@given(
    a=st.text(alphabet="abkm", min_size=0, max_size=14),
    edits=st.lists(st.tuples(st.integers(0, 14), st.sampled_from("abkmx")), max_size=3),
    strict=st.booleans(),
)
def test_compact_joined_is_the_reference(
    a: str, edits: list[tuple[int, str]], strict: bool
) -> None:
    """Joined names a few edits apart (near-identical ones included, whose first letters
    differ or not): the same similarity, bit for bit."""
    from stopship.match.features import compact_joined

    b = a
    for at, ch in edits:
        b = b[:at] + ch + b[at + 1 :]
    assert repr(compact_joined(a, b, strict)) == repr(reference_compact_joined(a, b, strict))
