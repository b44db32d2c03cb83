"""Country names as lists publish them -> ISO 3166-1 alpha-2 codes."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

# Spellings used by OFAC, UN, EU, UK and BIS that pycountry does not carry.
_ALIASES: dict[str, str] = {
    "russia": "RU",
    "russian federation": "RU",
    "iran": "IR",
    "iran, islamic republic of": "IR",
    "north korea": "KP",
    "korea, north": "KP",
    "democratic people's republic of korea": "KP",
    "dprk": "KP",
    "korea, democratic people's republic of": "KP",
    "south korea": "KR",
    "korea, south": "KR",
    "republic of korea": "KR",
    "korea": "KR",
    "syria": "SY",
    "syrian arab republic": "SY",
    "burma": "MM",
    "myanmar": "MM",
    "venezuela": "VE",
    "bolivia": "BO",
    "tanzania": "TZ",
    "vietnam": "VN",
    "viet nam": "VN",
    "laos": "LA",
    "moldova": "MD",
    "republic of moldova": "MD",
    "turkey": "TR",
    "turkiye": "TR",
    "türkiye": "TR",
    "czech republic": "CZ",
    "czechia": "CZ",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "us": "US",
    "uae": "AE",
    "united arab emirates": "AE",
    "congo, democratic republic of the": "CD",
    "democratic republic of the congo": "CD",
    "congo (democratic republic)": "CD",
    "drc": "CD",
    "congo": "CG",
    "republic of the congo": "CG",
    "congo, republic of the": "CG",
    "ivory coast": "CI",
    "cote d'ivoire": "CI",
    "palestinian": "PS",
    "palestine": "PS",
    "west bank": "PS",
    "gaza": "PS",
    "west bank and gaza": "PS",
    "occupied palestinian territories": "PS",
    "kosovo": "XK",
    "taiwan": "TW",
    "hong kong": "HK",
    "macau": "MO",
    "macao": "MO",
    "china": "CN",
    "people's republic of china": "CN",
    "brunei": "BN",
    "cape verde": "CV",
    "swaziland": "SZ",
    "eswatini": "SZ",
    "macedonia": "MK",
    "north macedonia": "MK",
    "the former yugoslav republic of macedonia": "MK",
    "vatican": "VA",
    "holy see": "VA",
    "micronesia": "FM",
    "st. kitts and nevis": "KN",
    "saint kitts and nevis": "KN",
    "st. vincent and the grenadines": "VC",
    "st. lucia": "LC",
    "the bahamas": "BS",
    "bahamas": "BS",
    "gambia": "GM",
    "the gambia": "GM",
    "netherlands": "NL",
    "the netherlands": "NL",
    "crimea": "UA",
    "region: crimea": "UA",
    "kyrgyzstan": "KG",
    "belarus": "BY",
    "byelorussia": "BY",
    "iraq": "IQ",
    "libya": "LY",
    "libyan arab jamahiriya": "LY",
    "yemen": "YE",
    "sudan": "SD",
    "south sudan": "SS",
    "somalia": "SO",
    "afghanistan": "AF",
    "bosnia": "BA",
    "bosnia-herzegovina": "BA",
    "bosnia and herzegovina": "BA",
    "serbia and montenegro": "RS",
    "curacao": "CW",
    "sint maarten": "SX",
    "netherlands antilles": "CW",
    "reunion": "RE",
    "soviet union": "RU",
    "ussr": "RU",
    "east timor": "TL",
    "timor-leste": "TL",
    "region: gaza": "PS",
    "region: west bank": "PS",
    "north macedonia, the republic of": "MK",
    "cote d ivoire": "CI",
    "bahamas, the": "BS",
    "man, isle of": "IM",
    "prc": "CN",
    "gambia, the": "GM",
}


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name.replace("’", "'"))
    folded = folded.encode("ascii", "ignore").decode()
    folded = re.sub(r"\s+", " ", folded).strip(" .").lower()
    return folded


@lru_cache(maxsize=1)
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            v = getattr(c, attr, None)
            if v:
                table[_key(v)] = c.alpha_2
        table[c.alpha_2.lower()] = c.alpha_2
        table[c.alpha_3.lower()] = c.alpha_2
    for k, v in _ALIASES.items():
        table[_key(k)] = v
    return table


@lru_cache(maxsize=4096)
def to_iso(name: str | None) -> str | None:
    """ISO alpha-2 for a published country name or code; None when unknown."""
    if not name:
        return None
    k = _key(name)
    if not k:
        return None
    table = _table()
    if k in table:
        return table[k]
    # "Tehran, Iran" style tails and "(citizen)" style notes
    k2 = re.sub(r"\s*\(.*?\)\s*", " ", k).strip()
    if k2 in table:
        return table[k2]
    if "," in k2:
        tail = k2.rsplit(",", 1)[1].strip()
        if tail in table:
            return table[tail]
    return None


def country_name(code: str | None) -> str | None:
    if not code:
        return None
    c = pycountry.countries.get(alpha_2=code.upper())
    return c.name if c is not None else None
