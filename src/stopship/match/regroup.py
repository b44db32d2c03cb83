"""Names that divide the same words otherwise: joined words and acronyms.

One name may write as one word what the other writes as two ("Electromechanics" /
"Electro-Mechanics", "Radioelectronic" / "Radio Electronic"), or as an acronym what the
other spells out ("Tambov Plant Oktyabr" / "TZ Oktyabr" for "Тамбовский Завод", "NPO
Vint" for "Научно-Производственное Объединение «Винт»"). Aligning word with word cannot
see either. :func:`regroupings` rewrites one side so that its words are divided as the
other's are, and the matcher aligns that spelling as well: the joined word, or the
acronym in place of the words it stands for. Only regroupings that meet a word of the
other side exactly are made.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache

from stopship.match.compiled import kernel as _kernel  # None without a C compiler

#: words that name nothing ("Plant of the 70th Anniversary of Victory"): a name in
#: Russian or Persian has none of them, and its English reading has others
FUNCTION_WORDS = frozenset(
    (
        *("of", "the", "for", "and", "to", "in", "on", "at", "by", "an"),
        *("de", "du", "des", "la", "le", "del", "und", "der", "die", "das", "fur"),
        # a list's remarks inside a name: "PSB Bank (formerly PROMSVYAZBANK)", "(a.k.a.
        # ...)", "née ..."
        *("formerly", "former", "aka", "fka", "nee", "alias"),
    )
)


#: an acronym has this many letters (two-letter ones meet far too many word pairs)
ACRONYM_LETTERS = (3, 6)
#: ... and stands for at most this many words
ACRONYM_WORDS = 7


#: the one empty set of positions (own_acronyms)
_NONE: frozenset[int] = frozenset()

#: neighbours joined (joined word -> position of the first), initials (-> (start, end))
_Keys = tuple[dict[str, int], dict[str, tuple[int, int]]]


@lru_cache(maxsize=200_000)
def _keys(words: tuple[str, ...]) -> _Keys:
    """Neighbours joined (joined word -> position of the first) and the initials of runs
    of two words or more (initials -> (start, end)); the first run of given initials."""
    joined: dict[str, int] = {}
    initials: dict[str, tuple[int, int]] = {}
    for i in range(len(words) - 1):
        joined.setdefault(words[i] + words[i + 1], i)
        letters = words[i][0]
        for j in range(i + 1, min(len(words), i + ACRONYM_WORDS)):
            letters += words[j][0]
            if len(letters) > ACRONYM_LETTERS[1]:
                break
            if len(letters) >= ACRONYM_LETTERS[0]:
                initials.setdefault(letters, (i, j + 1))
    return joined, initials


#: (words, regrouping keys) of a name's spellings: what :func:`may_regroup` compares
Keys = tuple[frozenset[str], frozenset[str]]

#: the same of a list name, kept for the process (engine._NameData): tuples of str, which
#: the cyclic collector stops tracking once it has seen them (frozensets it walks after
#: every batch for as long as they live)
NameKeys = tuple[tuple[str, ...], tuple[str, ...]]


def _key_sets(
    spellings: tuple[tuple[str, ...], ...], keys_of_words: Callable[[tuple[str, ...]], _Keys]
) -> tuple[set[str], set[str]]:
    words: set[str] = set()
    keys: set[str] = set()
    for sp in spellings:
        words.update(sp)
        joined, initials = keys_of_words(sp)
        keys.update(joined, initials)
    return words, keys


def keys_of(spellings: tuple[tuple[str, ...], ...]) -> Keys:
    """The words of a name's spellings and the words a regrouping of them could make
    (neighbours joined, acronyms of runs), computed once per name."""
    words, keys = _key_sets(spellings, _keys)
    return frozenset(words), frozenset(keys)


def name_keys_of_py(spellings: tuple[tuple[str, ...], ...]) -> NameKeys:
    """:func:`keys_of` as tuples (each word once, sorted): a list name's side of
    :func:`may_regroup`, computed once per name and kept by the caller, so not through the
    memo of :func:`_keys` (whose entries, tuples of dicts, the collector would walk)."""
    words, keys = _key_sets(spellings, _keys.__wrapped__)
    return tuple(sorted(words)), tuple(sorted(keys))


def name_keys_of(spellings: tuple[tuple[str, ...], ...]) -> NameKeys:
    """:func:`name_keys_of_py`, by the compiled kernel when it is built (the same tuples;
    a name's keys are a good part of the first sight of a list name)."""
    if _kernel is not None:
        got = _kernel.name_keys(spellings, *ACRONYM_LETTERS, ACRONYM_WORDS)
        if got is not None:
            return got
    return name_keys_of_py(spellings)


def may_regroup(q: Keys, c: Keys | NameKeys) -> bool:
    """Whether :func:`regroupings` may find anything for any spellings of the two names:
    a regrouping of one side's words is a word of the other."""
    return not q[1].isdisjoint(c[0]) or not q[0].isdisjoint(c[1])


def _acronym(word: str) -> bool:
    return ACRONYM_LETTERS[0] <= len(word) <= ACRONYM_LETTERS[1] and word.isalpha()


def _regrouped(
    words: tuple[str, ...], other: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], dict[str, str]]]:
    """``words`` rewritten to meet words of ``other``: two neighbours joined, or a run of
    words replaced by the acronym ``other`` writes for them; with what each new word
    stands for (the words as written, for the explanation)."""
    joined, initials = _keys(words)
    seen: set[str] = set()
    for w in other:
        if w in seen:
            continue
        seen.add(w)
        at = joined.get(w)
        if at is not None:
            yield (*words[:at], w, *words[at + 2 :]), {w: f"{words[at]} {words[at + 1]}"}
        if _acronym(w) and w not in words:
            span = initials.get(w)
            if span is not None:
                start, end = span
                yield (*words[:start], w, *words[end:]), {w: " ".join(words[start:end])}


