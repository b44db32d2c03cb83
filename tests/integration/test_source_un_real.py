from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from stopship.model import EntityKind, IdType, NameType
from stopship.sources.base import ParsedDataset
from stopship.sources.un_xml import UnXml

pytestmark = pytest.mark.integration

REAL = "UN_consolidated_2026-02-27.xml"


@pytest.fixture(scope="module")
def real(shared_lists: Path) -> tuple[Path, ParsedDataset]:
    path = shared_lists / "un" / REAL
    if not path.is_file():
        pytest.skip(f"{path} absent")
    adapter = UnXml()
    files = adapter.discover(shared_lists)
    assert files is not None and files[0].path == path
    return path, adapter.parse(files)


def test_discovery_claims_only_the_un_file(shared_lists: Path) -> None:
    files = UnXml().discover(shared_lists)
    assert files is not None
    assert [f.path.name for f in files] == [REAL]
    assert UnXml().discover(shared_lists / "ofac") is None


def test_counts_match_an_independent_count(real: tuple[Path, ParsedDataset]) -> None:
    path, ds = real
    root = ET.parse(path).getroot()
    persons = {e.findtext("DATAID") for e in root.iter("INDIVIDUAL")}
    orgs = {e.findtext("DATAID") for e in root.iter("ENTITY")}
    assert (len(persons), len(orgs)) == (730, 273)
    assert len(ds.entities) == len(persons | orgs)
    assert sum(e.kind is EntityKind.PERSON for e in ds.entities) == len(persons)
    assert sum(e.kind is EntityKind.ORGANIZATION for e in ds.entities) == len(orgs)
    assert ds.published == date(2026, 2, 27)
    assert ds.issues == []


def test_original_script_names(real: tuple[Path, ParsedDataset]) -> None:
    path, ds = real
    root = ET.parse(path).getroot()
    expected = sum(1 for e in root.iter("NAME_ORIGINAL_SCRIPT") if (e.text or "").strip())
    got = [n for e in ds.entities for n in e.names if n.type is NameType.ORIGINAL_SCRIPT]
    assert len(got) == expected
    assert sum(n.script == "Arab" for n in got) > 300


def test_spot_badege(real: tuple[Path, ParsedDataset]) -> None:
    _, ds = real
    e = next(x for x in ds.entities if x.id == "un:6907993")
    assert e.caption == "ERIC BADEGE"
    assert e.programs == ("DRC",)
    assert e.properties["reference_number"] == ("CDi.001",)
    assert e.listed_on == date(2012, 12, 31)
    assert e.gender == "male"
    assert e.nationalities == ("CD",)
    assert [(b.precision, b.start.year) for b in e.birth_dates] == [("year", 1971)]
    assert [(a.country, a.note) for a in e.addresses] == [("RW", "as of early 2016")]
    assert len(e.names) == 1  # the empty alias is skipped
    assert e.raw.startswith("<INDIVIDUAL>") and "<DATAID>6907993</DATAID>" in e.raw


def test_spot_iyamuremye(real: tuple[Path, ParsedDataset]) -> None:
    _, ds = real
    e = next(x for x in ds.entities if x.id == "un:6907995")
    types = {n.value: n.type for n in e.names}
    assert types["Rumuli"] is NameType.WEAK_ALIAS
    assert types["Victor Rumuri"] is NameType.STRONG_ALIAS
    assert e.positions[0] == "FDLR Interim President"
    assert "Musanze District, Northern Province, Rwanda" in e.birth_places


def test_documents_and_saddam(real: tuple[Path, ParsedDataset]) -> None:
    _, ds = real
    passports = [i for e in ds.entities for i in e.identifiers if i.type is IdType.PASSPORT]
    assert len(passports) > 250
    saddam = [e for e in ds.entities if any(n.value == "صدام حسين التكريتي" for n in e.names)]
    assert len(saddam) == 1 and saddam[0].kind is EntityKind.PERSON


def test_entity_aliases(real: tuple[Path, ParsedDataset]) -> None:
    _, ds = real
    orgs = [e for e in ds.entities if e.kind is EntityKind.ORGANIZATION]
    former = [n for e in orgs for n in e.names if n.type is NameType.FORMER]
    assert len(former) == 19  # the f.k.a. aliases
    assert all(e.names for e in ds.entities)
