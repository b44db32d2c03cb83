"""English readings of organisation names written in Chinese.

The lists carry most Chinese companies under an English name that translates the
business words and spells the rest in pinyin: 深圳市比广贸易有限公司 is "Shenzhen Biguang
Trading Co. Ltd". Syllable-by-syllable pinyin ("shen zhen shi bi guang mao yi") cannot
meet that. :func:`chinese_readings` segments the name with a glossary of business words
and place names (``data/glossary_zh_en.json``, longest match first, Traditional characters
read as Simplified): a glossary word becomes its English, a place its usual spelling
(an administrative suffix such as 市 "city" after it is dropped), a legal form is left
out (it is compared as a legal form), and each run of other characters becomes one
pinyin word ("biguang"). The reading is an extra spelling to compare; the name as written
is always compared as well.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from stopship.normalize.scripts import char_script
from stopship.normalize.translit import (
    ascii_fold,
    han_pinyin,
    han_syllables,
    traditional_to_simplified,
)

_LATIN_WORD = re.compile(r"[0-9A-Za-z]+")
#: "city", "province", "county": after two or more characters of a name the gazetteer
#: lacks, the end of a place name
_RUN_ADMIN = frozenset("市省县")


@dataclass(frozen=True, slots=True)
class _Glossary:
    #: Simplified word, place or legal form -> (English tokens, is a place); a legal form
    #: reads as no tokens
    lexicon: dict[str, tuple[tuple[str, ...], bool]]
    #: Simplified word -> the other English a list may use for it (科技 "technology" or
    #: "science and technology")
    alternates: dict[str, tuple[str, ...]]
    admin_suffixes: tuple[str, ...]  # longest first
    longest: int


@lru_cache(maxsize=1)
def _glossary() -> _Glossary:
    raw = json.loads(
        resources.files("stopship.data").joinpath("glossary_zh_en.json").read_text("utf-8")
    )
    lexicon: dict[str, tuple[tuple[str, ...], bool]] = {k: ((), False) for k in raw["legal_forms"]}
    lexicon.update({k: (tuple(v.split()), True) for k, v in raw["places"].items()})
    lexicon.update({k: (tuple(v.split()), False) for k, v in raw["words"].items()})
    alternates = {k: tuple(v.split()) for k, v in raw.get("alternates", {}).items()}
    admin = tuple(sorted(raw["admin_suffixes"], key=len, reverse=True))
    return _Glossary(lexicon, alternates, admin, max(len(k) for k in lexicon))


def _segments(text: str) -> list[tuple[str, bool]]:
    """(text, is Han) runs of the name, other characters than Han and Latin dropped."""
    out: list[tuple[str, bool]] = []
    for ch in text:
        han = char_script(ch) == "Hani"
        if not han and not ch.isalnum():
            out.append(("", False))  # a separator
            continue
        if out and out[-1][1] == han and out[-1][0]:
            out[-1] = (out[-1][0] + ch, han)
        else:
            out.append((ch, han))
    return [s for s in out if s[0]]


@lru_cache(maxsize=50_000)
def chinese_readings(name: str) -> tuple[tuple[str, ...], ...]:
    """The English readings of a Chinese organisation name, or none when no glossary
    word or place is in it: the reading, the same with "HK" for Hong Kong, with the other
    words syllable by syllable, and with each word's alternate English (科技 "science and
    technology") when it has one."""
    g = _glossary()
    text = traditional_to_simplified(unicodedata.normalize("NFKC", name))
    pieces, runs, found = _pieces(text)
    reading = _joined(words for words, _hit in pieces)
    if not found or not reading:
        return ()
    out = [reading, _hong_kong_as_hk(reading)]
    # the other words spelled syllable by syllable, as many list names write them
    # (长光卫星 "Chang Guang Satellite", 美欣電子 "Mei Xin Electronic")
    syllables = {han_pinyin(r): han_syllables(r) for r in runs}
    spaced = tuple(w for t in reading for w in syllables.get(t, (t,)))
    out.append(spaced)
    if any(hit in g.alternates for _words, hit in pieces):
        out.append(_joined(g.alternates.get(hit, words) for words, hit in pieces))
    return tuple(dict.fromkeys(out))


#: one piece of a name's reading: its English (or pinyin, or Latin) words, and the
#: glossary word it reads when it is one (else "")
_Piece = tuple[tuple[str, ...], str]


def _pieces(text: str) -> tuple[list[_Piece], list[str], bool]:
    """A (Simplified) name read piece by piece: the pieces, the runs of characters read
    as pinyin words, and whether a glossary word or place is among them."""
    g = _glossary()
    pieces: list[_Piece] = []
    runs: list[str] = []  # the characters read as pinyin words
    found = False

    def spell(run: list[str]) -> None:
        runs.append("".join(run))
        pieces.append(((han_pinyin("".join(run)),), ""))

    for seg, han in _segments(text):
        if not han:
            pieces.append((tuple(_LATIN_WORD.findall(ascii_fold(seg))), ""))
            continue
        run: list[str] = []
        i = 0
        after_place = False
        while i < len(seg):
            hit = None
            for size in range(min(g.longest, len(seg) - i), 0, -1):
                piece = seg[i : i + size]
                if piece in g.lexicon:
                    hit = piece
                    break
            if hit is None and after_place:
                suffix = next((a for a in g.admin_suffixes if seg.startswith(a, i)), None)
                if suffix is not None:
                    i += len(suffix)
                    after_place = False
                    continue
            if hit is None and len(run) >= 2 and seg[i] in _RUN_ADMIN:
                # "金华市海润": a place the gazetteer lacks, then its "city" suffix
                spell(run)
                run = []
                i += 1
                found = True
                continue
            if hit is None:
                run.append(seg[i])
                i += 1
                after_place = False
                continue
            if run:
                spell(run)
                run = []
            english, after_place = g.lexicon[hit]
            pieces.append((english, hit))
            found = True
            i += len(hit)
        if run:
            spell(run)
    return pieces, runs, found


def _joined(parts: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    """The words of the pieces in order, without empty ones and a word repeated right
    after itself."""
    tokens = [t for words in parts for t in words]
    return tuple(t for i, t in enumerate(tokens) if t and (i == 0 or t != tokens[i - 1]))


def _hong_kong_as_hk(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The same reading with "Hong Kong" written "HK", as many list names have it."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if tokens[i : i + 2] == ("hong", "kong"):
            out.append("hk")
            i += 2
        else:
            out.append(tokens[i])
            i += 1
    return tuple(out)
