"""English readings of organisation names written in Cyrillic.

The lists often carry a Russian or Belarusian organisation under its English name only
("Bryansk Automobile Plant") while a counterparty writes it in Cyrillic ("Брянский
Автомобильный Завод"). Transliteration cannot bridge that; a small glossary of
organisation words can: :func:`english_readings` turns the transliterated tokens
``bryanskiy avtomobilnyy zavod`` into ``bryansk automobile plant`` (and ``bryan ...``,
for adjectives of places whose name has no "-sk"). The readings are extra spellings
to compare; the name as written is always compared as well.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources
from itertools import product
from typing import Any

from stopship.normalize.given_names import name_key
from stopship.normalize.loanwords import loanword
from stopship.normalize.scripts import text_script
from stopship.normalize.text import clean
from stopship.normalize.translit import latin_variants, token_schemes

#: grammatical endings of transliterated Russian/Belarusian/Ukrainian words: adjectives
#: and nouns in their cases ("-ogo", "-ykh", "-iya", "-ami"). Not "-ov"/"-ev"/"-in", which
#: end surnames more often than genitive plurals ("belov" is not "belyy"): such forms are
#: glossary keys of their own ("priborov")
_ENDINGS = tuple(
    sorted(
        {
            *("yy", "iy", "yi", "ii", "oy", "oi", "yj", "ij", "aya", "aia", "aja", "yaya"),
            *("oe", "oye", "ye", "ie", "iye", "ee", "eye", "ogo", "ego", "omu", "emu"),
            *("ym", "im", "om", "em", "ykh", "ikh", "ymi", "imi", "uyu", "iuiu", "yuyu"),
            *("yu", "iu", "ju", "ya", "ia", "ja", "yya", "iya", "iia", "ija", "iyu", "iiu"),
            *("iju", "iey", "iei", "iej", "iem", "iyem", "iyakh", "iiakh", "iyam", "iiam"),
            *("iyami", "iiami", "ami", "yami", "iami", "akh", "yakh", "iakh", "am", "yam"),
            *("iam", "ei", "ey", "ej", "aye", "ae", "ai", "ay", "aj", "yye", "yia"),
            *("a", "o", "e", "i", "y", "u"),
        },
        key=lambda e: (-len(e), e),
    )
)
#: endings of adjectives made from place names ("bryanskiy" <- Bryansk)
_PLACE_ADJECTIVE = tuple(
    sorted(
        [
            "skiy",
            "skii",
            "skaya",
            "skaia",
            "skoe",
            "skoye",
            "skogo",
            "skoy",
            "skoi",
            "sky",
            "ski",
            "skaja",
            "skij",
            "skiye",
            "skie",
        ],
        key=len,
        reverse=True,
    )
)
_MIN_STEM = 3
#: _ENDINGS grouped by length, longest first (for :func:`stem_keys`)
_ENDINGS_BY_LEN: tuple[tuple[int, frozenset[str]], ...] = tuple(
    (size, frozenset(e for e in _ENDINGS if len(e) == size))
    for size in sorted({len(e) for e in _ENDINGS}, reverse=True)
)
#: the most words of one glossary term ("nauchno issledovatelskiy institut")
_MAX_TERM_WORDS = 3
#: a one-word name gets no reading: alone, a short word is as often an acronym ("GAZ",
#: "BAZ") as the word, and a lone "plant" or "bank" is no name to screen
_MIN_TOKENS = 2


#: "ё" is written "yo", or "o" after a hissing consonant ("вооружённых" vooruzhonnykh),
#: where a text without the dots has "е" ("vooruzhennykh")
_YO = re.compile(r"(?<=zh|ch|sh)o|yo")


def _fold(stem: str) -> str:
    # the spelling schemes differ in "y"/"i"/"j": "predpriyatie"/"predpriiatie"/"predprijatie"
    return _YO.sub("e", stem).replace("y", "i").replace("j", "i")


def stem_key(token: str) -> str:
    """The lookup key of a transliterated word: its (longest) grammatical ending removed,
    and ``y``/``j`` read as ``i``."""
    # the first of _ENDINGS (longest first) that ends the token and leaves a stem, by one
    # set look-up per ending length (as stem_keys): two endings of one length cannot both
    # end a token
    n = len(token)
    for size, ends in _ENDINGS_BY_LEN:
        if n - size >= _MIN_STEM and token[-size:] in ends:
            return _fold(token[:-size])
    return _fold(token)


@lru_cache(maxsize=100_000)
def stem_keys(token: str) -> tuple[str, ...]:
    """Every key the word may be looked up under, longest ending removed first and the
    word itself last: a transliterated ending is ambiguous ("akademii" is "akademi-i" or
    "akadem-ii"), the glossary key is the one its own word gets from :func:`stem_key`."""
    out: list[str] = []
    # one set look-up per ending length instead of ~100 endswith calls: two endings of
    # one length cannot both end a token, so this visits the matching endings in the
    # order of _ENDINGS (longest first)
    for size, ends in _ENDINGS_BY_LEN:
        if len(token) - size >= _MIN_STEM and token[-size:] in ends:
            key = _fold(token[:-size])
            if key not in out:
                out.append(key)
    if _fold(token) not in out:
        out.append(_fold(token))
    return tuple(out)


def _latin_keys(term: str) -> list[str]:
    """The keys of a glossary term: a Latin term as written, a Cyrillic one (Russian,
    Belarusian or Ukrainian) in each of its transliterations."""
    if term.isascii():
        spellings: tuple[str, ...] = (term,)
    else:
        cleaned = clean(term)
        spellings = latin_variants(cleaned)
        if text_script(cleaned) == "Cyrl":
            # a word without the letters that tell Belarusian or Ukrainian ("знешнегандлёвы")
            # is also spelled as those languages' names are ("zneshnehandliovy")
            spellings += tuple(s for lang in ("be", "uk") for s in _spelled_as(cleaned, lang))
    out: list[str] = []
    for spelling in spellings:
        key = " ".join(stem_key(w) for w in spelling.split())
        if key and key not in out:
            out.append(key)
    return out


def _spelled_as(text: str, lang: str) -> list[str]:
    """A Cyrillic text in each transliteration of ``lang`` ("be", "uk")."""
    words = text.split()
    # a scheme that writes a letter the language lacks as a word of its own ("ы" -> " y")
    # spells no key
    per = [[s for s in token_schemes(w, "Cyrl", lang) if " " not in s] for w in words]
    if not per or not all(per):
        return []
    return [" ".join(p[i] if i < len(p) else p[0] for p in per) for i in range(max(map(len, per)))]


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    """``data/glossary_ru_en.json`` as parsed (read once; read only)."""
    data: dict[str, Any] = json.loads(
        resources.files("stopship.data").joinpath("glossary_ru_en.json").read_text("utf-8")
    )
    return data


@lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[str, ...]]:
    """stem key (two keys with a space for a two-word term) -> English tokens (empty:
    the word is left out of the reading). Words first, then places, then acronyms ("КБ" =
    "design bureau"); the first term of a key wins."""
    raw = _raw()
    out: dict[str, tuple[str, ...]] = {}
    for section in ("words", "places", "acronyms"):
        for term, english in raw[section].items():
            for key in _latin_keys(term):
                out.setdefault(key, tuple(english.split("|")[0].split()))
    return out


@lru_cache(maxsize=1)
def alternates() -> dict[str, tuple[str, ...]]:
    """stem key -> the other English of a term the lists write about as often ("научно-
    исследовательский": "research", and "scientific research"), after "|" in the glossary:
    the words of one more reading. Keys as :func:`glossary`'s."""
    raw = _raw()
    out: dict[str, tuple[str, ...]] = {}
    for section in ("words", "places", "acronyms"):
        for term, english in raw[section].items():
            if "|" in english:
                for key in _latin_keys(term):
                    out.setdefault(key, tuple(english.split("|")[1].split()))
    return out


@lru_cache(maxsize=1)
def particles() -> dict[str, str]:
    """Transliterated conjunctions and prepositions ("i" = "and", "po" = "for") -> English.
    They are read as English inside a reading, but do not make one on their own."""
    raw = _raw()
    out: dict[str, str] = {}
    for term, english in raw["particles"].items():
        for spelling in latin_variants(clean(term)):
            out.setdefault(spelling, english)
    return out


def _lookup(words: dict[str, tuple[str, ...]], token: str) -> tuple[str, ...] | None:
    got = _lookup_key(words, token)
    return None if got is None else words[got]


def _lookup_key(words: dict[str, tuple[str, ...]], token: str) -> str | None:
    """The key of ``words`` a token is found under."""
    for key in stem_keys(token):
        if key in words:
            return key
    return None


def _lookup_phrase_key(words: dict[str, tuple[str, ...]], tokens: tuple[str, ...]) -> str | None:
    """The key of ``words`` a term of several words is found under ("nauchno
    issledovatelskiy": the key whose English is "research")."""
    for keys in product(*(stem_keys(t) for t in tokens)):
        key = " ".join(keys)
        if key in words:
            return key
    return None


_NAMED_AFTER = ("named", "after")
#: genitive endings of Russian names and what the nominative ends with ("Gorkogo" Gorky,
#: "Zhukovskogo" Zhukovsky, "Makeeva" Makeev, "Andreya" Andrey), longest first; a final
#: "a" after a consonant is dropped ("Grushina" Grushin, "Bereznyaka" Bereznyak)
_GENITIVE = (("skogo", "sky"), ("ogo", "y"), ("ego", "y"), ("ya", "y"))


def nominative(token: str) -> str:
    """A transliterated Russian name in the genitive, as its nominative is usually written
    in English: how the lists write the person an organisation is named after ("imeni
    akademika P. D. Grushina" = "named after academician P.D. Grushin"). Initials and
    short words are left as they are."""
    if len(token) < 5:
        return token
    for end, nom in _GENITIVE:
        if token.endswith(end) and len(token) - len(end) >= 3:
            return token[: -len(end)] + nom
    if token.endswith("a") and token[-2] not in "aeiouy":
        return token[:-1]
    return token


def _place_stem(token: str) -> str | None:
    for end in _PLACE_ADJECTIVE:
        if token.endswith(end) and len(token) - len(end) >= _MIN_STEM:
            return token[: -len(end)]
    return None


def _loan(token: str) -> str:
    """The English spelling of an international word (normalize.loanwords); a listed
    given name stays as written."""
    loan = loanword(token)
    return token if loan == token or name_key(token) is not None else loan


def _initials_beside(tokens: tuple[str, ...], i: int) -> bool:
    """The token is one letter with another one-letter token beside it: a person's
    initials, no particle or abbreviation ("имени В. П. Макеева": "в" is "in" and "г."
    city only where no other initial stands beside them)."""
    if len(tokens[i]) != 1:
        return False
    return (i > 0 and len(tokens[i - 1]) == 1) or (i + 1 < len(tokens) and len(tokens[i + 1]) == 1)


@lru_cache(maxsize=100_000)
def english_readings(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Up to three English readings of transliterated tokens, or none when no word of the
    glossary, no adjective of a place and no international word (normalize.loanwords:
    "gidromash" hydromash) is among them: the reading, the same with a place adjective
    as the bare place name, and the same with each term's alternate English
    (:func:`alternates`: "scientific research" for "research"). A name of one word is
    read only as the English spelling of an international word."""
    if len(tokens) < _MIN_TOKENS:
        # one word gets no glossary reading, only the English spelling of a loanword
        loan = tuple(_loan(t) for t in tokens)
        return (loan,) if loan != tokens else ()
    words = glossary()
    other = alternates()
    small = particles()
    with_sk: list[str] = []
    bare: list[str] = []
    alt: list[str] = []  # with_sk with each term's alternate English (alternates())
    changed = places = named_after = surname = False
    skip = 0
    for i, t in enumerate(tokens):
        if skip:
            skip -= 1
            continue
        if _initials_beside(tokens, i):  # a person's initials ("В. П."): no word
            with_sk.append(t)
            bare.append(t)
            alt.append(t)
            continue
        key = None
        # a term of several words ("sudostroitelnyy zavod" = "shipyard"), longest first
        for n in range(min(_MAX_TERM_WORDS, len(tokens) - i), 1, -1):
            key = _lookup_phrase_key(words, tokens[i : i + n])
            if key is not None:
                skip = n - 1
                break
        if key is None:
            key = _lookup_key(words, t)
        if key is not None:
            got = words[key]
            with_sk.extend(got)
            bare.extend(got)
            alt.extend(other.get(key, got))
            changed = True
            named_after = named_after or got == _NAMED_AFTER
            continue
        particle = small.get(t)
        if particle is not None:
            with_sk.append(particle)
            bare.append(particle)
            alt.append(particle)
            continue
        # the person's name, in the genitive: after "imeni" ("imeni Grushina"), and a
        # listed given name and the word after it ("Fond Aleksandra Gorchakova")
        nom = nominative(t)
        if named_after or surname or (nom != t and name_key(nom) is not None):
            surname = not named_after and not surname
            with_sk.append(nom)
            bare.append(nom)
            alt.append(nom)
            continue
        surname = False
        place = _place_stem(t)
        if place is not None:
            with_sk.append(place + "sk")
            bare.append(place)
            alt.append(place + "sk")
            changed = places = True
            continue
        spelled = _loan(t)
        changed = changed or spelled != t
        with_sk.append(spelled)
        bare.append(spelled)
        alt.append(spelled)
    if not changed or not with_sk:
        return ()
    out = [tuple(with_sk)]
    if places and bare != with_sk:
        out.append(tuple(bare))
    if alt != with_sk:
        out.append(tuple(alt))
    return tuple(out)


#: tokens shorter than this have no meaning to compare: alone, a short word is as often an
#: acronym or a name ("mir", "gaz") as the word
_CONCEPT_MIN_LEN = 4
_NO_CONCEPTS: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def _synonym_classes() -> dict[str, str]:
    """English word -> the first word of its class of words the lists use for one
    Russian word ("fund"/"foundation" for "фонд", "forces"/"troops" for "войска")."""
    raw = _raw()
    out: dict[str, str] = {}
    for words in raw["synonyms"]:
        for w in words:
            out.setdefault(w, words[0])
    return out


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """The one-word English translations of the glossary's words, and the synonyms."""
    single = {e[0] for e in glossary().values() if len(e) == 1}
    return frozenset(single | set(_synonym_classes()))


@lru_cache(maxsize=200_000)
def concepts(token: str) -> frozenset[str]:
    """What a token means, as English words of the glossary: an English glossary word
    (or synonym) means itself, a transliterated glossary word ("zavod", "fonda") its
    one-word translation, each read through its synonym class. Empty for every other
    token, and for tokens under 4 letters. Two tokens that share a meaning are one word
    in two languages or two translations of one word ("zavod"/"plant", "fund"/"foundation")."""
    if len(token) < _CONCEPT_MIN_LEN:
        return _NO_CONCEPTS
    syn = _synonym_classes()
    out: set[str] = set()
    if token in _english_words():
        out.add(syn.get(token, token))
    got = _lookup(glossary(), token)
    if got is not None and len(got) == 1:
        out.add(syn.get(got[0], got[0]))
    return frozenset(out) if out else _NO_CONCEPTS


@lru_cache(maxsize=1)
def _words_of_concept() -> dict[str, tuple[str, ...]]:
    syn = _synonym_classes()
    out: dict[str, list[str]] = {}
    for w in sorted(_english_words()):
        if len(w) >= _CONCEPT_MIN_LEN:
            out.setdefault(syn.get(w, w), []).append(w)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=200_000)
def meaning_forms(token: str) -> tuple[str, ...]:
    """The English words that share a meaning with the token (:func:`concepts`), other
    than the token itself: what a list may write for it ("zavod" -> "factory", "plant",
    "works")."""
    words = _words_of_concept()
    out: list[str] = []
    for c in sorted(concepts(token)):
        out.extend(w for w in words.get(c, ()) if w != token and w not in out)
    return tuple(out)


def same_meaning(a: str, b: str) -> bool:
    """True when the two tokens share a meaning (:func:`concepts`)."""
    ca = concepts(a)
    if not ca:
        return False
    cb = concepts(b)
    return bool(cb) and not ca.isdisjoint(cb)
