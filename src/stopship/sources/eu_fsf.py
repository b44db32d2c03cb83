"""EU consolidated Financial Sanctions Files (FSF), XML 1.1 and CSV (1.1 and the older 1.0).

XML (namespace ``http://eu.europa.ec/fpi/fsd/export``): root ``export`` (attribute
``generationDate``) holding ``sanctionEntity`` elements keyed by ``logicalId``, with child
elements ``regulation``, ``subjectType``, ``nameAlias``, ``citizenship``, ``birthdate``,
``address``, ``identification`` and ``remark``; the data sits in attributes.

CSV: semicolon-separated, one row per (entity x name / address / birth date / document /
citizenship), grouped into entities by ``Entity_LogicalId`` (1.1) or ``Entity_logical_id``
(1.0, whose header repeats that column: the first occurrence is the entity's).
"""

from __future__ import annotations

import calendar
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import ClassVar
from xml.etree.ElementTree import Element, register_namespace, tostring

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
    make_id,
)
from stopship.normalize.scripts import text_script
from stopship.sources.base import (
    Adapter,
    ParsedDataset,
    ParseIssue,
    SourceFile,
    clean,
    find_files,
    iter_csv,
    local,
    newest,
    parse_xml,
    read_bytes,
    read_text,
)

NS = "http://eu.europa.ec/fpi/fsd/export"
SOURCE = "eu"
LIST_NAME = "EU Consolidated Financial Sanctions List"
_TOKEN = "dG9rZW4tMjAxNw"
XML_URL = (
    "https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content"
    f"?token={_TOKEN}"
)
CSV_URL = (
    "https://webgate.ec.europa.eu/fsd/fsf/public/files/csvFullSanctionsList_1_1/content"
    f"?token={_TOKEN}"
)

register_namespace("", NS)  # serialise raw records as <sanctionEntity xmlns="...">

_KINDS = {
    "person": EntityKind.PERSON,
    "p": EntityKind.PERSON,
    "enterprise": EntityKind.ORGANIZATION,
    "e": EntityKind.ORGANIZATION,
    "entity": EntityKind.ORGANIZATION,
}

# FSF identificationTypeCode -> IdType
_ID_TYPES = {
    "passport": IdType.PASSPORT,
    "id": IdType.NATIONAL_ID,
    "ssn": IdType.NATIONAL_ID,
    "regnumber": IdType.REGISTRATION,
    "tax": IdType.TAX_ID,
    "fiscalcode": IdType.TAX_ID,
    "swiftbic": IdType.BIC,
    "imo": IdType.IMO,
    "other": IdType.OTHER,
}

_CONTACT_TYPES = {
    "phone": IdType.PHONE,
    "fax": IdType.PHONE,
    "email": IdType.EMAIL,
    "web": IdType.WEBSITE,
    "website": IdType.WEBSITE,
}

_WEAK_REMARK = re.compile(r"\blow?\s+quality\b", re.IGNORECASE)


def iso_country(code: str | None, description: str | None = None) -> tuple[str | None, str | None]:
    """(ISO alpha-2, published name when it could not be mapped) from FSF country fields."""
    c = clean(code)
    d = clean(description)
    if d is not None and d.upper() == "UNKNOWN":
        d = None
    if c is not None and c not in ("00", "0"):
        iso = to_iso(c)
        if iso is not None:
            return iso, None
    if d is not None:
        iso = to_iso(d)
        return (iso, None) if iso is not None else (None, d)
    return None, None


def parse_iso_date(value: str | None) -> date | None:
    """``2022-02-25`` / ``2022-02-25T10:00:00+01:00`` / ``25/02/2022`` -> date."""
    v = clean(value)
    if v is None:
        return None
    m = re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", v)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", v)
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        return None
    return None


def _int(value: str | None) -> int | None:
    v = clean(value)
    return int(v) if v is not None and v.isdigit() and int(v) > 0 else None


