"""OFSI Consolidated List of Financial Sanctions Targets (``ConList.csv`` / ``ConList.xlsx``).

Row 1 is ``Last Updated,<dd/mm/yyyy>``; row 2 the header (``Name 6, Name 1 .. Name 5, Title,
... , Group Type, Alias Type, Alias Quality, Regime, Listed On, ..., Group ID``). Each row is
one name (x one DOB/address combination) of a target; rows sharing a ``Group ID`` are one
target, so one entity ``uk:<Group ID>``. The list closed on 28 January 2026 (replaced by the
FCDO UK Sanctions List, see :mod:`uk_sanctions_list`), but archived copies stay loadable.

This module also holds the UK helpers shared by the UK adapters (dates, numbered lists,
``Other Information`` labels, the per-target :class:`UkBuilder`).
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import ClassVar

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
    iter_csv,
    newest,
    read_text,
)

SOURCE = "uk"
ROLE = "conlist"
LIST_NAME = "OFSI Consolidated List"

# --------------------------------------------------------------------------- shared helpers

KINDS: dict[str, EntityKind] = {
    "individual": EntityKind.PERSON,
    "entity": EntityKind.ORGANIZATION,
    "ship": EntityKind.VESSEL,
}

_LANGS: dict[str, str] = {
    "russian": "ru",
    "russia": "ru",
    "ukrainian": "uk",
    "ukraine": "uk",
    "belarusian": "be",
    "arabic": "ar",
    "persian": "fa",
    "persian/farsi": "fa",
    "farsi": "fa",
    "chinese": "zh",
    "georgian": "ka",
    "hebrew": "he",
    "korean": "ko",
    "bulgarian": "bg",
    "turkish": "tr",
    "kazakh": "kk",
    "serbian": "sr",
    "spanish": "es",
    "thai": "th",
    "greek": "el",
    "bosnian": "bs",
    "japanese": "ja",
    "burmese": "my",
    "romanian": "ro",
    "english": "en",
}

_DATE_RX = re.compile(r"^(\d{1,2}|dd)[/.-](\d{1,2}|mm)[/.-](\d{4})$", re.IGNORECASE)
_MONTH_YEAR_RX = re.compile(r"^(\d{1,2})[/.-](\d{4})$")
_NUMBERED_RX = re.compile(r"\(\d{1,2}\)(?:\s*to\s*\(\d{1,2}\))?")
_LABEL_RX = re.compile(r"\(([A-Z][A-Za-z/ .]{1,40}?)\)\s*:")


def lang_code(language: str | None) -> str | None:
    """An ISO 639-1 code for a published language name (the name itself when unknown)."""
    v = clean(language)
    if v is None:
        return None
    return _LANGS.get(v.casefold(), v)


def cell_text(value: object) -> str:
    """A spreadsheet cell as text: dates as dd/mm/yyyy, whole floats without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_date(value: str | None) -> date | None:
    """``dd/mm/yyyy`` or ``dd-mm-yyyy`` (also ISO ``yyyy-mm-dd``); None otherwise."""
    v = clean(value)
    if v is None:
        return None
    m = _DATE_RX.match(v)
    try:
        if m and m.group(1).isdigit() and m.group(2).isdigit():
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if re.match(r"^\d{4}-\d{2}-\d{2}", v):
            return date.fromisoformat(v[:10])
    except ValueError:
        return None
    return None


