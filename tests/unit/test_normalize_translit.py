"""normalize.translit: Latin spellings per script."""

from __future__ import annotations

import threading

from stopship.normalize.translit import ascii_fold, latin_variants, skeleton


def test_latin_ascii_fold() -> None:
    assert latin_variants("müller straße", "Latn") == ("muller strasse",)
    assert ascii_fold("øresund łódź ılıca") == "oresund lodz ilica"


def test_russian_variants() -> None:
    v = latin_variants("шагивалеев тимур наилевич", "Cyrl")
    assert v[0] == "shagivaleev timur nailevich"
    assert "shagivaleyev timur nailevich" in v  # BGN/PCGN
    assert 2 <= len(v) <= 4


def test_russian_passport_and_common_spellings() -> None:
    v = latin_variants("юлия щербакова", "Cyrl")
    assert "yuliya shcherbakova" in v  # common English
    assert "iuliia shcherbakova" in v  # passport / ICAO 9303


def test_ukrainian_national_system_first() -> None:
    v = latin_variants("євген згурський", "Cyrl")
    assert v[0] == "yevhen zghurskyi"


def test_belarusian_national_system_first_and_not_read_as_ukrainian() -> None:
    # "і" alone would say Ukrainian; "ы", "э", "ё" or "ў" say Belarusian
    assert latin_variants("аляксандр генрыхавіч турчын", "Cyrl")[0] == (
        "aliaksandr henrykhavich turchyn"
    )
    assert latin_variants("міхаіл кавалёў", "Cyrl")[0] == "mikhail kavaliou"
    assert latin_variants("яўген", "Cyrl")[0] == "yauhen"
    v = latin_variants("аляксандр генрыхавіч", "Cyrl")
    assert all(len(s.split()) == 2 for s in v), v  # no spelling breaks a word apart


def test_belarusian_names_also_get_their_russian_spelling() -> None:
    # the lists often spell a Belarusian party the Russian way: "Demidova", "Voinov"
    v = latin_variants("алена міхайлаўна дзямідава", "Cyrl")
    assert v[0] == "alena mikhailauna dziamidava"
    assert "alena mikhaylovna demidova" in v, v
    assert "boguslavskiy" not in latin_variants("багуслаўскі", "Cyrl")  # а/о: stress
    assert "baguslavskiy" in latin_variants("багуслаўскі", "Cyrl")
    assert "voinov" in latin_variants("воінаў", "Cyrl")
    assert "tsentrov" in latin_variants("цэнтраў", "Cyrl")  # "ц" before "э" stays "ц"
    # "ы" after a hard hushing consonant, and "еа", as Russian writes them
    assert "aleg leonidovich voinov" in latin_variants("алег леанідавіч воінаў", "Cyrl")
    assert "mazhilovskiy" in latin_variants("мажылоўскі", "Cyrl")  # ў: Belarusian


def test_stress_marks_do_not_split_words() -> None:
    from stopship.normalize.text import clean

    assert clean("Алякса\u0301ндр ТУРЧЫ\u0301Н") == "аляксандр турчын"


def test_arabic_and_skeleton() -> None:
    v = latin_variants("محمد حسين", "Arab")
    assert v[0] == "mhmd hsyn"
    assert skeleton("mohammad hussein") == skeleton(v[0]) == "mhmd hsn"


def test_a_soft_c_meets_the_sin_in_the_skeleton() -> None:
    # French "Lounici" for "لونيسي"; "ch" stays the shin, a hard "c" is the kaf or qaf
    assert skeleton(latin_variants("لونيسي", "Arab")[0]) == skeleton("lounici")
    assert skeleton("cheikh") == "shkh"
    assert skeleton("islamic") == "slmk"
    assert skeleton(latin_variants("دوراسكو", "Arab")[0]) == skeleton("dorasco") == "drsk"
    assert skeleton(latin_variants("قاسم", "Arab")[0]) == skeleton("cassem")
    # Arabic writes a foreign "p" with the ba
    assert skeleton(latin_variants("نبتونوس", "Arab")[0]) == skeleton("neptunus")


def test_korean_person_names_also_get_the_northern_spelling() -> None:
    # the lists spell North Korean names syllable by syllable, McCune-Reischauer style
    v = latin_variants("노광철", "Hang", limit=5)
    assert "no kwang chol" in v, v
    assert "hwang kil su" in latin_variants("황길수", "Hang", limit=5)


