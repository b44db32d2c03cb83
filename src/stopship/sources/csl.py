"""trade.gov Consolidated Screening List (CSL): the CSV (current and 2019 layouts) and JSON.

The CSL republishes the BIS (Entity List, DPL, UVL, MEU), State (ISN, DTC) and Treasury
(SDN, SSI, FSE, PLC, CAPTA, NS-MBS, CMIC) lists as one file, one record per listed party.

Ids: ``csl:<_id>`` (CSV column ``_id``, JSON key ``id``: the OFAC entity number for Treasury
rows, a hex hash for the others). The 2019 CSV layout has no ``_id``: there the id is
``csl:<entity_number>`` when the row has one (Treasury rows: the same id the current
layout gives them) and otherwise ``csl:h-<first 16 hex of sha1(source, name)>``. Rows that
collide get the hash of their addresses appended, then ``-2``, ``-3`` in file order
(:func:`disambiguate`).

``list_name`` is the record's ``source`` ("Entity List (EL) - Bureau of Industry and
Security", ...). Multi-valued CSV cells are ``;``-separated. The ``ids`` cell items are
``type, number[, country]`` in the current layout and ``[country, ]number, type`` in 2019.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import io
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar

from stopship.countries import to_iso
from stopship.errors import SourceFormatError
from stopship.model import (
    Address,
    BirthDate,
    Entity,
    EntityKind,
    Identifier,
    IdType,
    Name,
    NameType,
    Relation,
    make_id,
)
from stopship.normalize.scripts import text_script
from stopship.sources.base import (
    MONTHS,
    Adapter,
    ParsedDataset,
    ParseIssue,
    SourceFile,
    clean,
    find_files,
    iter_csv,
    newest,
    read_text,
)
from stopship.sources.russian_ids import ogrn_ok

SOURCE = "csl"
CSV_URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
JSON_URL = "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.json"

FIELDS_2019: tuple[str, ...] = (
    "source", "entity_number", "type", "programs", "name", "title", "addresses",
    "federal_register_notice", "start_date", "end_date", "standard_order",
    "license_requirement", "license_policy", "call_sign", "vessel_type", "gross_tonnage",
    "gross_registered_tonnage", "vessel_flag", "vessel_owner", "remarks", "source_list_url",
    "alt_names", "citizenships", "dates_of_birth", "nationalities", "places_of_birth",
    "source_information_url", "ids",
)  # fmt: skip
FIELDS_CURRENT: tuple[str, ...] = ("_id", *FIELDS_2019)
_REQUIRED = frozenset({"source", "name", "type", "addresses", "alt_names", "ids", "programs"})
#: scalar fields kept as properties (as published)
_PROPS = (
    "entity_number", "federal_register_notice", "end_date", "standard_order",
    "license_requirement", "license_policy", "vessel_type", "gross_tonnage",
    "gross_registered_tonnage", "vessel_flag", "vessel_owner", "source_list_url",
    "source_information_url",
)  # fmt: skip
_KINDS = {
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
}
_SUCCESSOR = re.compile(
    r"[;,]?\s*and any successors?,?\s*sub-units?,?\s*or subsidiar(?:y|ies) thereof\.?\s*$",
    re.IGNORECASE,
)
_LINKED = re.compile(r"Linked To:\s*([^;)]+?)\.?\s*(?:[;)]|$)", re.IGNORECASE)


# --------------------------------------------------------------------------- shared helpers


def short_hash(*parts: str | None) -> str:
    """First 16 hex digits of the sha1 of the parts (joined by U+001F)."""
    joined = "\x1f".join(p or "" for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:16]


def disambiguate(bases: Sequence[str], extras: Sequence[str]) -> list[str]:
    """Make ids unique deterministically: an id shared by several records gets
    ``-<8 hex of sha1(extra)>`` appended; ids still shared then get ``-2``, ``-3`` ...
    in file order (the first keeps its id)."""
    counts = Counter(bases)
    out = [
        b if counts[b] == 1 else f"{b}-{short_hash(e)[:8]}"
        for b, e in zip(bases, extras, strict=True)
    ]
    seen: Counter[str] = Counter()
    final: list[str] = []
    for rid in out:
        seen[rid] += 1
        final.append(rid if seen[rid] == 1 else f"{rid}-{seen[rid]}")
    return final


def record_texts(text: str, starts: Sequence[int]) -> list[str]:
    """The verbatim text of each CSV record, given the 1-based line each one starts on."""
    lines = io.StringIO(text, newline="").readlines()
    out: list[str] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else len(lines)
        chunk = lines[start - 1 : end]
        while chunk and not chunk[-1].strip(" \t\r\n\x1a"):
            chunk.pop()
        out.append("".join(chunk).rstrip("\r\n"))
    return out


def sniff_header(path: Path, delimiter: str = ",") -> list[str]:
    """The first CSV row of a file, read cheaply (empty when unreadable)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(65536)
    except OSError:
        return []
    text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    first = text.splitlines()[0] if text.strip() else ""
    try:
        return next(csv.reader([first], delimiter=delimiter), [])
    except csv.Error:
        return []


