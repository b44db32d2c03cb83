"""OFAC Remarks field -> structured facts."""

from __future__ import annotations

from datetime import date

import pytest

from stopship.model import IdType, NameType
from stopship.sources.ofac_remarks import (
    parse_birth_date,
    parse_remarks,
    split_items,
    split_programs,
)


def test_split_items_respects_quotes_and_final_stop() -> None:
    text = "a.k.a. 'A; B'; Driver's License No. 1 (Mexico); f.k.a. 'C'; Linked To: X CO., LTD."
    assert split_items(text) == [
        "a.k.a. 'A; B'",
        "Driver's License No. 1 (Mexico)",
        "f.k.a. 'C'",
        "Linked To: X CO., LTD",
    ]


def test_split_items_unbalanced_quote_falls_back() -> None:
    assert split_items("a.k.a. 'A; B; C") == ["a.k.a. 'A", "B", "C"]


def test_split_items_parenthesised_xml_item() -> None:
    assert split_items("HAMAS - Gaza; (Linked To: X)") == ["HAMAS - Gaza", "Linked To: X"]


@pytest.mark.parametrize(
    ("text", "precision", "start", "end"),
    [
        ("28 Jan 1978", "day", date(1978, 1, 28), date(1978, 1, 28)),
        ("Feb 1980", "month", date(1980, 2, 1), date(1980, 2, 29)),
        ("1962", "year", date(1962, 1, 1), date(1962, 12, 31)),
        ("circa 1970", "year", date(1970, 1, 1), date(1970, 12, 31)),
        ("1960 to 1962", "range", date(1960, 1, 1), date(1962, 12, 31)),
        ("01 Jan 1957 to 31 Jan 1957", "range", date(1957, 1, 1), date(1957, 1, 31)),
        ("circa 1979-1982", "range", date(1979, 1, 1), date(1982, 12, 31)),
    ],
)
def test_birth_dates(text: str, precision: str, start: date, end: date) -> None:
    bd = parse_birth_date(text)
    assert bd is not None
    assert (bd.precision, bd.start, bd.end, bd.raw) == (precision, start, end, text)


@pytest.mark.parametrize("text", ["31 Feb 1970", "sometime", "1962 to 1960", "12 1970"])
def test_bad_birth_dates(text: str) -> None:
    assert parse_birth_date(text) is None


def test_bad_dob_item_kept_as_unparsed() -> None:
    facts = parse_remarks("DOB sometime in the sixties")
    assert facts.birth_dates == [] and facts.unparsed == ["DOB sometime in the sixties"]


def test_person_items() -> None:
    facts = parse_remarks(
        "DOB 28 Jan 1978; alt. DOB circa 1970; POB Kazan, Russia; nationality Russia; "
        "alt. citizen Iran; Gender Male; Passport 753129173 (Russia) expires 29 Apr 2026; "
        "alt. Passport A1 (Iran) issued 01 May 2002; National ID No. 9201745357 (Russia); "
        "a.k.a. 'X Y'; f.k.a. 'OLD'; n.k.a. 'NEW'; Linked To: ALABUGA JSC."
    )
    assert [b.precision for b in facts.birth_dates] == ["day", "year"]
    assert facts.birth_places == ["Kazan, Russia"]
    assert facts.nationalities == ["RU", "IR"]
    assert facts.gender == "male"
    p1, p2, nid = facts.identifiers
    assert (p1.type, p1.value, p1.country, p1.note) == (
        IdType.PASSPORT,
        "753129173",
        "RU",
        "expires 29 Apr 2026",
    )
    assert (p2.value, p2.country, p2.note) == ("A1", "IR", "issued 01 May 2002")
    assert (nid.type, nid.label) == (IdType.NATIONAL_ID, "National ID No.")
    assert [(n.value, n.type) for n in facts.names] == [
        ("X Y", NameType.STRONG_ALIAS),
        ("OLD", NameType.FORMER),
        ("NEW", NameType.STRONG_ALIAS),
    ]
    assert facts.relations[0].type == "linked_to"
    assert facts.relations[0].target_name == "ALABUGA JSC"
    assert facts.unparsed == []