def birth_date(
    full: str | None,
    day: str | None = None,
    month: str | None = None,
    year: str | None = None,
    range_from: str | None = None,
    range_to: str | None = None,
    circa: str | None = None,
) -> BirthDate | None:
    """One FSF birth date from its parts (full ISO date, or day/month/year, or a year range)."""
    approx = (clean(circa) or "").lower() == "true"
    prefix = "circa " if approx else ""
    d = parse_iso_date(full)
    if d is not None:
        return BirthDate.exact(d, raw=prefix + (clean(full) or ""))
    y, mo, dd = _int(year), _int(month), _int(day)
    if y is not None and mo is not None and 1 <= mo <= 12:
        if dd is not None:
            try:
                return BirthDate.exact(date(y, mo, dd), raw=f"{prefix}{y:04d}-{mo:02d}-{dd:02d}")
            except ValueError:
                pass
        last = calendar.monthrange(y, mo)[1]
        return BirthDate(
            precision="month",
            start=date(y, mo, 1),
            end=date(y, mo, last),
            raw=f"{prefix}{y:04d}-{mo:02d}",
        )
    if y is not None:
        return BirthDate.year(y, raw=f"{prefix}{y}")
    y1, y2 = _int(range_from), _int(range_to)
    if y1 is not None and y2 is not None and y1 <= y2:
        return BirthDate.years(y1, y2, raw=f"{prefix}{y1}-{y2}")
    if y1 is not None or y2 is not None:
        only = y1 if y1 is not None else y2
        assert only is not None
        return BirthDate.year(only, raw=f"{prefix}{only}")
    return None


def _gender(value: str | None) -> str | None:
    v = (clean(value) or "").lower()
    return {"m": "male", "f": "female", "male": "male", "female": "female"}.get(v)


def _add(seq: list[str], value: str | None) -> None:
    v = clean(value)
    if v is not None and v not in seq:
        seq.append(v)


