"""Property: obfuscating a list name (invisible characters, Cyrillic look-alike letters,
random case) never lowers its top hit below the alert threshold."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stopship.match import Matcher, Query
from stopship.model import Entity

ENTITIES = Path(__file__).resolve().parents[1] / "fixtures" / "match" / "entities.json"

#: Latin letter -> Cyrillic look-alike (lower and upper case)
LOOKALIKES = {
    "a": "а",
    "e": "е",
    "o": "о",
    "p": "р",
    "c": "с",
    "x": "х",
    "y": "у",
    "A": "А",
    "E": "Е",
    "O": "О",
    "P": "Р",
    "C": "С",
    "X": "Х",
    "Y": "У",
}
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad"]


def _entities() -> list[Entity]:
    return [Entity.model_validate(e) for e in json.loads(ENTITIES.read_text(encoding="utf-8"))]


MATCHER = Matcher.build(_entities())

#: (list name, entity id): Latin names of at least two tokens
TARGETS = sorted(
    (n.value, e.id)
    for e in _entities()
    for n in e.names
    if n.script == "Latn" and len(n.value.split()) >= 2
)


@st.composite
def obfuscated(draw: st.DrawFn) -> tuple[str, str, str]:
    name, entity_id = draw(st.sampled_from(TARGETS))
    chars = list(name)
    # random case per letter
    flips = draw(st.lists(st.booleans(), min_size=len(chars), max_size=len(chars)))
    chars = [c.swapcase() if f else c for c, f in zip(chars, flips, strict=True)]
    # some Latin letters replaced by Cyrillic look-alikes
    swaps = draw(st.lists(st.booleans(), min_size=len(chars), max_size=len(chars)))
    chars = [LOOKALIKES.get(c, c) if s else c for c, s in zip(chars, swaps, strict=True)]
    # invisible characters at random positions
    inserts = draw(
        st.lists(st.tuples(st.integers(0, len(chars)), st.sampled_from(INVISIBLE)), max_size=8)
    )
    for pos, ch in sorted(inserts, reverse=True):
        chars.insert(pos, ch)
    return name, entity_id, "".join(chars)


def _assert_top_alert(original: str, entity_id: str, query: str) -> None:
    r = MATCHER.match(Query(name=query))
    assert r.error is None, (original, query, r.error)
    assert r.hits, (original, query, "no hits")
    best = r.hits[0].score
    tops = [h for h in r.hits if h.score == best]
    expected = [h for h in tops if h.entity_id == entity_id]
    assert expected, (original, query, [(h.entity_id, h.score) for h in r.hits[:3]])
    assert expected[0].alert, (original, query, best)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(obfuscated())
def test_obfuscated_list_name_still_alerts_on_its_entity(case: tuple[str, str, str]) -> None:
    original, entity_id, query = case
    _assert_top_alert(original, entity_id, query)


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("ОСЕАN РЕАRLЕSСЕNТ", "test:v1"),  # every look-alike capital is Cyrillic
        ("осеаn реаrlеsсеnt", "test:v1"),
        (
            "O\u200bC\u200bE\u200bA\u200bN P\u200bE\u200bA\u200bR\u200bL\u200bE\u200bSCENT",
            "test:v1",
        ),
        ("Zеphуrinе Mаritimе Hоldings Limitеd", "test:c6"),
        ("ALA\u00adBUGA TRA\u2060DING LLC", "test:c3"),
        ("gLoBaL tRaDiNg LlC", "test:c4"),
        ("Аrkаdiу Sеmуоnоviсh VЕLIKАNОV", "test:p1"),
    ],
)
def test_known_obfuscations(name: str, entity_id: str) -> None:
    _assert_top_alert(name, entity_id, name)


def test_obfuscation_is_reported() -> None:
    r = MATCHER.match(Query(name="Осеаn Pearl\u200bescent"))
    assert any("obfuscation" in w for w in r.warnings), r.warnings
