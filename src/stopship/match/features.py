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
from stopship.match.prepare import is_patronymic
from stopship.normalize.given_names import same_given_name

Weigher = Callable[[str], float]


@dataclass(frozen=True, slots=True)
class Alignment:
    """How a query spelling's tokens align with a list spelling's tokens."""

    score: float
    query_coverage: float
    list_coverage: float
    pairs: tuple[tuple[str, str | None, float, float], ...]  # (query, list, sim, weight)


_PHONETIC = (("ks", "x"), ("ph", "f"), ("kh", "h"), ("ck", "k"), ("q", "k"), ("w", "v"),
             ("y", "i"), ("j", "i"), ("ou", "u"), ("ie", "i"), ("ei", "i"))  # fmt: skip
_DOUBLED = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    """A light phonetic key for Latin spellings of one name across transliteration
    systems: "aleksandr"/"alexandr", "zefirin"/"zephyrine", "iurii"/"yuri"."""
    t = token
    if t.startswith(("ye", "ie")):  # Cyrillic initial е: "Yelabuga"/"Elabuga", "Yevgeny"
        t = "e" + t[2:]
    for a, b in _PHONETIC:
        t = t.replace(a, b)
    t = _DOUBLED.sub(r"\1", t)
    return t.rstrip("e") if len(t) > 4 else t


@lru_cache(maxsize=1_000_000)
def token_similarity(a: str, b: str, strict: bool = False) -> float:
    """Typo-tolerant similarity of two tokens (transpositions count as one edit);
    short tokens must be equal; an initial matches the token it starts. ``strict``:
    equal or nothing."""
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
    if s < W.TOKEN_MATCH_MIN:
        return 0.0
    if s < W.WEAK_TOKEN_SIMILARITY:  # two edits in a long token: weaker evidence
        s -= (W.WEAK_TOKEN_SIMILARITY - s) * 1.5
    return s


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
    around a short name, does not pass for the whole name."""

    def w(t: str, side_generic: bool) -> float:
        base = weigh(t)
        return base * W.GENERIC_WEIGHT if side_generic else base

    cand: list[tuple[float, int, int]] = []
    for i, a in enumerate(q):
        for j, b in enumerate(c):
            s = token_similarity(a, b, strict)
            if s > 0.0:
                cand.append((s, i, j))
    cand.sort(key=lambda x: (-x[0], x[1], x[2]))
    q_match: dict[int, tuple[int, float]] = {}
    c_used: set[int] = set()
    for s, i, j in cand:
        if i in q_match or j in c_used:
            continue
        q_match[i] = (j, s)
        c_used.add(j)
    # a list name that spells one token twice ("Alexander (Alexandr)", "GAMOLA (HAMOLA)")
    # has its alternate covered by the matched spelling
    alt: dict[int, float] = {}
    if len(c_used) < len(c):
        for j, b in enumerate(c):
            if j in c_used:
                continue
            for _i, (jm, sm) in q_match.items():
                if token_similarity(b, c[jm]) > 0.0:
                    alt[j] = sm
                    break
    qw = [w(t, t in generic) for t in q]
    cw = [w(t, t in generic) for t in c]
    # an initial stands for less than a whole token
    for i, t in enumerate(q):
        if len(t) == 1:
            qw[i] *= W.INITIAL_WEIGHT
    for j, t in enumerate(c):
        if len(t) == 1:
            cw[j] *= W.INITIAL_WEIGHT
        elif j in c_used:
            continue
        elif list_is_person and is_patronymic(t):
            cw[j] *= W.PATRONYMIC_WEIGHT
        elif not list_is_person and len(t) <= W.ACRONYM_MAX_LEN:
            cw[j] *= W.ACRONYM_WEIGHT
    q_num = sum(qw[i] * s for i, (_j, s) in q_match.items())
    c_num = sum(cw[j] * s for _i, (j, s) in q_match.items())
    c_num += sum(cw[j] * s for j, s in alt.items())
    q_cov = q_num / sum(qw) if sum(qw) else 0.0
    c_cov = c_num / sum(cw) if sum(cw) else 0.0
    pairs: list[tuple[str, str | None, float, float]] = []
    for i, t in enumerate(q):
        if i in q_match:
            j, s = q_match[i]
            pairs.append((t, c[j], s, qw[i]))
        else:
            pairs.append((t, None, 0.0, qw[i]))
    score = 0.75 * min(q_cov, c_cov) + 0.25 * max(q_cov, c_cov)
    return Alignment(score, q_cov, c_cov, tuple(pairs))


def compact_similarity(q: tuple[str, ...], c: tuple[str, ...], strict: bool = False) -> float:
    """Similarity of the names with all spaces removed: immune to split, merged or
    spaced-out tokens ("a l a b u g a"). Only equality counts for short names."""
    a, b = "".join(q), "".join(c)
    if strict or len(a) < W.COMPACT_MIN_LEN or len(b) < W.COMPACT_MIN_LEN:
        return 1.0 if a == b and a else 0.0
    s = float(Indel.normalized_similarity(a, b))
    if s < 0.9:  # only near-identical strings count: it ignores token boundaries
        return 0.0
    # a difference in the first letters is rarely a typo of the same name
    return s if a[:2] == b[:2] else 0.0


def kind_feature(query_kind: str | None, entity_kind: str) -> tuple[float, dict[str, Any]] | None:
    if query_kind is None or entity_kind == "unknown" or query_kind == "unknown":
        return None
    same = query_kind == entity_kind
    return (1.0 if same else 0.0), {"query": query_kind, "list": entity_kind}


#: legal forms that say no more than "a company": never in conflict with another
NEUTRAL_FORMS = frozenset({"co"})


def legal_form_feature(
    q: frozenset[str], c: frozenset[str], entity_kind: str
) -> tuple[float, dict[str, Any]] | None:
    if q and entity_kind == "person":
        return 0.0, {"query": sorted(q), "list": "person"}
    qs, cs = q - NEUTRAL_FORMS, c - NEUTRAL_FORMS
    if not qs or not cs:
        return None
    return (1.0 if qs & cs else 0.0), {"query": sorted(q), "list": sorted(c)}


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
