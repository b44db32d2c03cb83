"""EU sanctions annexes transcribed from the Official Journal by OpenSanctions (CSV).

One CSV per framework legal act (``<celex>.csv``, e.g. ``32014R0833.csv``), header
``celex,recordId,programKey,annex,measure,startDate,reason,schema,name,alias,...``; one row
per designated party per legal context (act, annex, programme, measure). Entity columns other
than ``name`` are multi-valued, ``; ``-separated (a value holding ``;`` is CSV-quoted inside the
cell). Values keep the Official Journal's wording: dates, countries and identifiers are parsed
here. The same party listed under several acts or annexes is several records (one per legal
context, as published), so several entities.

Record ids: ``recordId`` is the entry number printed in an annex, so it is unique only within
(act, annex); some annexes print none. The entity id is therefore
``eu:<celex>-<annex>-<recordId>``, or ``eu:<celex>-<annex>-n<hash of the name>`` when the
annex prints no number (a repeat of the same id gets ``-2``, ``-3``... and a ParseIssue).

Licence: OpenSanctions data, CC BY-NC 4.0.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import re
from collections.abc import Sequence
from datetime import date
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
    read_text,
)
from stopship.sources.eu_fsf import csv_records

SOURCE = "eu"
ROLE = "annex"
HEADER = [
    "celex",
    "recordId",
    "programKey",
    "annex",
    "measure",
    "startDate",
    "reason",
    "schema",
    "name",
    "alias",
    "weakAlias",
    "previousName",
    "country",
    "nationality",
    "jurisdiction",
    "birthDate",
    "birthPlace",
    "position",
    "passportNumber",
    "gender",
    "appearance",
    "ethnicity",
    "fatherName",
    "motherName",
    "incorporationDate",
    "legalForm",
    "sector",
    "registrationNumber",
    "taxNumber",
    "idNumber",
    "innCode",
    "ogrnCode",
    "kppCode",
    "okpoCode",
    "leiCode",
    "swiftBic",
    "ticker",
    "imoNumber",
    "mmsi",
    "flag",
    "address",
    "phone",
    "email",
    "website",
    "notes",
]
_SNIFF = b"celex,recordId,"

_KINDS = {
    "Person": EntityKind.PERSON,
    "LegalEntity": EntityKind.ORGANIZATION,
    "Company": EntityKind.ORGANIZATION,
    "Organization": EntityKind.ORGANIZATION,
    "PublicBody": EntityKind.ORGANIZATION,
    "Vessel": EntityKind.VESSEL,
    "Airplane": EntityKind.AIRCRAFT,
    "Asset": EntityKind.UNKNOWN,
}

# columns typed directly: column -> (IdType, issuing country implied by the system)
_DIRECT_IDS: dict[str, tuple[IdType, str | None]] = {
    "passportNumber": (IdType.PASSPORT, None),
    "taxNumber": (IdType.TAX_ID, None),
    "idNumber": (IdType.NATIONAL_ID, None),
    "innCode": (IdType.INN, "RU"),
    "ogrnCode": (IdType.OGRN, "RU"),
    "kppCode": (IdType.KPP, "RU"),
    "okpoCode": (IdType.OKPO, "RU"),
    "leiCode": (IdType.LEI, None),
    "swiftBic": (IdType.BIC, None),
    "imoNumber": (IdType.IMO, None),
    "mmsi": (IdType.MMSI, None),
    "email": (IdType.EMAIL, None),
    "website": (IdType.WEBSITE, None),
    "phone": (IdType.PHONE, None),
}

# registrationNumber "<number> (<label>)": label keyword -> type (first match wins)
_REG_LABELS: tuple[tuple[str, IdType, str | None], ...] = (
    (r"\bINN\b|ИНН", IdType.INN, "RU"),
    (r"\bOGRN\b|ОГРН|state registration number", IdType.OGRN, "RU"),
    (r"\bKPP\b|КПП", IdType.KPP, "RU"),
    (r"\bOKPO\b|ОКПО", IdType.OKPO, "RU"),
    (r"\bLEI\b", IdType.LEI, None),
    (r"\bTIN\b|\bTRN\b|\btax\b|УНП", IdType.TAX_ID, None),
)


# demonyms the Official Journal uses for nationality (country names go through to_iso)
_DEMONYMS = {
    "afghan": "AF",
    "afgan": "AF",
    "albanian": "AL",
    "algerian": "DZ",
    "american": "US",
    "angolan": "AO",
    "argentinian": "AR",
    "armenian": "AM",
    "australian": "AU",
    "austrian": "AT",
    "azerbaijani": "AZ",
    "bahraini": "BH",
    "bangladeshi": "BD",
    "belarusian": "BY",
    "belarussian": "BY",
    "belgian": "BE",
    "bosnian": "BA",
    "brazilian": "BR",
    "british": "GB",
    "bulgarian": "BG",
    "burkinabe": "BF",
    "burundian": "BI",
    "cameroonian": "CM",
    "canadian": "CA",
    "central african": "CF",
    "chadian": "TD",
    "chinese": "CN",
    "colombian": "CO",
    "croatian": "HR",
    "cuban": "CU",
    "cypriot": "CY",
    "czech": "CZ",
    "danish": "DK",
    "djiboutian": "DJ",
    "dutch": "NL",
    "egyptian": "EG",
    "emirati": "AE",
    "eritrean": "ER",
    "estonian": "EE",
    "ethiopian": "ET",
    "filipino": "PH",
    "finnish": "FI",
    "french": "FR",
    "gambian": "GM",
    "georgian": "GE",
    "german": "DE",
    "ghanaian": "GH",
    "greek": "GR",
    "guatemalan": "GT",
    "guinean": "GN",
    "haitian": "HT",
    "honduran": "HN",
    "hungarian": "HU",
    "indian": "IN",
    "indonesian": "ID",
    "iranian": "IR",
    "iraqi": "IQ",
    "irish": "IE",
    "israeli": "IL",
    "italian": "IT",
    "ivorian": "CI",
    "japanese": "JP",
    "jordanian": "JO",
    "kazakh": "KZ",
    "kenyan": "KE",
    "kuwaiti": "KW",
    "kyrgyz": "KG",
    "latvian": "LV",
    "lebanese": "LB",
    "liberian": "LR",
    "libyan": "LY",
    "lithuanian": "LT",
    "malaysian": "MY",
    "malian": "ML",
    "mauritanian": "MR",
    "mexican": "MX",
    "moldovan": "MD",
    "montenegrin": "ME",
    "moroccan": "MA",
    "nicaraguan": "NI",
    "nigerian": "NG",
    "nigerien": "NE",
    "north korean": "KP",
    "norwegian": "NO",
    "omani": "OM",
    "pakistani": "PK",
    "palestinian": "PS",
    "polish": "PL",
    "portuguese": "PT",
    "qatari": "QA",
    "romanian": "RO",
    "russian": "RU",
    "rwandan": "RW",
    "saudi": "SA",
    "saudi arabian": "SA",
    "senegalese": "SN",
    "serbian": "RS",
    "singaporean": "SG",
    "slovak": "SK",
    "somali": "SO",
    "south african": "ZA",
    "south sudanese": "SS",
    "spanish": "ES",
    "sudanese": "SD",
    "swedish": "SE",
    "swiss": "CH",
    "syrian": "SY",
    "tajik": "TJ",
    "tanzanian": "TZ",
    "togolese": "TG",
    "tunisian": "TN",
    "turkish": "TR",
    "turkmen": "TM",
    "ugandan": "UG",
    "ukrainian": "UA",
    "uzbek": "UZ",
    "uzbekistani": "UZ",
    "venezuelan": "VE",
    "vietnamese": "VN",
    "yemeni": "YE",
    "zimbabwean": "ZW",
}
_QUALIFIERS = re.compile(
    r"\b(allegedly|assumed|possibly|presumed|probably|by birth|since \d{4})\b|^\s*of the\b",
    re.IGNORECASE,
)


def split_values(cell: str) -> list[str]:
    """The values of a multi-valued cell (``Foo; Bar``, quoted when a value holds ``;``)."""
    if not cell.strip():
        return []
    try:
        parts = next(csv.reader([cell], delimiter=";", skipinitialspace=True))
    except (csv.Error, StopIteration):
        parts = cell.split(";")
    out: list[str] = []
    for p in parts:
        v = clean(p)
        if v is not None and v not in out:
            out.append(v)
    return out


def country_iso(text: str | None) -> str | None:
    """ISO code for a country as the Journal words it (``People’s Republic of China``,
    ``Myanmar/Burma``, ``Tehran (Iran)``, ``Russian``)."""
    t = clean(text)
    if t is None:
        return None
    t = t.replace("’", "'").strip(" .;")
    if t.count("(") != t.count(")"):  # a cut-off "(...": "Afghanistan)"
        t = t.strip("()")
    for cand in (t, *re.findall(r"\(([^()]+)\)", t), *t.split("/")):
        c = cand.strip(" .")
        iso = to_iso(c) or _DEMONYMS.get(c.lower())
        if iso is not None:
            return iso
    return None


def nationalities(value: str) -> list[str]:
    """ISO codes from a nationality text: ``Russian``, ``(a) German, (b) Moroccan``,
    ``Ukrainian and/or Russian``, ``Indonesian. National Identification No.: ...``."""
    text = value.split(". ", 1)[0]
    text = re.sub(r"\(\s*[a-h]\s*\)|\b[a-h]\)", ",", text)
    text = re.sub(r"\([^()]*\)", " ", _QUALIFIERS.sub(" ", text))
    out: list[str] = []
    for part in re.split(r",|/|;|\band/or\b|\band\b|\bor\b", text):
        iso = country_iso(part)
        if iso is not None and iso not in out:
            out.append(iso)
    return out


def _day(d: int, m: int, y: int, raw: str) -> BirthDate | None:
    try:
        return BirthDate.exact(date(y, m, d), raw)
    except ValueError:
        return None


def birth_dates(value: str) -> list[BirthDate]:
    """Dates as the Journal prints them: ``23.2.1965``, ``1965``, ``Approximately 1952``,
    ``Between 1960 and 1965``, ``1960 or 1961``, ``12 January 1965``, ``9 Jan. 1965``,
    ``(a) 1.2.1960, (b) 3.4.1961``, ``May 1970``."""
    raw = value.strip()
    m = re.search(r"between\s+(\d{4})\s+and\s+(\d{4})", raw, re.IGNORECASE)
    if m and int(m[1]) <= int(m[2]):
        return [BirthDate.years(int(m[1]), int(m[2]), raw)]
    out: list[BirthDate] = []
    pieces = re.split(r"\(\s*[a-h]\s*\)|\bor\b|,|;|\band\b", raw)
    for piece in pieces:
        p = piece.strip(" .")
        bd: BirthDate | None = None
        if mm := re.search(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b", p):
            bd = _day(int(mm[1]), int(mm[2]), int(mm[3]), raw)
        elif mm := re.search(r"\b(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})\b", p):
            month = MONTHS.get(mm[2].lower())
            bd = _day(int(mm[1]), month, int(mm[3]), raw) if month else None
        elif mm := re.search(r"\b([A-Za-z]+)\.?\s+(\d{4})\b", p):
            month = MONTHS.get(mm[1].lower())
            y = int(mm[2])
            if month:
                last = calendar.monthrange(y, month)[1]
                bd = BirthDate(
                    precision="month", start=date(y, month, 1), end=date(y, month, last), raw=raw
                )
            else:
                bd = BirthDate.year(y, raw)
        elif mm := re.search(r"\b(1[89]\d\d|20\d\d)\b", p):
            bd = BirthDate.year(int(mm[1]), raw)
        if bd is not None and bd not in out:
            out.append(bd)
    return out


def start_date(value: str) -> date | None:
    bds = birth_dates(value) if value.strip() else []
    return bds[0].start if bds and bds[0].precision == "day" else None


def address(value: str) -> Address:
    """One address as published in a single string; country from its tail, a leading
    6-digit Russian/Belarusian postcode."""
    parts = [p.strip() for p in value.split(",") if p.strip()]
    iso = country_iso(parts[-1]) if parts else None
    if iso is None and parts:
        tail = re.sub(r"\s*\d{5,6}\s*", " ", parts[-1]).strip()
        iso = country_iso(tail) if tail else None
    postcode = None
    m = re.match(r"\s*(\d{6})\b", value)
    if m and iso in ("RU", "BY"):
        postcode = m[1]
    return Address(full=value, country=iso, postcode=postcode)


def _label_split(value: str) -> tuple[str, str | None]:
    """``1646019914 (Tax ID/INN)`` -> (``1646019914``, ``Tax ID/INN``)."""
    m = re.fullmatch(r"(.+?)\s*\(([^()]+)\)\s*[:.]?\s*(.*)", value)
    if m and not m[3]:
        return m[1].strip(" ,:"), m[2].strip()
    return value, None


def _identifier(column: str, value: str) -> Identifier:
    if column == "registrationNumber":
        number, label = _label_split(value)
        id_type, country = IdType.REGISTRATION, None
        if label is not None:
            for rx, t, c in _REG_LABELS:
                if re.search(rx, label, re.IGNORECASE):
                    id_type, country = t, c
                    break
            else:
                country = country_iso(label)
        return Identifier(type=id_type, value=number, country=country, label=label)
    id_type, country = _DIRECT_IDS[column]
    number, label = _label_split(value)
    if label is not None:
        label_country = country_iso(label)
        country = country or label_country
        if label_country is None and column in ("email", "website", "phone"):
            number, label = value, None
    if re.fullmatch(r"\d[\d ]+\d", number):
        number = number.replace(" ", "")
    return Identifier(type=id_type, value=number, country=country, label=label or column)


def _annex_top(annex: str) -> str:
    return annex.split(".", 1)[0]


def list_name(celex: str, annex: str) -> str:
    """``32014R0269`` + ``I.PERSONS`` -> ``Reg. 269/2014 Annex I``."""
    m = re.fullmatch(r"3(\d{4})([RDL])(\d{4})", celex)
    if m:
        kind = {"R": "Reg.", "D": "Dec.", "L": "Dir."}[m[2]]
        act = f"{int(m[3])}/{m[1]}" if m[2] == "R" else f"{m[1]}/{int(m[3])}"
        base = f"{kind} {act}"
    else:
        base = celex
    return f"{base} Annex {_annex_top(annex)}" if annex else base


# The transcription carries the printed annex's annotations inside its name cells: labels of
# the original-script spelling ("Chinese:", "Text of image", "Russian: ..."), other-name
# labels ("f.k.a.: ...", "Stage name: ...") and, in some aliases, fragments of the entry's
# other details ("DOB: 1948", "(Date of birth: 31.12.1979)"). Names are taken out of them.
_LANGUAGES = (
    r"Chinese|Korean|Russian|Rusian|Farsi|Persian|Arabic|Belarusian|Belarussian|Ukrainian"
    r"|Azerbaijani|Kazakh|Georgian|Kyrgyz|Armenian|Hebrew"
)
_LABEL = re.compile(
    rf"^(?:(?:in\s+)?(?:{_LANGUAGES})(?:\s+spelling)?|other\s+name|stage\s+name|married\s+name"
    r"|f\.?\s?k\.?\s?a\.?|a\.?\s?k\.?\s?a\.?)\s*:\s*",
    re.IGNORECASE,
)
_INNER_LABEL = re.compile(rf"\s+(?:{_LANGUAGES}):\s*", re.IGNORECASE)
_BRACKETED_SPELLING = re.compile(
    rf"\([^()]*?\b(?:{_LANGUAGES})(?:\s+spelling)?\s*:\s*([^()]+)\)", re.IGNORECASE
)
_LISTED_AS = re.compile(r"\(\s*(?:formerly|previously)\s+listed\s+as\.?\s*\)", re.IGNORECASE)
_DETAIL_IN_BRACKETS = re.compile(
    r"\s*\(\s*(?:date of birth|born on|passport|place of birth|dob|pob)\b[^()]*\)?\s*$",
    re.IGNORECASE,
)
_NOT_A_NAME = re.compile(
    r"^(?:text of image|(?:dob|pob|date of birth|place of birth|date of issue|place of issue"
    rf"|date of expiration|passport(?: number)?)\b.*|(?:{_LANGUAGES}|other name|stage name):)$",
    re.IGNORECASE,
)


def name_values(value: str) -> list[str]:
    """The names in one name value of the transcription, with its annotations taken out.

    ``"Chinese:"`` and ``"Text of image"`` give nothing; ``"Chinese: AEE"`` gives ``AEE``;
    ``"Konstantin ERNST (Russian: Константин ЭРНСТ)"`` and ``"Иван КУСОВ Ukrainian: Iван
    КУСОВ"`` give both spellings; ``"Kalad Belkasam (Date of birth: 31.12.1979)"`` gives
    ``Kalad Belkasam``; ``"DOB: 1948"`` gives nothing.
    """
    text = value.strip().strip('"').strip()
    if _NOT_A_NAME.match(text):
        return []
    spelled = _BRACKETED_SPELLING.findall(text)
    text = _BRACKETED_SPELLING.sub(" ", text)
    text = _LISTED_AS.sub(" ", text)
    text = _DETAIL_IN_BRACKETS.sub("", text)
    text = _LABEL.sub("", text, count=1)
    out: list[str] = []
    for part in (*_INNER_LABEL.split(text), *spelled):
        v = clean(part.strip(" ,;:–-"))
        if v is not None and not _NOT_A_NAME.match(v) and v not in out:
            out.append(v)
    return out


def _names(row: dict[str, str]) -> list[Name]:
    names: list[Name] = []

    def add(value: str, ntype: NameType) -> None:
        script = text_script(value)
        if ntype is NameType.STRONG_ALIAS and script not in ("Latn", "Zyyy"):
            ntype = NameType.ORIGINAL_SCRIPT
        n = Name(value=value, type=ntype, script=script)
        if n not in names:
            names.append(n)

    primary = clean(row["name"])
    if primary:
        for i, v in enumerate(name_values(primary)):
            add(v, NameType.PRIMARY if i == 0 else NameType.STRONG_ALIAS)
    for col, ntype in (
        ("alias", NameType.STRONG_ALIAS),
        ("weakAlias", NameType.WEAK_ALIAS),
        ("previousName", NameType.FORMER),
    ):
        for cell in split_values(row[col]):
            for v in name_values(cell):
                add(v, ntype)
    return names


_PROPERTY_COLUMNS = (
    "annex",
    "measure",
    "programKey",
    "nationality",
    "fatherName",
    "motherName",
    "appearance",
    "ethnicity",
    "incorporationDate",
    "legalForm",
    "sector",
    "ticker",
    "flag",
    "jurisdiction",
    "country",
)


def _entity(record_id: str, row: dict[str, str], raw: str) -> tuple[Entity, list[str]]:
    """The entity for one row, and the cells that could not be parsed (for ParseIssues)."""
    unparsed: list[str] = []
    idents: list[Identifier] = []
    for col in ("registrationNumber", *_DIRECT_IDS):
        for v in split_values(row[col]):
            ident = _identifier(col, v)
            if ident not in idents:
                idents.append(ident)
    bds: list[BirthDate] = []
    for v in split_values(row["birthDate"]):
        got = birth_dates(v)
        if not got:
            unparsed.append(f"birthDate {v!r}")
        bds.extend(b for b in got if b not in bds)
    nats: list[str] = []
    for v in split_values(row["nationality"]):
        nats.extend(c for c in nationalities(v) if c not in nats)
    countries: list[str] = []
    for col in ("country", "jurisdiction", "flag"):
        for v in split_values(row[col]):
            iso = country_iso(v)
            if iso is not None and iso not in countries:
                countries.append(iso)
    gender = (clean(row["gender"]) or "").lower().strip(". ") or None
    start = clean(row["startDate"])
    listed = start_date(start) if start else None
    if start and listed is None:
        unparsed.append(f"startDate {start!r}")
    programs = [p for p in (clean(row["programKey"]), clean(row["measure"])) if p]
    remarks = [r for r in (clean(row["reason"]), *split_values(row["notes"])) if r]
    props = {
        col: tuple(split_values(row[col]) if col not in ("annex", "measure") else [row[col]])
        for col in _PROPERTY_COLUMNS
        if clean(row[col])
    }
    props["celex"] = (row["celex"],)
    entity = Entity(
        id=make_id(SOURCE, record_id),
        source=SOURCE,
        record_id=record_id,
        kind=_KINDS.get(row["schema"].strip(), EntityKind.UNKNOWN),
        list_name=list_name(row["celex"].strip(), clean(row["annex"]) or ""),
        names=tuple(_names(row)),
        addresses=tuple(dict.fromkeys(address(v) for v in split_values(row["address"]))),
        identifiers=tuple(idents),
        birth_dates=tuple(bds),
        birth_places=tuple(split_values(row["birthPlace"])),
        nationalities=tuple(nats),
        countries=tuple(countries),
        programs=tuple(dict.fromkeys(programs)),
        listed_on=listed,
        gender=gender,
        positions=tuple(split_values(row["position"])),
        remarks=tuple(dict.fromkeys(remarks)),
        properties=props,
        raw=raw,
        raw_format="csv",
    )
    return entity, unparsed


def _sniff(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(len(_SNIFF) + 3).lstrip(b"\xef\xbb\xbf").startswith(_SNIFF)
    except OSError:
        return False


class EuJournalCsv(Adapter):
    """OpenSanctions' transcription of the Official Journal annexes (no official download)."""

    name: ClassVar[str] = "eu_journal_csv"
    source: ClassVar[str] = SOURCE
    urls: ClassVar[dict[str, str]] = {}

    def discover(self, root: Path) -> list[SourceFile] | None:
        by_name: dict[str, Path] = {}
        for p in find_files(root, r".*\.csv"):
            if _sniff(p):
                by_name.setdefault(p.name, p)
        if not by_name:
            return None
        return [SourceFile(by_name[n], ROLE) for n in sorted(by_name)]

    def parse(self, files: Sequence[SourceFile]) -> ParsedDataset:
        entities: list[Entity] = []
        issues: list[ParseIssue] = []
        used: set[str] = set()
        for sf in files:
            self._parse_file(sf.path, entities, issues, used)
        return ParsedDataset(self.name, entities, list(files), None, issues)

    def _parse_file(
        self, path: Path, entities: list[Entity], issues: list[ParseIssue], used: set[str]
    ) -> None:
        text = read_text(path, ("utf-8",))
        records = csv_records(path, text, delimiter=",")
        if not records or records[0][1] != HEADER:
            got = ",".join(records[0][1])[:60] if records else ""
            raise SourceFormatError(
                path, f"not an EU Official Journal annex CSV (header starts {got!r})", line=1
            )
        for line, row_list, raw in records[1:]:
            if len(row_list) != len(HEADER):
                raise SourceFormatError(
                    path,
                    f"expected {len(HEADER)} fields, found {len(row_list)} "
                    "(truncated or not this format)",
                    line=line,
                )
            row = dict(zip(HEADER, row_list, strict=True))
            celex = clean(row["celex"])
            if celex is None:
                raise SourceFormatError(path, "row has no celex", line=line)
            record_id = self._record_id(celex, row)
            if record_id in used:
                n = 2
                while f"{record_id}-{n}" in used:
                    n += 1
                issues.append(
                    ParseIssue(
                        str(path),
                        f"record id {record_id} repeats; loaded as {record_id}-{n}",
                        line,
                        record_id,
                    )
                )
                record_id = f"{record_id}-{n}"
            used.add(record_id)
            entity, unparsed = _entity(record_id, row, raw)
            if not entity.names:
                issues.append(
                    ParseIssue(
                        str(path), "record has no name; loaded under its id", line, record_id
                    )
                )
            for what in unparsed:
                issues.append(ParseIssue(str(path), f"could not parse {what}", line, record_id))
            entities.append(entity)

    @staticmethod
    def _record_id(celex: str, row: dict[str, str]) -> str:
        annex = clean(row["annex"])
        prefix = f"{celex}-{annex}" if annex else celex
        rid = clean(row["recordId"])
        if rid is not None:
            return f"{prefix}-{rid}"
        digest = hashlib.sha1((clean(row["name"]) or "").encode("utf-8")).hexdigest()[:10]
        return f"{prefix}-n{digest}"
