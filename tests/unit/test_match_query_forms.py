"""Queries that write several names in one, and English readings of Cyrillic
organisation names: both give the matcher extra spellings, never fewer."""

from __future__ import annotations

import pytest

from stopship.match import Matcher, Query
from stopship.match.prepare import alternative_names, prepare, prepare_query
from stopship.model import Entity
from stopship.normalize.glossary import english_readings, stem_key


def _org(rid: str, *names: str, kind: str = "organization") -> Entity:
    return Entity.model_validate(
        {
            "id": f"t:{rid}",
            "source": "t",
            "record_id": rid,
            "kind": kind,
            "names": [
                {"value": n, "type": "primary" if i == 0 else "strong_alias"}
                for i, n in enumerate(names)
            ],
        }
    )


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(
        [
            _org("baz", "Bryansk Automobile Plant, JSC"),
            _org("zaliv", "Zaliv Shipyard"),
            _org("rubin", "Central Design Bureau for Marine Engineering Rubin"),
            _org("foton", "OOO Foton PRO"),
            _org("pavlenko", "Vladimir Viktorovich PAVLENKO", kind="person"),
            _org("other", "Uralsk Heavy Machinery Works"),
            _org("bpc", "Belarusian Potash Company"),
            _org("tupolev", "Tupolev JSC"),
        ],
        versions={"t": 1},
    )


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Фотон ПРО (ООО «Фотон ПРО»)", ["Фотон ПРО", "ООО «Фотон ПРО»"]),
        ("Владимир ПАВЛЕНКО / Володимир ПАВЛЕНКО", ["Владимир ПАВЛЕНКО", "Володимир ПАВЛЕНКО"]),
        ("HAQQANI NETWORK [HQN]", ["HAQQANI NETWORK", "HQN"]),
        ("AC/DC Ltd", []),  # a slash inside a word separates nothing
        # without spaces, a slash parts two names of two words or more each
        ("Ирина ЦЕЛИКОВЕЦ/Ірина ЦЕЛІКОВЕЦЬ", ["Ирина ЦЕЛИКОВЕЦ", "Ірина ЦЕЛІКОВЕЦЬ"]),
        ("Андрей СИГУТА/ Андрій СІГУТА", ["Андрей СИГУТА", "Андрій СІГУТА"]),
        # one word written two ways: the name once with each
        ("Анатоль ЛАПО/ЛАППО", ["Анатоль ЛАПО", "Анатоль ЛАППО"]),
        ("ЛАПО/ЛАППО", []),  # a name of one word is its own spellings
        ("X Import/Export Ltd", []),  # two words, not two spellings of one
        ("ZAO A/O Foo", []),  # letters around the slash: an abbreviation
        ("صنایع هوایی قدس · شرکت صنایع هوایی قدس", ["صنایع هوایی قدس", "شرکت صنایع هوایی قدس"]),
        ("阿不都·哈克", []),  # a dot without spaces joins the words of one name
        ("Plain Name", []),
        ("Unclosed (bracket", []),
    ],
)
def test_alternative_names(name: str, parts: list[str]) -> None:
    assert alternative_names(name) == parts


def test_query_keeps_the_whole_name_first_and_adds_each_part() -> None:
    name = "Общество «Фотон ПРО» (ООО «Фотон ПРО»)"
    q = prepare_query(name)
    assert q.variants[0] == prepare(name).variants[0]  # the whole stays the primary
    assert ("foton", "pro") in q.variants
    # a one-token part (an acronym) is not compared on its own
    assert ("hqn",) not in prepare_query("HAQQANI NETWORK (HQN)").variants


def test_english_reading_of_cyrillic_organisation_words() -> None:
    assert english_readings(("sudostroitelnyy", "zavod", "zaliv")) == (("shipyard", "zaliv"),)
    # an adjective of a place the glossary lacks: with and without "-sk"
    assert english_readings(("kovrovskiy", "avtomobilnyy", "zavod")) == (
        ("kovrovsk", "automobile", "plant"),
        ("kovrov", "automobile", "plant"),
    )
    assert english_readings(("ivan", "petrov")) == ()
    # the spelling schemes meet on one key
    assert stem_key("predpriyatie") == stem_key("predpriiatie")