@dataclass
class _Draft:
    """An entity being assembled from an FSF record (XML element or grouped CSV rows)."""

    record_id: str
    kind: EntityKind = EntityKind.UNKNOWN
    names: list[Name] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    birth_dates: list[BirthDate] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    programs: list[str] = field(default_factory=list)
    listed_on: date | None = None
    gender: str | None = None
    titles: list[str] = field(default_factory=list)
    positions: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    properties: dict[str, list[str]] = field(default_factory=dict)

    def prop(self, key: str, value: str | None) -> None:
        _add(self.properties.setdefault(key, []), value)

    def name(
        self,
        whole: str | None,
        first: str | None = None,
        middle: str | None = None,
        last: str | None = None,
        *,
        lang: str | None = None,
        strong: str | None = None,
        remark: str | None = None,
    ) -> None:
        value = clean(whole) or clean(" ".join(p for p in (first, middle, last) if p))
        if value is None:
            return
        script = text_script(value)
        note = clean(remark)
        weak = (clean(strong) or "").lower() == "false" or bool(note and _WEAK_REMARK.search(note))
        if not any(n.type is NameType.PRIMARY for n in self.names):
            ntype = NameType.PRIMARY
        elif weak:
            ntype = NameType.WEAK_ALIAS
        elif script not in ("Latn", "Zyyy"):
            ntype = NameType.ORIGINAL_SCRIPT
        else:
            ntype = NameType.STRONG_ALIAS
        if any(n.value == value and n.type is ntype for n in self.names):
            return
        lang_code = (clean(lang) or "").lower() or None
        self.names.append(Name(value=value, type=ntype, script=script, lang=lang_code, note=note))

    def person_details(self, gender: str | None, title: str | None, function: str | None) -> None:
        self.gender = self.gender or _gender(gender)
        _add(self.titles, title)
        if self.kind is EntityKind.PERSON:
            _add(self.positions, function)
        else:
            self.prop("function", function)

    def address(
        self,
        *,
        street: str | None,
        po_box: str | None,
        city: str | None,
        postcode: str | None,
        region: str | None,
        place: str | None,
        country: str | None,
        country_desc: str | None,
        note: str | None = None,
    ) -> None:
        iso, cname = iso_country(country, country_desc)
        box = clean(po_box)
        street_v = clean(street)
        if box:
            street_v = f"{street_v}, P.O. Box {box}" if street_v else f"P.O. Box {box}"
        notes = [n for n in (clean(place), clean(note)) if n]
        addr = Address(
            street=street_v,
            city=clean(city),
            postcode=clean(postcode),
            region=clean(region),
            country=iso,
            country_name=cname,
            note="; ".join(notes) or None,
        )
        if addr != Address() and addr not in self.addresses:
            self.addresses.append(addr)

    def identifier(
        self,
        code: str | None,
        number: str | None,
        latin: str | None,
        country: str | None,
        country_desc: str | None,
        label: str | None,
        note: str | None = None,
    ) -> None:
        id_type = _ID_TYPES.get((clean(code) or "").lower(), IdType.OTHER)
        iso, _ = iso_country(country, country_desc)
        lab = clean(label) or clean(code)
        for value in (clean(number), clean(latin)):
            if value is None:
                continue
            ident = Identifier(type=id_type, value=value, country=iso, label=lab, note=note)
            if ident not in self.identifiers:
                self.identifiers.append(ident)

    def birth(self, bd: BirthDate | None, place_parts: Sequence[str | None]) -> None:
        if bd is not None and bd not in self.birth_dates:
            self.birth_dates.append(bd)
        place = ", ".join(p for p in (clean(x) for x in place_parts) if p)
        _add(self.birth_places, place or None)

    def build(self, raw: str, raw_format: str, list_name: str = LIST_NAME) -> Entity:
        return Entity(
            id=make_id(SOURCE, self.record_id),
            source=SOURCE,
            record_id=self.record_id,
            kind=self.kind,
            list_name=list_name,
            names=tuple(self.names),
            addresses=tuple(self.addresses),
            identifiers=tuple(self.identifiers),
            birth_dates=tuple(self.birth_dates),
            birth_places=tuple(self.birth_places),
            nationalities=tuple(self.nationalities),
            programs=tuple(self.programs),
            listed_on=self.listed_on,
            gender=self.gender,
            titles=tuple(self.titles),
            positions=tuple(self.positions),
            remarks=tuple(self.remarks),
            properties={k: tuple(v) for k, v in self.properties.items() if v},
            raw=raw,
            raw_format=raw_format,
        )


def _no_name_issue(path: Path, record: str, line: int | None = None) -> ParseIssue:
    return ParseIssue(str(path), "record has no name; loaded under its id", line, record)


# --------------------------------------------------------------------------- XML


def _sniff(path: Path, needle: bytes, size: int = 4096) -> bool:
    try:
        with path.open("rb") as fh:
            return needle in fh.read(size)
    except OSError:
        return False


