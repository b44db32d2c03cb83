"""Names prepared for comparison: token spellings plus typed legal forms and honorifics.

The matcher compares *name* tokens (and, with a low weight, *generic* business words
such as "trading"); legal forms and honorifics are compared as their own features.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from stopship.normalize.name import NormalizedName, normalize_name
from stopship.normalize.translit import skeleton

_COMPARED = frozenset({"name", "number", "generic"})
#: scripts whose romanisation is syllable-exact: a one-letter difference in the Latin
#: spelling is another name ("liu" / "lu", "guiying" / "cuiying"), so no typo tolerance
STRICT_SCRIPTS = frozenset({"Hani", "Hang", "Hira", "Kana"})
#: scripts written without most vowels: compared with Latin names through consonant
#: skeletons ("mhmd rstm" ~ "mohammad rostami")
SKELETON_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa"})
#: endings of East Slavic patronymics and Turkic "son/daughter of" particles
PATRONYMIC_ENDINGS = ("ovich", "evich", "ovna", "evna", "ichna", "ogly", "oglu", "kyzy", "qizi")


@dataclass(frozen=True, slots=True)
class PreparedName:
    text: str
    variants: tuple[tuple[str, ...], ...]  # compared tokens per spelling, [0] primary
    generic: frozenset[str]
    legal_forms: frozenset[str]
    honorifics: frozenset[str]
    script: str
    strict: bool  # tokens must match exactly (syllable-exact romanisation)
    skeleton: tuple[str, ...]  # consonant skeleton of the primary spelling
    fallback: bool
    warnings: tuple[str, ...]
    obfuscation: tuple[str, ...]


def _from_normalized(n: NormalizedName) -> PreparedName:
    generic = tuple(t.text for t in n.tokens if t.kind == "generic")
    primary = tuple(t.text for t in n.tokens if t.kind in _COMPARED)
    others = n.variants[1:]
    if n.script in SKELETON_SCRIPTS:
        others = ()  # their consonant-skeleton spelling is compared through `skeleton`
    variants: list[tuple[str, ...]] = []
    for v in (primary, *others) if primary else n.variants[:1]:
        full = v if v is primary else v + tuple(g for g in generic if g not in v)
        if full and full not in variants:
            variants.append(full)
    if not variants:  # only legal forms / honorifics: compare them as names
        variants.append(tuple(t.text for t in n.tokens))
    return PreparedName(
        text=n.original,
        variants=tuple(variants),
        generic=frozenset(generic),
        legal_forms=n.legal_forms,
        honorifics=frozenset(t.canonical for t in n.tokens if t.kind == "honorific"),
        script=n.script,
        strict=n.script in STRICT_SCRIPTS,
        skeleton=_skeleton(variants[0]),
        fallback=n.fallback,
        warnings=n.warnings,
        obfuscation=n.obfuscation,
    )


_ARTICLES = frozenset({"al", "el", "ul", "l"})


def _skeleton(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Consonant skeleton of a spelling, without the Arabic article: written joined in
    Arabic script ("الضاري" -> "aldary") and apart in Latin ("AL-DARI")."""
    words: list[str] = []
    for t in tokens:
        if t in _ARTICLES:
            continue
        if len(t) > 4 and t.startswith(("al", "el")):
            t = t[2:]
        words.append(t)
    return tuple(skeleton(" ".join(words or tokens)).split())


@lru_cache(maxsize=200_000)
def prepare(name: str) -> PreparedName:
    """Prepare one name; raises :class:`~stopship.errors.InputError` when it cannot be."""
    return _from_normalized(normalize_name(name))


def is_patronymic(token: str) -> bool:
    return len(token) > 5 and token.endswith(PATRONYMIC_ENDINGS)
