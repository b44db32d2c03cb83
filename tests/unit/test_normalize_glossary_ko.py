"""The Korean organisation glossary (normalize.glossary_ko): business words and places
read in English, other syllables romanised as one word, legal forms left out."""

from __future__ import annotations

import pytest

from stopship.match import Matcher, Query
from stopship.match.prepare import prepare_query
from stopship.normalize.glossary_ko import korean_readings
from tests.named import named


def test_words_places_and_romanised_runs() -> None:
    # a run outside the glossary is one word, in both spellings the lists use
    assert korean_readings("조선백호무역회사") == (
        ("korea", "baekho", "trading"),
        ("korea", "paekho", "trading"),
    )
    assert korean_readings("영변 원자력 연구소") == (("yongbyon", "nuclear", "research", "centre"),)
    # the longest glossary word wins over its parts
    assert korean_readings("조선민주주의인민공화국 국가해사감독국")[0][0] == "dprk"


def test_no_reading_without_a_glossary_word() -> None:
    assert korean_readings("김정은") == ()  # a person's name
    assert korean_readings("백호") == ()


def test_reading_is_compared_as_words_and_its_generic_words_are_light() -> None:
    p = prepare_query("조선남강무역회사")
    assert ("korea", "namgang", "trading") in p.variants
    assert "trading" in p.generic
    assert not p.strict  # English words: spelling differences count as such


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(
        [
            named("ntc", "Korea Namgang Trading Corporation", "organization"),
            named("paekho", "Korea Paekho Trading Corporation", "organization"),
            named("rocket", "Ministry of Rocket Industry", "organization"),
            named("kim", "KIM Jong Un"),
        ],
        versions={"t": 1},
    )


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("조선남강무역회사", "t:ntc"),
        ("조선백호무역회사", "t:paekho"),
        ("로케트공업부", "t:rocket"),
    ],
)
def test_korean_organisation_alerts_on_its_english_entry(
    matcher: Matcher, name: str, entity_id: str
) -> None:
    r = matcher.match(Query(name=name))
    assert r.hits and r.hits[0].entity_id == entity_id and r.hits[0].alert, r.hits[:2]


def test_shared_business_words_alone_do_not_alert(matcher: Matcher) -> None:
    # another Korean trading company: only "korea" and "trading" are shared
    r = matcher.match(Query(name="조선금강무역회사"))
    assert not r.alert, r.hits[:2]


def test_a_korean_name_mixed_syllable_by_syllable_from_its_romanisations() -> None:
    # "최" is "choe" in one romanisation, "천" "chun" in another: the list mixes them
    listed = ["CHOE Chun-Sik", "CHOI Chun Ho", "PAK Chun-San"]
    m = Matcher.build([named(str(i), n) for i, n in enumerate(listed)])
    hit = m.match(Query(name="최천식")).hits[0]
    assert hit.entity_id == "t:0" and hit.alert and hit.score == 1.0, hit.explanation
    assert hit.explanation.query_tokens == ["choe", "chun", "sik"]
