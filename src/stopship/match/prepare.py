"""Names prepared for comparison: token spellings plus typed legal forms and honorifics.

The matcher compares *name* tokens (and, with a low weight, *generic* business words
such as "trading"); legal forms and honorifics are compared as their own features.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache

from stopship.errors import InputError
from stopship.match.long_vowels import skeleton_words
from stopship.match.regroup import own_acronyms
from stopship.normalize.glossary import english_readings
from stopship.normalize.glossary_ar import arabic_readings
from stopship.normalize.glossary_ko import korean_readings
from stopship.normalize.glossary_zh import chinese_readings
from stopship.normalize.legal_forms import vocabulary
from stopship.normalize.name import NOT_LOOSE, NormalizedName, normalize_name
from stopship.normalize.text import latin_as_cyrillic
from stopship.normalize.translit import hebrew_alternates, skeleton

_COMPARED = frozenset({"name", "number", "generic"})
#: scripts whose romanisation is syllable-exact: a one-letter difference in the Latin
#: spelling is another name ("liu" / "lu", "guiying" / "cuiying"), so no typo tolerance
STRICT_SCRIPTS = frozenset({"Hani", "Hang", "Hira", "Kana"})
#: scripts written without most vowels: compared with Latin names through consonant
#: skeletons ("mhmd rstm" ~ "mohammad rostami")
SKELETON_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa"})
#: scripts whose organisation names also get an English reading from transliterated
#: tokens (normalize.glossary); Chinese gets its own from the characters (glossary_zh)
GLOSSED_SCRIPTS = frozenset({"Cyrl"})
#: endings of East Slavic patronymics and Turkic "son/daughter of" particles
PATRONYMIC_ENDINGS = ("ovich", "evich", "ovna", "evna", "ichna", "ogly", "oglu", "kyzy", "qizi")
#: a token with one of these endings makes a Cyrillic name a person's, which gets no
#: English reading: "Marina", "Sila" are given names there, not "marine" or "forces"
PERSON_ENDINGS = (*PATRONYMIC_ENDINGS, "ovych", "evych", "ivna")


@dataclass(frozen=True, slots=True)
class PreparedName:
    text: str
    variants: tuple[tuple[str, ...], ...]  # compared tokens per spelling, [0] primary
    generic: frozenset[str]
    legal_forms: frozenset[str]
    honorifics: frozenset[str]
    script: str
    strict: bool  # tokens must match exactly (syllable-exact romanisation)
    skeleton: tuple[str, ...]  # consonant skeleton of the primary spelling
    fallback: bool
    warnings: tuple[str, ...]
    obfuscation: tuple[str, ...]
    #: other readings of a name in a skeleton script, as (words, their skeleton), compared
    #: through skeletons beside the primary one: the Persian reading of Arabic script
    #: (:func:`persian_reading`, and without a final silent heh), the other readings of
    #: Hebrew (ב כ פ ח, צ ש), and for a query
    #: (:func:`prepare_query`) the English readings of an Arabic-script organisation name
    readings: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = ()


def _from_normalized(n: NormalizedName) -> PreparedName:
    generic = tuple(t.text for t in n.tokens if t.kind == "generic")
    primary = tuple(t.text for t in n.tokens if t.kind in _COMPARED)
    others = n.variants[1:]
    if n.script in SKELETON_SCRIPTS:
        others = ()  # their consonant-skeleton spelling is compared through `skeleton`
    variants: list[tuple[str, ...]] = []
    company = bool(n.legal_forms)
    for v in (primary, *others) if primary else n.variants[:1]:
        full = v if v is primary else v + tuple(g for g in generic if g not in v)
        if company:
            full = _each_word_once(full)
        if full and full not in variants:
            variants.append(full)
    if not variants:  # only legal forms / honorifics: compare them as names
        variants.append(tuple(t.text for t in n.tokens))
    return PreparedName(
        text=n.original,
        variants=tuple(variants),
        generic=frozenset(generic),
        legal_forms=n.legal_forms,
        honorifics=frozenset(t.canonical for t in n.tokens if t.kind == "honorific"),
        script=n.script,
        strict=n.script in STRICT_SCRIPTS,
        # the Arabic article ("al", joined) is only read in Arabic script, and in Latin
        # where a consonant follows it (skeleton_words)
        skeleton=_skeleton(variants[0], latin=n.script != "Arab"),
        fallback=n.fallback,
        warnings=n.warnings,
        obfuscation=n.obfuscation,
        readings=_readings(n, variants[0]),
    )


def _each_word_once(words: tuple[str, ...], may_repeat: int = 1) -> tuple[str, ...]:
    """A company name's words with a repeated word (of more than ``may_repeat`` letters:
    initials may repeat) left out: the name restated in its short form ("Акционерное
    общество «Швабе» АО «Швабе»", "Avangard JSC (JSC Avangard)") is one name, not a name
    of the word twice."""
    if len(set(words)) == len(words):
        return words
    seen: set[str] = set()
    out: list[str] = []
    for w in words:
        if w in seen:
            continue
        if len(w) > may_repeat:
            seen.add(w)
        out.append(w)
    return tuple(out)


#: Arabic letters that Persian says otherwise, as the Persian letter of that sound: ض ذ ظ
#: are "z" ("Morteza" مرتضی, "Zolghadr" ذوالقدر, ICU: d, dh), ث is "s" ("Kiyumars"), ق is
#: "gh" ("Ghasemi" قاسمی, "Zolghadr"; ICU: q); and the zhe ژ, which Latin spellings write
#: "zh" and as often "j" ("Nejad" نژاد, "Bijan" بیژن): the Persian reading takes the "j"
_PERSIAN_SOUNDS = {"ض": "ز", "ذ": "ز", "ظ": "ز", "ث": "س", "ق": "غ", "ژ": "ج"}
_PERSIAN_READING = str.maketrans(_PERSIAN_SOUNDS)
#: ... all but the qaf (persian_reading(qaf=False))
_PERSIAN_READING_Q = str.maketrans({k: v for k, v in _PERSIAN_SOUNDS.items() if k != "ق"})


def persian_reading(text: str, qaf: bool = True) -> str:
    """An Arabic-script text with the letters that Persian pronounces otherwise replaced
    by the letter of the Persian sound: its transliteration is the Persian reading. Without
    ``qaf``, the qaf stays "q", as Afghan and Pakistani names spell it with the others said
    the Persian way ("Saqib" ثاقب, "Wassiq" وثيق)."""
    return text.translate(_PERSIAN_READING if qaf else _PERSIAN_READING_Q)


#: letters only Persian writes: a text with one of them is not read as Egyptian Arabic
_PERSIAN_LETTERS = frozenset("پچژگ")


def hard_g_reading(text: str) -> str:
    """An Arabic text (no letter only Persian writes) with the jim written as the gaf:
    the jim is "g" in Egyptian Arabic and in foreign names ("Ragab" رجب, "Gamal" جمال,
    "George" جورج), which a Latin spelling writes as said. A Persian text, whose gaf is
    the "g" and whose jim is "j", as it is."""
    if "\u062c" not in text or not _PERSIAN_LETTERS.isdisjoint(text):
        return text
    return text.replace("\u062c", "\u06af")


_WORD = re.compile(r"\w+")


def silent_heh_reading(text: str) -> str:
    """An Arabic-script text with the final heh of its words of three letters or more
    left out: the Persian "-eh" that Latin spellings write "-eh" and as often "-e"
    ("Zadeh"/"Zade" زاده), and the heh written for the taa marbuta ("ساره" Sara, "غاده"
    Ghada). Not of a word of the phrase vocabulary ("گروه" group stays a generic word)."""
    vocab = vocabulary()

    def drop(m: re.Match[str]) -> str:
        w = m.group(0)
        return w[:-1] if len(w) >= 3 and w.endswith("\u0647") and w not in vocab else w

    return _WORD.sub(drop, text)


#: a taa marbuta with a noun after it: said "t" in the construct state ("عصبة الأنصار"
#: Asbat al-Ansar, "جبهة النصرة" Jabhat al-Nusra, "نصرة الإسلام" Nusrat al-Islam); not
#: before a preposition or "and" joined to the next word ("النصرة لأهل" al-Nusra li-Ahl)
_CONSTRUCT_TAA = re.compile(r"\u0629(?=\s+(?:\u0627\u0644|[^\s\u0644\u0628\u0648\u0641\u0643]))")


def construct_reading(text: str) -> str:
    """An Arabic-script text with each taa marbuta that another word follows written as
    the taa it is said as there: the lists write "Jabhat", "Harakat", "Asbat"."""
    return _CONSTRUCT_TAA.sub("\u062a", text)


def _readings(
    n: NormalizedName, primary: tuple[str, ...]
) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """The other readings of a name (words, skeleton) that differ from the primary one:
    in Arabic script the Persian reading (Arabic names are as often read the Persian way
    in the lists of Iranian and Afghan parties), the reading without a final silent heh,
    the construct state's taa and the jim as "g" (:func:`hard_g_reading`), in Hebrew the
    letters said two ways."""
    if n.script == "Hebr":
        per_word = [hebrew_alternates(t) for t in n.cleaned.split()]
        out: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
        for i in range(3):
            words = tuple(w[i] for w in per_word if w[i])
            if words and words != primary and all(words != o[0] for o in out):
                out.append((words, _skeleton(words, latin=True)))
        return tuple(out)
    if n.script != "Arab":
        return ()
    found: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    persian, silent = persian_reading(n.cleaned), silent_heh_reading(n.cleaned)
    readings = (
        persian,
        persian_reading(n.cleaned, qaf=False),
        silent,
        silent_heh_reading(persian),
        construct_reading(n.cleaned),
        hard_g_reading(n.cleaned),
    )
    for alt_text in dict.fromkeys(readings):  # each text normalised once
        if alt_text == n.cleaned:
            continue
        try:
            alt = normalize_name(alt_text)
        except InputError:
            continue
        words = tuple(t.text for t in alt.tokens if t.kind in _COMPARED)
        if words and words != primary and all(words != f[0] for f in found):
            found.append((words, _skeleton(words)))
    once = _each_skeleton_once(primary)
    if once is not None and all(once[0] != f[0] for f in found):
        found.append(once)
    return tuple(found)


def _each_skeleton_once(
    primary: tuple[str, ...],
) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """A reading of an Arabic-script name that writes a word twice, or twice over in
    two forms (a name restated: "وسيم قطان, وسيم أنوار القطان"; written in Latin and in
    Arabic script: "KARIMI Farzin فرزین کریمی"), with each skeleton once: the list names
    it stands for write each word once. None when no skeleton repeats."""
    words = skeleton_words(primary)
    skel = _skeleton(primary)
    if len(set(skel)) == len(skel) or len(skel) != len(words):
        return None
    seen: set[str] = set()
    keep: list[int] = []
    for i, k in enumerate(skel):
        if k not in seen:
            seen.add(k)
            keep.append(i)
    return tuple(words[i] for i in keep), tuple(skel[i] for i in keep)


def _skeleton(tokens: tuple[str, ...], latin: bool = False) -> tuple[str, ...]:
    """Consonant skeleton of a spelling, without the Arabic article: written joined in
    Arabic script ("الضاري" -> "aldary") and apart in Latin ("AL-DARI")."""
    return tuple(skeleton(" ".join(skeleton_words(tokens, latin))).split())


@lru_cache(maxsize=200_000)
def prepare(name: str) -> PreparedName:
    """Prepare one name; raises :class:`~stopship.errors.InputError` when it cannot be."""
    return _from_normalized(normalize_name(name))


#: names written one after another: " / ", and " · " between spaces ("صنایع هوایی قدس ·
#: شرکت صنایع هوایی قدس"); a dot inside a name ("阿不都·哈克") joins its words
_SLASH = re.compile(r"\s+[/·•]\s+")
#: a short name, a dash between spaces, and the long name ("МЗКТ - Минский завод колёсных
#: тягачей", "Belneftekhim – Belarusian State Concern ..."): the short name of at most
#: DASH_SHORT_WORDS words (a longer first part is more often a branch of the second:
#: "Филиал «Завод «Нерпа» – АО «ЦС «Звёздочка»")
_DASH = re.compile(r"\s+[\u2013\u2014-]\s+")
DASH_SHORT_WORDS = 3
#: a slash written without spaces ("КРАВЕЦ/Віталій", "СИГУТА/ Андрій") parts names only
#: when every part is a name of its own (_whole_name): "ЛАПО/ЛАППО", "A/O" stay as written
_TIGHT_SLASH = re.compile(r"\s*/\s*")
_BRACKETED = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
#: spellings compared per query at most (each costs retrieval and alignment time)
MAX_QUERY_VARIANTS = 8
#: a part of a query after a slash needs a legal form or this many name tokens to be
#: compared on its own: a lone token would match far too much
MIN_PART_TOKENS = 2
#: the same for a part in brackets, which is often a place ("(Hong Kong)") or a remark
MIN_BRACKETED_TOKENS = 3


#: one word written two ways inside a name ("ФЕДОРОВ/ФЁДОРОВ", "ЛАПО/ЛАППО")
_WORD_SLASH = re.compile(r"(?<![\w/])(\w{3,})/(\w{3,})(?![\w/])")


def _word_alternatives(name: str) -> list[str]:
    """The name once with each spelling of the one word it writes two ways, when the two
    look like spellings of one word (same first letter, at most two letters longer):
    "Андрей ФЕДОРОВ/ФЁДОРОВ" -> "Андрей ФЕДОРОВ", "Андрей ФЁДОРОВ". Not "AC/DC", nor
    "Import/Export", nor a name of one word."""
    found = list(_WORD_SLASH.finditer(name))
    if len(found) != 1 or len(name.split()) < 2:
        return []
    m = found[0]
    a, b = m.group(1), m.group(2)
    if a[0].casefold() != b[0].casefold() or abs(len(a) - len(b)) > 2:
        return []
    return [name[: m.start()] + w + name[m.end() :] for w in (a, b)]


def _whole_name(part: str) -> bool:
    """Two words or more, each of two letters or more: what a slash without spaces must
    have on each side to part two names ("A/O", "c/o" do not)."""
    words = _BRACKETED.sub(" ", part).split()
    return len(words) >= 2 and all(sum(ch.isalpha() for ch in w) >= 2 for w in words)


def _parts(name: str) -> list[tuple[str, bool]]:
    """(part, in brackets) for each name that one query writes together."""
    name = unicodedata.normalize("NFKC", name)  # full-width brackets: "（深圳）"
    if not any(ch in name for ch in "/([·•") and _DASH.search(name) is None:
        return []
    out: list[tuple[str, bool]] = []
    seen: set[str] = set()
    split = _SLASH.split(name)
    dashed = _DASH.split(name) if len(split) == 1 else []
    if len(dashed) == 2 and len(dashed[0].split()) <= DASH_SHORT_WORDS:
        split = dashed
    elif len(split) == 1:
        tight = _TIGHT_SLASH.split(name)
        if len(tight) > 1 and all(_whole_name(t) for t in tight):
            split = tight
        else:
            split = _word_alternatives(name) or split
    for part in split:
        outer = [(_BRACKETED.sub(" ", part), False)]
        for cand, bracketed in outer + [(b, True) for b in _BRACKETED.findall(part)]:
            cand = " ".join(cand.split())
            if cand and cand not in seen:
                seen.add(cand)
                out.append((cand, bracketed))
    if [p for p, _ in out] == [" ".join(name.split())]:
        return []
    return out


def alternative_names(name: str) -> list[str]:
    """The separate names that one query writes together: ``"Full Name (SHORT NAME)"``
    and ``"Name in Russian / Name in Ukrainian"``. Empty when there is nothing to split."""
    return [p for p, _ in _parts(name)]


@lru_cache(maxsize=200_000)
def prepare_query(name: str) -> PreparedName:
    """:func:`prepare` for a screening query: a query that writes several names in one
    ("АО «Пермский Завод «Машиностроитель» (АО «ПЗ «Маш»)", "Ірина ... / Ирина ...") also
    gets each part's spellings as its own, so a list entry that carries only one of them
    is compared with that part and not with the whole. The whole stays the primary."""
    whole = prepare(name)
    parts: list[PreparedName] = []
    for i, (alt, bracketed) in enumerate(_parts(name)):
        try:
            part = prepare(alt)
        except InputError:
            continue  # punctuation only, or empty: the whole already covers it
        # the name outside the brackets, and a part with a legal form ("АО «ЭНИКС»"), are
        # whole names; words in brackets without one are more often a place ("(香港)",
        # "(Hong Kong)"), an acronym or a remark, so they need MIN_BRACKETED_TOKENS
        # words, and syllables of Chinese, Japanese or Korean do not count as words
        names = [t for t in part.variants[0] if t not in part.generic]
        if bracketed:
            enough = len(names) >= MIN_BRACKETED_TOKENS and part.script not in STRICT_SCRIPTS
        else:
            enough = len(names) >= MIN_PART_TOKENS
        if i == 0 or part.legal_forms or enough:
            parts.append(part)
    firsts = [whole.variants[0], *(p.variants[0] for p in parts)]
    readings: list[tuple[str, ...]] = []
    reading_generic: frozenset[str] = frozenset()
    if whole.script in GLOSSED_SCRIPTS and not _has_person_ending(whole.variants[0]):
        for v in firsts:
            readings.extend(_without_legal_forms(r) for r in english_readings(v))
        readings.extend(
            short for r in list(readings) if (short := _namesake_surname_only(r)) is not None
        )
        reading_generic = _generic_words(readings)
    elif whole.script == "Hani":
        # each word once: "长光卫星技术股份有限公司 (长光卫星)" restates its short name
        readings.extend(_each_word_once(r) for r in chinese_readings(name))
    elif whole.script == "Hang":
        readings.extend(korean_readings(name))
        reading_generic = _generic_words(readings)
    # a name that writes its own acronym beside its words ("ФКП «ТПЗ», Федеральное казенное
    # предприятие «Тамбовский пороховой завод»"): also without it, as most lists write it
    readings.extend(v for v in map(_without_own_acronyms, firsts) if v is not None)
    if whole.script == "Cyrl":
        plant = _plant_acronyms(name)
        if plant != name:
            with contextlib.suppress(InputError):  # the name itself prepared: never here
                readings.append(prepare(plant).variants[0])
    # a Russian name with a word typed in Latin look-alikes ("OOO “ТМ-ТЕХ”", "AHO Диалог"):
    # also read all in Cyrillic (the whole is read as a Latin name in disguise)
    cyrillic: list[PreparedName] = []
    in_cyrillic = latin_as_cyrillic(name)
    if in_cyrillic is not None:
        with contextlib.suppress(InputError):
            cyrillic.append(prepare_query(in_cyrillic))
        readings.extend(v for c in cyrillic for v in c.variants)
    glossed: list[PreparedName] = []
    if whole.script == "Arab":
        glossed = _arabic_glossed(name)
        readings.extend(g.variants[0] for g in glossed)
    if not parts and not readings:
        return whole
    # most telling first: each name as written, its English reading, other spellings
    ordered = [
        *firsts,
        *readings,
        *whole.variants[1:],
        *(p.variants[1] for p in parts[:3] if len(p.variants) > 1),
    ]
    variants: list[tuple[str, ...]] = []
    for v in ordered:
        if v and v not in variants:
            variants.append(v)
    return replace(
        whole,
        variants=tuple(variants[:MAX_QUERY_VARIANTS]),
        # an English reading is words, not syllables: spelling differences count as such
        # ("electronic" / "electronics", "linbahe" / "limbach")
        strict=whole.strict and not (readings and whole.script in ("Hani", "Hang")),
        generic=whole.generic.union(
            reading_generic, *(p.generic for p in (*parts, *glossed, *cyrillic))
        ),
        legal_forms=whole.legal_forms.union(
            *(p.legal_forms for p in (*parts, *glossed, *cyrillic))
        ),
        # the English readings of an Arabic-script name are also compared through their
        # skeletons: the words the glossary does not know are transliterations ("qds")
        readings=whole.readings + tuple((g.variants[0], g.skeleton) for g in glossed),
    )


#: an acronym of a Russian organisation name ending in "З" (завод, plant): "ВМЗ" (Вольский
#: механический завод) is "VMP" in the lists' English ("Volsk Mechanical Plant")
_PLANT_ACRONYM = re.compile(r"(?<![^\W\d_])([А-ЯЁ]{1,5})З(?![^\W\d_])")


def _plant_acronyms(name: str) -> str:
    """The name with each capitalised acronym ending in "З" ending in "П" instead, so its
    transliteration ends in "p" as the English acronym does ("АО «ВМЗ»" -> "АО «ВМП»")."""
    return _PLANT_ACRONYM.sub(lambda m: m.group(1) + "П", name) if "З" in name else name


#: titles of the person an organisation is named after ("имени академика", "профессора")
_NAMESAKE_TITLES = frozenset(
    {"academician", "academic", "professor", "hero", "marshal", "admiral", "general"}
)


def _without_own_acronyms(words: tuple[str, ...]) -> tuple[str, ...] | None:
    """A spelling without its words that are the initials of a run of its other words
    (``tpz tambovskiy porokhovoy zavod`` -> ``tambovskiy porokhovoy zavod``); None when it
    has none."""
    own = own_acronyms(words)
    if not own:
        return None
    return tuple(w for i, w in enumerate(words) if i not in own)


def _namesake_surname_only(reading: tuple[str, ...]) -> tuple[str, ...] | None:
    """A reading with "named after" and the namesake's title and initials left out ("state
    rocket center named after academician v p makeev" -> "state rocket center makeev"):
    the lists write the namesake's surname alone as often ("Makeyev State Rocket Center").
    None when the reading names nobody."""
    for i in range(len(reading) - 1):
        if reading[i] == "named" and reading[i + 1] == "after":
            rest = [t for t in reading[i + 2 :] if len(t) > 2 and t not in _NAMESAKE_TITLES]
            return (*reading[:i], *rest) if rest else None
    return None


def _without_legal_forms(reading: tuple[str, ...]) -> tuple[str, ...]:
    """An English reading without the words of a legal form, which a Latin name's legal
    form is typed as and not compared (one of one word only where it begins or ends the
    reading: "private military company patriot" keeps the words "PMC" stands for), and
    with each word once: "Судоходная Компания «Волжское Пароходство»" reads "shipping
    company volga shipping company", and the list's English is "Volga Shipping"."""
    drop: set[int] = set()
    vocab = vocabulary()
    covered: set[int] = set()
    for m in vocab.match([frozenset((t,)) for t in reading]):
        if m.phrase.kind == "legal_form":
            covered.update(range(m.start, m.end))
            if m.end - m.start > 1 or m.start == 0 or m.end == len(reading):
                drop.update(range(m.start, m.end))
    # words of a legal form of several words outside it ("interstate joint stock
    # corporation"), as a Latin name's are typed (normalize.name._loose_legal_words)
    loose = [
        i
        for i, t in enumerate(reading)
        if i not in covered and t in vocab.phrase_words and t not in NOT_LOOSE
    ]
    if loose and len(drop) + len(loose) >= 2 and len(loose) < len(reading):
        drop.update(loose)
    kept = tuple(t for i, t in enumerate(reading) if i not in drop)
    # initials, and in a reading two-letter words, may repeat ("А. А. Расплетин")
    return _each_word_once(kept, may_repeat=2) if kept else reading


def _generic_words(readings: list[tuple[str, ...]]) -> frozenset[str]:
    """The words of English readings that are generic business words ("trading",
    "named after"), typed as the same words of a Latin name are."""
    vocab = vocabulary()
    out: set[str] = set()
    for r in readings:
        for m in vocab.match([frozenset((t,)) for t in r]):
            if m.phrase.kind == "generic":
                out.update(r[m.start : m.end])
    return frozenset(out)


def _arabic_glossed(name: str) -> list[PreparedName]:
    """The English readings (normalize.glossary_ar) of an organisation name in Arabic
    script, prepared as Latin names: their legal forms ("company", "limited liability")
    and generic words are typed as in any Latin name."""
    out: list[PreparedName] = []
    for text in arabic_readings(name):
        try:
            glossed = prepare(text)
        except InputError:
            continue
        # a reading of generic words only ("group holding") says nothing of which group
        if any(t not in glossed.generic for t in glossed.variants[0]):
            out.append(glossed)
    return out


def _has_person_ending(tokens: tuple[str, ...]) -> bool:
    """A token ends as a patronymic does (PERSON_ENDINGS): the name is a person's, which
    gets no English reading. (Looser than match.features.patronymics, which says which
    tokens weigh as patronymics.)"""
    return any(len(t) > 5 and t.endswith(PERSON_ENDINGS) for t in tokens)


def is_patronymic(token: str) -> bool:
    return len(token) > 5 and token.endswith(PATRONYMIC_ENDINGS)