def parse_iso_date(value: str | None) -> date | None:
    v = clean(value)
    if not v:
        return None
    try:
        return date.fromisoformat(v[:10])
    except ValueError:
        return None


def slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


def add_unique(target: list[Any], item: Any) -> None:
    if item is not None and item not in target:
        target.append(item)


# --------------------------------------------------------------------------- field parsing


def parse_birth_date(text: str) -> BirthDate | None:
    """A CSL date of birth: ``1978-12-05``, ``1978-12``, ``1955``, ``circa 1960``,
    ``1960 to 1962``, ``05 Dec 1978``, ``Dec 1978``; None otherwise."""
    raw = " ".join(text.split())
    body = re.sub(r"^(?:circa|approximately|approx\.|c\.)\s*", "", raw, flags=re.IGNORECASE)
    m = re.fullmatch(r"(\d{4})\s*(?:to|-|–)\s*(\d{4})", body)
    if m:
        y1, y2 = int(m[1]), int(m[2])
        return BirthDate.years(y1, y2, raw) if y1 <= y2 else None
    mo: int | None
    day: int | None
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", body)
    if m is None:
        m2 = re.fullmatch(r"(?:(\d{1,2})\s+)?([A-Za-z]{3})[a-z]*\.?\s+(\d{4})", body)
        if m2 is None or m2[2].lower() not in MONTHS:
            return None
        y, mo = int(m2[3]), MONTHS[m2[2].lower()]
        day = int(m2[1]) if m2[1] else None
    else:
        y = int(m[1])
        mo = int(m[2]) if m[2] else None
        day = int(m[3]) if m[3] else None
    try:
        if mo is None:
            return BirthDate.year(y, raw)
        if day is None:
            last = calendar.monthrange(y, mo)[1]
            return BirthDate(
                precision="month", start=date(y, mo, 1), end=date(y, mo, last), raw=raw
            )
        return BirthDate.exact(date(y, mo, day), raw)
    except ValueError:
        return None


