"""The matcher's remembered pieces give what computing them afresh gives: skeleton
alignments per pair of skeletons (``Matcher._skeleton_alignment``), joined skeletons'
collapsed doubles, and the kind feature's item in one call."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stopship.match import Matcher, Query, engine
from stopship.match.features import kind_feature
from stopship.normalize.translit import collapse_doubles
from tests.named import named

KINDS = ("person", "organization", "vessel", "aircraft", "unknown")

LISTED = [
    ("Mohammad Reza NAQDI", "person"),
    ("Mohammad Taqi OSANLOO", "person"),
    ("Ehsan IMANINEJAD", "person"),
    ("SALARKIA Mahmoud", "person"),
    ("Islamic Republic of Iran Shipping Lines", "organization"),
    ("SANAYE MOKHABERAT IRAN", "organization"),
    ("Mahmoud SALARI", "person"),
    ("Ali SALEHI", "person"),
]
QUERIES = [
    "محمد رضا نقدی",
    "محمدتقی اسانلو",
    "احسان ایمانی نژاد",
    "محمود سالار کیا",
    "گروه کشتیرانی جمهوری اسلامی ایران",
    "صنايع مخابرات ايران",
    "علی صالحی",
    "محمود سالاری",
]


def _matcher() -> Matcher:
    return Matcher.build(
        [named(str(i), n, kind) for i, (n, kind) in enumerate(LISTED)], versions={"t": 1}
    )


def _dumps(m: Matcher) -> list[str]:
    queries = [Query(name=q) for q in QUERIES]
    return [r.model_dump_json() for r in m.match_batch(queries, threshold=0.0, limit=20)]


def test_remembered_skeleton_alignments_change_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = _dumps(_matcher())
    m = _matcher()
    assert _dumps(m) == fresh
    assert m._skel_aligned  # the skeleton path was taken and remembered
    assert m._query_skel  # ... and per prepared query and name
    assert _dumps(m) == fresh  # from the memos
    # memos started afresh at every result: each alignment computed again
    monkeypatch.setattr(engine, "SKELETON_ALIGNMENT_MEMO", 1)
    monkeypatch.setattr(engine, "QUERY_MEMO", 1)
    small = _matcher()
    assert _dumps(small) == fresh and len(small._skel_aligned) <= 1
    assert _dumps(small) == fresh and len(small._query_skel) <= 1


def test_a_query_remembered_is_that_query_alone() -> None:
    """The per-query memo is keyed by the prepared query's id, and holds the query: a
    different query object (even one equal to it) is not taken for it."""
    from dataclasses import replace

    from stopship.match.prepare import prepare_query

    m = _matcher()
    p = prepare_query(QUERIES[0])
    q = replace(p)  # equal, another object
    ni = 0
    c = m.index.names[ni].prepared
    a = m._skeleton_readings(p, ni, c, True)
    assert m._skeleton_readings(p, ni, c, True) is a
    b = m._skeleton_readings(q, ni, c, True)
    assert b is not a and b.aligned == a.aligned


def test_a_remembered_skeleton_alignment_is_the_one_computed() -> None:
    m = _matcher()
    _dumps(m)
    other = _matcher()
    for (q_skel, c_skel, is_person, q_gen, c_gen), got in list(m._skel_aligned.items()):
        aligner = other._skeleton_align
        al = aligner(q_skel, c_skel, is_person, q_gen, c_gen)
        al = engine._merged_skeleton(q_skel, c_skel, al, aligner, is_person)
        assert got == (engine._joined_skeleton(q_skel, c_skel, al), q_gen | c_gen)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abcdhkmnrstz", max_size=20))
def test_collapsed_joined_is_collapse_doubles(text: str) -> None:
    for _ in range(2):  # the second time remembered
        assert engine._collapsed_joined(text) == collapse_doubles(text)


def test_collapsed_joined_starts_afresh_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "COLLAPSED_MEMO", 2)
    for text in ("mhmmd", "hsn", "rzz", "tt", "mhmmd"):
        assert engine._collapsed_joined(text) == collapse_doubles(text)
    assert len(engine._collapsed_memo) <= 2


@pytest.mark.parametrize("qkind", KINDS)
@pytest.mark.parametrize("ekind", KINDS)
def test_kind_secondary_is_add_secondary_of_kind_feature(qkind: str, ekind: str) -> None:
    out: list[engine._Secondary] = []
    engine._add_secondary(out, "kind", kind_feature(qkind, ekind))
    got = engine._kind_secondary(qkind, ekind)
    assert ([got] if got is not None else []) == out
    if got is not None:
        again = engine._kind_secondary(qkind, ekind)
        assert again is not None and again[4] is not got[4]  # each its own detail
