"""Stub of the compiled kernel (``_kernel.c``); each function returns None when its
arguments are not the plain types it handles, and the caller runs the Python code."""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from pydantic import BaseModel

_M = TypeVar("_M", bound=BaseModel)

def align_core(
    q: tuple[str, ...],
    qw: list[float],
    c: tuple[str, ...],
    cw: list[float],
    cf: list[float | None],
    strict: bool,
    rows: list[dict[str, float]] | None,
    token_similarity: Callable[..., float],
    /,
) -> tuple[float, float, float, list[tuple[int, int, float]]] | None: ...
def best_alignment(
    qdata: list[
        tuple[
            tuple[str, ...],
            str,
            list[float],
            tuple[list[dict[str, float]], list[dict[str, float]]],
            list[float],
        ]
    ],
    variants: tuple[tuple[tuple[str, ...], str, list[float], list[float | None]], ...],
    strict: bool,
    bare_person: bool,
    compact_min: int,
    compact_joined: Callable[[str, str, bool], float],
    token_similarity: Callable[..., float],
    /,
) -> tuple[float, float, float, list[tuple[int, int, float]], float, int, int] | None: ...
def compact_joined(a: str, b: str, strict: bool, compact_min: int, /) -> float | None: ...
def walk_neighbours(
    token: str,
    keys: frozenset[str],
    neighbours: dict[str, list[int]],
    tokens: list[str],
    found: dict[int, float],
    token_similarity: Callable[[str, str], float],
    /,
) -> bool: ...
def token_similarity(
    a: str,
    b: str,
    strict: bool,
    same_given_name: Callable[[str, str], bool],
    same_meaning: Callable[[str, str], bool],
    phonetic: Callable[[str], str],
    /,
) -> float | None: ...
def similarity(
    a: str,
    b: str,
    strict: bool,
    name_key: Callable[[str], tuple[str, int] | None],
    concepts: Callable[[str], frozenset[str]],
    phonetic: Callable[[str], str],
    /,
) -> float | None: ...
def similarity_constants(
    initial: float,
    exact_only_len: int,
    first_letter_penalty: float,
    phonetic: float,
    translation: float,
    match_min: float,
    weak: float,
    /,
) -> None: ...
def trusted(
    cls: type[_M], values: dict[str, Any], fields_set: Iterable[str] | None = None, /
) -> _M: ...
def str_list(items: Iterable[str], /) -> list[str]: ...
def token_pairs(
    cls: type[_M], pairs: Iterable[tuple[str, str | None, float, float]], /
) -> list[_M]: ...
def retrieve_variant(
    per_token: list[list[tuple[int, float]]],
    followable: list[bool],
    weights: list[float],
    total: float,
    postings: list[list[int]],
    common: list[tuple[float, list[tuple[frozenset[int], float]]]],
    headroom: float,
    floor: float,
    compact: list[int] | tuple[()],
    best: dict[int, float],
    /,
) -> bool: ...

class PairMemo:
    """match.memo.PairMemoPy in C."""

    fn: Callable[..., float]
    maxsize: int
    def __init__(self, fn: Callable[..., float], maxsize: int) -> None: ...
    def __call__(self, a: str, b: str, strict: bool = False, /) -> float: ...
    def cache_clear(self) -> None: ...
    def size(self) -> int: ...
    def row(self, a: str, strict: bool, /) -> dict[str, float]: ...

def round4(x: float, /) -> float: ...
def name_keys(
    spellings: tuple[tuple[str, ...], ...],
    letters_min: int,
    letters_max: int,
    words_max: int,
    /,
) -> tuple[tuple[str, ...], tuple[str, ...]] | None: ...
def phonetic(token: str, pairs: tuple[tuple[str, str], ...], /) -> str | None: ...
def alignment_token_pairs(
    cls: type[_M],
    q: tuple[str, ...],
    c: tuple[str, ...],
    qw: list[float],
    order: list[tuple[int, int, float]],
    /,
) -> list[_M] | None: ...
def alignment_pairs(
    q: tuple[str, ...],
    c: tuple[str, ...],
    qw: list[float],
    order: list[tuple[int, int, float]],
    /,
) -> tuple[tuple[str, str | None, float, float], ...] | None: ...
def features(
    cls: type[_M],
    kinds: dict[str, float],
    q_cov: float,
    c_cov: float,
    name_score: float,
    winner: str,
    secondary: list[tuple[str, float, float, float, dict[str, object]]],
    /,
) -> list[_M] | None: ...
