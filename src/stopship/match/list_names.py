"""The names a list entry writes inside one published name.

Publishers sometimes put an alias, a former or birth name, or a remark inside a name
instead of in a name of its own: the EU writes "Jamil (a.k.a. Jameel) HASSAN", "Serhii
Anatoliyovych ZDRILIUK (a.k.a. Abwehr)", "Sardana Vladimirovna AVKSENTYEVA, née GOGOLEVA",
"Kirsanova or Selyun", "PSB Bank (formerly. PROMSVYAZBANK)". Compared as published, the
remark's words count as name words the query lacks, and the alias is never compared on
its own. :func:`inline_names` gives the names written there, each as the list would have
published it on its own; the matcher indexes them beside the published name (hits still
show the published name).
"""

from __future__ import annotations

import re
from functools import lru_cache

#: words that introduce another name of the same party ("a.k.a.", "formerly known as",
#: "née"); written case-insensitively, with or without dots
_MARKER = (
    r"(a\.?\s?k\.?\s?a\.?|also\s+known\s+as|alias|f\.?\s?k\.?\s?a\.?"
    r"|formerly(?:\s+known\s+as)?\.?|previously(?:\s+known\s+as)?|n[ée]e\.?|or)"
)
#: a bracket that starts with a marker: "(a.k.a. Jameel)", "(formerly known as Yasa Part)"
_BRACKET = re.compile(rf"\s*[(\[]\s*{_MARKER}\s+([^()\[\]]+?)\s*[)\]]", re.IGNORECASE)
#: a remark in brackets that names nothing: "(as previously listed)", "(born in 1971 ...)"
_REMARK = re.compile(
    r"\s*[(\[]\s*(?:as\s+previously\s+listed|previously\s+listed(?:\s+as)?"
    r"|born\b[^()\[\]]*)\s*[)\]]",
    re.IGNORECASE,
)
#: "born" outside brackets ends the name: a birth name, date or place follows
#: ("GOGIASHVILI - born ФИЛИППОВА", "Akhund born in 1963")
_BORN = re.compile(r"[\s,;-]+born\b.*$", re.IGNORECASE | re.DOTALL)
#: a marker between two names outside brackets: "Kirsanova or Selyun", "X, née Y",
#: "PJSC KAMAZ alias KAMAZ PTC", "X'; a.k.a. 'Y"
_BETWEEN = re.compile(rf"[\s,;'‘’]+{_MARKER}\s+(?![^()\[\]]*[)\]])", re.IGNORECASE)
#: the quotation marks and separators that may wrap a name: "(aka ‘ISIS Hunters’)"
_QUOTES = " \t'\"‘’“”«»,;:-"
#: markers after which a one-word alias is a birth surname, not a spelling of a word
_NEE = re.compile(r"n[ée]e", re.IGNORECASE)
#: markers after which one word is another spelling of the last word ("or") or a birth
#: surname ("née")
_SPELLING = re.compile(r"or|n[ée]e", re.IGNORECASE)


def _tidy(text: str) -> str:
    return " ".join(text.split()).strip(_QUOTES)


def _expand_brackets(segment: str) -> tuple[str, list[str]]:
    """A name with its marker brackets removed, and the names its brackets stand for: a
    one-word alias in the middle of a name replaces the word before it ("Jamil (a.k.a.
    Jameel) HASSAN" -> "Jameel HASSAN"); one at the end of a name is a nickname, a short
    or a former name ("ZDRILIUK (a.k.a. Abwehr)", "PSB Bank (formerly PROMSVYAZBANK)")
    and replaces nothing; an alias of two words or more is a name of its own. Aliases
    separated by commas or "or" count each."""
    pieces: list[str] = []
    slots: list[tuple[int, str, bool]] = []  # (index of the word before, aliases, at end)
    last = 0
    words = 0
    for m in _BRACKET.finditer(segment):
        before = segment[last : m.start()]
        pieces.append(before)
        words += len(before.split())
        at_end = not segment[m.end() :].strip(_QUOTES)
        slots.append((words - 1, m.group(2), at_end))
        last = m.end()
    pieces.append(segment[last:])
    base = _tidy(" ".join(pieces))
    base_words = base.split()
    out: list[str] = []
    for at, aliases, at_end in slots:
        for item in re.split(r",|\s+or\s+", aliases):
            alias = _tidy(item)
            if not alias:
                continue
            if len(alias.split()) >= 2:
                out.append(alias)
            elif 0 <= at < len(base_words) and not at_end:
                out.append(" ".join([*base_words[:at], alias, *base_words[at + 1 :]]))
    return base, out


@lru_cache(maxsize=100_000)
def inline_names(value: str) -> tuple[str, ...]:
    """The names written inside the published name ``value``, other than itself: the
    name without its remarks and aliases, and each alias as a name (see the module).
    Each has two words or more, unless the published name is only one-word names joined
    by markers ("Kirsanova or Selyun", "DOBROLET a.k.a. DOBROLYOT"). Empty when there
    is nothing to split."""
    text = _BORN.sub("", _REMARK.sub(" ", value))
    bits = _BETWEEN.split(text)
    if text == value and len(bits) == 1 and not _BRACKET.search(text):
        return ()
    # bits: name, marker, name, marker, name ...
    segments = [bits[0], *bits[2::2]]
    markers = bits[1::2]
    main, out = _expand_brackets(segments[0])
    names = [main, *out]
    single = all(len(_tidy(s).split()) == 1 for s in segments) and len(segments) > 1
    main_words = main.split()
    for marker, seg in zip(markers, segments[1:], strict=True):
        base, more = _expand_brackets(seg)
        names.extend(more)
        if len(base.split()) >= 2 or single:
            names.append(base)
        elif base and len(main_words) >= 2 and _SPELLING.fullmatch(marker.strip(".")):
            # after "or" or "née", one word replaces the last: "Ali Saidi or Saeedi",
            # "AVKSENTYEVA, née GOGOLEVA" (the birth surname); after "a.k.a." it is a
            # short name or a nickname ("... Proektirovania aka ASP")
            names.append(" ".join([*main_words[:-1], base]))
    if single and any(_NEE.fullmatch(m.strip(".")) for m in markers):
        return ()  # "Zeinab NEE. SUMA": a given name and a birth surname, no name alone
    clean = [_tidy(n) for n in names]
    keep = [n for n in clean if n and (len(n.split()) >= 2 or single)]
    return tuple(dict.fromkeys(n for n in keep if n != _tidy(value)))
