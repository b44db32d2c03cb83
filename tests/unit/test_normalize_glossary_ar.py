"""English readings of organisation names in Arabic script (normalize.glossary_ar)."""

from __future__ import annotations

import pytest

from stopship.match.prepare import prepare_query
from stopship.model import Entity
from stopship.normalize.glossary_ar import arabic_readings
from tests.named import named


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("وزارة الدفاع", "ministry defence"),  # the article cut off
        ("صنایع هوایی قدس", "industries aviation qds"),  # an unknown word transliterated
        ("زندان مرکزى زاهدان", "prison central zahedan"),  # ى as ی, a place
        ("شرکت بازرگانی نفت ایران", "company trading oil iran"),
        ("شركة سند للحرسات والخدمات الأمنية", "company snd llhrsat services security"),
        # a Persian term, its last word with the ezafe ending
        (
            "سازمان صدا و سيماﻯ جمهورﻯ اسلامی ايران",
            "organization broadcasting republic islamic iran",
        ),
        ("نیروهای مسلح", "forces armed"),  # the plural ending
        ("الجماعة الاسلامية المسلحة", "group islamic armed"),  # the Arabic feminine ending
        ("الجهاد الاسلامي المصري", "jihad islamic egyptian"),  # a nisba adjective
        # a term of two words ("بهره برداری", operation) read as one English word
        ("شرکت بهره برداری نفت و گاز", "company production oil and gas"),
        # English words written in Arabic script
        ("شركة ميدل إيست غلوبال", "company middle east global"),
    ],
)
def test_first_reading(name: str, reading: str) -> None:
    assert arabic_readings(name)[0] == reading


def test_words_of_one_meaning_in_a_row_read_once() -> None:
    # "الحماية والحراسة الأمنية": protection, guarding (or security), security
    assert arabic_readings("شركة أمان للحماية والحراسة الأمنية") == (
        "company aman protection guarding security",
        "company aman protection security",
    )


def test_sepah_alone_is_the_irgc_and_a_reading_has_each_word_once() -> None:
    # "سپاه" alone is how Persian names the IRGC; with "پاسداران انقلاب اسلامی" after it
    # the reading does not say "revolutionary islamic" twice
    assert arabic_readings("بنیاد تعاون سپاه")[0] == (
        "foundation cooperation islamic revolutionary guard corps"
    )
    assert arabic_readings("سپاه پاسداران انقلاب اسلامی")[0] == "islamic revolutionary guard corps"


def test_second_reading_takes_the_alternatives() -> None:
    assert arabic_readings("وزارة الدفاع") == ("ministry defence", "ministry defense")


@pytest.mark.parametrize(
    "name",
    [
        "محمد حسین سپهر",  # a person: no glossary word
        "قدس",  # one word
        "علی عباس ایران",  # one glossary word among three
    ],
)
def test_no_reading(name: str) -> None:
    assert arabic_readings(name) == ()


def test_readings_are_query_spellings_with_typed_legal_forms() -> None:
    p = prepare_query("شركة الجبل لخدمات الحماية والحراسة المحدودة المسؤولية")
    assert ("company",) not in p.variants
    assert any("protection" in v for v in p.variants)
    assert "company" not in " ".join(" ".join(v) for v in p.variants[1:])
    assert p.readings  # compared through skeletons too


@pytest.mark.parametrize(
    ("arabic", "english"),
    [
        ("صنایع هوایی قدس", "Qods Aviation Industries"),
        ("وزارة الدفاع", "Ministry of Defence"),
        ("زندان مرکزى زاهدان", "Zahedan Central Prison"),
    ],
)
def test_translated_names_alert(arabic: str, english: str) -> None:
    from stopship.match import Matcher, Query

    m = Matcher.build(
        [_org("x", english), _org("y", "Qods Trading Company"), _org("z", "Ministry of Energy")],
        versions={"t": 1},
    )
    hits = m.match(Query(name=arabic), threshold=0.0).hits
    assert hits[0].entity_id == "t:x" and hits[0].alert
    assert all(not h.alert for h in hits[1:])


def test_a_reading_of_generic_words_only_is_not_compared() -> None:
    assert arabic_readings("گروه هولدینگ") == ("group holding",)
    p = prepare_query("گروه هولدینگ")
    assert ("group", "holding") not in p.variants
    assert not p.readings


