"""English readings of organisation names written in Arabic script (Arabic and Persian).

The lists carry most Iranian, Syrian and Iraqi organisations under an English name that
translates the words of the name: "صنایع هوایی قدس" is "Qods Aviation Industries",
"وزارة الدفاع" the "Ministry of Defence", "زندان مرکزی زاهدان" the "Zahedan Central Prison".
No transliteration meets those. :func:`arabic_readings` reads such a name word by word
with a glossary of organisation words and places (``data/glossary_ar_en.json``): a
glossary word becomes its English (a second reading takes the alternatives after "|"),
and any other word its transliteration ("قدس" ``qds``), which the matcher compares
through consonant skeletons. Word order is left as written: names are compared as sets
of tokens. The readings are extra spellings to compare; the name as written is always
compared as well.

Words are looked up with their letter forms unified (ي/ى/ی, ك/ک, ة/ه, أ/إ/آ/ا), and
without the prefixes that Arabic writes joined: the article ال, و "and", ب "by", ل/لل
"for" ("للحماية" is "protection"); Persian words also without the ezafe or plural
ending ("نیروهای", "هوافضای"), Arabic ones without the feminine ending ("المسلحة").
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from stopship.normalize.scripts import char_script
from stopship.normalize.translit import ascii_fold, token_schemes

_FORMS = str.maketrans(
    {
        "ي": "ی",
        "ى": "ی",
        "ې": "ی",
        "ئ": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "\u0640": None,  # tatweel
        "\u200c": None,  # zero-width non-joiner (Persian: "رسانه‌ها")
        "\u200d": None,
    }
)
_MARKS = re.compile("[\u064b-\u065f\u0670]")  # short vowels, shadda, sukun
_WORD = re.compile(r"\w+")
#: joined prefixes, longest first: article (with "and", "by", "so", "as"), "for the", "for",
#: "by"
_PREFIXES = ("وال", "بال", "فال", "کال", "لل", "ال", "ل", "ب")
#: Persian endings: plural, plural with ezafe, ezafe after a vowel, ezafe/adjective "ی";
#: last, the Arabic feminine ending ة (unified as ه): "المسلحة" is "مسلح" (armed)
_SUFFIXES = ("های", "ها", "ای", "ی", "ه")
_MIN_STEM = 2
#: at most this many words make a multi-word term
_TERM_WORDS = 3


def _key(word: str) -> str:
    return _MARKS.sub("", unicodedata.normalize("NFKC", word)).translate(_FORMS)


@dataclass(frozen=True, slots=True)
class _Glossary:
    #: unified word or space-joined term -> English readings (first, second); "" for a
    #: word that reads as nothing (a legal form's)
    lexicon: dict[str, tuple[str, str]]
    #: words that carry no meaning of their own ("and", "in", "of")
    function: frozenset[str]


@lru_cache(maxsize=1)
def _glossary() -> _Glossary:
    raw = json.loads(
        resources.files("stopship.data").joinpath("glossary_ar_en.json").read_text("utf-8")
    )
    lexicon: dict[str, tuple[str, str]] = {}
    for k, v in (*raw["words"].items(), *raw["terms"].items()):
        first, _, second = v.partition("|")
        lexicon[" ".join(_key(w) for w in k.split())] = (first, second or first)
    function = frozenset(
        _key(w) for w, v in raw["words"].items() if v.split("|")[0] in raw["function_words"]
    )
    return _Glossary(lexicon, function)


def _lookup(word: str, lexicon: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """The word's readings, trying it as written, then without a joined prefix, then
    without a Persian ending."""
    got = lexicon.get(word)
    if got is not None:
        return got
    bases = [word]
    if word.startswith("و") and len(word) > 3:
        bases.append(word[1:])  # "and"
    stems = list(bases)
    for b in bases:
        for pre in _PREFIXES:
            if b.startswith(pre) and len(b) - len(pre) >= _MIN_STEM:
                stems.append(b[len(pre) :])
                break
    for s in stems[1:]:
        got = lexicon.get(s)
        if got is not None:
            return got
    for s in stems:
        for stem in _without_endings(s):
            got = lexicon.get(stem)
            if got is not None:
                return got
    return None


def _without_endings(word: str) -> Iterator[str]:
    """The word without each ending it has (Persian plural, ezafe; Arabic feminine), in
    the order of ``_SUFFIXES``."""
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= _MIN_STEM + 1:
            yield word[: -len(suf)]


def _term(keys: list[str], lexicon: dict[str, tuple[str, str]]) -> tuple[str, str] | None:
    """The readings of a multi-word term, its last word also tried without a Persian
    ending ("صدا و سیمای" is "صدا و سیما")."""
    got = lexicon.get(" ".join(keys))
    if got is not None:
        return got
    for last in _without_endings(keys[-1]):
        got = lexicon.get(" ".join([*keys[:-1], last]))
        if got is not None:
            return got
    return None


#: what an organisation is, as the first word of its name says ("شبكة محمد جمال" Muhammad
#: Jamal Network): nouns, not adjectives ("صنعتي" industrial begins names of persons'
#: companies and places alike)
_HEADS = frozenset(
    {
        "network", "center", "centre", "company", "organization", "organisation",
        "foundation", "group", "division", "brigade", "brigades", "battalion", "front",
        "movement", "office", "bank", "institute", "ministry", "agency", "council",
        "department", "union", "association", "corps", "army", "party", "committee",
        "authority", "establishment", "factory", "plant", "college", "university",
        "school", "hospital", "headquarters", "base", "command", "force", "forces",
        "militia", "working",
    }
)  # fmt: skip


@lru_cache(maxsize=50_000)
def arabic_readings(name: str) -> tuple[str, ...]:
    """Up to two English readings of an organisation name in Arabic script, as text;
    none when it has fewer than two words, or when glossary words are fewer than half of
    its words (a person's name rarely has any) and its first word is none of them."""
    g = _glossary()
    words = _WORD.findall(unicodedata.normalize("NFKC", name).replace("\u200c", ""))
    if len(words) < 2:
        return ()
    keys = [_key(w) for w in words]
    first: list[str] = []
    second: list[str] = []
    known = content = 0
    leads = False  # the name begins with what it is (_HEADS: "شبكة", "مرکز")
    i = 0
    while i < len(words):
        got: tuple[str, str] | None = None
        span = 1
        for n in range(min(_TERM_WORDS, len(words) - i), 1, -1):
            got = _term(keys[i : i + n], g.lexicon)
            if got is not None:
                span = n
                break
        w = words[i]
        if got is None and any(char_script(c) == "Arab" for c in w):
            got = _lookup(keys[i], g.lexicon)
        if got is not None:
            first.append(got[0])
            second.append(got[1])
            if keys[i] not in g.function:
                known += span
                if i == 0:
                    leads = got[0].split()[0] in _HEADS
        elif len(w) > 1 or char_script(w) != "Arab":
            spelled = token_schemes(w, "Arab")[0] if char_script(w[0]) == "Arab" else ascii_fold(w)
            first.append(spelled)
            second.append(spelled)
        # a letter of an abbreviation ("ش.م.ح" FZCO) is no word of the name: the name as
        # written has it as a legal form, the reading leaves it out
        if keys[i] not in g.function and (span > 1 or len(w) > 1):
            content += span
        i += span
    # an organisation's name begins with what it is ("شبكة محمد جمال" Muhammad Jamal
    # Network, "مرکز تحقیقات شهید ..." ... Research Center); a person's name has few
    # glossary words
    if not known or (2 * known < content and not leads):
        return ()
    out = [_once(first)]
    alt = _once(second)
    if alt != out[0]:
        out.append(alt)
    return tuple(r for r in out if r)


def _once(words: list[str]) -> str:
    """The words of a reading joined, each word once: "سپاه پاسداران انقلاب اسلامی" reads
    "islamic revolutionary guard corps" and not that and "revolutionary islamic" again,
    and two words of one meaning in a row ("الحماية والحراسة الأمنية": protection,
    guarding or security, security) read the word once."""
    return " ".join(dict.fromkeys(w for t in words if t for w in t.split()))
