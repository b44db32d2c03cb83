"""UN Security Council Consolidated List, XML (``consolidated.xml``).

Root ``CONSOLIDATED_LIST`` (attribute ``dateGenerated``) with ``INDIVIDUALS/INDIVIDUAL``
and ``ENTITIES/ENTITY`` records, each keyed by ``DATAID``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import ClassVar
from xml.etree.ElementTree import Element, tostring

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
    MONTHS,
    Adapter,
    ParsedDataset,
    ParseIssue,
    SourceFile,
    clean,
    find_files,
    local,
    newest,
    parse_xml,
    read_bytes,
)

ROLE = "consolidated"
ROOT_TAG = "CONSOLIDATED_LIST"
_NAME_RX = r"(un[^/]*consolidated[^/]*|consolidated)\.xml"

_STRONG = {"good", "a.k.a.", "aka", ""}
_WEAK = {"low", "very low"}
_FORMER = {"f.k.a.", "fka"}


def sniff_root(path: Path, size: int = 8192) -> str | None:
    """The local name of an XML file's root element, read from its first bytes."""
    try:
        with path.open("rb") as fh:
            head = fh.read(size)
    except OSError:
        return None
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    text = re.sub(r"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", "", text, flags=re.DOTALL)
    m = re.search(r"<([A-Za-z_][\w.:-]*)", text)
    return local(m.group(1).split(":")[-1]) if m else None


def _text(el: Element | None, tag: str) -> str | None:
    if el is None:
        return None
    return clean(el.findtext(tag))


def _values(el: Element, tag: str) -> list[str]:
    out: list[str] = []
    for group in el.findall(tag):
        for v in group.findall("VALUE"):
            c = clean(v.text)
            if c and c not in out:
                out.append(c)
    return out


def _iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _doc_type(*labels: str | None) -> IdType:
    for label in labels:
        t = (label or "").lower()
        if any(k in t for k in ("passport", "passeport", "pasaporte")):
            return IdType.PASSPORT
        if "fiscal" in t or "tax" in t:
            return IdType.TAX_ID
        if any(k in t for k in ("national ident", "identity", "identification", "national id")):
            return IdType.NATIONAL_ID
    return IdType.OTHER


def _month_year(note: str) -> BirthDate | None:
    """``Nov. 1973`` / ``August 1961`` -> a month-precision birth date."""
    m = re.fullmatch(r"([A-Za-z]+)\.?\s+(\d{4})", note.strip())
    if not m or m.group(1).lower() not in MONTHS:
        return None
    y, mo = int(m.group(2)), MONTHS[m.group(1).lower()]
    end = date(y, mo, calendar.monthrange(y, mo)[1])
    return BirthDate(precision="month", start=date(y, mo, 1), end=end, raw=note.strip())


class UnXml(Adapter):
    name = "un_xml"
    source = "un"
    urls: ClassVar[dict[str, str]] = {
        "consolidated.xml": "https://scsanctions.un.org/resources/xml/en/consolidated.xml"
    }

    def discover(self, root: Path) -> list[SourceFile] | None:
        # an empty or unreadable file of this name is claimed too, so parse() says what is wrong
        hits = [p for p in find_files(root, _NAME_RX) if sniff_root(p) in (ROOT_TAG, None)]
        best = newest(hits)
        return [SourceFile(best, ROLE)] if best else None

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        sf = next((f for f in files if f.role == ROLE), None)
        if sf is None:
            raise SourceFormatError("<none>", "no UN consolidated list file given")
        return _Parser(sf.path).run(self.name, sf)


