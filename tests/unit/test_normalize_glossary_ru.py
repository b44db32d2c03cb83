"""The Russian/Belarusian/Ukrainian organisation glossary (normalize.glossary): inflected
words, Cyrillic glossary terms in every transliteration, places, particles, and what must
not get a reading."""

from __future__ import annotations

import pytest

from stopship.match import Matcher, Query
from stopship.match import weights as W
from stopship.match.features import token_similarity
from stopship.match.prepare import prepare, prepare_query
from stopship.model import Entity
from stopship.normalize.glossary import (
    concepts,
    english_readings,
    glossary,
    meaning_forms,
    nominative,
    same_meaning,
    stem_key,
    stem_keys,
)
from tests.named import named


def test_a_word_meets_its_key_in_any_case() -> None:
    # nominative, genitive, dative, instrumental: one key
    assert english_readings(("federalnogo", "gosudarstvennogo", "predpriyatiya", "x")) == (
        ("federal", "state", "enterprise", "x"),
    )
    assert english_readings(("akademii", "nauk", "x")) == (("academy", "science", "x"),)
    assert english_readings(("tekhnicheskomu", "regulirovaniyu")) == (("technical", "regulation"),)
    # an ending is ambiguous in Latin ("akademii" = akademi-i or akadem-ii): every stem is tried
    assert stem_keys("akademii") == ("akadem", "akademi", "akademii")
    assert stem_key("akademiya") in stem_keys("akademiey")


def test_cyrillic_terms_are_keys_in_every_transliteration() -> None:
    for spelling in (
        ("moskovskiy", "kreditnyy", "bank"),
        ("moskovskii", "kreditnyi", "bank"),
        ("moskovskij", "kreditnyj", "bank"),
    ):
        assert english_readings(spelling) == (("moscow", "credit", "bank"),), spelling


def test_a_belarusian_term_is_also_a_key_as_belarusian_is_transliterated() -> None:
    # "знешнегандлёвы" and "верталёты" have no letter that tells Belarusian, but a name
    # with "ў" or "і" is transliterated the Belarusian way ("г" h, "ё" io)
    assert english_readings(("zneshnehandliovae", "belromashka")) == (
        ("foreign", "trade", "belromashka"),
    )
    got = prepare_query("КБ Беспілотныя Верталёты")
    assert ("design", "bureau", "unmanned", "helicopters") in got.variants, got.variants


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("Национальный расчетный депозитарий", "national settlement depository"),
        ("Объединённая металлургическая компания", "united metallurgical"),  # "компания": LLC/co
        ("Завод точной электромеханики", "plant precision electromechanics"),
        (
            "Государственный научно-исследовательский институт органической химии и технологии",
            "state research institute organic chemistry and technologies",
        ),
        (
            "Главное управление внутренних дел по городу Москве",
            "main directorate internal affairs for city moscow",
        ),
        ("Нижегородский машиностроительный завод", "nizhny novgorod machine building plant"),
        # Belarusian and Ukrainian forms
        ("ААТ «Мінскі трактарны завод»", "minsk tractor plant"),
        ("Цэнтральная выбарчая камісія", "central electoral commission"),
        ("Харківський машинобудівний завод", "kharkiv machine building plant"),
        ("ААТ «Мінскі завод колавых цягачоў»", "minsk plant wheel tractor"),
        ("Уральские авиалинии", "ural airlines"),
        # English words written in Cyrillic
        ("Юнайтед Петролеум Венчурс", "united petroleum ventures"),
        # "г." is "city" where it is no initial beside another
        (
            "Региональное отделение ДОСААФ России г. Севастополя",
            "regional branch dosaaf russia city sevastopol",
        ),
        ("Институт катализа имени Г. К. Борескова", "institute catalysis named after g k boreskov"),
        ("Управление делами Президента", "administration president"),
        ("Лига безопасного интернета", "league safe internet"),
        ("Научно-исследовательский институт программных средств", "research institute software"),
        ("ФГБОУ ВДЦ «Смена»", "all russian childrens centre smena"),
        ("Центр компетенций в области радиофотоники", "center competence in radiofotonics"),
        ("Группа компаний «Волга Днепр»", "group volga dnipro"),
        ("ГК «Гаскар»", "group gaskar"),
        # Belarusian "кіруючая кампанія" (управляющая компания)
        ("ААТ «Кіруючая кампанія холдынгу «Інтэграл»", "management company holding intehral"),
    ],
)
def test_english_reading_of_a_cyrillic_name(name: str, reading: str) -> None:
    assert tuple(reading.split()) in prepare_query(name).variants, prepare_query(name).variants