def test_russian_numbers() -> None:
    facts = parse_remarks(
        "Tax ID No. 1646019914 (Russia); Tax ID No. 123456789 (Serbia); "
        "Registration Number 1061674037259; Registration Number 1061674037250; "
        "Government Gazette Number 95427882 (Russia); Government Gazette Number 55 (Ukraine)"
    )
    assert [(i.type, i.value) for i in facts.identifiers] == [
        (IdType.INN, "1646019914"),
        (IdType.TAX_ID, "123456789"),
        (IdType.OGRN, "1061674037259"),
        (IdType.REGISTRATION, "1061674037250"),  # bad OGRN check digit, no country
        (IdType.OKPO, "95427882"),
        (IdType.REGISTRATION, "55"),
    ]


def test_other_identifiers() -> None:
    facts = parse_remarks(
        "Legal Entity Number 253400WSS48YWMBUA688; SWIFT/BIC SABRRUMM; "
        "IMO 9187629; Vessel Registration Identification IMO 9187630; MMSI 572469210; "
        "Aircraft Manufacturer's Serial Number (MSN) 1023409321; Aircraft Tail Number RA-76842; "
        "alt. Digital Currency Address - ETH 0xABC; Email Address a@b.example; "
        "Website http://x.example; Phone Number 982188526300; "
        "Registration Number HRA 738077 (Stuttgart) (Germany); "
        "Unified Social Credit Code (USCC) 9113100033607322XK (China)"
    )
    got = [(i.type, i.value, i.country) for i in facts.identifiers]
    assert got == [
        (IdType.LEI, "253400WSS48YWMBUA688", None),
        (IdType.BIC, "SABRRUMM", None),
        (IdType.IMO, "9187629", None),
        (IdType.IMO, "9187630", None),
        (IdType.MMSI, "572469210", None),
        (IdType.AIRCRAFT_SERIAL, "1023409321", None),
        (IdType.AIRCRAFT_TAIL, "RA-76842", None),
        (IdType.CRYPTO_WALLET, "0xABC", None),
        (IdType.EMAIL, "a@b.example", None),
        (IdType.WEBSITE, "http://x.example", None),
        (IdType.PHONE, "982188526300", None),
        (IdType.REGISTRATION, "HRA 738077 (Stuttgart)", "DE"),
        (IdType.REGISTRATION, "9113100033607322XK", "CN"),
    ]
    assert facts.identifiers[7].label == "Digital Currency Address - ETH"


def test_properties_relations_and_unknown_items() -> None:
    facts = parse_remarks(
        "Organization Established Date 24 Jul 2006; Organization Type: Manufacturing; "
        "Secondary sanctions risk: section 11 of Executive Order 14024.; "
        "Additional Sanctions Information - Subject to Secondary Sanctions; "
        "Listing Date (EO 14024 Directive 3): 24 Feb 2022; "
        "Owned or Controlled By: PARENT LLC; "
        "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial "
        "Institutions: North Korea Sanctions Regulations section 510.214; "
        "Member of the State Duma; nationality Atlantis"
    )
    assert facts.properties == {
        "organization_established_date": ["24 Jul 2006"],
        "organization_type": ["Manufacturing"],
        "secondary_sanctions_risk": ["section 11 of Executive Order 14024."],
        "additional_sanctions_information": ["Subject to Secondary Sanctions"],
        "listing_date": ["(EO 14024 Directive 3): 24 Feb 2022"],
        "transactions_prohibited": ["North Korea Sanctions Regulations section 510.214"],
    }
    assert [(r.type, r.target_name) for r in facts.relations] == [("owned_by", "PARENT LLC")]
    assert facts.unparsed == ["Member of the State Duma", "nationality Atlantis"]


def test_empty_remarks() -> None:
    facts = parse_remarks(None)
    assert facts.identifiers == [] and facts.unparsed == []


def test_split_programs() -> None:
    assert split_programs("SDGT] [IRGC") == ["SDGT", "IRGC"]
    assert split_programs("[NS-PLC]") == ["NS-PLC"]
    assert split_programs(None) == []
