"""EU Financial Sanctions Files (XML 1.1, CSV 1.1 and 1.0) on fictional fixtures."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from stopship.errors import SourceFormatError, UnsafeXMLError
from stopship.model import EntityKind, IdType, NameType
from stopship.sources.base import SourceFile
from stopship.sources.eu_fsf import EuFsfCsv, EuFsfXml


def _sf(path: Path) -> list[SourceFile]:
    return [SourceFile(path, "consolidated")]


@pytest.fixture()
def eu(fixtures: Path) -> Path:
    return fixtures / "eu"


# --------------------------------------------------------------------------- XML


def test_xml_person_fields(eu: Path) -> None:
    ds = EuFsfXml().parse(_sf(eu / "eu_fsf.xml"))
    assert ds.published == date(2026, 3, 4)
    assert [e.id for e in ds.entities] == ["eu:900001", "eu:900002", "eu:900003"]
    p = ds.entities[0]
    assert p.kind is EntityKind.PERSON
    assert [(n.value, n.type, n.script) for n in p.names] == [
        ("Ivan Petrovich Testov", NameType.PRIMARY, "Latn"),
        ("Иван Петрович Тестов", NameType.ORIGINAL_SCRIPT, "Cyrl"),
        ("Vanya Test", NameType.WEAK_ALIAS, "Latn"),
        ("Ivan Testoff", NameType.STRONG_ALIAS, "Latn"),
    ]
    assert p.names[1].lang == "ru"
    assert p.nationalities == ("RU",)
    assert p.gender == "male"
    assert p.titles == ("Dr",)
    assert p.positions == ("Member of the Test Council",)
    assert p.programs == ("UKR",)
    assert p.listed_on == date(2022, 2, 28)
    assert p.remarks == ("Fictional test person.",)
    assert p.properties["euReferenceNumber"] == ("EU.9001.11",)
    bds = {(b.precision, b.start, b.end) for b in p.birth_dates}
    assert bds == {
        ("day", date(1961, 7, 14), date(1961, 7, 14)),
        ("year", date(1962, 1, 1), date(1962, 12, 31)),
        ("range", date(1960, 1, 1), date(1963, 12, 31)),
    }
    assert "Testograd, RUSSIAN FEDERATION" in p.birth_places
    (ident,) = p.identifiers
    assert (ident.type, ident.value, ident.country) == (IdType.PASSPORT, "7500123456", "RU")
    (addr,) = p.addresses
    assert (addr.street, addr.city, addr.postcode, addr.country) == (
        "Testovaya ul. 1",
        "Moscow",
        "101000",
        "RU",
    )
    assert p.raw.startswith("<sanctionEntity") and 'logicalId="900001"' in p.raw
    assert p.raw_format == "xml"


def test_xml_enterprise_and_missing_name(eu: Path) -> None:
    ds = EuFsfXml().parse(_sf(eu / "eu_fsf.xml"))
    org = ds.entities[1]
    assert org.kind is EntityKind.ORGANIZATION
    assert org.names[1].type is NameType.ORIGINAL_SCRIPT
    types = {(i.type, i.value) for i in org.identifiers}
    assert (IdType.TAX_ID, "1600000001") in types
    assert (IdType.REGISTRATION, "1021600000001") in types
    assert (IdType.EMAIL, "post@testzone.example") in types
    assert org.addresses[0].street == "Sh-2 Str. 4/1, P.O. Box 17"
    assert org.addresses[0].region == "Republic of Tatarstan"
    nameless = ds.entities[2]
    assert nameless.names == ()
    assert [i.record for i in ds.issues] == ["900003"]
    assert "no name" in ds.issues[0].message


def test_xml_bad_inputs(eu: Path, tmp_path: Path) -> None:
    xml = (eu / "eu_fsf.xml").read_text(encoding="utf-8")
    truncated = tmp_path / "trunc.xml"
    truncated.write_text(xml[: len(xml) // 2], encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"trunc\.xml.*malformed XML"):
        EuFsfXml().parse(_sf(truncated))

    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        '<export xmlns="http://eu.europa.ec/fpi/fsd/export">&b;</export>',
        encoding="utf-8",
    )
    with pytest.raises(UnsafeXMLError):
        EuFsfXml().parse(_sf(bomb))

    wrong = tmp_path / "wrong.xml"
    wrong.write_text('<CONSOLIDATED_LIST dateGenerated="2026-01-01"/>', encoding="utf-8")
    with pytest.raises(SourceFormatError, match="not an EU FSF export"):
        EuFsfXml().parse(_sf(wrong))

    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(SourceFormatError, match="empty"):
        EuFsfXml().parse(_sf(empty))

    latin1 = tmp_path / "latin1.xml"
    latin1.write_bytes(xml.replace('encoding="UTF-8"', "").encode("cp1251"))
    with pytest.raises(SourceFormatError):
        EuFsfXml().parse(_sf(latin1))

    no_id = tmp_path / "noid.xml"
    no_id.write_text(xml.replace('logicalId="900002"', ""), encoding="utf-8")
    with pytest.raises(SourceFormatError, match="no logicalId"):
        EuFsfXml().parse(_sf(no_id))


# --------------------------------------------------------------------------- CSV


def test_csv_11_groups_rows_into_entities(eu: Path) -> None:
    ds = EuFsfCsv().parse(_sf(eu / "eu_fsf.csv"))
    assert ds.published == date(2026, 3, 4)
    assert [e.id for e in ds.entities] == ["eu:900001", "eu:900002", "eu:900003"]
    p = ds.entities[0]
    assert p.kind is EntityKind.PERSON
    assert [(n.value, n.type) for n in p.names] == [
        ("Ivan Petrovich Testov", NameType.PRIMARY),
        ("Иван Петрович Тестов", NameType.ORIGINAL_SCRIPT),
        ("Vanya Test", NameType.WEAK_ALIAS),  # NameAlias_Remark "Low quality a.k.a."
    ]
    assert p.nationalities == ("RU",)
    assert p.identifiers[0].type is IdType.PASSPORT
    assert p.addresses[0].postcode == "101000"
    assert {b.precision for b in p.birth_dates} == {"day", "range"}
    assert p.listed_on == date(2022, 2, 28)
    assert p.raw.count("\n") == 7  # its 8 CSV lines, verbatim
    assert p.raw.splitlines()[0].startswith("04/03/2026;900001;")
    org = ds.entities[1]
    assert org.addresses[0].region == "Republic of Tatarstan"
    assert org.identifiers[0].type is IdType.TAX_ID
    nameless = ds.entities[2]
    assert nameless.names == ()
    assert "spans two lines" in nameless.raw and nameless.raw.count("\n") == 1
    assert [(i.record, i.line) for i in ds.issues] == [("900003", 14)]


def test_csv_10_layout(eu: Path) -> None:
    ds = EuFsfCsv().parse(_sf(eu / "eu_fsf_1_0.csv"))
    assert ds.published == date(2022, 9, 13)
    p, org = ds.entities
    assert p.id == "eu:900001" and org.id == "eu:900002"
    assert p.names[1].type is NameType.ORIGINAL_SCRIPT
    assert p.nationalities == ("RU",)  # ISO3 "RUS" in 1.0
    assert p.birth_dates[0].start == date(1961, 7, 14)
    assert p.addresses[0].country == "RU"
    assert org.kind is EntityKind.ORGANIZATION


def test_csv_bad_inputs(eu: Path, tmp_path: Path) -> None:
    text = (eu / "eu_fsf.csv").read_text(encoding="utf-8-sig")
    short = tmp_path / "short.csv"
    lines = text.splitlines()
    lines[3] = ";".join(lines[3].split(";")[:20])
    short.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"short\.csv, line 4"):
        EuFsfCsv().parse(_sf(short))

    unterminated = tmp_path / "unterminated.csv"
    unterminated.write_text(text.rsplit("\n", 2)[0][:-5], encoding="utf-8")
    with pytest.raises(SourceFormatError):
        EuFsfCsv().parse(_sf(unterminated))

    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="not an EU FSF CSV"):
        EuFsfCsv().parse(_sf(wrong))

    bad_enc = tmp_path / "bad.csv"
    bad_enc.write_bytes(text.encode("utf-8") + b"\xff\xfe;x\n")
    with pytest.raises(SourceFormatError, match="not valid utf-8"):
        EuFsfCsv().parse(_sf(bad_enc))

    empty = tmp_path / "empty.csv"
    empty.write_text("\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match="empty"):
        EuFsfCsv().parse(_sf(empty))


# --------------------------------------------------------------------------- discovery


def test_discover(eu: Path, tmp_path: Path) -> None:
    xml = EuFsfXml().discover(eu)
    assert xml is not None and xml[0].path.name == "eu_fsf.xml"
    csvs = EuFsfCsv().discover(eu)
    assert csvs is not None and csvs[0].path.name == "eu_fsf.csv"  # 1.1 preferred over 1.0
    # other lists' files are not claimed
    (tmp_path / "consolidated.xml").write_text('<CONSOLIDATED_LIST dateGenerated="x"/>')
    (tmp_path / "sdn.csv").write_text('36,"AEROCARIBBEAN AIRLINES",-0- \n')
    shutil.copytree(eu / "journal", tmp_path / "journal")
    assert EuFsfXml().discover(tmp_path) is None
    assert EuFsfCsv().discover(tmp_path) is None
    # the downloader's file names are recognised; dated copies: the newest wins
    shutil.copy(eu / "eu_fsf.xml", tmp_path / "eu_fsf.xml")
    shutil.copy(eu / "eu_fsf.csv", tmp_path / "eu_fsf_2026-01.csv")
    shutil.copy(eu / "eu_fsf.csv", tmp_path / "eu_fsf_2026-03.csv")
    assert EuFsfXml().discover(tmp_path) == [SourceFile(tmp_path / "eu_fsf.xml", "consolidated")]
    found = EuFsfCsv().discover(tmp_path)
    assert found is not None and found[0].path.name == "eu_fsf_2026-03.csv"
    assert set(EuFsfXml.urls) == {"eu_fsf.xml"} and set(EuFsfCsv.urls) == {"eu_fsf.csv"}
