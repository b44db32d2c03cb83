"""OFAC SDN.XML / CONSOLIDATED.XML on small fictional fixtures."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from stopship.errors import SourceFormatError, UnsafeXMLError
from stopship.model import Entity, EntityKind, IdType, NameType
from stopship.sources.base import SourceFile
from stopship.sources.ofac_xml import OfacConsXml, OfacSdnXml


@pytest.fixture()
def xml_dir(fixtures: Path) -> Path:
    return fixtures / "ofac" / "xml"


@pytest.fixture()
def sdn(xml_dir: Path) -> dict[str, Entity]:
    files = OfacSdnXml().discover(xml_dir)
    assert files is not None
    return {e.id: e for e in OfacSdnXml().parse(files).entities}


def _one(path: Path) -> list[SourceFile]:
    return [SourceFile(path, "xml")]


def test_discover_by_file_name(tmp_path: Path, xml_dir: Path) -> None:
    sdn = OfacSdnXml().discover(xml_dir)
    cons = OfacConsXml().discover(xml_dir)
    assert sdn is not None and [f.path.name for f in sdn] == ["sdn.xml"]
    assert cons is not None and [f.path.name for f in cons] == ["consolidated.xml"]
    shutil.copy(xml_dir / "consolidated.xml", tmp_path / "CONSOLIDATED_nonSDN_2026-01-08.xml")
    shutil.copy(xml_dir / "consolidated.xml", tmp_path / "consolidated_2025-01-01.xml")
    found = OfacConsXml().discover(tmp_path)
    assert found is not None and found[0].path.name == "CONSOLIDATED_nonSDN_2026-01-08.xml"
    assert OfacSdnXml().discover(tmp_path) is None


def test_discover_refuses_other_xml(tmp_path: Path) -> None:
    # UN's consolidated.xml and OFAC's SDN_ADVANCED.XML have other roots
    (tmp_path / "consolidated.xml").write_text('<?xml version="1.0"?><CONSOLIDATED_LIST/>')
    (tmp_path / "sdn_advanced.xml").write_text('<?xml version="1.0"?><Sanctions/>')
    assert OfacConsXml().discover(tmp_path) is None
    assert OfacSdnXml().discover(tmp_path) is None


def test_urls() -> None:
    assert OfacSdnXml.urls == {
        "sdn.xml": "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/SDN.XML"
    }
    assert list(OfacConsXml.urls) == ["consolidated.xml"]
    assert OfacConsXml.urls["consolidated.xml"].endswith("/CONSOLIDATED.XML")


def test_person(sdn: dict[str, Entity]) -> None:
    e = sdn["ofac:1001"]
    assert e.kind is EntityKind.PERSON and e.list_name == "SDN"
    assert e.caption == "TESTOV, Ivan Petrovich"
    assert [(n.value, n.type) for n in e.names[1:]] == [
        ("TESTOV, Vanya", NameType.STRONG_ALIAS),
        ("IVAN THE TESTER", NameType.WEAK_ALIAS),
    ]
    assert e.titles == ("Director",)
    assert e.programs == ("RUSSIA-EO14024", "SDGT")
    assert e.gender == "male"
    assert e.nationalities == ("RU", "IR")
    assert e.birth_places == ("Kazan, Russia",)
    assert [(b.precision, b.start) for b in e.birth_dates] == [
        ("day", date(1978, 1, 28)),
        ("range", date(1960, 1, 1)),
    ]
    ids = {(i.type, i.value, i.country) for i in e.identifiers}
    assert (IdType.PASSPORT, "753129173", "RU") in ids
    assert (IdType.CRYPTO_WALLET, "1FictionalAddr123", None) in ids
    assert (IdType.OTHER, "FC-77", "IR") in ids  # an id type we do not know: kept
    pp = next(i for i in e.identifiers if i.type is IdType.PASSPORT)
    assert pp.note == "expires 29 Apr 2026"
    tax = next(i for i in e.identifiers if i.label == "Tax ID No.")
    assert tax.type is IdType.INN  # 12-digit Russian tax id
    (addr,) = e.addresses
    assert (addr.street, addr.city, addr.region, addr.postcode, addr.country) == (
        "ul. Test 1, office 5",
        "Yelabuga",
        "Tatarstan",
        "423600",
        "RU",
    )
    assert addr.full == "ul. Test 1, office 5, Yelabuga, Tatarstan 423600, Russia"
    assert e.remarks == ("Some free text about Testov; (Linked To: FICTIONAL ZONE JSC)",)
    assert [(r.type, r.target_name) for r in e.relations] == [("linked_to", "FICTIONAL ZONE JSC")]
    assert e.properties["unparsed_remarks"] == ("Some free text about Testov",)
    assert e.raw_format == "xml"
    assert e.raw.startswith("<sdnEntry>") and e.raw.endswith("</sdnEntry>")
    assert "<uid>1001</uid>" in e.raw


def test_vessel(sdn: dict[str, Entity]) -> None:
    v = sdn["ofac:1003"]
    assert v.kind is EntityKind.VESSEL
    ids = {(i.type, i.value) for i in v.identifiers}
    assert {(IdType.CALL_SIGN, "ABCD1"), (IdType.IMO, "9187629"), (IdType.MMSI, "123456789")} <= ids
    assert v.properties["vessel_type"] == ("Crude Oil Tanker",)
    assert v.properties["gross_registered_tonnage"] == ("2000",)
    assert v.countries == ("PA",)
    assert v.relations[0].type == "owned_by"
    assert v.names[1].type is NameType.FORMER


def test_published_and_missing_name(xml_dir: Path) -> None:
    ds = OfacSdnXml().parse(_one(xml_dir / "sdn.xml"))
    assert ds.published == date(2024, 5, 3)
    assert len(ds.entities) == 3
    nameless = next(e for e in ds.entities if e.id == "ofac:1006")
    assert nameless.names == () and nameless.kind is EntityKind.ORGANIZATION
    assert [(i.record, "no name" in i.message) for i in ds.issues] == [("1006", True)]


def test_consolidated(xml_dir: Path) -> None:
    ds = OfacConsXml().parse(_one(xml_dir / "consolidated.xml"))
    assert ds.published == date(2026, 1, 8)
    (e,) = ds.entities
    assert e.id == "ofac:2000" and e.list_name == "Non-SDN Consolidated"
    assert e.kind is EntityKind.ORGANIZATION
    ids = {(i.type, i.value) for i in e.identifiers}
    assert {(IdType.OGRN, "1027700132195"), (IdType.BIC, "FBNKRUMM")} <= ids
    assert (IdType.OKPO, "00032537") in ids
    assert e.properties["secondary_sanctions_risk"] == (
        "Ukraine-/Russia-Related Sanctions Regulations, 31 CFR 589.201",
    )
    assert e.properties["more_information"][0].startswith("For more information on directives")
    assert e.addresses[0].city == "Moscow" and e.addresses[0].postcode == "119021"


# ----------------------------------------------------------------------------- bad input


def _variant(tmp_path: Path, xml_dir: Path, old: str, new: str) -> Path:
    text = (xml_dir / "sdn.xml").read_text(encoding="utf-8")
    assert old in text
    out = tmp_path / "sdn.xml"
    out.write_text(text.replace(old, new, 1), encoding="utf-8")
    return out


def test_record_count_mismatch(tmp_path: Path, xml_dir: Path) -> None:
    path = _variant(tmp_path, xml_dir, "<Record_Count>3<", "<Record_Count>4<")
    with pytest.raises(SourceFormatError, match="truncated") as exc:
        OfacSdnXml().parse(_one(path))
    assert str(path) in str(exc.value)


def test_truncated_xml(tmp_path: Path, xml_dir: Path) -> None:
    data = (xml_dir / "sdn.xml").read_bytes()
    path = tmp_path / "sdn.xml"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceFormatError, match="malformed XML") as exc:
        OfacSdnXml().parse(_one(path))
    assert exc.value.line is not None


def test_wrong_root(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_text('<?xml version="1.0"?><CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>')
    with pytest.raises(SourceFormatError, match="expected <sdnList>"):
        OfacSdnXml().parse(_one(path))


def test_xml_bomb_and_xxe_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "sdn.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE sdnList [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        "<sdnList><sdnEntry><uid>1</uid><lastName>&b;</lastName></sdnEntry></sdnList>"
    )
    with pytest.raises(UnsafeXMLError):
        OfacSdnXml().parse(_one(bomb))
    xxe = tmp_path / "consolidated.xml"
    xxe.write_text(
        '<?xml version="1.0"?><!DOCTYPE sdnList [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        "<sdnList><sdnEntry><uid>1</uid><lastName>&x;</lastName></sdnEntry></sdnList>"
    )
    with pytest.raises(UnsafeXMLError):
        OfacConsXml().parse(_one(xxe))


def test_empty_and_entryless(tmp_path: Path) -> None:
    empty = tmp_path / "sdn.xml"
    empty.write_bytes(b"")
    with pytest.raises(SourceFormatError, match="empty"):
        OfacSdnXml().parse(_one(empty))
    none = tmp_path / "sdn2.xml"
    none.write_text("<sdnList><publshInformation/></sdnList>")
    with pytest.raises(SourceFormatError, match="no sdnEntry"):
        OfacSdnXml().parse(_one(none))


def test_wrong_encoding(tmp_path: Path, xml_dir: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_bytes((xml_dir / "sdn.xml").read_bytes().replace(b"Vanya", b"Van\xffya"))
    with pytest.raises(SourceFormatError, match="malformed XML"):
        OfacSdnXml().parse(_one(path))


def test_entry_without_uid(tmp_path: Path, xml_dir: Path) -> None:
    path = _variant(tmp_path, xml_dir, "<uid>1003</uid>", "")
    with pytest.raises(SourceFormatError, match="sdnEntry #2 has no numeric <uid>"):
        OfacSdnXml().parse(_one(path))
