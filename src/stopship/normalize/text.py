"""Text cleaning: Unicode normalisation, invisible characters, confusables, punctuation.

:func:`clean` turns any name into lower-case, whitespace-separated tokens of letters and
digits, in their own script. Confusable look-alike letters (Cyrillic/Greek letters that
look Latin, and the reverse) are folded *before* script detection, but only where the
context says they are disguise: inside a mixed-script token, or a token made only of
look-alikes in an otherwise Latin name. Real Cyrillic or Greek text stays as it is.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from stopship.normalize.scripts import char_script

# --- confusables ---------------------------------------------------------------------

# Cyrillic / Greek letter -> Latin letter it imitates (both cases; folded before casefold).
_TO_LATIN: dict[str, str] = {
    # Cyrillic capitals
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ү": "Y",
    "Ԁ": "D", "Ԛ": "Q", "Ԝ": "W", "Ї": "I",
    # Cyrillic small
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ԛ": "q", "ԝ": "w", "ү": "y", "һ": "h", "ї": "i",
    # Greek capitals
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    # Greek small
    "α": "a", "β": "b", "ε": "e", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x",
}  # fmt: skip

# Latin letter -> Cyrillic / Greek look-alike, for Latin letters hidden in a mostly
# Cyrillic (or Greek) token: "Aлабуга" with a Latin A.
_LATIN_TO: dict[str, dict[str, str]] = {"Cyrl": {}, "Grek": {}}
for _src, _dst in _TO_LATIN.items():
    _scr = char_script(_src)
    if _scr in _LATIN_TO and _dst not in _LATIN_TO[_scr] and _src not in "ЇїҮүһ":
        _LATIN_TO[_scr][_dst] = _src

_DIGIT_LOOKALIKE = {"0": "o", "1": "l"}
# Latin letters that only look Cyrillic (kra "ĸ" in "Алеĸсей")
_LATIN_TO["Cyrl"]["ĸ"] = "к"
_TO_LATIN["ĸ"] = "k"
# Latin letters with a diaeresis typed for the Cyrillic ones ("ТКАЧËВ", "Україна" with ï):
# folded into a Cyrillic word, never the other way (no Latin word is hiding there)
_LATIN_TO["Cyrl"].update({"Ë": "Ё", "ë": "ё", "Ï": "Ї", "ï": "ї"})
#: Latin letters the rest of a name needs before a long token of look-alikes reads as
#: Latin; tokens up to _ACRONYM_LEN letters need only a Latin majority
_LATIN_CONTEXT_MIN = 5
_ACRONYM_LEN = 4

# --- invisible characters ------------------------------------------------------------

_APOSTROPHES = frozenset("'’‘ʼʻʹʽ`´′ʾʿ")
_WHITESPACE_CC = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85")


def _is_invisible(ch: str, cat: str) -> bool:
    if cat == "Cf":  # zero-width, bidi controls, soft hyphen, BOM, word joiner, tags
        return True
    o = ord(ch)
    # variation selectors; combining grapheme joiner; Hangul fillers
    return (
        0xFE00 <= o <= 0xFE0F
        or 0xE0100 <= o <= 0xE01EF
        or o in (0x034F, 0x115F, 0x1160, 0x3164, 0xFFA0, 0x180B, 0x180C, 0x180D, 0x180F)
    )


#: the characters :func:`_is_invisible` removes that ``str.isprintable()`` accepts (it
#: refuses the categories Cc, Cf, Cs, Co and Cn, and separators other than the space):
#: a printable text without them is left as it is by :func:`_strip_chars`
_PRINTABLE_INVISIBLE = re.compile(
    "[\ufe00-\ufe0f\U000e0100-\U000e01ef\u034f\u115f\u1160\u3164\uffa0\u180b-\u180d\u180f]"
)

# Dotted single-letter acronyms: "S.A." -> "SA", "L.L.C." -> "LLC", "sp. z o.o." -> "sp z oo"
_ACRONYM = re.compile(r"(?<![^\W\d_])((?:[^\W\d_]\.)+[^\W\d_])\.?(?![^\W\d_])")


@dataclass(frozen=True, slots=True)
class CleanResult:
    text: str
    warnings: tuple[str, ...]
    obfuscation: tuple[str, ...]  # what was folded: "invisible characters", ...


def _strip_chars(text: str) -> tuple[str, list[str], list[str]]:
    """Remove surrogates, control, invisible, private-use and unassigned characters."""
    warnings: list[str] = []
    obf: list[str] = []
    if text.isprintable() and not _PRINTABLE_INVISIBLE.search(text):
        return text, warnings, obf  # nothing below would remove a character
    out: list[str] = []
    n_sur = n_ctl = n_inv = n_pua = 0
    for ch in text:
        cat = unicodedata.category(ch)
        if cat == "Cs":
            n_sur += 1
        elif cat == "Cc":
            if ch in _WHITESPACE_CC:
                out.append(" ")
            else:
                n_ctl += 1
        elif _is_invisible(ch, cat):
            n_inv += 1
        elif cat in ("Co", "Cn"):
            n_pua += 1
        else:
            out.append(ch)
    if n_sur:
        warnings.append(f"removed {n_sur} invalid surrogate code point(s)")
    if n_ctl:
        warnings.append(f"removed {n_ctl} control character(s)")
    if n_pua:
        warnings.append(f"removed {n_pua} private-use or unassigned character(s)")
    if n_inv:
        obf.append("invisible characters")
    return "".join(out), warnings, obf


_ASCII_PUNCT = {
    o: (None if chr(o) in _APOSTROPHES else " ")
    for o in range(128)
    if not chr(o).isalnum() and chr(o) != " "
}


#: a stress mark on a Cyrillic vowel ("Алякса́ндр"): no part of the spelling
_STRESS_MARK = re.compile("(?<=[\u0400-\u04ff])[\u0300\u0301]")


def _punct_to_space(text: str) -> str:
    if text.isascii():
        return text.translate(_ASCII_PUNCT)
    out: list[str] = []
    for ch in text:
        if ch.isalnum() or ch == " ":
            out.append(ch)
        elif ch in _APOSTROPHES:
            continue
        else:
            cat = unicodedata.category(ch)
            if cat[0] == "M":  # combining mark: keep attached to its letter
                out.append(ch)
            else:
                out.append(" ")
    return "".join(out)


def _letter_scripts(token: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for c in token:
        if c.isalpha():
            s = char_script(c)
            counts[s] = counts.get(s, 0) + 1
    return counts


def _to_latin(tok: str) -> str:
    return "".join(_TO_LATIN.get(c, c) for c in tok)


def _fold_confusables(tokens: list[str]) -> tuple[list[str], bool]:
    """Fold look-alike letters where the context says they are a disguise.

    1. A token mixing Cyrillic with Greek letters (no real word does), or mixing Latin
       with Cyrillic/Greek where every non-Latin letter has a Latin twin and Latin
       dominates the token or the rest of the name, is Latin in disguise ("SBЕRBАNK",
       "ΡОRТ", "ВАNК of Tehran"). Otherwise the Latin letters hide in a Cyrillic/Greek
       word and are folded into it ("Aлабуга", the Belarusian "Iван" typed with a
       Latin I).
    2. A token made only of look-alikes is folded to Latin when the rest of the name is
       Latin ("АВС Trading").

    The rest of the name is judged as folded so far, in a second pass: in "ΕΡ-ΜNН" the
    mixed "ΜNН" becomes "MNH" first, and then "ΕΡ" is Latin in Latin context ("EP-MNH").
    """
    out, folded = _fold_pass(tokens)
    if folded:
        again, more = _fold_pass(out)
        if more:
            out = again
    return out, folded


def _fold_pass(tokens: list[str]) -> tuple[list[str], bool]:
    infos = [_letter_scripts(t) for t in tokens]

    def rest_is_latin(i: int) -> bool:
        """The other tokens are Latin; for a long token, more than a legal-form
        abbreviation ("TAA Рухсерваматор" is Belarusian, "ΑΒΒ Ltd" is a disguise)."""
        lat = sum(c.get("Latn", 0) for j, c in enumerate(infos) if j != i)
        other = sum(v for j, c in enumerate(infos) if j != i for k, v in c.items() if k != "Latn")
        short = sum(infos[i].values()) <= _ACRONYM_LEN
        return lat > other and (short or lat >= _LATIN_CONTEXT_MIN)

    out = list(tokens)
    folded = False
    for i, (tok, counts) in enumerate(zip(tokens, infos, strict=True)):
        cyr, grk, lat = counts.get("Cyrl", 0), counts.get("Grek", 0), counts.get("Latn", 0)
        if not (cyr or grk):
            continue
        foldable = all(c in _TO_LATIN for c in tok if c.isalpha() and char_script(c) != "Latn")
        table = _LATIN_TO["Cyrl" if cyr >= grk else "Grek"]
        # a Latin letter with no Cyrillic/Greek twin ("R", "L", "N") cannot be hiding in
        # a Cyrillic or Greek word: the word is Latin
        latin_only_letter = any(
            c.isalpha() and char_script(c) == "Latn" and c not in table for c in tok
        )
        if foldable and (
            (cyr and grk) or (lat and (lat >= cyr + grk or latin_only_letter or rest_is_latin(i)))
        ):
            new = _to_latin(tok)
        elif lat:
            new = "".join(table.get(c, c) for c in tok)
        elif foldable and rest_is_latin(i):
            new = _to_latin(tok)
        else:
            continue
        if new != tok:
            out[i] = new
            folded = True
    return out, folded


def fold_all_confusables(text: str) -> str | None:
    """The text with every Cyrillic/Greek look-alike folded to Latin, when *all* its
    letters are look-alikes or Latin (``"АВВ"`` -> ``"abb"``); else ``None``."""
    letters = [c for c in text if c.isalpha()]
    if not letters or not any(c in _TO_LATIN for c in letters):
        return None
    if not all(c in _TO_LATIN or char_script(c) == "Latn" for c in letters):
        return None
    return "".join(_TO_LATIN.get(c, c) for c in text).casefold()


def latin_as_cyrillic(text: str) -> str | None:
    """The text with its Latin letters written as their Cyrillic twins, when it mixes
    Cyrillic and Latin letters and every Latin letter has a Cyrillic twin: a Russian name
    whose legal form (or another word) was typed on a Latin keyboard ("OOO “ТМ-ТЕХ”", "AHO
    Диалог", "Xолдынга"); else None. :func:`clean` reads such a name the other way, as a
    Latin name disguised in Cyrillic look-alikes ("ТМ-ТЕХ" as "TM-TEX")."""
    table = _LATIN_TO["Cyrl"]
    cyrillic = latin = False
    for c in text:
        if not c.isalpha():
            continue
        script = char_script(c)
        if script == "Cyrl":
            cyrillic = True
        elif script == "Latn":
            if c not in table:
                return None
            latin = True
    if not (cyrillic and latin):
        return None
    return "".join(table.get(c, c) if char_script(c) == "Latn" else c for c in text)


def _fold_digits(token: str) -> str:
    """``0``/``1`` inside an otherwise alphabetic token: ``SBERBANK0`` -> ``sberbanko``."""
    if token.isalpha() or token.isdigit():
        return token
    digits = [c for c in token if c.isdigit()]
    n_letters = sum(1 for c in token if c.isalpha())
    if n_letters >= 3 and n_letters > 2 * len(digits) and all(c in "01" for c in digits):
        return "".join(_DIGIT_LOOKALIKE.get(c, c) for c in token)
    return token


def clean_detail(text: str) -> CleanResult:
    """:func:`clean` with the warnings and obfuscations it found."""
    s, warnings, obf = _strip_chars(text)
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s)
        s, w2, o2 = _strip_chars(s)  # NFKC can produce new controls (rare)
        warnings += [w for w in w2 if w not in warnings]
        obf += [o for o in o2 if o not in obf]
    if "\u0300" in s or "\u0301" in s:
        s = _STRESS_MARK.sub("", s)
    if "." in s:
        s = _ACRONYM.sub(lambda m: m.group(1).replace(".", ""), s)
    has_digit = any(c.isdigit() for c in s)
    if has_digit and not s.isascii():
        s = _ORDINAL_ENDING.sub("", s)
    s = _punct_to_space(s)
    tokens = s.split()
    if not s.isascii():
        tokens, folded = _fold_confusables(tokens)
        if folded:
            obf.append("confusable letters")
        tokens = [unicodedata.normalize("NFC", t.casefold()) for t in tokens]
    else:
        tokens = [t.lower() for t in tokens]
    new_tokens = [_fold_digits(t) for t in tokens]
    if new_tokens != tokens:
        obf.append("digit look-alikes")
    if has_digit:  # punctuation to spaces and case folding change no digit
        new_tokens = _cardinals(new_tokens)
    return CleanResult(" ".join(new_tokens), tuple(warnings), tuple(obf))


#: an ordinal number as English writes it ("142nd", "27th"), and with the ending Russian,
#: Ukrainian and Belarusian write after a hyphen ("142-й", "20-я", "27-го")
_ORDINAL = re.compile(r"(\d+)(?:st|nd|rd|th)")
_ORDINAL_ENDING = re.compile(
    r"(?<=\d)\s*[-\u2010\u2011\u2013]\s*"
    r"(?:й|я|е|є|ї|і|го|ый|ий|ой|ая|яя|ое|ее|ого|его|му|ому|ему|м|ым|им|х|ых|их|ю|ую)"
    r"(?![^\W\d_])",
    re.IGNORECASE,
)


def _cardinals(tokens: list[str]) -> list[str]:
    """English ordinal numbers as their digits: "142nd" is "142", as the Russian "142-й"
    (its ending removed before): the lists write the same unit in both ("142nd Separate
    Electronic Warfare Battalion", "142-й отдельный батальон ...")."""
    return [m.group(1) if (m := _ORDINAL.fullmatch(t)) else t for t in tokens]


def clean(text: str) -> str:
    """NFKC, invisible characters removed, confusables folded, case folded, punctuation
    to spaces (apostrophes dropped), whitespace collapsed."""
    return clean_detail(text).text
