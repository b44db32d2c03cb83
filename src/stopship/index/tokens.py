"""Fuzzy token retrieval: an inverted index from tokens to names, reached through
deletion neighbourhoods, so a query token finds list tokens within one edit (two for
long tokens) without scanning the vocabulary. Names that share no exact token but are
typo-close ("alabugga" ~ "alabuga", "shagivaleyev" ~ "shagivaleev") still meet.

Each token is also reached through its phonetic key (:func:`phonetic`, the key the
scorer's :func:`token_similarity` compares), so spellings of one sound that are several
edits apart ("logeks" ~ "logex", "holdyngz" ~ "holdings") meet as well.

A second map from the space-free name ("alabugadevelopment") catches split, merged and
spaced-out tokens.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from stopship.match.compiled import kernel as _kernel  # None without a C compiler
from stopship.match.features import phonetic, token_similarity
from stopship.normalize.given_names import given_name_forms
from stopship.normalize.glossary import meaning_forms

#: tokens up to this length are looked up exactly
EXACT_MAX = 3
#: list tokens from this length on are indexed with two deletions, query tokens from
#: QUERY_TWO_EDITS_MIN on: together they find every token within the similarity floor
#: (an OSA similarity of 0.78 allows one edit below 10 characters, two from 10 on)
TWO_EDITS_MIN = 8
QUERY_TWO_EDITS_MIN = 10
#: phonetic keys from this length on are indexed and looked up with one deletion, shorter
#: ones exactly: :func:`token_similarity` credits phonetic keys at PHONETIC_SIMILARITY x
#: their OSA similarity, which reaches the match floor with one edit from 7 letters on
PHONETIC_ONE_EDIT_MIN = 7


@lru_cache(maxsize=100_000)
def deletions(token: str, depth: int) -> frozenset[str]:
    """The token and every string made by deleting up to ``depth`` of its characters."""
    if len(token) <= EXACT_MAX:
        return frozenset((token,))
    out = {token}
    frontier = {token}
    for _ in range(depth):
        nxt = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        out |= nxt
        frontier = nxt
    return frozenset(out)


#: the one empty set of keys (``frozenset()`` makes a new one each time, and each one the
#: memo keeps is an object the cyclic collector walks after every batch)
_NO_KEYS: frozenset[str] = frozenset()


@lru_cache(maxsize=100_000)
def phonetic_keys(token: str) -> frozenset[str]:
    """The deletion keys of the token's phonetic key that its own deletion neighbourhood
    (at any depth) may lack; empty when the key is the token itself."""
    key = phonetic(token)
    if key == token:
        return _NO_KEYS
    return deletions(key, 1 if len(key) >= PHONETIC_ONE_EDIT_MIN else 0)


def _similarity(match: tuple[int, float]) -> float:
    return match[1]


def _index_depth(token: str) -> int:
    return 2 if len(token) >= TWO_EDITS_MIN else 1


def _query_depth(token: str) -> int:
    return 2 if len(token) >= QUERY_TWO_EDITS_MIN else 1


class TokenIndex:
    """token -> names containing it; deletion key -> tokens; compact name -> names."""

    def __init__(self, phonetic: bool = True) -> None:
        #: also reach tokens through their phonetic keys (:func:`phonetic_keys`)
        self.phonetic = phonetic
        self.vocab: dict[str, int] = {}
        self.tokens: list[str] = []
        self.postings: list[list[int]] = []  # token id -> name ids (sorted, unique)
        self.neighbours: dict[str, list[int]] = {}  # deletion key -> token ids
        self.compact: dict[str, list[int]] = {}  # space-free name -> name ids
        self._similar: dict[str, list[tuple[int, float]]] = {}  # per-process caches
        self._sets: dict[int, frozenset[int]] = {}
        self._sizes: dict[str, int] = {}
        #: token -> its typo-close tokens' posting sets with their similarity, best first
        self._ranked: dict[str, list[tuple[frozenset[int], float]]] = {}
        self.longest = 0  # length of the longest token

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["_similar"] = {}
        state["_sets"] = {}
        state["_sizes"] = {}
        state["_ranked"] = {}
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        state.setdefault("_sizes", {})  # an index pickled before this cache existed
        state.setdefault("_ranked", {})
        state.setdefault("phonetic", False)
        self.__dict__.update(state)

    def add(self, name_id: int, variants: Sequence[Sequence[str]]) -> None:
        if self._similar or self._sets or self._sizes or self._ranked:  # they may change
            self._similar, self._sets, self._sizes, self._ranked = {}, {}, {}, {}
        seen: set[int] = set()
        for v in variants:
            for t in v:
                tid = self.vocab.get(t)
                if tid is None:
                    tid = len(self.tokens)
                    self.vocab[t] = tid
                    self.tokens.append(t)
                    self.longest = max(self.longest, len(t))
                    self.postings.append([])
                    keys = deletions(t, _index_depth(t))
                    for key in keys:
                        self.neighbours.setdefault(key, []).append(tid)
                    if self.phonetic:
                        for key in phonetic_keys(t) - keys:
                            self.neighbours.setdefault(key, []).append(tid)
                if tid not in seen:
                    seen.add(tid)
                    self.postings[tid].append(name_id)
            joined = "".join(v)
            bucket = self.compact.setdefault(joined, [])
            if not bucket or bucket[-1] != name_id:
                bucket.append(name_id)

    def _posting_set(self, tid: int) -> frozenset[int]:
        """The names of a (common) token as a set, cached."""
        cache = self._sets
        got = cache.get(tid)
        if got is None:
            got = cache[tid] = frozenset(self.postings[tid])
        return got

    def _ranked_sets(
        self, token: str, matches: list[tuple[int, float]]
    ) -> list[tuple[frozenset[int], float]]:
        """The posting sets of the token's typo-close tokens (``matches``, as
        :meth:`similar_tokens` gives them) with their similarity, best similarity first
        (the list's order follows the string hash), cached."""
        got = self._ranked.get(token)
        if got is None:
            ranked = sorted(matches, key=lambda m: (-m[1], m[0]))
            got = [(self._posting_set(tid), s) for tid, s in ranked]
            if len(self._ranked) < 200_000:
                self._ranked[token] = got
        return got

    def _reach(self, token: str, matches: list[tuple[int, float]]) -> int:
        """How many names the token's typo-close tokens are in (with repeats), cached."""
        got = self._sizes.get(token)
        if got is None:
            postings = self.postings
            got = sum([len(postings[tid]) for tid, _ in matches])
            if len(self._sizes) < 200_000:
                self._sizes[token] = got
        return got

    def _names_of(self, matches: list[tuple[int, float]]) -> dict[int, float]:
        """name id -> the best similarity of a token of that name among ``matches``
        (similarities of 0 are no match). Updated in ascending order of similarity, so
        the best one is written last."""
        postings = self.postings
        if len(matches) == 1:
            tid, s = matches[0]
            return dict.fromkeys(postings[tid], s) if s > 0.0 else {}
        got: dict[int, float] = {}
        for tid, s in sorted(matches, key=_similarity):
            if s > 0.0:
                got.update(dict.fromkeys(postings[tid], s))
        return got

    def similar_tokens(self, token: str) -> list[tuple[int, float]]:
        cache = self._similar
        got = cache.get(token)
        if got is None:
            got = self._similar_tokens(token)
            if len(cache) < 200_000:
                cache[token] = got
        return got

    def _similar_tokens(self, token: str) -> list[tuple[int, float]]:
        """Vocabulary tokens typo-close to ``token`` with their similarity."""
        tid = self.vocab.get(token)
        found: dict[int, float] = {}
        if tid is not None:
            found[tid] = 1.0
        # a token more than two letters longer than every indexed token has no indexed
        # token within two edits: skip its deletion neighbourhood, which grows with the
        # cube of its length (a 1,000-letter "word" would cost gigabytes)
        if EXACT_MAX < len(token) <= self.longest + 2:
            keys = deletions(token, _query_depth(token))
            if self.phonetic:  # sound-alike spellings several edits apart
                keys = keys | phonetic_keys(token)
            _walk_neighbours(token, keys, self.neighbours, self.tokens, found)
        # another form of the same given name ("volodymyr" -> "vladimir"), however far
        for form in given_name_forms(token):
            cand_id = self.vocab.get(form)
            if cand_id is not None and cand_id not in found:
                found[cand_id] = token_similarity(token, form)
        # the same word in English or another of its usual translations ("zavod" ->
        # "plant", "fund" -> "foundation")
        for form in meaning_forms(token):
            cand_id = self.vocab.get(form)
            if cand_id is not None and cand_id not in found:
                found[cand_id] = token_similarity(token, form)
        return list(found.items())

    def retrieve(
        self,
        variants: Sequence[Sequence[str]],
        weigh: Callable[[str], float],
        generic: frozenset[str],
        generic_share: float,
        max_postings: int,
        floor: float,
    ) -> dict[int, float]:
        """name id -> the best (over query spellings) rarity-weighted share of query
        tokens that have a typo-close token in the name, for shares >= ``floor``.
        Tokens whose postings are longer than ``max_postings`` are not followed (unless
        the query has nothing rarer); they only add to names found through others."""
        best: dict[int, float] = {}
        for v in variants:
            weights = [weigh(t) * (generic_share if t in generic else 1.0) for t in v]
            total = sum(weights)
            if total <= 0:
                continue
            per_token = [self.similar_tokens(t) for t in v]
            sizes = [self._reach(t, m) for t, m in zip(v, per_token, strict=True)]
            followable = [s <= max_postings for s in sizes]
            if not any(followable) and sizes:
                followable[min(range(len(sizes)), key=sizes.__getitem__)] = True
            # common tokens that were not followed: credit them only to names that can
            # still reach the floor, checking membership in their (sorted) postings
            rest = [t_i for t_i in range(len(v)) if not followable[t_i]]
            headroom = 0.0
            common: list[tuple[float, list[tuple[frozenset[int], float]]]] = []
            if rest:
                headroom = sum(weights[t_i] for t_i in rest) / total
                for t_i in rest:
                    common.append((weights[t_i] / total, self._ranked_sets(v[t_i], per_token[t_i])))
            compact = self.compact.get("".join(v), ())
            if _kernel is not None and _kernel.retrieve_variant(
                per_token, followable, weights, total, self.postings, common, headroom, floor,
                compact, best,
            ):  # fmt: skip
                continue  # the same, in one pass over dense arrays
            self._retrieve_variant(
                per_token, followable, weights, total, common, headroom, floor, compact, best
            )
        return best

    def _retrieve_variant(
        self,
        per_token: list[list[tuple[int, float]]],
        followable: list[bool],
        weights: list[float],
        total: float,
        common: list[tuple[float, list[tuple[frozenset[int], float]]]],
        headroom: float,
        floor: float,
        compact: Sequence[int],
        best: dict[int, float],
    ) -> None:
        """:meth:`retrieve`'s work for one query spelling, in Python (the compiled
        kernel's ``retrieve_variant`` computes the same): raise ``best`` to the shares of
        the names the followed tokens, then the common ones, reach (the names of the
        space-free spelling at 1.0)."""
        acc = self._accumulate(per_token, followable, weights, total)
        if common:
            _credit_common(acc, headroom, floor, common)
        for nid in compact:
            acc[nid] = max(acc.get(nid, 0.0), 1.0)
        _keep_best(acc, best, floor)

    def _accumulate(
        self,
        per_token: list[list[tuple[int, float]]],
        followable: list[bool],
        weights: list[float],
        total: float,
    ) -> dict[int, float]:
        """name id -> the weighted share of the followed query tokens the name has (each
        at its best similarity)."""
        acc: dict[int, float] = {}
        for t_i, matches in enumerate(per_token):
            if not followable[t_i]:
                continue
            w = weights[t_i] / total
            names = self._names_of(matches)
            if not acc:  # the first token followed: 0.0 + w * s is w * s
                acc = {nid: w * s for nid, s in names.items()}
            else:
                get = acc.get
                for nid, s in names.items():
                    acc[nid] = get(nid, 0.0) + w * s
        return acc


def _walk_neighbours(
    token: str,
    keys: frozenset[str],
    neighbours: dict[str, list[int]],
    tokens: list[str],
    found: dict[int, float],
) -> None:
    """Add to ``found`` the tokens reached through ``keys`` (deletion keys) that are
    typo-close to ``token``, with their similarity, in the order met; by the compiled
    kernel when it is built."""
    if _kernel is not None and _kernel.walk_neighbours(
        token, keys, neighbours, tokens, found, token_similarity
    ):
        return
    for key in keys:
        for cand in neighbours.get(key, ()):
            if cand in found:
                continue
            s = token_similarity(token, tokens[cand])
            if s > 0.0:
                found[cand] = s


def _credit_common(
    acc: dict[int, float],
    headroom: float,
    floor: float,
    common: list[tuple[float, list[tuple[frozenset[int], float]]]],
) -> None:
    """Credit the common tokens that were not followed (per token: its share of the query
    and its typo-close tokens' posting sets with their similarity, best first) to the
    names of ``acc`` that can still reach ``floor``: each name gets the share x the
    similarity of the first set it is in."""
    reachable = [n for n, sc in acc.items() if sc + headroom >= floor]
    for share, sets in common:
        for nid in reachable:
            for members, s in sets:
                if nid in members:
                    acc[nid] += share * s
                    break


def _keep_best(acc: dict[int, float], best: dict[int, float], floor: float) -> None:
    """Raise ``best`` to each share of ``acc`` that reaches ``floor``."""
    for nid, sc in acc.items():
        if sc >= floor and sc > best.get(nid, 0.0):
            best[nid] = sc