def parse_dob(value: str | None) -> BirthDate | None:
    """A UK date of birth: ``dd/mm/yyyy``; ``00/00/yyyy`` or ``dd/mm/yyyy`` placeholders
    (year only); ``00/mm/yyyy`` or ``mm/yyyy`` (month); ``yyyy`` (year)."""
    raw = clean(value)
    if raw is None:
        return None
    m = _DATE_RX.match(raw)
    if m:
        d, mo, y = m.group(1), m.group(2), int(m.group(3))
        if not mo.isdigit() or int(mo) == 0:
            return BirthDate.year(y, raw) if 1 <= y <= 9999 else None
        month = int(mo)
        if not d.isdigit() or int(d) == 0:
            return _month(y, month, raw)
        try:
            return BirthDate.exact(date(y, month, int(d)), raw)
        except ValueError:
            return _month(y, month, raw)
    m2 = _MONTH_YEAR_RX.match(raw)
    if m2:
        return _month(int(m2.group(2)), int(m2.group(1)), raw)
    if re.fullmatch(r"\d{4}", raw):
        return BirthDate.year(int(raw), raw)
    return None


def _month(y: int, month: int, raw: str) -> BirthDate | None:
    if not 1 <= month <= 12 or y < 1:
        return BirthDate.year(y, raw) if y >= 1 else None
    last = calendar.monthrange(y, month)[1]
    return BirthDate(precision="month", start=date(y, month, 1), end=date(y, month, last), raw=raw)


def split_numbered(value: str | None) -> list[str]:
    """``(1) a (2) b`` -> ``[a, b]``; text without numbering -> ``[text]``; empty -> ``[]``."""
    v = clean(value)
    if v is None:
        return []
    if not _NUMBERED_RX.search(v):
        return [v]
    out = []
    for part in _NUMBERED_RX.split(v):
        p = clean(part.strip(" ;,"))
        if p is not None:
            out.append(p.rstrip(".").strip() if p.endswith(".") and len(p) > 1 else p)
    return [p for p in out if p]


def other_info_fields(text: str | None) -> dict[str, list[str]]:
    """``(Label):value`` pairs of an OFSI ``Other Information`` text, by lower-cased label."""
    v = clean(text)
    out: dict[str, list[str]] = {}
    if v is None:
        return out
    matches = list(_LABEL_RX.finditer(v))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(v)
        value = clean(v[m.end() : end])
        if value is not None:
            out.setdefault(m.group(1).strip().casefold(), []).append(value.rstrip(". ").strip())
    return out


_REG_LABELS: tuple[tuple[str, IdType], ...] = (
    ("ogrn", IdType.OGRN),
    ("inn", IdType.INN),
    ("kpp", IdType.KPP),
    ("okpo", IdType.OKPO),
    ("tin", IdType.TAX_ID),
    ("tax", IdType.TAX_ID),
    ("swift", IdType.BIC),
    ("bic", IdType.BIC),
    ("lei", IdType.LEI),
    ("imo", IdType.IMO),
)


def registration_ids(value: str | None, label: str) -> list[Identifier]:
    """Business registration numbers (``(1) Registration Number/OGRN: 1056... (2) INN: ...``)."""
    out: list[Identifier] = []
    for item in split_numbered(value):
        head, sep, tail = item.rpartition(":")
        number = clean(tail) if sep else item
        if number is None:
            continue
        kind = IdType.REGISTRATION
        low = head.casefold()
        for key, typ in _REG_LABELS:
            if re.search(rf"\b{key}\b", low):
                kind = typ
                break
        out.append(Identifier(type=kind, value=number, label=clean(head) or label))
    return out


def country_of(text: str | None) -> str | None:
    """The ISO code of a country named at the start of a detail text (``Tunisia. Issued ...``)."""
    v = clean(text)
    if v is None:
        return None
    head = re.split(
        r"[.,;(]| number| passport| national| identi| issued", v, maxsplit=1, flags=re.IGNORECASE
    )[0]
    return to_iso(head.strip()) if head.strip() else None


def _first_token(value: str) -> str:
    """A reference at the start of a text (``RUS2080. Financial ...`` -> ``RUS2080``)."""
    m = re.match(r"[A-Za-z]{2,5}[\s.]?\d+(?:\.\d+)?", value)
    return m.group(0) if m else value


