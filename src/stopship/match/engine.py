"""The matcher: retrieve candidates from the index, score them with named features,
and return hits with their explanation as data."""

from __future__ import annotations

import gc
import heapq
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from rapidfuzz.distance import Indel

from stopship import config
from stopship.countries import to_iso
from stopship.errors import InputError, NoListsLoadedError
from stopship.index.build import MatchIndex, joined_neighbours
from stopship.match import weights as W
from stopship.match.compiled import kernel as _kernel  # None without a C compiler
from stopship.match.features import (
    Alignment,
    Match,
    align,
    align_core,
    alignment_pairs,
    birth_date_feature,
    compact_joined,
    country_feature,
    has_patronymic,
    legal_form_feature,
    person_query_weights,
    shared_unmatched_factors,
    side_weights,
    token_similarity,
)
from stopship.match.long_vowels import (
    VowelCheck,
    agreeing_long_vowels,
    check_alignment,
    marked_words,
    shared_semivowels,
    words_by_skeleton,
    written_consonants,
)
from stopship.match.model import (
    MAX_NAME_LENGTH,
    Explanation,
    Feature,
    Hit,
    Query,
    QueryResult,
    TokenPair,
    round4,
    str_list,
    token_pairs,
    trusted,
)
from stopship.match.prepare import SKELETON_SCRIPTS, PreparedName, prepare, prepare_query
from stopship.match.regroup import (
    Keys,
    NameKeys,
    acronym_spellings,
    keys_of,
    may_regroup,
    name_keys_of,
    regroupings,
)
from stopship.model import Entity, Name
from stopship.normalize.translit import collapse_doubles
from stopship.normalize.translit import skeleton as skeleton_text
from stopship.store import Store

#: candidate names scored per query (best by retrieval share)
MAX_SCORED_NAMES = 16
#: ... per query in another script than Latin: its readings share words with many names
#: (a translated "plant", "joint stock company", "group"), so the name it stands for ranks
#: lower by share among them
MAX_SCORED_NAMES_OTHER_SCRIPT = 32
#: entities scored beyond those when their names tie with the best retrieval share
MAX_EXTRA_ENTITIES = 8
#: names that cover less than this (rarity-weighted) share of the query's tokens are not
#: scored: the name score is the mean of query and list coverage, so such a name stays
#: below 0.75 even when the query covers all of it, under the alert threshold
RETRIEVAL_MIN = 0.5
#: ... of a query in another script than Latin: its readings are retrieved word by word,
#: and the scorer meets more of its words than retrieval sees (an acronym the list writes
#: for words of the reading, a word translated otherwise)
RETRIEVAL_MIN_OTHER_SCRIPT = 0.4
#: query spellings with a run of words as an acronym looked up at most
MAX_ACRONYM_SPELLINGS = 4
_BATCH = 256
#: the fields a result with hits is given (``error`` keeps its default)
_RESULT_FIELDS_SET = ("query", "normalized", "list_versions", "hits", "warnings")
#: skeletons whose weights a matcher remembers (:meth:`Matcher._skeleton_weights`)
SKELETON_WEIGHTS_MEMO = 100_000
#: skeleton alignments a matcher remembers (:meth:`Matcher._skeleton_alignment`)
SKELETON_ALIGNMENT_MEMO = 100_000
#: query names whose retrieved candidates a matcher remembers (:meth:`Matcher._retrieved`)
RETRIEVAL_MEMO = 20_000
#: prepared queries whose spellings' weights a matcher remembers
#: (:meth:`Matcher._query_spellings`)
QUERY_SPELLINGS_MEMO = 20_000
#: prepared queries whose work per list name a matcher remembers (token alignments,
#: skeleton readings: :meth:`Matcher._query_memo`)
QUERY_MEMO = 20_000
#: joined skeletons with doubles collapsed remembered (:func:`_collapsed_joined`)
COLLAPSED_MEMO = 100_000
#: the words two names do not share must be this similar for their compact (spacing-proof)
#: similarity to count (:func:`_compact_beyond_shared`)
COMPACT_REST_SIMILARITY = 0.7
#: ... unless they are this short (an acronym, a syllable spelled otherwise)
COMPACT_REST_SHORT = 4
#: joined skeletons this long may differ by one letter (:func:`_joined_skeleton`)
JOINED_SKELETON_NEAR_LEN = 12


#: one secondary feature as computed: (name, value, weight, contribution, detail)
_Secondary = tuple[str, float, float, float, dict[str, object]]


@dataclass(slots=True)
class _Scored:
    """A scored candidate name. The explanation's models are only built for the names
    that are reported (:meth:`Matcher._hit`), from these plain values."""

    entity: int
    score: float
    rank: float  # the score before clipping to [0, 1]: orders hits that tie at 1.0
    name_score: float
    name: int
    q_variant: tuple[str, ...]
    c_variant: tuple[str, ...]
    kinds: dict[str, float]  # the name features' values
    winner: str
    coverage: tuple[float, float]  # of the best token alignment (query, list)
    skeleton: Alignment | None
    vowels: VowelCheck | None  # the skeleton's long-vowel check (Arabic script vs Latin)
    q_skeleton: tuple[str, ...]  # the query reading's skeleton that was compared
    pairs: _LazyPairs | Alignment  # the winner's token pairs (Alignment: the skeleton's)
    secondary: list[_Secondary]


#: a query spelling: (tokens, tokens joined, weights, (similarity rows, strict rows),
#: weights against a person's name: patronymics discounted, or the same list)
_QueryData = tuple[
    tuple[str, ...],
    str,
    list[float],
    tuple[list[dict[str, float]], list[dict[str, float]]],
    list[float],
]

#: Matcher._retrieved as remembered: (the prepared query, (retrieval floor, names
#: scored), names -> share, skeleton names -> share)
_Retrieved = tuple[PreparedName, tuple[float, int], dict[int, float], dict[int, float]]

#: a query spelling's part of _QueryData that is the same for every query with it:
#: (tokens, tokens joined, weights, weights against a person's name)
_QuerySpelling = tuple[tuple[str, ...], str, list[float], list[float]]

#: a list name's spelling as the scorer reads it: (tokens, tokens joined, weights,
#: unmatched-weight factors)
_Variant = tuple[tuple[str, ...], str, list[float], list[float | None]]

#: the best pair of spellings (Matcher._best_alignment): (alignment score, query coverage,
#: list coverage, matches, compact similarity, query spelling, its weights, list spelling)
_Best = tuple[
    float, float, float, list[Match], float, tuple[str, ...], list[float], tuple[str, ...]
]

#: what :meth:`Matcher._skeleton_alignment` is remembered by: (query skeleton, list
#: skeleton, is_person, query generic skeletons, list generic skeletons)
_SkeletonKey = tuple[tuple[str, ...], tuple[str, ...], bool, frozenset[str], frozenset[str]]

#: Matcher._name_alignment: (alignment score, query coverage, list coverage, compact
#: similarity, query spelling, list spelling, query weights, matches, the regrouped
#: alignment that won or None)
_NameAlignment = tuple[
    float,
    float,
    float,
    float,
    tuple[str, ...],
    tuple[str, ...],
    list[float],
    list[Match],
    Alignment | None,
]
_T = TypeVar("_T")

#: a query reading's skeleton alignment to a list name: (its words, its skeleton, the
#: alignment, both sides' generic skeletons)
_Aligned = tuple[tuple[str, ...], tuple[str, ...], Alignment, frozenset[str]]
#: a reading's consonant-skeleton value (:meth:`Matcher._skeleton_value`)
_SkeletonValue = tuple[float, Alignment, VowelCheck | None]


@dataclass(slots=True)
class _Readings:
    """:meth:`Matcher._skeleton_readings` of a query and a list name: the query's readings
    aligned, and their skeleton values once computed (None until then)."""

    aligned: list[_Aligned]
    values: list[_SkeletonValue] | None = None

#: what :func:`alignment_pairs` needs: (query spelling, list spelling, weights, matches)
_LazyPairs = tuple[tuple[str, ...], tuple[str, ...], list[float], list[Match]]


