"""The compiled similarity remembers the per-token look-ups it calls back (phonetic key,
given-name key, concepts) per function object: the same numbers as the Python
similarity, first and again, and a function passed in place of another is called, not
answered from the other's memo."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stopship.match import features
from stopship.normalize.given_names import name_key
from stopship.normalize.glossary import concepts

kernel = features._kernel
needs_kernel = pytest.mark.skipif(kernel is None, reason="the compiled kernel is not built")

WORDS = ["volodymyr", "vladimir", "sergeevich", "siargeevich", "zavod", "plant", "fund",
         "foundation", "aleksandr", "alexandr", "babichenko", "belichenko", "mohammad",
         "muhammad", "holdings", "holdyngz", "ivan", "ivanov", "a", "al", "trading"]  # fmt: skip
token = st.one_of(
    st.sampled_from(WORDS), st.text(alphabet="abcehiklmnorsvyz", min_size=1, max_size=12)
)


@needs_kernel
@settings(max_examples=2000, deadline=None)
@given(a=token, b=token, strict=st.booleans())
def test_similarity_is_the_python_similarity_first_and_again(a: str, b: str, strict: bool) -> None:
    assert kernel is not None
    want = features.token_similarity_py(a, b, strict)
    for _ in range(2):  # the second time the look-ups are remembered
        got = kernel.similarity(a, b, strict, name_key, concepts, features.phonetic)
        assert got is None or got == want, (a, b, strict)


def _one_name(_token: str) -> tuple[str, int] | None:
    return ("given", 1)  # every token a form of one given name


def _meaning(_token: str) -> frozenset[str]:
    return frozenset({"x"})  # every token one meaning


def _same(_a: str, _b: str) -> bool:
    return True


def _never(_a: str, _b: str) -> bool:
    return False


@needs_kernel
@pytest.mark.parametrize(("a", "b"), [("kovalenko", "petrenkov"), ("ivanov", "zakharov")])
def test_a_function_passed_for_another_is_called(a: str, b: str) -> None:
    assert kernel is not None
    ph: Callable[[str], str] = features.phonetic
    real = kernel.similarity(a, b, False, name_key, concepts, ph)
    assert real == kernel.token_similarity(a, b, False, _never, _never, ph)
    for _ in range(2):
        lifted = kernel.similarity(a, b, False, _one_name, concepts, ph)
        assert lifted == kernel.token_similarity(a, b, False, _same, _never, ph)
        assert lifted is not None and real is not None and lifted > real
        meant = kernel.similarity(a, b, False, name_key, _meaning, ph)
        assert meant == kernel.token_similarity(a, b, False, _never, _same, ph)
        assert meant == features.W.TRANSLATION_SIMILARITY
        assert kernel.similarity(a, b, False, name_key, concepts, ph) == real
    # another phonetic key: every token the same sound
    same_sound = kernel.similarity(a, b, False, name_key, concepts, lambda _t: "k")
    assert same_sound == kernel.token_similarity(a, b, False, _never, _never, lambda _t: "k")
    assert kernel.similarity(a, b, False, name_key, concepts, ph) == real
