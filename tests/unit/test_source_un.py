from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from stopship.errors import SourceFormatError, UnsafeXMLError
from stopship.model import Entity, EntityKind, IdType, NameType
from stopship.sources.base import ParsedDataset, SourceFile
from stopship.sources.un_xml import UnXml, sniff_root


@pytest.fixture()
def un_dir(fixtures: Path) -> Path:
    return fixtures / "un"


@pytest.fixture()
def parsed(un_dir: Path) -> ParsedDataset:
    adapter = UnXml()
    files = adapter.discover(un_dir)
    assert files is not None
    return adapter.parse(files)


def by_id(ds: ParsedDataset, rid: str) -> Entity:
    return next(e for e in ds.entities if e.record_id == rid)


def parse_bytes(tmp_path: Path, data: bytes, name: str = "consolidated.xml") -> ParsedDataset:
    p = tmp_path / name
    p.write_bytes(data)
    return UnXml().parse([SourceFile(p, "consolidated")])


# --------------------------------------------------------------------------- discovery


def test_discover_finds_download_name(un_dir: Path) -> None:
    files = UnXml().discover(un_dir)
    assert files == [SourceFile(un_dir / "consolidated.xml", "consolidated")]
    assert "consolidated.xml" in UnXml.urls


def test_discover_prefers_newest_dated_copy(un_dir: Path, tmp_path: Path) -> None:
    sub = tmp_path / "lists" / "un"
    sub.mkdir(parents=True)
    for name in ("UN_consolidated_2025-01-01.xml", "UN_consolidated_2026-02-27.xml"):
        shutil.copy(un_dir / "consolidated.xml", sub / name)
    files = UnXml().discover(tmp_path)
    assert files is not None
    assert files[0].path.name == "UN_consolidated_2026-02-27.xml"


def test_discover_does_not_claim_ofac_consolidated(tmp_path: Path) -> None:
    (tmp_path / "consolidated.xml").write_text(
        '<?xml version="1.0" standalone="yes"?>\n<!-- OFAC -->\n'
        '<sdnList xmlns="https://sanctionslistservice.ofac.treas.gov/api/x"><publshInformation/>'
        "</sdnList>",
        encoding="utf-8",
    )
    (tmp_path / "sdn.xml").write_text("<CONSOLIDATED_LIST/>", encoding="utf-8")
    assert UnXml().discover(tmp_path) is None
    assert sniff_root(tmp_path / "consolidated.xml") == "sdnList"


def test_discover_absent(tmp_path: Path) -> None:
    assert UnXml().discover(tmp_path) is None


# --------------------------------------------------------------------------- fields


def test_dataset(parsed: ParsedDataset) -> None:
    assert parsed.adapter == "un_xml"
    assert parsed.published == date(2026, 3, 15)
    assert [e.id for e in parsed.entities] == [
        "un:9100001",
        "un:9100002",
        "un:9100003",
        "un:9200001",
        "un:9200002",
    ]
    assert {e.source for e in parsed.entities} == {"un"}
    assert all(e.raw_format == "xml" for e in parsed.entities)


def test_individual_names(parsed: ParsedDataset) -> None:
    e = by_id(parsed, "9100001")
    assert e.kind is EntityKind.PERSON
    assert e.caption == "ZORAN QUILLAN MARESH AL-TESTI"
    got = [(n.value, n.type, n.script) for n in e.names]
    assert got == [
        ("ZORAN QUILLAN MARESH AL-TESTI", NameType.PRIMARY, "Latn"),
        ("زوران كويلان", NameType.ORIGINAL_SCRIPT, "Arab"),
        ("Zoran Quillani", NameType.STRONG_ALIAS, "Latn"),
        ("Abu Testa", NameType.WEAK_ALIAS, "Latn"),
        ("Zoran Kvilan", NameType.STRONG_ALIAS, "Latn"),
    ]
    assert e.names[2].note == "previously listed as"
    # "Very Low" is weak too
    assert [(n.value, n.type) for n in by_id(parsed, "9100002").names][1] == (
        "Song Pak",
        NameType.WEAK_ALIAS,
    )