_ID_TYPES: dict[str, IdType] = {
    "passport": IdType.PASSPORT,
    "diplomatic passport": IdType.PASSPORT,
    "travel document number": IdType.PASSPORT,
    "national id no.": IdType.NATIONAL_ID,
    "national foreign id number": IdType.NATIONAL_ID,
    "personal id card": IdType.NATIONAL_ID,
    "identification number": IdType.NATIONAL_ID,
    "cedula no.": IdType.NATIONAL_ID,
    "d.n.i.": IdType.NATIONAL_ID,
    "c.u.r.p.": IdType.NATIONAL_ID,
    "curp #": IdType.NATIONAL_ID,
    "ssn": IdType.NATIONAL_ID,
    "kenyan id no.": IdType.NATIONAL_ID,
    "turkish identification number": IdType.NATIONAL_ID,
    "tax id no.": IdType.TAX_ID,
    "tax identification number": IdType.TAX_ID,
    "v.a.t. number": IdType.TAX_ID,
    "nit #": IdType.TAX_ID,
    "ruc #": IdType.TAX_ID,
    "rfc": IdType.TAX_ID,
    "r.f.c.": IdType.TAX_ID,
    "inn": IdType.INN,
    "ogrn": IdType.OGRN,
    "kpp": IdType.KPP,
    "government gazette number": IdType.OKPO,
    "registration id": IdType.REGISTRATION,
    "registration number": IdType.REGISTRATION,
    "business registration number": IdType.REGISTRATION,
    "public registration number": IdType.REGISTRATION,
    "commercial registry number": IdType.REGISTRATION,
    "company number": IdType.REGISTRATION,
    "matricula mercantil no": IdType.REGISTRATION,
    "c.r. no.": IdType.REGISTRATION,
    "trade license no.": IdType.REGISTRATION,
    "chamber of commerce number": IdType.REGISTRATION,
    "unified social credit code (uscc)": IdType.REGISTRATION,
    "certificate of incorporation number": IdType.REGISTRATION,
    "d-u-n-s number": IdType.REGISTRATION,
    "legal entity number": IdType.LEI,
    "swift/bic": IdType.BIC,
    "iban": IdType.IBAN,
    "vessel registration identification": IdType.IMO,
    "imo": IdType.IMO,
    "mmsi": IdType.MMSI,
    "call sign": IdType.CALL_SIGN,
    "aircraft manufacturer's serial number (msn)": IdType.AIRCRAFT_SERIAL,
    "aircraft construction number (also called l/n or s/n or f/n)": IdType.AIRCRAFT_SERIAL,
    "aircraft tail number": IdType.AIRCRAFT_TAIL,
    "previous aircraft tail number": IdType.AIRCRAFT_TAIL,
    "email address": IdType.EMAIL,
    "website": IdType.WEBSITE,
    "phone number": IdType.PHONE,
    "telephone": IdType.PHONE,
    "fax": IdType.PHONE,
}
#: id-cell item types that are facts about the record, not identifiers (kept as properties)
_PROPERTY_HINTS = (
    "sanction", "directive", "prohibited", "flag", "date", "year of build", "organization type",
    "target type", "aircraft model", "aircraft operator", "transponder", "nationality",
    "vessel type", "ifca", "caatsa", "for more information", "issuer name",
)  # fmt: skip


@dataclass
class IdItem:
    """One item of the ``ids`` cell / JSON ``ids`` array."""

    label: str
    value: str
    country: str | None = None
    issued: str | None = None
    expires: str | None = None


def _is_cc(part: str) -> bool:
    return bool(re.fullmatch(r"[A-Z]{2}", part)) and to_iso(part) is not None


def split_id_item(item: str, layout: str) -> IdItem | None:
    """``Passport, 836238033, KP`` (current) / ``US, 80-0890696, Tax ID No.`` (2019)."""
    parts = [p.strip() for p in item.split(",")]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return IdItem(label="", value=parts[0]) if parts else None
    if layout == "2019":
        label, rest = parts[-1], parts[:-1]
        country = rest.pop(0) if len(rest) >= 2 and _is_cc(rest[0]) else None
    else:
        label, rest = parts[0], parts[1:]
        country = rest.pop() if len(rest) >= 2 and _is_cc(rest[-1]) else None
    return IdItem(label=label, value=", ".join(rest), country=country)


@dataclass
class Facts:
    """What a record's ids / features say, besides its identifiers."""

    identifiers: list[Identifier] = field(default_factory=list)
    gender: str | None = None
    properties: dict[str, list[str]] = field(default_factory=dict)

    def prop(self, key: str, value: str) -> None:
        add_unique(self.properties.setdefault(key, []), value)


def add_id_item(facts: Facts, it: IdItem) -> None:
    label = it.label.strip()
    key = label.lower().rstrip(" :-").strip()
    value = it.value.strip()
    if not value:
        return
    if key == "gender":
        facts.gender = value.lower()
        return
    kind = _ID_TYPES.get(key)
    if kind is None and key.startswith("digital currency address"):
        kind = IdType.CRYPTO_WALLET
    if kind is None and (not key or any(h in key for h in _PROPERTY_HINTS)):
        facts.prop(label.rstrip(" :-") or "ids", value)
        return
    country = to_iso(it.country) if it.country else None
    notes = [it.country] if it.country and country is None else []
    if it.issued:
        notes.append(f"issued {it.issued}")
    if it.expires:
        notes.append(f"expires {it.expires}")
    if kind is IdType.IMO:
        value = re.sub(r"^IMO\s*", "", value)
    kind = kind or IdType.OTHER
    if kind is IdType.TAX_ID and country == "RU" and value.isdigit() and len(value) in (10, 12):
        kind = IdType.INN
    if kind is IdType.REGISTRATION and country in (None, "RU") and value.isdigit():
        kind = IdType.OGRN if ogrn_ok(value) else kind
    ident = Identifier(
        type=kind, value=value, country=country, label=label or None, note="; ".join(notes) or None
    )
    add_unique(facts.identifiers, ident)