@dataclass(frozen=True, slots=True)
class _NameData:
    """What the scorer reads of one indexed name, computed once per process."""

    is_person: bool
    #: a person's name that writes no patronymic: a query's patronymic weighs less on it
    bare_person: bool
    strict: bool
    generic: frozenset[str]
    #: per spelling: (tokens, tokens joined, weights, unmatched-weight factors)
    variants: tuple[_Variant, ...]
    #: its words and the words a regrouping could make of them (match.regroup)
    regroup: NameKeys


#: Matcher._shared_data per strictness: generic words -> spellings -> the name data
_SharedData = tuple[
    dict[frozenset[str], dict[tuple[tuple[str, ...], ...], _NameData]],
    dict[frozenset[str], dict[tuple[tuple[str, ...], ...], _NameData]],
]


def index_folder() -> Path:
    return config.home() / "index"


class Matcher:
    """Screens names against one :class:`MatchIndex` (one set of list versions)."""

    def __init__(self, index: MatchIndex, threshold: float = W.ALERT_THRESHOLD) -> None:
        self.index = index
        self.threshold = threshold
        self._positions: dict[str, int] | None = None
        self._name_data: dict[int, _NameData] = {}
        #: the same data by what it is computed from, for names written alike (one person
        #: in several lists, a name and its alias): [is_person][strict] -> generic words
        #: -> spellings -> data. Nested dicts keyed by the name's own objects: remembering
        #: a name adds no key object for the collector to walk after a batch
        self._shared_data: tuple[_SharedData, _SharedData] = (({}, {}), ({}, {}))
        self._lengths: list[int] | None = None  # tokens of each name's first spelling
        self._skeletons: list[tuple[str, ...]] | None = None  # each name's skeleton
        #: skeleton -> its weights (:meth:`_skeleton_weights`)
        self._skel_weights: dict[tuple[str, ...], tuple[float, ...]] = {}
        #: (query skeleton, list skeleton, is_person, query generic skeletons, list generic
        #: skeletons) -> :meth:`_skeleton_alignment`'s result (a pure function of these)
        self._skel_aligned: dict[_SkeletonKey, tuple[Alignment, frozenset[str]]] = {}
        #: id of a prepared query -> (that query, list name -> its readings' skeleton
        #: alignments and, once computed, their values): the query is held, so its id
        #: stands for it alone (:meth:`_skeleton_readings`)
        self._query_skel: dict[int, tuple[PreparedName, dict[int, _Readings]]] = {}
        #: the same of the names' token alignments (:meth:`_name_alignment`)
        self._query_names: dict[int, tuple[PreparedName, dict[int, _NameAlignment]]] = {}
        #: id of a prepared query -> (that query, its spellings' weights, its regrouping
        #: keys) (:meth:`_query_spellings`)
        self._query_spelled: dict[int, tuple[PreparedName, list[_QuerySpelling], Keys]] = {}
        #: query name -> (its prepared query, (retrieval floor, names scored), the names
        #: retrieved, the skeleton names retrieved) (:meth:`_retrieved`)
        self._retrieval: dict[str, _Retrieved] = {}

    def forget_queries(self) -> None:
        """Forget what this matcher remembers of the queries it has screened (retrieved
        candidates, spellings' weights, skeleton alignments): the next queries are
        worked out afresh, with the same results."""
        self._retrieval.clear()
        self._query_spelled.clear()
        self._query_skel.clear()
        self._query_names.clear()
        self._skel_aligned.clear()

    # ------------------------------------------------------------------ construction

    @classmethod
    def build(
        cls,
        entities: Iterable[Entity],
        versions: dict[str, int] | None = None,
        name_filter: Callable[[Name], bool] | None = None,
    ) -> Matcher:
        """A matcher over these entities (``name_filter`` picks which names to index)."""
        return cls(MatchIndex.build(entities, versions, name_filter))

    @classmethod
    def from_store(cls, store: Store, *, rebuild: bool = False) -> Matcher:
        """The matcher for the lists in service: the persisted index when it matches
        their versions, else a fresh one (then persisted)."""
        versions = {v.source: v.id for v in store.current_versions()}
        if not versions:
            raise NoListsLoadedError("no lists are loaded: run `stopship lists update` first")
        folder = index_folder()
        index = None if rebuild else MatchIndex.load(folder, versions)
        if index is None:
            index = MatchIndex.build(store.iter_entities(), versions)
            index.save(folder)
        # the index is long-lived: keep the collector from walking it again and again
        # (a full collection over it pauses a screening process for seconds)
        gc.unfreeze()  # what an earlier matcher froze may be garbage now
        gc.collect()
        gc.freeze()
        return cls(index)

    # ------------------------------------------------------------------ matching

    def match(
        self,
        query: Query,
        threshold: float | None = None,
        limit: int = 10,
        only: Collection[str] | None = None,
    ) -> QueryResult:
        return self.match_batch([query], threshold, limit, only)[0]

    def match_batch(
        self,
        queries: Sequence[Query],
        threshold: float | None = None,
        limit: int = 10,
        only: Collection[str] | None = None,
    ) -> list[QueryResult]:
        """Score each query. ``only`` (entity ids) restricts the hits to those entities, as
        when re-screening against a list delta: their scores are the same as in a full
        match (token weights come from all loaded lists), and no other entity can crowd
        them out of the scored candidates."""
        thr = self.threshold if threshold is None else threshold
        allowed = self.entity_positions(only) if only is not None else None
        out: list[QueryResult] = []
        with _collector_paused():
            for start in range(0, len(queries), _BATCH):
                out.extend(self._chunk(queries[start : start + _BATCH], thr, limit, allowed))
        return out

    def score_entities(self, query: Query, entity_ids: Iterable[str]) -> list[Hit]:
        """The query scored against every name of these entities, retrieved or not, best
        first, at any score: why an entry did or did not match (and how the benchmarks
        score entities that retrieval missed). Unknown ids are ignored; raises
        :class:`~stopship.errors.InputError` for a query that cannot be prepared."""
        ids = list(dict.fromkeys(entity_ids))
        positions = self.entity_positions(ids)
        if not positions:
            return []
        p = prepare_query(query.name)
        with _collector_paused():
            return self._score_query(
                query, p, 0.0, len(positions), allowed=positions, extra=sorted(positions)
            )

    def entity_positions(self, entity_ids: Iterable[str]) -> frozenset[int]:
        """Index positions of these entity ids (ids not in service are ignored)."""
        pos = self._positions
        if pos is None:
            pos = self._positions = {e.id: i for i, e in enumerate(self.index.entities)}
        return frozenset(pos[x] for x in entity_ids if x in pos)

    def _chunk(
        self,
        queries: Sequence[Query],
        thr: float,
        limit: int,
        allowed: frozenset[int] | None = None,
    ) -> list[QueryResult]:
        prepared: list[PreparedName | None] = []
        errors: list[str | None] = []
        for q in queries:
            try:
                if len(q.name) > MAX_NAME_LENGTH:
                    raise InputError(
                        f"name is {len(q.name)} characters long; the limit is {MAX_NAME_LENGTH}"
                    )
                _query_country(q.country)
                prepared.append(prepare_query(q.name))
                errors.append(None)
            except InputError as exc:
                prepared.append(None)
                errors.append(str(exc))
        results: list[QueryResult] = []
        for q, p, err in zip(queries, prepared, errors, strict=True):
            if p is None:
                results.append(
                    QueryResult(
                        query=q,
                        normalized=[],
                        list_versions=self.index.versions,
                        hits=[],
                        error=err,
                    )
                )
                continue
            hits = self._score_query(q, p, thr, limit, allowed)
            warnings = str_list(p.warnings)
            if p.obfuscation:
                warnings.append("obfuscation removed: " + ", ".join(p.obfuscation))
            if p.fallback:
                warnings.append("no transliteration for this script: compared as written")
            results.append(
                trusted(
                    QueryResult,
                    {
                        "query": q,
                        "normalized": str_list(map(" ".join, p.variants)),
                        "list_versions": dict(self.index.versions),
                        "hits": hits,
                        "warnings": warnings,
                        "error": None,
                    },
                    _RESULT_FIELDS_SET,
                )
            )
        return results

    def _score_query(
        self,
        q: Query,
        p: PreparedName,
        thr: float,
        limit: int,
        allowed: frozenset[int] | None = None,
        extra: Iterable[int] = (),
    ) -> list[Hit]:
        """The query's hits; ``extra`` (entity positions) are scored on all their names
        whether retrieved or not (:meth:`score_entities`)."""
        idx = self.index
        names, skel = self._retrieved(q.name, p, allowed)
        if q.id or extra:  # names added below: the retrieval's own dicts stay as they are
            names, skel = dict(names), dict(skel)
        for ei in extra:
            for ni in idx.names_of(ei):
                names.setdefault(ni, 0.0)
                # as the skeleton index holds them: Latin names, for skeleton-script queries
                if p.script in SKELETON_SCRIPTS and idx.names[ni].prepared.script == "Latn":
                    skel.setdefault(ni, 0.0)
        id_entities: set[int] = set()
        if q.id:
            id_entities = set(idx.by_identifier(q.id))
            if allowed is not None:
                id_entities &= allowed
            for ei in id_entities:
                for ni in idx.names_of(ei):
                    names.setdefault(ni, 0.0)
        country = _query_country(q.country)
        qkind = q.kind.value if q.kind is not None else None
        # per query spelling: its tokens joined, its weights, and per token the similarity
        # to each list token met so far (one row set per strictness)
        spellings, q_regroup = self._query_spellings(p)
        qdata = [_with_rows(sp) for sp in spellings]
        best: dict[int, _Scored] = {}
        report_floor = min(W.REPORT_FLOOR, thr)
        # in index order, and ties between names of one entity broken by the unclipped
        # score and then the index order: the same hit and explanation in every process
        # (candidate order otherwise follows the per-process string hash seed)
        for ni in sorted(names.keys() | skel.keys()):
            nm = idx.names[ni]
            by_id = nm.entity in id_entities
            s = self._score_name(
                p, qdata, q_regroup, ni, qkind, country, q.birth_date, ni in skel,
                None if by_id else report_floor,
            )  # fmt: skip
            if s is None:  # below the report floor: neither its entity's hit nor a rival
                continue
            if by_id:
                s = _with_identifier(s, q.id or "")
            cur = best.get(nm.entity)
            if cur is None or (s.score, s.rank) > (cur.score, cur.rank):
                best[nm.entity] = s
        ranked = sorted(best.values(), key=lambda s: (-s.score, -s.rank, idx.entities[s.entity].id))
        return [self._hit(q, p, s, thr) for s in ranked[:limit] if s.score >= report_floor]

    def _retrieved(
        self, name: str, p: PreparedName, allowed: frozenset[int] | None
    ) -> tuple[dict[int, float], dict[int, float]]:
        """The names to score for a query (``p``, prepared from ``name``) by token and by
        skeleton retrieval (name -> retrieval share, the skeleton ones apart), among the
        entities ``allowed`` (None: all). Remembered per query name when all entities are
        allowed (``RETRIEVAL_MEMO`` names, then started afresh), with the prepared query
        it was computed for: a pure function of the two. The caller does not change the
        dicts returned."""
        latin = p.script == "Latn"
        floor = RETRIEVAL_MIN if latin else RETRIEVAL_MIN_OTHER_SCRIPT
        most = MAX_SCORED_NAMES if latin else MAX_SCORED_NAMES_OTHER_SCRIPT
        memo = self._retrieval
        if allowed is None:
            held = memo.get(name)
            # (and retrieved with the floor and cut that apply now)
            if held is not None and held[0] is p and held[1] == (floor, most):
                return held[2], held[3]
        idx = self.index
        # a query written as several names (prepare_query) brings the candidates of its
        # parts; the whole name's best candidates are kept beside them, so that a short
        # part ("AL HARAMAIN") that many entries share cannot crowd them out
        whole = prepare(name)
        searches = [p] if whole is p else [whole, p]
        names: dict[int, float] = {}
        skel: dict[int, float] = {}
        # a Russian name with a run of words as the acronym the lists write for them in
        # Latin ("НПО «Базальт»" "NPO Bazalt"); in other scripts such initials meet some
        # list acronym by chance far more often than they stand for it
        if p.script == "Cyrl":
            known = idx.tokens.vocab.__contains__
            acronyms = acronym_spellings(p.variants, known, MAX_ACRONYM_SPELLINGS)
            if acronyms:
                searches.append(replace(p, variants=acronyms))
        for prep in searches:
            found = idx.candidates(prep, floor)
            found_skel = idx.skeleton_candidates(prep, floor)
            if allowed is not None:
                found = {n: v for n, v in found.items() if idx.names[n].entity in allowed}
                found_skel = {n: v for n, v in found_skel.items() if idx.names[n].entity in allowed}
            names.update(self._best_candidates(found, most))
            skel.update(self._best_skeleton_candidates(found_skel, prep, most))
        if allowed is None:
            if len(memo) >= RETRIEVAL_MEMO:
                memo.clear()
            memo[name] = (p, (floor, most), names, skel)
        return names, skel

    def _best_candidates(
        self, found: dict[int, float], most: int = MAX_SCORED_NAMES
    ) -> dict[int, float]:
        """The ``most`` names most worth scoring: highest query share first, then the
        shortest names (a name that is all query covers more of itself), then index
        order."""
        if len(found) <= most:
            return found
        lengths = self._lengths
        if lengths is None:
            lengths = self._lengths = [len(n.prepared.variants[0]) for n in self.index.names]
        cut = _cut(found, most)
        # the key is a total order (ends with the name id)
        return self._entity_diverse(
            [(-v, lengths[ni], ni, v) for ni, v in found.items() if v >= cut], most
        )

    def _entity_diverse(self, keyed: list[tuple[Any, ...]], most: int) -> dict[int, float]:
        """The ``most`` (:data:`MAX_SCORED_NAMES`) first of the candidates ``keyed`` (the
        key's items, then the share: the key ends with the name id) by key (a total order,
        best first), and beside them up to
        :data:`MAX_EXTRA_ENTITIES` more entities' first names that tie with the best
        share: an entry listing many spellings of one name ("VTB BANK PJSC", "VTB BANK
        OAO", "JSC VTB BANK", ...) must not crowd out the other lists' entries for the same
        name. The key orders by share first (best first). Only names with a share among
        the MAX_SCORED_NAMES best (with repeats: :func:`_cut`) can be chosen: that many
        names come before any other by the key, and the names tied with the best share
        are among them; so ``keyed`` need hold those alone, and the callers compute their
        keys for those alone, each once, in one expression (no call per name)."""
        # taken in key order from a heap (the keys are distinct: the share after them is
        # never compared): as sorting them all, but only as far as needed (thousands of
        # names may tie at the cut)
        heapq.heapify(keyed)
        pop = heapq.heappop
        chosen = [pop(keyed)[-2:] for _ in range(min(most, len(keyed)))]
        # the names past the first ``most`` that tie with the best share follow them in
        # the same order (the key's first part)
        top = chosen[0][1]
        if chosen[-1][1] >= top:  # the best share is tied past the cut
            names = self.index.names
            seen = {names[ni].entity for ni, _ in chosen}
            extra = 0
            while keyed:
                kv = pop(keyed)[-2:]
                if kv[1] < top:
                    break
                ent = names[kv[0]].entity
                if ent not in seen:
                    seen.add(ent)
                    chosen.append(kv)
                    extra += 1
                    if extra == MAX_EXTRA_ENTITIES:
                        break
        return dict(chosen)

    def _best_skeleton_candidates(
        self, found: dict[int, float], p: PreparedName, most: int = MAX_SCORED_NAMES
    ) -> dict[int, float]:
        """:meth:`_best_candidates` for skeleton candidates, whose shares tie far more
        often (a skeleton such as ``mhmd rz`` is in hundreds of names): among equal
        shares, names more of whose skeleton tokens are the query's come first ("Mohammad
        Reza MOHAMMADI" before "HABIBI Mohammad Reza" for محمد رضا محمدی)."""
        if len(found) <= most:
            return found
        mine = set(p.skeleton).union(*(skel for _words, skel in p.readings))
        skeletons = self._skeletons
        if skeletons is None:
            skeletons = self._skeletons = [n.prepared.skeleton for n in self.index.names]
        contains = mine.__contains__  # summed: how many of the name's tokens are the query's
        cut = _cut(found, most)
        # the key: (-share, -the share of the name's tokens that are the query's, tokens,
        # name id)
        return self._entity_diverse(
            [
                (-v, -(sum(map(contains, toks)) / len(toks) if toks else 0.0), len(toks), ni, v)
                for ni, v in found.items()
                if v >= cut
                for toks in (skeletons[ni],)
            ],
            most,
        )

    def _data(self, ni: int) -> _NameData:
        got = self._name_data.get(ni)
        if got is None:
            idx = self.index
            nm = idx.names[ni]
            prep = nm.prepared
            is_person = idx.entities[nm.entity].kind == "person"
            by_generic = self._shared_data[is_person][prep.strict]
            by_variants = by_generic.get(prep.generic)
            if by_variants is None:
                by_variants = by_generic[prep.generic] = {}
            got = by_variants.get(prep.variants)
            if got is not None:
                self._name_data[ni] = got
                return got
            got = self._name_data[ni] = by_variants[prep.variants] = _NameData(
                is_person=is_person,
                bare_person=is_person and not any(map(has_patronymic, prep.variants)),
                strict=prep.strict,
                generic=prep.generic,
                variants=tuple(
                    (
                        cv,
                        "".join(cv),
                        side_weights(cv, idx.weight, prep.generic),
                        shared_unmatched_factors(cv, is_person),
                    )
                    for cv in prep.variants
                ),
                regroup=name_keys_of(prep.variants),
            )
        return got

    def _query_spellings(self, p: PreparedName) -> tuple[list[_QuerySpelling], Keys]:
        """Per spelling of the query, what :meth:`_query_data` computes of it but the
        similarity rows (which are the memo's own, looked up per query): (tokens, tokens
        joined, weights, weights against a person's name); and the query's regrouping
        keys (:func:`keys_of`). Remembered per prepared query (the memo holds the query,
        so its id stands for it alone; ``QUERY_SPELLINGS_MEMO`` queries, then started
        afresh)."""
        memo = self._query_spelled
        held = memo.get(id(p))
        if held is not None and held[0] is p:
            return held[1], held[2]
        spellings = [self._spelling(qv, p.generic) for qv in p.variants]
        q_regroup = keys_of(p.variants)
        if len(memo) >= QUERY_SPELLINGS_MEMO:
            memo.clear()
        memo[id(p)] = (p, spellings, q_regroup)
        return spellings, q_regroup

    def _spelling(self, qv: tuple[str, ...], generic: frozenset[str]) -> _QuerySpelling:
        """A query spelling's part of _QueryData that is the same for every query with
        it: (tokens, tokens joined, weights, weights against a person's name)."""
        qw = side_weights(qv, self.index.weight, generic)
        return (qv, "".join(qv), qw, person_query_weights(qv, qw))

    def _query_data(self, qv: tuple[str, ...], generic: frozenset[str]) -> _QueryData:
        """A query spelling as the scorer reads it (_QueryData; :func:`_with_rows`)."""
        return _with_rows(self._spelling(qv, generic))

    def _score_name(
        self,
        p: PreparedName,
        qdata: list[_QueryData],
        q_regroup: Keys,
        ni: int,
        qkind: str | None,
        country: str | None,
        birth: str | None,
        by_skeleton: bool,
        floor: float | None = None,
    ) -> _Scored | None:
        """Name features (best over the spellings of query and name), then the secondary
        features. The same numbers as :func:`align` and :func:`compact_similarity` on each
        pair of spellings: the weights are computed once per query and once per name
        (with both sides' generic words, as :func:`align` does, when they differ).

        None when the name's score is certainly below ``floor`` (the report floor; None:
        always scored) once its skeleton alignments are known: the rest of the
        consonant-skeleton feature (letters, long vowels) only lowers it
        (:func:`_skeleton_bound`). Such a name is neither reported nor its entity's best
        name over one that is."""
        idx = self.index
        nm = idx.names[ni]
        facts = idx.entities[nm.entity]
        nd = self._name_data.get(ni) or self._data(ni)
        is_person = nd.is_person
        per_name = self._query_memo(self._query_names, p)
        tokens_aligned = per_name.get(ni)
        if tokens_aligned is None:
            tokens_aligned = per_name[ni] = self._name_alignment(p, qdata, q_regroup, nd)
        a_score, q_cov, c_cov, compact, qv, cv, qw, order, regrouped = tokens_aligned
        if compact > a_score:
            compact = _compact_beyond_shared(qv, cv, compact, p.strict)
        pairs: _LazyPairs | Alignment = (
            (qv, cv, qw, order) if regrouped is None else regrouped
        )
        # the name features; the best of them is the name score
        kinds = {
            "name.token_alignment": a_score,
            "name.compact_similarity": compact,
        }
        skeleton: Alignment | None = None
        vowels: VowelCheck | None = None
        q_skeleton: tuple[str, ...] = p.skeleton
        secondary: list[_Secondary] = []
        # each secondary feature is None without its query side (a query's kind, legal
        # forms, birth date, country): only those the query has are computed, in this
        # order (the order their contributions are added in)
        if qkind is not None:
            kind = _kind_secondary(qkind, facts.kind)
            if kind is not None:
                secondary.append(kind)
        if p.legal_forms:
            _add_secondary(
                secondary,
                "legal_form",
                legal_form_feature(p.legal_forms, nm.prepared.legal_forms, facts.kind),
            )
        if birth:
            _add_secondary(secondary, "birth_date", birth_date_feature(birth, facts.birth))
        if country:
            _add_secondary(secondary, "country", country_feature(country, facts.countries))
        if by_skeleton:
            known = self._skeleton_readings(p, ni, nm.prepared, is_person)
            aligned = known.aligned
            if floor is not None and _skeleton_bound(
                max(a_score, compact), [al.score for _w, _q, al, _g in aligned], secondary, floor
            ):
                return None
            values = known.values
            if values is None:
                values = known.values = [
                    self._skeleton_value(p, words, q_skel, nm.prepared, al, generic_skel)
                    for words, q_skel, al, generic_skel in aligned
                ]
            for (_words, q_skel, _al, _generic), found in zip(aligned, values, strict=True):
                if skeleton is None or found[0] > kinds["name.consonant_skeleton"]:
                    kinds["name.consonant_skeleton"], skeleton, vowels = found
                    q_skeleton = q_skel
        if skeleton is None:  # = the max below over the two name features
            winner = "name.token_alignment" if a_score >= compact else "name.compact_similarity"
        else:
            winner = max(kinds, key=lambda k: (kinds[k], k == "name.token_alignment"))
        name_score = kinds[winner]
        if winner == "name.consonant_skeleton" and skeleton is not None:
            pairs, qv, cv = skeleton, q_skeleton, nm.prepared.skeleton
        score = name_score
        for item in secondary:
            score += item[3]
        # positional: the fields in their order (see _Scored)
        return _Scored(
            nm.entity,
            round4(min(1.0, max(0.0, score))),
            score,
            name_score,
            ni,
            qv,
            cv,
            kinds,
            winner,
            (q_cov, c_cov),
            skeleton,
            vowels,
            q_skeleton,
            pairs,
            secondary,
        )

    def _name_alignment(
        self, p: PreparedName, qdata: list[_QueryData], q_regroup: Keys, nd: _NameData
    ) -> _NameAlignment:
        """The name's token alignment with the query and their compact similarity, best
        over the pairs of spellings (a Korean query's spellings mixed syllable by
        syllable, and the words of one side divided as the other's, when those score
        higher): (alignment score, query coverage, list coverage, compact similarity,
        query spelling, list spelling, the query spelling's weights, the matches, and the
        regrouped alignment when that won, else None: the winner's pairs are the
        alignment, or the last four items as :data:`_LazyPairs`; flat, a remembered one
        is one tuple). A pure function of the prepared query (``qdata`` and
        ``q_regroup`` are its) and the name."""
        bare_person = nd.bare_person
        strict = p.strict or nd.strict
        q_generic = p.generic
        c_generic = nd.generic
        a_score, q_cov, c_cov, order, compact, qv, qw, cv = self._best_alignment(
            qdata, nd.variants, strict, q_generic, c_generic, bare_person
        )
        if a_score < 1.0 and p.script == "Hang" and len(qdata) > 1:
            syllables = _mixed_syllables(qdata, nd.variants)
            if syllables is not None:
                mq = self._query_data(syllables, p.generic)
                got_m = self._best_alignment(
                    [mq], nd.variants, strict, q_generic, c_generic, bare_person
                )
                if got_m[0] > a_score:
                    a_score, q_cov, c_cov, order, compact, qv, qw, cv = got_m
        if a_score < 1.0 and may_regroup(q_regroup, nd.regroup):
            got = self._regrouped(
                qdata, nd.variants, q_generic | c_generic, nd.is_person, strict
            )
            if got is not None and got[0].score > a_score:
                al, qv, cv = got
                a_score, q_cov, c_cov = al.score, al.query_coverage, al.list_coverage
                return a_score, q_cov, c_cov, compact, qv, cv, qw, order, al
        return a_score, q_cov, c_cov, compact, qv, cv, qw, order, None

    def _query_memo(
        self, memo: dict[int, tuple[PreparedName, dict[int, _T]]], p: PreparedName
    ) -> dict[int, _T]:
        """The dict of what ``memo`` remembers of prepared query ``p`` per list name (a
        new one the first time): keyed by the query's id, with the query held beside it,
        so that the id stands for that query alone. ``QUERY_MEMO`` queries, then started
        afresh."""
        held = memo.get(id(p))
        if held is None or held[0] is not p:
            if len(memo) >= QUERY_MEMO:
                memo.clear()
            held = memo[id(p)] = (p, {})
        return held[1]

    def _skeleton_readings(
        self, p: PreparedName, ni: int, c: PreparedName, is_person: bool
    ) -> _Readings:
        """The query's readings (the primary one first, then the others, then the mix of
        them that spells the name's words: :func:`_mixed_reading`) each with its skeleton
        alignment to list name ``ni`` (``c``, ``is_person`` its own), and a place for
        their values (:meth:`_skeleton_value`, None until computed). Remembered per
        prepared query and name (:meth:`_query_memo`): pure functions of the two."""
        per_name = self._query_memo(self._query_skel, p)
        known = per_name.get(ni)
        if known is None:
            readings = ((p.variants[0], p.skeleton), *p.readings)
            mixed = _mixed_reading(readings, c.skeleton) if p.readings else None
            if mixed is not None:
                readings = (*readings, mixed)
            aligned = [
                (words, q_skel, *self._skeleton_alignment(p, words, q_skel, c, is_person))
                for words, q_skel in readings
            ]
            known = per_name[ni] = _Readings(aligned)
        return known

    def _regrouped(
        self,
        qdata: list[_QueryData],
        variants: tuple[_Variant, ...],
        generic: frozenset[str],
        is_person: bool,
        strict: bool,
    ) -> tuple[Alignment, tuple[str, ...], tuple[str, ...]] | None:
        """The best token alignment of a query spelling and a list spelling with one side's
        words divided as the other's are (match.regroup: joined words, acronyms), with the
        two spellings as compared; the explanation's tokens say what a joined word or an
        acronym stands for. None when there is no such regrouping."""
        best: tuple[Alignment, tuple[str, ...], tuple[str, ...]] | None = None
        for qd in qdata:
            for cd in variants:
                for q2, c2, q_stands, c_stands in regroupings(qd[0], cd[0]):
                    al = align(q2, c2, self.index.weight, generic, is_person, strict)
                    if best is None or al.score > best[0].score:
                        pairs = tuple(
                            (q_stands.get(a, a), c_stands.get(b, b) if b else b, s, w)
                            for a, b, s, w in al.pairs
                        )
                        al = Alignment(al.score, al.query_coverage, al.list_coverage, pairs)
                        q_shown = tuple(q_stands.get(t, t) for t in q2)
                        best = (al, q_shown, tuple(c_stands.get(t, t) for t in c2))
        return best

    def _best_alignment(
        self,
        qdata: list[_QueryData],
        variants: tuple[_Variant, ...],
        strict: bool,
        q_generic: frozenset[str],
        c_generic: frozenset[str],
        bare_person: bool,
    ) -> _Best:
        """:meth:`_best_alignment_py`, by the compiled kernel when it is built (the same
        numbers). Where a generic word of one side is a word of the other, the spellings
        go to it with their weights computed again as :meth:`_best_alignment_py` computes
        them (:meth:`_generic_weights`)."""
        if _kernel is not None:
            kq, kv = qdata, variants
            if not _no_generic_meets(qdata, variants, q_generic, c_generic):
                kq, kv = self._generic_weights(qdata, variants, q_generic, c_generic, bare_person)
            got = _kernel.best_alignment(
                kq, kv, strict, bare_person, W.COMPACT_MIN_LEN, compact_joined, token_similarity
            )
            if got is not None:
                a_score, q_cov, c_cov, order, compact, qi, ci = got
                qw = kq[qi][4] if bare_person else kq[qi][2]
                return a_score, q_cov, c_cov, order, compact, kq[qi][0], qw, kv[ci][0]
        return self._best_alignment_py(qdata, variants, strict, q_generic, c_generic, bare_person)

    def _generic_weights(
        self,
        qdata: list[_QueryData],
        variants: tuple[_Variant, ...],
        q_generic: frozenset[str],
        c_generic: frozenset[str],
        bare_person: bool,
    ) -> tuple[list[_QueryData], tuple[_Variant, ...]]:
        """The spellings with the weights :meth:`_best_alignment_py` aligns them with: a
        query spelling that has one of the name's generic words weighed with both sides'
        generic words (its weights against a bare person's name, the last item, from
        those), and so a list spelling that has one of the query's."""
        weigh = self.index.weight
        generic = q_generic | c_generic
        if c_generic:
            new_q: list[_QueryData] = []
            for qd in qdata:
                qv = qd[0]
                if not c_generic.isdisjoint(qv):
                    qw = side_weights(qv, weigh, generic)
                    qw_person = person_query_weights(qv, qw) if bare_person else qw
                    qd = (qv, qd[1], qw, qd[3], qw_person)
                new_q.append(qd)
            qdata = new_q
        if q_generic:
            variants = tuple(
                (cd[0], cd[1], side_weights(cd[0], weigh, generic), cd[3])
                if not q_generic.isdisjoint(cd[0])
                else cd
                for cd in variants
            )
        return qdata, variants

    def _best_alignment_py(
        self,
        qdata: list[_QueryData],
        variants: tuple[_Variant, ...],
        strict: bool,
        q_generic: frozenset[str],
        c_generic: frozenset[str],
        bare_person: bool,
    ) -> _Best:
        """The token alignment and the compact similarity of the pair of spellings (query,
        list name) whose better one is highest (the first such pair): (alignment score,
        query coverage, list coverage, matches, compact similarity, query spelling, its
        weights, list spelling). Where one side has generic words the other's weights
        are computed again with both sides' generic words, as :func:`align` does; against
        a person's name without patronymic (``bare_person``) the query's patronymics
        weigh less (:func:`person_query_weights`)."""
        idx = self.index
        generic = q_generic | c_generic if q_generic or c_generic else q_generic
        best_m = -1.0
        best: tuple[float, float, float, list[Match], float] | None = None
        best_q: tuple[tuple[str, ...], list[float]] = ((), [])
        best_c: tuple[str, ...] = ()
        compact_min = W.COMPACT_MIN_LEN
        for qv, qj, qw, rows, qw_person in qdata:
            qrows = rows[strict]
            if c_generic and not c_generic.isdisjoint(qv):
                qw = side_weights(qv, idx.weight, generic)
                if bare_person:
                    qw = person_query_weights(qv, qw)
            elif bare_person:
                qw = qw_person
            for cv, cj, cw, cf in variants:
                if q_generic and not q_generic.isdisjoint(cv):
                    cw = side_weights(cv, idx.weight, generic)
                sc, q_cov, c_cov, order = align_core(qv, qw, cv, cw, cf, strict, qrows)
                if strict or len(qj) < compact_min or len(cj) < compact_min:
                    c = 1.0 if qj == cj and qj else 0.0  # = compact_joined, inlined
                else:
                    c = compact_joined(qj, cj, strict)
                m = sc if sc >= c else c
                if m > best_m:
                    best_m = m
                    best = (sc, q_cov, c_cov, order, c)
                    best_q = (qv, qw)
                    best_c = cv
        assert best is not None
        a_score, q_cov, c_cov, order, compact = best
        return a_score, q_cov, c_cov, order, compact, best_q[0], best_q[1], best_c

    def _skeleton_alignment(
        self,
        p: PreparedName,
        words: tuple[str, ...],
        q_skel: tuple[str, ...],
        c: PreparedName,
        is_person: bool,
    ) -> tuple[Alignment, frozenset[str]]:
        """The skeletons of one reading of the query and of the name aligned (or compared
        joined), and the generic skeletons of both sides. Remembered per matcher: the
        result depends on the two skeletons, ``is_person`` and the generic skeletons of
        each side alone (``SKELETON_ALIGNMENT_MEMO`` results, then started afresh)."""
        # generic words ("group" grb) weigh as little as in the token alignment: each
        # side's own, of the words of this reading (a skeleton such as "sn" is the generic
        # "sanaye" of one name and the name "Sina" of another)
        q_generic = (
            _generic_skeletons(p.generic.intersection(words)) if p.generic else _NO_SKELETONS
        )
        c_generic = _generic_skeletons(c.generic) if c.generic else _NO_SKELETONS
        key = (q_skel, c.skeleton, is_person, q_generic, c_generic)
        memo = self._skel_aligned
        got = memo.get(key)
        if got is None:
            aligner = self._skeleton_align
            skeleton = aligner(q_skel, c.skeleton, is_person, q_generic, c_generic)
            skeleton = _merged_skeleton(q_skel, c.skeleton, skeleton, aligner, is_person)
            got = (_joined_skeleton(q_skel, c.skeleton, skeleton), q_generic | c_generic)
            if len(memo) >= SKELETON_ALIGNMENT_MEMO:
                memo.clear()
            memo[key] = got
        return got

    def _skeleton_value(
        self,
        p: PreparedName,
        words: tuple[str, ...],
        q_skel: tuple[str, ...],
        c: PreparedName,
        skeleton: Alignment,
        generic_skel: frozenset[str],
    ) -> _SkeletonValue:
        """The consonant-skeleton feature's value for one reading of the query (its words
        and their skeleton) whose skeletons are aligned (:meth:`_skeleton_alignment`): the
        alignment's score, discounted (SKELETON_DISCOUNT), x the evidence of their length
        (at most 1) and x the long-vowel check's factor (at most 1)."""
        q_letters = written_consonants(q_skel, words, p.script != "Arab")
        c_letters = written_consonants(c.skeleton, c.variants[0], c.script != "Arab")
        letters: float = sum(
            min(q_letters.get(a, len(a)), c_letters.get(b, len(b)))
            for a, b, _s, _w in skeleton.pairs
            if b is not None and a not in generic_skel
        )
        # Arabic and Hebrew script: a و (ו) both spellings write as a consonant ("fdwy" /
        # "Fadavi") is a letter; and where two words of the name or more are paired, a long
        # vowel both write at the same place (ا, و, ي; א, ו, י) is half a letter ("علي
        # وانوس" Ali WANUS, "ינון לוי" Yinon LEVI)
        if p.script in ("Arab", "Hebr"):
            hebrew = p.script == "Hebr"
            q_words = words_by_skeleton(q_skel, words, False)
            c_words = words_by_skeleton(c.skeleton, c.variants[0], c.script != "Arab")
            vowels_agreeing = 0
            names_paired = 0
            for a, b, _s, _w in skeleton.pairs:
                if b is not None and a not in generic_skel:
                    names_paired += 1
                    wa, wb = q_words.get(a), c_words.get(b)
                    if wa is not None and wb is not None:
                        letters += shared_semivowels(wa, wb)
                        vowels_agreeing += agreeing_long_vowels(wa, wb, hebrew)
            if names_paired >= 2:
                letters += W.SKELETON_VOWEL_LETTER * vowels_agreeing
        # every word of both names paired: one letter less is enough ("علی صالحی" / "Ali
        # SALEHI"); a word left over, even of one skeleton letter ("وفاء" f), is a name the
        # other side lacks
        paired = [b for _a, b, _s, _w in skeleton.pairs if b is not None]
        # every list letter paired: each word alone, or in a word joined with the next
        complete = len(paired) == len(skeleton.pairs) and sum(map(len, paired)) == sum(
            map(len, c.skeleton)
        )
        needed = W.SKELETON_MIN_LETTERS - 1 if complete else W.SKELETON_MIN_LETTERS
        evidence = min(1.0, letters / needed)
        vowels = _vowel_check(p, words, c, skeleton)
        factor = 1.0 if vowels is None else vowels.factor
        return skeleton.score * W.SKELETON_DISCOUNT * evidence * factor, skeleton, vowels

    def _skeleton_align(
        self,
        q: tuple[str, ...],
        c: tuple[str, ...],
        is_person: bool,
        generic: frozenset[str] = frozenset(),
        c_generic: frozenset[str] | None = None,
    ) -> Alignment:
        """``align(q, c, self.index.skeleton_weight, generic, is_person, True)``: two
        skeletons aligned, with each side's weights remembered per skeleton (the query's
        are the same for each candidate, a name's for each query) unless it has one of the
        ``generic`` skeletons (then they are computed, as align computes them). With
        ``c_generic``, those are the list side's generic skeletons and ``generic`` the
        query's."""
        weigh = self.index.skeleton_weight
        if c_generic is None:
            c_generic = generic
        qw = (
            list(self._skeleton_weights(q))
            if generic.isdisjoint(q)
            else side_weights(q, weigh, generic)
        )
        cw = (
            list(self._skeleton_weights(c))
            if c_generic.isdisjoint(c)
            else side_weights(c, weigh, c_generic)
        )
        score, q_cov, c_cov, order = align_core(
            q, qw, c, cw, shared_unmatched_factors(c, is_person), True, None
        )
        return Alignment(score, q_cov, c_cov, alignment_pairs(q, c, qw, order))

    def _skeleton_weights(self, tokens: tuple[str, ...]) -> tuple[float, ...]:
        """``side_weights`` of a skeleton (no generic words), remembered: a tuple of floats,
        which the cyclic collector stops tracking once it has seen it. Started afresh at
        ``SKELETON_WEIGHTS_MEMO`` skeletons."""
        got = self._skel_weights.get(tokens)
        if got is None:
            got = tuple(side_weights(tokens, self.index.skeleton_weight, frozenset()))
            if len(self._skel_weights) >= SKELETON_WEIGHTS_MEMO:
                self._skel_weights.clear()
            self._skel_weights[tokens] = got
        return got

    def _features(self, p: PreparedName, s: _Scored) -> list[Feature]:
        """:meth:`_features_py`, by the compiled kernel when it is built and the hit has no
        skeleton feature (the same models; a good part of building a hit)."""
        if _kernel is not None and s.skeleton is None:
            got = _kernel.features(
                Feature, s.kinds, s.coverage[0], s.coverage[1], s.name_score, s.winner, s.secondary
            )
            if got is not None:
                return got
        return self._features_py(p, s)

    def _features_py(self, p: PreparedName, s: _Scored) -> list[Feature]:
        """The hit's features."""
        nm = self.index.names[s.name]
        feats: list[Feature] = []
        for fname, value in s.kinds.items():
            detail: dict[str, object] = {}
            weight = 1.0
            if fname == "name.token_alignment":
                detail = {
                    "query_coverage": round4(s.coverage[0]),
                    "list_coverage": round4(s.coverage[1]),
                }
            elif fname == "name.consonant_skeleton" and s.skeleton is not None:
                weight = W.SKELETON_DISCOUNT
                value = s.skeleton.score
                detail = {"query": " ".join(s.q_skeleton), "list": " ".join(nm.prepared.skeleton)}
                vowels = s.vowels
                if vowels is not None and vowels.compared:
                    detail["long_vowels_disagree"] = [f"{a}/{b}" for a, b in vowels.disagreeing]
                    detail["long_vowel_factor"] = round4(vowels.factor)
            feats.append(
                trusted(
                    Feature,
                    {
                        "name": fname,
                        "value": round4(value),
                        "weight": weight,
                        "contribution": round4(s.name_score) if fname == s.winner else 0.0,
                        "detail": detail,
                    },
                )
            )
        for fname, value, weight, contribution, detail in s.secondary:
            feats.append(
                trusted(
                    Feature,
                    {
                        "name": fname,
                        "value": value,
                        "weight": weight,
                        "contribution": contribution,
                        "detail": detail,  # built for this candidate alone
                    },
                )
            )
        return feats

    def _hit(self, q: Query, p: PreparedName, s: _Scored, thr: float) -> Hit:
        """One reported hit, built from plain values that have the models' field types
        already (:func:`trusted`: what ``Hit.model_validate`` of the same data gives)."""
        idx = self.index
        facts = idx.entities[s.entity]
        nm = idx.names[s.name]
        if isinstance(s.pairs, Alignment):
            pairs = token_pairs(s.pairs.pairs)
        else:
            pairs = _alignment_token_pairs(*s.pairs)
        explanation = trusted(
            Explanation,
            {
                "query_name": q.name,
                "query_tokens": str_list(s.q_variant),
                "list_name": nm.value,
                "list_tokens": str_list(s.c_variant),
                "name_type": nm.type,
                "token_pairs": pairs,
                "features": self._features(p, s),
            },
        )
        return trusted(
            Hit,
            {
                "entity_id": facts.id,
                "source": facts.source,
                "list_name": facts.list_name,
                "matched_name": nm.value,
                "caption": facts.caption,
                "kind": facts.kind,
                "score": s.score,
                "alert": s.score >= thr,
                "explanation": explanation,
            },
        )


