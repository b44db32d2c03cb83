"""Small named features. Each returns its value and an explanation as plain data."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import OSA, Indel

from stopship.match import weights as W
from stopship.match.compiled import kernel as _kernel  # None without a C compiler
from stopship.match.memo import PairMemo, pair_memo
from stopship.match.prepare import PERSON_ENDINGS, is_patronymic
from stopship.match.regroup import FUNCTION_WORDS, own_acronyms
from stopship.normalize.given_names import name_key, same_given_name
from stopship.normalize.glossary import concepts, same_meaning
from stopship.normalize.translit import collapse_doubles

Weigher = Callable[[str], float]


@dataclass(frozen=True, slots=True)
class Alignment:
    """How a query spelling's tokens align with a list spelling's tokens."""

    score: float
    query_coverage: float
    list_coverage: float
    pairs: tuple[tuple[str, str | None, float, float], ...]  # (query, list, sim, weight)


_PHONETIC = (("ks", "x"), ("ph", "f"), ("kh", "h"), ("ck", "k"), ("ch", "\x00"), ("c", "k"),
             ("\x00", "ch"), ("q", "k"), ("w", "v"), ("y", "i"), ("j", "i"), ("ou", "u"),
             ("ie", "i"), ("ei", "i"))  # fmt: skip
_SOFT_C = re.compile(r"c(?=[eiy])")
if _kernel is not None:  # what the kernel's token_similarity computes with
    _kernel.similarity_constants(
        W.INITIAL_SIMILARITY,
        W.EXACT_ONLY_LEN,
        W.FIRST_LETTER_PENALTY,
        W.PHONETIC_SIMILARITY,
        W.TRANSLATION_SIMILARITY,
        W.TOKEN_MATCH_MIN,
        W.WEAK_TOKEN_SIMILARITY,
    )


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    """A light phonetic key for Latin spellings of one name across transliteration
    systems: "aleksandr"/"alexandr", "zefirin"/"zephyrine", "iurii"/"yuri".
    :func:`phonetic_py`, by the compiled kernel when it is built (the same string; a
    good part of a first-seen pair of tokens' similarity), remembered."""
    if _kernel is not None:
        got = _kernel.phonetic(token, _PHONETIC)
        if got is not None:
            return got
    return phonetic_py(token)


def phonetic_py(token: str) -> str:
    """:func:`phonetic` in Python."""
    t = token
    if t.startswith(("ye", "ie")):  # Cyrillic initial е: "Yelabuga"/"Elabuga", "Yevgeny"
        t = "e" + t[2:]
    t = _SOFT_C.sub("s", t)  # English "c" before e, i, y is "s": "service"/"servis"
    for a, b in _PHONETIC:
        t = t.replace(a, b)
    t = collapse_doubles(t)
    if t.endswith("skaia") and len(t) > 7:  # Russian "-skaya", Ukrainian "-ska"
        t = t[:-2]
    return t.rstrip("e") if len(t) > 4 else t


def _token_similarity(a: str, b: str, strict: bool = False) -> float:
    """Typo-tolerant similarity of two tokens (transpositions count as one edit);
    short tokens must be equal; an initial matches the token it starts. ``strict``:
    equal or nothing. :func:`token_similarity_py`, by the compiled kernel when it is
    built (the same numbers). Called as :data:`token_similarity`, which remembers it."""
    if _kernel is not None:
        # same_given_name and same_meaning are computed from their lookups (name_key,
        # concepts) in the kernel: two Python calls fewer for a first-seen pair
        got = _kernel.similarity(a, b, strict, name_key, concepts, phonetic)
        if got is not None:
            return got
    return token_similarity_py(a, b, strict)


#: :func:`_token_similarity`, remembered per pair of tokens (match.memo)
token_similarity: PairMemo = pair_memo(_token_similarity, 1_000_000)


def token_similarity_py(a: str, b: str, strict: bool = False) -> float:
    """:func:`token_similarity` in Python: rapidfuzz's OSA similarity, less
    ``FIRST_LETTER_PENALTY`` when the first letters differ; below 0.95 the phonetic keys
    (:func:`phonetic`) and given-name forms may lift it; two words of one meaning
    (:func:`same_meaning`) are ``TRANSLATION_SIMILARITY``; under ``TOKEN_MATCH_MIN`` it
    is 0, under ``WEAK_TOKEN_SIMILARITY`` stretched down, and two tokens sharing a
    surname ending are judged on the rest as well."""
    if a == b:
        return 1.0
    if strict:
        return 0.0
    la, lb = len(a), len(b)
    if la == 1 or lb == 1:
        return W.INITIAL_SIMILARITY if (a[0] == b[0]) else 0.0
    if la <= W.EXACT_ONLY_LEN or lb <= W.EXACT_ONLY_LEN:
        return 0.0
    s = float(OSA.normalized_similarity(a, b))
    if a[0] != b[0]:
        s -= W.FIRST_LETTER_PENALTY  # "Hänel"/"Manel", "Drubin"/"Rubin": other names
    if s < 0.95:
        pa, pb = phonetic(a), phonetic(b)
        if pa == pb or same_given_name(a, b):  # "volodymyr"/"vladimir": one name
            s = max(s, W.PHONETIC_SIMILARITY)
        else:
            s = max(s, float(OSA.normalized_similarity(pa, pb)) * W.PHONETIC_SIMILARITY)
    if s < W.TRANSLATION_SIMILARITY and same_meaning(a, b):
        return W.TRANSLATION_SIMILARITY  # one word in two languages: "zavod"/"plant"
    if s < W.TOKEN_MATCH_MIN:
        return 0.0
    if s < W.WEAK_TOKEN_SIMILARITY:  # two edits in a long token: weaker evidence
        s -= (W.WEAK_TOKEN_SIMILARITY - s) * 1.5
        suffix = _shared_suffix(a, b)
        if suffix:  # "babichenko"/"belichenko": the two edits are all of the rest
            s = min(s, token_similarity(a[: -len(suffix)], b[: -len(suffix)]))
    return s


#: common endings of surnames: two weakly similar tokens that share one are judged on
#: what is left ("babich"/"belich" are other names). Not patronymic endings: the stems of
#: "siargeevich"/"sergeevich" are one given name in two languages.
SURNAME_SUFFIXES = ("chenko", "shvili", "zadeh", "enko", "oglu")


def _shared_suffix(a: str, b: str) -> str:
    """The longest of SURNAME_SUFFIXES both tokens end with, when each keeps 4 or more
    letters without it; else ''."""
    for suf in SURNAME_SUFFIXES:
        if a.endswith(suf) and b.endswith(suf):
            return suf if min(len(a), len(b)) - len(suf) >= 4 else ""
    return ""


def side_weights(tokens: tuple[str, ...], weigh: Weigher, generic: frozenset[str]) -> list[float]:
    """Each token's rarity weight in an alignment: generic words count ``GENERIC_WEIGHT``
    of a name, an initial ``INITIAL_WEIGHT`` and a function word ``FUNCTION_WORD_WEIGHT``
    of a token."""
    out: list[float] = []
    for t in tokens:
        base = weigh(t)
        if t in generic:
            base = base * W.GENERIC_WEIGHT
        if len(t) == 1:
            base *= W.INITIAL_WEIGHT  # an initial stands for less than a whole token
        elif t in FUNCTION_WORDS:
            base *= W.FUNCTION_WORD_WEIGHT
        out.append(base)
    return out


def person_query_weights(tokens: tuple[str, ...], weights: list[float]) -> list[float]:
    """A query's token weights against a person's name that writes no patronymic: a
    patronymic counts ``PATRONYMIC_WEIGHT`` of its weight, as an unmatched one of a list
    name does (lists often leave it out: "Aleksandr PASHKEVICH" for "Пашкевич Александр
    Михайлович"; two different patronymics still differ in full). ``weights`` itself when
    the query has none."""
    where = patronymics(tokens)
    if not where:
        return weights
    return [w * W.PATRONYMIC_WEIGHT if i in where else w for i, w in enumerate(weights)]


def _given(token: str) -> bool:
    key = name_key(token)
    return key is not None and key[0] == "given"


#: patronymics() of the names met so far. A dict keyed by the name's own tuple rather than
#: functools.lru_cache, whose key is a new 1-tuple around it: with the shared empty set as
#: the usual value, a name remembered adds no object for the cyclic collector to walk
#: after a batch (engine._collector_paused). Started afresh at PATRONYMICS_MEMO names.
_patronymics_memo: dict[tuple[str, ...], frozenset[int]] = {}
PATRONYMICS_MEMO = 100_000
_NO_PATRONYMICS: frozenset[int] = frozenset()


#: Turkic "son of" / "daughter of" written as a word after the father's name
PATRONYMIC_PARTICLES = frozenset(
    ("ogly", "oglu", "ugli", "uly", "uulu", "gizi", "qizi", "kizi", "kyzy", "kyzi")
)


def patronymics(tokens: tuple[str, ...]) -> frozenset[int]:
    """The positions of a name's patronymics, in a name of three words or more: a token
    made from a listed given name ("mikhailovich"), or one with a patronymic's ending
    right after a listed given name ("Yevhen Harriiovych"). Not a surname of that shape
    in a two-word name ("Roman ABRAMOVICH"), nor one made from no given name and after
    none ("PASHKEVICH Aleksandr"). Remembered per name."""
    got = _patronymics_memo.get(tokens)
    if got is None:
        got = _patronymics(tokens)
        if len(_patronymics_memo) >= PATRONYMICS_MEMO:
            _patronymics_memo.clear()
        _patronymics_memo[tokens] = got
    return got


def _patronymics(tokens: tuple[str, ...]) -> frozenset[int]:
    if len(tokens) < 3:
        return _NO_PATRONYMICS
    out: set[int] = set()
    last = len(tokens) - 1
    for i, t in enumerate(tokens):
        key = name_key(t)
        made = key is not None and key[0] == "patronymic"
        after_given = i > 0 and len(t) > 5 and t.endswith(PERSON_ENDINGS) and _given(tokens[i - 1])
        # between two names, "-vich" is a patronymic however it is spelled ("Oleg
        # Yevgenyvich BELAVENTSEV"); a surname of that shape ends or starts the name
        between = 0 < i < last and len(t) > 5 and t.endswith(("vich", "vych"))
        if made or after_given or between:
            out.add(i)
        elif t in PATRONYMIC_PARTICLES and i > 1:
            # "Nailya Vagif Gizi ASKER-ZADE": the father's name and "daughter of"
            out.update((i - 1, i))
    return frozenset(out) if out else _NO_PATRONYMICS


def has_patronymic(tokens: tuple[str, ...]) -> bool:
    """True when the name has a patronymic (:func:`patronymics`)."""
    return bool(patronymics(tokens))


def unmatched_factors(tokens: tuple[str, ...], list_is_person: bool) -> list[float | None]:
    """What an *unmatched* list token's weight is multiplied by (None: nothing): a
    patronymic of a person, a short acronym of a company (initials are already scaled by
    :func:`side_weights`, matched or not)."""
    out: list[float | None] = []
    where = patronymics(tokens) if list_is_person else _NO_PATRONYMICS
    own = _NO_PATRONYMICS if list_is_person else own_acronyms(tokens)
    for i, t in enumerate(tokens):
        if len(t) == 1:
            out.append(None)
        elif list_is_person:
            out.append(W.PATRONYMIC_WEIGHT if is_patronymic(t) or i in where else None)
        elif i in own:
            out.append(0.0)
        else:
            out.append(W.ACRONYM_WEIGHT if len(t) <= W.ACRONYM_MAX_LEN else None)
    return out


Match = tuple[int, int, float]  # (query token, list token, similarity), in alignment order


def _first(x: tuple[float, int, int]) -> float:
    return x[0]


def align_core(
    q: tuple[str, ...],
    qw: list[float],
    c: tuple[str, ...],
    cw: list[float],
    cf: list[float | None],
    strict: bool,
    rows: list[dict[str, float]] | None = None,
) -> tuple[float, float, float, list[Match]]:
    """:func:`align_core_py`, by the compiled kernel when it is built (the same numbers)."""
    if _kernel is not None:
        got = _kernel.align_core(q, qw, c, cw, cf, strict, rows, token_similarity)
        if got is not None:
            return got
    return align_core_py(q, qw, c, cw, cf, strict, rows)


def align_core_py(
    q: tuple[str, ...],
    qw: list[float],
    c: tuple[str, ...],
    cw: list[float],
    cf: list[float | None],
    strict: bool,
    rows: list[dict[str, float]] | None = None,
) -> tuple[float, float, float, list[Match]]:
    """:func:`align` on precomputed weights (``qw``, ``cw`` from :func:`side_weights`,
    ``cf`` from :func:`unmatched_factors`): (score, query coverage, list coverage, the
    accepted matches in the order the greedy alignment accepted them). The arithmetic
    is :func:`align`'s, operation for operation, so the numbers are the same bits.
    ``rows``: per query token, the :func:`token_similarity` (at this ``strict``) of the
    list tokens already compared with it, filled as they are met (a caller's cache for
    the many names one query is compared with)."""
    sim = token_similarity
    cand: list[tuple[float, int, int]] = []
    if rows is None:
        for i, a in enumerate(q):
            for j, b in enumerate(c):
                s = sim(a, b, strict)
                if s > 0.0:
                    cand.append((s, i, j))
    else:
        for i, row in enumerate(rows):
            get = row.get
            for j, b in enumerate(c):
                known = get(b)
                if known is None:
                    known = row[b] = sim(q[i], b, strict)
                if known > 0.0:
                    cand.append((known, i, j))
    # by similarity, best first; equal similarities stay in (i, j) order (a stable sort)
    cand.sort(key=_first, reverse=True)
    nc = len(c)
    most = min(len(q), nc)
    q_done = [False] * len(q)
    c_used = [False] * nc
    order: list[Match] = []
    for s, i, j in cand:
        if q_done[i] or c_used[j]:
            continue
        q_done[i] = True
        c_used[j] = True
        order.append((i, j, s))
        if len(order) == most:
            break
    # a list name that spells one token twice ("Alexander (Alexandr)", "GAMOLA (HAMOLA)")
    # has its alternate covered by the matched spelling
    alt: list[tuple[int, float]] = []
    if len(order) < nc:
        for j, b in enumerate(c):
            if c_used[j]:
                continue
            for _i, jm, sm in order:
                if token_similarity(b, c[jm]) > 0.0:
                    alt.append((j, sm))
                    break
        cw = [
            w if c_used[j] or f is None else w * f
            for j, (w, f) in enumerate(zip(cw, cf, strict=True))
        ]
    q_num = sum(qw[i] * s for i, _j, s in order)
    c_num = sum(cw[j] * s for _i, j, s in order)
    c_num += sum(cw[j] * s for j, s in alt)
    q_tot = sum(qw)
    c_tot = sum(cw)
    q_cov = q_num / q_tot if q_tot else 0.0
    c_cov = c_num / c_tot if c_tot else 0.0
    return 0.75 * min(q_cov, c_cov) + 0.25 * max(q_cov, c_cov), q_cov, c_cov, order


def alignment_pairs(
    q: tuple[str, ...], c: tuple[str, ...], qw: list[float], order: list[Match]
) -> tuple[tuple[str, str | None, float, float], ...]:
    """The (query, list, similarity, weight) of each query token, as in :class:`Alignment`.
    :func:`alignment_pairs_py`, by the compiled kernel when it is built (the same tuples;
    every skeleton alignment makes them)."""
    if _kernel is not None:
        got = _kernel.alignment_pairs(q, c, qw, order)
        if got is not None:
            return got
    return alignment_pairs_py(q, c, qw, order)


def alignment_pairs_py(
    q: tuple[str, ...], c: tuple[str, ...], qw: list[float], order: list[Match]
) -> tuple[tuple[str, str | None, float, float], ...]:
    """:func:`alignment_pairs` in Python."""
    by_q = {i: (j, s) for i, j, s in order}
    pairs: list[tuple[str, str | None, float, float]] = []
    for i, t in enumerate(q):
        m = by_q.get(i)
        if m is None:
            pairs.append((t, None, 0.0, qw[i]))
        else:
            pairs.append((t, c[m[0]], m[1], qw[i]))
    return tuple(pairs)


def align(
    q: tuple[str, ...],
    c: tuple[str, ...],
    weigh: Weigher,
    generic: frozenset[str],
    list_is_person: bool,
    strict: bool = False,
) -> Alignment:
    """Greedy one-to-one alignment by similarity; coverage of each side is the
    rarity-weighted share of its tokens matched. The score leans on the weaker side
    (0.75 x min + 0.25 x max), so a short query inside a long name, or a long query
    around a short name, does not pass for the whole name.

    Tokens are paired best similarity first (ties: query token, then list token, in
    order), each token at most once. Weights: the token's rarity (``weigh``), x
    ``GENERIC_WEIGHT`` for generic words, x ``INITIAL_WEIGHT`` for initials; an
    unmatched list token of a person that is a patronymic x ``PATRONYMIC_WEIGHT``, of a
    company that is an acronym (<= ``ACRONYM_MAX_LEN`` letters) x ``ACRONYM_WEIGHT``; an
    unmatched list token typo-close to a matched list token (an alternate spelling)
    counts as matched with that token's similarity."""
    qw = side_weights(q, weigh, generic)
    cw, cf = side_weights(c, weigh, generic), shared_unmatched_factors(c, list_is_person)
    score, q_cov, c_cov, order = align_core(q, qw, c, cw, cf, strict)
    return Alignment(score, q_cov, c_cov, alignment_pairs(q, c, qw, order))


#: :func:`unmatched_factors` of the list spellings met so far (by :func:`align`, and the
#: matcher's name data), per ``list_is_person`` (the scorer aligns the same names batch
#: after batch), each value one list shared by every name of its pattern of factors (a few
#: dozen patterns; the scorer only reads them): a name remembered adds no list for the
#: cyclic collector to walk. Started afresh at ALIGN_FACTORS_MEMO names.
_align_factors_memo: tuple[
    dict[tuple[str, ...], list[float | None]], dict[tuple[str, ...], list[float | None]]
] = ({}, {})
_factor_patterns: dict[tuple[float | None, ...], list[float | None]] = {}
ALIGN_FACTORS_MEMO = 100_000


def shared_unmatched_factors(c: tuple[str, ...], list_is_person: bool) -> list[float | None]:
    """:func:`unmatched_factors`, remembered per spelling and shared per pattern: read only."""
    memo = _align_factors_memo[list_is_person]
    got = memo.get(c)
    if got is None:
        factors = unmatched_factors(c, list_is_person)
        got = _factor_patterns.setdefault(tuple(factors), factors)
        if len(memo) >= ALIGN_FACTORS_MEMO:
            memo.clear()
            _factor_patterns.clear()
        memo[c] = got
    return got


def compact_similarity(q: tuple[str, ...], c: tuple[str, ...], strict: bool = False) -> float:
    """Similarity of the names with all spaces removed: immune to split, merged or
    spaced-out tokens ("a l a b u g a"). Only equality counts for short names."""
    return compact_joined("".join(q), "".join(c), strict)


def compact_joined(a: str, b: str, strict: bool = False) -> float:
    """:func:`compact_similarity` of names already joined without spaces."""
    if strict or len(a) < W.COMPACT_MIN_LEN or len(b) < W.COMPACT_MIN_LEN:
        return 1.0 if a == b and a else 0.0
    # a difference in the first letters is rarely a typo of the same name (looked at
    # first: then the similarity need not be computed)
    if a[:2] != b[:2]:
        return 0.0
    s = float(Indel.normalized_similarity(a, b))
    # only near-identical strings count: it ignores token boundaries
    return 0.0 if s < 0.9 else s


def kind_feature(query_kind: str | None, entity_kind: str) -> tuple[float, dict[str, Any]] | None:
    if query_kind is None or entity_kind == "unknown" or query_kind == "unknown":
        return None
    same = query_kind == entity_kind
    return (1.0 if same else 0.0), {"query": query_kind, "list": entity_kind}


#: legal forms that say no more than "a company": never in conflict with another
NEUTRAL_FORMS = frozenset({"co"})
#: legal forms that translations render as one another: a limited liability company
#: (ООО, 有限责任公司) is "LLC" in one list and "Co., Ltd." in another
ALIKE_FORMS = (frozenset({"llc", "ltd"}),)


def legal_form_feature(
    q: frozenset[str], c: frozenset[str], entity_kind: str
) -> tuple[float, dict[str, Any]] | None:
    if q and entity_kind == "person":
        return 0.0, {"query": sorted(q), "list": "person"}
    qs, cs = q - NEUTRAL_FORMS, c - NEUTRAL_FORMS
    if not qs or not cs:
        return None
    agree = bool(qs & cs) or any(qs & a and cs & a for a in ALIKE_FORMS)
    return (1.0 if agree else 0.0), {"query": sorted(q), "list": sorted(c)}


def _date_range(value: str) -> tuple[int, int]:
    parts = value.split("-")
    y = int(parts[0])
    if len(parts) == 1:
        return date(y, 1, 1).toordinal(), date(y, 12, 31).toordinal()
    m = int(parts[1])
    if len(parts) == 2:
        end = date(y + (m == 12), (m % 12) + 1, 1).toordinal() - 1
        return date(y, m, 1).toordinal(), end
    d = date.fromisoformat(value).toordinal()
    return d, d


def birth_date_feature(
    query: str | None, listed: tuple[tuple[int, int], ...]
) -> tuple[float, dict[str, Any]] | None:
    if not query or not listed:
        return None
    qs, qe = _date_range(query)
    overlap = any(qs <= e and s <= qe for s, e in listed)
    shown = [
        date.fromordinal(s).isoformat() + ("" if s == e else "/" + date.fromordinal(e).isoformat())
        for s, e in listed
    ]
    return (1.0 if overlap else 0.0), {"query": query, "list": shown}


def country_feature(
    query: str | None, listed: frozenset[str]
) -> tuple[float, dict[str, Any]] | None:
    if not query or not listed:
        return None
    return (1.0 if query in listed else 0.0), {"query": query, "list": sorted(listed)}