def test_a_reading_has_no_legal_form_and_each_word_once() -> None:
    # "federal state unitary enterprise" is a legal form, typed as such in a Latin name
    got = prepare_query(
        "Филиал Федерального Государственного Унитарного Предприятия «Завод Звезда»"
    )
    assert ("branch", "plant", "zvezda") in got.variants, got.variants
    # "судоходная" and "пароходство" both read "shipping": once (and "company", the
    # legal form that ends the reading, is left out)
    got = prepare_query("АО «Судоходная компания «Волжское пароходство»»")
    assert ("shipping", "volga") in got.variants, got.variants
    # words of a legal form of several words outside it are legal-form words, as in a
    # Latin name: "Акционерная Корпорация" reads "joint stock corporation"
    got = prepare_query("Межгосударственная Акционерная Корпорация «Вымпел»")
    assert ("interstate", "vympel") in got.variants, got.variants
    # a one-word legal form that begins or ends a reading is left out as well, as a Latin
    # name's is ("морское пароходство" reads "shipping company"; the list writes "Shipping
    # Company", typed as a legal form)
    got = prepare_query("ПАО «Дальневосточное морское пароходство»")
    assert ("far", "eastern", "shipping") in got.variants, got.variants
    # ... but not inside one: "ЧВК" is the "private military company" of "PMC"
    got = prepare_query("ЧВК «Патриот»")
    assert ("private", "military", "company", "patriots") in got.variants, got.variants


def test_no_reading_from_particles_alone_or_for_one_word() -> None:
    # "i" is "and" inside a reading, but makes none on its own
    assert english_readings(("petr", "i", "pavel")) == ()
    assert english_readings(("kreditnyy", "i", "pavel")) == (("credit", "and", "pavel"),)
    # a lone word is as often an acronym ("GAZ") as the word
    assert english_readings(("gaz",)) == ()
    assert english_readings(("zavod",)) == ()


def test_surnames_are_not_read_as_places_or_words() -> None:
    # "-ov" is not stripped: Ivanov is no adjective of a place, Belov no "white"
    assert english_readings(("torgovyy", "dom", "ivanov")) == (("trading", "house", "ivanov"),)
    assert prepare_query("Иван Белов").variants == (("ivan", "belov"),)


def test_acronyms_read_as_their_words() -> None:
    assert english_readings(("nii", "kp")) == (("research", "institute", "kp"),)
    assert english_readings(("ntts", "atlas")) == (
        ("scientific", "and", "technical", "center", "atlas"),
    )
    # ... and terms: "радиоэлектронной борьбы" is "electronic warfare"
    assert english_readings(("batalon", "radioelektronnoy", "borby")) == (
        ("battalion", "electronic", "warfare"),
    )
    reading = " ".join(english_readings(("trk", "vs", "rf", "zvezda"))[0])
    assert reading == "television and radio company armed forces of the russian federation zvezda"


def test_the_person_an_organisation_is_named_after_is_read_in_the_nominative() -> None:
    # "имени академика П. Д. Грушина" = "named after academician P.D. Grushin"
    assert english_readings(("mkb", "fakel", "imeni", "akademika", "p", "d", "grushina")) == (
        ("mkb", "fakel", "named", "after", "academician", "p", "d", "grushin"),
    )
    assert [nominative(w) for w in ("gorkogo", "zhukovskogo", "makeeva", "andreya")] == [
        "gorky",
        "zhukovsky",
        "makeev",
        "andrey",
    ]
    # without "named after" a word in "-a" keeps it: a brand ("Zvezda"), not a genitive
    assert english_readings(("zavod", "zvezda")) == (("plant", "zvezda"),)
    # a listed given name in the genitive, and the word after it: "Фонд Алексея Талая"
    assert english_readings(("fond", "alekseya", "talaya")) == (("fund", "aleksey", "talay"),)


def test_the_namesake_also_by_surname_alone_and_initials_are_no_particles() -> None:
    got = prepare_query("АО «Государственный ракетный центр имени академика В. П. Макеева»")
    # "в" is an initial here, not "in"
    assert ("state", "missile", "center", "named", "after", "academician", "v", "p", "makeev") in (
        got.variants
    )
    # the lists write the namesake's surname alone as often ("Makeyev State Rocket Center")
    assert ("state", "missile", "center", "makeev") in got.variants
    # initials may repeat in a reading; other words are read once
    got = prepare_query("АО «Центр М. Л. Миля и Н. И. Камова»")
    assert ("center", "m", "l", "milya", "i", "n", "i", "kamova") in got.variants