def _cut(found: dict[int, float], most: int) -> float:
    """The least share among the ``most`` best (with repeats): no name with less can be
    chosen to be scored (:meth:`Matcher._entity_diverse`)."""
    return heapq.nlargest(most, found.values())[-1]


def _no_generic_meets(
    qdata: list[_QueryData],
    variants: tuple[_Variant, ...],
    q_generic: frozenset[str],
    c_generic: frozenset[str],
) -> bool:
    """True when no query spelling has a word of the name's generic words and no list
    spelling one of the query's: then :meth:`Matcher._best_alignment_py` uses the weights
    of each side as computed, as without generic words at all."""
    if c_generic and not all(c_generic.isdisjoint(qd[0]) for qd in qdata):
        return False
    return not q_generic or all(q_generic.isdisjoint(cd[0]) for cd in variants)


def _alignment_token_pairs_py(
    q: tuple[str, ...], c: tuple[str, ...], qw: list[float], order: list[Match]
) -> list[TokenPair]:
    """The explanation's token pairs of an alignment given by its matches."""
    return token_pairs(alignment_pairs(q, c, qw, order))


def _alignment_token_pairs(
    q: tuple[str, ...], c: tuple[str, ...], qw: list[float], order: list[Match]
) -> list[TokenPair]:
    """:func:`_alignment_token_pairs_py`, by the compiled kernel when it is built (the same
    models, without the pairs as tuples in between: a good part of building a hit)."""
    if _kernel is not None:
        got = _kernel.alignment_token_pairs(TokenPair, q, c, qw, order)
        if got is not None:
            return got
    return _alignment_token_pairs_py(q, c, qw, order)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch is scored (the previous state after).

    Scoring allocates many small objects (alignments, hits, explanations) and no
    reference cycles, so the collector finds nothing to free; but every time the
    surviving objects grow by a quarter it walks all of them — the per-process caches
    (prepared names, token similarities) and the caller's results — which took about
    half of the batch time. Reference counting still frees everything as usual."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _merged_skeleton(
    q: tuple[str, ...],
    c: tuple[str, ...],
    aligned: Alignment,
    aligner: Callable[[tuple[str, ...], tuple[str, ...], bool], Alignment],
    is_person: bool,
) -> Alignment:
    """The skeleton alignment, or one with two neighbouring words of one name written
    as one, when the other name writes them as one word and that scores higher: "سالار
    کیا" ``slr k`` is "SALARKIA" ``slrk``, "اللهکرم" ``lhkrm`` is "Allah-Karam" ``lh krm``,
    in any order of the words ("SALARKIA Mahmoud" / "محمود سالار کیا"). ``aligner``
    aligns two skeletons (:meth:`Matcher._skeleton_align`)."""
    if aligned.score >= 1.0 or (len(q) == 1 and len(c) == 1):
        return aligned
    best = aligned
    for qm in joined_neighbours(q, frozenset(c)):
        got = aligner(qm, c, is_person)
        best = got if got.score > best.score else best
    for cm in joined_neighbours(c, frozenset(q)):
        got = aligner(q, cm, is_person)
        best = got if got.score > best.score else best
    return best


