"""BIS Military-Intelligence End-User (MIEU) list, as curated by OpenSanctions in CSV.

Columns: ``Type,Name,Alias,Country,Topics,Program,Date,End date,Source URL``. BIS publishes
the list only inside the EAR (supplement no. 7 to part 744), so there is no official
download in this format (``urls`` is empty). Id: ``csl:mieu-<slug of the name>`` (lower-case
ASCII, runs of other characters -> ``-``); repeated slugs get ``-2``, ``-3`` in file order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

from stopship.countries import to_iso
from stopship.errors import SourceFormatError
from stopship.model import Entity, EntityKind, Name, NameType, make_id
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
from stopship.sources.csl import parse_iso_date, record_texts, slug, sniff_header, split_multi

SOURCE = "csl"
LIST_NAME = "Military-Intelligence End User (MIEU) List - Bureau of Industry and Security"
HEADER: tuple[str, ...] = (
    "Type", "Name", "Alias", "Country", "Topics", "Program", "Date", "End date", "Source URL",
)  # fmt: skip
_KINDS = {
    "organization": EntityKind.ORGANIZATION,
    "company": EntityKind.ORGANIZATION,
    "legalentity": EntityKind.ORGANIZATION,
    "person": EntityKind.PERSON,
    "vessel": EntityKind.VESSEL,
    "airplane": EntityKind.AIRCRAFT,
}


def is_mieu_header(header: Sequence[str]) -> bool:
    return tuple(h.strip() for h in header) == HEADER


class BisMieuCsv(Adapter):
    name = "bis_mieu_csv"
    source = SOURCE
    urls: ClassVar[dict[str, str]] = {}

    def discover(self, root: Path) -> list[SourceFile] | None:
        found = [p for p in find_files(root, r".*mieu.*\.csv") if is_mieu_header(sniff_header(p))]
        best = newest(found)
        return [SourceFile(best, "mieu")] if best else None

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        path = files[0].path
        text = read_text(path)
        rows = list(iter_csv(path, text))
        if not rows or not is_mieu_header(rows[0][1]):
            raise SourceFormatError(
                path,
                f"header is not the MIEU CSV's (expected {','.join(HEADER)})",
                line=rows[0][0] if rows else 1,
            )
        body = rows[1:]
        for line, row in body:
            if len(row) != len(HEADER):
                raise SourceFormatError(
                    path,
                    f"expected {len(HEADER)} fields, found {len(row)} (truncated or malformed)",
                    line=line,
                )
        raws = record_texts(text, [ln for ln, _ in body])
        issues: list[ParseIssue] = []
        entities: list[Entity] = []
        seen: Counter[str] = Counter()
        for (line, row), raw in zip(body, raws, strict=True):
            c = dict(zip(HEADER, (clean(v) for v in row), strict=True))
            name = c["Name"]
            rid = "mieu-" + (slug(name) if name else f"line-{line}")
            seen[rid] += 1
            if seen[rid] > 1:
                rid = f"{rid}-{seen[rid]}"
            if not name:
                issues.append(
                    ParseIssue(str(path), "record has no name; loaded under its id", line, rid)
                )
            entities.append(_entity(c, rid, raw, line, path, issues))
        return ParsedDataset(self.name, entities, list(files), None, issues)


def _entity(
    c: dict[str, str | None], rid: str, raw: str, line: int, path: Path, issues: list[ParseIssue]
) -> Entity:
    names: list[Name] = []
    if c["Name"]:
        names.append(Name(value=c["Name"], type=NameType.PRIMARY, script=text_script(c["Name"])))
    for alias in split_multi(c["Alias"]):
        n = Name(value=alias, type=NameType.STRONG_ALIAS, script=text_script(alias))
        if n not in names:
            names.append(n)
    countries: list[str] = []
    props: dict[str, tuple[str, ...]] = {}
    for raw_c in split_multi(c["Country"]):
        code = to_iso(raw_c)
        if code and code not in countries:
            countries.append(code)
        elif code is None:
            props["country"] = (*props.get("country", ()), raw_c)
    listed_on = parse_iso_date(c["Date"])
    if c["Date"] and listed_on is None:
        issues.append(ParseIssue(str(path), f"unparsed Date {c['Date']!r}", line, rid))
    for key, col in (("topics", "Topics"), ("end_date", "End date"), ("source_url", "Source URL")):
        vals = split_multi(c[col])
        if vals:
            props[key] = tuple(vals)
    rtype = (c["Type"] or "").lower().replace(" ", "")
    kind = _KINDS.get(rtype, EntityKind.UNKNOWN)
    if c["Type"] and kind is EntityKind.UNKNOWN:
        issues.append(ParseIssue(str(path), f"unknown Type {c['Type']!r}", line, rid))
    return Entity(
        id=make_id(SOURCE, rid),
        source=SOURCE,
        record_id=rid,
        kind=kind,
        list_name=LIST_NAME,
        names=tuple(names),
        countries=tuple(countries),
        programs=tuple(split_multi(c["Program"])),
        listed_on=listed_on,
        properties=props,
        raw=raw,
        raw_format="csv",
    )
