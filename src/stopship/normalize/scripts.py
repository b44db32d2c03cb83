"""Script detection (ISO 15924 codes) per character, token or name."""

from __future__ import annotations

import unicodedata
from collections import Counter
from functools import lru_cache

# unicodedata name prefix -> ISO 15924
_PREFIX: dict[str, str] = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "GREEK": "Grek",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "CJK": "Hani",
    "HIRAGANA": "Hira",
    "KATAKANA": "Kana",
    "HANGUL": "Hang",
    "THAI": "Thai",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "DEVANAGARI": "Deva",
    "BENGALI": "Beng",
    "TAMIL": "Taml",
    "ETHIOPIC": "Ethi",
    "SYRIAC": "Syrc",
    "THAANA": "Thaa",
    "KHMER": "Khmr",
    "LAO": "Laoo",
    "MYANMAR": "Mymr",
    "TIBETAN": "Tibt",
    "MONGOLIAN": "Mong",
    "GUJARATI": "Gujr",
    "GURMUKHI": "Guru",
    "SINHALA": "Sinh",
    "TELUGU": "Telu",
    "KANNADA": "Knda",
    "MALAYALAM": "Mlym",
    "ORIYA": "Orya",
}

COMMON = "Zyyy"


@lru_cache(maxsize=65536)
def char_script(ch: str) -> str:
    """ISO 15924 code of one character; ``Zyyy`` for digits, punctuation, spaces."""
    if not ch.isalpha():
        return COMMON
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return COMMON
    first = name.split(" ", 1)[0]
    if first in _PREFIX:
        return _PREFIX[first]
    if name.startswith(("FULLWIDTH LATIN", "MATHEMATICAL", "MODIFIER LETTER")):
        return "Latn"
    if name.startswith(("KANGXI", "IDEOGRAPHIC")):
        return "Hani"
    return "Zzzz"  # a letter of a script not listed above


def text_script(text: str) -> str:
    """The dominant script of a text's letters (``Zyyy`` when it has none)."""
    counts: Counter[str] = Counter(char_script(c) for c in text if c.isalpha())
    if not counts:
        return COMMON
    return counts.most_common(1)[0][0]


def scripts_of(text: str) -> set[str]:
    return {char_script(c) for c in text if c.isalpha()}