def _joined_skeleton(q: tuple[str, ...], c: tuple[str, ...], aligned: Alignment) -> Alignment:
    """The skeleton alignment, or the two skeletons compared joined when that scores
    higher: one side may write a compound name as one word and the other as two
    ("محمدتقی اسانلو" ``mhmdtk snl`` / "Mohammad Taqi OSANLOO" ``mhmd tk snl``), which
    pairing words cannot see. Joined, identical skeletons count, and from
    ``JOINED_SKELETON_NEAR_LEN`` letters on near-identical ones (:func:`compact_joined`):
    a skeleton has lost the vowels already, so in a shorter one a letter apart is another
    name as often as not. The result is one pair of joined words."""
    if len(q) == len(c) == 1 or aligned.score >= 1.0:
        return aligned
    # a letter that ends one word and begins the next is one letter written joined
    # ("ایمانی نژاد" ``mn njd`` / "IMANINEJAD" ``mnjd``), as skeletons write doubles
    qj, cj = _collapsed_joined("".join(q)), _collapsed_joined("".join(c))
    if qj == cj:
        sim = 1.0
    elif min(len(qj), len(cj)) >= JOINED_SKELETON_NEAR_LEN:
        sim = compact_joined(qj, cj, False)
    else:
        return aligned
    if sim <= aligned.score:
        return aligned
    return Alignment(sim, 1.0, 1.0, ((qj, cj, sim, 1.0),))


