"""English spellings of international words transliterated from Russian.

Russian writes the Greek and Latin words of technology its own way, and the lists write
the same organisation in English: "Гидромаш" is ``gidromash`` transliterated and "Hydromash"
in the list, "электромеханики" ``elektromekhaniki`` and "electromechanics", "федеральный"
``federalnyy`` and "federal", "корпорации" ``korporatsii`` and "corporation". The rules
below turn a transliterated word into the English spelling of such a word: the Russian
letters the English word spells otherwise (г for h in "гидро", х for ch in "техно") and the
Russian endings that stand for English ones (-ция -tion, -ика -ics, -альный -al). A word
no rule knows is left as it is. The result is one more spelling to compare, never the only
one.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Greek and Latin roots whose Russian letters differ from the English ones, anywhere in
#: a word ("радиоэлектроника", "ГидроМаш", "биотехнологии")
_ROOTS = (
    ("gidro", "hydro"),
    ("giper", "hyper"),
    ("gibrid", "hybrid"),
    ("gorizont", "horizont"),
    ("golograf", "holograph"),
    ("tekh", "tech"),
    ("elektr", "electr"),
    ("mekhan", "mechan"),
    ("khimi", "chemi"),
    ("arkhitekt", "architect"),
    ("psikh", "psych"),
    ("khrom", "chrom"),
    ("sinkhro", "synchro"),
    ("inzhiniring", "engineering"),
    ("inzhener", "engineer"),
    ("gelikopter", "helicopter"),
    ("kvant", "quant"),
    ("grupp", "group"),
    ("layn", "line"),
)
#: roots only at the start of a word ("Евротехника", not "Неврологии")
_PREFIXES = (
    ("evro", "euro"),
    ("geli", "heli"),
    ("avto", "auto"),
    ("fiz", "phys"),
    ("nyus", "news"),
)

#: Russian endings of international words and the English ending, longest first within
#: each group; the stem before one must keep _MIN_STEM letters
_ENDINGS: tuple[tuple[tuple[str, ...], str], ...] = (
    # -ционный/-ционная ... "информационный" information, "инновационный" innovation
    (("tsionnyy", "tsionnyi", "tsionnaya", "tsionnaia", "tsionnoe", "tsionnogo",
      "tsionnykh", "tsionnoy", "tsionnoi", "tsionnye", "tsionnyye", "tsionnym"), "tion"),
    # -ция in its cases: "корпорация" corporation, "ассоциации" association
    (("tsiyakh", "tsiiakh", "tsiyey", "tsiei", "tsiey", "tsiya", "tsiia", "tsiyu", "tsiiu",
      "tsii", "tsiy"), "tion"),
    # -ический: "технический" technical, "химических" chemical
    (("icheskiy", "icheskii", "icheskaya", "icheskaia", "icheskoe", "icheskogo",
      "icheskikh", "icheskoy", "icheskoi", "icheskie", "icheskiye", "icheskim"), "ical"),
    # -альный: "федеральный" federal, "национального" national
    (("alnyy", "alnyi", "alnaya", "alnaia", "alnoe", "alnogo", "alnykh", "alnoy", "alnoi",
      "alnye", "alnyye", "alnym"), "al"),
    # -ивный: "инновативный" innovative, "кооперативная" cooperative
    (("ivnyy", "ivnyi", "ivnaya", "ivnaia", "ivnoe", "ivnogo", "ivnykh", "ivnoy", "ivnoi"),
     "ive"),
    # -торный: "генераторный" generator, "реакторного" reactor
    (("tornyy", "tornyi", "tornaya", "tornaia", "tornoe", "tornogo", "tornykh", "tornoy",
      "tornoi"), "tor"),
    # -ронный: "электронный" electronic
    (("ronnyy", "ronnyi", "ronnaya", "ronnaia", "ronnoe", "ronnogo", "ronnykh", "ronnoy",
      "ronnoi"), "ronic"),
    # -логия: "технологии" technology, "биологии" biology
    (("logiyakh", "logiiakh", "logiya", "logiia", "logii", "logiy", "logiyu", "logiiu"),
     "logy"),
    # -тный: "экспортных" export, "транспортного" transport
    (("tnyy", "tnyi", "tnaya", "tnaia", "tnoe", "tnogo", "tnykh", "tnoy", "tnoi", "tnye",
      "tnyye", "tnym"), "t"),
    # -гия, -мия: "энергия" energy, "академии" academy
    (("giya", "giia", "gii", "giyu", "giiu"), "gy"),
    (("miya", "miia", "mii", "miyu", "miiu"), "my"),
    # -графия: "картографии" cartography
    (("grafiya", "grafiia", "grafii", "grafiyu"), "graphy"),
    # -ика: "электроника" electronics, "логистики" logistics
    (("ika", "iki", "iku", "ikoy", "ikoi"), "ics"),
)  # fmt: skip
_MIN_STEM = 4
#: women's given names that end as "-ика" words do (the given-name table has few of them)
_NAMES_IN_IKA = frozenset(
    {"veronik", "anzhelik", "angelik", "monik", "erik", "dominik", "yessik", "dzhessik",
     "marik", "frederik", "ulrik"}
)  # fmt: skip
#: words this short keep their endings: alone, a short word is as often an acronym
_MIN_LEN = 6
#: words this short are left as they are ("tekh" is "tech", "ts" no word)
_MIN_ROOT = 4
#: "ц" before "е" and "и" is the English "c" ("концерн" concern, "специальный" special,
#: "национальный" national, where "ци" is "ti")
_TSIO = re.compile(r"tsio")
_TS_SOFT = re.compile(r"ts(?=[ei])")


@lru_cache(maxsize=100_000)
def loanword(token: str) -> str:
    """The English spelling of a transliterated international word ("gidromash"
    hydromash, "korporatsii" korporation, "federalnogo" federal), or the token itself."""
    if len(token) < _MIN_ROOT or not token.isalpha():
        return token
    t = token
    for ru, en in _PREFIXES:
        if t.startswith(ru):
            t = en + t[len(ru) :]
            break
    for ru, en in _ROOTS:
        if ru in t:
            t = t.replace(ru, en)
    for ends, en in _ENDINGS if len(token) >= _MIN_LEN else ():
        hit = next((e for e in ends if t.endswith(e) and len(t) - len(e) >= _MIN_STEM), None)
        if hit is not None:
            if en == "ics" and t[: -len(hit)] + "ik" in _NAMES_IN_IKA:
                break
            t = t[: -len(hit)] + en
            break
    return _TS_SOFT.sub("c", _TSIO.sub("tio", t))
