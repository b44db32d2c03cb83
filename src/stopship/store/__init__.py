"""The list store (SQLite by default; PostgreSQL through the same interface)."""

from stopship.store.db import ListVersion, Store
from stopship.store.delta import Delta, FieldChange

__all__ = ["Delta", "FieldChange", "ListVersion", "Store"]
