"""The match index: every loaded name (primary, aliases, original script) prepared for
comparison, a character-gram matrix for candidate retrieval, token weights from the
lists, an identifier lookup, and the few entity facts the scorer needs.

Built from the store after each list update and persisted beside it, keyed by the list
versions it was built from, so a reader never mixes an index with other versions.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import pickle
import re
import tempfile
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from stopship.errors import InputError
from stopship.index.tokens import TokenIndex
from stopship.match import weights as W
from stopship.match.list_names import inline_names
from stopship.match.prepare import SKELETON_SCRIPTS, PreparedName, prepare
from stopship.model import Entity, Name
from stopship.normalize.frequency import TokenStats
from stopship.normalize.name import normalize_name

FORMAT = 5  # bump whenever the pickled structure changes
#: a query token whose list tokens occur in more names than this is only followed when
#: the query has no rarer token (its names are still scored through the rarer ones)
MAX_POSTINGS = 300


def norm_id(value: str) -> str:
    """An identifier as compared: upper-case letters and digits only, without a
    leading "IMO" (so "IMO 9187629" and "9187629" meet)."""
    v = re.sub(r"[^0-9A-Z]", "", value.upper())
    if v.startswith("IMO") and v[3:].isdigit():
        v = v[3:]
    return v


@dataclass(frozen=True, slots=True)
class EntityFacts:
    id: str
    source: str
    list_name: str | None
    kind: str
    caption: str
    countries: frozenset[str]
    birth: tuple[tuple[int, int], ...]  # (start, end) as date ordinals
    ids: frozenset[str]


@dataclass(frozen=True, slots=True)
class IndexedName:
    entity: int
    value: str
    type: str
    prepared: PreparedName


@dataclass(frozen=True)
class NameProblem:
    entity_id: str
    name: str
    reason: str


#: the matcher's modules that turn names into index entries (with all of normalize/,
#: index/ and data/): how names are prepared, split into the names written inside them and
#: cut into skeletons, and the weights and features they are stored with
FINGERPRINTED_MATCH_MODULES = (
    "prepare.py",
    "list_names.py",
    "regroup.py",  # own_acronyms: a company's own acronym weighs nothing when unmatched
    "long_vowels.py",  # skeleton_words: how skeletons are built
    "features.py",
    "weights.py",
)


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of the modules and data that turn names into index entries."""
    pkg = Path(__file__).resolve().parents[1]
    files = sorted(
        [
            *(pkg / "normalize").glob("*.py"),
            *(pkg / "index").glob("*.py"),
            *(pkg / "match" / m for m in FINGERPRINTED_MATCH_MODULES),
            *(pkg / "data").glob("*.json"),
        ]
    )
    h = hashlib.sha256()
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def _posting_weights(index: TokenIndex) -> dict[str, float]:
    """Smoothed inverse document frequency in (0, 1] of each token of an index."""
    n = max(1, len({nid for p in index.postings for nid in p}))
    norm = math.log((n + 1) / 0.5)
    return {
        t: max(0.01, min(1.0, math.log((n + 1) / (len(p) + 0.5)) / norm))
        for t, p in zip(index.tokens, index.postings, strict=True)
    }


def _facts(e: Entity) -> EntityFacts:
    countries = set(e.nationalities) | set(e.countries)
    countries.update(a.country for a in e.addresses if a.country)
    return EntityFacts(
        id=e.id,
        source=e.source,
        list_name=e.list_name,
        kind=e.kind.value,
        caption=e.caption,
        countries=frozenset(countries),
        birth=tuple((b.start.toordinal(), b.end.toordinal()) for b in e.birth_dates),
        ids=frozenset(v for v in (norm_id(i.value) for i in e.identifiers) if len(v) >= 5),
    )


#: a query skeleton gets at most this many other divisions into words (word_divisions)
MAX_WORD_DIVISIONS = 4


def joined_neighbours(words: tuple[str, ...], vocab: Container[str]) -> Iterator[tuple[str, ...]]:
    """The words with two neighbours written as one, for each two neighbours that make a
    word of ``vocab``, left to right."""
    for i in range(len(words) - 1):
        joined = words[i] + words[i + 1]
        if joined in vocab:
            yield (*words[:i], joined, *words[i + 2 :])


def word_divisions(skeleton: tuple[str, ...], vocab: Container[str]) -> list[tuple[str, ...]]:
    """The skeleton with two neighbouring words written as one word of ``vocab``, or one
    word written as two words of ``vocab`` (of two letters or more each): how a list may
    divide a name into words ("SALARKIA" ``slrk`` for "سالار کیا" ``slr k``, "Allah-Karam"
    ``lh krm`` for "اللهکرم" ``lhkrm``). At most MAX_WORD_DIVISIONS, joined ones first."""
    out = list(joined_neighbours(skeleton, vocab))
    for i, word in enumerate(skeleton):
        for k in range(2, len(word) - 1):
            if word[:k] in vocab and word[k:] in vocab:
                out.append((*skeleton[:i], word[:k], word[k:], *skeleton[i + 1 :]))
    return out[:MAX_WORD_DIVISIONS]


