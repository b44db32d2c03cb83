"""normalize.name: the entry point, typed tokens, variants, bad input."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from stopship.errors import InputError
from stopship.normalize import normalize_name
from stopship.normalize.name import MAX_NAME_LENGTH, NormalizedName


def all_variant_tokens(n: NormalizedName) -> set[str]:
    return {t for v in n.variants for t in v}


def kinds(n: NormalizedName) -> list[tuple[str, str, str]]:
    return [(t.text, t.kind, t.canonical) for t in n.tokens]


def test_cyrillic_sez_name() -> None:
    n = normalize_name("ОЭЗ «Алабуга»")
    assert n.script == "Cyrl"
    assert {"oez", "alabuga"} <= all_variant_tokens(n)
    assert n.key == "oez alabuga"


def test_leading_russian_legal_form_is_typed_not_deleted() -> None:
    n = normalize_name("АО ОЭЗ ППТ «Алабуга»")
    first = n.tokens[0]
    assert (first.kind, first.canonical, first.text) == ("legal_form", "jsc", "ao")
    assert first.source_script == "Cyrl"
    assert n.key == "oez ppt alabuga"
    assert n.legal_forms == {"jsc"}


def test_legal_form_phrase_in_cyrillic_and_latin() -> None:
    n = normalize_name("Акционерное общество «Особая экономическая зона Алабуга»")
    assert [t.canonical for t in n.tokens[:2]] == ["jsc", "jsc"]
    assert n.tokens[2].kind == "name"
    latin = normalize_name("Aktsionernoe Obshchestvo Alabuga")
    assert latin.legal_forms == {"jsc"}
    assert latin.key == "alabuga"
    llc = normalize_name("Obshchestvo s Ogranichennoi Otvetstvennostiu Romashka")
    assert llc.legal_forms == {"llc"}
    assert llc.key == "romashka"


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("ООО Ромашка", "llc"),
        ("OOO Romashka", "llc"),
        ("Romashka LLC", "llc"),
        ("ТОВ Ромашка", "llc"),
        ("ПАО Сбербанк", "pjsc"),
        ("PJSC Sberbank", "pjsc"),
        ("ЗАО Ромашка", "cjsc"),
        ("Siemens AG", "ag"),
        ("Muller GmbH", "gmbh"),
        ("Acme Pvt. Ltd.", "ltd"),
        ("Acme S.A.", "sa"),
        ("Acme sp. z o.o.", "llc"),
        ("Acme FZE", "fze"),
        # Arabic abbreviations with dots or spaces: free-zone establishment, DMCC, LLC
        ("اكمي م.م.ح", "fze"),
        ("اكمي م.د.م.س", "fze"),
        ("اكمي ش م ح", "fze"),
        ("اكمي ش.ذ.م.م", "llc"),
        # Japanese: a public kabushiki kaisha (yūgen kaisha: test_japanese_legal_forms)
        ("公開株式会社 Acme", "pjsc"),
        ("Acme Limited Liability Company", "llc"),
    ],
)
def test_legal_forms(name: str, canonical: str) -> None:
    n = normalize_name(name)
    assert canonical in n.legal_forms
    assert n.key in ("romashka", "sberbank", "siemens", "muller", "acme", "akmy")


def test_japanese_legal_forms() -> None:
    n = normalize_name("CST有限会社")  # written joined to the name, as Japanese does
    assert "llc" in n.legal_forms and n.key == "cst"


def test_persian_sherkat_and_sahami_khass() -> None:
    n = normalize_name("شرکت سهامی خاص بانک ملی ایران")
    assert n.script == "Arab"
    assert n.tokens[0].kind == "legal_form" and n.tokens[0].canonical == "co"
    assert "cjsc" in n.legal_forms
    assert n.key  # the bank's own name remains
    latin = normalize_name("Sherkat Sahami Khass Bank Melli Iran")
    assert latin.legal_forms == {"co", "cjsc"}
    assert latin.key == "melli iran"  # "bank" is a generic word, typed and weighed lightly


def test_chinese_suffixes_split_and_typed() -> None:
    n = normalize_name("中国石油天然气集团有限公司")
    assert n.script == "Hani"
    assert n.key and n.key.isascii()
    assert "ltd" in n.legal_forms
    assert any(t.kind == "generic" and t.canonical == "group" for t in n.tokens)


def test_korean_name_and_company() -> None:
    n = normalize_name("김정은")
    assert ("kim", "jong", "un") in n.variants
    c = normalize_name("조선광선은행 주식회사")
    assert c.key.isascii() and c.key
    assert c.legal_forms == {"jsc"}


def test_person_name_variant() -> None:
    n = normalize_name("Шагивалеев Тимур Наилевич")
    assert ("shagivaleev", "timur", "nailevich") in n.variants
    assert n.variants[0] == ("shagivaleev", "timur", "nailevich")
    assert len(n.variants) <= 5


def test_honorifics_typed_in_leading_run_only() -> None:
    n = normalize_name("Mr. Haji al-Haj Abdul Khan")
    assert [t.kind for t in n.tokens[:4]] == ["honorific"] * 4
    assert n.key == "abdul khan"
    assert normalize_name("General Electric").key == "general electric"
    g = normalize_name("General Qasem Soleimani")
    assert g.tokens[0].kind == "honorific" and g.key == "qasem soleimani"


def test_arabic_script_words_meet_phrases_only_as_written() -> None:
    # "عمر" (Omar) is transliterated "mr": a name, not the honorific "Mr"
    n = normalize_name("عمر محمود عثمان")
    assert (n.tokens[0].text, n.tokens[0].kind) == ("mr", "name")
    # native spellings of honorifics and legal forms are still typed
    kinds = {t.text: t.kind for t in normalize_name("حاجی خيرالله").tokens}
    assert kinds["hajy"] == "honorific"
    kinds = {t.text: t.kind for t in normalize_name("شرکت صنایع هوایی قدس").tokens}
    assert kinds["shrkt"] == "legal_form"


def test_generic_words_typed_not_deleted() -> None:
    n = normalize_name("Alabuga International Trading Group")
    assert [t.kind for t in n.tokens] == ["name", "generic", "generic", "generic"]
    assert n.key == "alabuga"
    only_generic = normalize_name("International Trading Company")
    assert only_generic.key == "international trading company"  # falls back to all tokens


def test_obfuscated_names_equal_clean_names() -> None:
    assert normalize_name("Ala\u200bbuga").key == normalize_name("Alabuga").key
    assert normalize_name("\u0410L\u0410BUG\u0410").key == "alabuga"
    n = normalize_name("\u0410\u0412\u0421 Trading")
    assert n.key == "abc"
    assert "confusable letters" in n.obfuscation


def test_real_cyrillic_not_folded_into_garbage() -> None:
    n = normalize_name("Москва Тектоника")
    assert n.key == "moskva tektonika"
    # a Cyrillic name made only of Latin look-alikes keeps its reading first,
    # and its look-alike reading as a further variant
    abb = normalize_name("АВВ")
    assert abb.variants[0] == ("avv",)
    assert ("abb",) in abb.variants


def test_numbers_typed() -> None:
    n = normalize_name("Ocean Star 7")
    assert n.tokens[-1].kind == "number"
    assert n.key == "ocean star 7"


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("", "empty"),
        ("   \t ", "whitespace"),
        ("\u200b\u200d\ufeff", "invisible"),
        ("«—»!?.", "punctuation"),
        ("\x00\x01", "control"),
    ],
)
def test_empty_inputs_raise_input_error_with_reason(name: str, why: str) -> None:
    with pytest.raises(InputError, match=why):
        normalize_name(name)


def test_too_long_names_raise_with_limit() -> None:
    with pytest.raises(InputError, match="1,000"):
        normalize_name("a" * 10_000)
    assert normalize_name("a" * MAX_NAME_LENGTH).key


def test_non_text_input_raises_input_error() -> None:
    with pytest.raises(InputError):
        normalize_name(b"Alabuga")  # type: ignore[arg-type]


def test_control_characters_and_surrogates_warned_not_crashing() -> None:
    n = normalize_name("Ala\x07buga\udcff")
    assert n.key == "alabuga"
    assert len(n.warnings) == 2


def test_untransliterable_script_falls_back_to_original_characters() -> None:
    n = normalize_name("ᎠᏍᎦᏯ")
    assert n.fallback
    assert n.fallback_reason and "no transliteration" in n.fallback_reason
    assert n.key == "ᎠᏍᎦᏯ".casefold()


def test_ethiopic_and_armenian_are_transliterated() -> None:
    # ICU writes a schwa ("ǝ", "Ə") that Latin-ASCII keeps: it is read, not a fallback
    n = normalize_name("ኤርሚኣስ ግርማይ")
    assert not n.fallback and n.key == "ermias grmay"
    a = normalize_name("«ՏԱԿՈ» ՍՊԸ")
    assert not a.fallback and a.key == "tako"  # ՍՊԸ: the Armenian LLC, a legal form


def test_cached_and_frozen() -> None:
    a = normalize_name("Bank Melli Iran")
    assert normalize_name("Bank Melli Iran") is a
    with pytest.raises(AttributeError):
        a.cleaned = "x"  # type: ignore[misc]


@settings(max_examples=400, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_any_text_gives_a_key_or_input_error(text: str) -> None:
    try:
        n = normalize_name(text)
    except InputError:
        return
    assert n.key
    assert all(t.text for t in n.tokens)


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.characters(categories=("L", "Nd", "Zs", "P", "Cf", "Mn")),
        min_size=1,
        max_size=40,
    ).filter(lambda s: any(c.isalpha() for c in s))
)
@example("a𡨤ヽ")  # ICU rejected it: a character beyond the BMP before an iteration mark
def test_text_with_a_letter_gives_a_key_or_input_error(text: str) -> None:
    try:
        n = normalize_name(text)
    except InputError as e:
        assert str(e)
        return
    assert n.key.strip()


def test_typed_tokens_do_not_depend_on_the_string_hash_seed() -> None:
    """ "公司" in the middle of a name is both a legal form and a generic word; which reading
    won followed the set order of its spellings, so Spark executors and local workers
    (other processes, other seeds) normalised some Chinese names differently."""
    import os
    import subprocess
    import sys

    code = (
        "from stopship.match.prepare import prepare\n"
        "names = ['惠派国际公司科技有限公司', '菊风公司科技有限公司', 'ООО Ромашка Трейдинг']\n"
        "print([prepare(n).variants for n in names])\n"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3", "4", "5", "6")
    }
    assert len(outs) == 1, outs


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        # words of multi-word legal forms, reordered out of their phrase, are legal words
        ("LIABILITY COMPANY ROMASHKA LLC", ["legal_form", "legal_form", "name", "legal_form"]),
        ("STOCK JOINT COMPANY ROMASHKA", ["legal_form", "legal_form", "legal_form", "name"]),
        # ... but ordinary words that also occur in legal forms stay names
        ("FREE DONBAS Inc.", ["name", "name", "legal_form"]),
        ("Innovio Ventures LLC", ["name", "name", "legal_form"]),
        ("Open Zone Trading LLC", ["name", "name", "generic", "legal_form"]),
        # a word one typo away from a legal-form word is a name outside a phrase: "klass"
        # is not the "khass" of "sahami khass" (it used to drop from "JSC NPP KLASS")
        ("JSC NPP KLASS", ["legal_form", "name", "name"]),
        ("ООО Класс", ["legal_form", "name"]),
        # ... while a typo inside a phrase still reads as the phrase
        ("ROMASHKA LIMITED LIABILTY COMPANY", ["name", "legal_form", "legal_form", "legal_form"]),
    ],
)
def test_loose_legal_form_words(name: str, kinds: list[str]) -> None:
    assert [t.kind for t in normalize_name(name).tokens] == kinds


def test_persian_investment_written_in_latin_is_a_generic_word() -> None:
    # "سرمایه گذاری" (investment) as the lists transliterate it: a generic word, so two
    # investment companies do not match on it ("SARMAYE GOZARI DAY" / "سرمايه گذاري بوعلي")
    n = normalize_name("SARMAYE GOZARI DAY")
    assert [t.kind for t in n.tokens] == ["generic", "generic", "name"]


def test_bank_is_a_generic_word() -> None:
    # a bank's own name tells it apart, not the word "bank": "Уралсиб" is "BANK URALSIB"
    n = normalize_name("BANK URALSIB PJSC")
    assert [t.kind for t in n.tokens] == ["generic", "name", "legal_form"]
    assert [t.kind for t in normalize_name("بانک ملت").tokens] == ["generic", "name"]
    from stopship.match import Matcher, Query
    from tests.named import named

    m = Matcher.build(
        [
            named("u", "BANK URALSIB PJSC", "organization"),
            named("o", "Bank Otkritie", "organization"),
        ],
        versions={"t": 1},
    )
    r = m.match(Query(name="Уралсиб"))
    assert r.hits and r.hits[0].entity_id == "t:u" and r.hits[0].alert, r.hits[:1]
    assert not m.match(Query(name="Банк Восток")).alert


def test_a_russian_name_with_a_word_typed_in_latin_look_alikes_is_also_read_in_cyrillic() -> None:
    from stopship.match.prepare import prepare_query
    from stopship.normalize.text import latin_as_cyrillic

    assert latin_as_cyrillic("OOO “ТМ-ТЕХ”") == "ООО “ТМ-ТЕХ”"
    assert latin_as_cyrillic("AHO Диалог") == "АНО Диалог"
    # not a name in one script, nor one with a Latin letter without a Cyrillic twin
    assert latin_as_cyrillic("Sberbank") is None
    assert latin_as_cyrillic("ТЕХ") is None
    assert latin_as_cyrillic("Tactical Missile Corporation ОБЩЕСТВО") is None
    # the look-alike reading stays first ("TM-TEX" could be a Latin name in disguise); the
    # Cyrillic one follows, with its legal form and its English reading ("тех" tech)
    p = prepare_query("OOO “ТМ-ТЕХ”")
    assert p.variants[0] == ("tm", "tex") and ("tm", "tech") in p.variants
    assert "nko" in prepare_query("AHO Диалог").legal_forms


def test_ano_written_in_latin_is_a_legal_form() -> None:
    # "АНО" (autonomous non-profit organisation) as the lists write it in Latin
    for name in ("ANO Dialog", "Autonomous Non-Profit Organization Dialog"):
        n = normalize_name(name)
        assert n.legal_forms == {"nko"} and n.key == "dialog", name


def test_a_russian_two_letter_legal_form_inside_a_name() -> None:
    # a name and its short form one after the other: "АО" inside is a legal form too
    n = normalize_name("Акционерное общество «Швабе» АО «Швабе»")
    assert [t.kind for t in n.tokens if t.text == "ao"] == ["legal_form"]
    # ... but only as written in Cyrillic: "ПТ" read "pt" is no Indonesian form, and a
    # Latin two-letter form inside a name stays a word ("Zhang Ao Wei")
    assert "pt" not in normalize_name("ООО ПТ-ЭЛЕКТРОНИК").legal_forms
    assert normalize_name("Zhang Ao Wei").legal_forms == frozenset()


def test_a_company_name_restated_is_compared_once() -> None:
    from stopship.match.prepare import prepare

    assert prepare("Акционерное общество «Швабе» АО «Швабе»").variants[0] == ("shvabe",)
    assert prepare("Avangard JSC (JSC Avangard)").variants[0] == ("avangard",)
    # a person's name keeps a word written twice
    assert prepare("Ahmed Ahmed").variants[0] == ("ahmed", "ahmed")


@pytest.mark.parametrize(
    "name",
    [
        "Федеральное государственное бюджетное учреждение науки Институт физики",
        "Federal State-Financed Institution of Science Institute of Physics",
        "ФГБОУ ВО Институт физики",
        "FGAU Institute of Physics",
        "Федеральное казенное предприятие Институт физики",
    ],
)
def test_a_russian_state_institutions_form_is_a_legal_form(name: str) -> None:
    n = normalize_name(name)
    assert "state_institution" in n.legal_forms, name
    assert not {"federal", "state", "institution", "science"} & set(n.key.split()), n.key


def test_words_of_a_state_institutions_form_stay_words_outside_it() -> None:
    # the phrase's words are no loose legal-form words: "institute", "science", "higher"
    n = normalize_name("Joint Stock Company Higher Research Institute of Science")
    assert n.legal_forms == {"jsc"}
    assert {"higher", "institute", "science"} <= set(n.key.split()), n.key


def test_rup_written_in_latin_is_a_legal_form() -> None:
    # "РУП" (рэспубліканскае унітарнае прадпрыемства) as the lists write it in Latin
    assert normalize_name("RUP BELMYTSERVIS").legal_forms == {"unitary_enterprise"}


@pytest.mark.parametrize(
    "name",
    [
        "ГУП «Ромашка»",
        "Дочернее унитарное предприятие «Ромашка»",
        "Subsidiary unitary enterprise Romashka",
        "FGUP Romashka",
        "Federal State Unitary Enterprise Romashka",
    ],
)
def test_a_unitary_enterprise_is_one_legal_form_in_any_spelling(name: str) -> None:
    # one form, not two that disagree ("унитарное предприятие" / "unitary enterprise")
    assert normalize_name(name).legal_forms == {"unitary_enterprise"}


def test_arabic_and_persian_letters_of_one_sound_meet_the_vocabulary() -> None:
    # the vocabulary writes "حاجی" (Persian yeh); Arabic writes "حاجي", "حاجى"
    for name in ("حاجى مالك نورزى", "حاجي مالك نورزى", "حاجی مالک نورزی"):
        assert normalize_name(name).key == "malk nwrzy", name


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        # names one edit from a legal-form word stay names: "Tahami" is no typo of the
        # Persian "sahami" (joint stock), "Aisha" none of "kaisha", "Musa" none of "mwssa"
        ("TAHAMI Seyyed Javad", ["name", "name", "name"]),
        ("Aisha QADHAFI", ["name", "name"]),
        ("Mussa KUSA", ["name", "name"]),
        ("ANSAR AL SHARIA", ["name", "name", "name"]),
        # typos of legal-form words still read as them: two letters swapped, or another
        # edit in a longer word
        ("JOITN STOCK COMPANY ROMASHKA", ["legal_form", "legal_form", "legal_form", "name"]),
        ("ROMASHKA LMITED", ["name", "legal_form"]),
        # Spanish and Portuguese "company"
        ("Compania Minera Romashka", ["legal_form", "name", "name"]),
        ("Companhia Romashka", ["legal_form", "name"]),
    ],
)
def test_a_name_near_a_legal_form_word_is_a_name(name: str, kinds: list[str]) -> None:
    assert [t.kind for t in normalize_name(name).tokens] == kinds