#: joined skeleton -> the same with doubles collapsed (:func:`_collapsed_joined`): str
#: keys and values, a dict the cyclic collector does not track
_collapsed_memo: dict[str, str] = {}


def _collapsed_joined(joined: str) -> str:
    """``collapse_doubles(joined)``, remembered (``COLLAPSED_MEMO`` strings, then started
    afresh): the same names' skeletons are joined for many pairs."""
    got = _collapsed_memo.get(joined)
    if got is None:
        got = collapse_doubles(joined)
        if len(_collapsed_memo) >= COLLAPSED_MEMO:
            _collapsed_memo.clear()
        _collapsed_memo[joined] = got
    return got


#: the generic skeletons of a side without generic words
_NO_SKELETONS: frozenset[str] = frozenset()


@lru_cache(maxsize=100_000)
def _compact_beyond_shared(
    q: tuple[str, ...], c: tuple[str, ...], compact: float, strict: bool
) -> float:
    """The compact similarity of two spellings (``compact``) where it beats their token
    alignment, at most that of what is left of them without the words they share: the
    spacing-proof comparison is for words split, joined or spaced out ("a l a b u g a",
    "Sev mash"), and a long phrase both names share ("scientific and production
    association") must not carry two different names ("Polyakov", "SPLAV") over the
    threshold."""
    shared = Counter(q) & Counter(c)
    if not shared:
        return compact
    rest_q, rest_c = _without(q, shared), _without(c, shared)
    if rest_q == rest_c or max(len(rest_q), len(rest_c)) <= COMPACT_REST_SHORT:
        return compact  # an acronym or a short word more or less ("cge", "kiu"/"kyu")
    if not rest_q or not rest_c or strict:
        return 0.0
    # what is left must still be one name spelled two ways ("fedorov"/"fyodorov",
    # "xinta"/"xintuo", "quant"/"kvant": close, or of one consonant skeleton), not two
    # names ("polyakov"/"splav")
    if float(Indel.normalized_similarity(rest_q, rest_c)) >= COMPACT_REST_SIMILARITY:
        return compact
    return compact if skeleton_text(rest_q) == skeleton_text(rest_c) else 0.0


