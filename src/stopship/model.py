"""The common entity model every list adapter produces.

One :class:`Entity` per publisher record. ``Entity.id`` is ``<source>:<publisher's own
record id>`` (OFAC ent_num, UN DATAID, EU logicalId, UK group id, CSL entry id, ...).
The publisher's raw record text is kept verbatim in ``Entity.raw`` so a reviewer can
read exactly what was published.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class EntityKind(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


class NameType(StrEnum):
    PRIMARY = "primary"
    STRONG_ALIAS = "strong_alias"
    WEAK_ALIAS = "weak_alias"
    ORIGINAL_SCRIPT = "original_script"
    FORMER = "former"


class IdType(StrEnum):
    PASSPORT = "passport"
    NATIONAL_ID = "national_id"
    TAX_ID = "tax_id"
    INN = "inn"
    OGRN = "ogrn"
    KPP = "kpp"
    OKPO = "okpo"
    REGISTRATION = "registration"
    IMO = "imo"
    MMSI = "mmsi"
    BIC = "bic"
    LEI = "lei"
    IBAN = "iban"
    AIRCRAFT_SERIAL = "aircraft_serial"
    AIRCRAFT_TAIL = "aircraft_tail"
    CALL_SIGN = "call_sign"
    CRYPTO_WALLET = "crypto_wallet"
    EMAIL = "email"
    WEBSITE = "website"
    PHONE = "phone"
    OTHER = "other"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class Name(_Model):
    """One name of an entity, as published, with its type and script."""

    value: str
    type: NameType = NameType.PRIMARY
    script: str = "Zyyy"  # ISO 15924 code: Latn, Cyrl, Arab, Hani, Hang, ... Zyyy = unknown
    lang: str | None = None
    note: str | None = None


class Address(_Model):
    street: str | None = None
    city: str | None = None
    postcode: str | None = None
    region: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, upper case
    country_name: str | None = None  # as published, when it could not be mapped or differs
    full: str | None = None  # the whole address as published, when given as one string
    note: str | None = None


class Identifier(_Model):
    type: IdType
    value: str
    country: str | None = None  # ISO 3166-1 alpha-2 of the issuer
    label: str | None = None  # the publisher's own label ("Tax ID No.", "INN", ...)
    note: str | None = None


class BirthDate(_Model):
    """A date of birth: exact (day), month, year or range; bounds are ISO dates."""

    precision: str  # "day" | "month" | "year" | "range"
    start: date
    end: date
    raw: str

    @classmethod
    def exact(cls, d: date, raw: str) -> BirthDate:
        return cls(precision="day", start=d, end=d, raw=raw)

    @classmethod
    def year(cls, y: int, raw: str) -> BirthDate:
        return cls(precision="year", start=date(y, 1, 1), end=date(y, 12, 31), raw=raw)

    @classmethod
    def years(cls, y1: int, y2: int, raw: str) -> BirthDate:
        return cls(precision="range", start=date(y1, 1, 1), end=date(y2, 12, 31), raw=raw)


class Relation(_Model):
    type: str  # "linked_to", "owned_by", "subsidiary_of", "associate_of", ...
    target_name: str | None = None
    target_id: str | None = None  # an entity id, when the publisher states it


class Entity(_Model):
    id: str
    source: str
    record_id: str
    kind: EntityKind = EntityKind.UNKNOWN
    list_name: str | None = None  # publisher's list within the source: "SDN", "Entity List", ...
    names: tuple[Name, ...] = ()
    addresses: tuple[Address, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    birth_dates: tuple[BirthDate, ...] = ()
    birth_places: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()  # ISO alpha-2
    countries: tuple[str, ...] = ()  # ISO alpha-2: other country links (residence, jurisdiction)
    programs: tuple[str, ...] = ()
    listed_on: date | None = None
    gender: str | None = None
    titles: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    remarks: tuple[str, ...] = ()
    relations: tuple[Relation, ...] = ()
    properties: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    raw: str = ""  # the publisher's record text, verbatim
    raw_format: str = ""  # "csv", "xml", "json", "tsv", "xlsx", "ods"

    @property
    def caption(self) -> str:
        for n in self.names:
            if n.type is NameType.PRIMARY:
                return n.value
        return self.names[0].value if self.names else self.id

    def content(self) -> dict[str, Any]:
        """The entity's fields as plain JSON data (what deltas compare)."""
        return self.model_dump(mode="json")

    def content_hash(self) -> str:
        payload = json.dumps(self.content(), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def make_id(source: str, record_id: str) -> str:
    return f"{source}:{record_id}"
