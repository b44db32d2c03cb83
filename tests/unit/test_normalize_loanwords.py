"""English spellings of international words transliterated from Russian
(normalize.loanwords), and the readings and matches they give."""

from __future__ import annotations

import pytest

from stopship.match import Matcher, Query
from stopship.match.prepare import prepare_query
from stopship.normalize.glossary import english_readings
from stopship.normalize.loanwords import loanword
from tests.named import named


@pytest.mark.parametrize(
    ("word", "english"),
    [
        ("gidromash", "hydromash"),  # roots: г for h, х for ch
        ("tekhnopark", "technopark"),
        ("nanoelektronika", "nanoelectronics"),  # the Latin "c" of "electr"
        ("elektrotekhnika", "electrotechnics"),
        ("elektromekhaniki", "electromechanics"),  # and -ика: -ics
        ("evrologistika", "eurologistics"),  # a prefix at the start only
        ("fiztekh", "phystech"),
        ("korporatsii", "korporation"),  # -ция in its cases: -tion
        ("informatsionnykh", "information"),
        ("federalnogo", "federal"),  # -альный: -al, and ци before a vowel: ti
        ("natsionalnyy", "national"),
        ("spetsialnogo", "special"),  # ц before е, и: c
        ("kontsern", "koncern"),
        ("tekhnicheskiy", "technical"),  # -ический: -ical
        ("elektrogeneratornyy", "electrogenerator"),  # -торный: -tor
        ("eksportnykh", "eksport"),  # -тный: -t
        ("energiya", "energy"),  # -гия, -мия: -gy, -my
        ("akademii", "akademy"),
        ("tekh", "tech"),  # a root in a short word
        ("mediagrupp", "mediagroup"),  # "группа" inside a word
        ("nyusfront", "newsfront"),  # English "news" at the start of a word
        ("radiolayn", "radioline"),  # "лайн" line
    ],
)
def test_international_words_get_their_english_spelling(word: str, english: str) -> None:
    assert loanword(word) == english


@pytest.mark.parametrize("word", ["ivanov", "zavod", "gaz", "plant", "nika", "tsar", "petrova"])
def test_other_words_stay_as_written(word: str) -> None:
    # no rule for them; endings need a 4-letter stem and words of 6 letters ("nika")
    assert loanword(word) == word


def test_loanwords_in_english_readings() -> None:
    # beside the glossary's words ("zavod" plant, "tochnoy" precision)
    assert english_readings(("zavod", "tochnoy", "gidroagregatov")) == (
        ("plant", "precision", "hydroagregatov"),
    )
    # without any glossary word, and for one word, which gets no glossary reading
    assert english_readings(("gidromash",)) == (("hydromash",),)
    assert english_readings(("rusgidro",)) == (("rushydro",),)
    assert english_readings(("gaz",)) == ()
    # a given name is no loanword: "Анжелика" is not an "-ика" word
    assert english_readings(("anzhelika",)) == ()
    assert english_readings(("veronika", "petrova")) == ()
    assert ("hydromash",) in prepare_query("АО «Гидромаш»").variants


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(
        [
            named("hm", "JSC HYDROMASH", "organization"),
            named("eul", "Transport Agency Eurologistics", "organization"),
            named("sh", "Special Hydroacoustics Concern", "organization"),
        ],
        versions={"t": 1},
    )


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("Гидромаш", "t:hm"),
        ("ТРАНСПОРТНОЕ АГЕНТСТВО ЕВРОЛОГИСТИКА", "t:eul"),
        ("АО «Концерн специальной гидроакустики»", "t:sh"),
    ],
)
def test_a_cyrillic_name_alerts_on_its_english_spelling(
    matcher: Matcher, name: str, entity_id: str
) -> None:
    r = matcher.match(Query(name=name))
    assert r.hits and r.hits[0].entity_id == entity_id, r.hits[:2]
    assert r.hits[0].alert, r.hits[:1]


def test_a_shared_loanword_alone_does_not_alert(matcher: Matcher) -> None:
    # "корпорация" is "corporation" in both, the names differ
    r = matcher.match(Query(name="ООО «Радиотехническая корпорация Восток»"))
    assert not r.alert, r.hits[:2]