def split_multi(value: str | None) -> list[str]:
    out: list[str] = []
    for part in (value or "").split(";"):
        c = clean(part)
        if c:
            add_unique(out, c)
    return out


def address_from_text(text: str) -> Address:
    """A CSV address cell item: the whole string, and its country when it ends in an ISO code."""
    parts = [p.strip() for p in text.split(",") if p.strip()]
    country = parts[-1] if parts and _is_cc(parts[-1]) else None
    if country and len(parts) == 1:
        return Address(country=to_iso(country))
    return Address(full=text, country=to_iso(country) if country else None)


def split_addresses(value: str | None) -> list[Address]:
    """``;``-separated addresses; an item starting with "and " continues the previous one
    (Entity List style "113 Hezuo Road, ...; and 21 Changsheng Street, ..., CN")."""
    items: list[str] = []
    for part in (value or "").split(";"):
        c = clean(part)
        if not c:
            continue
        if items and c.startswith("and "):
            items[-1] = f"{items[-1]}; {c}"
        else:
            items.append(c)
    out: list[Address] = []
    for it in items:
        add_unique(out, address_from_text(it))
    return out


# --------------------------------------------------------------------------- the record


@dataclass
class Record:
    """One CSL record in a format-neutral shape (from a CSV row or a JSON object)."""

    record_id: str
    line: int | None
    raw: str
    raw_format: str
    scalars: dict[str, str]
    alt_names: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    id_items: list[IdItem] = field(default_factory=list)
    dates_of_birth: list[str] = field(default_factory=list)
    places_of_birth: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    citizenships: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)


def build_entity(rec: Record, path: Path, issues: list[ParseIssue]) -> Entity:
    s = rec.scalars

    def issue(message: str) -> None:
        issues.append(ParseIssue(str(path), message, line=rec.line, record=rec.record_id))

    remarks: list[str] = []
    names: list[Name] = []
    primary = clean(s.get("name"))
    if primary:
        m = _SUCCESSOR.search(primary)
        if m and m.start() > 0:
            remarks.append(primary[m.start() :].lstrip(";, "))
            primary = primary[: m.start()].rstrip(" ;,")
        names.append(Name(value=primary, type=NameType.PRIMARY, script=text_script(primary)))
    else:
        issue("record has no name; loaded under its id")
    for alias in rec.alt_names:
        a = alias[4:].strip() if alias.startswith("and ") else alias
        n = Name(value=a, type=NameType.STRONG_ALIAS, script=text_script(a))
        if a and a != primary and n not in names:
            names.append(n)

    facts = Facts()
    for it in rec.id_items:
        add_id_item(facts, it)
    call_sign = clean(s.get("call_sign"))
    if call_sign:
        add_unique(facts.identifiers, Identifier(type=IdType.CALL_SIGN, value=call_sign))

    birth_dates: list[BirthDate] = []
    for raw_dob in rec.dates_of_birth:
        bd = parse_birth_date(raw_dob)
        if bd is None:
            facts.prop("dates_of_birth", raw_dob)
            issue(f"unparsed date of birth {raw_dob!r}")
        else:
            add_unique(birth_dates, bd)
    nationalities: list[str] = []
    for c in [*rec.nationalities, *rec.citizenships]:
        code = to_iso(c)
        if code:
            add_unique(nationalities, code)
        else:
            facts.prop("nationalities", c)
    for c in rec.citizenships:
        facts.prop("citizenships", c)
    countries: list[str] = []
    for c in [*rec.countries, s.get("vessel_flag") or ""]:
        add_unique(countries, to_iso(c))

    listed_on = parse_iso_date(s.get("start_date"))
    if clean(s.get("start_date")) and listed_on is None:
        facts.prop("start_date", s["start_date"])
        issue(f"unparsed start_date {s['start_date']!r}")
    for key in _PROPS:
        v = clean(s.get(key))
        if v:
            facts.prop(key, v)

    relations: list[Relation] = []
    rem = clean(s.get("remarks"))
    if rem:
        remarks.insert(0, rem)
        for m in _LINKED.finditer(rem):
            add_unique(relations, Relation(type="linked_to", target_name=m[1].strip()))
    owner = clean(s.get("vessel_owner"))
    if owner:
        add_unique(relations, Relation(type="owned_by", target_name=owner))

    title = clean(s.get("title"))
    rtype = clean(s.get("type"))
    kind = _KINDS.get((rtype or "").lower(), EntityKind.UNKNOWN)
    if rtype and kind is EntityKind.UNKNOWN:
        issue(f"unknown record type {rtype!r}")
    return Entity(
        id=make_id(SOURCE, rec.record_id),
        source=SOURCE,
        record_id=rec.record_id,
        kind=kind,
        list_name=clean(s.get("source")),
        names=tuple(names),
        addresses=tuple(rec.addresses),
        identifiers=tuple(facts.identifiers),
        birth_dates=tuple(birth_dates),
        birth_places=tuple(rec.places_of_birth),
        nationalities=tuple(nationalities),
        countries=tuple(countries),
        programs=tuple(rec.programs),
        listed_on=listed_on,
        gender=facts.gender,
        titles=(title,) if title else (),
        remarks=tuple(remarks),
        relations=tuple(relations),
        properties={k: tuple(v) for k, v in facts.properties.items()},
        raw=rec.raw,
        raw_format=rec.raw_format,
    )


