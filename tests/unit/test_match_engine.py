"""The matcher over a dozen fictional entities: what alerts, what does not, what a hit
explains, bad input, and the persisted index."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from stopship.match import Matcher, Query, QueryResult
from stopship.match.engine import MAX_SCORED_NAMES, MatchIndex
from stopship.match.prepare import prepare_query
from stopship.match.weights import ALERT_THRESHOLD
from stopship.model import Entity, EntityKind, Name
from stopship.store import Store
from stopship.update import update
from tests.named import named

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ENTITIES = FIXTURES / "match" / "entities.json"
UN_FIXTURE = FIXTURES / "un" / "consolidated.xml"


def load_entities() -> list[Entity]:
    return [Entity.model_validate(e) for e in json.loads(ENTITIES.read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(load_entities(), versions={"test": 7})


def match(m: Matcher, name: str, **kw: Any) -> QueryResult:
    threshold = kw.pop("threshold", None)
    limit = kw.pop("limit", 10)
    return m.match(Query(name=name, **kw), threshold=threshold, limit=limit)


def top(r: QueryResult) -> tuple[str, float, bool]:
    assert r.error is None, r.error
    assert r.hits, f"no hits for {r.query.name!r}"
    h = r.hits[0]
    return h.entity_id, h.score, h.alert


def score_of(r: QueryResult, entity_id: str) -> float:
    return next((h.score for h in r.hits if h.entity_id == entity_id), 0.0)


def alerts_on(r: QueryResult, entity_id: str) -> bool:
    return any(h.alert and h.entity_id == entity_id for h in r.hits)


# ---------------------------------------------------------------------- what alerts


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("Arkadiy Semyonovich VELIKANOV", "test:p1"),
        ("Mirzokhuja Kholmatovich DUSTNAZAROV", "test:p2"),
        ("Liesel BRANDAUER-KOVACEVIC", "test:p3"),
        ("Zinaida Ivanovna KOROSTELEVA", "test:p4"),
        ("OOO KRASNOVERKH INVEST", "test:c1"),
        ("ООО «Красноверх Инвест»", "test:c1"),
        ("JSC SEVERTRANSLOGISTIKA", "test:c2"),
        ("АО «Севертранслогистика»", "test:c2"),
        ("ALABUGA TRADING LLC", "test:c3"),
        ("GLOBAL TRADING LLC", "test:c4"),
        ("ZEPHYRINE MARITIME HOLDINGS LIMITED", "test:c6"),
        ("OCEAN PEARLESCENT", "test:v1"),
        ("TORVALDSEN QUANTUM DYNAMICS GMBH", "test:c7"),
    ],
)
def test_exact_list_name_alerts_high(matcher: Matcher, name: str, entity_id: str) -> None:
    eid, score, alert = top(match(matcher, name))
    assert eid == entity_id
    assert alert and score >= 0.95


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("Великанов Аркадий Семёнович", "test:p1"),
        ("Великанов Аркадий", "test:p1"),
        ("Коростелева Зинаида", "test:p4"),
        ("Красноверх Инвест", "test:c1"),
        ("Севертранслогистика", "test:c2"),
        ("ВЕЛИКАНОВ АРКАДИЙ СЕМЕНОВИЧ", "test:p1"),  # upper case, ё written е
    ],
)
def test_cyrillic_query_alerts_on_latin_entity(matcher: Matcher, name: str, entity_id: str) -> None:
    r = match(matcher, name)
    assert top(r)[0] == entity_id and top(r)[2], r.hits[:1]


def test_cyrillic_query_against_latin_only_names() -> None:
    """The transliteration itself, not the listed original-script name, makes the match."""
    latin_only = [
        e.model_copy(update={"names": tuple(n for n in e.names if n.script != "Cyrl")})
        for e in load_entities()
    ]
    m = Matcher.build(latin_only)
    for name, entity_id in [
        ("Великанов Аркадий Семёнович", "test:p1"),
        ("Коростелева Зинаида Ивановна", "test:p4"),
        ("ООО Красноверх Инвест", "test:c1"),
        ("Севертранслогистика", "test:c2"),
    ]:
        eid, _score, alert = top(match(m, name))
        assert eid == entity_id and alert, name


def test_cyrillic_spelling_of_a_western_name_alerts(matcher: Matcher) -> None:
    # "zefirin maritaym kholdings" is too far by edit distance from "zephyrine maritime
    # holdings"; the phonetic keys (ph/f, y/i, final e, kh/h) bring them together
    eid, _score, alert = top(match(matcher, "Зефирин Маритайм Холдингс"))
    assert eid == "test:c6" and alert


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("Arkadiy Semyonovich Velikonov", "test:p1"),  # a -> o
        ("Mirzokhuja Kholmatovich Dustnazarow", "test:p2"),  # v -> w
        ("Krasnoverh Invest", "test:c1"),  # dropped letter
        ("Severtranslogistkia", "test:c2"),  # transposition
        ("Zephyrine Maritim Holdings", "test:c6"),
        ("Ocean Perlescent", "test:v1"),
    ],
)
def test_one_letter_typo_in_a_long_token_alerts(
    matcher: Matcher, name: str, entity_id: str
) -> None:
    eid, _score, alert = top(match(matcher, name))
    assert eid == entity_id and alert


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("VELIKANOV Arkadiy Semyonovich", "test:p1"),
        ("Velikanov Arkadiy", "test:p1"),
        ("Dustnazarov Mirzokhuja", "test:p2"),
        ("Kovacevic Brandauer Liesel", "test:p3"),
        ("Invest Krasnoverkh", "test:c1"),
        ("Pearlescent Ocean", "test:v1"),
    ],
)
def test_token_order_swapped_alerts(matcher: Matcher, name: str, entity_id: str) -> None:
    eid, _score, alert = top(match(matcher, name))
    assert eid == entity_id and alert


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("Krasnoverkh Invest", "test:c1"),  # dropped OOO / LLC
        ("Krasnoverkh Invest Limited Liability Company", "test:c1"),
        ("Severtranslogistika", "test:c2"),  # dropped JSC
        ("Severtranslogistika LLC", "test:c2"),  # JSC listed, LLC queried
        ("PAO Severtranslogistika", "test:c2"),
        ("Torvaldsen Quantum Dynamics", "test:c7"),  # dropped GmbH
        ("Torvaldsen Quantum Dynamics AG", "test:c7"),
        ("Zephyrine Maritime Holdings Ltd", "test:c6"),
        ("Ocean Pearlescent Shipping Co", "test:v1"),  # added generic + legal form
    ],
)
def test_dropped_or_added_legal_form_still_alerts(
    matcher: Matcher, name: str, entity_id: str
) -> None:
    eid, _score, alert = top(match(matcher, name))
    assert eid == entity_id and alert


def test_legal_form_agreement_scores_at_least_as_high_as_a_conflict(matcher: Matcher) -> None:
    same = score_of(match(matcher, "JSC Severtranslogistika"), "test:c2")
    other = score_of(match(matcher, "LLC Severtranslogistika"), "test:c2")
    assert same >= 0.95 and other < same


# ---------------------------------------------------------------------- what does not alert


@pytest.mark.parametrize(
    "name",
    ["Trading LLC", "Trading", "LLC", "General Trading Company", "Group International Ltd"],
)
def test_common_words_alone_do_not_alert_on_alabuga(matcher: Matcher, name: str) -> None:
    r = match(matcher, name)
    assert r.error is None
    assert not alerts_on(r, "test:c3"), r.hits


def test_common_words_plus_an_unlisted_name_do_not_alert(matcher: Matcher) -> None:
    for name in ["Acme Trading LLC", "Bravado Global Trading", "Nordlicht International Group"]:
        r = match(matcher, name)
        assert not r.alert, (name, [(h.entity_id, h.score) for h in r.hits])


@pytest.mark.parametrize(
    "name",
    [
        "Pyotr Velikanov",
        "Pyotr Ivanovich Velikanov",
        "Olga Velikanova",
        "Timur Dustnazarov",
        "Nikolai Petrovich Korostelev",
    ],
)
def test_other_person_with_the_same_surname_does_not_alert(matcher: Matcher, name: str) -> None:
    r = match(matcher, name)
    assert r.error is None and not r.alert, [(h.entity_id, h.score) for h in r.hits]


@pytest.mark.parametrize("name", ["John Smith", "Maria Garcia Lopez", "Acme Widgets GmbH"])
def test_unrelated_names_do_not_alert(matcher: Matcher, name: str) -> None:
    r = match(matcher, name)
    assert r.error is None and not r.alert


# ---------------------------------------------------------------------- secondary facts


def test_kind_mismatch_lowers_the_score(matcher: Matcher) -> None:
    for name, entity_id, wrong, right in [
        ("Ocean Pearlescent", "test:v1", EntityKind.PERSON, EntityKind.VESSEL),
        ("Arkadiy Velikanow", "test:p1", EntityKind.ORGANIZATION, EntityKind.PERSON),
        ("Krasnoverkh Invest", "test:c1", EntityKind.VESSEL, EntityKind.ORGANIZATION),
    ]:
        plain = score_of(match(matcher, name), entity_id)
        assert score_of(match(matcher, name, kind=wrong), entity_id) < plain
        assert score_of(match(matcher, name, kind=right), entity_id) >= plain
    r = match(matcher, "Arkadiy Velikanow", kind=EntityKind.ORGANIZATION)
    kind = next(f for f in r.hits[0].explanation.features if f.name == "kind")
    assert kind.value == 0.0 and kind.contribution < 0


def test_birth_date_mismatch_lowers_and_match_raises_the_score(matcher: Matcher) -> None:
    name = "Arkadiy Velikanow"
    plain = score_of(match(matcher, name), "test:p1")
    assert score_of(match(matcher, name, birth_date="1990-01-01"), "test:p1") < plain
    assert score_of(match(matcher, name, birth_date="1990"), "test:p1") < plain
    assert score_of(match(matcher, name, birth_date="1968-04-12"), "test:p1") > plain
    assert score_of(match(matcher, name, birth_date="1968-04"), "test:p1") > plain
    assert score_of(match(matcher, name, birth_date="1968"), "test:p1") > plain
    # a year-precise listing: any date in that year agrees
    n2 = "Mirzo Dustnazarow"
    assert score_of(match(matcher, n2, birth_date="1975-06-30"), "test:p2") > score_of(
        match(matcher, n2), "test:p2"
    )


def test_country_disagreement_lowers_the_score(matcher: Matcher) -> None:
    name = "Arkadiy Velikanow"
    plain = score_of(match(matcher, name), "test:p1")
    assert score_of(match(matcher, name, country="US"), "test:p1") < plain
    assert score_of(match(matcher, name, country="RU"), "test:p1") > plain
    assert score_of(match(matcher, name, country="Russia"), "test:p1") > plain


def test_country_code_uk_means_gb() -> None:
    e = Entity(
        id="test:gb1",
        source="test",
        record_id="gb1",
        kind=EntityKind.ORGANIZATION,
        names=(load_entities()[9].names[0],),
        countries=("GB",),
    )
    m = Matcher.build([e])
    name = "Zephyrine Maritime Holdings"
    assert score_of(match(m, name, country="UK"), "test:gb1") == score_of(
        match(m, name, country="GB"), "test:gb1"
    )


def test_bad_country_is_a_per_query_error(matcher: Matcher) -> None:
    results = matcher.match_batch(
        [Query(name="Ocean Pearlescent"), Query(name="Ocean Pearlescent", country="Narnia")]
    )
    assert results[0].alert
    assert results[1].error and "Narnia" in results[1].error


def test_identifier_match_alerts_with_a_different_name(matcher: Matcher) -> None:
    for ident in ["9187629", "IMO 9187629", "imo9187629"]:
        r = match(matcher, "Blue Horizon", id=ident)
        h = r.hits[0]
        assert h.entity_id == "test:v1" and h.alert, ident
        ident_feature = next(f for f in h.explanation.features if f.name == "identifier")
        assert ident_feature.value == 1.0 and ident_feature.contribution > 0
    # without the identifier the name alone finds nothing
    assert not match(matcher, "Blue Horizon").alert
    # an INN works the same way
    r = match(matcher, "Some Other Name", id="7701999123")
    assert r.hits[0].entity_id == "test:c1" and r.hits[0].alert
    # an unknown identifier adds nothing
    assert not match(matcher, "Blue Horizon", id="IMO 1234567").alert


# ---------------------------------------------------------------------- explanation & options


def test_explanation_aligns_tokens_and_names_features(matcher: Matcher) -> None:
    r = match(matcher, "Великанов Аркадий", kind=EntityKind.PERSON, birth_date="1968")
    h = r.hits[0]
    assert h.entity_id == "test:p1" and h.source == "test" and h.kind == "person"
    assert h.caption == "Arkadiy Semyonovich VELIKANOV"
    assert h.matched_name in {n.value for n in load_entities()[0].names}
    ex = h.explanation
    assert ex.query_name == "Великанов Аркадий"
    pairs = {p.query: p.list for p in ex.token_pairs}
    assert pairs["velikanov"] == "velikanov"
    # one of the given name's spellings (arkadiy, arkadii: spellings that tie may win)
    arkad = next(q for q in pairs if q.startswith("arkad"))
    assert pairs[arkad] is not None and pairs[arkad].startswith("arkad")
    assert all(0 < p.similarity <= 1 and p.weight > 0 for p in ex.token_pairs)
    assert set(pairs.values()) <= set(ex.list_tokens)
    assert set(pairs) == set(ex.query_tokens)
    names = {f.name: f for f in ex.features}
    assert {"name.token_alignment", "name.compact_similarity", "birth_date"} <= set(names)
    bd = names["birth_date"]
    assert bd.value == 1.0 and bd.weight > 0 and bd.contribution > 0
    for f in ex.features:
        assert 0.0 <= f.value <= 1.0
        assert isinstance(f.weight, float) and isinstance(f.contribution, float)
    # a query token without a partner is shown unmatched
    r = match(matcher, "Arkadiy Zebulon Velikanov")
    unmatched = [p for p in r.hits[0].explanation.token_pairs if p.list is None]
    assert [p.query for p in unmatched] == ["zebulon"]
    # the hit serialises as plain JSON data
    data = json.loads(r.model_dump_json())
    assert data["hits"][0]["explanation"]["token_pairs"]


#: near-identical names, so one query has several hits of different scores
FAMILY = ["Orlanda Vexmoor", "Orlando Vexmoor", "Orlanda Vexmore", "Orlanda Quintessa Vexmoor"]


@pytest.fixture(scope="module")
def family() -> Matcher:
    return Matcher.build(
        Entity(
            id=f"fam:{i}",
            source="fam",
            record_id=str(i),
            kind=EntityKind.PERSON,
            names=(Name(value=n),),
        )
        for i, n in enumerate([*FAMILY, "Boris Petrov"])
    )


def test_hits_are_sorted_by_score(family: Matcher, matcher: Matcher) -> None:
    r = match(family, "Orlanda Vexmoor", threshold=0.5)
    assert len(r.hits) >= 3
    assert r.hits[0].entity_id == "fam:0" and r.hits[0].score >= 0.95
    scores = [h.score for h in r.hits]
    assert scores == sorted(scores, reverse=True)
    assert "fam:4" not in {h.entity_id for h in r.hits}
    for name in ["Velikanov", "Trading LLC", "International Trading Group", "Korosteleva"]:
        scores = [h.score for h in match(matcher, name, threshold=0.5).hits]
        assert scores == sorted(scores, reverse=True), name


def test_limit_and_threshold(family: Matcher, matcher: Matcher) -> None:
    full = match(family, "Orlanda Vexmoor", threshold=0.5)
    assert len(full.hits) >= 3
    assert all(h.alert == (h.score >= 0.5) for h in full.hits)
    for limit in (1, 2):
        r = match(family, "Orlanda Vexmoor", threshold=0.5, limit=limit)
        assert [h.entity_id for h in r.hits] == [h.entity_id for h in full.hits[:limit]]
    # a threshold between the best and the second score alerts only on the best
    cut = (full.hits[0].score + full.hits[1].score) / 2
    r = match(family, "Orlanda Vexmoor", threshold=cut)
    assert [h.alert for h in r.hits[:2]] == [True, False]
    # the default threshold
    d = match(family, "Orlanda Vexmoor")
    assert all(h.alert == (h.score >= ALERT_THRESHOLD) for h in d.hits)
    # a strict threshold turns an alert off but keeps the hit
    strict = match(matcher, "Arkadiy Velikanow", threshold=0.99)
    assert strict.hits and strict.hits[0].entity_id == "test:p1" and not strict.alert
    # a matcher made with another default threshold uses it
    low_score = full.hits[-1].score
    lenient = Matcher(family.index, threshold=low_score)
    assert all(h.alert for h in lenient.match(Query(name="Orlanda Vexmoor")).hits)


def test_list_versions_echo_the_build(matcher: Matcher) -> None:
    assert match(matcher, "Ocean Pearlescent").list_versions == {"test": 7}
    assert match(matcher, "").list_versions == {"test": 7}
    assert Matcher.build(load_entities()).match(Query(name="x y")).list_versions == {}


def test_batch_keeps_order_and_matches_single(matcher: Matcher) -> None:
    names = ["Ocean Pearlescent", "", "John Smith", "Красноверх Инвест"] * 100
    results = matcher.match_batch([Query(name=n, ref=str(i)) for i, n in enumerate(names)])
    assert [r.query.ref for r in results] == [str(i) for i in range(len(names))]
    for r in results[:4]:
        single = matcher.match(r.query)
        assert [(h.entity_id, h.score) for h in r.hits] == [
            (h.entity_id, h.score) for h in single.hits
        ]
        assert r.error == single.error


# ---------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "\t\n ",
        "x" * 10_000,
        "Ivan " * 2_000,
        "\x00\x01\x02",
        "\x1b[31m",
        "\u200b\u200c\u200d",
        "\ud800",
        "Ivan\ud800 Petrov",
        "Arkadiy \udcff Velikanov",
        "ᏣᎳᎩ",
        "ᏣᎳᎩ ᎠᏂᏴᏫᏯ",
        "!!!---...",
        "\U0001f600\U0001f600",
    ],
    ids=[
        "empty",
        "spaces",
        "whitespace",
        "10000-chars",
        "10000-chars-tokens",
        "control-only",
        "escape-sequence",
        "zero-width-only",
        "lone-surrogate",
        "surrogate-inside",
        "surrogateescape-byte",
        "cherokee",
        "cherokee-two-words",
        "punctuation-only",
        "emoji-only",
    ],
)
def test_bad_input_is_reported_never_raised(matcher: Matcher, name: str) -> None:
    r = match(matcher, name)
    assert r.error or r.warnings, "a bad name must give an error or a warning"
    if r.error:
        assert r.hits == [] and r.normalized == []
    assert r.query.name == name


def test_bad_input_errors_name_the_problem(matcher: Matcher) -> None:
    assert "empty" in (match(matcher, "").error or "")
    assert "empty" in (match(matcher, "   ").error or "")
    long = match(matcher, "x" * 10_000).error or ""
    assert "10000" in long.replace(",", "") and "1000" in long
    assert match(matcher, "\x00\x01").error
    fallback = match(matcher, "ᏣᎳᎩ")
    assert fallback.error is None
    assert any("transliteration" in w for w in fallback.warnings)
    surrogate = match(matcher, "Arkadiy\ud800 Velikanov")
    assert any("surrogate" in w for w in surrogate.warnings)


def test_surrogate_inside_a_listed_name_still_matches(matcher: Matcher) -> None:
    r = match(matcher, "Arkadiy\ud800 Velikanov")
    assert r.hits and r.hits[0].entity_id == "test:p1" and r.alert


def test_bad_input_in_a_batch_does_not_spoil_the_others(matcher: Matcher) -> None:
    queries = [Query(name=n) for n in ["", "Ocean Pearlescent", "x" * 10_000, "ᏣᎳᎩ", "\x01"]]
    results = matcher.match_batch(queries)
    assert [bool(r.error) for r in results] == [True, False, True, False, True]
    assert results[1].alert and results[1].hits[0].entity_id == "test:v1"
    assert results[3].warnings


def test_untransliterated_script_matches_itself() -> None:
    """A name in a script without transliteration is compared as written."""
    e = Entity(
        id="test:chr",
        source="test",
        record_id="chr",
        kind=EntityKind.PERSON,
        names=(load_entities()[0].names[0].model_copy(update={"value": "ᏌᏊ ᎠᏂᏴᏫᏯᎢ"}),),
    )
    m = Matcher.build([*load_entities(), e])
    r = m.match(Query(name="ᏌᏊ ᎠᏂᏴᏫᏯᎢ"))
    assert r.warnings and r.hits and r.hits[0].entity_id == "test:chr" and r.alert


# ---------------------------------------------------------------------- persisted index


def _load_un(store: Store, tmp_path: Path, mutate: bool = False) -> None:
    d = tmp_path / "lists" / "un"
    d.mkdir(parents=True, exist_ok=True)
    text = UN_FIXTURE.read_text(encoding="utf-8")
    if mutate:
        text = text.replace("<FIRST_NAME>PAK</FIRST_NAME>", "<FIRST_NAME>PARK</FIRST_NAME>")
    (d / "consolidated.xml").write_text(text, encoding="utf-8")
    (res,) = update(store, ["un"], from_dir=d.parent, explicit=True)
    assert res.ok, res.error


def test_index_is_persisted_reused_and_rebuilt_after_update(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store()
    _load_un(store, tmp_path)
    first = Matcher.from_store(store)
    files = sorted((home / "index").glob("index-*.pkl"))
    assert len(files) == 1
    assert first.index.versions and set(first.index.versions) == {"un"}
    assert first.match(Query(name="Zoran Quillan")).alert

    built = MatchIndex.build

    def no_build(*a: Any, **kw: Any) -> MatchIndex:
        raise AssertionError("the persisted index should have been loaded")

    monkeypatch.setattr(MatchIndex, "build", no_build)
    second = Matcher.from_store(Store())
    assert second.index.versions == first.index.versions
    r = second.match(Query(name="Zoran Quillan"))
    assert r.alert and r.list_versions == first.index.versions

    # a new list version: the old index does not fit any more and is rebuilt
    _load_un(store, tmp_path, mutate=True)
    with pytest.raises(AssertionError, match="persisted index"):
        Matcher.from_store(Store())
    monkeypatch.setattr(MatchIndex, "build", built)
    third = Matcher.from_store(Store())
    assert third.index.versions != first.index.versions
    assert third.index.versions["un"] > first.index.versions["un"]
    assert third.match(Query(name="Park Song Test")).hits
    files_after = sorted((home / "index").glob("index-*.pkl"))
    assert len(files_after) == 1 and files_after != files


def test_rebuild_flag_and_no_lists(home: Path, tmp_path: Path) -> None:
    from stopship.errors import NoListsLoadedError

    with pytest.raises(NoListsLoadedError):
        Matcher.from_store(Store())
    store = Store()
    _load_un(store, tmp_path)
    Matcher.from_store(store)
    (path,) = (home / "index").glob("index-*.pkl")
    before = path.stat().st_mtime_ns
    again = Matcher.from_store(store, rebuild=True)
    assert again.match(Query(name="Zoran Quillan")).alert
    (path2,) = (home / "index").glob("index-*.pkl")
    assert path2 == path and path2.stat().st_mtime_ns >= before


def test_a_damaged_index_file_is_rebuilt(home: Path, tmp_path: Path) -> None:
    store = Store()
    _load_un(store, tmp_path)
    Matcher.from_store(store)
    (path,) = (home / "index").glob("index-*.pkl")
    path.write_bytes(b"not a pickle")
    m = Matcher.from_store(Store())
    assert m.match(Query(name="Zoran Quillan")).alert


# ---------------------------------------------------------------------- restricted to a delta


def test_only_restricts_hits_to_the_given_entities_with_unchanged_scores() -> None:
    def org(rid: str, name: str) -> Entity:
        return Entity.model_validate(
            {
                "id": f"d:{rid}",
                "source": "d",
                "record_id": rid,
                "kind": "organization",
                "names": [{"value": name, "type": "primary"}],
            }
        )

    m = Matcher.build(
        [org("a", "ALABUGA TRADING LLC"), org("b", "ALABUGA TRADING GROUP"), org("c", "NORD")],
        versions={"d": 1},
    )
    full = m.match(Query(name="Alabuga Trading"), threshold=0.0)
    assert {h.entity_id for h in full.hits} == {"d:a", "d:b"}
    restricted = m.match(Query(name="Alabuga Trading"), threshold=0.0, only={"d:b", "d:gone"})
    assert [h.entity_id for h in restricted.hits] == ["d:b"]
    assert restricted.hits[0].score == score_of(full, "d:b")
    none = m.match(Query(name="Alabuga Trading"), only=set())
    assert none.hits == [] and none.error is None


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("ООО ‘Логекс’", "Logex"),  # logeks / logex: two edits, one sound
        ("Общество с ограниченной ответственностью ‘ТРИМИКС’", "LLC TRIMIX"),
        ("Гринекс", "Grinex"),
    ],
)
def test_a_cyrillic_spelling_of_a_latin_name_that_sounds_the_same_alerts(
    query: str, listed: str
) -> None:
    e = Entity(
        id="test:ph1",
        source="test",
        record_id="ph1",
        kind=EntityKind.ORGANIZATION,
        names=(Name(value=listed),),
    )
    m = Matcher.build([*load_entities(), e])
    assert alerts_on(match(m, query), "test:ph1")


def test_many_spellings_of_one_entry_do_not_crowd_out_another_lists_entry() -> None:
    # one entry lists the name under many legal forms; every spelling ties on retrieval,
    # and the other list's entry for the same bank must still be scored and alert
    forms = ["PJSC", "OAO", "PAO", "JSC", "OJSC", "AO", "ZAO", "CJSC", "LLC", "OOO", "Ltd"]
    spellings = [f"VTB BANK {f}" for f in forms] + [f"{f} VTB BANK" for f in forms]
    many = Entity.model_validate(
        {
            "id": "a:1",
            "source": "a",
            "record_id": "1",
            "kind": "organization",
            "names": [{"value": v, "type": "strong_alias"} for v in spellings],
        }
    )
    other = Entity.model_validate(
        {
            "id": "b:1",
            "source": "b",
            "record_id": "1",
            "kind": "organization",
            "names": [{"value": "VTB BANK (PUBLIC JOINT-STOCK COMPANY)", "type": "primary"}],
        }
    )
    assert len(spellings) > MAX_SCORED_NAMES
    m = Matcher.build([many, other])
    for name in ("Банк ВТБ", "VTB Bank"):
        hits = {h.entity_id: h for h in m.match(Query(name=name), limit=10).hits}
        assert set(hits) == {"a:1", "b:1"}, name
        assert hits["b:1"].alert, name


def test_function_words_weigh_little_matched_or_not() -> None:
    from stopship.match.features import align

    def coverage(q: str, c: str) -> tuple[float, float]:
        a = align(tuple(q.split()), tuple(c.split()), lambda t: 1.0, frozenset(), False)
        return a.query_coverage, a.list_coverage

    # "of the" names nothing: the list name's other words are nearly all of it
    _, list_cov = coverage("plant victory", "plant of the victory")
    assert list_cov > 0.9
    assert coverage("plant of victory", "plant victory")[0] > 0.95
    # a short word that is no function word still counts as an unmatched acronym does
    assert coverage("plant victory", "plant ooo ttt victory")[1] < 0.75


def test_a_query_in_another_script_retrieves_names_sharing_less_of_its_words() -> None:
    # "СПГ" is "LNG": retrieval sees "gazprom" and "technologies" only, 0.44 of the query
    # by rarity, and the scorer the whole name; a Latin query still needs half
    listed = ["Gazprom LNG Technologies", "SPG Avto", "Alpha Technologies", "Beta Technologies"]
    listed += [f"Gazprom {w}" for w in ("Neft", "Export", "Invest", "Bank")]
    m = Matcher.build([named(str(i), n, "organization") for i, n in enumerate(listed)])
    found = m.index.candidates(prepare_query("ООО Газпром СПГ Технологии"), 0.0)
    idx = m.index
    share = next(v for n, v in found.items() if idx.entities[idx.names[n].entity].id == "t:0")
    assert 0.4 <= share < 0.5
    hits = m.match(Query(name="ООО Газпром СПГ Технологии")).hits
    assert hits and hits[0].entity_id == "t:0" and hits[0].alert, hits


def test_a_reading_mixed_word_by_word_from_the_arabic_and_persian_ones() -> None:
    # "رضا" is "Reza" the Persian way, "نقدی" "Naqdi" the Arabic way ("Naghdi" the Persian)
    listed = ["Mohammad Reza NAQDI", "Mohammad Reza GHASEMI", "Ali Reza ZAKANI"]
    m = Matcher.build([named(str(i), n) for i, n in enumerate(listed)])
    hits = m.match(Query(name="محمد رضا نقدی")).hits
    assert hits and hits[0].entity_id == "t:0" and hits[0].alert, hits
    skeleton = next(f for f in hits[0].explanation.features if f.name == "name.consonant_skeleton")
    assert skeleton.detail["query"] == "mhmd rz nkd"


def test_a_shared_long_phrase_does_not_carry_two_names_through_compact_similarity() -> None:
    from stopship.match.engine import _compact_beyond_shared

    phrase = ("scientific", "and", "production", "association")
    assert _compact_beyond_shared((*phrase, "polyakov"), (*phrase, "splav"), 0.938, False) == 0
    # one name spelled two ways, an acronym more, words split: the compact value stands
    assert _compact_beyond_shared(("yury", "fyodorov"), ("yury", "fedorov"), 0.95, False) == 0.95
    assert _compact_beyond_shared((*phrase, "quant"), (*phrase, "kvant"), 0.94, False) == 0.94
    assert _compact_beyond_shared(("center", "cge"), ("center", "for"), 0.9, False) == 0.9
    assert (
        _compact_beyond_shared(("sevmash", "plant"), ("sev", "mash", "plant"), 0.96, False) == 0.96
    )
    from tests.named import named

    m = Matcher.build(
        [
            named("kvant", "JSC Research and Production Association Kvant", "organization"),
            named("alabuga", "Alabuga Industrial Zone", "organization"),
        ]
    )
    assert not m.match(Query(name="Research and Production Association Ivanov")).alert
    assert m.match(Query(name="Research and Production Association Kvant")).alert
    assert m.match(Query(name="A L A B U G A Industrial Zone")).alert
