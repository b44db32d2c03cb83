"""Batch matching across cores: worker processes forked with the index already in
memory (copy-on-write), each scoring whole chunks and returning JSON lines."""

from __future__ import annotations

import json
import multiprocessing as mp
import os
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

from stopship.match.engine import Matcher
from stopship.match.model import Query, QueryResult

#: set in the parent just before forking; read by the workers
_MATCHER: Matcher | None = None
_FORMAT: Callable[[QueryResult, int | None], dict[str, Any]] | None = None


Line = tuple[int, str, bool, bool]  # (row, JSON line, alert, error)


def _work(
    args: tuple[list[tuple[int, Query]], float, int, Collection[str] | None],
) -> list[Line]:
    items, threshold, limit, only = args
    assert _MATCHER is not None and _FORMAT is not None
    results = _MATCHER.match_batch(
        [q for _, q in items], threshold=threshold, limit=limit, only=only
    )
    return [
        (row, json.dumps(_FORMAT(res, row), ensure_ascii=False), res.alert, res.error is not None)
        for (row, _), res in zip(items, results, strict=True)
    ]


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def match_chunks(
    matcher: Matcher,
    chunks: Sequence[list[tuple[int, Query]]],
    threshold: float,
    limit: int,
    workers: int,
    fmt: Callable[[QueryResult, int | None], dict[str, Any]],
    only: Collection[str] | None = None,
) -> Iterator[list[Line]]:
    """Yield each chunk's (row, JSON line, alert, error) in input order (``only``: restrict
    hits to these entity ids, as :meth:`Matcher.match_batch`)."""
    global _MATCHER, _FORMAT
    _MATCHER, _FORMAT = matcher, fmt
    only = frozenset(only) if only is not None else None
    jobs = [(c, threshold, limit, only) for c in chunks]
    if workers <= 1 or len(jobs) <= 1 or "fork" not in mp.get_all_start_methods():
        for job in jobs:
            yield _work(job)
        return
    ctx = mp.get_context("fork")
    with ctx.Pool(processes=min(workers, len(jobs))) as pool:
        yield from pool.imap(_work, jobs)
