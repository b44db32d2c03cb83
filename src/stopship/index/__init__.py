"""Candidate retrieval over all loaded names, built from the store and persisted with it."""

from stopship.index.build import MatchIndex

__all__ = ["MatchIndex"]