class MatchIndex:
    """Everything the matcher reads at query time; no store access on the hot path."""

    def __init__(
        self,
        entities: list[EntityFacts],
        names: list[IndexedName],
        tokens: TokenIndex,
        skeletons: TokenIndex,
        stats: TokenStats,
        id_index: dict[str, list[int]],
        versions: dict[str, int],
        problems: list[NameProblem],
    ) -> None:
        self.entities = entities
        self.names = names
        self.tokens = tokens
        self.skeletons = skeletons  # consonant skeletons of the Latin-script names
        self.stats = stats
        self.weights = {t: stats.weight(t) for t in tokens.tokens}
        self.skeleton_weights = _posting_weights(skeletons)
        self.entity_names: dict[int, list[int]] = {}
        for ni, nm in enumerate(names):
            self.entity_names.setdefault(nm.entity, []).append(ni)
        self.id_index = id_index
        self.versions = versions
        self.problems = problems

    # ------------------------------------------------------------------ build

    @classmethod
    def build(
        cls,
        entities: Iterable[Entity],
        versions: dict[str, int] | None = None,
        name_filter: Callable[[Name], bool] | None = None,
    ) -> MatchIndex:
        facts: list[EntityFacts] = []
        names: list[IndexedName] = []
        problems: list[NameProblem] = []
        id_index: dict[str, list[int]] = {}
        normalized = []
        for e in entities:
            ei = len(facts)
            facts.append(_facts(e))
            for v in facts[-1].ids:
                id_index.setdefault(v, []).append(ei)
            seen: set[str] = set()
            before = len(names)
            for n in e.names:
                if name_filter is not None and not name_filter(n):
                    continue
                if n.value in seen:
                    continue
                seen.add(n.value)
                try:
                    p = prepare(n.value)
                    normalized.append(normalize_name(n.value))
                except InputError as exc:
                    problems.append(NameProblem(e.id, n.value, str(exc)))
                    continue
                names.append(IndexedName(ei, n.value, n.type.value, p))
                # the names written inside it ("Jamil (a.k.a. Jameel) HASSAN"), compared
                # on their own; a hit shows the published name. Not in the token
                # statistics: they repeat the published name's words
                for alt in inline_names(n.value):
                    try:
                        names.append(IndexedName(ei, n.value, n.type.value, prepare(alt)))
                    except InputError:
                        continue
            if len(names) == before and name_filter is None:
                problems.append(NameProblem(e.id, e.caption, "entity has no usable name"))
        stats = TokenStats.build(normalized)
        tokens = TokenIndex()
        skeletons = TokenIndex(phonetic=False)  # consonant skeletons: no vowels to key
        for ni, nm in enumerate(names):
            tokens.add(ni, nm.prepared.variants)
            if nm.prepared.script == "Latn":
                skeletons.add(ni, [nm.prepared.skeleton])
        return cls(
            entities=facts,
            names=names,
            tokens=tokens,
            skeletons=skeletons,
            stats=stats,
            id_index=id_index,
            versions=dict(versions or {}),
            problems=problems,
        )

    # ------------------------------------------------------------------ query

    def weight(self, token: str) -> float:
        w = self.weights.get(token)
        return self.stats.weight(token) if w is None else w

    def candidates(self, query: PreparedName, floor: float) -> dict[int, float]:
        """Candidate name index -> share of the query's (rarity-weighted) tokens that
        have a typo-close token in that name, best over the query's spellings."""
        return self.tokens.retrieve(
            query.variants, self.weight, query.generic, W.GENERIC_WEIGHT, MAX_POSTINGS, floor
        )

    def skeleton_weight(self, token: str) -> float:
        """Rarity of a skeleton token; skeletons of one or two consonants ("rd", "m")
        stand for too many names to carry a match."""
        w = self.skeleton_weights.get(token, 1.0)
        return w * W.INITIAL_WEIGHT if len(token) < 3 else w

    def skeleton_candidates(self, query: PreparedName, floor: float) -> dict[int, float]:
        """Latin-script names whose consonant skeleton meets the query's (for queries
        in scripts written without most vowels, such as Arabic and Persian)."""
        if query.script not in SKELETON_SCRIPTS or not query.skeleton:
            return {}
        spellings = [query.skeleton, *(skel for _words, skel in query.readings)]
        vocab = self.skeletons.vocab
        for skel in list(spellings):
            spellings.extend(s for s in word_divisions(skel, vocab) if s not in spellings)
        return self.skeletons.retrieve(
            spellings, self.skeleton_weight, frozenset(), 1.0, MAX_POSTINGS, floor
        )

    def by_identifier(self, value: str) -> list[int]:
        v = norm_id(value)
        return list(self.id_index.get(v, [])) if len(v) >= 5 else []

    def names_of(self, entity: int) -> list[int]:
        return self.entity_names.get(entity, [])

    # ------------------------------------------------------------------ persistence

    @staticmethod
    def key(versions: dict[str, int]) -> str:
        """The list versions and the code that prepared the names: an index built by other
        normalisation code is never reused."""
        payload = json.dumps(
            {"format": FORMAT, "code": code_fingerprint(), "versions": versions}, sort_keys=True
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:20]

    def save(self, folder: Path) -> Path:
        """Write atomically as ``index-<key>.pkl`` (a trusted local file of ours)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"index-{self.key(self.versions)}.pkl"
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".index-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(self, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for old in folder.glob("index-*.pkl"):
            if old != path:
                old.unlink(missing_ok=True)
        return path

    @classmethod
    def load(cls, folder: Path, versions: dict[str, int]) -> MatchIndex | None:
        path = folder / f"index-{cls.key(versions)}.pkl"
        if not path.is_file():
            return None
        try:
            with path.open("rb") as fh:
                obj = pickle.load(fh)
        except (OSError, pickle.UnpicklingError, AttributeError, ImportError, EOFError):
            return None  # unreadable or from another stopship version: rebuild
        if not isinstance(obj, MatchIndex) or obj.versions != versions:
            return None
        return obj
