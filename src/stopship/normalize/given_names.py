"""One name in Russian, Ukrainian and Belarusian forms: "Volodymyr" is "Vladimir",
"Siarhei" is "Sergey", "Olena" is "Elena", and so are the patronymics made from them
("Serhiiovych" is "Sergeevich"). Edit distance cannot see that (Volodymyr and Vladimir
are four edits apart), so the forms are listed (``data/given_names.json``)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

#: patronymic endings (male and female; Russian, Ukrainian, Belarusian spellings)
_PATRONYMIC_ENDINGS = tuple(
    sorted(
        [
            "ovych",
            "evych",
            "ovich",
            "evich",
            "ievich",
            "yevich",
            "ivich",
            "avich",
            "ovna",
            "evna",
            "ivna",
            "yivna",
            "iivna",
            "auna",
            "eyevna",
            "ievna",
        ],
        key=len,
        reverse=True,
    )
)


@lru_cache(maxsize=1)
def _data() -> tuple[dict[str, int], tuple[tuple[str, ...], ...]]:
    raw = json.loads(
        resources.files("stopship.data").joinpath("given_names.json").read_text("utf-8")
    )
    groups = tuple(tuple(dict.fromkeys(g)) for g in raw["groups"])
    index: dict[str, int] = {}
    for i, group in enumerate(groups):
        for form in group:
            index.setdefault(form, i)
    return index, groups


@lru_cache(maxsize=100_000)
def name_key(token: str) -> tuple[str, int] | None:
    """("given", group) for a listed given name, ("patronymic", group) for a patronymic
    made from one ("serhiiovych", "sergeevich" -> the group of Sergey), else None."""
    index, _ = _data()
    group = index.get(token)
    if group is not None:
        return ("given", group)
    for end in _PATRONYMIC_ENDINGS:
        if token.endswith(end) and len(token) - len(end) >= 3:
            stem = token[: -len(end)]
            for cand in (stem, stem + "y", stem + "i", stem + "iy", stem + "ii", stem[:-1]):
                group = index.get(cand)
                if group is not None:
                    return ("patronymic", group)
            return None
    return None


def same_given_name(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` are forms of one listed given name, or patronymics made
    from one."""
    ka = name_key(a)
    return ka is not None and ka == name_key(b)


def given_name_forms(token: str) -> tuple[str, ...]:
    """The other listed forms of a given name (empty when it is not listed)."""
    index, groups = _data()
    group = index.get(token)
    if group is None:
        return ()
    return tuple(f for f in groups[group] if f != token)
