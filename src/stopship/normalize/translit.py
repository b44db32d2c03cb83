"""Transliteration of cleaned tokens to ASCII Latin, with a few spellings per script.

Each script has a fixed, ordered list of *schemes* (the first is the primary spelling):

* ``Latn``: ASCII folding (ü -> u, ß -> ss, ø -> o, ł -> l, ı -> i).
* ``Cyrl``: common English spelling, Russian passport (ICAO 9303, 2013), BGN/PCGN
  (ICU ``Russian-Latin/BGN``) and ISO 9 (ICU ``Cyrillic-Latin``); for Ukrainian names
  (і ї є ґ present) the Ukrainian national system (2010) comes first.
* ``Arab``: ICU ``Arabic-Latin``, and its consonant skeleton (see :func:`skeleton`).
* ``Hani``: pinyin without tones: surname + joined given name, syllables, all joined.
* ``Hang``: Revised Romanization per syllable, a common DPRK/ROK name spelling
  (Kim, Ri, Pak, eo -> o), given name joined, all joined.
* everything else: ICU ``Any-Latin; Latin-ASCII``.

ICU transliterators are not thread-safe: one set per thread (``threading.local``).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import icu

from stopship.normalize.scripts import char_script, text_script

_ASCII_JUNK = re.compile(r"[^a-z0-9 ]+")
_VOWELS = re.compile(r"[aeiouyw]+")
_DOUBLES = re.compile(r"(.)\1+")
_SOFT_C = re.compile(r"c(?=[eiy])")

_local = threading.local()

_ICU_IDS = {
    "any": "Any-Latin; Latin-ASCII",
    "latin": "Latin-ASCII",
    "ru_bgn": "Russian-Latin/BGN; Latin-ASCII",
    "iso9": "Cyrillic-Latin; Latin-ASCII",
    "uk_bgn": "Ukrainian-Latin/BGN; Latin-ASCII",
    "arabic": "Arabic-Latin; Latin-ASCII",
    "han": "Han-Latin; Latin-ASCII",
    "han_names": "Han-Latin/Names; Latin-ASCII",
    "hangul": "Hangul-Latin; Latin-ASCII",
    "simplified": "Traditional-Simplified",
}


def _icu(name: str, text: str) -> str:
    cache: dict[str, Any] | None = getattr(_local, "trs", None)
    if cache is None:
        cache = {}
        _local.trs = cache
    tr = cache.get(name)
    if tr is None:
        tr = icu.Transliterator.createInstance(_ICU_IDS[name])
        cache[name] = tr
    try:
        return str(tr.transliterate(text))
    except icu.ICUError:
        # ICU rejects a few sequences ("𡨤ヽ": a character beyond the Basic Multilingual
        # Plane before an iteration mark): each character then on its own, a character
        # it still rejects as written
        return "".join(_icu_char(tr, c) for c in text)


def _icu_char(tr: Any, char: str) -> str:
    try:
        return str(tr.transliterate(char))
    except icu.ICUError:
        return char


def traditional_to_simplified(text: str) -> str:
    """Traditional Chinese characters written as Simplified (``電子`` -> ``电子``)."""
    return _icu("simplified", text)


#: 长 (長) begins a name as "chang" (长城 Changcheng, 长江, 长光 Chang Guang); ICU reads it
#: "zhang" (grow, chief), as it is said at the end of a title (董事长 dongshizhang). 常 is
#: "chang" in every word: it stands in for it where the name begins
_LEADING_CHANG = re.compile(r"(?<![\u3400-\u9fff])[长長]")


def _han_text(text: str) -> str:
    return _LEADING_CHANG.sub("常", text) if "长" in text or "長" in text else text


def han_pinyin(text: str) -> str:
    """Toneless pinyin of Chinese characters as one word (``比广`` -> ``biguang``)."""
    return _ascii(_icu("han", _han_text(text))).replace(" ", "")


def han_syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin of Chinese characters, a word per syllable (``比广`` -> ``bi``,
    ``guang``)."""
    return tuple(_ascii(_icu("han", _han_text(text))).split())


def _ascii(text: str) -> str:
    """Lower-case ASCII letters, digits and single spaces only."""
    return " ".join(_ASCII_JUNK.sub(" ", text.lower()).split())


def ascii_fold(text: str) -> str:
    """Latin text to ASCII: ``"Müller-Łódź"`` -> ``"muller lodz"``, ``"Əliyev"`` ->
    ``"aliyev"``."""
    if text.isascii():
        return _ascii(text)
    folded = _icu("any", text.replace("ı", "i"))
    if not folded.isascii():
        folded = folded.translate(_other_latin())
    # an apostrophe is part of the word ("ŉ" 'n, "ẚ" aʾ), not a break in it
    return _ascii(_no_signs(folded))