def test_individual_fields(parsed: ParsedDataset) -> None:
    e = by_id(parsed, "9100001")
    assert e.programs == ("Al-Qaida",)
    assert e.list_name == "UN List"
    assert e.listed_on == date(2011, 5, 4)
    assert e.gender == "male"
    assert e.titles == ("Haji",)
    assert e.positions == ("Financier", "Courier")
    assert e.remarks == ("Fictional record for tests. Believed to be in Fictland.",)
    assert e.nationalities == ("IQ",)
    assert e.properties["nationality_name"] == ("former Soviet Union",)
    assert e.properties["reference_number"] == ("QDi.901",)
    assert e.properties["last_day_updated"] == ("2015-01-02", "2019-03-04")


def test_individual_addresses(parsed: ParsedDataset) -> None:
    a1, a2 = by_id(parsed, "9100001").addresses
    assert (a1.street, a1.city, a1.region, a1.postcode, a1.country, a1.note) == (
        "12 Example Street",
        "Mosul",
        "Ninawa Province",
        "41001",
        "IQ",
        "previous address",
    )
    assert a1.country_name is None
    assert (a2.country, a2.country_name) == (None, "State of Palestine")
    assert by_id(parsed, "9100002").addresses == ()


def test_birth_dates_and_places(parsed: ParsedDataset) -> None:
    e = by_id(parsed, "9100001")
    got = [(b.precision, b.start, b.end) for b in e.birth_dates]
    assert got == [
        ("day", date(1970, 7, 15), date(1970, 7, 15)),
        ("year", date(1969, 1, 1), date(1969, 12, 31)),
        ("range", date(1965, 1, 1), date(1968, 12, 31)),
        ("month", date(1973, 11, 1), date(1973, 11, 30)),  # from the NOTE "Nov. 1973"
        ("day", date(1971, 2, 3), date(1971, 2, 3)),  # DATE_OF_BIRTH on an alias
    ]
    assert e.birth_places == ("Mosul, Ninawa Province, Iraq", "Testville, Iraq")
    assert e.properties["date_of_birth_note"] == ("Approximately", "Nov. 1973")
    # APPROXIMATELY with a full date is taken as that year
    (b,) = by_id(parsed, "9100002").birth_dates
    assert (b.precision, b.start, b.end, b.raw) == (
        "year",
        date(1964, 1, 1),
        date(1964, 12, 31),
        "1964-01-01",
    )


def test_documents(parsed: ParsedDataset) -> None:
    e = by_id(parsed, "9100001")
    p, nid = e.identifiers
    assert (p.type, p.value, p.country, p.label) == (IdType.PASSPORT, "X1234567", "IQ", "Passport")
    assert p.note == "expired; issued 2010-02-18; issued in Baghdad"
    assert (nid.type, nid.value, nid.country) == (IdType.NATIONAL_ID, "998877", "IQ")
    assert nid.label == "National Identification Number / Ration card number:"
    assert e.properties["document_without_number"] == (
        "Passport: Fictlandian passport number F 1234, expired",
    )


def test_entity_record(parsed: ParsedDataset) -> None:
    e = by_id(parsed, "9200001")
    assert e.kind is EntityKind.ORGANIZATION
    assert [(n.value, n.type, n.script) for n in e.names] == [
        ("FICTLAND TRADING COMPANY", NameType.PRIMARY, "Latn"),
        ("شركة فكتلاند التجارية", NameType.ORIGINAL_SCRIPT, "Arab"),
        ("FTC", NameType.STRONG_ALIAS, "Latn"),
        ("Fictland General Trading", NameType.FORMER, "Latn"),
    ]
    assert e.programs == ("Iran",)
    assert e.listed_on == date(2010, 6, 9)
    assert [(a.street, a.city, a.country) for a in e.addresses] == [
        ("P.O. Box 91735-549", "Mashad", "IR"),
        (None, "Pyongyang", "KP"),
    ]
    assert e.birth_dates == () and e.identifiers == ()
    e2 = by_id(parsed, "9200002")
    assert e2.caption == "TEST SHIPPING LINE"  # whitespace collapsed
    assert e2.names[1].type is NameType.STRONG_ALIAS  # empty QUALITY
    assert e2.remarks == ()


def test_raw_is_the_element(parsed: ParsedDataset) -> None:
    e = by_id(parsed, "9200002")
    assert e.raw.startswith("<ENTITY>")
    assert e.raw.endswith("</ENTITY>")
    assert "<DATAID>9200002</DATAID>" in e.raw
    assert "9200001" not in e.raw