class UkBuilder:
    """Collects one target's fields across its rows (or XML children), deduplicated."""

    def __init__(self, record_id: str, list_name: str, raw_format: str) -> None:
        self.record_id = record_id
        self.list_name = list_name
        self.raw_format = raw_format
        self.kind = EntityKind.UNKNOWN
        self.first_line: int | None = None
        self.names: list[Name] = []
        self.addresses: list[Address] = []
        self.identifiers: list[Identifier] = []
        self.birth_dates: list[BirthDate] = []
        self.birth_places: list[str] = []
        self.nationalities: list[str] = []
        self.countries: list[str] = []
        self.programs: list[str] = []
        self.listed_on: date | None = None
        self.gender: str | None = None
        self.titles: list[str] = []
        self.positions: list[str] = []
        self.remarks: list[str] = []
        self.relations: list[Relation] = []
        self.properties: dict[str, list[str]] = {}
        self.raw: list[str] = []

    # -- adders (all dedupe) ------------------------------------------------------------

    @staticmethod
    def _add(seq: list[str], value: str | None) -> None:
        v = clean(value)
        if v is not None and v not in seq:
            seq.append(v)

    def add_name(self, value: str | None, typ: NameType, lang: str | None = None) -> None:
        v = clean(value)
        if v is None:
            return
        if any(n.value == v and (n.type is typ or typ is not NameType.PRIMARY) for n in self.names):
            return
        self.names.append(Name(value=v, type=typ, script=text_script(v), lang=lang))

    def add_title(self, value: str | None) -> None:
        for t in split_numbered(value):
            self._add(self.titles, t)

    def add_position(self, value: str | None) -> None:
        for p in split_numbered(value):
            self._add(self.positions, p)

    def add_program(self, value: str | None) -> None:
        self._add(self.programs, value)

    def add_remark(self, value: str | None) -> None:
        self._add(self.remarks, value)

    def add_birth_place(self, value: str | None) -> None:
        self._add(self.birth_places, value)

    def add_prop(self, key: str, value: str | None) -> None:
        v = clean(value)
        if v is not None:
            vals = self.properties.setdefault(key, [])
            if v not in vals:
                vals.append(v)

    def add_raw(self, text: str) -> None:
        if text not in self.raw:
            self.raw.append(text)

    def add_dob(self, value: str | None) -> None:
        for item in split_numbered(value):
            bd = parse_dob(item)
            if bd is None:
                self.add_prop("dob_text", item)
            elif bd not in self.birth_dates:
                self.birth_dates.append(bd)

    def add_nationality(self, value: str | None) -> None:
        for item in split_numbered(value):
            iso = to_iso(item)
            if iso is None:
                self.add_prop("nationality_text", item)
            else:
                self._add(self.nationalities, iso)

    def add_country(self, value: str | None) -> None:
        for item in split_numbered(value):
            iso = to_iso(item)
            if iso is not None:
                self._add(self.countries, iso)

    def add_birth(self, towns: str | None, countries: str | None) -> None:
        ts, cs = split_numbered(towns), split_numbered(countries)
        if ts and len(ts) == len(cs):
            for t, c in zip(ts, cs, strict=True):
                self.add_birth_place(f"{t}, {c}")
            return
        for t in ts:
            self.add_birth_place(t)
        for c in cs:
            self.add_birth_place(c)

    def add_address(
        self, lines: Sequence[str | None], postcode: str | None, country: str | None
    ) -> None:
        cleaned = [clean(x) for x in lines]
        parts = [p for p in cleaned if p]
        pc, ctry = clean(postcode), clean(country)
        if not parts and pc is None and ctry is None:
            return
        iso = to_iso(ctry) if ctry else None
        street = ", ".join(p for p in cleaned[:4] if p) or None
        city = cleaned[4] if len(cleaned) > 4 else None
        region = cleaned[5] if len(cleaned) > 5 else None
        full = ", ".join([*parts, *(x for x in (pc, ctry) if x)])
        addr = Address(
            street=street,
            city=city,
            region=region,
            postcode=pc,
            country=iso,
            country_name=ctry if ctry and iso is None else None,
            full=full,
        )
        if addr not in self.addresses:
            self.addresses.append(addr)
        if iso:
            self._add(self.countries, iso)

    def add_identifier(self, ident: Identifier) -> None:
        if all((i.type, i.value) != (ident.type, ident.value) for i in self.identifiers):
            self.identifiers.append(ident)

    def add_documents(
        self, numbers: str | None, details: str | None, typ: IdType, label: str
    ) -> None:
        """Paired numbered lists of document numbers and details."""
        nums, dets = split_numbered(numbers), split_numbered(details)
        for i, num in enumerate(nums):
            det = dets[i] if len(nums) == len(dets) else (clean(details) if details else None)
            self.add_identifier(
                Identifier(type=typ, value=num, country=country_of(det), label=label, note=det)
            )

    def add_relation(self, typ: str, target: str | None) -> None:
        v = clean(target)
        if v is None:
            return
        rel = Relation(type=typ, target_name=v)
        if rel not in self.relations:
            self.relations.append(rel)

    def set_listed_on(self, value: str | None) -> None:
        d = parse_date(value)
        if d is not None and (self.listed_on is None or d < self.listed_on):
            self.listed_on = d

    def set_gender(self, value: str | None) -> None:
        v = clean(value)
        if v and self.gender is None:
            self.gender = v.lower()

    def apply_other_information(self, text: str | None) -> None:
        """Keep the whole text as a remark and pick out the labelled fields."""
        self.add_remark(text)
        f = other_info_fields(text)
        for ref in f.get("uk sanctions list ref", []):
            self.add_prop("uk_sanctions_list_ref", _first_token(ref))
        for ref in f.get("un ref", []):
            self.add_prop("un_reference", _first_token(ref))
        for g in f.get("gender", []):
            self.set_gender(g)
        for t in f.get("type of entity", []):
            self.add_prop("entity_type", t)
        for v in f.get("business reg no", []):
            for ident in registration_ids(v, "Business Reg No"):
                self.add_identifier(ident)
        simple = (
            ("phone number", IdType.PHONE),
            ("email address", IdType.EMAIL),
            ("website", IdType.WEBSITE),
            ("imo number", IdType.IMO),
        )
        for key, typ in simple:
            for v in f.get(key, []):
                for item in split_numbered(v):
                    self.add_identifier(Identifier(type=typ, value=item))
        for v in f.get("parent company", []):
            for item in split_numbered(v):
                self.add_relation("subsidiary_of", item)
        for v in f.get("subsidiaries", []):
            for item in split_numbered(v):
                self.add_relation("parent_of", item)
        for v in f.get("current owners", []):
            for item in split_numbered(v):
                self.add_relation("owned_by", item)
        for key in (
            "flag of ship",
            "previous flags",
            "type of ship",
            "tonnage of ship",
            "length of ship",
            "year built",
        ):
            for v in f.get(key, []):
                self.add_prop(key.replace(" ", "_"), v)

    def build(self, source: str = SOURCE) -> Entity:
        return Entity(
            id=make_id(source, self.record_id),
            source=source,
            record_id=self.record_id,
            kind=self.kind,
            list_name=self.list_name,
            names=tuple(self.names),
            addresses=tuple(self.addresses),
            identifiers=tuple(self.identifiers),
            birth_dates=tuple(self.birth_dates),
            birth_places=tuple(self.birth_places),
            nationalities=tuple(self.nationalities),
            countries=tuple(self.countries),
            programs=tuple(self.programs),
            listed_on=self.listed_on,
            gender=self.gender,
            titles=tuple(self.titles),
            positions=tuple(self.positions),
            remarks=tuple(self.remarks),
            relations=tuple(self.relations),
            properties={k: tuple(v) for k, v in self.properties.items()},
            raw="\n".join(self.raw),
            raw_format=self.raw_format,
        )