class EuFsfXml(Adapter):
    name: ClassVar[str] = "eu_fsf_xml"
    source: ClassVar[str] = SOURCE
    urls: ClassVar[dict[str, str]] = {"eu_fsf.xml": XML_URL}

    def discover(self, root: Path) -> list[SourceFile] | None:
        found = [p for p in find_files(root, r".*\.xml") if _sniff(p, NS.encode())]
        best = newest(found)
        return [SourceFile(best, "consolidated")] if best else None

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        path = files[0].path
        root = parse_xml(path, read_bytes(path))
        if local(root.tag) != "export" or not root.tag.startswith("{" + NS):
            raise SourceFormatError(
                path, f"not an EU FSF export (root element {local(root.tag)!r})", line=1
            )
        published = parse_iso_date(root.get("generationDate"))
        entities: list[Entity] = []
        issues: list[ParseIssue] = []
        seen: set[str] = set()
        for pos, el in enumerate(root, start=1):
            if local(el.tag) != "sanctionEntity":
                continue
            rid = clean(el.get("logicalId"))
            if rid is None:
                raise SourceFormatError(
                    path, f"sanctionEntity #{pos} has no logicalId", record=f"#{pos}"
                )
            if rid in seen:
                issues.append(
                    ParseIssue(str(path), "duplicate logicalId; kept the first", None, rid)
                )
                continue
            seen.add(rid)
            entity = self._entity(el, rid)
            if not entity.names:
                issues.append(_no_name_issue(path, rid))
            entities.append(entity)
        if not entities:
            issues.append(ParseIssue(str(path), "file holds no sanctionEntity records"))
        return ParsedDataset(self.name, entities, list(files), published, issues)

    def _entity(self, el: Element, rid: str) -> Entity:
        draft = _Draft(record_id=rid)
        for child in el:
            if local(child.tag) == "subjectType":
                code = clean(child.get("code")) or clean(child.get("classificationCode"))
                draft.kind = _KINDS.get((code or "").lower(), EntityKind.UNKNOWN)
        listed = [parse_iso_date(el.get("designationDate"))]
        for key in ("euReferenceNumber", "unitedNationId", "designationDetails"):
            draft.prop(key, el.get(key))
        for child in el:
            tag = local(child.tag)
            a = child.get
            if tag == "regulation":
                _add(draft.programs, a("programme"))
                draft.prop("regulation", a("numberTitle"))
                listed.append(parse_iso_date(a("publicationDate")))
                for sub in child:
                    if local(sub.tag) == "publicationUrl":
                        draft.prop("publication_url", sub.text)
            elif tag == "nameAlias":
                draft.name(
                    a("wholeName"),
                    a("firstName"),
                    a("middleName"),
                    a("lastName"),
                    lang=a("nameLanguage"),
                    strong=a("strong"),
                    remark=_remark(child),
                )
                draft.person_details(a("gender"), a("title"), a("function"))
            elif tag == "citizenship":
                iso, cname = iso_country(a("countryIso2Code"), a("countryDescription"))
                if iso and iso not in draft.nationalities:
                    draft.nationalities.append(iso)
                draft.prop("citizenship_unmapped", cname)
            elif tag == "birthdate":
                bd = birth_date(
                    a("birthdate"),
                    a("dayOfMonth"),
                    a("monthOfYear"),
                    a("year"),
                    a("yearRangeFrom"),
                    a("yearRangeTo"),
                    a("circa"),
                )
                country = iso_country(a("countryIso2Code"), a("countryDescription"))
                desc = clean(a("countryDescription"))
                if desc and desc.upper() == "UNKNOWN":
                    desc = None
                draft.birth(
                    bd, (a("place"), a("city"), a("zipCode"), a("region"), desc or country[0])
                )
            elif tag == "address":
                draft.address(
                    street=a("street"),
                    po_box=a("poBox"),
                    city=a("city"),
                    postcode=a("zipCode"),
                    region=a("region"),
                    place=a("place"),
                    country=a("countryIso2Code"),
                    country_desc=a("countryDescription"),
                    note=_remark(child),
                )
                for sub in child:
                    if local(sub.tag) == "contactInfo":
                        _contact(draft, sub.get("key"), sub.get("value"))
            elif tag == "identification":
                flags = [
                    k
                    for k in (
                        "diplomatic",
                        "knownExpired",
                        "knownFalse",
                        "reportedLost",
                        "revokedByIssuer",
                    )
                    if (clean(a(k)) or "").lower() == "true"
                ]
                note = "; ".join(filter(None, [", ".join(flags), _remark(child)])) or None
                draft.identifier(
                    a("identificationTypeCode"),
                    a("number"),
                    a("latinNumber"),
                    a("countryIso2Code"),
                    a("countryDescription"),
                    a("identificationTypeDescription"),
                    note,
                )
            elif tag == "remark":
                _add(draft.remarks, child.text)
        dates = [d for d in listed if d is not None]
        draft.listed_on = listed[0] or (min(dates) if dates else None)
        return draft.build(tostring(el, encoding="unicode").strip(), "xml")


