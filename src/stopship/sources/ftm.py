"""OpenSanctions FollowTheMoney entities, JSON lines (``entities.ftm.json``).

Each line is one FtM entity ``{"id", "schema", "caption", "properties": {prop: [values]},
"datasets", ...}``. Only screenable "thing" schemata become entities; Address, Sanction,
Passport/Identification and relationship (interval) entities are folded into the
entities they refer to. The data is CC BY-NC: there is no default download.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
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
    Adapter,
    ParsedDataset,
    ParseIssue,
    SourceFile,
    clean,
    find_files,
    newest,
    read_text,
)

SOURCE = "opensanctions"
ROLE = "entities"
_NAME_RX = r".*\.ftm\.jsonl?"

#: screenable schemata -> entity kind
KINDS: dict[str, EntityKind] = {
    "Person": EntityKind.PERSON,
    "Company": EntityKind.ORGANIZATION,
    "Organization": EntityKind.ORGANIZATION,
    "LegalEntity": EntityKind.ORGANIZATION,
    "PublicBody": EntityKind.ORGANIZATION,
    "Vessel": EntityKind.VESSEL,
    "Airplane": EntityKind.AIRCRAFT,
}

#: relationship schema -> (subject prop, object prop, subject's relation, object's relation)
RELATIONS: dict[str, tuple[str, str, str, str]] = {
    "Ownership": ("owner", "asset", "owner_of", "owned_by"),
    "Directorship": ("director", "organization", "director_of", "directed_by"),
    "Family": ("person", "relative", "family_of", "family_of"),
    "Associate": ("person", "associate", "associate_of", "associate_of"),
    "UnknownLink": ("subject", "object", "linked_to", "linked_to"),
    "Employment": ("employee", "employer", "employee_of", "employer_of"),
    "Membership": ("member", "organization", "member_of", "has_member"),
    "Representation": ("agent", "client", "agent_of", "represented_by"),
}

_NAMES: dict[str, NameType] = {
    "alias": NameType.STRONG_ALIAS,
    "weakAlias": NameType.WEAK_ALIAS,
    "previousName": NameType.FORMER,
}

_IDS: dict[str, tuple[IdType, str | None]] = {
    "innCode": (IdType.INN, "RU"),
    "ogrnCode": (IdType.OGRN, "RU"),
    "kppCode": (IdType.KPP, "RU"),
    "okpoCode": (IdType.OKPO, "RU"),
    "leiCode": (IdType.LEI, None),
    "swiftBic": (IdType.BIC, None),
    "bicCode": (IdType.BIC, None),
    "imoNumber": (IdType.IMO, None),
    "mmsi": (IdType.MMSI, None),
    "callSign": (IdType.CALL_SIGN, None),
    "taxNumber": (IdType.TAX_ID, None),
    "vatCode": (IdType.TAX_ID, None),
    "registrationNumber": (IdType.REGISTRATION, None),
    "idNumber": (IdType.NATIONAL_ID, None),
    "passportNumber": (IdType.PASSPORT, None),
    "email": (IdType.EMAIL, None),
    "website": (IdType.WEBSITE, None),
    "phone": (IdType.PHONE, None),
    "permId": (IdType.OTHER, None),
    "uniqueEntityId": (IdType.OTHER, None),
    "dunsCode": (IdType.OTHER, None),
}
_AIRCRAFT_IDS: dict[str, tuple[IdType, str | None]] = {
    "registrationNumber": (IdType.AIRCRAFT_TAIL, None),
    "serialNumber": (IdType.AIRCRAFT_SERIAL, None),
}

_NATIONALITY = ("nationality", "citizenship")
_COUNTRY = ("country", "jurisdiction", "flag", "mainCountry")
#: properties mapped to model fields (everything else is kept in ``properties``)
_MAPPED = frozenset(
    {"name", "address", "addressEntity", "birthDate", "birthPlace", "gender", "position"}
    | {"title", "notes", "summary", "programId"}
    | set(_NAMES)
    | set(_IDS)
    | set(_NATIONALITY)
    | set(_COUNTRY)
)


@dataclass
class _Rec:
    line: int
    text: str
    id: str
    schema: str
    caption: str | None
    props: dict[str, list[str]]
    datasets: list[str]
    target: bool | None


@dataclass
class _Extra:
    """What other entities contribute to one screenable entity."""

    programs: list[str] = field(default_factory=list)
    listed: list[date] = field(default_factory=list)
    authorities: list[str] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


def _add(seq: list[Any], item: Any) -> None:
    if item is not None and item not in seq:
        seq.append(item)


def _country(value: str) -> str | None:
    v = value.strip()
    if v.lower() == "xk":
        return "XK"
    return to_iso(v)


def _partial_date(value: str) -> BirthDate | None:
    """FtM partial ISO date: ``1988``, ``1988-01``, ``1988-01-07`` (time part ignored)."""
    v = value.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*)?", v)
    if not m:
        return None
    y = int(m.group(1))
    try:
        if m.group(3):
            return BirthDate.exact(date(y, int(m.group(2)), int(m.group(3))), v)
        if m.group(2):
            mo = int(m.group(2))
            end = date(y, mo, calendar.monthrange(y, mo)[1])
            return BirthDate(precision="month", start=date(y, mo, 1), end=end, raw=v)
        return BirthDate.year(y, v)
    except ValueError:
        return None


def _iso_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None


class FtmJson(Adapter):
    name = "ftm_json"
    source = SOURCE
    urls: ClassVar[dict[str, str]] = {}  # CC BY-NC data: no default download

    def discover(self, root: Path) -> list[SourceFile] | None:
        best = newest(find_files(root, _NAME_RX))
        return [SourceFile(best, ROLE)] if best else None

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        entities: list[Entity] = []
        issues: list[ParseIssue] = []
        seen: set[str] = set()
        for sf in files:
            for ent in _Parser(sf.path, issues).run():
                if ent.id in seen:
                    issues.append(ParseIssue(str(sf.path), "duplicate id ignored", None, ent.id))
                    continue
                seen.add(ent.id)
                entities.append(ent)
        return ParsedDataset(self.name, entities, list(files), published=None, issues=issues)


class _Parser:
    def __init__(self, path: Path, issues: list[ParseIssue]) -> None:
        self.path = path
        self.issues = issues
        self.records: list[_Rec] = []
        self.by_id: dict[str, _Rec] = {}
        self.extra: dict[str, _Extra] = {}
        self.dangling = 0

    def issue(self, rec: _Rec, message: str) -> None:
        self.issues.append(ParseIssue(str(self.path), message, line=rec.line, record=rec.id))

    def run(self) -> list[Entity]:
        text = read_text(self.path)
        for n, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                rec = self.read_line(n, line)
                self.records.append(rec)
                self.by_id.setdefault(rec.id, rec)
        if not self.records:
            raise SourceFormatError(self.path, "no FtM entities in file")
        for rec in self.records:
            self.fold(rec)
        out = [self.entity(r) for r in self.records if r.schema in KINDS]
        if self.dangling:
            self.issues.append(
                ParseIssue(
                    str(self.path),
                    f"{self.dangling} addressEntity reference(s) point to no entity in the file "
                    "(partial export): those addresses are only known as published strings",
                )
            )
        return out

    def read_line(self, n: int, line: str) -> _Rec:
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise SourceFormatError(self.path, f"malformed JSON: {exc.msg}", line=n) from exc
        if not isinstance(obj, dict):
            raise SourceFormatError(self.path, "not an FtM entity (not a JSON object)", line=n)
        rid, schema, props = obj.get("id"), obj.get("schema"), obj.get("properties", {})
        if not isinstance(rid, str) or not rid or not isinstance(schema, str) or not schema:
            raise SourceFormatError(
                self.path, "not an FtM entity (missing 'id' or 'schema')", line=n
            )
        if not isinstance(props, dict):
            raise SourceFormatError(self.path, "'properties' is not an object", line=n, record=rid)
        clean_props: dict[str, list[str]] = {}
        for key, values in props.items():
            vals = values if isinstance(values, list) else [values]
            out: list[str] = []
            for v in vals:
                _add(out, clean(v if isinstance(v, str) else json.dumps(v)))
            if out:
                clean_props[str(key)] = out
        caption = obj.get("caption")
        datasets = obj.get("datasets")
        target = obj.get("target")
        return _Rec(
            line=n,
            text=line.rstrip("\r\n"),
            id=rid,
            schema=schema,
            caption=clean(caption) if isinstance(caption, str) else None,
            props=clean_props,
            datasets=[str(d) for d in datasets] if isinstance(datasets, list) else [],
            target=target if isinstance(target, bool) else None,
        )

    # ------------------------------------------------------------------ folding

    def _extra(self, rid: str) -> _Extra:
        return self.extra.setdefault(rid, _Extra())

    def fold(self, rec: _Rec) -> None:
        p = rec.props
        if rec.schema == "Sanction":
            for rid in p.get("entity", []):
                ex = self._extra(rid)
                for v in p.get("programId", []) + p.get("program", []):
                    _add(ex.programs, v)
                for v in p.get("listingDate", []) + p.get("startDate", []):
                    _add(ex.listed, _iso_day(v))
                for v in p.get("authority", []):
                    _add(ex.authorities, v)
        elif rec.schema in ("Passport", "Identification"):
            kind = IdType.PASSPORT if rec.schema == "Passport" else IdType.NATIONAL_ID
            countries = p.get("country", [])
            for number in p.get("number", []) + p.get("passportNumber", []):
                ident = Identifier(
                    type=kind,
                    value=number,
                    country=_country(countries[0]) if countries else None,
                    label=", ".join(p.get("type", [])) or rec.schema,
                )
                for rid in p.get("holder", []):
                    _add(self._extra(rid).identifiers, ident)
        elif rec.schema in RELATIONS:
            subj, obj, subj_rel, obj_rel = RELATIONS[rec.schema]
            for a in p.get(subj, []):
                for b in p.get(obj, []):
                    _add(self._extra(a).relations, self.relation(subj_rel, b))
                    _add(self._extra(b).relations, self.relation(obj_rel, a))

    def relation(self, kind: str, other: str) -> Relation:
        target = self.by_id.get(other)
        return Relation(
            type=kind,
            target_id=make_id(SOURCE, other),
            target_name=_display(target) if target else None,
        )

    # ------------------------------------------------------------------ one entity

    def entity(self, rec: _Rec) -> Entity:
        p = rec.props
        ex = self.extra.get(rec.id, _Extra())
        props: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in p.items() if k not in _MAPPED}
        if rec.datasets:
            props["datasets"] = tuple(rec.datasets)
        if rec.target is not None:
            props["target"] = (str(rec.target).lower(),)
        if ex.authorities:
            props["sanction_authority"] = tuple(ex.authorities)
        names = self.names(rec)
        if not names:
            self.issue(rec, f"{rec.schema} entity has no name")
        nationalities: list[str] = []
        countries: list[str] = []
        unmapped: list[str] = []
        for keys, out in ((_NATIONALITY, nationalities), (_COUNTRY, countries)):
            for key in keys:
                for v in p.get(key, []):
                    code = _country(v)
                    if code:
                        _add(out, code)
                    else:
                        _add(unmapped, v)
        if unmapped:
            props["country_unmapped"] = tuple(unmapped)
        births: list[BirthDate] = []
        for v in p.get("birthDate", []):
            bd = _partial_date(v)
            if bd is None:
                self.issue(rec, f"unreadable birthDate {v!r}")
            _add(births, bd)
        programs: list[str] = []
        for v in p.get("programId", []) + ex.programs:
            _add(programs, v)
        gender = next(iter(p.get("gender", [])), None)
        return Entity(
            id=make_id(SOURCE, rec.id),
            source=SOURCE,
            record_id=rec.id,
            kind=KINDS[rec.schema],
            list_name="OpenSanctions",
            names=tuple(names),
            addresses=tuple(self.addresses(rec)),
            identifiers=tuple(self.identifiers(rec) + ex.identifiers),
            birth_dates=tuple(births),
            birth_places=tuple(p.get("birthPlace", [])),
            nationalities=tuple(nationalities),
            countries=tuple(countries),
            programs=tuple(programs),
            listed_on=min(ex.listed) if ex.listed else None,
            gender=gender.lower() if gender else None,
            titles=tuple(p.get("title", [])),
            positions=tuple(p.get("position", [])),
            remarks=tuple(p.get("notes", []) + p.get("summary", [])),
            relations=tuple(ex.relations),
            properties=props,
            raw=rec.text,
            raw_format="json",
        )

    def names(self, rec: _Rec) -> list[Name]:
        out: list[Name] = []

        def add(value: str, typ: NameType) -> None:
            if not any(n.value == value for n in out):
                out.append(Name(value=value, type=typ, script=text_script(value)))

        primary = _display(rec)
        if primary:
            add(primary, NameType.PRIMARY)
        for v in rec.props.get("name", []):
            add(v, NameType.STRONG_ALIAS)
        for key, typ in _NAMES.items():
            for v in rec.props.get(key, []):
                add(v, typ)
        return out

    def addresses(self, rec: _Rec) -> list[Address]:
        out: list[Address] = []
        for ref in rec.props.get("addressEntity", []):
            target = self.by_id.get(ref)
            if target is None:
                self.dangling += 1  # usual in partial exports: reported once per file
                continue
            if target.schema != "Address":
                self.issue(rec, f"addressEntity {ref!r} is a {target.schema}, not an Address")
                continue
            _add(out, _address(target.props))
        known = {a.full for a in out if a.full}
        for full in rec.props.get("address", []):
            if full not in known:
                _add(out, Address(full=full))
        return out

    def identifiers(self, rec: _Rec) -> list[Identifier]:
        table = {**_IDS, **_AIRCRAFT_IDS} if rec.schema == "Airplane" else _IDS
        out: list[Identifier] = []
        for key, (kind, country) in table.items():
            for v in rec.props.get(key, []):
                _add(out, Identifier(type=kind, value=v, country=country, label=key))
        return out


def _display(rec: _Rec) -> str | None:
    """The entity's main name: OpenSanctions' caption when it is one of the published
    names (it picks the best one), else the first name; None for a nameless entity."""
    names = rec.props.get("name", [])
    if rec.caption in names:
        return rec.caption
    return names[0] if names else None


def _address(p: dict[str, list[str]]) -> Address:
    def one(*keys: str) -> str | None:
        vals = [v for k in keys for v in p.get(k, [])]
        return ", ".join(vals) if vals else None

    raw_country = one("country")
    code = _country(p["country"][0]) if p.get("country") else None
    box = one("postOfficeBox")
    return Address(
        street=one("street", "street2"),
        city=one("city"),
        postcode=one("postalCode"),
        region=one("region", "state"),
        country=code,
        country_name=raw_country if raw_country and not code else None,
        full=one("full"),
        note=f"P.O. Box {box}" if box else one("remarks"),
    )
