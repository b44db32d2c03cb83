"""OFAC legacy CSV sets: SDN (sdn/alt/add/sdn_comments.csv) and the non-SDN
Consolidated list (cons_prim/cons_alt/cons_add/cons_comments.csv).

The files have no header row, are Windows-1252, end with a 0x1A byte and write ``-0-``
for an empty field. Layouts (OFAC "dat_spec"):

* primary: ent_num, SDN_Name, SDN_Type, Program, Title, Call_Sign, Vess_type, Tonnage,
  GRT, Vess_flag, Vess_owner, Remarks
* alt: ent_num, alt_num, alt_type, alt_name, alt_remarks
* add: ent_num, add_num, address, "city/state/province/postal code", country, add_remarks
* comments: ent_num, remarks_extended (the rest of a Remarks field cut at 1000 characters)
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from stopship.countries import to_iso
from stopship.errors import SourceFormatError
from stopship.model import (
    Address,
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
    decode_text,
    find_files,
    iter_csv,
    newest,
    read_bytes,
)
from stopship.sources.ofac_remarks import dedupe, parse_remarks, split_programs

_BASE = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/"
_DATED = r"(?:[_-]\d{4}(?:[-_]?\d{2}){0,2})?"
_WIDTH = {"primary": 12, "alt": 5, "add": 6, "comments": 2}
_KINDS = {
    "individual": EntityKind.PERSON,
    "vessel": EntityKind.VESSEL,
    "aircraft": EntityKind.AIRCRAFT,
    None: EntityKind.ORGANIZATION,
}
_ALT_TYPES = {
    "aka": (NameType.STRONG_ALIAS, None),
    "fka": (NameType.FORMER, "f.k.a."),
    "nka": (NameType.STRONG_ALIAS, "n.k.a."),
}


@dataclass(frozen=True)
class _Row:
    line: int
    fields: list[str]
    raw: str


def _read_rows(sf: SourceFile) -> list[_Row]:
    """The data rows of one OFAC CSV file, with line numbers and verbatim text."""
    path = sf.path
    data = read_bytes(path)
    if b"\x00" in data:
        raise SourceFormatError(path, "NUL bytes: not an OFAC CSV (wrong encoding, e.g. UTF-16?)")
    text = decode_text(path, data, ("utf-8", "cp1252"))
    text, _, tail = text.partition("\x1a")
    if tail.strip():
        raise SourceFormatError(path, "data after the end-of-file marker (0x1A)")
    width = _WIDTH[sf.role]
    parsed = list(iter_csv(path, text, min_fields=1))
    lines = text.split("\n")
    rows: list[_Row] = []
    for i, (line, fields) in enumerate(parsed):
        if i == 0 and fields[0].strip().lower() in ("ent_num", "ent num"):
            continue  # a header row added by whoever re-saved the file
        if len(fields) != width:
            raise SourceFormatError(
                path,
                f"expected {width} fields for an OFAC {sf.role} file, found {len(fields)} "
                "(truncated, or not this list's file)",
                line=line,
            )
        if not fields[0].strip().isdigit():
            raise SourceFormatError(
                path, f"ent_num {fields[0].strip()!r} is not a number", line=line
            )
        end = parsed[i + 1][0] - 1 if i + 1 < len(parsed) else len(lines)
        raw = "\n".join(x.rstrip("\r") for x in lines[line - 1 : end]).strip()
        rows.append(_Row(line, fields, raw))
    if not rows:
        raise SourceFormatError(path, "no records")
    return rows


def split_city_field(value: str) -> tuple[str | None, str | None, str | None]:
    """OFAC's one "city/state/province/postal code" field -> (city, region, postcode).

    ``"Yelabuga, Tatarstan 423600"`` -> ``("Yelabuga", "Tatarstan", "423600")``: trailing
    tokens with digits are the postal code, the first comma part the city, the rest the
    region (heuristic; the whole string is kept in ``Address.full``)."""
    tokens = value.split()
    post: list[str] = []
    while tokens and len(post) < 2 and re.fullmatch(r"[A-Za-z0-9-]*\d[A-Za-z0-9-]*", tokens[-1]):
        post.insert(0, tokens.pop())
    if not post and len(tokens) > 1 and re.fullmatch(r"\d{4,}(?:-\d+)?,?", tokens[0]):
        post.append(tokens.pop(0).rstrip(","))
    rest = " ".join(tokens).strip(" ,")
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    city = parts[0] if parts else None
    region = ", ".join(parts[1:]) or None
    return city, region, " ".join(post) or None


def _address(fields: list[str]) -> Address:
    street, cityfield, country_txt, note = (clean(fields[i]) for i in (2, 3, 4, 5))
    city, region, postcode = split_city_field(cityfield) if cityfield else (None, None, None)
    country = to_iso(country_txt)
    full = ", ".join(p for p in (street, cityfield, country_txt) if p) or None
    return Address(
        street=street,
        city=city,
        postcode=postcode,
        region=region,
        country=country,
        country_name=country_txt if country_txt and country is None else None,
        full=full,
        note=note,
    )


def _alias(fields: list[str]) -> Name | None:
    value = clean(fields[3])
    if value is None:
        return None
    atype = (clean(fields[2]) or "aka").lower().replace(".", "")
    ntype, note = _ALT_TYPES.get(atype, (NameType.STRONG_ALIAS, atype))
    remark = clean(fields[4])
    if remark:
        note = f"{note}; {remark}" if note else remark
    return Name(value=value, type=ntype, script=text_script(value), note=note)


class _OfacCsvSet(Adapter):
    source = "ofac"
    list_name: ClassVar[str]
    #: role -> file name stem (before the optional date and ".csv")
    stems: ClassVar[dict[str, str]]

    def discover(self, root: Path) -> list[SourceFile] | None:
        found: list[SourceFile] = []
        for role, stem in self.stems.items():
            paths = [p for p in find_files(root, rf"{stem}{_DATED}\.csv") if _looks_ofac(p)]
            best = newest(paths)
            if best is not None:
                found.append(SourceFile(best, role))
        if not any(f.role == "primary" for f in found):
            return None
        return found

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        by_role = {f.role: f for f in files}
        if "primary" not in by_role:
            raise SourceFormatError(
                files[0].path if files else "?", f"{self.name}: no primary file given"
            )
        issues: list[ParseIssue] = []
        prim = by_role["primary"]
        records: dict[str, _Row] = {}
        for row in _read_rows(prim):
            ent = row.fields[0].strip()
            if ent in records:
                issues.append(
                    ParseIssue(
                        str(prim.path), "duplicate ent_num: kept the first row", row.line, ent
                    )
                )
                continue
            records[ent] = row
        extra: dict[str, dict[str, list[_Row]]] = {}
        for role in ("alt", "add", "comments"):
            sf = by_role.get(role)
            if sf is None:
                continue
            groups: dict[str, list[_Row]] = defaultdict(list)
            for row in _read_rows(sf):
                groups[row.fields[0].strip()].append(row)
            orphans = sorted((k for k in groups if k not in records), key=int)
            if orphans:
                n = sum(len(groups[k]) for k in orphans)
                issues.append(
                    ParseIssue(
                        str(sf.path),
                        f"{n} {role} rows for {len(orphans)} ent_nums with no row in "
                        f"{prim.path.name} (ignored; e.g. {', '.join(orphans[:5])})",
                    )
                )
            extra[role] = groups
        issues.extend(_vintage_issue(files))
        entities = []
        for ent, row in records.items():
            e = self._entity(ent, row, {r: g.get(ent, []) for r, g in extra.items()})
            if not e.names or e.names[0].type is not NameType.PRIMARY:
                issues.append(ParseIssue(str(prim.path), "record has no name", row.line, ent))
            entities.append(e)
        return ParsedDataset(self.name, entities, list(files), None, issues)

    def _entity(self, ent: str, row: _Row, extra: dict[str, list[_Row]]) -> Entity:
        f = row.fields
        base = f[11] if clean(f[11]) else ""
        overflow = "".join(r.fields[1] for r in extra.get("comments", []) if clean(r.fields[1]))
        remarks = clean(base + overflow)  # the comments row continues a cut Remarks field
        facts = parse_remarks(remarks)
        names: list[Name] = []
        primary = clean(f[1])
        if primary:
            names.append(Name(value=primary, script=text_script(primary)))
        for alt in extra.get("alt", []):
            n = _alias(alt.fields)
            if n is not None:
                names.append(n)
        for n in facts.names:
            if all(n.value != m.value for m in names):
                names.append(n)
        idents = list(facts.identifiers)
        call_sign = clean(f[5])
        if call_sign:
            idents.insert(0, Identifier(type=IdType.CALL_SIGN, value=call_sign, label="Call Sign"))
        props: dict[str, list[str]] = dict(facts.properties)
        for key, i in (
            ("vessel_type", 6),
            ("tonnage", 7),
            ("gross_registered_tonnage", 8),
            ("vessel_flag", 9),
            ("vessel_owner", 10),
        ):
            v = clean(f[i])
            if v:
                props.setdefault(key, []).append(v)
        if facts.unparsed:
            props["unparsed_remarks"] = facts.unparsed
        countries = list(facts.countries)
        flag = to_iso(clean(f[9]))
        if flag and flag not in countries:
            countries.append(flag)
        relations = list(facts.relations)
        owner = clean(f[10])
        if owner:
            relations.append(Relation(type="owned_by", target_name=owner))
        title = clean(f[4])
        raws = [row.raw] + [r.raw for k in ("alt", "add", "comments") for r in extra.get(k, [])]
        return Entity(
            id=make_id(self.source, ent),
            source=self.source,
            record_id=ent,
            kind=_KINDS.get((clean(f[2]) or "").lower() or None, EntityKind.UNKNOWN),
            list_name=self.list_name,
            names=tuple(names),
            addresses=tuple(_address(r.fields) for r in extra.get("add", [])),
            identifiers=tuple(idents),
            birth_dates=tuple(facts.birth_dates),
            birth_places=dedupe(facts.birth_places),
            nationalities=dedupe(facts.nationalities),
            countries=dedupe(countries),
            programs=dedupe(split_programs(clean(f[3]))),
            gender=facts.gender,
            titles=(title,) if title else (),
            remarks=(remarks,) if remarks else (),
            relations=tuple(relations),
            properties={k: dedupe(v) for k, v in props.items()},
            raw="\n".join(raws),
            raw_format="csv",
        )


def _looks_ofac(path: Path) -> bool:
    """Cheap sniff: an OFAC CSV starts with ``<ent_num>,``."""
    try:
        with path.open("rb") as fh:
            head = fh.read(64)
    except OSError:
        return False
    return re.match(rb"(?:\xef\xbb\xbf)?(?:\d+|ent_num)\s*,", head, re.IGNORECASE) is not None


def _vintage_issue(files: Sequence[SourceFile]) -> list[ParseIssue]:
    stamps: dict[str, str] = {}
    for f in files:
        m = re.search(r"(\d{4})[-_]?(\d{2})(?:[-_]?(\d{2}))?", f.path.name)
        if m:
            stamps[f.path.name] = m.group(0)
    if len(set(stamps.values())) > 1:
        names = ", ".join(sorted(stamps))
        primary = next((f for f in files if f.role == "primary"), files[0])
        return [
            ParseIssue(
                str(primary.path),
                f"files of one set come from different dates ({names}); aliases, addresses "
                "and remarks overflow may not match the primary records",
            )
        ]
    return []


class OfacSdnCsv(_OfacCsvSet):
    name = "ofac_sdn_csv"
    list_name = "SDN"
    stems: ClassVar[dict[str, str]] = {
        "primary": "sdn",
        "alt": "alt",
        "add": "add",
        "comments": "sdn_comments",
    }
    urls: ClassVar[dict[str, str]] = {
        "sdn.csv": _BASE + "SDN.CSV",
        "alt.csv": _BASE + "ALT.CSV",
        "add.csv": _BASE + "ADD.CSV",
        "sdn_comments.csv": _BASE + "SDN_COMMENTS.CSV",
    }


class OfacConsCsv(_OfacCsvSet):
    name = "ofac_cons_csv"
    list_name = "Non-SDN Consolidated"
    stems: ClassVar[dict[str, str]] = {
        "primary": "cons_prim",
        "alt": "cons_alt",
        "add": "cons_add",
        "comments": "cons_comments",
    }
    urls: ClassVar[dict[str, str]] = {
        "cons_prim.csv": _BASE + "CONS_PRIM.CSV",
        "cons_alt.csv": _BASE + "CONS_ALT.CSV",
        "cons_add.csv": _BASE + "CONS_ADD.CSV",
        "cons_comments.csv": _BASE + "CONS_COMMENTS.CSV",
    }