def _without(tokens: tuple[str, ...], shared: Counter[str]) -> str:
    """The tokens joined, each of ``shared`` left out as many times as it is counted."""
    left = Counter(shared)
    kept: list[str] = []
    for t in tokens:
        if left[t] > 0:
            left[t] -= 1
        else:
            kept.append(t)
    return "".join(kept)


@lru_cache(maxsize=10_000)
def _generic_skeletons(generic: frozenset[str]) -> frozenset[str]:
    """The consonant skeletons of a name's generic words (computed once per name)."""
    return frozenset(skeleton_text(g) for g in generic)


def _vowel_check(
    p: PreparedName, words: tuple[str, ...], c: PreparedName, skeleton: Alignment
) -> VowelCheck | None:
    """The long-vowel check (match.long_vowels) of a skeleton alignment between a query in
    Arabic script (read as ``words``) and a Latin name; None unless the query is in a
    skeleton script and the name is not (the only pairs compared through skeletons)."""
    if p.script not in SKELETON_SCRIPTS or c.script in SKELETON_SCRIPTS:
        return None
    # the words with ayn and hamza marked are those of the primary (ICU) reading
    marked = marked_words(p.text) if words == p.variants[0] else ()
    return check_alignment(words, c.variants[0], skeleton.pairs, True, marked)


