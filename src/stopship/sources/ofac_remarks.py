"""OFAC's free-text ``Remarks`` field (and the XML ``idList`` items) -> structured facts.

OFAC writes one remarks string per record: a ``"; "``-separated sequence of items such as
``DOB 28 Jan 1978``, ``Passport 753129173 (Russia) expires 29 Apr 2026``, ``a.k.a. 'X'``,
``Linked To: NAME.``. :func:`parse_remarks` turns the items it knows into names,
identifiers, birth dates, nationalities, relations and properties; every other item is
kept verbatim in :attr:`RemarkFacts.unparsed` so nothing is lost.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from stopship.countries import to_iso
from stopship.model import BirthDate, Identifier, IdType, Name, NameType, Relation
from stopship.normalize.scripts import text_script
from stopship.sources.base import MONTHS
from stopship.sources.russian_ids import inn_ok, ogrn_ok


@dataclass
class RemarkFacts:
    """What the remarks (and XML id items) of one record say."""

    names: list[Name] = field(default_factory=list)
    identifiers: list[Identifier] = field(default_factory=list)
    birth_dates: list[BirthDate] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    gender: str | None = None
    relations: list[Relation] = field(default_factory=list)
    properties: dict[str, list[str]] = field(default_factory=dict)
    unparsed: list[str] = field(default_factory=list)

    def prop(self, key: str, value: str) -> None:
        vals = self.properties.setdefault(key, [])
        if value not in vals:
            vals.append(value)


# --------------------------------------------------------------------------- splitting


def split_items(text: str) -> list[str]:
    """Split a remarks string on ``;`` outside single-quoted names; drop the final full
    stop OFAC puts at the end of the whole string and surrounding ``( )`` of an item."""
    items: list[str] = []
    buf: list[str] = []
    in_quote = False
    n = len(text)
    for i, ch in enumerate(text):
        if ch == "'":
            if not in_quote and (i == 0 or text[i - 1] in " (\"'"):
                in_quote = True
            elif in_quote and (i + 1 == n or not text[i + 1].isalnum()):
                in_quote = False
        if ch == ";" and not in_quote:
            items.append("".join(buf))
            buf = []
            continue
        buf.append(ch)
    items.append("".join(buf))
    if in_quote:  # an unbalanced quote (e.g. truncated text): fall back to a plain split
        items = text.split(";")
    out = [" ".join(it.split()) for it in items]
    out = [it for it in out if it]
    if out and out[-1].endswith(".") and not out[-1].endswith(".."):
        out[-1] = out[-1][:-1].rstrip()
    return [_unparen(it) for it in out if it]


def _unparen(item: str) -> str:
    if item.startswith("(") and item.endswith(")") and item.count("(") == item.count(")") == 1:
        return item[1:-1].strip()
    return item


# --------------------------------------------------------------------------- dates

_DATE_RX = re.compile(r"^(?:(?P<d>\d{1,2})\s+)?(?:(?P<m>[A-Za-z]{3})[a-z]*\.?\s+)?(?P<y>\d{4})$")


def _date_span(text: str) -> tuple[date, date, str] | None:
    """``28 Jan 1978`` / ``Jan 1978`` / ``1978`` -> (first day, last day, precision)."""
    m = _DATE_RX.match(text.strip())
    if not m:
        return None
    y = int(m["y"])
    if m["m"] is None:
        if m["d"] is not None:
            return None
        return date(y, 1, 1), date(y, 12, 31), "year"
    mon = MONTHS.get(m["m"].lower())
    if mon is None:
        return None
    last = calendar.monthrange(y, mon)[1]
    if m["d"] is None:
        return date(y, mon, 1), date(y, mon, last), "month"
    d = int(m["d"])
    if not 1 <= d <= last:
        return None
    return date(y, mon, d), date(y, mon, d), "day"


def parse_ofac_date(text: str) -> date | None:
    span = _date_span(text)
    return span[0] if span and span[2] == "day" else None


def parse_birth_date(text: str) -> BirthDate | None:
    """An OFAC DOB value: ``28 Jan 1978``, ``Jan 1978``, ``1962``, ``circa 1970``,
    ``1960 to 1962``, ``01 Jan 1957 to 31 Jan 1957``. None when not a date."""
    raw = " ".join(text.split())
    body = re.sub(r"^(?:circa|approximately|approx\.)\s+", "", raw, flags=re.IGNORECASE)
    parts = re.split(r"\s+to\s+|\s*-\s*(?=\d)", body)
    if len(parts) == 2:
        a, b = _date_span(parts[0]), _date_span(parts[1])
        if a is None or b is None or b[1] < a[0]:
            return None
        return BirthDate(precision="range", start=a[0], end=b[1], raw=raw)
    span = _date_span(body)
    if span is None:
        return None
    start, end, precision = span
    if body != raw and precision == "year":  # circa: keep the year, mark it in raw
        return BirthDate.year(start.year, raw)
    return BirthDate(precision=precision, start=start, end=end, raw=raw)


# --------------------------------------------------------------------------- identifiers

#: publisher label -> identifier type (the label is matched at the start of an item)
ID_LABELS: dict[str, IdType] = {
    "Passport": IdType.PASSPORT,
    "Diplomatic Passport": IdType.PASSPORT,
    "National ID No.": IdType.NATIONAL_ID,
    "National Foreign ID Number": IdType.NATIONAL_ID,
    "Personal ID Card": IdType.NATIONAL_ID,
    "Identification Number": IdType.NATIONAL_ID,
    "Cedula No.": IdType.NATIONAL_ID,
    "D.N.I.": IdType.NATIONAL_ID,
    "C.U.I.": IdType.NATIONAL_ID,
    "C.U.R.P.": IdType.NATIONAL_ID,
    "CURP #": IdType.NATIONAL_ID,
    "Citizen's Card Number": IdType.NATIONAL_ID,
    "Kenyan ID No.": IdType.NATIONAL_ID,
    "SSN": IdType.NATIONAL_ID,
    "Birth Certificate Number": IdType.NATIONAL_ID,
    "Residency Number": IdType.NATIONAL_ID,
    "Turkish Identification Number": IdType.NATIONAL_ID,
    "Numero de Identidad": IdType.NATIONAL_ID,
    "Travel Document Number": IdType.PASSPORT,
    "Driver's License No.": IdType.OTHER,
    "Cartilla de Servicio Militar Nacional": IdType.OTHER,
    "Chinese Commercial Code": IdType.OTHER,
    "Tax ID No.": IdType.TAX_ID,
    "Tax Identification Number": IdType.TAX_ID,
    "V.A.T. Number": IdType.TAX_ID,
    "RFC": IdType.TAX_ID,
    "R.F.C.": IdType.TAX_ID,
    "RUC #": IdType.TAX_ID,
    "NIT #": IdType.TAX_ID,
    "INN": IdType.INN,
    "OGRN": IdType.OGRN,
    "KPP": IdType.KPP,
    "Registration Number": IdType.REGISTRATION,
    "Registration ID": IdType.REGISTRATION,
    "Business Registration Number": IdType.REGISTRATION,
    "Business Registration Document #": IdType.REGISTRATION,
    "Business Number": IdType.REGISTRATION,
    "Commercial Registry Number": IdType.REGISTRATION,
    "Company Number": IdType.REGISTRATION,
    "C.R. No.": IdType.REGISTRATION,
    "Chamber of Commerce Number": IdType.REGISTRATION,
    "Trade License No.": IdType.REGISTRATION,
    "Public Registration Number": IdType.REGISTRATION,
    "Central Registration System Number": IdType.REGISTRATION,
    "Folio Mercantil No.": IdType.REGISTRATION,
    "Matricula Mercantil No": IdType.REGISTRATION,
    "Economic Register Number (CBLS)": IdType.REGISTRATION,
    "Istanbul Chamber of Comm. No.": IdType.REGISTRATION,
    "Unified Social Credit Code (USCC)": IdType.REGISTRATION,
    "United Social Credit Code Certificate (USCCC)": IdType.REGISTRATION,
    "Dubai Chamber of Commerce Membership No.": IdType.REGISTRATION,
    "Certificate of Incorporation Number": IdType.REGISTRATION,
    "Enterprise Number": IdType.REGISTRATION,
    "D-U-N-S Number": IdType.REGISTRATION,
    "License": IdType.REGISTRATION,
    "Government Gazette Number": IdType.OKPO,
    "Legal Entity Number": IdType.LEI,
    "SWIFT/BIC": IdType.BIC,
    "BIK (RU)": IdType.OTHER,
    "IBAN": IdType.IBAN,
    "ISIN": IdType.OTHER,
    "Equity Ticker": IdType.OTHER,
    "Vessel Registration Identification": IdType.IMO,
    "Identification Number IMO": IdType.IMO,
    "IMO": IdType.IMO,
    "Company Number IMO": IdType.REGISTRATION,
    "MMSI": IdType.MMSI,
    "Call Sign": IdType.CALL_SIGN,
    "Aircraft Manufacturer's Serial Number (MSN)": IdType.AIRCRAFT_SERIAL,
    "Aircraft Construction Number (also called L/N or S/N or F/N)": IdType.AIRCRAFT_SERIAL,
    "Aircraft Tail Number": IdType.AIRCRAFT_TAIL,
    "Previous Aircraft Tail Number": IdType.AIRCRAFT_TAIL,
    "Digital Currency Address": IdType.CRYPTO_WALLET,
    "Email Address": IdType.EMAIL,
    "Website": IdType.WEBSITE,
    "Phone Number": IdType.PHONE,
    "Phone": IdType.PHONE,
    "Telephone": IdType.PHONE,
    "Telephone Number": IdType.PHONE,
    "Fax": IdType.PHONE,
    "Fax Number": IdType.PHONE,
}

#: publisher label -> property key (value = the rest of the item)
PROPERTY_LABELS: dict[str, str] = {
    "Organization Established Date": "organization_established_date",
    "Organization Type": "organization_type",
    "Target Type": "target_type",
    "Secondary sanctions risk": "secondary_sanctions_risk",
    "Additional Sanctions Information": "additional_sanctions_information",
    "Listing Date": "listing_date",
    "Effective Date": "effective_date",
    "Purchase/Sales For Divestment Date": "divestment_date",
    "Executive Order": "executive_order_information",
    "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions": (
        "transactions_prohibited"
    ),
    "CAATSA Section 235 Information": "caatsa_235",
    "Issuer Name": "issuer_name",
    "Aircraft Model": "aircraft_model",
    "Aircraft Manufacture Date": "aircraft_manufacture_date",
    "Aircraft Operator": "aircraft_operator",
    "Aircraft Mode S Transponder Code": "aircraft_mode_s",
    "Vessel Year of Build": "vessel_year_of_build",
    "Vessel Type": "vessel_type",
    "Vessel Flag": "vessel_flag",
    "Former Vessel Flag": "former_vessel_flag",
    "Other Vessel Flag": "other_vessel_flag",
    "Other Vessel Call Sign": "other_vessel_call_sign",
    "Nationality of Registration": "nationality_of_registration",
    "Other Vessel Type": "other_vessel_type",
    "IFCA Determination": "ifca_determination",
    "For more information": "more_information",
    "Title": "title",
}

#: properties whose label starts a sentence: the whole item is the value
_WHOLE_ITEM_PROPS = frozenset({"For more information", "Executive Order"})

_NAME_TYPES = {
    "a.k.a.": (NameType.STRONG_ALIAS, None),
    "f.k.a.": (NameType.FORMER, "f.k.a."),
    "n.k.a.": (NameType.STRONG_ALIAS, "n.k.a."),
}

_RELATIONS = {
    "Linked To": "linked_to",
    "Owned or Controlled By": "owned_by",
}

_ID_TAIL = re.compile(
    r"^(?P<value>.+?)(?:\s+\((?P<country>[^()]+)\))?"
    r"(?:,?\s+issued\s+(?P<issued>[^()]+?))?(?:,?\s+expires\s+(?P<expires>[^()]+?))?$"
)
# label lookup: longest first so "Company Number IMO" wins over "Company Number"
_ALL_LABELS = sorted(
    [(k, "id") for k in ID_LABELS] + [(k, "prop") for k in PROPERTY_LABELS],
    key=lambda kv: -len(kv[0]),
)


def _refine(kind: IdType, value: str, country: str | None) -> IdType:
    """Russian tax and registration numbers: INN / OGRN / OKPO by length and checksum."""
    digits = value.isdigit()
    russian = country == "RU"
    if kind is IdType.TAX_ID and digits and len(value) in (10, 12):
        if (russian or country is None) and inn_ok(value):
            return IdType.INN
        if russian:
            return IdType.INN
    if (
        kind is IdType.REGISTRATION
        and digits
        and len(value) in (13, 15)
        and (russian or country is None)
        and ogrn_ok(value)
    ):
        return IdType.OGRN
    if kind is IdType.OKPO and country not in (None, "RU"):
        return IdType.REGISTRATION
    return kind


def add_identifier(
    facts: RemarkFacts,
    label: str,
    value: str,
    country_name: str | None = None,
    *,
    issued: str | None = None,
    expires: str | None = None,
) -> None:
    """Record one identifier (from a remarks item or an XML ``<id>``)."""
    kind = ID_LABELS.get(label, IdType.OTHER)
    value = value.strip().rstrip(",").strip()
    notes: list[str] = []
    if kind is IdType.CRYPTO_WALLET:
        m = re.match(r"^-?\s*([A-Z0-9]{2,6})\s+(\S+)$", value)
        if m:
            notes.append(f"currency {m[1]}")
            label = f"{label} - {m[1]}"
            value = m[2]
    if kind is IdType.IMO:
        value = re.sub(r"^IMO\s*", "", value)
    country = to_iso(country_name) if country_name else None
    if country_name and country is None:
        notes.append(country_name)
    if issued:
        notes.append(f"issued {issued}")
    if expires:
        notes.append(f"expires {expires}")
    ident = Identifier(
        type=_refine(kind, value, country),
        value=value,
        country=country,
        label=label,
        note="; ".join(notes) or None,
    )
    if ident not in facts.identifiers:
        facts.identifiers.append(ident)


def _add_country(target: list[str], name: str) -> bool:
    code = to_iso(name)
    if code is None:
        return False
    if code not in target:
        target.append(code)
    return True


def _quoted(text: str) -> str:
    t = text.strip()
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"":
        return t[1:-1].strip()
    return t


def _labelled(facts: RemarkFacts, item: str) -> bool:
    for label, what in _ALL_LABELS:
        if item[: len(label)].lower() != label.lower():
            continue
        rest = item[len(label) :]
        if rest and not (rest[0] in " :-," or label.endswith((".", "#", ")"))):
            continue
        rest = rest.strip()
        if rest.startswith(":"):
            rest = rest[1:].strip()
        if what == "prop":
            whole = label in _WHOLE_ITEM_PROPS
            facts.prop(
                PROPERTY_LABELS[label], item if whole else rest.lstrip("-, ").strip() or label
            )
            return True
        if not rest:
            return False
        m = _ID_TAIL.match(rest)
        if m is None:  # pragma: no cover - the pattern always matches non-empty text
            return False
        value, country = m["value"], m["country"]
        if country and to_iso(country) is None and not m["issued"] and not m["expires"]:
            # "(Stuttgart)", "(USCC)": a note inside the value, not an issuing country
            value, country = rest, None
        add_identifier(facts, label, value, country, issued=m["issued"], expires=m["expires"])
        return True
    return False


def parse_item(facts: RemarkFacts, item: str) -> None:
    """Apply one remarks item; unknown items go to ``facts.unparsed``."""
    body = re.sub(r"^alt\.\s+", "", item)
    low = body.lower()
    handled = False
    if low.startswith("nationality of registration"):
        handled = _labelled(facts, body)
        _add_country(facts.countries, body[len("nationality of registration") :])
    elif low.startswith("dob "):
        bd = parse_birth_date(body[4:])
        if bd is not None:
            facts.birth_dates.append(bd)
            handled = True
    elif low.startswith("pob "):
        facts.birth_places.append(body[4:].strip())
        handled = True
    elif low.startswith("nationality "):
        handled = _add_country(facts.nationalities, body[12:])
    elif low.startswith("citizen "):
        handled = _add_country(facts.nationalities, body[8:])
    elif low.startswith("gender "):
        facts.gender = body[7:].strip().lower()
        handled = True
    elif low[:6] in _NAME_TYPES:
        ntype, note = _NAME_TYPES[low[:6]]
        value = _quoted(body[6:])
        if value:
            facts.names.append(Name(value=value, type=ntype, script=text_script(value), note=note))
            handled = True
    else:
        for label, rel in _RELATIONS.items():
            if body.startswith(label + ":"):
                target = body[len(label) + 1 :].strip()
                if target:
                    facts.relations.append(Relation(type=rel, target_name=target))
                    handled = True
                break
        else:
            handled = _labelled(facts, body)
    if not handled:
        facts.unparsed.append(item)


def parse_remarks(text: str | None, facts: RemarkFacts | None = None) -> RemarkFacts:
    """Parse a whole OFAC remarks string (``None``/empty -> no facts)."""
    facts = facts if facts is not None else RemarkFacts()
    if text:
        for item in split_items(text):
            parse_item(facts, item)
    return facts


def dedupe(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def split_programs(text: str | None) -> list[str]:
    """``"SDGT] [IRGC"`` (CSV) or ``"[SDGT]"`` -> ``["SDGT", "IRGC"]``."""
    if not text:
        return []
    return [p.strip(" []") for p in re.split(r"\]\s*\[", text) if p.strip(" []")]