def _org(rid: str, name: str) -> Entity:
    return named(rid, name, "organization")


def test_the_letters_of_an_abbreviated_legal_form_are_no_words_of_the_name() -> None:
    # "ش.م.ح" (FZCO) is three one-letter words: the glossary word "group" is still half
    # of the name's words
    assert arabic_readings("مجموعة دورالينك ش.م.ح")[0].startswith("group dwralynk")
    assert arabic_readings("مجموعة دورالينك")[0] == "group dwralynk"
    # a person's name with one glossary word in three, not the first, is not read
    assert arabic_readings("جمال محمد عام") == ()


def test_an_english_name_written_in_arabic_letters_meets_it() -> None:
    from stopship.match import Matcher, Query

    m = Matcher.build(
        [
            named("d", "Dorasco Middle East DMCC", "organization"),
            named("o", "Doras Middle East DMCC", "organization"),
            named("x", "Arrowline Trading DMCC", "organization"),
        ],
        versions={"t": 1},
    )
    # the hard "c" of "Dorasco" is the kaf of "دوراسكو"
    r = m.match(Query(name="دوراسكو ميدل إيست م.د.م.س"))
    assert r.hits and r.hits[0].entity_id == "t:d" and r.hits[0].alert, r.hits[:2]


def test_english_words_written_in_arabic_letters_read_as_english() -> None:
    # a UAE company's English name written in Arabic letters; the letters of its legal form
    # (ش م ح, FZC) stay out of the reading
    assert arabic_readings("دوراسكو افييشن سيرفيسز ش م ح") == ("dwraskw aviation services",)
    assert arabic_readings("دوراسكو شيبينغ م.د.م.س") == ("dwraskw shipping",)


def test_a_name_that_begins_with_what_it_is_gets_a_reading() -> None:
    from stopship.normalize.glossary_ar import arabic_readings

    # one glossary word of three, but the first: a network, a research center
    assert "network mhmd jmal" in arabic_readings("شبكة محمد جمال")
    assert arabic_readings("مرکز تحقیقات شهید حاج علی موحد")[0].startswith("center research")
    # an adjective first is no such word: a person's company or a place ("Mehr Abad")
    assert arabic_readings("صنعتي مهر آباد") == ()


def test_more_arabic_organisation_words_and_limited() -> None:
    from stopship.match.prepare import prepare_query
    from stopship.normalize.glossary_ar import arabic_readings

    assert "company alfakhr works advanced" in arabic_readings(
        "شركة الفاخر للأعمال المتقدمة المحدودة"
    )
    assert "qaida in peninsula arabian" in arabic_readings("القاعدة في جزيرة العرب")
    assert "ltd" in prepare_query("نبتونس أوفرسيز المحدودة").legal_forms


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("وزارت نیرو", "ministry of energy"),  # نیرو alone is "force"
        ("دفتر طراحی سامانه های قوای محرکه فرزانگان", "office design systems propulsion frzangan"),
        ("مرکز ملی فضای مجازی", "center national cyberspace"),
        ("سازمان فضایی ایران", "organization space iran"),
    ],
)
def test_more_persian_organisation_words(name: str, reading: str) -> None:
    assert reading in arabic_readings(name)


def test_a_rank_before_a_word_is_no_honorific() -> None:
    from stopship.match.prepare import prepare

    # "General Intelligence Directorate" is an organisation, "General Qasem Soleimani" not
    assert prepare("GENERAL INTELLIGENCE DIRECTORATE").variants[0][0] == "general"
    assert prepare("General Qasem Soleimani").honorifics == {"general"}


@pytest.mark.parametrize(
    ("name", "reading"),
    [
        ("مليشيا كانيات", "militia kanyat"),
        ("تبادل المتحدون", "exchange almthdwn"),
        ("الفرقة الرابع", "division fourth"),
        (
            "کارگروه تعیین مصادیق محتوای مجرمانه",
            "working group determining instances content criminal",
        ),
        ("گروه صنایع فجر", "group industrial fjr"),
    ],
)
def test_militias_exchanges_and_working_groups(name: str, reading: str) -> None:
    assert reading in arabic_readings(name)


def test_limited_written_in_arabic_letters_is_a_legal_form() -> None:
    assert "ltd" in prepare_query("راحت لمتد").legal_forms