def _word_sources(
    spellings: Sequence[tuple[str, ...]], listed: Collection[str]
) -> list[int] | None:
    """Per word of the first spelling, which spelling to take it from: the first whose
    word there is ``listed`` where the first's is not, of those with as many words (the
    first's own otherwise). None when every word stays the first's."""
    n = len(spellings[0])
    source = [0] * n
    for k in range(1, len(spellings)):
        sp = spellings[k]
        if len(sp) != n:
            continue
        for i in range(n):
            if spellings[source[i]][i] not in listed and sp[i] in listed:
                source[i] = k
    return source if any(source) else None


def _mixed_syllables(
    qdata: list[_QueryData], variants: tuple[_Variant, ...]
) -> tuple[str, ...] | None:
    """A Korean query's spelling that takes each syllable from whichever romanisation
    spells it as the list name does ("최천식": "choe" of one, "chun" of another, for
    "CHOE Chun-Sik"): the lists mix the systems within one name. None when no spelling
    has its syllables one for one with the first, or the mix is one of the spellings."""
    spellings = [qd[0] for qd in qdata]
    source = _word_sources(spellings, {t for v in variants for t in v[0]})
    if source is None:
        return None
    got = tuple(spellings[k][i] for i, k in enumerate(source))
    return None if got in spellings else got


