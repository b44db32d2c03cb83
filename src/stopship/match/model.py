"""Queries, hits and explanations: the matcher's data, serialisable as JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from stopship.match.compiled import kernel as _kernel  # None without a C compiler
from stopship.model import EntityKind

#: the longest name a query may carry
MAX_NAME_LENGTH = 1000

_M = TypeVar("_M", bound=BaseModel)


class Query(BaseModel):
    """What to screen: a name and optional facts that sharpen the match."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    kind: EntityKind | None = None  # None = any
    country: str | None = None  # ISO alpha-2 (or a country name; mapped)
    birth_date: str | None = None  # "1978-01-28", "1978-01" or "1978"
    id: str | None = None  # an identifier: IMO, INN, OGRN, BIC, passport, ...
    ref: str | None = None  # the caller's own reference for this query (batch row id)

    @field_validator("birth_date")
    @classmethod
    def _birth_date(cls, v: str | None) -> str | None:
        if v is None or not v.strip():
            return None
        v = v.strip()
        parts = v.split("-")
        try:
            if len(parts) == 1 and len(v) == 4:
                date(int(v), 1, 1)
            elif len(parts) == 2:
                date(int(parts[0]), int(parts[1]), 1)
            elif len(parts) == 3:
                date.fromisoformat(v)
            else:
                raise ValueError
        except ValueError as exc:
            raise ValueError(f"birth_date {v!r} is not YYYY, YYYY-MM or YYYY-MM-DD") from exc
        return v


class TokenPair(BaseModel):
    """One query token aligned with one list token."""

    query: str
    list: str | None
    similarity: float
    weight: float


class Feature(BaseModel):
    """One named feature of a hit: its value, its published weight, its contribution."""

    name: str
    value: float
    weight: float
    contribution: float
    detail: dict[str, Any] = Field(default_factory=dict)


class Explanation(BaseModel):
    query_name: str
    query_tokens: list[str]
    list_name: str
    list_tokens: list[str]
    name_type: str
    token_pairs: list[TokenPair]
    features: list[Feature]


class Hit(BaseModel):
    entity_id: str
    source: str
    list_name: str | None
    matched_name: str
    caption: str
    kind: str
    score: float
    alert: bool
    explanation: Explanation


class QueryResult(BaseModel):
    query: Query
    normalized: list[str]
    list_versions: dict[str, int]
    hits: list[Hit]
    warnings: list[str] = Field(default_factory=list)
    error: str | None = None

    @property
    def alert(self) -> bool:
        return any(h.alert for h in self.hits)


#: models built by :func:`trusted` (checked by tests: no aliases, validators, defaults
#: left out or private attributes, so a validated instance has the same four attributes)
TRUSTED = (TokenPair, Feature, Explanation, Hit, QueryResult)

_object_setattr = object.__setattr__


def trusted_py(
    cls: type[_M], values: dict[str, Any], fields_set: Iterable[str] | None = None
) -> _M:
    """``cls.model_validate(values)`` without the validation, for values the matcher built
    with the field types already (plain ``str``/``float``/``bool``/``list``/``dict`` and
    the nested models built here): the same ``__dict__`` (every field, in field order),
    fields set (``fields_set``: those given, when others keep their default), no extra and
    no private attributes, so the same equality, dumps and JSON.
    What :meth:`BaseModel.model_construct` does, without its per-field alias lookups.
    ``values`` becomes the instance's ``__dict__`` (not copied)."""
    m = cls.__new__(cls)
    _object_setattr(m, "__dict__", values)
    _object_setattr(m, "__pydantic_fields_set__", set(values if fields_set is None else fields_set))
    _object_setattr(m, "__pydantic_extra__", None)
    _object_setattr(m, "__pydantic_private__", None)
    return m


def token_pairs_py(pairs: Iterable[tuple[str, str | None, float, float]]) -> list[TokenPair]:
    """The explanation's token pairs of (query, list, similarity, weight) tuples, the
    numbers rounded to 4 places."""
    return [
        trusted_py(
            TokenPair, {"query": a, "list": b, "similarity": round(s, 4), "weight": round(w, 4)}
        )
        for a, b, s, w in pairs
    ]


def str_list_py(items: Iterable[str]) -> list[str]:
    """``list(items)``: a list of strings of a result (the compiled twin leaves it untracked
    by the cyclic collector, which has nothing to find in it)."""
    return list(items)


def round4_py(x: float) -> float:
    """``round(x, 4)``: how the numbers of a result are rounded."""
    return round(x, 4)


#: :func:`round4_py`, by the compiled kernel when it is built (the same float, a fast path
#: for the common case; the builtin's work is a good part of building a result)
round4: Callable[[float], float] = round4_py if _kernel is None else _kernel.round4

#: :func:`trusted_py` and :func:`token_pairs_py`, by the compiled kernel when it is built
#: (the same objects; a result has dozens of them, so their construction is a good part
#: of a batch's time)
trusted = trusted_py if _kernel is None else _kernel.trusted
token_pairs: Callable[[Iterable[tuple[str, str | None, float, float]]], list[TokenPair]] = (
    token_pairs_py if _kernel is None else partial(_kernel.token_pairs, TokenPair)
)
str_list: Callable[[Iterable[str]], list[str]] = (
    str_list_py if _kernel is None else _kernel.str_list
)
