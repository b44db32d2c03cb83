"""FCDO UK Sanctions List, full format (``UK-Sanctions-List.xml`` / ``.csv``).

The only UK list since OFSI's Consolidated List closed (28 January 2026). No real full copy
was available when this was written: it follows the publisher's documented layout as
used by public parsers.

XML: root ``Designations`` (a ``DateGenerated`` child, when present, is the publication
date) with one ``Designation`` per designation under one regime: ``UniqueID``,
``OFSIGroupID``, ``UNReferenceNumber``, ``LastUpdated``, ``DateDesignated``,
``Names/Name`` (``Name1``..``Name6``, ``NameType``, ``AliasStrength``),
``NonLatinNames/NonLatinName`` (``NameNonLatinScript``, ``NonLatinScriptType``,
``NonLatinScriptLanguage``), ``RegimeName``, ``IndividualEntityShip``,
``DesignationSource``, ``SanctionsImposed``, ``OtherInformation``,
``UKStatementofReasons``, ``Addresses/Address`` (``AddressLine1``..``6``,
``AddressPostalCode``, ``AddressCountry``), ``PhoneNumbers``, ``EmailAddresses``,
``IndividualDetails/Individual`` (``DOBs/DOB``, ``Nationalities``, ``Positions``,
``BirthDetails/Location``, ...), ``EntityDetails`` and ``ShipDetails/Ship`` (``IMONumbers``,
``CurrentOwnerOperators``, ``CurrentBelievedFlagOfShips``, ...). Detail elements are
matched by their local names wherever they are nested, so minor re-nesting is tolerated.

CSV: a metadata first row, then a header (``Unique ID, OFSI Group ID, Name 6, Name 1..5,
Name type, Alias strength, ..., Designation Type, ...``), one row per name.

One target designated under several regimes has several Unique IDs and one OFSI group id:
designations are merged into one entity ``uk:<OFSI group id>`` (``uk:<Unique ID>`` when
there is no group id).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar
from xml.etree.ElementTree import Element, tostring

from stopship.errors import SourceFormatError
from stopship.model import Entity, Identifier, IdType, NameType
from stopship.sources.base import (
    Adapter,
    ParsedDataset,
    ParseIssue,
    SourceFile,
    clean,
    find_files,
    local,
    newest,
    parse_xml,
    read_text,
)
from stopship.sources.uk_ofsi import (
    KINDS,
    SOURCE,
    UkBuilder,
    _csv_rows,
    join_name,
    lang_code,
    parse_date,
    registration_ids,
    resolve_names,
    split_numbered,
)

ROLE = "uk_sanctions_list"
LIST_NAME = "UK Sanctions List"
XML_URL = "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml"
CSV_URL = "https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv"
_NAME_RX = r"uk[-_ ]?sanctions[-_ ]?list(?![-_ ]?summary).*\.{ext}"


def _sniff(path: Path, needle: bytes) -> bool:
    try:
        with path.open("rb") as fh:
            return needle in fh.read(8192)
    except OSError:
        return False


def _any_date(text: str) -> date | None:
    """A publication date in free text: dd/mm/yyyy, dd-mm-yyyy, ISO, or '28 January 2026'."""
    for m in re.finditer(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{2}-\d{2}", text):
        d = parse_date(m.group(0))
        if d:
            return d
    for m in re.finditer(r"\d{1,2}[ -][A-Za-z]{3,9}[ -]\d{4}", text):
        for fmt in ("%d %B %Y", "%d %b %Y", "%d-%b-%Y", "%d-%B-%Y"):
            try:
                return datetime.strptime(m.group(0), fmt).date()
            except ValueError:
                continue
    return None


def _record_key(group_id: str | None, unique_id: str | None) -> str | None:
    return clean(group_id) or clean(unique_id)


# --------------------------------------------------------------------------- XML


def _texts(el: Element, tag: str) -> list[str]:
    """Texts of all descendants named ``tag`` (namespace ignored)."""
    out = []
    for d in el.iter():
        if local(d.tag) == tag:
            v = clean(d.text)
            if v is not None:
                out.append(v)
    return out


def _child(el: Element, tag: str) -> str | None:
    for c in el:
        if local(c.tag) == tag:
            return clean(c.text)
    return None


def _xml_designation(b: UkBuilder, d: Element, names: list[tuple[str, str, str]]) -> None:
    b.add_raw(tostring(d, encoding="unicode").strip())
    kind = KINDS.get((_child(d, "IndividualEntityShip") or "").casefold())
    if kind is not None:
        b.kind = kind
    b.add_prop("unique_id", _child(d, "UniqueID"))
    b.add_prop("ofsi_group_id", _child(d, "OFSIGroupID"))
    for ref in _texts(d, "UNReferenceNumber"):
        b.add_prop("un_reference", ref)
    for n in (e for e in d.iter() if local(e.tag) == "Name" and len(e)):
        full = join_name(_child(n, f"Name{i}") for i in range(1, 7)) or _child(n, "Name")
        if full:
            names.append((full, _child(n, "NameType") or "", _child(n, "AliasStrength") or ""))
    for n in (e for e in d.iter() if local(e.tag) == "NonLatinName"):
        b.add_name(
            _child(n, "NameNonLatinScript"),
            NameType.ORIGINAL_SCRIPT,
            lang_code(_child(n, "NonLatinScriptLanguage")),
        )
    for regime in _texts(d, "RegimeName"):
        b.add_program(regime)
    for v in _texts(d, "DesignationSource"):
        b.add_prop("designation_source", v)
    for v in _texts(d, "SanctionsImposed"):
        for measure in v.split("|"):
            b.add_prop("sanctions_imposed", measure)
    for v in _texts(d, "DateDesignated"):
        b.set_listed_on(v)
    for v in _texts(d, "LastUpdated"):
        b.add_prop("last_updated", v)
    for v in _texts(d, "OtherInformation"):
        b.apply_other_information(v)
    for v in _texts(d, "UKStatementofReasons"):
        b.add_remark(v)
    for a in (e for e in d.iter() if local(e.tag) == "Address"):
        b.add_address(
            [_child(a, f"AddressLine{i}") for i in range(1, 7)],
            _child(a, "AddressPostalCode"),
            _child(a, "AddressCountry"),
        )
    _xml_details(b, d)


_ID_TAGS: dict[str, IdType] = {
    "PhoneNumber": IdType.PHONE,
    "EmailAddress": IdType.EMAIL,
    "Website": IdType.WEBSITE,
    "IMONumber": IdType.IMO,
    "HullIdentificationNumber": IdType.REGISTRATION,
}
_PROP_TAGS: dict[str, str] = {
    "TypeOfEntity": "entity_type",
    "TypeOfShip": "type_of_ship",
    "CurrentBelievedFlagOfShip": "flag_of_ship",
    "PreviousFlag": "previous_flags",
    "PreviousFlags": "previous_flags",
    "TonnageOfShip": "tonnage_of_ship",
    "LengthOfShip": "length_of_ship",
    "YearBuilt": "year_built",
}
_REL_TAGS: dict[str, str] = {
    "ParentCompany": "subsidiary_of",
    "Subsidiary": "parent_of",
    "Subsidiarie": "parent_of",
    "CurrentOwnerOperator": "owned_by",
    "PreviousOwnerOperator": "formerly_owned_by",
}


def _xml_details(b: UkBuilder, d: Element) -> None:
    for e in d.iter():
        tag, text = local(e.tag), clean(e.text)
        if text is None:
            continue
        if tag == "DOB":
            b.add_dob(text)
        elif tag == "Nationality":
            b.add_nationality(text)
        elif tag == "Position":
            b.add_position(text)
        elif tag == "Title":
            b.add_title(text)
        elif tag == "Gender":
            b.set_gender(text)
        elif tag in _ID_TAGS:
            for item in re.split(r"[;\s]+", text) if tag == "EmailAddress" else [text]:
                if item:
                    b.add_identifier(Identifier(type=_ID_TAGS[tag], value=item))
        elif tag == "BusinessRegistrationNumber":
            for ident in registration_ids(text, "Business registration number"):
                b.add_identifier(ident)
        elif tag in _PROP_TAGS:
            b.add_prop(_PROP_TAGS[tag], text)
        elif tag.rstrip("s") in _REL_TAGS:
            for item in split_numbered(text):
                b.add_relation(_REL_TAGS[tag.rstrip("s")], item)
    for loc in (e for e in d.iter() if local(e.tag) == "Location"):
        b.add_birth(_child(loc, "TownOfBirth"), _child(loc, "CountryOfBirth"))
    # documents: a parent holding <PassportNumber> / <NationalIdentifierNumber> + details
    for parent in d.iter():
        for num_tag, info_tags, typ, label in (
            (
                "PassportNumber",
                ("PassportAdditionalInformation", "PassportDetails"),
                IdType.PASSPORT,
                "Passport number",
            ),
            (
                "NationalIdentifierNumber",
                ("NationalIdentifierAdditionalInformation", "NationalIdentifierDetails"),
                IdType.NATIONAL_ID,
                "National Identifier number",
            ),
        ):
            num = _child(parent, num_tag)
            if num:
                info = next((x for x in (_child(parent, t) for t in info_tags) if x), None)
                b.add_documents(num, info, typ, label)


def _finish(
    path: Path,
    builders: dict[str, UkBuilder],
    names: dict[str, list[tuple[str, str, str]]],
    issues: list[ParseIssue],
) -> list[Entity]:
    out = []
    for key, b in builders.items():
        scripts = list(b.names)
        b.names = []
        for value, typ in resolve_names(names[key]):
            b.add_name(value, typ)
        for n in scripts:
            b.add_name(n.value, n.type, n.lang)
        if not b.names:
            issues.append(
                ParseIssue(str(path), "designation without a name", line=b.first_line, record=key)
            )
        out.append(b.build())
    return out


class UkSanctionsListXml(Adapter):
    name: ClassVar[str] = "uk_sanctions_list_xml"
    source: ClassVar[str] = SOURCE
    urls: ClassVar[dict[str, str]] = {"UK-Sanctions-List.xml": XML_URL}

    def discover(self, root: Path) -> list[SourceFile] | None:
        cands = [
            p for p in find_files(root, _NAME_RX.format(ext="xml")) if _sniff(p, b"<Designations")
        ]
        p = newest(cands)
        return [SourceFile(p, ROLE)] if p else None

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        path = files[0].path
        root = parse_xml(path)
        if local(root.tag) != "Designations":
            raise SourceFormatError(
                path,
                f"root element is {local(root.tag)!r}, "
                "expected 'Designations' (not the UK Sanctions List?)",
            )
        published = None
        for c in root:
            if local(c.tag) != "Designation" and "date" in local(c.tag).lower():
                published = published or _any_date(c.text or "")
        for attr in root.attrib.values():
            published = published or _any_date(attr)
        builders: dict[str, UkBuilder] = {}
        names: dict[str, list[tuple[str, str, str]]] = {}
        issues: list[ParseIssue] = []
        for i, d in enumerate((c for c in root if local(c.tag) == "Designation"), start=1):
            key = _record_key(_child(d, "OFSIGroupID"), _child(d, "UniqueID"))
            if key is None:
                raise SourceFormatError(
                    path, "Designation without UniqueID or OFSIGroupID", record=f"#{i}"
                )
            b = builders.get(key)
            if b is None:
                b = builders[key] = UkBuilder(key, LIST_NAME, "xml")
                names[key] = []
            _xml_designation(b, d, names[key])
        entities = _finish(path, builders, names, issues)
        return ParsedDataset(self.name, entities, list(files), published, issues)


# --------------------------------------------------------------------------- CSV


def _norm(col: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", col.casefold()).strip()


_CSV_REQUIRED = ("unique id", "name 6", "name type")


class UkSanctionsListCsv(Adapter):
    name: ClassVar[str] = "uk_sanctions_list_csv"
    source: ClassVar[str] = SOURCE
    urls: ClassVar[dict[str, str]] = {"UK-Sanctions-List.csv": CSV_URL}

    def discover(self, root: Path) -> list[SourceFile] | None:
        cands = [p for p in find_files(root, _NAME_RX.format(ext="csv")) if _sniff(p, b"Unique ID")]
        p = newest(cands)
        return [SourceFile(p, ROLE)] if p else None

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        path = files[0].path
        text = read_text(path, ("utf-8", "cp1252"))
        rows = _csv_rows(path, text)
        preface: list[str] = []
        cols: dict[str, int] = {}
        header_line = 0
        for line, cells, raw in rows:
            norm = {_norm(c): i for i, c in enumerate(cells) if c.strip()}
            if "unique id" in norm:
                cols, header_line = norm, line
                break
            preface.append(raw)
            if len(preface) > 5:
                break
        missing = [c for c in _CSV_REQUIRED if c not in cols]
        if not cols or missing:
            raise SourceFormatError(
                path,
                f"no UK Sanctions List header (missing {', '.join(missing or _CSV_REQUIRED)})",
                line=header_line or None,
            )
        published = _any_date("\n".join(preface))
        width = max(cols.values()) + 1
        builders: dict[str, UkBuilder] = {}
        names: dict[str, list[tuple[str, str, str]]] = {}
        issues: list[ParseIssue] = []
        for line, cells, raw in rows:
            if len(cells) < width:
                raise SourceFormatError(
                    path, f"expected {width} fields, found {len(cells)} (truncated row?)", line=line
                )

            def g(*keys: str, _c: list[str] = cells) -> str:
                for k in keys:
                    i = cols.get(k)
                    if i is not None and _c[i].strip():
                        return _c[i]
                return ""

            key = _record_key(g("ofsi group id"), g("unique id"))
            if key is None:
                issues.append(ParseIssue(str(path), "row without Unique ID skipped", line=line))
                continue
            b = builders.get(key)
            if b is None:
                b = builders[key] = UkBuilder(key, LIST_NAME, "csv")
                b.first_line = line
                names[key] = []
            b.add_raw(raw)
            _csv_row(b, g, names[key])
        entities = _finish(path, builders, names, issues)
        return ParsedDataset(self.name, entities, list(files), published, issues)


def _csv_row(b: UkBuilder, g: Callable[..., str], names: list[tuple[str, str, str]]) -> None:
    kind = KINDS.get((clean(g("designation type", "individual entity ship")) or "").casefold())
    if kind is not None:
        b.kind = kind
    b.add_prop("unique_id", g("unique id"))
    b.add_prop("ofsi_group_id", g("ofsi group id"))
    b.add_prop("un_reference", g("un reference number"))
    full = join_name(g(f"name {i}") for i in range(1, 7))
    if full:
        names.append((full, g("name type"), g("alias strength")))
    b.add_name(
        g("name non latin script"),
        NameType.ORIGINAL_SCRIPT,
        lang_code(g("non latin script language")),
    )
    b.add_title(g("title"))
    b.add_program(g("regime name", "regime"))
    b.add_prop("designation_source", g("designation source"))
    for measure in g("sanctions imposed").split("|"):
        b.add_prop("sanctions_imposed", measure)
    b.apply_other_information(g("other information"))
    b.add_remark(g("uk statement of reasons"))
    b.add_address(
        [g(f"address line {i}") for i in range(1, 7)],
        g("address postal code"),
        g("address country"),
    )
    for col, typ in (
        ("phone number", IdType.PHONE),
        ("website", IdType.WEBSITE),
        ("imo number", IdType.IMO),
        ("hull identification number hin", IdType.REGISTRATION),
    ):
        for item in split_numbered(g(col)):
            b.add_identifier(Identifier(type=typ, value=item))
    for item in re.split(r"[;,\s]+", g("email address")):
        if item:
            b.add_identifier(Identifier(type=IdType.EMAIL, value=item))
    b.set_listed_on(g("date designated"))
    b.add_prop("last_updated", g("last updated"))
    b.add_dob(g("d o b", "dob", "date of birth"))
    b.add_nationality(g("nationality ies", "nationality"))
    b.add_documents(
        g("passport number"),
        g("passport additional information"),
        IdType.PASSPORT,
        "Passport number",
    )
    b.add_documents(
        g("national identifier number"),
        g("national identifier additional information"),
        IdType.NATIONAL_ID,
        "National Identifier number",
    )
    b.add_position(g("position"))
    b.set_gender(g("gender"))
    b.add_birth(g("town of birth"), g("country of birth"))
    b.add_prop("entity_type", g("type of entity"))
    for ident in registration_ids(
        g("business registration number s"), "Business registration number"
    ):
        b.add_identifier(ident)
    for col, rel in (
        ("parent company", "subsidiary_of"),
        ("subsidiaries", "parent_of"),
        ("current owner operator s", "owned_by"),
        ("previous owner operator s", "formerly_owned_by"),
    ):
        for item in split_numbered(g(col)):
            b.add_relation(rel, item)
    for col in (
        "current believed flag of ship",
        "previous flags",
        "type of ship",
        "tonnage of ship",
        "length of ship",
        "year built",
    ):
        b.add_prop(col.replace(" ", "_"), g(col))