def test_glossary_terms_are_general_words() -> None:
    words = glossary()
    assert words[stem_key("kreditnyy")] == ("credit",)
    # every key is lower-case ASCII: Cyrillic terms are only stored transliterated
    assert all(k.isascii() and k == k.lower() for k in words)


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher.build(
        [
            _org("cbm", "Credit Bank of Moscow"),
            _org("nsd", "National Settlement Depository"),
            _org("umc", "United Metallurgical Company"),
            _org("gosniiokht", "State Research Institute of Organic Chemistry and Technology"),
            _org("mtz", "Minsk Tractor Works"),
            _org("other", "Moscow Industrial Bank"),
            _org("scf", "Strategic Culture Foundation"),
            _org("plast", "Joint Stock Company Plastmass Plant"),
            _org("vortex", "Limited Liability Company “Sky Vortex”"),
            _org("oko", "Oko Design Bureau"),
            _org("polyus", "JSC Polyus Research Institute"),
        ],
        versions={"t": 1},
    )


@pytest.mark.parametrize(
    ("name", "entity_id"),
    [
        ("ПАО «Московский кредитный банк»", "t:cbm"),
        ("АО «Национальный расчетный депозитарий»", "t:nsd"),
        ("ООО «Объединённая металлургическая компания»", "t:umc"),
        (
            "ФГУП «Государственный научно-исследовательский институт органической химии и "
            "технологии»",
            "t:gosniiokht",
        ),
        # "фонд" is "fund" in the glossary, "foundation" in the list: one word
        ("Фонд стратегической культуры", "t:scf"),
        # the reading translates both words ("plant plastics"), the list only one of them
        ("АО «Завод «Пластмасс»", "t:plast"),
        # an English word written in Cyrillic ("скай" = sky)
        ("ООО “СКАЙ ВОРТЕКС”", "t:vortex"),
        # the usual abbreviations of organisation words: "КБ" = "design bureau",
        # "НИИ" = "research institute"
        ("КБ “Око”", "t:oko"),
        ("АО «НИИ «Полюс»", "t:polyus"),
    ],
)
def test_cyrillic_organisation_alerts_on_its_english_entry(
    matcher: Matcher, name: str, entity_id: str
) -> None:
    r = matcher.match(Query(name=name))
    assert r.hits and r.hits[0].entity_id == entity_id, r.hits[:2]
    assert r.hits[0].alert, r.hits[:1]


def test_shared_organisation_words_alone_do_not_alert(matcher: Matcher) -> None:
    # a different Moscow bank: only the glossary words "moscow"/"bank" are shared
    r = matcher.match(Query(name="АО «Московский Нефтяной Банк»"))
    assert not any(h.alert and h.entity_id == "t:cbm" for h in r.hits), r.hits[:2]
    r = matcher.match(Query(name="ООО «Московский кредитный союз Рассвет»"))
    assert not r.alert, r.hits[:2]


def test_a_name_with_a_patronymic_gets_no_reading() -> None:
    # "Марина" and "Сила" are given names here, not "marine" or "forces"
    for name in ("Марина Петровна Титова", "Сила Антонович Савельев", "Олена Петрівна Сила"):
        q = prepare_query(name)
        assert not any(t in ("marine", "forces") for v in q.variants for t in v), q.variants
    assert ("forces", "plant") in prepare_query("Сила завод").variants


@pytest.mark.parametrize(
    ("name", "form", "rest"),
    [
        # genitive: "branch of the PJSC ..."
        ("Филиал Публичного Акционерного Общества «Ил»", "pjsc", ("filial", "il")),
        ("Головной филиал Акционерного Общества «Звездочка»", "jsc", None),
        # a Latin "C" for the Cyrillic "С" (the lists write it so)
        ("Общество C Ограниченной Ответственностью «Сонатек»", "llc", ("sonatek",)),
        # Kazakh and Kyrgyz limited liability partnership / company
        ("«Альфа» жауапкершілігі шектеулі серіктестігі", "llc", ("alfa",)),
        ("«Альфа» жоопкерчилиги чектелген коому", "llc", ("alfa",)),
    ],
)
def test_legal_forms_in_other_cases_and_languages(
    name: str, form: str, rest: tuple[str, ...] | None
) -> None:
    p = prepare(name)
    assert form in p.legal_forms, (p.legal_forms, p.variants[0])
    if rest is not None:
        assert p.variants[0] == rest