def resolve_names(entries: Sequence[tuple[str, str, str]]) -> list[tuple[str, NameType]]:
    """(name, name type, alias quality) rows -> typed names. The first ``Primary name`` is
    the primary (a ``Primary name variation`` when there is none); other primaries become
    strong aliases, low-quality aliases weak ones, ``FKA`` former names."""
    out: list[tuple[str, NameType]] = []
    kinds = [t.casefold().strip() for _, t, _ in entries]
    primary_kind = "primary name" if "primary name" in kinds else "primary name variation"
    have_primary = False
    for (value, _, quality), kind in zip(entries, kinds, strict=True):
        if kind == primary_kind and not have_primary:
            out.append((value, NameType.PRIMARY))
            have_primary = True
        elif kind in ("fka", "former name", "formerly known as"):
            out.append((value, NameType.FORMER))
        elif "low" in quality.casefold() or "weak" in quality.casefold():
            out.append((value, NameType.WEAK_ALIAS))
        else:
            out.append((value, NameType.STRONG_ALIAS))
    if not have_primary and out:
        out[0] = (out[0][0], NameType.PRIMARY)
    return sorted(out, key=lambda n: n[1] is not NameType.PRIMARY)


def join_name(parts: Iterable[str | None]) -> str | None:
    return clean(" ".join(p for p in (clean(x) for x in parts) if p))