def dedupe_ids(recs: list[Record], path: Path, issues: list[ParseIssue]) -> None:
    """Publisher ids repeated in one file: the first keeps it, later ones get ``-2``, ..."""
    seen: Counter[str] = Counter()
    for rec in recs:
        seen[rec.record_id] += 1
        if seen[rec.record_id] > 1:
            new = f"{rec.record_id}-{seen[rec.record_id]}"
            issues.append(
                ParseIssue(
                    str(path),
                    f"duplicate record id; loaded as {new}",
                    line=rec.line,
                    record=rec.record_id,
                )
            )
            rec.record_id = new


# --------------------------------------------------------------------------- CSV


def csv_layout(header: Sequence[str]) -> str | None:
    """Layout "current" (with ``_id``), "2019" (without), or None when not the CSL header."""
    cols = {h.strip() for h in header}
    if not cols >= _REQUIRED:
        return None
    return "current" if cols & {"_id", "id"} else "2019"


class CslCsv(Adapter):
    name = "csl_csv"
    source = SOURCE
    urls: ClassVar[dict[str, str]] = {"consolidated.csv": CSV_URL}

    def discover(self, root: Path) -> list[SourceFile] | None:
        found = [
            p
            for p in find_files(root, r"(?:consolidated|csl).*\.csv")
            if csv_layout(sniff_header(p)) is not None
        ]
        best = newest(found)
        return [SourceFile(best, "csl")] if best else None

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        path = files[0].path
        text = read_text(path)
        rows = list(iter_csv(path, text))
        if not rows:
            raise SourceFormatError(path, "file is empty")
        header = [h.strip() for h in rows[0][1]]
        layout = csv_layout(header)
        if layout is None:
            raise SourceFormatError(
                path,
                "header is not the Consolidated Screening List's "
                f"(needs {', '.join(sorted(_REQUIRED))})",
                line=rows[0][0],
            )
        body = rows[1:]
        raws = record_texts(text, [ln for ln, _ in body])
        issues: list[ParseIssue] = []
        recs: list[Record] = []
        for (line, row), raw in zip(body, raws, strict=True):
            if len(row) != len(header):
                raise SourceFormatError(
                    path,
                    f"expected {len(header)} fields, found {len(row)} (truncated or malformed row)",
                    line=line,
                )
            recs.append(_csv_record(dict(zip(header, row, strict=True)), layout, line, raw))
        if layout == "2019":
            bases = [r.record_id for r in recs]
            extras = [f"{r.scalars.get('source')}|{r.scalars.get('addresses')}" for r in recs]
            for rec, rid in zip(recs, disambiguate(bases, extras), strict=True):
                rec.record_id = rid
        else:
            dedupe_ids(recs, path, issues)
        entities = [build_entity(r, path, issues) for r in recs]
        return ParsedDataset(self.name, entities, list(files), None, issues)