def _org(rid: str, name: str) -> Entity:
    return named(rid, name, "organization")


def test_a_word_and_its_translation_or_synonym_share_a_meaning() -> None:
    assert concepts("zavod") == concepts("plant") == concepts("factory") == {"plant"}
    assert same_meaning("fonda", "foundation")  # any ending of the Russian word
    assert same_meaning("fund", "foundation")
    assert same_meaning("plastmass", "plastics")
    assert same_meaning("porokhovoy", "powder")  # read "gunpowder"; the lists write both
    # a reading's word and the plural the lists write ("Авиационные Системы и Комплексы")
    assert same_meaning("complex", "complexes") and same_meaning("system", "systems")
    assert not same_meaning("plant", "fund")
    # short words and words outside the glossary mean nothing to compare
    assert concepts("mir") == concepts("ivanov") == concepts("vortex") == frozenset()
    assert token_similarity("zavod", "plant") == W.TRANSLATION_SIMILARITY
    assert token_similarity("fund", "foundation") == W.TRANSLATION_SIMILARITY
    assert token_similarity("zavod", "plant", strict=True) == 0.0
    # what retrieval looks up in the index for a token: the other words of its meaning
    assert set(meaning_forms("zavod")) == {"plant", "factory", "works"}
    assert meaning_forms("ivanov") == ()
    # a closer spelling keeps its own similarity
    assert token_similarity("missile", "missiles") > W.TRANSLATION_SIMILARITY - 0.05


def test_a_written_yo_meets_the_key_spelled_with_e() -> None:
    # "Вооружённых" is transliterated "vooruzhonnykh" or "vooruzhyonnykh"; the glossary
    # key comes from the spelling without the dots ("vooruzhennykh")
    for spelling in ("vooruzhonnykh", "vooruzhyonnykh", "vooruzhennykh"):
        assert english_readings(("shtaba", spelling, "sil")) == (
            ("headquarters", "armed", "forces"),
        )


def test_generic_words_of_a_reading_are_typed_as_in_a_latin_name() -> None:
    p = prepare_query("Космический центр имени Хруничева")
    assert ("space", "center", "named", "after", "khrunichev") in p.variants
    # "named after" weighs as a generic word, as "имени" itself does
    assert {"named", "after", "imeni"} <= p.generic
    assert "trading" in prepare_query("Торговый дом Альфа").generic
    # British and American spellings, and the two translations of "штаб", are one word
    assert same_meaning("center", "centre") and same_meaning("headquarters", "staff")


def test_tokens_under_four_letters_mean_nothing() -> None:
    # the compiled token_similarity skips same_meaning for them (_kernel.c relies on it)
    from stopship.normalize import glossary

    assert glossary._CONCEPT_MIN_LEN == 4
    assert all(len(w) >= 4 for w in glossary._english_words() if glossary.concepts(w))
    assert not glossary.same_meaning("fond", "fnd") and glossary.concepts("fnd") == frozenset()


def test_united_and_unified_are_one_meaning() -> None:
    # "единая" reads "unified"; the lists write "United Russia"
    assert same_meaning("unified", "united")
    m = Matcher.build(
        [named("ur", "United Romashka", "organization"), named("o", "Romashka", "organization")],
        versions={"t": 1},
    )
    r = m.match(Query(name="Единая Ромашка"))
    assert r.hits and r.hits[0].entity_id == "t:ur" and r.hits[0].alert, r.hits[:2]


def test_venture_and_direct_investment() -> None:
    got = prepare_query("Российский фонд прямых инвестиций")
    assert ("russian", "fund", "direct", "investments") in got.variants, got.variants
    assert same_meaning("investment", "investments")
    assert ("russian", "venture") in prepare_query("Российская венчурная компания").variants
    # "kompanija" (as a list transliterates компания) is the legal form "company"
    assert prepare("ROSSIJSKAJA VENCHURNAJA KOMPANIJA").legal_forms == frozenset({"co"})


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("завод імя казлова", ("plant", "named", "after", "kazlov")),  # Belarusian імя
        ("канцэрн па нафце", ("kancern", "for", "oil")),  # Belarusian нафта, locative
        ("научно испытательный полигон", ("scientific", "test", "ground")),
        (
            "институт проблем передачи информации",
            ("institute", "problems", "transmission", "information"),
        ),
        ("институт сильноточной электроники", ("institute", "high", "current", "electronics")),
        ("ордена почёта училище", ("order", "honour", "school")),
    ],
)
def test_more_organisation_words(name: str, reading: tuple[str, ...]) -> None:
    from stopship.normalize.translit import latin_variants

    assert reading in english_readings(tuple(latin_variants(name)[0].split()))


