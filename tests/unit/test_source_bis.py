"""BisDplTxt and BisMieuCsv on small fictional fixtures in the publishers' formats."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from stopship.errors import SourceFormatError
from stopship.model import EntityKind, NameType
from stopship.sources.base import ParsedDataset, SourceFile
from stopship.sources.bis_dpl import BisDplTxt, guess_kind
from stopship.sources.bis_mieu import BisMieuCsv
from stopship.sources.csl import CslCsv, short_hash


@pytest.fixture()
def d(fixtures: Path) -> Path:
    return fixtures / "csl"


def _dpl(path: Path) -> ParsedDataset:
    return BisDplTxt().parse([SourceFile(path, "dpl")])


def _mieu(path: Path) -> ParsedDataset:
    return BisMieuCsv().parse([SourceFile(path, "mieu")])


# --------------------------------------------------------------------------- DPL


def test_dpl_entities_and_fields(d: Path) -> None:
    ds = _dpl(d / "dpl.txt")
    assert len(ds.entities) == 7
    assert ds.published == date(2019, 6, 12)  # the 3017 typo is ignored and reported
    assert any("3017-08-22" in i.message and i.line == 6 for i in ds.issues)
    e = ds.entities[0]
    assert e.id == "csl:dpl-" + short_hash(
        "ZARA QUILLFEATHER", "10/16/2017", "82 F.R. 1111 10/20/2017"
    )
    assert e.source == "csl" and (e.list_name or "").startswith("Denied Persons List (DPL)")
    assert e.caption == "ZARA QUILLFEATHER"
    assert e.kind is EntityKind.UNKNOWN
    a = e.addresses[0]
    assert (a.street, a.city, a.region, a.postcode, a.country) == (
        "12 MOCK LANE",
        "FAKETON",
        "AZ",
        "85000",
        None,
    )
    assert e.listed_on == date(2017, 10, 16)
    assert e.properties["expiration_date"] == ("10/13/2027",)
    assert e.properties["expiration_date_iso"] == ("2027-10-13",)
    assert e.properties["federal_register_notice"] == ("82 F.R. 1111 10/20/2017",)
    assert e.properties["standard_order"] == ("Y",)
    assert e.properties["action"] == ("FR NOTICE ADDED",)
    assert e.raw_format == "tsv" and e.raw.startswith('" ZARA QUILLFEATHER"\t"12 MOCK LANE"')
    assert e.raw in (d / "dpl.txt").read_bytes().decode("utf-8")


def test_dpl_collisions_are_disambiguated(d: Path) -> None:
    ds = _dpl(d / "dpl.txt")
    glimmer = [e.id for e in ds.entities if e.caption == "GLIMMER WINGS AIRLINES"]
    assert len(glimmer) == len(set(glimmer)) == 3
    base = "csl:dpl-" + short_hash("GLIMMER WINGS AIRLINES", "06/05/2019", "84 F.R. 2222 6/12/2019")
    assert all(g.startswith(base + "-") for g in glimmer)
    assert glimmer[2] == glimmer[1] + "-2"  # identical rows: ordinal in file order
    assert [e.id for e in _dpl(d / "dpl.txt").entities] == [e.id for e in ds.entities]


def test_dpl_aliases_kinds_countries_and_missing_name(d: Path) -> None:
    by = {e.caption: e for e in _dpl(d / "dpl.txt").entities}
    q = by["QUENTIN MOCKERY"]
    assert [(n.value, n.type) for n in q.names] == [
        ("QUENTIN MOCKERY", NameType.PRIMARY),
        ("Q. MOCK", NameType.STRONG_ALIAS),
    ]
    faux = by["FAUX PHOTONICS CO., LTD."]
    assert faux.kind is EntityKind.ORGANIZATION
    assert faux.addresses[0].country == "CN"  # "PRC"
    ds = _dpl(d / "dpl.txt")
    nameless = ds.entities[-1]
    assert nameless.names == () and nameless.addresses[0].country == "GB"
    assert any(i.record == nameless.record_id and "no name" in i.message for i in ds.issues)


def test_guess_kind() -> None:
    assert guess_kind("ACME TRADING GMBH") is EntityKind.ORGANIZATION
    assert guess_kind("FOO S.A.") is EntityKind.ORGANIZATION
    assert guess_kind("JOHN Q. SMITH") is EntityKind.UNKNOWN


def test_dpl_discover(d: Path, tmp_path: Path) -> None:
    for f in ("dpl.txt", "consolidated_2025-06.csv", "bis_mieu_sample.csv"):
        shutil.copy(d / f, tmp_path / f)
    (tmp_path / "dpl_notes.txt").write_text("just some notes\n", encoding="utf-8")
    found = BisDplTxt().discover(tmp_path)
    assert found is not None and [f.path.name for f in found] == ["dpl.txt"]
    assert BisDplTxt.urls == {"dpl.txt": "https://www.bis.doc.gov/dpl/dpl.txt"}
    assert BisDplTxt().discover(tmp_path / "nothing") is None


def test_dpl_bad_inputs(d: Path, tmp_path: Path) -> None:
    good = (d / "dpl.txt").read_bytes().decode("utf-8")
    lines = good.split("\r\n")
    cases = {
        "empty.txt": b"",
        "wrong_header.txt": b'"Name"\t"Address"\n"A"\t"B"\n',
        "csl.txt": (d / "consolidated_2025-06.csv").read_bytes(),
        "truncated.txt": (good[: good.index("QUENTIN") + 20]).encode("utf-8"),
        "short_row.txt": ("\r\n".join([lines[0], '"A"\t"B"'])).encode("utf-8"),
        "latin1.txt": good.replace("FAKETON", "FAKÉTON").encode("latin-1"),
    }
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(SourceFormatError) as exc:
            _dpl(p)
        assert exc.value.path == str(p), name
    with pytest.raises(SourceFormatError) as exc2:
        _dpl(tmp_path / "short_row.txt")
    assert exc2.value.line == 2


# --------------------------------------------------------------------------- MIEU


def test_mieu_fields(d: Path) -> None:
    ds = _mieu(d / "bis_mieu_sample.csv")
    assert [e.id for e in ds.entities] == [
        "csl:mieu-directorate-of-mock-intelligence",
        "csl:mieu-bureau-of-pretend-reconnaissance",
        "csl:mieu-bureau-of-pretend-reconnaissance-2",
        "csl:mieu-line-5",
    ]
    e = ds.entities[0]
    assert e.kind is EntityKind.ORGANIZATION
    assert [(n.value, n.type) for n in e.names] == [
        ("Directorate of Mock Intelligence", NameType.PRIMARY),
        ("DMI", NameType.STRONG_ALIAS),
    ]
    assert e.countries == ("CU",) and e.programs == ("US-BIS-MIEU",)
    assert e.listed_on == date(2021, 3, 16)
    assert e.properties["topics"] == ("export.control",)
    assert e.properties["source_url"][0].startswith("https://www.federalregister.gov/")
    assert e.raw.startswith("Organization,Directorate of Mock Intelligence,DMI,CU")
    assert ds.entities[1].properties["end_date"] == ("2024-01-01",)
    assert ds.entities[2].properties["country"] == ("XX",)
    msgs = [(i.record, i.message) for i in ds.issues]
    assert ("mieu-bureau-of-pretend-reconnaissance-2", "unparsed Date 'not a date'") in msgs
    assert ("mieu-line-5", "record has no name; loaded under its id") in msgs
    assert BisMieuCsv.urls == {}


def test_mieu_discover_and_bad_inputs(d: Path, tmp_path: Path) -> None:
    for f in ("bis_mieu_sample.csv", "consolidated_2025-06.csv", "dpl.txt"):
        shutil.copy(d / f, tmp_path / f)
    found = BisMieuCsv().discover(tmp_path)
    assert found is not None and found[0].path.name == "bis_mieu_sample.csv"
    assert CslCsv().discover(tmp_path) is not None
    good = (d / "bis_mieu_sample.csv").read_text(encoding="utf-8")
    cases = {
        "empty.csv": b"",
        "wrong.csv": b"Type,Name,Alias\nOrganization,X,Y\n",
        "short.csv": (good.splitlines()[0] + "\nOrganization,X\n").encode("utf-8"),
        "truncated.csv": (good.splitlines()[0] + '\nOrganization,"X,Y').encode("utf-8"),
        "latin1.csv": good.replace("Mock", "Móck").encode("latin-1"),
    }
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(SourceFormatError) as exc:
            _mieu(p)
        assert exc.value.path == str(p), name