def _csv_record(row: dict[str, str], layout: str, line: int, raw: str) -> Record:
    if layout == "current":
        rid = clean(row.get("_id") or row.get("id")) or clean(row.get("entity_number"))
    else:
        rid = clean(row.get("entity_number"))
    if not rid:
        rid = "h-" + short_hash(clean(row.get("source")), clean(row.get("name")))
    ids = [split_id_item(item, layout) for item in split_multi(row.get("ids"))]
    return Record(
        record_id=rid,
        line=line,
        raw=raw,
        raw_format="csv",
        scalars=row,
        alt_names=split_multi(row.get("alt_names")),
        programs=split_multi(row.get("programs")),
        addresses=split_addresses(row.get("addresses")),
        id_items=[i for i in ids if i is not None],
        dates_of_birth=split_multi(row.get("dates_of_birth")),
        places_of_birth=split_multi(row.get("places_of_birth")),
        nationalities=split_multi(row.get("nationalities")),
        citizenships=split_multi(row.get("citizenships")),
    )


# --------------------------------------------------------------------------- JSON


def _strs(value: Any) -> list[str]:
    """A JSON list of strings (or one string, or null) -> cleaned strings."""
    items: Iterable[Any] = value if isinstance(value, list) else [value]
    out: list[str] = []
    for v in items:
        c = clean(str(v)) if v is not None and not isinstance(v, (dict, list)) else None
        if c:
            add_unique(out, c)
    return out


def _json_address(obj: Any) -> Address | None:
    if isinstance(obj, str):
        c = clean(obj)
        return address_from_text(c) if c else None
    if not isinstance(obj, dict):
        return None
    get = {k: clean(str(v)) if v is not None else None for k, v in obj.items()}
    country_raw = get.get("country")
    country = to_iso(country_raw)
    addr = Address(
        street=get.get("address"),
        city=get.get("city"),
        region=get.get("state") or get.get("state_or_province"),
        postcode=get.get("postal_code"),
        country=country,
        country_name=country_raw if country_raw and country is None else None,
    )
    return addr if addr != Address() else None


def _json_id(obj: Any) -> IdItem | None:
    if isinstance(obj, str):
        return split_id_item(obj, "current")
    if not isinstance(obj, dict):
        return None

    def g(k: str) -> str | None:
        v = obj.get(k)
        return clean(str(v)) if v is not None else None

    number = g("number") or g("value")
    if not number:
        return None
    return IdItem(
        label=g("type") or "",
        value=number,
        country=g("country"),
        issued=g("issue_date"),
        expires=g("expiration_date"),
    )


class _Scanner:
    """Walks a ``{"results": [...], ...}`` document keeping each result's verbatim text."""

    _WS = re.compile(r"[ \t\n\r]*")

    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text, self.dec = path, text, json.JSONDecoder()
        self.results: list[tuple[int, str, Any]] = []
        self.others: dict[str, Any] = {}
        self.has_results = False
        self._pos, self._line = 0, 1

    def line_at(self, i: int) -> int:
        if i < self._pos:
            return self.text.count("\n", 0, i) + 1
        self._line += self.text.count("\n", self._pos, i)
        self._pos = i
        return self._line

    def fail(self, i: int, msg: str) -> SourceFormatError:
        return SourceFormatError(self.path, msg, line=self.text.count("\n", 0, i) + 1)

    def skip(self, i: int) -> int:
        m = self._WS.match(self.text, i)
        return m.end() if m else i

    def expect(self, i: int, ch: str) -> int:
        if i >= len(self.text):
            raise self.fail(i, "truncated JSON (unexpected end of file)")
        if self.text[i] != ch:
            raise self.fail(i, f"malformed JSON: expected {ch!r}, found {self.text[i]!r}")
        return self.skip(i + 1)

    def value(self, i: int) -> tuple[Any, int]:
        try:
            return self.dec.raw_decode(self.text, i)
        except json.JSONDecodeError as exc:
            raise SourceFormatError(
                self.path, f"malformed JSON: {exc.msg}", line=exc.lineno
            ) from exc

    def run(self) -> None:
        t = self.text
        i = self.expect(self.skip(0), "{")
        while i < len(t) and t[i] != "}":
            key, i = self.value(i)
            i = self.expect(self.skip(i), ":")
            if key == "results":
                self.has_results = True
                i = self._results(self.expect(i, "["))
            else:
                self.others[str(key)], i = self.value(i)
            i = self.skip(i)
            if i < len(t) and t[i] == ",":
                i = self.skip(i + 1)
            elif i >= len(t) or t[i] != "}":
                raise self.fail(i, "malformed or truncated JSON object")
        i = self.expect(i, "}")
        if i < len(t):
            raise self.fail(i, "unexpected data after the JSON document")

    def _results(self, i: int) -> int:
        t = self.text
        while i < len(t) and t[i] != "]":
            obj, end = self.value(i)
            self.results.append((self.line_at(i), t[i:end], obj))
            i = self.skip(end)
            if i < len(t) and t[i] == ",":
                i = self.skip(i + 1)
            elif i >= len(t) or t[i] != "]":
                raise self.fail(i, "malformed or truncated JSON array 'results'")
        return self.expect(i, "]")


