"""English readings of organisation names written in Korean.

The lists carry North Korean organisations under English names that translate the
business words and romanise the rest: 조선백호무역회사 is "Korea Paekho Trading
Corporation", 로케트공업부 "Ministry of Rocket Industry". Syllable-by-syllable
romanisation ("jo seon baek ho mu yeok") cannot meet that. :func:`korean_readings`
segments each word of the name with a glossary of business words and places
(``data/glossary_ko_en.json``, longest match first): a glossary word becomes its English,
a place its usual spelling, a legal form is left out (it is compared as a legal form), and
each run of other syllables becomes one romanised word ("paekho"). The readings are extra
spellings to compare; the name as written is always compared as well.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from stopship.normalize.scripts import char_script
from stopship.normalize.translit import ascii_fold, hangul_syllables, mr_initial


@dataclass(frozen=True, slots=True)
class _Glossary:
    #: word, place or legal form -> English tokens (none for a legal form)
    lexicon: dict[str, tuple[str, ...]]
    longest: int


@lru_cache(maxsize=1)
def _glossary() -> _Glossary:
    raw = json.loads(
        resources.files("stopship.data").joinpath("glossary_ko_en.json").read_text("utf-8")
    )
    lexicon: dict[str, tuple[str, ...]] = {k: () for k in raw["legal_forms"]}
    lexicon.update({k: tuple(v.split()) for k, v in raw["places"].items()})
    lexicon.update({k: tuple(v.split()) for k, v in raw["words"].items()})
    return _Glossary(lexicon, max(len(k) for k in lexicon))


def _romanised(run: str) -> tuple[str, str]:
    """A run of syllables outside the glossary as one word: in Revised Romanization
    ("baekho", "namgang") and with the first consonant as McCune-Reischauer writes it at
    the start of a word ("paekho"), the two spellings the lists use."""
    syl = hangul_syllables(run)
    return "".join(syl), "".join([mr_initial(syl[0]), *syl[1:]])


@lru_cache(maxsize=50_000)
def korean_readings(name: str) -> tuple[tuple[str, ...], ...]:
    """Up to two English readings of a Korean organisation name, or none when no
    glossary word or place is in it."""
    g = _glossary()
    text = unicodedata.normalize("NFKC", name)
    rr: list[str] = []
    mr: list[str] = []
    found = False
    for word in re.split(r"[^\w]+", text):
        if not word:
            continue
        if not all(char_script(ch) == "Hang" for ch in word):
            latin = ascii_fold(word).split()  # lower-case letters and digits already
            rr.extend(latin)
            mr.extend(latin)
            continue
        run = ""
        i = 0
        while i <= len(word):
            hit = None
            for size in range(min(g.longest, len(word) - i), 1, -1):
                if word[i : i + size] in g.lexicon:
                    hit = word[i : i + size]
                    break
            if hit is None and i < len(word):
                run += word[i]
                i += 1
                continue
            if run:
                a, b = _romanised(run)
                rr.append(a)
                mr.append(b)
                run = ""
            if hit is None:
                break
            english = g.lexicon[hit]
            rr.extend(english)
            mr.extend(english)
            found = True
            i += len(hit)
    if not found or not rr:
        return ()
    return tuple(dict.fromkeys((tuple(rr), tuple(mr))))