def test_ayn_and_hamza_do_not_split_arabic_words() -> None:
    # ICU writes ayn as "ʿ": "سعید" was "s yd", which no Latin "Said" could meet
    assert latin_variants("سعید", "Arab")[0] == "syd"
    assert latin_variants("اسماعیل", "Arab")[0] == "asmayl"
    assert skeleton(latin_variants("سعید", "Arab")[0]) == skeleton("said")


def test_han_pinyin_variants() -> None:
    v = latin_variants("王小明", "Hani")
    assert v[0] == "wang xiaoming"
    assert "wang xiao ming" in v
    assert "wangxiaoming" in v


def test_hangul_variants_include_common_name_spelling() -> None:
    v = latin_variants("김정은", "Hang")
    assert "kim jong un" in v
    assert "gim jeong eun" in v


def test_other_scripts_any_latin() -> None:
    assert latin_variants("αλέξανδρος", "Grek") == ("alexandros",)
    assert latin_variants("Հայաստան", "Armn") == ("hayastan",)
    assert latin_variants("საქართველო", "Geor") == ("sakartvelo",)


def test_untransliterable_script_gives_nothing() -> None:
    assert latin_variants("ᎠᏍᎦᏯ") == ()


def test_thread_safe() -> None:
    errors: list[BaseException] = []
    words = [f"тимур{i}" for i in range(200)]

    def work() -> None:
        try:
            for w in words:
                assert latin_variants(w, "Cyrl")[0].startswith("timur")
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors


def test_arabic_taa_marbuta_reads_as_a_vowel_and_dj_as_j() -> None:
    from stopship.normalize.translit import arabic_marked, skeleton, token_schemes

    # ة is the feminine ending that Latin spellings write as "a" (Hamza, Osama), not "t"
    assert token_schemes("حمزة", "Arab") == ("hmza", "hmz")
    assert skeleton("hamza") == "hmz"
    assert arabic_marked("عكاشة") == "3kasha"
    # the French-style "dj" for ج: "Djamel" has the skeleton of "Jamal"
    assert skeleton("djamel") == skeleton("jamal") == "jml"


def test_skeleton_folds_latin_spellings_of_one_arabic_consonant() -> None:
    from stopship.normalize.translit import skeleton, token_schemes

    # French "ch" for the shin: "Akkacha" is عكاشة ('kasha')
    assert skeleton("akkacha") == skeleton(token_schemes("عكاشة", "Arab")[0])
    assert skeleton("cheikh") == skeleton("shaykh")
    # "k" for the qaf: "Kassem" is قاسم ('qasm')
    assert skeleton("kassem") == skeleton(token_schemes("قاسم", "Arab")[0])
    # ص then ح is "sh" in ICU too: it is not the shin ("Sahraoui", "Suhail", "Sohrab")
    assert skeleton("sahraoui") == skeleton(token_schemes("صحراوي", "Arab")[0])
    assert skeleton("suhail") == skeleton(token_schemes("سهيل", "Arab")[0])
    assert skeleton("sohrab") == skeleton(token_schemes("سهراب", "Arab")[0])


def test_written_yo_is_yo_in_the_common_spelling_and_e_in_the_passport_one() -> None:
    from stopship.normalize.translit import latin_variants

    assert latin_variants("воробьёв")[:2] == ("vorobyov", "vorobev")
    assert latin_variants("фёдоров")[:2] == ("fyodorov", "fedorov")
    assert latin_variants("серёженко")[0] == "seryozhenko"
    assert latin_variants("хрущёв")[0] == "khrushchov"  # after щ: "o"


def test_bgn_and_iso9_signs_do_not_split_a_word() -> None:
    from stopship.normalize.translit import token_schemes

    schemes = token_schemes("юрьевич", "Cyrl")
    assert all(" " not in s for s in schemes)
    assert "yuryevich" in schemes  # BGN's Yur'yevich, the apostrophe dropped


def test_latin_letters_with_diaeresis_in_a_cyrillic_word_are_folded_into_it() -> None:
    from stopship.match.prepare import prepare_query

    p = prepare_query("ТКАЧËВ")  # Latin Ë
    assert p.variants[0] == ("tkachyov",)
    assert "confusable letters" in p.obfuscation