#: Latin letters that ICU's Latin-ASCII leaves as they are, as names spell them in ASCII:
#: the Azerbaijani schwa ("Əliyev" Aliyev, "Məmmədov" Mammadov, "Məhdud Məsuliyyətli
#: Cəmiyyəti"), the open o and gamma of West African alphabets, letters of phonetic
#: spellings
_LATIN_EXTRA = {
    "ə": "a", "ǝ": "a", "ɚ": "a", "ɐ": "a", "ɑ": "a", "ʌ": "a", "ɒ": "o", "ɔ": "o",
    "ɵ": "o", "ɘ": "e", "ɜ": "e", "ɝ": "e", "ɞ": "e", "ʚ": "e", "ɣ": "g", "ɤ": "g",
    "ʃ": "sh", "ʒ": "zh", "ǯ": "zh", "ƹ": "zh", "ʤ": "j", "ʧ": "ch", "ʩ": "ng",
    "ɩ": "i", "ʊ": "u", "ɸ": "f", "ȝ": "y", "ɥ": "h", "ɹ": "r", "ʁ": "r", "ʎ": "l",
    "ɯ": "u", "ɮ": "lzh", "ƛ": "l", "ƍ": "d", "ẟ": "d", "ɋ": "q", "ʞ": "k", "ʇ": "t",
    "ʍ": "w",
}  # fmt: skip


@lru_cache(maxsize=1)
def _other_latin() -> dict[int, str]:
    """_LATIN_EXTRA, with the capital letters, as a translation table; the other letters
    ICU leaves (clicks, glottal stops, tone letters) as nothing."""
    table: dict[int, str] = {}
    for cp in (*range(0x0180, 0x02B0), *range(0x1E00, 0x1F00)):
        ch = chr(cp)
        if not ch.isalpha() or _ascii(_icu("any", ch)):
            continue
        table[cp] = _LATIN_EXTRA.get(ch.lower(), "")
    for ch, spelled in _LATIN_EXTRA.items():
        table[ord(ch)] = spelled
        if ch.upper() != ch and len(ch.upper()) == 1:
            table[ord(ch.upper())] = spelled
    return table


def _named_base(ch: str, prefix: str, accept: Callable[[str], bool]) -> str | None:
    """The letter ``ch`` is made from, by its Unicode name (``prefix`` and the letter's
    own words): the letter named by the last words of its name before any "WITH" that
    ``accept`` takes, the longest such name first ("ARABIC LETTER KAF WITH RING": ك;
    "CYRILLIC SMALL LETTER ABKHASIAN CHE": ч). None when none is."""
    name = unicodedata.name(ch, "")
    if not name.startswith(prefix):
        return None
    words = name[len(prefix) :].split(" WITH ")[0].split()
    for k in range(len(words)):
        try:
            got = unicodedata.lookup(prefix + " ".join(words[k:]))
        except KeyError:
            continue
        if got != ch and accept(got):
            return got
    return None


def skeleton_letters(word: str) -> str:
    """A word's letters with the spellings that Latin writes one Arabic consonant with
    folded together, before vowels are dropped: French "dj" for the jim (ج: "Djamel" is
    Jamal), French "ch" for the shin (ش: "Akkacha", "Cheikh"), written "sh" as ICU writes
    it (and the Persian che چ, "ch" in ICU and most spellings, with it), "k" for the qaf
    (ق: "Kassem", "Kabir" as well as "Qasim"), and "w" for "v": the waw (و) is "w" in
    Arabic and "v" in Persian ("Javad", "Jawad"), and is dropped with the vowels as it is
    a vowel as often. ("ch" becomes "sh" and not the other way round: ICU also writes
    "sh" for ص or س followed by ح or ه, "صحراوي" ``shrawy``, which a Latin spelling
    writes with a vowel between, "Sahraoui", and must stay "s", "h".) A "c" before e, i
    or y is "s", as French and English write the sin (س: "Lounici", "Cecile"); "p" is
    "b", as Arabic writes the p of a foreign name ("نبتونوس" Neptunus)."""
    word = word.replace("dj", "j").replace("ch", "sh").replace("q", "k").replace("v", "w")
    word = word.replace("p", "b")
    if "c" in word:  # soft "s", else hard "k" ("Litasco" ليتاسكو, "Cassem" قاسم)
        word = _SOFT_C.sub("s", word).replace("c", "k")
    return word


def collapse_doubles(text: str) -> str:
    """The text with each run of one letter written once ("hossein" -> "hosein")."""
    return _DOUBLES.sub(r"\1", text)


def skeleton(text: str) -> str:
    """Consonant skeleton of ASCII text, per word: vowels (and y, w) dropped, doubled
    letters collapsed: ``"mohammad hussein"`` and ``"mhmd hsyn"`` -> ``"mhmd hsn"``.
    Apply it to both sides when comparing Arabic-script names with Latin spellings."""
    return " ".join([_word_skeleton(w) for w in text.split()])


