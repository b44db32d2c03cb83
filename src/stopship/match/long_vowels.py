"""Long vowels that Arabic script writes, checked against a Latin spelling.

Arabic and Persian names are compared with Latin spellings through consonant skeletons
(``مالك الحسيني`` ``mlk hsn`` = ``Malik HASAN`` ``mlk hsn``), which drop every vowel. But the
script does write its long vowels — ا (a), و (w: u/o), ي/ی (y: i/e) — and the transliteration
keeps them ("alhsyny"). A Latin spelling of the same name has a matching vowel in the same
place ("al-Husseini"); "Hasan" has none between s and n and none at the end. This module
counts such disagreements, so that an exact skeleton match with written long vowels that
the Latin spelling lacks does not count as a full match.

Both words are ASCII (the Arabic one as transliterated). Their consonants are grouped as
:func:`stopship.normalize.translit.skeleton` groups them (vowels and y, w dropped, equal
neighbours merged); when the two words' consonants differ, nothing is said about them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from stopship.normalize.text import clean
from stopship.normalize.translit import (
    AYN_MARK,
    arabic_marked,
    collapse_doubles,
    skeleton,
    skeleton_letters,
)

#: an ayn or hamza (normalize.translit.arabic_marked): Latin writes a vowel or nothing but
#: an apostrophe there ("Asir", "Sa'id"), never a consonant alone
_MARK = AYN_MARK
#: what a written long vowel needs in the Latin spelling at the same place (i, u, e, o
#: come from vowel marks, when a name is written with them)
_COMPATIBLE = {
    "a": frozenset("aeou"),  # ā; Persian ā is often "o"; the "u" of "-ullah"
    "y": frozenset("iey"),
    "i": frozenset("iey"),
    "e": frozenset("aeiy"),
    "w": frozenset("ouw"),
    "u": frozenset("ouw"),
    "o": frozenset("ouw"),
    _MARK: frozenset("aeiouyw"),
}
_VOWELS = frozenset("aeiouyw" + _MARK)
#: what a skeleton drops from a word (as normalize.translit.skeleton does)
_DROPPED = re.compile("[aeiouyw" + _MARK + "]+")
#: a final "y" is ي (i: "Mohammadi") or the alif maqsura ى (a: "Mustafa", "Musa", "Soghra")
_FINAL_Y = frozenset("aeiy")
#: Arabic articles written apart in Latin ("al", "el"; assimilated to a sun letter: "ar-",
#: "as-", "ash-", "ad-", "an-", "ur-", "ud-" ...); "al"/"el" also cut off joined words
_ARTICLES = frozenset(
    {"al", "el", "ul", "l", "ad", "ar", "as", "ash", "at", "az", "an", "ud", "ur", "us", "ush"}
)


@dataclass(frozen=True, slots=True)
class _Frame:
    lead: str  # vowels before the first consonant
    consonants: tuple[str, ...]
    after: tuple[str, ...]  # vowels after each consonant group


def _frame(word: str) -> _Frame:
    # Persian "خوا" is said "kha": its w is silent ("خواجه" Khajeh, "خواهر")
    word = skeleton_letters(word.replace("khwa", "kha"))  # as the skeleton has them
    lead = ""
    consonants: list[str] = []
    after: list[str] = []
    for ch in word:
        if ch in _VOWELS:
            if consonants:
                after[-1] += ch
            else:
                lead += ch
        elif consonants and consonants[-1] == ch:
            after[-1] = ""  # the same consonant again ("hassan", "nana"): one group
        else:
            consonants.append(ch)
            after.append("")
    return _Frame(lead, tuple(consonants), tuple(after))


@lru_cache(maxsize=200_000)
def conflicts(arabic: str, latin: str, hebrew: bool = False) -> int | None:
    """How many long vowels of ``arabic`` (transliterated) have no matching vowel at the
    same place in ``latin``; None when their consonants differ (nothing to compare).

    An initial alif carries any vowel ("اسامة" Osama, "ابراهيم" Ibrahim), so it needs none;
    a long vowel before the first consonant is otherwise checked like the others.
    """
    a = _frame(arabic)
    b = _frame(latin)
    if a.consonants != b.consonants:
        return None
    count = _lost_repeats(arabic, latin)
    lead = a.lead[1:] if a.lead.startswith("a") else a.lead
    last = len(a.after) - 1
    clusters = ((lead, b.lead), *zip(a.after, b.after, strict=True))
    for i, (cluster, other) in enumerate(clusters, start=-1):
        for v in cluster:
            if v == "y" and i == last:
                ok = _COMPATIBLE[v] if hebrew else _FINAL_Y  # Hebrew: no alif maqsura
            else:
                ok = _COMPATIBLE[v]
            if not (ok & set(other)):
                count += 1
    return count


#: how an ayn-initial "abd" (servant of) is written: "abd", ICU's "bd" (the ayn dropped),
#: and "3bd" (the ayn marked)
_ABD = ("abd", "3bd", "bd")
#: the theophoric ending "-ullah" as Latin writes it joined ("Rahmatullah", "Ezatollah",
#: "Nasrallah") and ICU transliterates "الله" joined ("nsrallh"); and "al-Din" joined
#: ("Hesamuddin", "Nasreddine", "Salahaldin"; "aldyn" from Arabic script)
_ALLAH = re.compile(r"^(.{3,}?)(?:[aou]llahi?|[aou]llah?i?|allhy?)$")
_DIN = re.compile(r"^(.{3,}?)(?:[aeou]d|al)d(?:in|ine|een|yn)$")
#: "al-Din" written as a word of its own after the name it completes ("Salah Eddine")
_DIN_WORDS = frozenset({"uddin", "eddin", "eddine", "addin", "oddin", "uddeen", "aldin"})


def _split_abd(t: str) -> tuple[str, ...] | None:
    """``abdulwahed`` -> (``abd``, ``wahed``); ``bdallh`` (عبدالله) -> (``bd``, ``lh``);
    ``abdurrahman`` -> (``abd``, ``rahman``); ``abdul`` -> (``abd``,). None when ``t`` is
    not an "abd" compound ("badr", "bdr")."""
    for head in _ABD:
        if t.startswith(head):
            break
    else:
        return None
    rest = t[len(head) :]
    if not rest or rest[0] not in "aeiou":
        return None  # "abdi", "abdo" keep their vowel; "bdr" is not "abd"
    rest = rest.lstrip("aeiou")  # "abdul", "abdoul"
    if not rest:
        return None  # "abdi", "abdou": a name of its own
    if rest.startswith("l"):
        rest = rest[1:]  # the article: abd-ul-, abd-el-, abd-al-
    elif len(rest) > 2 and rest[0] == rest[1]:
        rest = rest[1:]  # the article assimilated: abd-ur-rahman, abd-es-salam
    if not rest:
        return (head,)
    if sum(ch not in "aeiouyw" for ch in rest) < 2:
        return None  # "abdoulaye": not "abd" + a name
    return (head, rest)


def _split_word(t: str) -> tuple[str, ...]:
    """One word as the words of its compound name (see :func:`skeleton_words`)."""
    if t in _DIN_WORDS:
        return ("din",)
    got = _split_abd(t)
    if got is not None:
        return got
    m = _ALLAH.match(t)
    if m is not None:
        return (m.group(1), "allah")
    m = _DIN.match(t)
    if m is not None:
        return (m.group(1), "din")
    return (t,)


#: a consonant written twice with a long vowel between ("دادفر" d-a-d, "عزيز" z-y-z)
_REPEAT = re.compile(r"([^aeiouyw" + _MARK + r"])[aeiouyw" + _MARK + r"]+\1")


def _lost_repeats(arabic: str, latin: str) -> int:
    """How many consonants the Arabic word writes twice around a long vowel that the Latin
    spelling writes once: "دادفر" (Dadfar) is not "Dafeer", though the skeleton merges
    the two d's of both. Arabic writes no short vowel, so two equal letters with a
    written vowel between are two consonants; "Aziz", "Habib" write them twice too."""
    arabic = skeleton_letters(arabic)
    found = {m.group(1) for m in _REPEAT.finditer(arabic)}
    if not found:
        return 0
    latin = skeleton_letters(latin)
    return sum(
        1 for ch in found if not re.search(re.escape(ch) + "[aeiouyw]+" + re.escape(ch), latin)
    )


@lru_cache(maxsize=100_000)
def skeleton_words(tokens: tuple[str, ...], latin: bool = False) -> tuple[str, ...]:
    """The words behind a name's consonant skeleton, in order, as ``match.prepare`` builds
    it (one word per skeleton token): articles written apart are left out, a joined
    article is cut off, and the parts of compound names are written apart, as one side
    may join them and the other not: "Abd al-Wahid" / ``عبدالواحد`` / "Abdulwahed" all
    give ``abd``, ``wahid`` (``bd``, ``whd``); "Rahmatullah" / ``رحمت الله`` give
    ``rahmat``, ``allah``; "Hesamuddin" / ``حسام الدين`` give ``hesam``, ``din``.

    A "و" written apart in Arabic script is "and", not a word of the name.

    In a Latin name (``latin``), a word is only read as a joined article and a name when
    a consonant follows the "al" or "el" ("Alhusseini", "Elhadi"): "Alireza", "Alexander"
    and "Aliakbar" are names of their own."""
    words: list[str] = []
    for t in tokens:
        if t in _ARTICLES:
            continue
        if t == "w" and not latin and len(tokens) > 1:
            continue  # "و" written apart is "and" (Persian writes it so): no name
        if (
            len(t) > (4 if latin else 3)
            and t.startswith(("al", "el"))
            and not t.startswith(("allah", "allh"))
            and not (latin and t[2] in "aeiouy")
        ):
            t = t[2:]
        words.extend(_split_word(t))
    return tuple(words) if words else tuple(tokens)


@dataclass(frozen=True, slots=True)
class VowelCheck:
    """Long vowels checked over a skeleton alignment: the aligned word pairs compared,
    those whose long vowels disagree, and the factor applied to the skeleton score."""

    compared: int
    disagreeing: tuple[tuple[str, str], ...]  # (Arabic word, Latin word)
    factor: float


#: the share of a skeleton score that word pairs with disagreeing long vowels lose
PENALTY = 0.5


@lru_cache(maxsize=50_000)
def marked_words(text: str) -> tuple[str, ...]:
    """The words of an Arabic-script name transliterated with ayn and hamza marked."""
    return tuple(w for w in (arabic_marked(t) for t in clean(text).split()) if w)


@lru_cache(maxsize=50_000)
def _arabic_by_skeleton(
    arabic_tokens: tuple[str, ...], arabic_marked_words: tuple[str, ...]
) -> Mapping[str, str]:
    """:func:`check_alignment`'s skeleton token -> the Arabic word it was made from (the
    first, when two words share one), and the joined skeleton -> the words joined (a pair
    of joined skeletons, when the two names divide their words differently:
    match.engine._joined_skeleton). The same for every name a query is compared with:
    computed once (read only)."""
    words_a = skeleton_words(arabic_tokens)
    marked_a = skeleton_words(arabic_marked_words)
    by_skel_a: dict[str, str] = {}
    for words in (marked_a, words_a):
        if len(words) > 1:
            joined = "".join(skeleton(w.replace(_MARK, "")) for w in words)
            by_skel_a.setdefault(joined, "".join(words))
    for w in (*marked_a, *words_a):
        by_skel_a.setdefault(skeleton(w.replace(_MARK, "")), w)
    return by_skel_a


@lru_cache(maxsize=100_000)
def _latin_by_skeleton(latin_tokens: tuple[str, ...]) -> Mapping[str, str]:
    """:func:`_arabic_by_skeleton` for the Latin name (read only)."""
    words_l = skeleton_words(latin_tokens, latin=True)
    by_skel_l: dict[str, str] = {}
    if len(words_l) > 1:
        by_skel_l["".join(skeleton(w) for w in words_l)] = "".join(words_l)
    for w in words_l:
        by_skel_l.setdefault(skeleton(w), w)
    return by_skel_l


def check_alignment(
    arabic_tokens: tuple[str, ...],
    latin_tokens: tuple[str, ...],
    pairs: Iterable[tuple[str, str | None, float, float]],
    arabic_is_query: bool,
    arabic_marked_words: tuple[str, ...] = (),
) -> VowelCheck:
    """Check the long vowels of each aligned pair of a skeleton alignment.

    ``pairs`` are the alignment's (query skeleton token, list skeleton token or None,
    similarity, weight); ``arabic_tokens`` / ``latin_tokens`` the two names' spellings the
    skeletons were made from, ``arabic_marked_words`` (optional) the Arabic name's words
    with ayn and hamza marked (:func:`marked_words`), preferred where they give the same
    skeleton. The factor is ``1 - PENALTY x`` the weighted share of matched
    pairs whose long vowels disagree (1.0 when none do, or none can be compared).
    """
    by_skel_a = _arabic_by_skeleton(arabic_tokens, arabic_marked_words)
    by_skel_l = _latin_by_skeleton(latin_tokens)
    total = 0.0
    bad = 0.0
    compared = 0
    disagreeing: list[tuple[str, str]] = []
    for q, c, _sim, weight in pairs:
        if c is None:
            continue
        a_skel, l_skel = (q, c) if arabic_is_query else (c, q)
        aw, lw = by_skel_a.get(a_skel), by_skel_l.get(l_skel)
        total += weight
        if aw is None or lw is None:
            continue
        n = conflicts(aw, lw)
        if n is None:
            continue
        compared += 1
        if n:
            bad += weight
            disagreeing.append((aw, lw))
    factor = 1.0 - PENALTY * (bad / total) if total > 0 else 1.0
    return VowelCheck(compared, tuple(disagreeing), factor)


@lru_cache(maxsize=200_000)
def shared_semivowels(arabic: str, latin: str) -> int:
    """How many consonant groups of the two words (when their consonants are the same)
    are followed in both by a consonantal w: a و the Arabic-script word writes, and a "v"
    or "w" in the Latin spelling at the same place ("فدوی" ``fdwy`` / "Fadavi"). The
    skeleton drops w with the vowels, as و is as often "u" or "o"; where the Latin
    spelling writes it as a consonant too, it is one more letter the names share."""
    a, b = _frame(arabic), _frame(latin)
    if a.consonants != b.consonants:
        return 0
    return sum(1 for x, y in zip(a.after, b.after, strict=True) if "w" in x and "w" in y)


@lru_cache(maxsize=200_000)
def agreeing_long_vowels(arabic: str, latin: str, hebrew: bool = False) -> int:
    """How many long vowels the Arabic-script word writes (ا a, و u/o, ي i/e; not an
    initial alif, which carries any vowel, nor an ayn or hamza) that the Latin spelling
    writes at the same place, when the two words have the same consonants and none of its
    long vowels disagrees (:func:`conflicts`); 0 otherwise. A و that both write as a
    consonant is counted by :func:`shared_semivowels` instead. ``hebrew``: the word is
    Hebrew (its matres lectionis א ו י read the same way), whose final י is never "a"."""
    if conflicts(arabic, latin, hebrew) != 0:
        return 0
    a, b = _frame(arabic), _frame(latin)
    lead = a.lead[1:] if a.lead.startswith("a") else a.lead
    count = sum(1 for v in lead if v != _MARK)
    for x, y in zip(a.after, b.after, strict=True):
        count += sum(1 for v in x if v != _MARK and not (v == "w" and "w" in y))
    return count


@lru_cache(maxsize=100_000)
def words_by_skeleton(
    skel: tuple[str, ...], tokens: tuple[str, ...], latin: bool
) -> Mapping[str, str]:
    """Skeleton token -> the word (:func:`skeleton_words`) it was made from, by position;
    empty when the words and the skeleton do not line up (read only)."""
    words = skeleton_words(tokens, latin)
    return dict(zip(skel, words, strict=True)) if len(words) == len(skel) else {}


@lru_cache(maxsize=100_000)
def written_consonants(
    skel: tuple[str, ...], tokens: tuple[str, ...], latin: bool
) -> dict[str, int]:
    """Skeleton token -> how many consonant letters the word it was made from writes, a
    letter doubled side by side counted once ("Hassan" 3) but two equal letters with a
    vowel between twice ("Aziz" and "عزيز" ``zyz``: 2, where their skeleton is ``z``);
    the skeleton of all the words joined -> the sum. Empty when the words and the
    skeleton do not line up. The matcher counts the letters of a skeleton match as the
    fewer of the two names' (so "دادفر" ``dadfr`` against "Dafeer" counts 3, not 4)."""
    words = skeleton_words(tokens, latin)
    if len(words) != len(skel):
        return {}
    counts = [len(_DROPPED.sub("", collapse_doubles(skeleton_letters(w)))) for w in words]
    out = dict(zip(skel, counts, strict=True))
    out.setdefault("".join(skel), sum(counts))
    return out
