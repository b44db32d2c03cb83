"""Scoring candidates with small named features, each hit explained as data.

``Matcher`` is imported lazily: the index package imports this package's feature and
preparation modules, and the engine imports the index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from stopship.match.model import Explanation, Feature, Hit, Query, QueryResult, TokenPair

if TYPE_CHECKING:
    from stopship.match.engine import Matcher

__all__ = ["Explanation", "Feature", "Hit", "Matcher", "Query", "QueryResult", "TokenPair"]


def __getattr__(name: str) -> Any:
    if name == "Matcher":
        from stopship.match.engine import Matcher

        return Matcher
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