@lru_cache(maxsize=200_000)
def _word_skeleton(word: str) -> str:
    """:func:`skeleton` of one word (names share their words: computed once each)."""
    s = collapse_doubles(_VOWELS.sub("", skeleton_letters(word)))
    return s or word[:1]


# --- Cyrillic tables -----------------------------------------------------------------

_RU_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
}  # fmt: skip
# Russian internal/foreign passport since 2013 = ICAO Doc 9303.
_RU_PASSPORT = {
    **_RU_COMMON,
    "й": "i", "ъ": "ie", "ю": "iu", "я": "ia",
}  # fmt: skip
# Ukrainian national transliteration (Cabinet of Ministers resolution 55, 2010).
_UK_NATIONAL = {
    **_RU_COMMON,
    "г": "h", "ґ": "g", "и": "y", "і": "i", "ї": "i", "й": "i", "є": "ie", "ю": "iu",
    "я": "ia", "ь": "", "щ": "shch",
}  # fmt: skip
_UK_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
UKRAINIAN_LETTERS = frozenset("іїєґ")
#: letters that Ukrainian does not use: a text with "і" and one of these is Belarusian
NOT_UKRAINIAN_LETTERS = frozenset("ыэёъў")
# Belarusian: the national romanisation (2007, as the EU and UK lists spell Belarusian
# names: "Aliaksandr", "Henrykavich", "Kavaliou"), and the Russian-style spelling.
_BE_NATIONAL = {
    **_RU_COMMON,
    "г": "h", "ґ": "g", "е": "e", "ё": "io", "і": "i", "й": "i", "ў": "u", "ы": "y",
    "э": "e", "ю": "iu", "я": "ia", "ь": "",
}  # fmt: skip
_BE_INITIAL = {"е": "ye", "ё": "yo", "ю": "yu", "я": "ya"}
_BE_COMMON = {**_RU_COMMON, "і": "i", "ў": "u", "ё": "yo"}


def cyrillic_language(text: str) -> str | None:
    """ "uk" or "be" when the letters say so (Ukrainian "ї", "є", "ґ"; Belarusian "ў", or
    "і" with "ы"/"э"/"ё"), else None (read as Russian)."""
    if "ў" in text:
        return "be"
    if any(c in UKRAINIAN_LETTERS for c in text):
        return "be" if any(c in NOT_UKRAINIAN_LETTERS for c in text) else "uk"
    return None


def _table(token: str, table: dict[str, str], initial: dict[str, str] | None = None) -> str:
    out: list[str] = []
    for i, ch in enumerate(token):
        if table is _UK_NATIONAL and ch == "г" and i > 0 and token[i - 1] == "з":
            out.append("gh")  # Ukrainian: зг -> zgh
        elif table is _RU_COMMON and ch == "ё":
            # written ё is "yo" in the common spelling ("Vorobyov", "Fyodorov", "Dyomin"),
            # "o" after the hushing consonants ("Tkachyov" is ч + "yo" as well, both seen);
            # the passport scheme keeps "e" ("Vorobev")
            out.append("o" if i > 0 and token[i - 1] in "жшщ" else "yo")
        elif initial is not None and i == 0 and ch in initial:
            out.append(initial[ch])
        elif ch in table:
            out.append(table[ch])
        elif ch.isascii():
            out.append(ch)
        else:
            out.append(_icu("iso9", ch))
    return "".join(out)


# --- Hangul ------------------------------------------------------------------------

_KO_SURNAMES = {
    "김": "kim", "이": "ri", "리": "ri", "박": "pak", "최": "choe", "정": "jong",
    "강": "kang", "조": "cho", "윤": "yun", "장": "jang", "임": "rim", "림": "rim",
    "한": "han", "오": "o", "서": "so", "신": "sin", "권": "kwon", "황": "hwang",
    "안": "an", "송": "song", "전": "jon", "홍": "hong", "류": "ryu", "유": "yu",
    "고": "ko", "문": "mun", "양": "yang", "손": "son", "배": "pae", "백": "paek",
    "허": "ho", "남": "nam", "심": "sim", "노": "no", "로": "ro", "하": "ha",
    "곽": "kwak", "성": "song", "차": "cha", "주": "ju", "우": "u", "구": "ku",
    "현": "hyon", "방": "pang", "변": "pyon",
}  # fmt: skip
_KO_FINAL = {"g": "k", "d": "t", "b": "p"}
#: surnames as South Korean passports spell them most often
_KO_SURNAMES_SOUTH = {
    "김": "kim", "이": "lee", "박": "park", "최": "choi", "정": "jung", "강": "kang",
    "조": "cho", "윤": "yoon", "장": "jang", "임": "lim", "한": "han", "오": "oh",
    "서": "suh", "신": "shin", "권": "kwon", "황": "hwang", "안": "ahn", "송": "song",
    "전": "chun", "홍": "hong", "류": "ryu", "유": "yoo", "고": "ko", "문": "moon",
    "양": "yang", "손": "son", "배": "bae", "백": "baek", "허": "huh", "남": "nam",
    "심": "shim", "노": "roh", "하": "ha", "곽": "kwak", "성": "sung", "차": "cha",
    "주": "joo", "우": "woo", "구": "koo", "현": "hyun", "방": "bang", "변": "byun",
}  # fmt: skip