def _mixed_reading(
    readings: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...], c_skel: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """A reading of the query that takes each word from whichever of its readings spells
    it as the list name does ("محمد رضا نقدی": "rz" from the Persian reading, "nkd" from
    the Arabic one, for "Mohammad Reza NAQDI"): the lists mix the two ways of reading
    within one name. None when no reading has its words one for one with the first, or
    the mix is one of the readings."""
    if len(readings[0][0]) != len(readings[0][1]):
        return None
    # readings whose words and skeleton words are one for one (the first always)
    usable = [r for r in readings if len(r[0]) == len(r[1])]
    source = _word_sources([skel for _words, skel in usable], set(c_skel))
    if source is None:
        return None
    words = tuple(usable[k][0][i] for i, k in enumerate(source))
    skel = tuple(usable[k][1][i] for i, k in enumerate(source))
    return None if any(skel == r[1] for r in readings) else (words, skel)


def _with_rows(spelling: _QuerySpelling) -> _QueryData:
    """A query spelling (:meth:`Matcher._spelling`) as the scorer reads it, with its
    similarity rows: the similarity memo's own (``token_similarity.row``), so what
    earlier queries met of a token is known, and what align_core adds to them is
    remembered."""
    qv, qj, qw, qw_person = spelling
    row = token_similarity.row
    return (qv, qj, qw, ([row(t, False) for t in qv], [row(t, True) for t in qv]), qw_person)


def _skeleton_bound(
    name_features: float, skeleton_scores: list[float], secondary: list[_Secondary], floor: float
) -> bool:
    """True when a name's score is certainly below ``floor``: its name score is at most
    the best of its other name features (``name_features``) and its skeleton alignments'
    scores x SKELETON_DISCOUNT (the skeleton feature multiplies that by its evidence and
    its long-vowel factor, each in [0, 1]; 0 bounds a score below 0), and the score is that
    plus the secondary contributions, in their order, clipped and rounded: each step
    monotonic, so this bound, taken through the same steps, bounds the score."""
    bound = max(
        [name_features, *(sc * W.SKELETON_DISCOUNT if sc > 0.0 else 0.0 for sc in skeleton_scores)]
    )
    for item in secondary:
        bound += item[3]
    return round4(min(1.0, max(0.0, bound))) < floor


def _add_secondary(
    out: list[_Secondary], fname: str, res: tuple[float, dict[str, Any]] | None
) -> None:
    """The secondary feature as computed (nothing when it says None): its value, the
    weight that applies and the contribution to the score."""
    if res is None:
        return
    value, detail = res
    bonus, penalty = W.WEIGHTS[fname]
    weight = penalty if value < 1.0 else bonus
    out.append((fname, value, weight, bonus if value >= 1.0 else penalty, detail))


def _kind_secondary(qkind: str, ekind: str) -> _Secondary | None:
    """``_add_secondary(out, "kind", kind_feature(qkind, ekind))``'s item in one call (the
    most frequent secondary feature: once per scored name of a query with a kind)."""
    if ekind == "unknown" or qkind == "unknown":
        return None
    bonus, penalty = W.WEIGHTS["kind"]
    if qkind == ekind:
        return ("kind", 1.0, bonus, bonus, {"query": qkind, "list": ekind})
    return ("kind", 0.0, penalty, penalty, {"query": qkind, "list": ekind})


def _with_identifier(s: _Scored, value: str) -> _Scored:
    s.secondary.append(
        (
            "identifier",
            1.0,
            W.IDENTIFIER_FLOOR,
            round4(max(0.0, W.IDENTIFIER_FLOOR - s.score)),
            {"query": value},
        )
    )
    s.score = max(s.score, W.IDENTIFIER_FLOOR)
    s.rank = max(s.rank, W.IDENTIFIER_FLOOR)
    return s


def _query_country(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    iso = to_iso(value.strip())
    if iso is None:
        raise InputError(f"country {value!r} is not an ISO code or a known country name")
    return iso
