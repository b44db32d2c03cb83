"""A memo for a pure function of two tokens (and a strictness flag): what
:func:`~stopship.match.features.token_similarity` is remembered in.

``functools.lru_cache`` keys each call by a tuple of its arguments, which the cyclic
collector tracks until its next pass; a batch meets tens of thousands of new token pairs,
and the collection after it (``engine._collector_paused``) walked each key once more. Here
a result is kept in two levels of dicts (strictness -> first token -> second token ->
result): a dict whose keys are str and whose values are floats is not tracked at all.
``f(a, b)`` and ``f(a, b, False)`` share one entry (lru_cache keeps two). When ``maxsize``
results are held the memo starts afresh (the results are the same either way; only the
work to compute them again differs).

:class:`PairMemoPy` is the reference; ``stopship.match._kernel.PairMemo`` the same in C.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from stopship.match.compiled import kernel as _kernel  # None without a C compiler


class PairMemo(Protocol):
    """What both implementations offer."""

    def __call__(self, a: str, b: str, strict: bool = False, /) -> float: ...

    def cache_clear(self) -> None: ...

    def size(self) -> int: ...

    def row(self, a: str, strict: bool, /) -> dict[str, float]: ...


class PairMemoPy:
    """``fn(a, b[, strict])`` remembered for str tokens and a bool ``strict`` whose result
    is an exact float; any other call goes to ``fn`` unremembered."""

    def __init__(self, fn: Callable[..., float], maxsize: int) -> None:
        if not callable(fn) or maxsize < 1:
            raise ValueError("PairMemo(fn, maxsize): a callable and maxsize >= 1")
        self.fn = fn
        self.maxsize = maxsize
        self._maps: tuple[dict[str, dict[str, float]], dict[str, dict[str, float]]] = ({}, {})
        self._size = 0

    def __call__(self, a: str, b: str, *rest: bool, **kwargs: bool) -> float:
        if (
            kwargs
            or len(rest) > 1
            or type(a) is not str
            or type(b) is not str
            or (rest and type(rest[0]) is not bool)
        ):
            return self.fn(a, b, *rest, **kwargs)
        strict = bool(rest) and rest[0]
        row = self._maps[strict].get(a)
        if row is not None:
            got = row.get(b)
            if got is not None:
                return got
        r = self.fn(a, b, *rest)
        if type(r) is not float:
            return r
        if self._size >= self.maxsize:
            self.cache_clear()
        row = self._maps[strict].get(a)  # fn may have started afresh (a nested call)
        if row is None:
            row = self._maps[strict][a] = {}
        row[b] = r
        self._size += 1
        return r

    def cache_clear(self) -> None:
        self._maps = ({}, {})
        self._size = 0

    def size(self) -> int:
        return self._size

    def row(self, a: str, strict: bool, /) -> dict[str, float]:
        """The memo's own dict of the results remembered for ``a`` (second token ->
        result), made empty (and counted as one result) when there is none yet. A caller
        may add results of ``fn`` to it; after :meth:`cache_clear` (or a fresh start at
        ``maxsize``) it is no longer the memo's."""
        if type(a) is not str or type(strict) is not bool:
            raise TypeError("row(a, strict): a str and a bool")
        row = self._maps[strict].get(a)
        if row is None:
            row = self._maps[strict][a] = {}
            self._size += 1  # counted as one result: rows of tokens met alone stay bounded
        return row


def pair_memo(fn: Callable[..., float], maxsize: int) -> PairMemo:
    """The compiled memo when the kernel is built, else :class:`PairMemoPy`."""
    if _kernel is not None:
        return _kernel.PairMemo(fn, maxsize)
    return PairMemoPy(fn, maxsize)