def test_latin_queries_get_no_english_reading() -> None:
    assert (
        prepare_query("Sudostroitelnyy Zavod Zaliv").variants
        == prepare("Sudostroitelnyy Zavod Zaliv").variants
    )


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("Акционерное Общество «Брянский Автомобильный Завод» (АО «БАЗ»)", "t:baz"),
        ("Судостроительный завод ‘Залив’", "t:zaliv"),
        ("Белорусская калийная компания", "t:bpc"),
        ("Акционерное Общество «Туполев» (АО «Туполев»)", "t:tupolev"),
        ("Центральное Конструкторское Бюро Морской Техники «Рубин»", "t:rubin"),
        ("Общество с Ограниченной Ответственностью «Фотон ПРО» (ООО «Фотон ПРО»)", "t:foton"),
        ("Владимир Викторович ПАВЛЕНКО / Володимир Вiкторович ПАВЛЕНКО", "t:pavlenko"),
    ],
)
def test_cyrillic_and_combined_names_alert_on_the_english_entry(
    matcher: Matcher, name: str, entity_id: str
) -> None:
    r = matcher.match(Query(name=name))
    assert r.hits and r.hits[0].entity_id == entity_id, r.hits[:1]
    assert r.hits[0].alert


def test_english_reading_alone_does_not_make_a_different_plant_alert(matcher: Matcher) -> None:
    # shares only the generic words "plant"/"automobile" with a listed plant
    r = matcher.match(Query(name="Завод «Прогресс»"))
    assert not r.alert, [(h.matched_name, h.score) for h in r.hits]


# ---------------------------------------------------------------------- one name, three languages


def _person(rid: str, name: str) -> Entity:
    return _org(rid, name, kind="person")


@pytest.fixture(scope="module")
def people() -> Matcher:
    return Matcher.build(
        [
            _person("galchenkov", "Alexey Sergeevich GALCHENKOV"),
            _person("zelensky", "Vladimir ZELENSKY"),
            _person("selivanov", "Oleksiy Sergiyovich SELIVANOV"),
        ],
        versions={"t": 1},
    )


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("Олексiй Сергiйович ГАЛЧЕНКОВ", "t:galchenkov"),  # Ukrainian forms, Russian entry
        ("Аляксей Сяргеевіч ГАЛЧЭНКАЎ", "t:galchenkov"),  # Belarusian forms
        ("Volodymyr Zelensky", "t:zelensky"),
        ("Володимир Зеленський", "t:zelensky"),
    ],
)
def test_ukrainian_and_belarusian_forms_of_a_given_name_alert(
    people: Matcher, name: str, entity_id: str
) -> None:
    r = people.match(Query(name=name))
    assert r.hits and r.hits[0].entity_id == entity_id and r.hits[0].alert, r.hits[:2]


def test_a_name_written_twice_across_a_tight_slash_alerts(people: Matcher) -> None:
    # Russian and Ukrainian spellings joined by "/" without spaces; the entry has one
    name = "Олексiй Сергiйович СЕЛІВАНОВ/Алексей Сергеевич СЕЛИВАНОВ"
    r = people.match(Query(name=name))
    assert r.hits and r.hits[0].entity_id == "t:selivanov" and r.hits[0].alert, r.hits[:2]


def test_a_different_given_name_is_not_made_the_same(people: Matcher) -> None:
    r = people.match(Query(name="Vladimir Selivanov"))
    assert not any(h.entity_id == "t:selivanov" and h.alert for h in r.hits)


def test_a_plant_acronym_also_reads_as_its_english_acronym() -> None:
    # "ВМЗ" (Вольский механический завод) is "VMP" (Volsk Mechanical Plant) in English
    assert ("vmp",) in prepare_query("АО «ВМЗ»").variants
    assert prepare_query("АО «ВМЗ»").variants[0] == ("vmz",)  # as written first
    assert prepare_query("ЗАО «Ромашка»").variants[0] == ("romashka",)  # no acronym
    m = Matcher.build([_org("vmp", "JSC ‘VMP’")], versions={"t": 1})
    r = m.match(Query(name="АО «ВМЗ»"))
    assert r.hits and r.hits[0].entity_id == "t:vmp" and r.hits[0].alert, r.hits[:1]


def test_name_keys() -> None:
    from stopship.normalize.given_names import name_key, same_given_name

    assert same_given_name("volodymyr", "vladimir")
    assert same_given_name("serhiiovych", "sergeevich")  # patronymics of one name
    # Belarusian forms as a Russian-style transliteration writes them ("Алег", "Iгар")
    assert same_given_name("aleg", "oleg") and same_given_name("igar", "igor")
    assert not same_given_name("sergeevich", "sergey")  # a patronymic is not the name
    assert name_key("ivanov") is None


def test_a_part_many_entries_share_does_not_crowd_out_the_whole_name() -> None:
    # twenty entries named just "AL HARAMAIN" match the part "AL-HARAMAIN" exactly; the
    # branch named in full must still be scored and alert
    many = [_org(f"h{i}", "ALHARAMAIN") for i in range(20)]
    m = Matcher.build([*many, _org("albania", "AL-HARAMAIN (ALBANIA BRANCH)")], {"t": 1})
    r = m.match(Query(name="AL-HARAMAIN (ALBANIA BRANCH)"), limit=30)
    assert any(h.entity_id == "t:albania" and h.alert for h in r.hits)


