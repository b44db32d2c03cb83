"""The entry point: any name, in any script, to comparable ASCII Latin tokens."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from stopship.errors import InputError
from stopship.normalize.glossary import concepts
from stopship.normalize.legal_forms import Phrase, PhraseMatch, vocabulary
from stopship.normalize.scripts import COMMON, text_script
from stopship.normalize.text import CleanResult, clean_detail, fold_all_confusables
from stopship.normalize.translit import cyrillic_language, token_schemes

MAX_NAME_LENGTH = 1000
MAX_VARIANTS = 5
NAME_KINDS = frozenset({"name", "number"})
_AFFIX_SCRIPTS = frozenset({"Hani", "Hang", "Hira", "Kana"})
_RANKS = frozenset({"general", "colonel", "captain"})


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # ASCII Latin, lower case (original characters only in a fallback)
    kind: str  # "name" | "legal_form" | "honorific" | "generic" | "number"
    canonical: str  # "llc", "jsc", "haji", ... for typed tokens; else the text
    source_script: str  # ISO 15924 of the characters it came from


@dataclass(frozen=True, slots=True)
class NormalizedName:
    original: str
    cleaned: str  # clean() output, still in its own script(s)
    script: str  # dominant ISO 15924 script of the cleaned text
    tokens: tuple[Token, ...]  # the primary spelling, every token typed
    variants: tuple[tuple[str, ...], ...]  # name/number tokens per spelling; [0] primary
    fallback: bool = False
    fallback_reason: str | None = None
    warnings: tuple[str, ...] = ()  # removed surrogates / control characters ...
    obfuscation: tuple[str, ...] = ()  # "invisible characters", "confusable letters", ...

    @property
    def key(self) -> str:
        """Primary name tokens joined by a space (all tokens when none is a name)."""
        if self.variants and self.variants[0]:
            return " ".join(self.variants[0])
        return " ".join(t.text for t in self.tokens)

    @property
    def name_tokens(self) -> tuple[Token, ...]:
        return tuple(t for t in self.tokens if t.kind in NAME_KINDS)

    @property
    def legal_forms(self) -> frozenset[str]:
        """Canonical legal forms named (loose legal-form words name none)."""
        return frozenset(
            t.canonical
            for t in self.tokens
            if t.kind == "legal_form" and not t.canonical.startswith("?")
        )


@dataclass(slots=True)
class _Segment:
    text: str
    script: str
    schemes: tuple[str, ...]
    kind: str = "name"
    canonical: str = ""
    fallback: bool = False


def _empty_reason(original: str, warnings: tuple[str, ...], obfuscation: tuple[str, ...]) -> str:
    if not original:
        return "name is empty"
    if not original.strip():
        return "name is empty (whitespace only)"
    if "invisible characters" in obfuscation:
        return "name is empty after removing invisible characters"
    if warnings:
        return "name is empty after removing control or invalid characters"
    return "name has no letters or digits (only punctuation or symbols)"


def _script(text: str) -> str:
    if text.isascii():
        return "Latn" if any(c.isalpha() for c in text) else COMMON
    return text_script(text)


def _segments(cleaned: str) -> list[_Segment]:
    vocab = vocabulary()
    lang = None if cleaned.isascii() else cyrillic_language(cleaned)
    segs: list[_Segment] = []
    for tok in cleaned.split():
        script = (
            text_script(tok) if not tok.isascii() else ("Latn" if not tok.isdigit() else COMMON)
        )
        parts = vocab.split_affixes(tok) if script in _AFFIX_SCRIPTS else [tok]
        for part in parts:
            pscript = text_script(part) if part is not tok else script
            schemes = token_schemes(part, pscript, lang)
            if not schemes[0]:
                segs.append(_Segment(part, pscript, (part,), fallback=True))
            else:
                segs.append(_Segment(part, pscript, schemes))
    return segs


#: scripts written without short vowels: a transliterated word is mostly consonants and
#: meets short Latin spellings by chance ("عمر" Omar -> "mr", the honorific Mr)
_VOWELLESS = frozenset({"Arab", "Hebr", "Syrc", "Thaa"})


_TO_PERSIAN = str.maketrans({"\u064a": "\u06cc", "\u0649": "\u06cc", "\u0643": "\u06a9"})
_TO_ARABIC = str.maketrans({"\u06cc": "\u064a", "\u0649": "\u064a", "\u06a9": "\u0643"})


def _arabic_persian_spellings(text: str) -> tuple[str, ...]:
    """A word with its yeh and kaf written the Persian way, and the Arabic way."""
    return (text.translate(_TO_PERSIAN), text.translate(_TO_ARABIC))


def _keys(seg: _Segment) -> tuple[frozenset[str], str | None]:
    """The spellings a segment is looked up under in the phrase vocabulary, and the typo
    correction among them: its text and its transliterations; a Latin word written as is
    also under the legal-form word one edit away ("lmited" -> "limited"); a word in a
    script written without short vowels only as written (the vocabulary holds the native
    spellings of its phrases)."""
    if seg.script in _VOWELLESS:
        if seg.script == "Arab":
            # the Arabic and Persian letters of one sound (ي ى ی, ك ک) in either spelling:
            # the vocabulary writes a phrase one way ("حاجی"), a name the other ("حاجى")
            return frozenset((seg.text, *_arabic_persian_spellings(seg.text))), None
        return frozenset((seg.text,)), None
    if len(seg.schemes) == 1 and seg.schemes[0] == seg.text:
        fixed = vocabulary().correct(seg.text)
        return frozenset((seg.text,) if fixed is None else (seg.text, fixed)), fixed
    return frozenset((seg.text, *(s.replace(" ", "") for s in seg.schemes if s))), None


def _type_segments(segs: list[_Segment]) -> None:
    looked_up = [_keys(s) for s in segs]
    keys = [k for k, _fixed in looked_up]
    fixes = [fixed for _k, fixed in looked_up]
    cyrillic = [s.script == "Cyrl" and _cyrillic_short_form(s.text) for s in segs]
    for m in _accepted_matches(keys, fixes, cyrillic):
        for i in range(m.start, m.end):
            segs[i].kind = m.phrase.kind
            segs[i].canonical = m.phrase.canonical


def _is_word(keys: frozenset[str]) -> bool:
    """Whether a token (its spellings) is an English word of the organisation glossary
    ("intelligence", "directorate"), not a name."""
    return any(concepts(k) for k in keys)


def _cyrillic_short_form(text: str) -> bool:
    """Whether a word is a legal form of two Cyrillic letters ("ао", "уп") as written."""
    return len(text) == 2 and any(
        m.phrase.kind == "legal_form" for m in vocabulary().match([frozenset((text,))])
    )


def _accepted_matches(
    keys: list[frozenset[str]], fixes: list[str | None], cyrillic: list[bool] | None = None
) -> list[PhraseMatch]:
    """The phrase matches kept; ``fixes[i]`` is the typo correction among ``keys[i]``,
    ``cyrillic[i]`` whether the word is a Cyrillic legal form of two letters as written."""
    matches = vocabulary().match(keys)
    if not matches:
        return matches
    n = len(keys)
    has_legal = any(m.phrase.kind == "legal_form" for m in matches)
    lead = 0  # honorifics count only in the leading run, and not in company names
    accepted: list[PhraseMatch] = []
    for m in matches:
        kind = m.phrase.kind
        if kind == "honorific":
            if has_legal or m.start != lead or m.end >= n:
                continue
            if m.phrase.canonical in _RANKS and (n - m.end < 2 or _is_word(keys[m.end])):
                # "General Electric" is a company, "General Qasem Soleimani" not; nor is
                # "General Intelligence Directorate", whose next word is a word, no name
                continue
            lead = m.end
        elif (
            kind == "legal_form"
            and len(m.phrase.tokens) == 1
            and len(m.phrase.tokens[0]) <= 2
            and (n == 1 or (m.start != 0 and m.end != n))
            and (n == 1 or cyrillic is None or not cyrillic[m.start])
        ):
            # two-letter forms ("sa", "ag", "ao", "co") only at the start or end, but for
            # a Russian one written in Cyrillic, which is no word ("Акционерное общество
            # «Швабе» АО «Швабе»": Russian writes a name and its short form one after the
            # other; "ПТ", read "pt", is no Indonesian form there)
            continue
        accepted.append(m)
    return _loose_legal_words(keys, fixes, accepted)


#: canonical prefix of a loose legal-form word ("liability" outside its phrase): it is
#: typed as a legal form but names no particular one
LOOSE = "?"
#: words of multi-word legal forms that are ordinary name words on their own: outside
#: their phrase they stay names ("FREE DONBAS Inc.", "Innovio Ventures LLC",
#: "State Oil Company LLC")
NOT_LOOSE = frozenset(
    {
        "free", "zone", "venture", "public", "state", "open", "closed", "private",
        "individual", "federal", "enterprise", "establishment", "partnership", "polska",
        "unitary", "organizacia", "organizatsiia", "organizatsiya",
        # the words of a Russian state institution's form ("federal state budgetary
        # educational institution of higher education"): "Research Institute of Engines"
        "institute", "institution", "uchrezhdenie", "uchrezhdeniye", "ucrezdenie",
        "учреждение", "budget", "budgetary", "byudzhetnoe", "byudzhetnoye", "biudzhetnoe",
        "budzetnoe", "бюджетное", "education", "educational", "obrazovatelnoe",
        "obrazovatelnoye", "образовательное", "obrazovaniya", "obrazovaniia", "obrazovania",
        "образования", "higher", "vysshego", "vyssego", "высшего", "professional",
        "professionalnogo", "профессионального", "vocational", "science", "nauki", "науки",
        "autonomous", "avtonomnoe", "avtonomnoye", "автономное", "financed", "funded",
        "government", "treasury", "kazennoe", "kazennoye", "казенное",
    }
)  # fmt: skip


def _loose_legal_words(
    keys: list[frozenset[str]], fixes: list[str | None], accepted: list[PhraseMatch]
) -> list[PhraseMatch]:
    """Words of multi-word legal forms left outside a phrase by reordering or a dropped
    word ("LIABILITY COMPANY X", "STOCK JOINT COMPANY X") are legal-form words too, when
    the name has at least two legal-form words in all. Only as written: outside its
    phrase, a word one typo away from a legal-form word is a name ("KLASS", not the
    "khass" of "sahami khass")."""
    words = vocabulary().phrase_words - NOT_LOOSE
    covered = {i for m in accepted for i in range(m.start, m.end)}
    found = [(k - {f}) & words for k, f in zip(keys, fixes, strict=True)]
    loose = [(i, next(iter(sorted(w)))) for i, w in enumerate(found) if i not in covered and w]
    legal = sum(m.end - m.start for m in accepted if m.phrase.kind == "legal_form")
    if not loose or legal + len(loose) < 2 or len(loose) == len(keys):
        return accepted
    extra = [PhraseMatch(i, i + 1, Phrase((w,), "legal_form", LOOSE + w)) for i, w in loose]
    return sorted([*accepted, *extra], key=lambda m: m.start)


def _build_ascii(name: str, cr: CleanResult) -> NormalizedName:
    """Fast path: the cleaned text is ASCII, so it is its own (only) spelling."""
    words = cr.text.split()
    kinds = ["name"] * len(words)
    canon = list(words)
    vocab = vocabulary()
    fixes = [vocab.correct(w) for w in words]
    keys = [frozenset((w,) if f is None else (w, f)) for w, f in zip(words, fixes, strict=True)]
    for m in _accepted_matches(keys, fixes):
        for i in range(m.start, m.end):
            kinds[i] = m.phrase.kind
            canon[i] = m.phrase.canonical
    tokens = tuple(
        Token(
            w,
            "number" if k == "name" and w.isdigit() else k,
            c,
            "Latn" if not w.isdigit() else COMMON,
        )
        for w, k, c in zip(words, kinds, canon, strict=True)
    )
    primary = tuple(w for w, k in zip(words, kinds, strict=True) if k == "name")
    return NormalizedName(
        original=name,
        cleaned=cr.text,
        script=_script(cr.text),
        tokens=tokens,
        variants=(primary or tuple(words),),
        warnings=cr.warnings,
        obfuscation=cr.obfuscation,
    )


def _split(s: str) -> tuple[str, ...]:
    return tuple(s.split())


def _build(name: str) -> NormalizedName:
    if not isinstance(name, str):
        raise InputError(f"name must be text, not {type(name).__name__}")
    if len(name) > MAX_NAME_LENGTH:
        raise InputError(
            f"name is too long: {len(name):,} characters (the limit is {MAX_NAME_LENGTH:,})"
        )
    cr = clean_detail(name)
    if not cr.text or not any(c.isalnum() for c in cr.text):
        raise InputError(_empty_reason(name, cr.warnings, cr.obfuscation))
    if cr.text.isascii():
        return _build_ascii(name, cr)
    segs = _segments(cr.text)
    _type_segments(segs)

    tokens: list[Token] = []
    for seg in segs:
        words = _split(seg.schemes[0])
        if seg.kind not in NAME_KINDS and len(words) > 1 and seg.script in _AFFIX_SCRIPTS:
            words = ("".join(words),)  # 有限公司 -> one "youxiangongsi" token, not four
        for w in words:
            kind = seg.kind
            if kind == "name" and w.isdigit():
                kind = "number"
            canonical = seg.canonical if kind not in NAME_KINDS else w
            tokens.append(Token(w, kind, canonical, seg.script))

    name_segs = [s for s in segs if s.kind == "name"]
    n_schemes = max((len(s.schemes) for s in name_segs), default=1)
    seen: dict[tuple[str, ...], None] = {}
    for v in range(n_schemes):
        seq: list[str] = []
        for s in name_segs:
            seq.extend(_split(s.schemes[v] if v < len(s.schemes) else s.schemes[0]))
        if seq:
            seen.setdefault(tuple(seq), None)
    if name_segs and not cr.text.isascii():
        # a name written only in look-alike letters ("АВВ" in Cyrillic) may be a disguise
        folded = [fold_all_confusables(s.text) for s in name_segs]
        if all(f is not None for f in folded) and any(s.script != "Latn" for s in name_segs):
            fseq: list[str] = []
            for f in folded:
                fseq.extend(_split(token_schemes(f or "", "Latn")[0]))
            if fseq:
                seen.setdefault(tuple(fseq), None)
    variants = tuple(seen)[:MAX_VARIANTS]
    if not variants:
        variants = (tuple(t.text for t in tokens),)

    fallback_scripts = sorted({s.script for s in segs if s.fallback})
    fallback = bool(fallback_scripts)
    reason = (
        "no transliteration for script(s) "
        + ", ".join(fallback_scripts)
        + ": original characters kept as tokens"
        if fallback
        else None
    )
    result = NormalizedName(
        original=name,
        cleaned=cr.text,
        script=_script(cr.text),
        tokens=tuple(tokens),
        variants=variants,
        fallback=fallback,
        fallback_reason=reason,
        warnings=cr.warnings,
        obfuscation=cr.obfuscation,
    )
    if not result.key:
        # cannot happen for text with letters or digits; never hand back an empty key
        raise InputError("name has no letters or digits after normalisation")
    return result


_cached_build = lru_cache(maxsize=300_000)(_build)


def normalize_name(name: str) -> NormalizedName:
    """Normalise one name (cached). Raises :class:`~stopship.errors.InputError` for a
    name that is empty, has no letter or digit, or is longer than 1,000 characters."""
    if not isinstance(name, str):
        raise InputError(f"name must be text, not {type(name).__name__}")
    return _cached_build(name)


def normalize_name_or_none(name: str) -> NormalizedName | None:
    """:func:`normalize_name`, but ``None`` instead of an :class:`InputError`."""
    try:
        return normalize_name(name)
    except InputError:
        return None