class _Parser:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.data = read_bytes(path)
        self.issues: list[ParseIssue] = []

    def line_of(self, record_id: str) -> int | None:
        pos = self.data.find(f"<DATAID>{record_id}</DATAID>".encode())
        return None if pos < 0 else self.data.count(b"\n", 0, pos) + 1

    def issue(self, message: str, record_id: str) -> None:
        self.issues.append(
            ParseIssue(str(self.path), message, line=self.line_of(record_id), record=record_id)
        )

    def run(self, adapter: str, sf: SourceFile) -> ParsedDataset:
        root = parse_xml(self.path, self.data)
        if local(root.tag) != ROOT_TAG:
            raise SourceFormatError(
                self.path,
                f"not the UN consolidated list (root element <{local(root.tag)}>, "
                f"expected <{ROOT_TAG}>)",
            )
        groups = [(root.find("INDIVIDUALS"), "INDIVIDUAL"), (root.find("ENTITIES"), "ENTITY")]
        if all(g is None for g, _ in groups):
            raise SourceFormatError(
                self.path, "not the UN consolidated list (no INDIVIDUALS or ENTITIES element)"
            )
        entities: list[Entity] = []
        seen: set[str] = set()
        for group, tag in groups:
            if group is None:
                continue
            for n, el in enumerate(group.findall(tag), start=1):
                ent = self.record(el, tag, n)
                if ent.id in seen:
                    self.issue("duplicate DATAID: later record ignored", ent.record_id)
                    continue
                seen.add(ent.id)
                entities.append(ent)
        published = _iso_date(root.get("dateGenerated"))
        return ParsedDataset(adapter, entities, [sf], published=published, issues=self.issues)

    # ------------------------------------------------------------------ one record

    def record(self, el: Element, tag: str, n: int) -> Entity:
        rid = _text(el, "DATAID")
        if rid is None:
            raise SourceFormatError(self.path, f"{tag} record #{n} has no DATAID", record=f"#{n}")
        person = tag == "INDIVIDUAL"
        props: dict[str, tuple[str, ...]] = {}
        names = self.names(el, tag, rid)
        if not any(nm.type is NameType.PRIMARY for nm in names):
            self.issue(f"{tag} record has no name", rid)
        nationalities: list[str] = []
        unmapped: list[str] = []
        for v in _values(el, "NATIONALITY"):
            code = to_iso(v)
            if code:
                if code not in nationalities:
                    nationalities.append(code)
            else:
                unmapped.append(v)
        if unmapped:
            props["nationality_name"] = tuple(unmapped)
        for key, tag_name in (
            ("reference_number", "REFERENCE_NUMBER"),
            ("version", "VERSIONNUM"),
        ):
            val = _text(el, tag_name)
            if val:
                props[key] = (val,)
        updated = _values(el, "LAST_DAY_UPDATED")
        if updated:
            props["last_day_updated"] = tuple(updated)
        listed_raw = _text(el, "LISTED_ON")
        listed_on = _iso_date(listed_raw)
        if listed_raw and listed_on is None:
            self.issue(f"unreadable LISTED_ON {listed_raw!r}", rid)
        birth_dates, birth_places = ([], []) if not person else self.births(el, rid, props)
        self.alias_births(el, birth_dates, birth_places)
        identifiers = self.documents(el, props) if person else []
        program = _text(el, "UN_LIST_TYPE")
        gender = _text(el, "GENDER")
        list_types = _values(el, "LIST_TYPE")
        raw_el = el
        tail, raw_el.tail = raw_el.tail, None
        raw = tostring(raw_el, encoding="unicode")
        raw_el.tail = tail
        return Entity(
            id=make_id("un", rid),
            source="un",
            record_id=rid,
            kind=EntityKind.PERSON if person else EntityKind.ORGANIZATION,
            list_name=list_types[0] if list_types else "UN List",
            names=tuple(names),
            addresses=tuple(self.addresses(el, f"{tag}_ADDRESS")),
            identifiers=tuple(identifiers),
            birth_dates=tuple(birth_dates),
            birth_places=tuple(birth_places),
            nationalities=tuple(nationalities),
            programs=(program,) if program else (),
            listed_on=listed_on,
            gender=gender.lower() if gender else None,
            titles=tuple(_values(el, "TITLE")),
            positions=tuple(_values(el, "DESIGNATION")),
            remarks=tuple(r for r in (_text(el, "COMMENTS1"),) if r),
            properties=props,
            raw=raw,
            raw_format="xml",
        )

    def names(self, el: Element, tag: str, rid: str) -> list[Name]:
        out: list[Name] = []

        def add(value: str | None, typ: NameType, note: str | None = None) -> None:
            if value and not any(n.value == value and n.type is typ for n in out):
                out.append(Name(value=value, type=typ, script=text_script(value), note=note))

        parts = [_text(el, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
        add(clean(" ".join(p for p in parts if p)), NameType.PRIMARY)
        add(_text(el, "NAME_ORIGINAL_SCRIPT"), NameType.ORIGINAL_SCRIPT)
        for alias in el.findall(f"{tag}_ALIAS"):
            value = _text(alias, "ALIAS_NAME")
            if not value:
                continue
            quality = (_text(alias, "QUALITY") or "").lower()
            if quality in _WEAK:
                typ = NameType.WEAK_ALIAS
            elif quality in _FORMER:
                typ = NameType.FORMER
            else:
                if quality not in _STRONG:
                    self.issue(f"unknown alias QUALITY {quality!r}: taken as strong", rid)
                typ = NameType.STRONG_ALIAS
            add(value, typ, _text(alias, "NOTE"))
        return out

    def addresses(self, el: Element, tag: str) -> list[Address]:
        out: list[Address] = []
        for a in el.findall(tag):
            country_name = _text(a, "COUNTRY")
            code = to_iso(country_name)
            addr = Address(
                street=_text(a, "STREET"),
                city=_text(a, "CITY"),
                postcode=_text(a, "ZIP_CODE"),
                region=_text(a, "STATE_PROVINCE"),
                country=code,
                country_name=country_name if country_name and not code else None,
                note=_text(a, "NOTE"),
            )
            if addr != Address() and addr not in out:
                out.append(addr)
        return out

    def births(
        self, el: Element, rid: str, props: dict[str, tuple[str, ...]]
    ) -> tuple[list[BirthDate], list[str]]:
        dates: list[BirthDate] = []
        notes: list[str] = []
        for d in el.findall("INDIVIDUAL_DATE_OF_BIRTH"):
            kind = (_text(d, "TYPE_OF_DATE") or "").upper()
            day, year = _text(d, "DATE"), _text(d, "YEAR")
            y1, y2, note = _text(d, "FROM_YEAR"), _text(d, "TO_YEAR"), _text(d, "NOTE")
            bd: BirthDate | None = None
            try:
                if day:
                    parsed = date.fromisoformat(day[:10])
                    bd = (
                        BirthDate.year(parsed.year, day)
                        if kind == "APPROXIMATELY"
                        else BirthDate.exact(parsed, day)
                    )
                elif year:
                    bd = BirthDate.year(int(year), year)
                elif y1 and y2:
                    bd = BirthDate.years(int(y1), int(y2), f"{y1}-{y2}")
                elif note:
                    bd = _month_year(note)
            except ValueError:
                self.issue(f"unreadable date of birth {day or year or f'{y1}-{y2}'!r}", rid)
            if bd is not None and bd not in dates:
                dates.append(bd)
            if note:
                notes.append(note)
        if notes:
            props["date_of_birth_note"] = tuple(notes)
        places: list[str] = []
        for p in el.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
            bits = [_text(p, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")]
            place = ", ".join(b for b in bits if b)
            note = _text(p, "NOTE")
            if note:
                place = f"{place} ({note})" if place else note
            if place and place not in places:
                places.append(place)
        return dates, places

    def alias_births(self, el: Element, dates: list[BirthDate], places: list[str]) -> None:
        """Dates/places of birth the UN publishes on an alias (used with that identity)."""
        for alias in el.findall("INDIVIDUAL_ALIAS"):
            day = _text(alias, "DATE_OF_BIRTH")
            parsed = _iso_date(day)
            if day and parsed:
                bd = BirthDate.exact(parsed, day)
                if bd not in dates:
                    dates.append(bd)
            bits = [_text(alias, t) for t in ("CITY_OF_BIRTH", "COUNTRY_OF_BIRTH")]
            place = ", ".join(b for b in bits if b)
            if place and place not in places:
                places.append(place)

    def documents(self, el: Element, props: dict[str, tuple[str, ...]]) -> list[Identifier]:
        out: list[Identifier] = []
        loose: list[str] = []
        for d in el.findall("INDIVIDUAL_DOCUMENT"):
            type1, type2 = _text(d, "TYPE_OF_DOCUMENT"), _text(d, "TYPE_OF_DOCUMENT2")
            number, note = _text(d, "NUMBER"), _text(d, "NOTE")
            label = " / ".join(t for t in (type1, type2) if t) or None
            if not number:
                text = ": ".join(t for t in (label, note) if t)
                if text:
                    loose.append(text)
                continue
            country_name = _text(d, "ISSUING_COUNTRY") or _text(d, "COUNTRY_OF_ISSUE")
            extra = [
                note,
                f"issued {v}" if (v := _text(d, "DATE_OF_ISSUE")) else None,
                f"issued in {v}" if (v := _text(d, "CITY_OF_ISSUE")) else None,
                f"issuing country {country_name}"
                if country_name and not to_iso(country_name)
                else None,
            ]
            ident = Identifier(
                type=_doc_type(type1, type2),
                value=number,
                country=to_iso(country_name),
                label=label,
                note="; ".join(x for x in extra if x) or None,
            )
            if ident not in out:
                out.append(ident)
        if loose:
            props["document_without_number"] = tuple(loose)
        return out