def test_korean_name_alerts_on_its_northern_spelling() -> None:
    m = Matcher.build([_person("no", "NO Kwang Chol")], {"t": 1})
    r = m.match(Query(name="노광철"))
    assert r.hits and r.hits[0].alert, r.hits[:1]


@pytest.mark.parametrize("name", ["中國石油(香港)有限公司", "ACME Trading (Hong Kong)"])
def test_a_place_in_brackets_is_not_compared_on_its_own(name: str) -> None:
    m = Matcher.build([_org("hk", "PCA XIANG GANG LIMITED"), _org("hk2", "HONG KONG")], {"t": 1})
    assert not m.match(Query(name=name)).alert


@pytest.fixture(scope="module")
def without_patronymics() -> Matcher:
    return Matcher.build(
        [
            _person("pashkevich", "Aleksandr PASHKEVICH"),
            _person("afanasyeva", "AFANASYEVA, Yulia Andreevna"),
            _person("maksimov", "Timur MAKSIMOV"),
            _person("khodotov", "KHODOTOV, Yevgeny"),
            # patronymics are common in the lists, so they are not rare tokens there
            *(
                _person(f"p{i}", f"{given} {patronymic} {surname}")
                for i, (given, patronymic, surname) in enumerate(
                    [
                        ("Oleg", "Mikhailovich", "BELOV"),
                        ("Pavel", "Mikhaylovich", "ZUEV"),
                        ("Roman", "Mikhailovich", "GUSEV"),
                        ("Ilya", "Igorevich", "KOZLOV"),
                        ("Denis", "Igorevich", "LEBEDEV"),
                        ("Gleb", "Igorevich", "MOROZOV"),
                    ]
                )
            ),
        ],
        versions={"t": 1},
    )


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("ПАШКЕВИЧ Александр Михайлович", "t:pashkevich"),
        ("Aleksandr Mikhailovich Pashkevich", "t:pashkevich"),
        ("Максимов Тимур Игоревич", "t:maksimov"),
        # a patronymic made from a given name the table lacks, after a given name it has
        ("Ходотов Євген Гаррійович", "t:khodotov"),
    ],
)
def test_a_patronymic_the_entry_leaves_out_weighs_little(
    without_patronymics: Matcher, name: str, entity_id: str
) -> None:
    r = without_patronymics.match(Query(name=name))
    assert r.hits and r.hits[0].entity_id == entity_id and r.hits[0].alert, r.hits[:2]


def test_a_different_patronymic_still_weighs_in_full(without_patronymics: Matcher) -> None:
    # the entry writes "Andreevna": "Timofeevna" is another person's patronymic
    r = without_patronymics.match(Query(name="Афанасьева Юлия Тимофеевна"))
    assert not any(h.entity_id == "t:afanasyeva" and h.alert for h in r.hits), r.hits[:1]


def test_a_word_written_two_ways_alerts() -> None:
    m = Matcher.build([_person("fedorov", "Andrey Vladimirovich FEDOROV")], versions={"t": 1})
    r = m.match(Query(name="Андрей Владимирович ФЕДОРОВ/ФЁДОРОВ"))
    assert r.hits and r.hits[0].entity_id == "t:fedorov" and r.hits[0].alert, r.hits[:1]


def test_an_entrys_ukrainian_patronymic_weighs_little_when_the_query_lacks_it() -> None:
    # "-ovych" is no Russian patronymic ending, but the token is made from a given name
    m = Matcher.build(
        [
            _person("zima", "Pyotr Anatoliyovych ZIMA"),
            *(_person(f"p{i}", f"Ivan {s}") for i, s in enumerate(("ZIMIN", "PETROV", "ZUEV"))),
        ],
        versions={"t": 1},
    )
    r = m.match(Query(name="Петр Зима"))
    assert r.hits and r.hits[0].entity_id == "t:zima" and r.hits[0].alert, r.hits[:1]


def test_a_query_is_also_read_without_its_own_acronym() -> None:
    # "ТПЗ" restates "Тамбовский Пороховой Завод": the lists mostly write the words alone
    got = prepare_query("ФКП «ТПЗ», Федеральное Казенное Предприятие «Тамбовский Пороховой Завод»")
    assert ("tambovskiy", "porokhovoy", "zavod") in got.variants, got.variants
    assert got.variants[0] == ("tpz", "tambovskiy", "porokhovoy", "zavod")
    # an acronym of other words stays
    got = prepare_query("ООО «ТПЗ Тамбовский Завод»")
    assert ("tambovskiy", "zavod") not in got.variants, got.variants


