"""Unicode, scripts, transliteration and legal forms: names to comparable keys."""

from stopship.normalize.frequency import TokenStats
from stopship.normalize.name import (
    MAX_NAME_LENGTH,
    NormalizedName,
    Token,
    normalize_name,
    normalize_name_or_none,
)
from stopship.normalize.text import clean
from stopship.normalize.translit import ascii_fold, latin_variants, skeleton

__all__ = [
    "MAX_NAME_LENGTH",
    "NormalizedName",
    "Token",
    "TokenStats",
    "ascii_fold",
    "clean",
    "latin_variants",
    "normalize_name",
    "normalize_name_or_none",
    "skeleton",
]