def _remark(el: Element) -> str | None:
    parts = [clean(c.text) for c in el if local(c.tag) == "remark"]
    return "; ".join(p for p in parts if p) or None


def _contact(draft: _Draft, key: str | None, value: str | None) -> None:
    k = (clean(key) or "").lower()
    for v in re.split(r"[;,]\s*", clean(value) or ""):
        if v:
            id_type = _CONTACT_TYPES.get(k, IdType.OTHER)
            ident = Identifier(type=id_type, value=v, label=clean(key))
            if ident not in draft.identifiers:
                draft.identifiers.append(ident)


# --------------------------------------------------------------------------- CSV

# canonical field -> (1.1 column, 1.0 column or None when that version has none)
_COLS: dict[str, tuple[str, str | None]] = {
    "file_date": ("fileGenerationDate", "Date_file"),
    "id": ("Entity_LogicalId", "Entity_logical_id"),
    "eu_ref": ("Entity_EU_ReferenceNumber", "EU_ref_num"),
    "un_id": ("Entity_UnitedNationId", None),
    "designation_date": ("Entity_DesignationDate", None),
    "designation_details": ("Entity_DesignationDetails", None),
    "remark": ("Entity_Remark", "Entity_remark"),
    "subject": ("Entity_SubjectType", "Subject_type"),
    "subject_code": ("Entity_SubjectType_ClassificationCode", None),
    "reg_date": ("Entity_Regulation_PublicationDate", "Leba_publication_date"),
    "reg_title": ("Entity_Regulation_NumberTitle", "Leba_numtitle"),
    "programme": ("Entity_Regulation_Programme", "Programme"),
    "reg_url": ("Entity_Regulation_PublicationUrl", "Leba_url"),
    "n_last": ("NameAlias_LastName", "Naal_lastname"),
    "n_first": ("NameAlias_FirstName", "Naal_firstname"),
    "n_middle": ("NameAlias_MiddleName", "Naal_middlename"),
    "n_whole": ("NameAlias_WholeName", "Naal_wholename"),
    "n_lang": ("NameAlias_NameLanguage", "Naal_language"),
    "n_gender": ("NameAlias_Gender", "Naal_gender"),
    "n_title": ("NameAlias_Title", "Naal_title"),
    "n_function": ("NameAlias_Function", "Naal_function"),
    "n_id": ("NameAlias_LogicalId", "Naal_logical_id"),
    "n_remark": ("NameAlias_Remark", None),
    "a_city": ("Address_City", "Addr_city"),
    "a_street": ("Address_Street", "Addr_street"),
    "a_pobox": ("Address_PoBox", None),
    "a_zip": ("Address_ZipCode", "Addr_zipcode"),
    "a_region": ("Address_Region", None),
    "a_place": ("Address_Place", "Addr_other"),
    "a_country": ("Address_CountryIso2Code", "Addr_country"),
    "a_country_desc": ("Address_CountryDescription", None),
    "a_contact": ("Address_ContactInfo", None),
    "a_id": ("Address_LogicalId", None),
    "a_remark": ("Address_Remark", None),
    "b_date": ("BirthDate_BirthDate", "Birt_date"),
    "b_day": ("BirthDate_Day", None),
    "b_month": ("BirthDate_Month", None),
    "b_year": ("BirthDate_Year", None),
    "b_from": ("BirthDate_YearRangeFrom", None),
    "b_to": ("BirthDate_YearRangeTo", None),
    "b_circa": ("BirthDate_Circa", None),
    "b_zip": ("BirthDate_ZipCode", None),
    "b_region": ("BirthDate_Region", None),
    "b_place": ("BirthDate_Place", "Birt_place"),
    "b_city": ("BirthDate_City", None),
    "b_country": ("BirthDate_CountryIso2Code", "Birt_country"),
    "b_country_desc": ("BirthDate_CountryDescription", None),
    "b_id": ("BirthDate_LogicalId", None),
    "i_number": ("Identification_Number", "Iden_number"),
    "i_latin": ("Identification_LatinNumber", None),
    "i_type": ("Identification_TypeCode", None),
    "i_type_desc": ("Identification_TypeDescription", None),
    "i_country": ("Identification_CountryIso2Code", "Iden_country"),
    "i_country_desc": ("Identification_CountryDescription", None),
    "i_id": ("Identification_LogicalId", None),
    "i_remark": ("Identification_Remark", None),
    "c_country": ("Citizenship_CountryIso2Code", "Citi_country"),
    "c_country_desc": ("Citizenship_CountryDescription", None),
    "c_id": ("Citizenship_LogicalId", None),
}


