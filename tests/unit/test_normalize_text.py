"""normalize.text: invisible characters, confusables, punctuation."""

from __future__ import annotations

import pytest

from stopship.normalize.text import clean, clean_detail


@pytest.mark.parametrize(
    "dirty",
    [
        "Ala\u200bbuga",
        "Ala\u200cbu\u200dga",
        "\ufeffAlabuga\u2060",
        "Ala\u00adbuga",
        "\u202eAlabuga\u202c",
        "\u2066Ala\u200ebuga\u200f\u2069",
        "Ala\ufe0fbuga",
        "ＡＬＡＢＵＧＡ",  # fullwidth
        "𝐀𝐥𝐚𝐛𝐮𝐠𝐚",  # mathematical bold
    ],
)
def test_invisibles_and_compatibility_forms_removed(dirty: str) -> None:
    assert clean(dirty) == "alabuga"


def test_invisible_removal_is_reported_as_obfuscation() -> None:
    assert "invisible characters" in clean_detail("Ala\u200bbuga").obfuscation
    assert clean_detail("Alabuga").obfuscation == ()


def test_punctuation_quotes_dashes_to_spaces_apostrophes_dropped() -> None:
    assert clean("ОЭЗ «Алабуга»") == "оэз алабуга"
    assert clean("O'Brien") == "obrien"
    assert clean("O’Brien—Smith") == "obrien smith"
    assert clean("  al-Haj ,  Khan  ") == "al haj khan"
    assert clean('"Alabuga" (SEZ)') == "alabuga sez"


def test_dotted_acronyms_joined() -> None:
    assert clean("Alabuga S.A.") == "alabuga sa"
    assert clean("Acme L.L.C.") == "acme llc"
    assert clean("Foo sp. z o.o.") == "foo sp z oo"


def test_cyrillic_lookalikes_in_latin_token_folded() -> None:
    # Cyrillic А in an otherwise Latin token
    assert clean("\u0410L\u0410BUG\u0410") == "alabuga"
    assert clean("SB\u0415RBANK") == "sberbank"
    r = clean_detail("SB\u0415RBANK")
    assert "confusable letters" in r.obfuscation


def test_greek_lookalikes_in_latin_name_folded() -> None:
    assert clean("\u0391\u0392\u0392 Ltd") == "abb ltd"  # Greek ΑΒΒ


def test_all_lookalike_cyrillic_token_folded_only_in_latin_context() -> None:
    assert clean("\u0410\u0412\u0421 Trading") == "abc trading"  # Cyrillic АВС
    # real Cyrillic stays Cyrillic
    assert clean("ООО Ромашка") == "ооо ромашка"
    assert clean("ОЭЗ Алабуга") == "оэз алабуга"


def test_latin_letter_hidden_in_cyrillic_token_folded_to_cyrillic() -> None:
    assert clean("Aлабуга") == "алабуга"  # Latin A + Cyrillic


def test_mostly_cyrillic_token_with_latin_only_letters_is_latin() -> None:
    # found by hypothesis: six Cyrillic look-alikes and R, L, S, N, T, which have no
    # Cyrillic twin, so the word cannot be Cyrillic
    assert clean("OCE\u0410N \u0420\u0415\u0410RL\u0415S\u0421\u0415NT") == "ocean pearlescent"


def test_digit_lookalikes_only_inside_words() -> None:
    assert clean("SBERBANK0") == "sberbanko"
    assert clean("B0EING") == "boeing"
    assert clean("Boeing 737") == "boeing 737"
    assert clean("A320") == "a320"
    assert clean("MIG29") == "mig29"


def test_control_characters_and_surrogates_removed_with_warning() -> None:
    r = clean_detail("Ala\x00bu\x07ga")
    assert r.text == "alabuga"
    assert any("control" in w for w in r.warnings)
    r = clean_detail("Ala\udcffbuga")
    assert r.text == "alabuga"
    assert any("surrogate" in w for w in r.warnings)
    assert clean("Ala\tbuga\nSEZ") == "ala buga sez"


@pytest.mark.parametrize(
    ("disguised", "latin"),
    [
        # an all-Greek look-alike token next to a mixed one: Latin once the mixed one is
        ("ΕΡ-ΜNН", "ep mnh"),
        # a Greek-majority mixed token next to a name that is Latin once folded
        ("ΗΑΜEIAΗ, Mаmil", "hameiah mamil"),
    ],
)
def test_lookalikes_judged_in_the_context_folded_so_far(disguised: str, latin: str) -> None:
    r = clean_detail(disguised)
    assert r.text == latin
    assert "confusable letters" in r.obfuscation


def test_real_greek_and_cyrillic_names_are_not_folded() -> None:
    assert clean("ΠΑΠΑΔΟΠΟΥΛΟΣ") == "παπαδοπουλοσ"  # casefold: final sigma as σ
    assert clean("ТАА Рухсерваматор") == "таа рухсерваматор"


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        # an ordinal is its digits, written in English or in Russian
        ("142nd Separate Battalion", "142 separate battalion"),
        ("142-й отдельный батальон", "142 отдельный батальон"),
        ("20-я армия", "20 армия"),
        ("27-го центра", "27 центра"),
        # not a letter that is a word of its own, nor digits inside a word
        ("Office 39", "office 39"),
        ("3M Company", "3m company"),
        ("Я 5 я", "я 5 я"),
    ],
)
def test_ordinals_are_their_digits(text: str, cleaned: str) -> None:
    assert clean(text) == cleaned
