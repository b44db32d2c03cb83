"""BIS Denied Persons List, ``dpl.txt``: tab-separated, every field double-quoted.

Header: ``"Name" "Street_Address" "City" "State" "Country" "Postal_Code" "Effective_Date"
"Expiration_Date" "Standard_Order" "Last_Update" "Action" "FR_Citation"``; one row per
name and address (a person with two addresses, or an alias, is a second row).

The file has no record ids. Id: ``csl:dpl-<first 16 hex of sha1(name, Effective_Date,
FR_Citation)>`` (each value whitespace-collapsed). Rows sharing that id (one party listed at
several addresses) get ``-<8 hex of sha1(street, city, state, country, postal code)>``
appended; rows still identical then get ``-2``, ``-3`` in file order.

``published`` is the latest ``Last_Update`` that is not in the future (the 2019 file has a
"3017-08-22" typo; such dates are reported as issues). kind is ``organization`` when the
name carries a legal-form token (INC, LTD, LLC, CO, CORP, GMBH, S.A., FZE, ...), else
``unknown`` (the list mixes persons and companies without saying which).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import ClassVar

from stopship.countries import to_iso
from stopship.errors import SourceFormatError
from stopship.model import Address, Entity, EntityKind, Name, NameType, make_id
from stopship.normalize.scripts import text_script
from stopship.sources.base import (
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
from stopship.sources.csl import (
    disambiguate,
    parse_iso_date,
    parse_us_date,
    record_texts,
    short_hash,
    sniff_header,
)

SOURCE = "csl"
URL = "https://www.bis.doc.gov/dpl/dpl.txt"
LIST_NAME = "Denied Persons List (DPL) - Bureau of Industry and Security"
HEADER: tuple[str, ...] = (
    "Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date",
    "Expiration_Date", "Standard_Order", "Last_Update", "Action", "FR_Citation",
)  # fmt: skip
_LEGAL_FORMS = frozenset(
    """INC INCORPORATED LTD LIMITED LLC LLP LP CO CORP CORPORATION COMPANY GMBH SA SL SAS SARL
    SRL SPA BV NV AG AB AS OY PLC PTE PVT FZE FZCO FZC FZ LLC JSC OJSC CJSC OOO ZAO OAO KG
    EST TRADING ENTERPRISES ENTERPRISE INDUSTRIES INTERNATIONAL GROUP AIRLINES AIRWAYS
    HOLDINGS SYSTEMS TECHNOLOGIES TECHNOLOGY ELECTRONICS SERVICES SOLUTIONS ASSOCIATES""".split()  # noqa: SIM905
)
_AKA = re.compile(r"\s+(A/K/A|D/B/A|F/K/A)\s+", re.IGNORECASE)
#: country spellings in the DPL that ISO tables do not carry
_COUNTRY_FIXES = {"PRC": "CN"}


def guess_kind(name: str) -> EntityKind:
    """organization when a legal-form / company token appears in the name, else unknown."""
    tokens = re.findall(r"[A-Z0-9]+", name.upper().replace(".", ""))
    return EntityKind.ORGANIZATION if _LEGAL_FORMS.intersection(tokens) else EntityKind.UNKNOWN


def split_names(value: str) -> list[Name]:
    """``FUYI SUN A/K/A FRANK SUN`` -> primary + alias (F/K/A -> former name)."""
    parts = _AKA.split(value)
    names = [Name(value=parts[0], type=NameType.PRIMARY, script=text_script(parts[0]))]
    for marker, alias in zip(parts[1::2], parts[2::2], strict=True):
        kind = NameType.FORMER if marker.upper() == "F/K/A" else NameType.STRONG_ALIAS
        names.append(Name(value=alias, type=kind, script=text_script(alias), note=marker))
    return names


def _country(value: str | None) -> tuple[str | None, str | None]:
    """(ISO code, published name when unmappable)."""
    if not value:
        return None, None
    code = _COUNTRY_FIXES.get(value.upper()) or to_iso(value)
    return code, (None if code else value)


def is_dpl_header(header: Sequence[str]) -> bool:
    return tuple(h.strip() for h in header[: len(HEADER)]) == HEADER


class BisDplTxt(Adapter):
    name = "bis_dpl_txt"
    source = SOURCE
    urls: ClassVar[dict[str, str]] = {"dpl.txt": URL}

    def discover(self, root: Path) -> list[SourceFile] | None:
        found = [
            p
            for p in find_files(root, r"(?:bis_)?dpl.*\.txt")
            if is_dpl_header(sniff_header(p, "\t"))
        ]
        best = newest(found)
        return [SourceFile(best, "dpl")] if best else None

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        path = files[0].path
        text = read_text(path)
        rows = list(iter_csv(path, text, delimiter="\t"))
        if not rows or not is_dpl_header(rows[0][1]):
            raise SourceFormatError(
                path,
                "header is not the Denied Persons List's (expected tab-separated "
                + " ".join(f'"{h}"' for h in HEADER)
                + ")",
                line=rows[0][0] if rows else 1,
            )
        body = rows[1:]
        for line, row in body:
            if len(row) != len(HEADER):
                raise SourceFormatError(
                    path,
                    f"expected {len(HEADER)} tab-separated fields, found {len(row)} "
                    "(truncated or malformed row)",
                    line=line,
                )
        cells = [[clean(c) for c in row] for _, row in body]
        bases = ["dpl-" + short_hash(c[0], c[6], c[11]) for c in cells]
        extras = ["|".join(x or "" for x in (c[1], c[2], c[3], c[4], c[5])) for c in cells]
        ids = disambiguate(bases, extras)
        raws = record_texts(text, [ln for ln, _ in body])
        issues: list[ParseIssue] = []
        entities: list[Entity] = []
        today = date.today()
        updates: list[date] = []
        for (line, _), c, rid, raw in zip(body, cells, ids, raws, strict=True):
            updated = parse_iso_date(c[9])
            if updated and updated > today:
                issues.append(
                    ParseIssue(
                        str(path),
                        f"Last_Update {c[9]} is in the future; ignored for the publication date",
                        line=line,
                        record=rid,
                    )
                )
            elif updated:
                updates.append(updated)
            entities.append(_entity(c, rid, raw, line, path, issues))
        published = max(updates) if updates else None
        return ParsedDataset(self.name, entities, list(files), published, issues)


def _entity(
    c: list[str | None], rid: str, raw: str, line: int, path: Path, issues: list[ParseIssue]
) -> Entity:
    name, street, city, state, country, postcode, eff, exp, std, _upd, action, fr = c
    names = split_names(name) if name else []
    if not name:
        issues.append(
            ParseIssue(str(path), "record has no name; loaded under its id", line=line, record=rid)
        )
    code, cname = _country(country)
    address = Address(
        street=street, city=city, region=state, postcode=postcode, country=code, country_name=cname
    )
    listed_on = parse_us_date(eff)
    if eff and listed_on is None:
        issues.append(
            ParseIssue(str(path), f"unparsed Effective_Date {eff!r}", line=line, record=rid)
        )
    props: dict[str, tuple[str, ...]] = {}
    for key, val in (
        ("effective_date", eff),
        ("expiration_date", exp),
        ("standard_order", std),
        ("last_update", c[9]),
        ("action", action),
        ("federal_register_notice", fr),
    ):
        if val:
            props[key] = (val,)
    exp_date = parse_us_date(exp)
    if exp_date:
        props["expiration_date_iso"] = (exp_date.isoformat(),)
    return Entity(
        id=make_id(SOURCE, rid),
        source=SOURCE,
        record_id=rid,
        kind=guess_kind(name) if name else EntityKind.UNKNOWN,
        list_name=LIST_NAME,
        names=tuple(names),
        addresses=(address,) if address != Address() else (),
        listed_on=listed_on,
        properties=props,
        raw=raw,
        raw_format="tsv",
    )