def _hangul_south(syl: str) -> str:
    """A syllable as South Korean passports often spell it: "yeong" -> "young",
    "yeo" -> "yu", "eo" -> "u" ("sung", "chun", "hyun")."""
    return syl.replace("yeong", "young").replace("yeo", "yu").replace("eo", "u")


def hangul_syllables(token: str) -> list[str]:
    """The romanised syllables of a Hangul word (Revised Romanization, l as r)."""
    out: list[str] = []
    for ch in token:
        s = _icu("hangul", ch)
        s = _ascii(s).replace(" ", "")
        if len(s) > 1 and s[-1] in _KO_FINAL and s[-2] in "aeiouy":
            s = s[:-1] + _KO_FINAL[s[-1]]
        if s.startswith("l"):
            s = "r" + s[1:]
        out.append(s)
    return out


_MR_INITIAL = (("g", "k"), ("d", "t"), ("b", "p"), ("j", "ch"))


def mr_initial(syl: str) -> str:
    """A romanised syllable's initial consonant as McCune-Reischauer writes it at the
    start of a word: voiceless k, t, p, ch (Revised Romanization's g, d, b, j)."""
    for rr, mr in _MR_INITIAL:
        if syl.startswith(rr):
            return mr + syl[len(rr) :]
    return syl


def _hangul_common(syl: str) -> str:
    return syl.replace("eo", "o").replace("eu", "u").replace("oe", "oe")


def _hangul_schemes(token: str) -> tuple[str, ...]:
    if not all(char_script(c) == "Hang" for c in token):
        r = _ascii(_icu("hangul", token))
        return (r, r.replace(" ", ""))
    syl = hangul_syllables(token)
    spaced = " ".join(syl)
    joined = "".join(syl)
    if 2 <= len(token) <= 4:  # a personal name: surname + given name
        sur = _KO_SURNAMES.get(token[0], _hangul_common(syl[0]))
        common = " ".join([sur, *(_hangul_common(s) for s in syl[1:])])
        given = f"{syl[0]} {''.join(syl[1:])}"
        # North Korean names in the lists: each syllable written as if word-initial, in
        # McCune-Reischauer without its marks ("노광철" NO Kwang Chol, "황길수" HWANG Kil Su)
        northern = " ".join([sur, *(_hangul_common(mr_initial(s)) for s in syl[1:])])
        # South Korean names in the lists, in the spellings passports use: eo as "u",
        # yeong as "young" ("KIM Sung Su", "CHUN Doo-hwan", "PARK Young Han"); the names
        # joined into one word are met through the compact comparison instead
        south = _KO_SURNAMES_SOUTH.get(token[0], _hangul_south(syl[0]))
        southern = " ".join([south, *(_hangul_south(s) for s in syl[1:])])
        return (spaced, common, given, northern, southern)
    return (joined, spaced)


def _han_schemes(token: str) -> tuple[str, ...]:
    token = _han_text(token)
    if 2 <= len(token) <= 4 and all(char_script(c) == "Hani" for c in token):
        syl = _ascii(_icu("han_names", token)).split()
        if len(syl) == len(token):
            return (f"{syl[0]} {''.join(syl[1:])}", " ".join(syl), "".join(syl))
    spaced = _ascii(_icu("han", token))
    return (spaced, spaced.replace(" ", ""))


#: ICU's marks for ayn and hamza (ʿ ʾ): Latin spellings leave them out ("Said", "Ismail"),
#: and as non-letters they would split the word in two ("sʿyd" -> "s yd")
_AYN_HAMZA_SIGNS = "\u02bf\u02be\u02bb\u02bc'`\u2018\u2019"
_AYN_HAMZA = str.maketrans("", "", _AYN_HAMZA_SIGNS)
#: how :func:`arabic_marked` writes an ayn or hamza (as Arabizi writes the ayn)
AYN_MARK = "3"
_AYN_HAMZA_MARK = str.maketrans(dict.fromkeys(_AYN_HAMZA_SIGNS, AYN_MARK))


