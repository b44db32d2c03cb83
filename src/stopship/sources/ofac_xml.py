"""OFAC's XML publications: SDN.XML and CONSOLIDATED.XML (non-SDN lists).

Root ``sdnList`` (namespace varies by publication, so elements are matched on local
names) with ``publshInformation/Publish_Date`` (MM/DD/YYYY) and ``Record_Count``, then one
``sdnEntry`` per record (uid = OFAC ent_num, shared with the CSV files).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
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
    Relation,
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
    local,
    newest,
    parse_xml,
    read_bytes,
)
from stopship.sources.ofac_remarks import (
    ID_LABELS,
    RemarkFacts,
    add_identifier,
    dedupe,
    parse_birth_date,
    parse_item,
    parse_remarks,
)

_BASE = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
_KINDS = {
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
}
_AKA_TYPES = {
    "a.k.a.": (NameType.STRONG_ALIAS, None),
    "f.k.a.": (NameType.FORMER, "f.k.a."),
    "n.k.a.": (NameType.STRONG_ALIAS, "n.k.a."),
}
_ENTRY_RX = re.compile(r"<(?:[\w.-]+:)?sdnEntry\b.*?</(?:[\w.-]+:)?sdnEntry\s*>", re.DOTALL)


def _kids(el: Element | None, name: str) -> Iterator[Element]:
    if el is None:
        return
    for child in el:
        if local(child.tag) == name:
            yield child


def _one(el: Element | None, name: str) -> Element | None:
    return next(_kids(el, name), None)


def _txt(el: Element | None, name: str) -> str | None:
    child = _one(el, name)
    return clean(child.text) if child is not None else None


def _items(el: Element, list_name: str, item: str) -> Iterator[Element]:
    for lst in _kids(el, list_name):
        yield from _kids(lst, item)


def _full_name(el: Element) -> str | None:
    last, first = _txt(el, "lastName"), _txt(el, "firstName")
    if last and first:
        return f"{last}, {first}"
    return last or first


def _publish_date(text: str | None) -> date | None:
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if m:
            return date(int(m[3]), int(m[1]), int(m[2]))
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _add_xml_id(facts: RemarkFacts, el: Element) -> None:
    id_type = _txt(el, "idType") or ""
    number = _txt(el, "idNumber") or ""
    country = _txt(el, "idCountry")
    label = id_type.rstrip(":").strip()
    if label in ID_LABELS:
        add_identifier(
            facts,
            label,
            number,
            country,
            issued=_txt(el, "issueDate"),
            expires=_txt(el, "expirationDate"),
        )
        return
    before = len(facts.unparsed)
    item = f"{id_type} {number}".strip() + (f" ({country})" if country else "")
    parse_item(facts, item)
    if len(facts.unparsed) > before:  # an id type not in our table: keep it as "other"
        facts.unparsed.pop()
        add_identifier(facts, label or "id", number, country)


def _address(el: Element) -> Address:
    street = ", ".join(s for s in (_txt(el, f"address{i}") for i in (1, 2, 3)) if s) or None
    city, region = _txt(el, "city"), _txt(el, "stateOrProvince")
    postcode, country_txt = _txt(el, "postalCode"), _txt(el, "country")
    country = to_iso(country_txt)
    city_line = " ".join(p for p in (", ".join(p for p in (city, region) if p), postcode) if p)
    return Address(
        street=street,
        city=city,
        postcode=postcode,
        region=region,
        country=country,
        country_name=country_txt if country_txt and country is None else None,
        full=", ".join(p for p in (street, city_line, country_txt) if p) or None,
    )


def _sniff_sdnlist(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return re.search(rb"<(?:[\w.-]+:)?sdnList[\s>]", head) is not None


class _OfacXml(Adapter):
    source = "ofac"
    list_name: ClassVar[str]
    pattern: ClassVar[str]

    def discover(self, root: Path) -> list[SourceFile] | None:
        paths = [p for p in find_files(root, self.pattern) if _sniff_sdnlist(p)]
        best = newest(paths)
        return [SourceFile(best, "xml")] if best is not None else None

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        if len(files) != 1:
            raise SourceFormatError(
                files[0].path if files else "?", f"{self.name} reads exactly one XML file"
            )
        path = files[0].path
        data = read_bytes(path)
        root = parse_xml(path, data)
        if local(root.tag) != "sdnList":
            raise SourceFormatError(
                path, f"root element is <{local(root.tag)}>, expected <sdnList> (not OFAC XML)"
            )
        pub = _one(root, "publshInformation")
        entries = list(_kids(root, "sdnEntry"))
        count = _txt(pub, "Record_Count")
        if count is not None and (not count.isdigit() or int(count) != len(entries)):
            raise SourceFormatError(
                path,
                f"Record_Count says {count} but {len(entries)} sdnEntry records were found "
                "(truncated or altered file)",
            )
        if not entries:
            raise SourceFormatError(path, "no sdnEntry records")
        raws = _ENTRY_RX.findall(data.decode("utf-8", "replace"))
        if len(raws) != len(entries):
            raws = [tostring(e, encoding="unicode") for e in entries]
        issues: list[ParseIssue] = []
        seen: set[str] = set()
        entities: list[Entity] = []
        for n, (el, raw) in enumerate(zip(entries, raws, strict=True), start=1):
            uid = _txt(el, "uid")
            if uid is None or not uid.isdigit():
                raise SourceFormatError(path, f"sdnEntry #{n} has no numeric <uid>", record=uid)
            if uid in seen:
                issues.append(ParseIssue(str(path), "duplicate uid: kept the first", None, uid))
                continue
            seen.add(uid)
            ent = self._entity(uid, el, raw)
            if not ent.names or ent.names[0].type is not NameType.PRIMARY:
                issues.append(ParseIssue(str(path), f"sdnEntry #{n} has no name", None, uid))
            entities.append(ent)
        published = _publish_date(_txt(pub, "Publish_Date"))
        return ParsedDataset(self.name, entities, list(files), published, issues)

    def _entity(self, uid: str, el: Element, raw: str) -> Entity:
        remarks = _txt(el, "remarks")
        facts = parse_remarks(remarks)
        for id_el in _items(el, "idList", "id"):
            _add_xml_id(facts, id_el)
        names: list[Name] = []
        primary = _full_name(el)
        if primary:
            names.append(Name(value=primary, script=text_script(primary)))
        for aka in _items(el, "akaList", "aka"):
            value = _full_name(aka)
            if not value:
                continue
            ntype, note = _AKA_TYPES.get(
                (_txt(aka, "type") or "").lower(), (NameType.STRONG_ALIAS, None)
            )
            if ntype is NameType.STRONG_ALIAS and (_txt(aka, "category") or "").lower() == "weak":
                ntype = NameType.WEAK_ALIAS
            names.append(Name(value=value, type=ntype, script=text_script(value), note=note))
        names += [n for n in facts.names if all(n.value != m.value for m in names)]
        births: list[BirthDate] = []
        for item in _items(el, "dateOfBirthList", "dateOfBirthItem"):
            text = _txt(item, "dateOfBirth")
            bd = parse_birth_date(text) if text else None
            if bd is not None:
                births.append(bd)
            elif text:
                facts.unparsed.append(f"DOB {text}")
        births += [b for b in facts.birth_dates if b not in births]
        places = [
            p
            for p in (
                _txt(i, "placeOfBirth") for i in _items(el, "placeOfBirthList", "placeOfBirthItem")
            )
            if p
        ]
        nats: list[str] = []
        for lst, tag in (("nationalityList", "nationality"), ("citizenshipList", "citizenship")):
            for c in _items(el, lst, tag):
                name = _txt(c, "country")
                code = to_iso(name)
                if code:
                    nats.append(code)
                elif name:
                    facts.unparsed.append(f"{tag} {name}")
        props = dict(facts.properties)
        idents = list(facts.identifiers)
        relations = list(facts.relations)
        countries = list(facts.countries)
        vessel = _one(el, "vesselInfo")
        if vessel is not None:
            call_sign = _txt(vessel, "callSign")
            if call_sign:
                idents.insert(
                    0, Identifier(type=IdType.CALL_SIGN, value=call_sign, label="Call Sign")
                )
            for key, tag in (
                ("vessel_type", "vesselType"),
                ("vessel_flag", "vesselFlag"),
                ("vessel_owner", "vesselOwner"),
                ("tonnage", "tonnage"),
                ("gross_registered_tonnage", "grossRegisteredTonnage"),
            ):
                v = _txt(vessel, tag)
                if v:
                    props.setdefault(key, []).append(v)
            flag = to_iso(_txt(vessel, "vesselFlag"))
            if flag:
                countries.append(flag)
            owner = _txt(vessel, "vesselOwner")
            if owner:
                relations.append(Relation(type="owned_by", target_name=owner))
        if facts.unparsed:
            props["unparsed_remarks"] = facts.unparsed
        title = _txt(el, "title")
        return Entity(
            id=make_id(self.source, uid),
            source=self.source,
            record_id=uid,
            kind=_KINDS.get((_txt(el, "sdnType") or "").lower(), EntityKind.UNKNOWN),
            list_name=self.list_name,
            names=tuple(names),
            addresses=tuple(_address(a) for a in _items(el, "addressList", "address")),
            identifiers=tuple(idents),
            birth_dates=tuple(births),
            birth_places=dedupe(places + facts.birth_places),
            nationalities=dedupe(nats + facts.nationalities),
            countries=dedupe(countries),
            programs=dedupe(
                [p for p in (clean(x.text) for x in _items(el, "programList", "program")) if p]
            ),
            gender=facts.gender,
            titles=(title,) if title else (),
            remarks=(remarks,) if remarks else (),
            relations=tuple(relations),
            properties={k: dedupe(v) for k, v in props.items()},
            raw=raw,
            raw_format="xml",
        )


class OfacSdnXml(_OfacXml):
    name = "ofac_sdn_xml"
    list_name = "SDN"
    pattern: ClassVar[str] = r"sdn(?:[_-][\w.-]*)?\.xml"
    urls: ClassVar[dict[str, str]] = {"sdn.xml": _BASE + "SDN.XML"}


class OfacConsXml(_OfacXml):
    name = "ofac_cons_xml"
    list_name = "Non-SDN Consolidated"
    pattern: ClassVar[str] = r"consolidated(?:[_-][\w.-]*)?\.xml"
    urls: ClassVar[dict[str, str]] = {"consolidated.xml": _BASE + "CONSOLIDATED.XML"}
