"""Helpers shared by the benchmark scripts (not part of the stopship package).

Deliberately independent of ``stopship.normalize``: the evaluation must not be defined by
the code it measures.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
OUT_DIR = BENCH_DIR / "out"
DEFAULT_HOME = OUT_DIR / "home"
DEFAULT_LISTS = Path(os.environ.get("STOPSHIP_LISTS", "/work/shared/lists"))


def norm_key(text: str) -> frozenset[str]:
    """Simple normalisation: NFKC, casefold, punctuation removed, token set."""
    text = unicodedata.normalize("NFKC", text).casefold()
    chars = [ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in text]
    return frozenset("".join(chars).split())


def _letters(text: str) -> list[str]:
    # modifier letters (Lm: ʻ ʼ ˈ ...) are transliteration marks, not a script of their own
    return [ch for ch in text if unicodedata.category(ch) in ("Lu", "Ll", "Lt", "Lo")]


def is_latin(text: str) -> bool:
    """True when the text has letters and every letter is a Latin letter."""
    letters = _letters(text)
    if not letters:
        return False
    return all(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)


def has_non_latin(text: str) -> bool:
    """True when the text has at least one letter that is not Latin."""
    return any(not unicodedata.name(ch, "").startswith("LATIN") for ch in _letters(text))


@lru_cache(maxsize=1)
def _translit() -> object:
    import icu

    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


def latin_key(text: str) -> frozenset[str]:
    """Token set after ICU "Any-Latin; Latin-ASCII", casefold, punctuation removed."""
    tr = _translit()
    return norm_key(tr.transliterate(text))  # type: ignore[attr-defined]


def latin_letters(text: str) -> str:
    """The letters and digits of a name after ICU "Any-Latin; Latin-ASCII", casefolded, in
    order, without spaces or punctuation ("马小红" and "MA, Xiaohong" both give
    "maxiaohong")."""
    tr = _translit()
    out = unicodedata.normalize("NFKC", tr.transliterate(text)).casefold()  # type: ignore[attr-defined]
    return "".join(ch for ch in out if ch.isalnum())


def store_url(home: Path) -> str:
    return f"sqlite:///{home / 'stopship.db'}"


def ensure_store(home: Path, lists: Path = DEFAULT_LISTS) -> str:
    """The store URL for ``home``; runs ``stopship lists update --from lists`` when empty."""
    from stopship.store import Store

    home.mkdir(parents=True, exist_ok=True)
    url = store_url(home)
    store = Store(url)
    try:
        count = store.entity_count()
    finally:
        store.close()
    if count == 0:
        exe = Path(sys.executable).with_name("stopship")
        cmd = [str(exe), "lists", "update", "--from", str(lists)]
        print(f"store in {home} is empty: running {' '.join(cmd)}", file=sys.stderr)
        env = dict(os.environ, STOPSHIP_HOME=str(home))
        env.pop("STOPSHIP_DB_URL", None)
        subprocess.run(cmd, check=True, env=env)
    return url


def percentile(values: Iterable[float], p: float) -> float:
    data = sorted(values)
    if not data:
        return float("nan")
    k = (len(data) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(data) - 1)
    return data[lo] + (data[hi] - data[lo]) * (k - lo)