#: taa marbuta (ة), the feminine ending: Latin spellings write it as a vowel ("Hamza",
#: "Osama", "Fatima", "Khalifa"), rarely as the "t" ICU gives it; read as alif (a)
_TAA_MARBUTA = str.maketrans({"\u0629": "\u0627"})
#: Urdu and Pashto letters ICU's Arabic-Latin leaves as they are, as the Arabic or
#: Persian letter they are read as ("اظہر" Azhar, "ابراھیم" Ibrahim, "ٹ" t, "ښ" sh)
_URDU_PASHTO = str.maketrans(
    {
        "\u06c1": "\u0647", "\u06be": "\u0647", "\u06c0": "\u0647", "\u06c3": "\u0627",
        "\u06d2": "\u064a", "\u06d3": "\u064a", "\u06d0": "\u064a", "\u06cd": "\u064a",
        "\u0679": "\u062a", "\u067c": "\u062a", "\u0688": "\u062f", "\u0689": "\u062f",
        "\u0691": "\u0631", "\u0693": "\u0631", "\u06ba": "\u0646", "\u06bc": "\u0646",
        "\u069a": "\u0634", "\u0696": "\u0698", "\u0681": "\u0632", "\u0685": "\u0633",
    }
)  # fmt: skip


def arabic_marked(token: str) -> str:
    """The transliteration of an Arabic-script token with its ayn and hamza written "3", as
    in Arabizi (``عسير`` -> ``3syr``), for checks that need to know where they stand."""
    return _ascii(_arabic_icu(token).translate(_AYN_HAMZA_MARK)).replace(" ", "")


#: letters that ICU's Arabic-Latin transliterates to nothing ASCII however they are met
#: (ayn, hamza, tatweel): no letter is lost with them
_ARABIC_SILENT = frozenset("\u0621\u0639\u0640")


def _icu_arabic_spells(ch: str) -> bool:
    """Whether ICU's Arabic-Latin writes ``ch`` as ASCII letters between two beh."""
    return _ascii(_icu("arabic", "\u0628" + ch + "\u0628")).replace(" ", "") != "bb"


@lru_cache(maxsize=1)
def _other_arabic_table() -> dict[int, str]:
    """Each Arabic-script letter that ICU's Arabic-Latin loses (most letters of Sindhi,
    Pashto, Kurdish, Uyghur, Kashmiri and other alphabets beyond _URDU_PASHTO: "ګ" KAF
    WITH RING, "ڪ" SWASH KAF, "ۆ" OE) -> the letter it is made from, by its Unicode name
    ("ARABIC LETTER KAF WITH RING": ك), or else the sound its name begins with ("ٻ" BEEH:
    "b"), so that no letter of a name is lost."""
    out: dict[int, str] = {}
    prefix = "ARABIC LETTER "
    for cp in (*range(0x0620, 0x06D4), *range(0x06EE, 0x0700), *range(0x0750, 0x0780)):
        ch = chr(cp)
        name = unicodedata.name(ch, "")
        if not ch.isalpha() or not name.startswith(prefix) or ch in _ARABIC_SILENT:
            continue
        if ch.translate(_URDU_PASHTO) != ch or _icu_arabic_spells(ch):
            continue
        got = _named_base(ch, prefix, _icu_arabic_spells)
        if got is None:
            words = name[len(prefix) :].split(" WITH ")[0].split()
            got = words[-1][0].lower() if words else ""
        out[cp] = got
    return out


def _arabic_icu(token: str) -> str:
    """ICU's Arabic-Latin transliteration, the taa marbuta read as alif; letters it does
    not know are first written as _other_arabic_table says."""
    token = token.translate(_URDU_PASHTO).translate(_other_arabic_table())
    return _icu("arabic", token.translate(_TAA_MARBUTA))


def _arabic_schemes(token: str) -> tuple[str, ...]:
    r = _ascii(_arabic_icu(token).translate(_AYN_HAMZA))
    return (r, skeleton(r))


#: signs a transliteration writes that are no letters, but part of the word, not a break in
#: it: quotes and the primes of the hard and soft signs (ь ъ: "Vorob'yev"), and BGN/PCGN's
#: middle dot between letters read apart ("y·a" ыа)
_SIGNS = str.maketrans("", "", "'\"\u02b9\u02ba\u0331\u00b7")


def _no_signs(text: str) -> str:
    return text.translate(_SIGNS)


# --- Hebrew ------------------------------------------------------------------------

