"""The compiled compact similarity (``_kernel.compact_joined``, also what the kernel's
``best_alignment`` computes inline) gives the same floats as its Python twin
:func:`stopship.match.features.compact_joined` (rapidfuzz's Indel similarity)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stopship.match import features
from stopship.match import weights as W

needs_kernel = pytest.mark.skipif(
    features._kernel is None, reason="the compiled kernel is not built (no C compiler?)"
)

_LETTERS = "abcdeiklmnorsuyéшщ中"


def _edited(rng: random.Random, text: str) -> str:
    """``text`` with a few random deletions, insertions and substitutions."""
    out = list(text)
    for _ in range(rng.randint(0, 4)):
        op = rng.random()
        if op < 0.3 and out:
            del out[rng.randrange(len(out))]
        elif op < 0.6:
            out.insert(rng.randint(0, len(out)), rng.choice(_LETTERS))
        elif out:
            out[rng.randrange(len(out))] = rng.choice(_LETTERS)
    return "".join(out)


def _both(a: str, b: str, strict: bool) -> tuple[float | None, float]:
    kernel = features._kernel
    assert kernel is not None
    return kernel.compact_joined(a, b, strict, W.COMPACT_MIN_LEN), features.compact_joined(
        a, b, strict
    )


@needs_kernel
def test_compact_kernel_matches_python_on_near_spellings() -> None:
    """Random strings and their near spellings (most reach the 0.9 floor), in narrow and
    wide code points, around the minimum length, strict or not."""
    rng = random.Random(7)
    fuzzy = 0
    for _ in range(20_000):
        alphabet = _LETTERS[: rng.randint(2, len(_LETTERS))]
        a = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        b = _edited(rng, a) if rng.random() < 0.8 else _edited(rng, a[::-1])
        strict = rng.random() < 0.1
        got, want = _both(a, b, strict)
        assert type(got) is float
        assert got == want, (a, b, strict)
        fuzzy += 0.0 < want < 1.0
    assert fuzzy > 1_000  # the Indel similarity itself was compared, not only the floor


@needs_kernel
@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="abcab\u00e9", max_size=30), st.text(alphabet="abcab\u00e9", max_size=30))
def test_compact_kernel_matches_python(a: str, b: str) -> None:
    for strict in (False, True):
        got, want = _both(a, b, strict)
        assert got == want


@needs_kernel
def test_compact_kernel_on_names_and_long_strings() -> None:
    pairs = [
        ("alabugadevelopment", "alabugadevelopmen"),
        ("alabugadevelopment", "alabugadevelopment"),
        ("mikhailvasilyevichklukin", "mikhailvasilevichklukin"),
        ("rosoboronexport", "rosoboroneksport"),
        ("rosoboronexport", "orsoboronexport"),
        ("a" * 600, "a" * 599),  # longer than the kernel's table: the Python code runs
        ("ab" * 200, "ab" * 199 + "b"),
    ]
    kernel = features._kernel
    assert kernel is not None
    for a, b in pairs:
        got = kernel.compact_joined(a, b, False, W.COMPACT_MIN_LEN)
        want = features.compact_joined(a, b, False)
        assert got is None if max(len(a), len(b)) > 512 else got == want, (a, b)


@needs_kernel
def test_compact_kernel_declines_unusual_types() -> None:
    kernel = features._kernel
    assert kernel is not None

    class Word(str):
        pass

    assert kernel.compact_joined(Word("alabugadev"), "alabugadev", False, 9) is None
    assert kernel.compact_joined("alabugadev", "alabugadev", 0, 9) is None
    assert kernel.compact_joined("alabugadev", "alabugadev", False, 9.0) is None
    assert kernel.compact_joined("alabugadev", "alabugadev", False, 1) is None
    with pytest.raises(TypeError):
        kernel.compact_joined("a", "b", False)  # type: ignore[call-arg]