#: the longest acronym of a name's own words (:func:`own_acronyms`)
_OWN_ACRONYM_LETTERS = 6


def own_acronyms(tokens: tuple[str, ...]) -> frozenset[int]:
    """Positions of the tokens that are the initials of a run of two or more other words
    of the same name: "Minskii Avtomobilnyi Zavod (MAZ)". Such a token restates those
    words: unmatched, it is no word the query lacks."""
    found: set[int] = set()
    firsts: str | None = ""
    named: list[int] = []
    named_firsts = ""
    for i, t in enumerate(tokens):
        if not 2 <= len(t) <= _OWN_ACRONYM_LETTERS or not t.isalpha():
            continue
        n = len(t)
        if n >= len(tokens):  # no run of n other words
            continue
        if firsts == "":
            # the words' first letters, one per word: a run of words whose initials are t
            # is where t occurs in them (a name's tokens are never empty: else word by word)
            firsts = "".join([w[:1] for w in tokens]) if all(tokens) else None
            # ... and of the words that name something: "IRIB" is Islamic Republic of Iran
            # Broadcasting (with the positions of those words)
            named = [k for k, w in enumerate(tokens) if w not in FUNCTION_WORDS]
            named_firsts = "".join([tokens[k][:1] for k in named]) if all(tokens) else ""
        if firsts is not None:
            if _initials_of_others(firsts, t, i, range(len(tokens))) or (
                len(named) < len(tokens) and _initials_of_others(named_firsts, t, i, named)
            ):
                found.add(i)
            continue
        for start in range(len(tokens) - n + 1):
            run = range(start, start + n)
            if i not in run and all(tokens[k][0] == t[j] for j, k in enumerate(run)):
                found.add(i)
                break
    return frozenset(found) if found else _NONE


def _initials_of_others(firsts: str, t: str, i: int, where: range | list[int]) -> bool:
    """Whether ``t`` is the initials of a run of words (``firsts``: their first letters;
    ``where``: the word positions they stand for) that leaves out word ``i``."""
    n = len(t)
    start = firsts.find(t)
    while start >= 0:
        if not where[start] <= i <= where[start + n - 1]:
            return True
        start = firsts.find(t, start + 1)
    return False


def acronym_spellings(
    spellings: tuple[tuple[str, ...], ...], known: Callable[[str], bool], limit: int
) -> tuple[tuple[str, ...], ...]:
    """Spellings with a run of words replaced by their initials where those are a known
    word (``known``: a token of the list names), at most ``limit``: what retrieval looks
    up for a name the lists may write as an acronym ("nauchno proizvodstvennoe obedinenie
    bazalt" -> "npo bazalt"), as the scorer's :func:`regroupings` would meet it. Never the
    whole spelling as one acronym: three names' initials are some list name far too often
    ("Александра Алексеевна Харитонова", "AAH")."""
    out: list[tuple[str, ...]] = []
    for words in spellings:
        _joined, initials = _keys(words)
        for letters, (start, end) in initials.items():
            if end - start == len(words) or letters in words or not known(letters):
                continue  # the whole name as initials meets far too many acronyms
            got = (*words[:start], letters, *words[end:])
            if got not in out and got not in spellings:
                out.append(got)
                if len(out) == limit:
                    return tuple(out)
    return tuple(out)


def regroupings(
    q: tuple[str, ...], c: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], tuple[str, ...], dict[str, str], dict[str, str]]]:
    """The spellings (query, list) with one side's words divided as the other's are, and
    for each side what its new words stand for. Nothing when no regrouping meets a word
    of the other side."""
    for q2, stands in _regrouped(q, c):
        yield q2, c, stands, {}
    for c2, stands in _regrouped(c, q):
        yield q, c2, {}, stands