#: Hebrew letters as the lists' Latin spellings write them most often. Six letters are
#: said two ways (with or without a dagesh, which names are written without): the
#: primary reading takes b, ch, ch, p for ב ח כ פ ("Mordechai", "Avichai"), the others
#: (:func:`hebrew_alternates`) v, k, f and ch or h ("Sharvit", "Katz", "Hanna"). Alef and
#: ayin carry a vowel or nothing; a final he is the vowel ("Moshe" משה, "Suissa" סויסה).
_HE_PRIMARY = {
    "א": "a", "ב": "b", "ג": "g", "ד": "d", "ה": "h", "ו": "w", "ז": "z", "ח": "ch",
    "ט": "t", "י": "y", "כ": "ch", "ך": "ch", "ל": "l", "מ": "m", "ם": "m", "נ": "n",
    "ן": "n", "ס": "s", "ע": "", "פ": "p", "ף": "f", "צ": "ts", "ץ": "ts", "ק": "k",
    "ר": "r", "ש": "sh", "ת": "t",
}  # fmt: skip
_HE_ALTERNATE = {**_HE_PRIMARY, "ב": "v", "כ": "k", "ך": "kh", "פ": "f", "ו": "v"}
_HE_ALTERNATE_H = {**_HE_ALTERNATE, "ח": "h"}
#: the primary letters with צ as "z" ("Zion", "Zvi") and ש as "s" (the sin, and German
#: "st" written שט: "Gopstein" גופשטיין)
_HE_SIBILANTS = {**_HE_PRIMARY, "צ": "z", "ץ": "z", "ש": "s"}


def _hebrew(token: str, table: dict[str, str]) -> str:
    out: list[str] = []
    last = len(token) - 1
    for i, ch in enumerate(token):
        if ch == "ה" and i == last and i > 0:
            out.append("a")
        elif ch in table:
            out.append(table[ch])
        elif ch.isascii():
            out.append(ch)
        # points and cantillation marks (niqqud) are left out
    return _ascii("".join(out)).replace(" ", "")


def hebrew_alternates(token: str) -> tuple[str, str, str]:
    """The other readings of a Hebrew word (see _HE_PRIMARY): v, k, f for ב כ פ, with
    ח as "ch" ("Avichai") and as "h" ("Hanna"); and z, s for צ ש (``_HE_SIBILANTS``)."""
    return (
        _hebrew(token, _HE_ALTERNATE),
        _hebrew(token, _HE_ALTERNATE_H),
        _hebrew(token, _HE_SIBILANTS),
    )


#: Belarusian spellings of sounds Russian writes otherwise, in the order applied: "ў" is
#: "в", "і" is "и"; "дз"/"ц" before a soft vowel (not "э": ЦЭНТР) are Russian "д"/"т"
#: (Дзямідава = Демидова); "ы" after the hard ж ш ч ц is "и" (МАЖЫЛОЎСКІ); "еа" is "ео"
#: (Леанід = Леонид); an unstressed "я" after a consonant inside a word is written
#: "е"; the suffixes akanye writes with "а" for Russian "о" (-аў, -ава, -авіч, -аўна:
#: ВОІНАЎ = ВОИНОВ) and the adjective ending "-скі" (= "-ский")
_BE_AS_RU = (
    (re.compile("ў"), "в"),
    (re.compile("і"), "и"),
    (re.compile("дз(?=[еёиюяь])"), "д"),
    (re.compile("ц(?=[еёиюяь])"), "т"),
    (re.compile("э"), "е"),
    (re.compile("(?<=[жшчц])ы"), "и"),
    (re.compile("еа"), "ео"),
    (re.compile("(?<=[бвгджзклмнпрстфхцчшщ])я(?=.)"), "е"),
    (re.compile("ав$"), "ов"),
    (re.compile("ава$"), "ова"),
    (re.compile("авич$"), "ович"),
    (re.compile("авна$"), "овна"),
    (re.compile("ски$"), "ский"),
)


def belarusian_as_russian(token: str) -> str:
    """A Belarusian word as Russian would write it, for names the lists spell the Russian
    way (БАГУСЛАЎСКІ = Boguslavsky, ДЗЯМІДАВА = Demidova): the regular correspondences
    of ``_BE_AS_RU`` only; stress, and so most akanye, is not written and not guessed."""
    for pattern, repl in _BE_AS_RU:
        token = pattern.sub(repl, token)
    return token