def _published(others: dict[str, Any]) -> date | None:
    stamps: list[date] = []
    used = others.get("sources_used")
    for s in used if isinstance(used, list) else []:
        d = parse_iso_date(str(s.get("source_last_updated") or "")) if isinstance(s, dict) else None
        if d:
            stamps.append(d)
    return max(stamps) if stamps else None


class CslJson(Adapter):
    name = "csl_json"
    source = SOURCE
    urls: ClassVar[dict[str, str]] = {"consolidated.json": JSON_URL}

    def discover(self, root: Path) -> list[SourceFile] | None:
        found = []
        for p in find_files(root, r"(?:consolidated|csl).*\.json"):
            try:
                with p.open("rb") as fh:
                    head = fh.read(65536).decode("utf-8", errors="replace")
            except OSError:
                continue
            if (
                head.lstrip("\ufeff \t\r\n").startswith("{")
                and '"results"' in head
                and ('"source_list_url"' in head or '"alt_names"' in head)
            ):
                found.append(p)
        best = newest(found)
        return [SourceFile(best, "csl")] if best else None

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        path = files[0].path
        scan = _Scanner(path, read_text(path))
        scan.run()
        if not scan.has_results:
            raise SourceFormatError(path, "no 'results' array: not the CSL JSON")
        issues: list[ParseIssue] = []
        recs = []
        for n, (line, raw, obj) in enumerate(scan.results, start=1):
            if not isinstance(obj, dict) or "source" not in obj:
                raise SourceFormatError(
                    path, "result is not a CSL record (no 'source')", line=line, record=f"#{n}"
                )
            recs.append(_json_record(obj, line, raw))
        dedupe_ids(recs, path, issues)
        entities = [build_entity(r, path, issues) for r in recs]
        return ParsedDataset(self.name, entities, list(files), _published(scan.others), issues)


def _json_record(obj: dict[str, Any], line: int, raw: str) -> Record:
    scalars = {
        k: ("; ".join(_strs(v)) if isinstance(v, list) else str(v))
        for k, v in obj.items()
        if v is not None and not isinstance(v, dict)
    }
    rid = (
        clean(scalars.get("id")) or clean(scalars.get("_id")) or clean(scalars.get("entity_number"))
    )
    if not rid:
        rid = "h-" + short_hash(clean(scalars.get("source")), clean(scalars.get("name")))
    addrs: list[Address] = []
    for a in obj.get("addresses") or []:
        add_unique(addrs, _json_address(a))
    ids = [_json_id(x) for x in (obj.get("ids") or [])]
    return Record(
        record_id=rid,
        line=line,
        raw=raw,
        raw_format="json",
        scalars=scalars,
        alt_names=_strs(obj.get("alt_names")),
        programs=_strs(obj.get("programs")),
        addresses=addrs,
        id_items=[i for i in ids if i is not None],
        dates_of_birth=_strs(obj.get("dates_of_birth")),
        places_of_birth=_strs(obj.get("places_of_birth")),
        nationalities=_strs(obj.get("nationalities")),
        citizenships=_strs(obj.get("citizenships")),
        countries=_strs(obj.get("country")),
    )


def parse_us_date(value: str | None) -> date | None:
    """``MM/DD/YYYY`` (BIS) -> date; None when empty or not a date."""
    v = clean(value)
    if not v:
        return None
    for fmt in ("%m/%d/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(v, fmt).date()
        except ValueError:
            continue
    return None