def test_hebrew_words_are_read_as_the_lists_spell_them() -> None:
    from stopship.normalize.translit import hebrew_alternates, token_schemes

    assert token_schemes("מאיר", "Hebr") == ("mayr",)  # alef is a vowel, not a break
    assert token_schemes("משה", "Hebr") == ("msha",)  # a final he is the vowel
    assert token_schemes("מרדכי", "Hebr") == ("mrdchy",)  # כ as "ch": Mordechai
    assert hebrew_alternates("שרביט")[:2] == ("shrvyt", "shrvyt")  # ב as "v": Sharvit
    assert hebrew_alternates("חנה")[:2] == ("chna", "hna")  # ח as "ch" or "h"


def test_hebrew_names_meet_their_latin_spellings() -> None:
    from stopship.match import Matcher, Query
    from stopship.model import Entity

    def person(rid: str, name: str) -> Entity:
        return Entity.model_validate(
            {
                "id": f"t:{rid}",
                "source": "t",
                "record_id": rid,
                "kind": "person",
                "names": [{"value": name, "type": "primary"}],
            }
        )

    m = Matcher.build(
        [person("s", "Moshe SHARVIT"), person("e", "Elisha YERED"), person("x", "Moshe BARAK")],
        versions={"t": 1},
    )
    for query, expected in (("משה שרביט", "t:s"), ("אלישע ירד", "t:e")):
        hits = m.match(Query(name=query), threshold=0.0).hits
        assert hits[0].entity_id == expected and hits[0].alert
        assert all(not h.alert for h in hits[1:])


def test_korean_names_also_get_the_south_korean_passport_spelling() -> None:
    from stopship.normalize.translit import token_schemes

    assert "kim sung su" in token_schemes("김성수", "Hang")
    assert "park young han" in token_schemes("박영한", "Hang")


def test_a_korean_name_ending_in_ju_keeps_it() -> None:
    from stopship.match.prepare import prepare_query

    # "주" alone is the abbreviation of 주식회사 ("(주)"), not a syllable of a name
    assert prepare_query("리용주").variants[0] == ("ri", "yong", "ju")
    assert prepare_query("리용주").legal_forms == frozenset()
    assert prepare_query("삼성전자 (주)").legal_forms == {"jsc"}


def test_urdu_and_pashto_letters_are_read_as_their_arabic_letters() -> None:
    from stopship.match.prepare import prepare

    # ہ and ھ are heh: "اظہر" is one word, Azhar, not "az" + "r"
    assert prepare("اظہر").variants[0] == prepare("اظهر").variants[0] == ("azhr",)
    assert prepare("ابراھیم").skeleton == prepare("ابراهیم").skeleton
    # yeh barree, tteh, ddal, rreh, noon ghunna: transliterated, none left as written
    for word in ("علے", "ٹوپی", "ڈار", "پہاڑ", "میں"):
        assert all(ch.isascii() for ch in "".join(prepare(word).variants[0])), word


def test_no_cyrillic_letter_is_lost_under_any_scheme() -> None:
    import unicodedata

    from stopship.normalize.text import clean
    from stopship.normalize.translit import token_schemes

    blocks = (*range(0x0400, 0x0530), *range(0x1C80, 0x1C89), *range(0xA640, 0xA6A0))
    lost = []
    for cp in blocks:
        ch = chr(cp)
        if not unicodedata.category(ch).startswith("L"):
            continue
        (token,) = clean("аб" + ch + "аб").split()
        for lang in (None, "uk", "be"):
            for spelled in token_schemes(token, "Cyrl", lang):
                # one word, ASCII, with the letters around it: nothing split or dropped
                if not (spelled.isascii() and spelled.startswith("ab") and " " not in spelled):
                    lost.append((unicodedata.name(ch), lang, spelled))
    assert not lost, lost[:10]


def test_kazakh_tatar_and_tajik_letters_are_spelled_as_english_writes_them() -> None:
    assert latin_variants("әлинә кабаева", "Cyrl")[0] == "alina kabaeva"
    assert latin_variants("қасым жомарт тоқаев", "Cyrl")[0] == "kasym zhomart tokaev"
    assert latin_variants("нұрсұлтан назарбаев", "Cyrl")[0] == "nursultan nazarbaev"
    assert latin_variants("ҷумъа", "Cyrl")[0] == "juma"
    assert latin_variants("өмір", "Cyrl")[0] == "omir"


