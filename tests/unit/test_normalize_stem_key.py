"""``glossary.stem_key`` by ending length gives what the loop over every ending gave."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from stopship.normalize import glossary
from stopship.normalize.glossary import stem_key


def _reference_stem_key(token: str) -> str:
    """``stem_key`` before the look-up by ending length: the first of ``_ENDINGS``
    (longest first) that ends the token and leaves a stem of ``_MIN_STEM`` letters."""
    for end in glossary._ENDINGS:
        if token.endswith(end) and len(token) - len(end) >= glossary._MIN_STEM:
            return glossary._fold(token[: -len(end)])
    return glossary._fold(token)


@settings(max_examples=3000, deadline=None)
@given(
    stem=st.text(alphabet="abeiknosyjhz", max_size=7),
    ending=st.one_of(st.just(""), st.sampled_from(sorted(glossary._ENDINGS))),
)
def test_stem_key_is_the_reference(stem: str, ending: str) -> None:
    token = stem + ending
    assert stem_key(token) == _reference_stem_key(token)


def test_stem_key_of_every_ending_alone_and_after_short_stems() -> None:
    for end in glossary._ENDINGS:
        for stem in ("", "a", "ab", "abc", "zavod", "sky"):
            assert stem_key(stem + end) == _reference_stem_key(stem + end)