# --------------------------------------------------------------------------- ConList

REQUIRED = ("Name 6", "Name 1", "Alias Type", "Group Type", "Regime", "Group ID")
NAME_PARTS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5", "Name 6")


def _conlist_rows(
    path: Path, rows: Iterator[tuple[int, list[str], str]], fmt: str
) -> ParsedDataset:
    """Parse ConList rows ``(line, cells, raw text)`` whatever the container format."""
    first = next(rows, None)
    if first is None:
        raise SourceFormatError(path, "file is empty")
    published: date | None = None
    header_line, header, _ = first
    if clean(header[0]) == "Last Updated":
        published = parse_date(header[1] if len(header) > 1 else None)
        second = next(rows, None)
        if second is None:
            raise SourceFormatError(path, "no header row after 'Last Updated'", line=2)
        header_line, header, _ = second
    cols = {clean(h) or "": i for i, h in enumerate(header)}
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise SourceFormatError(
            path, f"not an OFSI ConList header (missing {', '.join(missing)})", line=header_line
        )

    builders: dict[str, UkBuilder] = {}
    names: dict[str, list[tuple[str, str, str]]] = {}
    issues: list[ParseIssue] = []
    width = len(header)

    for line, cells, raw in rows:
        if len(cells) < width:
            if not any(c.strip() for c in cells):
                continue
            raise SourceFormatError(
                path, f"expected {width} fields, found {len(cells)} (truncated row?)", line=line
            )

        def g(col: str, _cells: list[str] = cells) -> str:
            i = cols.get(col)
            return _cells[i] if i is not None else ""

        gid = clean(g("Group ID"))
        if gid is None:
            issues.append(ParseIssue(str(path), "row without a Group ID skipped", line=line))
            continue
        b = builders.get(gid)
        if b is None:
            b = builders[gid] = UkBuilder(gid, LIST_NAME, fmt)
            b.first_line = line
            names[gid] = []
        b.add_raw(raw)
        kind = KINDS.get((clean(g("Group Type")) or "").casefold())
        if kind is not None:
            b.kind = kind
        full = join_name(g(c) for c in NAME_PARTS)
        if full:
            names[gid].append((full, g("Alias Type"), g("Alias Quality")))
        nonlatin = clean(g("Name Non-Latin Script"))
        if nonlatin:
            lang = lang_code(g("Non-Latin Script Language"))
            b.add_name(nonlatin, NameType.ORIGINAL_SCRIPT, lang)
        b.add_title(g("Title"))
        b.add_dob(g("DOB"))
        b.add_birth(g("Town of Birth"), g("Country of Birth"))
        b.add_nationality(g("Nationality"))
        b.add_documents(
            g("Passport Number"), g("Passport Details"), IdType.PASSPORT, "Passport Number"
        )
        b.add_documents(
            g("National Identification Number"),
            g("National Identification Details"),
            IdType.NATIONAL_ID,
            "National Identification Number",
        )
        b.add_position(g("Position"))
        b.add_address([g(f"Address {i}") for i in range(1, 7)], g("Post/Zip Code"), g("Country"))
        b.apply_other_information(g("Other Information"))
        b.add_program(g("Regime"))
        b.set_listed_on(g("Listed On"))
        b.add_prop("uk_date_designated", g("UK Sanctions List Date Designated"))
        b.add_prop("last_updated", g("Last Updated"))

    entities: list[Entity] = []
    for gid, b in builders.items():
        typed = resolve_names(names[gid])
        scripts = list(b.names)
        b.names = []
        for value, typ in typed:
            b.add_name(value, typ)
        for n in scripts:
            b.add_name(n.value, n.type, n.lang)
        if not b.names:
            issues.append(
                ParseIssue(str(path), "target without a name", line=b.first_line, record=gid)
            )
        entities.append(b.build())
    return ParsedDataset(
        adapter="", entities=entities, files=[], published=published, issues=issues
    )