@dataclass
class _Group:
    first_line: int
    rows: list[dict[str, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


class EuFsfCsv(Adapter):
    name: ClassVar[str] = "eu_fsf_csv"
    source: ClassVar[str] = SOURCE
    urls: ClassVar[dict[str, str]] = {"eu_fsf.csv": CSV_URL}

    def discover(self, root: Path) -> list[SourceFile] | None:
        csvs = find_files(root, r".*\.csv")
        v11 = [p for p in csvs if _sniff(p, b"Entity_LogicalId;")]
        v10 = [p for p in csvs if _sniff(p, b"Entity_logical_id;")]
        best = newest(v11) or newest(v10)  # prefer the documented 1.1 layout
        return [SourceFile(best, "consolidated")] if best else None

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        path = files[0].path
        text = read_text(path, ("utf-8",))
        records = csv_records(path, text, delimiter=";")
        header = records[0][1] if records else []
        version = 0 if "Entity_LogicalId" in header else 1
        index: dict[str, int] = {}
        for key, names in _COLS.items():
            col = names[version]
            if col is not None and col in header:
                index[key] = header.index(col)  # first occurrence (1.0 repeats the id column)
        if "id" not in index or not ({"n_whole", "n_last"} & index.keys()):
            raise SourceFormatError(
                path,
                "not an EU FSF CSV: header lacks Entity_LogicalId / NameAlias_WholeName "
                "(or the 1.0 Entity_logical_id / Naal_wholename)",
                line=1,
            )
        width = len(header)
        groups: dict[str, _Group] = {}
        published: date | None = None
        for line_no, row, raw in records[1:]:
            if len(row) != width:
                raise SourceFormatError(
                    path,
                    f"expected {width} fields, found {len(row)} (truncated or not this format)",
                    line=line_no,
                )
            rec = {k: row[i] for k, i in index.items()}
            rid = clean(rec["id"])
            if rid is None:
                raise SourceFormatError(path, "row has no entity logical id", line=line_no)
            published = published or parse_iso_date(rec.get("file_date"))
            grp = groups.setdefault(rid, _Group(first_line=line_no))
            grp.rows.append(rec)
            grp.lines.append(raw)
        entities: list[Entity] = []
        issues: list[ParseIssue] = []
        for rid, grp in groups.items():
            entity = _csv_entity(rid, grp)
            if not entity.names:
                issues.append(_no_name_issue(path, rid, grp.first_line))
            entities.append(entity)
        if not entities:
            issues.append(ParseIssue(str(path), "file holds no records"))
        return ParsedDataset(self.name, entities, list(files), published, issues)


def csv_records(path: Path, text: str, *, delimiter: str) -> list[tuple[int, list[str], str]]:
    """(line, fields, the row's text as published) for each CSV row; a quoted field may
    span several physical lines, so a row's text runs up to the next row's first line."""
    lines = io.StringIO(text, newline="").readlines()
    rows = list(iter_csv(path, text, delimiter=delimiter))
    out: list[tuple[int, list[str], str]] = []
    for i, (line_no, row) in enumerate(rows):
        end = rows[i + 1][0] - 1 if i + 1 < len(rows) else len(lines)
        out.append((line_no, row, "".join(lines[line_no - 1 : end]).rstrip("\r\n")))
    return out


def _once(seen: set[tuple[str, ...]], key: tuple[str, ...]) -> bool:
    """True the first time a sub-record (by its logical id, else its content) is met."""
    if not any(key[1:]) or key in seen:
        return False
    seen.add(key)
    return True


def _csv_entity(rid: str, grp: _Group) -> Entity:
    first = grp.rows[0]
    g = first.get
    draft = _Draft(record_id=rid)
    subject = clean(g("subject_code")) or clean(g("subject"))
    draft.kind = _KINDS.get((subject or "").lower(), EntityKind.UNKNOWN)
    seen: set[tuple[str, ...]] = set()
    listed: list[date | None] = [parse_iso_date(g("designation_date"))]
    for rec in grp.rows:
        r = rec.get
        _add(draft.programs, r("programme"))
        draft.prop("regulation", r("reg_title"))
        draft.prop("publication_url", r("reg_url"))
        draft.prop("euReferenceNumber", r("eu_ref"))
        draft.prop("unitedNationId", r("un_id"))
        draft.prop("designationDetails", r("designation_details"))
        _add(draft.remarks, r("remark"))
        listed.append(parse_iso_date(r("reg_date")))
        name_key = ("n", r("n_id") or "", r("n_whole") or "", r("n_last") or "", r("n_first") or "")
        if _once(seen, name_key):
            draft.name(
                r("n_whole"),
                r("n_first"),
                r("n_middle"),
                r("n_last"),
                lang=r("n_lang"),
                remark=r("n_remark"),
            )
            draft.person_details(r("n_gender"), r("n_title"), r("n_function"))
        addr_parts = tuple(
            r(k) or ""
            for k in (
                "a_street",
                "a_city",
                "a_zip",
                "a_region",
                "a_place",
                "a_country",
                "a_country_desc",
                "a_pobox",
            )
        )
        if _once(seen, ("a", r("a_id") or "", *addr_parts)):
            draft.address(
                street=r("a_street"),
                po_box=r("a_pobox"),
                city=r("a_city"),
                postcode=r("a_zip"),
                region=r("a_region"),
                place=r("a_place"),
                country=r("a_country"),
                country_desc=r("a_country_desc"),
                note=r("a_remark"),
            )
            draft.prop("contact_info", r("a_contact"))
        birth_parts = tuple(
            r(k) or ""
            for k in (
                "b_date",
                "b_day",
                "b_month",
                "b_year",
                "b_from",
                "b_to",
                "b_place",
                "b_city",
                "b_country",
                "b_country_desc",
            )
        )
        if _once(seen, ("b", r("b_id") or "", *birth_parts)):
            bd = birth_date(
                r("b_date"),
                r("b_day"),
                r("b_month"),
                r("b_year"),
                r("b_from"),
                r("b_to"),
                r("b_circa"),
            )
            iso, _ = iso_country(r("b_country"), r("b_country_desc"))
            desc = clean(r("b_country_desc"))
            if desc and desc.upper() == "UNKNOWN":
                desc = None
            draft.birth(bd, (r("b_place"), r("b_city"), r("b_zip"), r("b_region"), desc or iso))
        id_parts = tuple(r(k) or "" for k in ("i_number", "i_latin", "i_type", "i_country"))
        if _once(seen, ("i", r("i_id") or "", *id_parts)):
            draft.identifier(
                r("i_type"),
                r("i_number"),
                r("i_latin"),
                r("i_country"),
                r("i_country_desc"),
                r("i_type_desc"),
                clean(r("i_remark")),
            )
        iso, cname = iso_country(r("c_country"), r("c_country_desc"))
        if iso and iso not in draft.nationalities:
            draft.nationalities.append(iso)
        draft.prop("citizenship_unmapped", cname)
    dates = [d for d in listed if d is not None]
    draft.listed_on = listed[0] or (min(dates) if dates else None)
    return draft.build("\n".join(grp.lines), "csv")
