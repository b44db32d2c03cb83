"""Scoring candidates with small named features, each hit explained as data."""

from stopship.match.engine import Matcher
from stopship.match.model import Explanation, Feature, Hit, Query, QueryResult, TokenPair

__all__ = ["Explanation", "Feature", "Hit", "Matcher", "Query", "QueryResult", "TokenPair"]
