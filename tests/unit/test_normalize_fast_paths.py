"""Shortcuts of the normaliser give what the code they skip gives."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from stopship.normalize import text as text_module
from stopship.normalize import translit


def test_printable_text_without_invisibles_is_kept_whole() -> None:
    """Every code point that passes _strip_chars' shortcut (printable, none of the
    invisible characters printable text may hold) is one its loop keeps: the loop treats
    each character alone, so a text of such characters comes out as it went in."""
    passed = 0
    for cp in range(0x110000):
        ch = chr(cp)
        if ch.isprintable() and not text_module._PRINTABLE_INVISIBLE.search(ch):
            cat = unicodedata.category(ch)
            assert cat not in ("Cs", "Cc", "Co", "Cn"), hex(cp)
            assert not text_module._is_invisible(ch, cat), hex(cp)
            passed += 1
    assert passed > 100_000


def _strip_reference(value: str) -> tuple[str, list[str], list[str]]:
    """text._strip_chars as written before its shortcut took non-ASCII text."""
    warnings: list[str] = []
    obf: list[str] = []
    if value.isascii() and value.isprintable():
        return value, warnings, obf
    out: list[str] = []
    n_sur = n_ctl = n_inv = n_pua = 0
    for ch in value:
        cat = unicodedata.category(ch)
        if cat == "Cs":
            n_sur += 1
        elif cat == "Cc":
            if ch in text_module._WHITESPACE_CC:
                out.append(" ")
            else:
                n_ctl += 1
        elif text_module._is_invisible(ch, cat):
            n_inv += 1
        elif cat in ("Co", "Cn"):
            n_pua += 1
        else:
            out.append(ch)
    if n_sur:
        warnings.append(f"removed {n_sur} invalid surrogate code point(s)")
    if n_ctl:
        warnings.append(f"removed {n_ctl} control character(s)")
    if n_pua:
        warnings.append(f"removed {n_pua} private-use or unassigned character(s)")
    if n_inv:
        obf.append("invisible characters")
    return "".join(out), warnings, obf


@settings(max_examples=1000, deadline=None)
@given(
    st.text(
        st.sampled_from(
            "aé Ж\u200b\ufe0f\u3164\u180e\u2028\u00a0\t\x00\x85\ud800\ue000\u0378ا\u0301"
        )
    )
)
def test_strip_chars_as_before(value: str) -> None:
    assert text_module._strip_chars(value) == _strip_reference(value)


def _skeleton_reference(value: str) -> str:
    """translit.skeleton as written before its words were cached."""
    words = []
    for w in value.split():
        s = translit._DOUBLES.sub(r"\1", translit._VOWELS.sub("", translit.skeleton_letters(w)))
        words.append(s or w[:1])
    return " ".join(words)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.text(st.sampled_from("aeiouywdjchqvkmsbtl"), max_size=9), max_size=5))
def test_skeleton_per_word_cache(words: list[str]) -> None:
    value = "  ".join(words) + " "
    assert translit.skeleton(value) == _skeleton_reference(value)
    assert translit.skeleton(value) == _skeleton_reference(value)  # from the cache