def _csv_rows(path: Path, text: str) -> Iterator[tuple[int, list[str], str]]:
    lines = io.StringIO(text, newline="").readlines()
    items = list(iter_csv(path, text))
    for k, (start, row) in enumerate(items):
        end = items[k + 1][0] - 1 if k + 1 < len(items) else len(lines)
        yield start, row, "".join(lines[start - 1 : end]).rstrip("\r\n")


def row_as_csv(cells: Sequence[str]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(cells)
    return buf.getvalue().rstrip("\n")


def _sniff_header(path: Path, needle: bytes) -> bool:
    try:
        with path.open("rb") as fh:
            return needle in fh.read(4096)
    except OSError:
        return False


class OfsiConListCsv(Adapter):
    name: ClassVar[str] = "uk_ofsi_conlist_csv"
    source: ClassVar[str] = SOURCE
    urls: ClassVar[dict[str, str]] = {
        "ConList.csv": "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.csv"
    }
    pattern = r"(ofsi_)?conlist.*\.csv"

    def discover(self, root: Path) -> list[SourceFile] | None:
        cands = [p for p in find_files(root, self.pattern) if _sniff_header(p, b"Group ID")]
        p = newest(cands)
        return [SourceFile(p, ROLE)] if p else None

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        path = files[0].path
        text = read_text(path, ("utf-8", "cp1252"))
        ds = _conlist_rows(path, _csv_rows(path, text), "csv")
        ds.adapter, ds.files = self.name, list(files)
        return ds


class OfsiConListXlsx(Adapter):
    name: ClassVar[str] = "uk_ofsi_conlist_xlsx"
    source: ClassVar[str] = SOURCE
    urls: ClassVar[dict[str, str]] = {
        "ConList.xlsx": "https://ofsistorage.blob.core.windows.net/publishlive/2022format/ConList.xlsx"
    }
    pattern = r"(ofsi_)?conlist.*\.xlsx"

    def discover(self, root: Path) -> list[SourceFile] | None:
        p = newest(find_files(root, self.pattern))
        return [SourceFile(p, ROLE)] if p else None

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        path = files[0].path
        ds = _conlist_rows(path, _xlsx_rows(path), "xlsx")
        ds.adapter, ds.files = self.name, list(files)
        return ds


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str], str]]:
    import zipfile

    import openpyxl

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise SourceFormatError(path, f"not a readable xlsx workbook: {exc}") from exc
    try:
        ws = wb.worksheets[0]
        for i, values in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = [cell_text(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            yield i, cells, row_as_csv(cells)
    finally:
        wb.close()