def test_missing_name_is_loaded_and_reported(parsed: ParsedDataset) -> None:
    e = by_id(parsed, "9100003")
    assert e.names == ()
    assert e.caption == "un:9100003"
    (issue,) = parsed.issues
    assert issue.record == "9100003"
    assert issue.line is not None and issue.line > 100
    assert "no name" in issue.message
    assert issue.path.endswith("consolidated.xml")


# --------------------------------------------------------------------------- bad input


def test_wrong_root(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError, match="not the UN consolidated list") as err:
        parse_bytes(tmp_path, b'<?xml version="1.0"?><sdnList><sdnEntry/></sdnList>')
    assert "consolidated.xml" in str(err.value)


def test_root_without_records(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError, match="not the UN consolidated list"):
        parse_bytes(tmp_path, b"<CONSOLIDATED_LIST dateGenerated='2026-01-01'/>")


def test_truncated(un_dir: Path, tmp_path: Path) -> None:
    data = (un_dir / "consolidated.xml").read_bytes()
    with pytest.raises(SourceFormatError, match="malformed XML") as err:
        parse_bytes(tmp_path, data[: len(data) // 2])
    assert err.value.line is not None


def test_empty(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError, match="empty"):
        parse_bytes(tmp_path, b"  \n")


def test_wrong_encoding(un_dir: Path, tmp_path: Path) -> None:
    text = (un_dir / "consolidated.xml").read_text(encoding="utf-8")
    data = text.replace("Fictional record", "Fictiønal record").encode("utf-8")
    data = data.replace("ø".encode(), b"\xf8")  # a Latin-1 byte in a UTF-8 file
    with pytest.raises(SourceFormatError):
        parse_bytes(tmp_path, data)


def test_xml_bomb(tmp_path: Path) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>"
        b"<FIRST_NAME>&lol2;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    with pytest.raises(UnsafeXMLError):
        parse_bytes(tmp_path, bomb)


def test_external_entity(tmp_path: Path) -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>1</DATAID>"
        b"<FIRST_NAME>&e;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    with pytest.raises(UnsafeXMLError):
        parse_bytes(tmp_path, xxe)


def test_record_without_dataid(tmp_path: Path) -> None:
    data = (
        b"<CONSOLIDATED_LIST><INDIVIDUALS>"
        b"<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>"
        b"<INDIVIDUAL><FIRST_NAME>B</FIRST_NAME></INDIVIDUAL>"
        b"</INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    with pytest.raises(SourceFormatError, match="no DATAID") as err:
        parse_bytes(tmp_path, data)
    assert err.value.record == "#2"


def test_duplicate_dataid_reported(tmp_path: Path) -> None:
    data = (
        b"<CONSOLIDATED_LIST><ENTITIES>\n"
        b"<ENTITY><DATAID>7</DATAID><FIRST_NAME>A</FIRST_NAME></ENTITY>\n"
        b"<ENTITY><DATAID>7</DATAID><FIRST_NAME>B</FIRST_NAME></ENTITY>\n"
        b"</ENTITIES></CONSOLIDATED_LIST>"
    )
    ds = parse_bytes(tmp_path, data)
    assert [e.caption for e in ds.entities] == ["A"]
    assert ds.published is None
    assert "duplicate" in ds.issues[0].message


def test_unreadable_dates_reported(tmp_path: Path) -> None:
    data = (
        b"<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><DATAID>5</DATAID>"
        b"<FIRST_NAME>A</FIRST_NAME><LISTED_ON>soon</LISTED_ON>"
        b"<INDIVIDUAL_DATE_OF_BIRTH><TYPE_OF_DATE>EXACT</TYPE_OF_DATE><DATE>1970-13-45</DATE>"
        b"</INDIVIDUAL_DATE_OF_BIRTH></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"
    )
    ds = parse_bytes(tmp_path, data)
    (e,) = ds.entities
    assert e.listed_on is None and e.birth_dates == ()
    messages = [i.message for i in ds.issues]
    assert any("LISTED_ON" in m for m in messages)
    assert any("date of birth" in m for m in messages)