def test_control_is_a_directorate_word() -> None:
    from stopship.normalize.glossary import same_meaning

    # управление: "Research Institute of Communication and Control Systems"
    assert same_meaning("upravlenie", "control") and same_meaning("honor", "honour")


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("русская община соболь", ("russian", "community", "sobol")),
        ("медведи бригада", ("bears", "brigade")),
        ("новое восточное обозрение", ("new", "eastern", "outlook")),
        ("корпорация тактическое ракетное вооружение", ("corporation", "tactical", "missiles")),
        ("дальневосточное морское пароходство", ("far", "eastern", "shipping", "company")),
        ("канструктарскае бюро дысплей", ("design", "bureau", "display")),
    ],
)
def test_still_more_organisation_words(name: str, reading: tuple[str, ...]) -> None:
    from stopship.normalize.translit import latin_variants

    readings = english_readings(tuple(latin_variants(name)[0].split()))
    assert any(r[-len(reading) :] == reading for r in readings), readings


def test_refinery_settlement_territory_and_wheel_synonyms() -> None:
    for a, b in (
        ("refinery", "refining"),
        ("settlement", "settlements"),
        ("territorial", "territories"),
        ("wheel", "wheeled"),
    ):
        assert same_meaning(a, b), (a, b)


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("новые люди", ("new", "people")),
        ("голос европы", ("voice", "europe")),
        ("эксплуатирующая организация запорожской аэс", ("operating", "organization")),
        ("общество двуглавого орла", ("double", "headed", "eagle")),
        ("русская медная компания", ("russian", "copper")),
        ("топливо бункерная компания", ("bunkering",)),
    ],
)
def test_words_of_media_movements_and_industry(name: str, reading: tuple[str, ...]) -> None:
    _assert_reads(name, reading)


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("десятый подшипниковый завод", ("10", "bearing", "plant")),
        ("балашихинский литейно механический завод", ("balashikha", "casting")),
        ("прибалтийский судостроительный завод", ("baltic",)),
        ("пао одк сатурн", ("uec", "saturn")),
        ("курчатовский комплекс теоретической и экспериментальной физики", ("theoretical",)),
    ],
)
def test_ordinals_places_and_company_acronyms(name: str, reading: tuple[str, ...]) -> None:
    _assert_reads(name, reading)


def test_ukrainian_open_and_closed_joint_stock_companies() -> None:
    assert prepare("Відкрите акціонерне товариство «Пеленг»").legal_forms == {"jsc"}
    assert prepare("Закрите акціонерне товариство «Пеленг»").legal_forms == {"cjsc"}


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("аршанскі авіярамонтны завод", ("orsha",)),
        ("ремонтная база по ремонту аэродромной техники", ("base",)),
        ("авиационные редуктора и трансмиссии", ("gearboxes", "and", "transmissions")),
        ("мнии агат", ("moscow", "research", "institute", "agat")),
        ("фти им иоффе", ("physics", "and", "technology", "institute")),
    ],
)
def test_repair_bases_gearboxes_and_institute_acronyms(name: str, reading: tuple[str, ...]) -> None:
    _assert_reads(name, reading)


def test_a_term_the_lists_translate_two_ways_gives_one_more_reading() -> None:
    from stopship.normalize.glossary import alternates
    from stopship.normalize.translit import latin_variants

    tokens = tuple(
        latin_variants("научно исследовательский институт органической химии")[0].split()
    )
    got = english_readings(tokens)
    # "Research Institute" and "Scientific Research Institute" are both the lists' English
    assert ("research", "institute", "organic", "chemistry") in got
    assert ("scientific", "research", "institute", "organic", "chemistry") in got
    assert alternates()  # read from the glossary's "a|b" values
    # a term with one English gives no second reading
    assert len(english_readings(("zavod", "zvezda"))) == 1


def _assert_reads(name: str, words: tuple[str, ...]) -> None:
    """An English reading of the name (as its first transliteration) has the words in a row."""
    from stopship.normalize.translit import latin_variants

    readings = english_readings(tuple(latin_variants(name)[0].split()))
    assert any(any(r[i : i + len(words)] == words for i in range(len(r))) for r in readings), (
        readings
    )
