"""Helpers both parsers share: BIC and IBAN checks, country derivation."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import pycountry

from stopship.countries import to_iso
from stopship.screen.payments.model import (
    CountrySource,
    PartyIdentifier,
    PartyRole,
    PaymentParty,
    PostalAddress,
)

# 4 letters institution, 2 letters country, 2 alphanumerics location, optional 3 branch
BIC_RE = re.compile(r"[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?")
IBAN_RE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_EXTRA_COUNTRIES = frozenset({"XK"})  # Kosovo: used by SWIFT and ISO 20022, not in ISO 3166


@lru_cache(maxsize=512)
def is_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code (or XK)."""
    return code in _EXTRA_COUNTRIES or pycountry.countries.get(alpha_2=code) is not None


def bic_problem(bic: str) -> str | None:
    """Why ``bic`` is not a well-formed BIC, or None when it is."""
    if not BIC_RE.fullmatch(bic):
        return (
            f"{bic!r} is not a BIC (expected 8 or 11 characters: 4 letters bank code, "
            "2 letters country, 2 letters/digits location, optional 3 letters/digits branch)"
        )
    if not is_country(bic[4:6]):
        return f"{bic!r} is not a BIC: {bic[4:6]!r} is not an ISO country code"
    return None


def bic_country(bic: str | None) -> str | None:
    if bic and BIC_RE.fullmatch(bic) and is_country(bic[4:6]):
        return bic[4:6]
    return None


def iban_country(account: str | None) -> str | None:
    """The country of an IBAN whose check digits verify; None for anything else."""
    if not account:
        return None
    iban = account.replace(" ", "").upper()
    if not IBAN_RE.fullmatch(iban) or not is_country(iban[:2]):
        return None
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    return iban[:2] if int(digits) % 97 == 1 else None


def text_country(lines: list[str]) -> str | None:
    """A country from free address text: the last line when it is exactly a country
    name or code, or its part after the last comma ("YELABUGA, RUSSIA")."""
    if not lines:
        return None
    last = lines[-1].strip()
    candidates = [last]
    if "," in last:
        candidates.append(last.rsplit(",", 1)[1])
    for c in candidates:
        c = c.strip(" .")
        if len(c) == 2 and not c.isupper():
            continue  # "us", "de" as words are not country codes
        code = to_iso(c)
        if code:
            return code
    return None


def make_party(
    role: PartyRole,
    source_field: str,
    *,
    name: str | None = None,
    account: str | None = None,
    bic: str | None = None,
    address_lines: list[str] | None = None,
    address: PostalAddress | None = None,
    residence_country: str | None = None,
    identifiers: list[PartyIdentifier] | None = None,
    **extra: object,
) -> PaymentParty:
    """A :class:`PaymentParty` with ``country`` derived as its docstring says."""
    lines = address_lines or []
    derived: list[tuple[Callable[[], str | None], CountrySource]] = [
        (lambda: address.country if address else None, "address"),
        (lambda: residence_country, "residence"),
        (lambda: bic_country(bic), "bic"),
        (lambda: text_country(lines), "address_text"),
        (lambda: iban_country(account), "iban"),
    ]
    country: str | None = None
    source: CountrySource | None = None
    for get, src in derived:
        value = get()
        if value:
            country, source = value, src
            break
    return PaymentParty.model_validate(
        {
            "role": role,
            "name": name,
            "account": account,
            "bic": bic,
            "address_lines": lines,
            "address": address,
            "country": country,
            "country_source": source,
            "residence_country": residence_country,
            "identifiers": identifiers or [],
            "source_field": source_field,
            **extra,
        }
    )