#: letters of the Cyrillic alphabets of Kazakh, Tatar, Bashkir, Kyrgyz, Tajik, Uzbek,
#: Azerbaijani and others, as the English spellings of such names write them ("Әлинә"
#: Alina, "Қасым" Kassym, "Ҷумъа" Juma, "Нұрсұлтан" Nursultan); ICU's Russian and ISO 9
#: transliterators write some of them as non-ASCII letters ("ә" "ə") or keep them ("ң")
_TURKIC_CYRILLIC = {
    "ә": "a", "ӓ": "a", "ӛ": "a", "ө": "o", "ӧ": "o", "ӫ": "o", "ү": "u", "ұ": "u",
    "ӱ": "u", "ӯ": "u", "ӣ": "i", "ӹ": "y", "ң": "ng", "ҥ": "ng", "ғ": "g", "ҕ": "g",
    "ҝ": "g", "қ": "k", "ҡ": "k", "ҟ": "k", "ҳ": "h", "һ": "h", "җ": "zh", "ӂ": "zh",
    "ҷ": "j", "ҹ": "j", "ҫ": "s", "ҙ": "z", "ӏ": "",
}  # fmt: skip
#: letters written in Russian, and in Ukrainian and Belarusian (their own tables)
_EAST_SLAVIC = frozenset("абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґў")
#: old letters, named for no Russian letter they carry
_OLD_CYRILLIC = {
    "ѣ": "е", "ѳ": "ф", "ѵ": "и", "ѡ": "о", "ѻ": "о", "ѽ": "о", "ѿ": "от", "ѫ": "у",
    "ѭ": "ю", "ѧ": "я", "ѩ": "я", "ѥ": "е", "ѯ": "кс", "ѱ": "пс", "ѹ": "у", "ҁ": "к",
    "ҍ": "", "ѷ": "и",
}  # fmt: skip


def _cyrillic_base(ch: str) -> str | None:
    """A Cyrillic letter outside the Russian alphabet as the Russian letter it is made
    from: its decomposition ("ѐ" е, "ӝ" ж) or, by its Unicode name, the letter it adds a
    hook, tail or stroke to ("ԓ" EL WITH HOOK: л; "ҽ" ABKHASIAN CHE: ч; "ԧ" SHHA WITH
    DESCENDER: as "һ"). None when neither names one."""
    base = unicodedata.normalize("NFD", ch)[0]
    if base != ch and base in _EAST_SLAVIC:
        return base
    got = _named_base(
        ch, "CYRILLIC SMALL LETTER ", lambda b: b in _EAST_SLAVIC or b in _TURKIC_CYRILLIC
    )
    return _TURKIC_CYRILLIC.get(got, got) if got is not None else None


def _named_sound(ch: str) -> str:
    """The last resort for a rare letter (Komi "ԁ" DE is handled above; "ԛ" QA, "ԝ" WE,
    "ԕ" LHA): the first letter of its Unicode name's last word ("q", "w", "l"); nothing
    for a sign ("ҍ" SEMISOFT SIGN, "ꙏ" NEUTRAL YER)."""
    words = unicodedata.name(ch, "").split()
    if not words or words[-1] in ("SIGN", "YER", "PAYEROK"):
        return ""
    return words[-1][0].lower()


@lru_cache(maxsize=1)
def _other_cyrillic_table() -> dict[int, str]:
    """Each small Cyrillic letter outside the Russian, Ukrainian and Belarusian alphabets
    -> its spelling before transliteration: _TURKIC_CYRILLIC's Latin, the Russian letter
    it is made from (_cyrillic_base, _OLD_CYRILLIC), ICU ISO 9's ASCII ("ђ" d, "љ" lj), or
    at last the sound its name begins with (_named_sound)."""
    out: dict[int, str] = {}
    for cp in (*range(0x0400, 0x0530), *range(0x1C80, 0x1C89), *range(0xA640, 0xA6A0)):
        ch = chr(cp)
        if not ch.isalpha() or ch.isupper() or ch in _EAST_SLAVIC:
            continue
        got = _TURKIC_CYRILLIC.get(ch)
        if got is None:
            got = _OLD_CYRILLIC.get(ch) or _cyrillic_base(ch)
        if got is None:
            spelled = unicodedata.normalize("NFKD", _icu("iso9", ch))
            spelled = "".join(c for c in spelled if c.isascii() and c.isalpha())
            got = spelled or _named_sound(ch)
        out[cp] = got
    return out


def _other_cyrillic(token: str) -> str:
    """``token`` with its letters outside the East Slavic alphabets spelled as
    :func:`_other_cyrillic_table` says, so that no letter of a name is lost."""
    if token.isascii() or all(c in _EAST_SLAVIC for c in token):
        return token
    return token.translate(_other_cyrillic_table())


_UK_BE_AS_RU = str.maketrans({"і": "и", "ї": "йи", "є": "е", "ґ": "г", "ў": "у"})
#: ... and a Russian or Belarusian letter in a name read as Ukrainian
_RU_BE_AS_UK = str.maketrans({"ё": "йо", "ы": "и", "э": "е", "ъ": "", "ў": "у"})


def _cyrillic_schemes(token: str, lang: str | None) -> tuple[str, ...]:
    token = _other_cyrillic(token)
    common = _table(token, _RU_COMMON)
    passport = _table(token, _RU_PASSPORT)
    if lang == "be":
        national = _table(token, _BE_NATIONAL, _BE_INITIAL)
        russian = _table(belarusian_as_russian(token), _RU_COMMON)
        return (national, _table(token, _BE_COMMON), passport, russian)
    if lang == "uk":
        uk_bgn = _ascii(_no_signs(_icu("uk_bgn", token.translate(_RU_BE_AS_UK))))
        return (_table(token, _UK_NATIONAL, _UK_INITIAL), common, passport, uk_bgn)
    # a Ukrainian or Belarusian letter in a name read as Russian: BGN/PCGN's Russian table
    # has none of them
    bgn = _ascii(_no_signs(_icu("ru_bgn", token.translate(_UK_BE_AS_RU))))
    return (common, passport, bgn, _ascii(_no_signs(_icu("iso9", token))))


