"""UK adapters on small fictional fixtures in the publishers' formats."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from stopship.errors import SourceFormatError, UnsafeXMLError
from stopship.model import EntityKind, IdType, NameType
from stopship.sources.base import SourceFile
from stopship.sources.uk_fcdo_summary import FcdoSummaryOds, published_from_name
from stopship.sources.uk_ofsi import (
    OfsiConListCsv,
    OfsiConListXlsx,
    other_info_fields,
    parse_dob,
    split_numbered,
)
from stopship.sources.uk_sanctions_list import UkSanctionsListCsv, UkSanctionsListXml

UK = Path(__file__).resolve().parents[1] / "fixtures" / "uk"


# --------------------------------------------------------------------------- helpers


def test_parse_dob_shapes() -> None:
    d = parse_dob("14/02/1971")
    assert d is not None and d.precision == "day" and d.start == date(1971, 2, 14)
    y = parse_dob("00/00/1962")
    assert y is not None and y.precision == "year" and y.end == date(1962, 12, 31)
    m = parse_dob("00/06/1962")
    assert m is not None and m.precision == "month" and m.end == date(1962, 6, 30)
    assert parse_dob("dd/mm/1950") is not None and parse_dob("dd/mm/1950").precision == "year"  # type: ignore[union-attr]
    assert parse_dob("1975") is not None
    assert parse_dob("circa 1970") is None


def test_split_numbered_and_other_info() -> None:
    assert split_numbered("(1) Russia (2) Freedonia.") == ["Russia", "Freedonia"]
    assert split_numbered("(1) to (6) Algeria (7) Morocco") == ["Algeria", "Morocco"]
    assert split_numbered("Russia") == ["Russia"]
    f = other_info_fields("(UK Sanctions List Ref):RUS1. text (Gender):Male")
    assert f["gender"] == ["Male"] and f["uk sanctions list ref"] == ["RUS1. text"]


# --------------------------------------------------------------------------- ConList


def test_conlist_csv_fields() -> None:
    a = OfsiConListCsv()
    files = a.discover(UK)
    assert files is not None and files[0].path.name == "ConList.csv"
    ds = a.parse(files)
    assert ds.published == date(2026, 1, 5)
    ents = {e.id: e for e in ds.entities}
    assert set(ents) == {"uk:90001", "uk:90002", "uk:90003", "uk:90004"}

    p = ents["uk:90001"]
    assert p.kind is EntityKind.PERSON and p.caption == "Ivan Petrovich TESTOV"
    types = {n.value: n.type for n in p.names}
    assert types["Ivan TESTOFF"] is NameType.STRONG_ALIAS
    assert types["VANYA"] is NameType.STRONG_ALIAS
    assert types["IVANUSHKA"] is NameType.WEAK_ALIAS
    assert types["Ivan PETROV"] is NameType.FORMER
    cyr = next(n for n in p.names if n.type is NameType.ORIGINAL_SCRIPT)
    assert cyr.value == "Иван Петрович Тестов" and cyr.script == "Cyrl" and cyr.lang == "ru"
    assert {b.precision for b in p.birth_dates} == {"day", "year", "month"}
    assert p.nationalities == ("RU",)
    assert p.properties["nationality_text"] == ("Freedonia",)
    assert p.birth_places == ("Kazan, Russia", "Yelabuga, Russia")
    passports = [i for i in p.identifiers if i.type is IdType.PASSPORT]
    assert [i.value for i in passports] == ["7512345678", "7598765432"]
    assert passports[0].country == "RU" and passports[1].note == "Russia. Expires 01/01/2030"
    assert any(i.type is IdType.NATIONAL_ID and i.value == "165012345678" for i in p.identifiers)
    assert p.addresses[0].city == "Kazan" and p.addresses[0].region == "Tatarstan"
    assert p.addresses[0].country == "RU" and p.addresses[0].postcode == "420000"
    assert p.gender == "male" and p.titles == ("Mr",)
    assert p.positions == ("Director General of Kama Widgets JSC",)
    assert p.programs == ("Russia",) and p.listed_on == date(2022, 3, 15)
    assert p.properties["uk_sanctions_list_ref"] == ("RUS9001",)
    assert "fictional director" in p.remarks[0]
    assert p.raw.count("\n") == 6 and p.raw.startswith("TESTOV,Ivan,Petrovich")
    assert p.raw_format == "csv"

    o = ents["uk:90002"]
    assert o.kind is EntityKind.ORGANIZATION
    ids = {(i.type, i.value) for i in o.identifiers}
    assert (IdType.OGRN, "1021600000001") in ids and (IdType.INN, "1646000001") in ids
    assert (IdType.KPP, "164601001") in ids and (IdType.WEBSITE, "www.kama-widgets.example") in ids
    assert (IdType.PHONE, "+7 855 000 0002") in ids
    rels = {(r.type, r.target_name) for r in o.relations}
    assert ("subsidiary_of", "Kama Holding LLC") in rels
    assert ("parent_of", "Kama Widgets Service LLC") in rels
    assert o.properties["entity_type"] == ("Joint Stock Company",)

    s = ents["uk:90003"]
    assert s.kind is EntityKind.VESSEL
    assert any(i.type is IdType.IMO and i.value == "9000001" for i in s.identifiers)
    assert s.relations[0].type == "owned_by"
    assert s.properties["flag_of_ship"] == ("North Korea",)

    assert ents["uk:90004"].names == ()
    assert len(ds.issues) == 1 and ds.issues[0].record == "90004" and ds.issues[0].line == 14


def _csv_to_xlsx(src: Path, dst: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    with src.open(newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            ws.append([c if c != "" else None for c in row])
    wb.save(dst)


def test_conlist_xlsx_matches_csv(tmp_path: Path) -> None:
    _csv_to_xlsx(UK / "ConList.csv", tmp_path / "ConList.xlsx")
    a = OfsiConListXlsx()
    files = a.discover(tmp_path)
    assert files is not None
    ds = a.parse(files)
    csv_ds = OfsiConListCsv().parse([SourceFile(UK / "ConList.csv", "conlist")])
    assert ds.published == csv_ds.published
    assert [(e.id, e.names) for e in ds.entities] == [(e.id, e.names) for e in csv_ds.entities]
    x = {e.id: e for e in ds.entities}["uk:90001"]
    assert x.raw_format == "xlsx" and x.raw.startswith("TESTOV,Ivan,Petrovich")


def test_conlist_discover_ignores_other_csv(tmp_path: Path) -> None:
    (tmp_path / "ConList_notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert OfsiConListCsv().discover(tmp_path) is None
    shutil.copy(UK / "ConList.csv", tmp_path / "OFSI_ConList_2026-01-05.csv")
    found = OfsiConListCsv().discover(tmp_path)
    assert found is not None and found[0].path.name == "OFSI_ConList_2026-01-05.csv"


def _write(tmp_path: Path, name: str, data: bytes) -> list[SourceFile]:
    p = tmp_path / name
    p.write_bytes(data)
    return [SourceFile(p, "x")]


def test_conlist_bad_inputs(tmp_path: Path) -> None:
    a = OfsiConListCsv()
    good = (UK / "ConList.csv").read_bytes()
    with pytest.raises(SourceFormatError, match="empty"):
        a.parse(_write(tmp_path, "e.csv", b""))
    with pytest.raises(SourceFormatError, match="not an OFSI ConList header"):
        a.parse(_write(tmp_path, "w.csv", b"Last Updated,01/01/2026\nent_num,SDN_Name\n1,X\n"))
    lines = good.split(b"\r\n")
    truncated = b"\r\n".join([*lines[:4], lines[4][:60]])
    with pytest.raises(SourceFormatError, match="line 5"):
        a.parse(_write(tmp_path, "t.csv", truncated))
    with pytest.raises(SourceFormatError, match="malformed CSV"):
        a.parse(_write(tmp_path, "q.csv", good + b'X,"unterminated'))
    with pytest.raises(SourceFormatError, match="bad byte"):
        bad = good.replace("Иван".encode(), b"\xff\xfe\x81")
        OfsiConListCsv().parse(_write(tmp_path, "b.csv", bad.replace(b"\xe2\x80", b"\x81\x81")))


def test_conlist_xlsx_bad_inputs(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError):
        OfsiConListXlsx().parse(_write(tmp_path, "ConList.xlsx", b"not a zip file at all"))
    wb = openpyxl.Workbook()
    wb.active.append(["Unique ID", "Name"])
    wb.save(tmp_path / "w.xlsx")
    with pytest.raises(SourceFormatError, match="header"):
        OfsiConListXlsx().parse([SourceFile(tmp_path / "w.xlsx", "x")])


# --------------------------------------------------------------------------- UK Sanctions List


def test_uksl_xml_fields() -> None:
    a = UkSanctionsListXml()
    files = a.discover(UK)
    assert files is not None and files[0].path.name == "UK-Sanctions-List.xml"
    ds = a.parse(files)
    assert ds.published == date(2026, 1, 28)
    ents = {e.id: e for e in ds.entities}
    assert set(ents) == {"uk:90001", "uk:90002", "uk:DPR9003", "uk:CYB9004"}
    p = ents["uk:90001"]
    assert p.programs == ("Russia", "Global Human Rights")  # two designations, one group
    assert p.properties["unique_id"] == ("RUS9001", "GHR9001")
    assert p.raw.count("<Designation>") == 2 and p.raw_format == "xml"
    assert {n.value: n.type for n in p.names}["VANYA"] is NameType.WEAK_ALIAS
    assert p.caption == "Ivan Petrovich TESTOV"
    assert any(n.script == "Cyrl" and n.lang == "ru" for n in p.names)
    assert [b.precision for b in p.birth_dates] == ["day", "year"]
    assert p.gender == "male" and p.nationalities == ("RU",)
    assert p.birth_places == ("Kazan, Russia",)
    assert {(i.type, i.value) for i in p.identifiers} == {
        (IdType.PASSPORT, "7512345678"),
        (IdType.NATIONAL_ID, "165012345678"),
    }
    assert "Asset freeze" in p.properties["sanctions_imposed"]
    assert p.listed_on == date(2022, 3, 15)
    assert "fictional director" in " ".join(p.remarks)
    o = ents["uk:90002"]
    ids = {(i.type, i.value) for i in o.identifiers}
    assert (IdType.OGRN, "1021600000001") in ids
    assert (IdType.EMAIL, "sales@kama-widgets.example") in ids
    assert ("subsidiary_of", "Kama Holding LLC") in {(r.type, r.target_name) for r in o.relations}
    s = ents["uk:DPR9003"]
    assert s.kind is EntityKind.VESSEL and s.properties["un_reference"] == ("KPi.999",)
    assert (IdType.IMO, "9000001") in {(i.type, i.value) for i in s.identifiers}
    assert ents["uk:CYB9004"].names == ()
    assert [i.record for i in ds.issues] == ["CYB9004"]


def test_uksl_xml_bad_inputs(tmp_path: Path) -> None:
    a = UkSanctionsListXml()
    with pytest.raises(SourceFormatError, match="expected 'Designations'"):
        a.parse(_write(tmp_path, "a.xml", b"<sdnList><sdnEntry/></sdnList>"))
    with pytest.raises(SourceFormatError, match="malformed XML"):
        a.parse(_write(tmp_path, "b.xml", (UK / "UK-Sanctions-List.xml").read_bytes()[:900]))
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
        b"<Designations>&b;</Designations>"
    )
    with pytest.raises(UnsafeXMLError):
        a.parse(_write(tmp_path, "c.xml", bomb))
    with pytest.raises(SourceFormatError, match="empty"):
        a.parse(_write(tmp_path, "d.xml", b"  \n"))
    with pytest.raises(SourceFormatError, match="without UniqueID"):
        a.parse(_write(tmp_path, "e.xml", b"<Designations><Designation/></Designations>"))


def test_uksl_csv_fields() -> None:
    a = UkSanctionsListCsv()
    files = a.discover(UK)
    assert files is not None and files[0].path.name == "UK-Sanctions-List.csv"
    ds = a.parse(files)
    assert ds.published == date(2026, 1, 28)
    ents = {e.id: e for e in ds.entities}
    assert set(ents) == {"uk:90001", "uk:90002", "uk:DPR9003"}
    p = ents["uk:90001"]
    assert p.caption == "Ivan Petrovich TESTOV"
    assert {n.value: n.type for n in p.names}["VANYA"] is NameType.WEAK_ALIAS
    assert p.birth_dates[0].start == date(1971, 2, 14) and p.gender == "male"
    assert p.raw.count("\n") == 1 and p.raw_format == "csv"
    o = ents["uk:90002"]
    rels = {(r.type, r.target_name) for r in o.relations}
    assert ("parent_of", "Kama Widgets Trading LLC") in rels
    assert (IdType.INN, "1646000001") in {(i.type, i.value) for i in o.identifiers}
    assert ents["uk:DPR9003"].kind is EntityKind.VESSEL


def test_uksl_csv_bad_inputs(tmp_path: Path) -> None:
    a = UkSanctionsListCsv()
    with pytest.raises(SourceFormatError, match="no UK Sanctions List header"):
        a.parse(_write(tmp_path, "a.csv", b"Report Date: 01/01/2026\nfoo,bar\n1,2\n"))
    good = (UK / "UK-Sanctions-List.csv").read_bytes()
    with pytest.raises(SourceFormatError, match="line 4"):
        a.parse(
            _write(
                tmp_path,
                "b.csv",
                good.split(b"\r\n")[0]
                + b"\r\n"
                + b"\r\n".join(good.split(b"\r\n")[1:3])
                + b"\r\n01/02/2024,RUS1,9\r\n",
            )
        )


# --------------------------------------------------------------------------- summary ODS


def test_summary_ods_fields() -> None:
    a = FcdoSummaryOds()
    files = a.discover(UK)
    assert files is not None
    ds = a.parse(files)
    assert ds.published == date(2026, 1, 5)
    ents = {e.id: e for e in ds.entities}
    assert set(ents) == {"uk:90001", "uk:90002", "uk:DPR9003", "uk:90004"}
    p = ents["uk:90001"]
    assert p.names[0].value == "Testov Ivan Petrovich" and len(p.names) == 1
    assert p.programs == ("Russia", "Global Human Rights")
    assert p.listed_on == date(2022, 3, 15) and p.raw.count("\n") == 1
    assert p.raw_format == "ods" and p.raw.startswith("RUS9001,90001,")
    assert "Travel Ban" in p.properties["sanctions_imposed"]
    assert ents["uk:DPR9003"].kind is EntityKind.VESSEL
    assert [i.record for i in ds.issues] == ["90004"]


def test_summary_published_from_name() -> None:
    assert published_from_name("FCDO_SL_Mon_Aug 11 2025.ods") == date(2025, 8, 11)
    assert published_from_name("FCDO_UK_Sanctions_List_summary_2025-08-11.ods") == date(2025, 8, 11)


def test_summary_bad_inputs(tmp_path: Path) -> None:
    a = FcdoSummaryOds()
    with pytest.raises(SourceFormatError, match="not an OpenDocument"):
        a.parse(_write(tmp_path, "FCDO_x.ods", b"plain text, not a zip"))
    with pytest.raises(SourceFormatError, match="empty"):
        a.parse(_write(tmp_path, "FCDO_y.ods", b""))
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    t = Table(name="S")
    tr = TableRow()
    for v in ("ent_num", "SDN_Name"):
        c = TableCell(valuetype="string")
        c.addElement(P(text=v))
        tr.addElement(c)
    t.addElement(tr)
    doc.spreadsheet.addElement(t)
    doc.save(str(tmp_path / "FCDO_wrong.ods"))
    with pytest.raises(SourceFormatError, match="unexpected header"):
        a.parse([SourceFile(tmp_path / "FCDO_wrong.ods", "x")])
