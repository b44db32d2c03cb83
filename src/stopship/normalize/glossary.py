"""English readings of organisation names written in Cyrillic.

The lists often carry a Russian or Belarusian organisation under its English name only
("Bryansk Automobile Plant") while a counterparty writes it in Cyrillic ("Брянский
Автомобильный Завод"). Transliteration cannot bridge that; a small glossary of
organisation words can: :func:`english_readings` turns the transliterated tokens
``bryanskiy avtomobilnyy zavod`` into ``bryansk automobile plant`` (and ``bryan ...``,
for adjectives of places whose name has no "-sk"). The readings are extra spellings
to compare; the name as written is always compared as well.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

#: grammatical endings of transliterated Russian/Belarusian/Ukrainian words, longest first
_ENDINGS = tuple(
    sorted(
        [
            "yy",
            "iy",
            "yi",
            "ii",
            "oy",
            "oi",
            "aya",
            "aia",
            "oe",
            "oye",
            "ye",
            "ie",
            "iye",
            "ogo",
            "ego",
            "omu",
            "emu",
            "ym",
            "im",
            "om",
            "em",
            "ykh",
            "ikh",
            "uyu",
            "iuiu",
            "yu",
            "iu",
            "ya",
            "ia",
            "yj",
            "ij",
            "yya",
            "a",
            "o",
            "e",
            "i",
            "y",
            "u",
        ],
        key=len,
        reverse=True,
    )
)
#: endings of adjectives made from place names ("bryanskiy" <- Bryansk)
_PLACE_ADJECTIVE = tuple(
    sorted(
        [
            "skiy",
            "skii",
            "skaya",
            "skaia",
            "skoe",
            "skoye",
            "skogo",
            "skoy",
            "skoi",
            "sky",
            "ski",
            "skaja",
            "skij",
            "skiye",
            "skie",
        ],
        key=len,
        reverse=True,
    )
)
_MIN_STEM = 3


def stem_key(token: str) -> str:
    """The lookup key of a transliterated word: its grammatical ending removed, and
    ``y`` read as ``i`` (the spelling schemes differ there: "predpriyatie"/"predpriiatie")."""
    for end in _ENDINGS:
        if token.endswith(end) and len(token) - len(end) >= _MIN_STEM:
            token = token[: -len(end)]
            break
    return token.replace("y", "i").replace("j", "i")


@lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[str, ...]]:
    """stem key (two keys with a space for a two-word term) -> English tokens (empty:
    the word is left out of the reading)."""
    raw = json.loads(
        resources.files("stopship.data").joinpath("glossary_ru_en.json").read_text("utf-8")
    )
    return {
        " ".join(stem_key(w) for w in k.split()): tuple(v.split()) for k, v in raw["words"].items()
    }


def _place_stem(token: str) -> str | None:
    for end in _PLACE_ADJECTIVE:
        if token.endswith(end) and len(token) - len(end) >= _MIN_STEM:
            return token[: -len(end)]
    return None


@lru_cache(maxsize=100_000)
def english_readings(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Up to two English readings of transliterated tokens, or none when no word of the
    glossary (and no adjective of a place) is among them."""
    words = glossary()
    with_sk: list[str] = []
    bare: list[str] = []
    changed = places = False
    keys = [stem_key(t) for t in tokens]
    skip = False
    for i, t in enumerate(tokens):
        if skip:
            skip = False
            continue
        got = words.get(f"{keys[i]} {keys[i + 1]}") if i + 1 < len(tokens) else None
        skip = got is not None  # a two-word term ("sudostroitelnyy zavod" = "shipyard")
        if got is None:
            got = words.get(keys[i])
        if got is not None:
            with_sk.extend(got)
            bare.extend(got)
            changed = True
            continue
        place = _place_stem(t)
        if place is not None:
            with_sk.append(place + "sk")
            bare.append(place)
            changed = places = True
            continue
        with_sk.append(t)
        bare.append(t)
    if not changed or not with_sk:
        return ()
    if places and bare != with_sk:
        return (tuple(with_sk), tuple(bare))
    return (tuple(with_sk),)