def test_bgn_middle_dot_does_not_split_a_word() -> None:
    from stopship.normalize.translit import token_schemes

    # BGN/PCGN writes "ы" before a vowel as "y·"; the dot is no letter
    assert token_schemes("выаб", "Cyrl")[2] == "vyab"


def test_a_tatar_name_meets_its_latin_spelling() -> None:
    from stopship.match import Matcher, Query
    from tests.named import named

    m = Matcher.build(
        [named("k", "Alina Maratovna KABAEVA", "person"), named("l", "Lina KABANOVA", "person")]
    )
    top = m.match(Query(name="Әлинә Маратовна Кабаева")).hits[0]
    assert top.entity_id == "t:k" and top.score == 1.0, top


def test_no_arabic_script_letter_is_lost() -> None:
    import unicodedata

    from stopship.normalize.text import clean
    from stopship.normalize.translit import token_schemes

    silent = {"\u0621", "\u0639", "\u0640"}  # hamza, ayn (marks), tatweel (no letter)
    lost = []
    for cp in (*range(0x0620, 0x06D4), *range(0x06EE, 0x0700), *range(0x0750, 0x0780)):
        ch = chr(cp)
        if not unicodedata.category(ch).startswith("L") or ch in silent:
            continue
        (token,) = clean("بب" + ch + "بب").split()
        primary = token_schemes(token, "Arab")[0]
        # one word, and a letter between the two beh of each side
        if " " in primary or not primary.startswith("b") or primary == "bbbb":
            lost.append((unicodedata.name(ch), primary))
    assert not lost, lost[:10]


def test_pashto_and_sindhi_letters_are_read() -> None:
    from stopship.normalize.translit import token_schemes

    assert token_schemes("ګل", "Arab")[0] == "kl"  # KAF WITH RING, as kaf
    assert token_schemes("ڪراچي", "Arab")[0] == "krachy"  # SWASH KAF


def test_no_latin_letter_is_lost() -> None:
    import unicodedata

    from stopship.normalize.text import clean

    # NFKC writes these as a letter and a punctuation mark: "l·", "aʾ"
    decomposed = {"Ŀ", "ŀ", "ẚ"}
    lost = []
    for cp in (*range(0x00C0, 0x02B0), *range(0x1E00, 0x1F00)):
        ch = chr(cp)
        if not ch.isalpha() or ch in decomposed:
            continue
        folded = ascii_fold(clean("ab" + ch + "ab"))
        if " " in folded or not (folded.startswith("ab") and folded.endswith("ab")):
            lost.append((unicodedata.name(ch), folded))
    assert not lost, lost[:10]


def test_azerbaijani_schwa_and_legal_forms() -> None:
    from stopship.match.prepare import prepare

    assert ascii_fold("əliyev məmmədov") == "aliyev mammadov"
    assert ascii_fold("ƏLİYEV".lower()) == "aliyev"
    p = prepare("‘Aqua Fleet Management’ Məhdud Məsuliyyətli Cəmiyyəti")
    assert p.variants[0] == ("aqua", "fleet", "management") and p.legal_forms == {"llc"}
    assert prepare("Azərbaycan Hava Yolları Qapalı Səhmdar Cəmiyyəti").legal_forms == {"cjsc"}


def test_georgian_and_armenian_apostrophes_do_not_split_a_word() -> None:
    assert latin_variants("კახეთი") == ("kakheti",)
    assert latin_variants("թորոս") == ("toros",)


def test_a_thai_word_stays_one_word() -> None:
    # ICU writes ISO 11940 with a space between syllables and marks on the letters
    assert latin_variants("จำกัด") == ("cakad",)
    assert latin_variants("เอ็กโซร่า") == ("eksora",)  # the carrier อ before a vowel: none
    assert latin_variants("เมนซ์") == ("mens",)


def test_thai_legal_forms_and_a_thai_company_meets_its_english_name() -> None:
    from stopship.match import Matcher, Query
    from stopship.match.prepare import prepare
    from tests.named import named

    p = prepare("บริษัท เอ็กโซร่า จำกัด")
    assert p.variants == (("eksora",),) and p.legal_forms == {"co", "ltd"}
    m = Matcher.build(
        [named("x", "EXORA CO., LTD", "organization"), named("y", "EXOTIC LTD", "organization")]
    )
    top = m.match(Query(name="บริษัท เอ็กโซร่า จำกัด")).hits[0]
    assert top.entity_id == "t:x" and top.alert, top
