"""Legal forms, honorifics and generic business words as typed phrases.

The vocabulary lives in ``stopship/data/legal_forms.json`` (kind -> canonical code ->
spellings in any script). Spellings are cleaned with :func:`~stopship.normalize.text.clean`
at load time; native-script spellings also add their Latin transliterations, so
``"общество с ограниченной ответственностью"`` matches in Cyrillic and in the common,
passport and BGN spellings alike. Phrases match on whole tokens, longest first.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from rapidfuzz.distance import OSA

from stopship.normalize.scripts import text_script
from stopship.normalize.text import clean
from stopship.normalize.translit import latin_variants

KINDS = ("legal_form", "honorific", "generic")
_FUZZY_MIN_LEN = 5
#: ... for an edit other than two letters swapped ("joitn"): the word, and the legal-form
#: word it is taken for
_FUZZY_EDIT_LEN = 6
_FUZZY_TARGET_LEN = 7
#: words one edit from a legal-form word that are words of names ("Ansar al-Sharia",
#: "Hartung"), never typos of it
NOT_TYPOS = frozenset(
    ("sharia", "shariah", "shariat", "finance", "hartung", "treasure", "behrad")
)


def _deletions(word: str) -> set[str]:
    return {word, *(word[:i] + word[i + 1 :] for i in range(len(word)))}


_AFFIX_SCRIPTS = frozenset({"Hani", "Hang", "Hira", "Kana"})


@dataclass(frozen=True, slots=True)
class Phrase:
    tokens: tuple[str, ...]
    kind: str  # "legal_form" | "honorific" | "generic"
    canonical: str


@dataclass(frozen=True, slots=True)
class PhraseMatch:
    start: int
    end: int  # exclusive
    phrase: Phrase


class Vocabulary:
    """Phrase index: first token -> phrases starting with it, longest first."""

    def __init__(self, entries: dict[str, dict[str, list[str]]]) -> None:
        by_first: dict[str, dict[tuple[str, ...], Phrase]] = {}
        affixes: dict[str, Phrase] = {}

        def add(tokens: tuple[str, ...], kind: str, canonical: str) -> None:
            if not tokens:
                return
            bucket = by_first.setdefault(tokens[0], {})
            # the first kind listed wins (legal_form before honorific before generic)
            bucket.setdefault(tokens, Phrase(tokens, kind, canonical))

        for kind in KINDS:
            for canonical, spellings in entries.get(kind, {}).items():
                for spelling in spellings:
                    cleaned = clean(spelling)
                    if not cleaned:
                        continue
                    toks = tuple(cleaned.split())
                    add(toks, kind, canonical)
                    if cleaned.isascii():
                        continue
                    # a one-character form ("주" of "(주)") is only a legal form as a word
                    # of its own: joined, it is a syllable of a name ("리용주" Ri Yong Ju)
                    if (
                        len(toks) == 1
                        and len(cleaned) > 1
                        and text_script(cleaned) in _AFFIX_SCRIPTS
                    ):
                        affixes.setdefault(cleaned, Phrase(toks, kind, canonical))
                    for latin in latin_variants(cleaned):
                        ltoks = tuple(latin.split())
                        # short transliterations ("pat", "at") are too ambiguous to add
                        if len(ltoks) > 1 or len(latin) >= 5:
                            add(ltoks, kind, canonical)
        self._index: dict[str, tuple[Phrase, ...]] = {
            k: tuple(sorted(v.values(), key=lambda p: -len(p.tokens))) for k, v in by_first.items()
        }
        self._affixes = tuple(sorted(affixes, key=len, reverse=True))
        # words of multi-word legal forms ("liability", "stock", "obshchestvo"): loose
        # ones still read as legal-form words when the name has another legal form
        self.phrase_words: frozenset[str] = frozenset(
            w
            for phrases in self._index.values()
            for p in phrases
            if p.kind == "legal_form" and len(p.tokens) > 1
            for w in p.tokens
            if len(w) >= 4
        )
        # typo tolerance for the words of legal forms ("compeny", "lmited", "liabiity")
        self._near: dict[str, set[str]] = {}
        for first, phrases in self._index.items():
            for p in phrases:
                if p.kind != "legal_form":
                    continue
                for w in (first, *p.tokens):
                    if len(w) >= _FUZZY_MIN_LEN and w.isascii() and w.isalpha():
                        for key in _deletions(w):
                            self._near.setdefault(key, set()).add(w)
        self.max_len = max((len(p.tokens) for v in self._index.values() for p in v), default=0)

    def correct(self, token: str) -> str | None:
        """The legal-form word one edit away from ``token`` (a typo), if exactly one; None
        for a legal-form word as written. The same first letter, and none of
        :data:`NOT_TYPOS`; two letters swapped from ``_FUZZY_MIN_LEN`` letters on ("joitn"),
        another edit from ``_FUZZY_EDIT_LEN`` on for a legal-form word of
        ``_FUZZY_TARGET_LEN`` or more ("lmited"): shorter words one edit from a legal-form
        word are names as often ("Aisha" / kaisha, "Tahami" / sahami, "Musa" / mwssa)."""
        if (
            len(token) < _FUZZY_MIN_LEN
            or token in self._index
            or not token.isascii()
            or token in NOT_TYPOS
        ):
            return None
        found: set[str] = set()
        for key in _deletions(token):
            for w in self._near.get(key, ()):
                if w[0] != token[0] or OSA.distance(token, w) > 1:
                    continue
                swapped = len(w) == len(token) and sorted(w) == sorted(token)
                if swapped or (len(token) >= _FUZZY_EDIT_LEN and len(w) >= _FUZZY_TARGET_LEN):
                    found.add(w)
        if token in found:
            return None
        return found.pop() if len(found) == 1 else None

    def lookup(self, token: str) -> tuple[Phrase, ...]:
        return self._index.get(token, ())

    def __contains__(self, token: object) -> bool:
        return token in self._index

    def split_affixes(self, token: str) -> list[str]:
        """Split known CJK/Korean legal-form and generic suffixes (and prefixes) off a
        token written without spaces: ``中国石油集团有限公司`` -> ``中国石油 集团 有限公司``."""
        head: list[str] = []
        tail: list[str] = []
        rest = token
        changed = True
        while changed and rest and rest not in self._index:
            changed = False
            for a in self._affixes:
                if len(rest) > len(a) and rest.endswith(a):
                    tail.insert(0, a)
                    rest = rest[: -len(a)]
                    changed = True
                    break
                if len(rest) > len(a) and rest.startswith(a):
                    head.append(a)
                    rest = rest[len(a) :]
                    changed = True
                    break
        return [*head, rest, *tail] if rest else [*head, *tail]

    def match(self, keys: Sequence[frozenset[str]]) -> list[PhraseMatch]:
        """Greedy longest-first phrase matches over token positions; ``keys[i]`` is the
        set of spellings of token *i* (its cleaned text and its transliterations)."""
        out: list[PhraseMatch] = []
        i = 0
        n = len(keys)
        while i < n:
            best: PhraseMatch | None = None
            for k in sorted(keys[i]):  # in a fixed order: the first of equal matches wins
                for p in self._index.get(k, ()):
                    m = len(p.tokens)
                    if i + m > n or (best is not None and m <= best.end - best.start):
                        continue
                    if all(p.tokens[j] in keys[i + j] for j in range(1, m)):
                        best = PhraseMatch(i, i + m, p)
                        break
            if best is None:
                i += 1
            else:
                out.append(best)
                i = best.end
        return out


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The built-in vocabulary (loaded once)."""
    text = resources.files("stopship").joinpath("data", "legal_forms.json").read_text("utf-8")
    data = json.loads(text)
    return Vocabulary({k: data[k] for k in KINDS if k in data})