@lru_cache(maxsize=262144)
def token_schemes(token: str, script: str, lang: str | None = None) -> tuple[str, ...]:
    """The spellings of one cleaned token under each scheme of its script, in order
    (not deduplicated: position *i* is scheme *i*). A spelling may contain spaces
    (Han/Hangul syllables). An empty string means the scheme produced nothing."""
    if token.isascii():
        return (_ascii(token),)
    if script == "Latn" or script == "Zyyy":
        return (ascii_fold(token),)
    if script == "Cyrl":
        return tuple(_ascii(s) for s in _cyrillic_schemes(token, lang))
    if script == "Arab":
        return _arabic_schemes(token)
    if script == "Hani":
        return _han_schemes(token)
    if script == "Hang":
        return _hangul_schemes(token)
    if script == "Hebr":
        return (_hebrew(token, _HE_PRIMARY),)
    raw = _icu("any", token).translate(_SCHWA_SILENT if script == "Ethi" else _SCHWA)
    # modifier letters ("ʾ", "ʿ" for the glottal and pharyngeal stops) and combining marks
    # left on a letter (ISO 11940's Thai "c̣ả") mark no letter of their own
    raw = "".join(
        c
        for c in unicodedata.normalize("NFKD", raw)
        if unicodedata.category(c)[0] != "M" and unicodedata.category(c) != "Lm"
    )
    if script in _UNSPACED_SCRIPTS:
        raw = raw.replace(" ", "")  # ICU's syllable breaks inside one word
    if script == "Thai":
        # ISO 11940 writes the vowel carrier อ "x": no sound before a vowel ("ไอที" IT,
        # "เอ็กโซร่า" Exora), "o" after a consonant ("คอร์" khor)
        raw = _THAI_CARRIER.sub("", raw).replace("x", "o")
    if any(c.isalpha() and not c.isascii() for c in raw):
        return ("",)  # no transliterator for (part of) this script
    # an apostrophe marks a sound (Georgian ejective "k'", Armenian aspirate "t'"), not a
    # break in the word ("კახეთი" Kakheti, "Թորոս" Toros)
    return (_ascii(_no_signs(raw)),)


#: scripts written without spaces between syllables, where ICU's transliteration puts a
#: space between the syllables of one word ("จำกัด" "c̊ā kạd")
_UNSPACED_SCRIPTS = frozenset({"Thai", "Laoo", "Khmr", "Mymr"})
#: ISO 11940's "x" for the vowel carrier อ where it carries a vowel of its own
_THAI_CARRIER = re.compile(r"(?:^|(?<=[aeiou]))x(?=[aeiouy]|$)")
#: the schwa ICU writes for Armenian "ը" and the Ethiopic sixth-order vowel, which
#: Latin-ASCII keeps: "e" (ՍՊԸ "SPE"); in Ethiopic names mostly unwritten in Latin
#: (ኤርሚኣስ "erǝmiʾas" = Ermias, ዓብዱረዛቕ "ʿabǝdurazaq" = Abdurazaq)
_SCHWA = str.maketrans(dict.fromkeys("\u01dd\u0259\u018f\u018e", "e"))
_SCHWA_SILENT = str.maketrans(dict.fromkeys("\u01dd\u0259\u018f\u018e", ""))


def _dedupe(items: list[str], limit: int) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for it in items:
        if it and it not in seen:
            seen[it] = None
    return tuple(seen)[:limit]


def latin_variants(text: str, script: str | None = None, limit: int = 4) -> tuple[str, ...]:
    """ASCII Latin spellings of a cleaned token or text, primary first, deduplicated,
    at most ``limit``. ``script`` defaults to the text's dominant script; tokens of
    another script are transliterated with their own primary scheme.
    Empty tuple when nothing can be transliterated."""
    tokens = text.split()
    if not tokens:
        return ()
    script = script or text_script(text)
    lang = cyrillic_language(text)
    per_token = []
    for t in tokens:
        ts = text_script(t)
        schemes = token_schemes(t, ts, lang)
        per_token.append(schemes if ts == script else schemes[:1])
    n = max(len(s) for s in per_token)
    out = []
    for i in range(n):
        parts = [s[i] if i < len(s) else s[0] for s in per_token]
        out.append(" ".join(p for p in parts if p))
    return _dedupe(out, limit)