@pytest.mark.parametrize(
    ("tokens", "want"),
    [
        # "-vich" between two names, however it is spelled
        (("oleg", "yevgenyvich", "belaventsev"), {1}),
        # a surname of that shape, at either end, is no patronymic
        (("abramovich", "roman", "arkadyevich"), {2}),
        (("petar", "ivan", "milosevich"), set()),
        # the father's name and the Turkic "daughter of" / "son of"
        (("nailya", "vagif", "gizi", "asker", "zade"), {1, 2}),
        (("ali", "hasan", "oglu"), {1, 2}),
        (("oglu", "hasan"), set()),
    ],
)
def test_patronymics_between_names_and_as_particles(
    tokens: tuple[str, ...], want: set[int]
) -> None:
    from stopship.match.features import _patronymics

    assert set(_patronymics(tokens)) == want


def test_an_entrys_patronymic_the_query_leaves_out_weighs_little() -> None:
    m = Matcher.build(
        [
            _person("bel", "Oleg Yevgenyvich BELAVENTSEV"),
            _person("ask", "Nailya Vagif Gizi ASKER-ZADE"),
            *(_person(f"p{i}", f"Oleg {s}") for i, s in enumerate(("BELOV", "PETROV", "ZUEV"))),
        ],
        versions={"t": 1},
    )
    _assert_first_alerts(m, {"Олег Белавенцев": "t:bel", "Наиля Аскер-заде": "t:ask"})


def _assert_first_alerts(m: Matcher, wanted: dict[str, str]) -> None:
    """Each query name's first hit is the wanted entity, and alerts."""
    for name, want in wanted.items():
        r = m.match(Query(name=name))
        assert r.hits and r.hits[0].entity_id == want and r.hits[0].alert, (name, r.hits[:1])


def test_the_jim_is_also_read_as_a_hard_g_in_arabic() -> None:
    from stopship.match.prepare import hard_g_reading

    assert hard_g_reading("جورج شاوي") == "گورگ شاوي"
    # a Persian text keeps its jim: its gaf is the "g" ("جواد گلزار" Javad Golzar)
    assert hard_g_reading("جواد گلزار") == "جواد گلزار"
    m = Matcher.build(
        [
            _person("g", "George DAROUMI"),
            _person("r", "Abd Allah RAGAB SALMOUN"),
            *(_person(f"p{i}", f"Ali {s}") for i, s in enumerate(("HASSAN", "DARWISH", "JABER"))),
        ],
        versions={"t": 1},
    )
    _assert_first_alerts(m, {"جورج دارومي": "t:g", "عبد الله رجب سلمون": "t:r"})


def test_a_reading_says_the_letters_the_persian_way_but_keeps_the_qaf() -> None:
    from stopship.match.prepare import persian_reading

    assert persian_reading("نور محمد ثاقب") == "نور محمد ساغب"
    assert persian_reading("نور محمد ثاقب", qaf=False) == "نور محمد ساقب"
    m = Matcher.build(
        [
            _person("s", "NOOR MOHAMMAD SAQIBULLAH"),
            *(_person(f"p{i}", f"Noor Mohammad {s}") for i, s in enumerate(("HASSAN", "ZAHIR"))),
        ],
        versions={"t": 1},
    )
    r = m.match(Query(name="نور محمد ثاقب الله"))
    assert r.hits and r.hits[0].entity_id == "t:s" and r.hits[0].alert, r.hits[:2]


def test_a_short_name_a_dash_and_the_long_name_are_two_names() -> None:
    from stopship.match.prepare import alternative_names

    assert alternative_names("МЗКТ - Минский завод колёсных тягачей") == [
        "МЗКТ",
        "Минский завод колёсных тягачей",
    ]
    assert alternative_names("Belneftekhim – Belarusian State Concern")[0] == "Belneftekhim"
    # a hyphen inside a name, and a long first part (a branch of the second), stay whole
    assert alternative_names("Abd-al-Rahman") == []
    assert alternative_names("Филиал «Судоремонтный Завод «Нерпа» – АО «ЦС «Звёздочка»") == []


def test_the_short_name_before_a_dash_meets_a_list_name_of_it_alone() -> None:
    from stopship.match import Matcher, Query
    from tests.named import named

    m = Matcher.build([named("m", "MZKT", "organization"), named("v", "VOLAT", "organization")])
    top = m.match(Query(name="МЗКТ - Минский завод колёсных тягачей")).hits[0]
    assert top.entity_id == "t:m" and top.alert, top
