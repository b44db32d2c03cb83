from __future__ import annotations

import json
from pathlib import Path

import pytest

from stopship.model import EntityKind, IdType, NameType
from stopship.sources.base import ParsedDataset
from stopship.sources.ftm import FtmJson

pytestmark = pytest.mark.integration

REAL = "zala_entities.ftm.json"
SCREENABLE = {
    "Person",
    "Company",
    "Organization",
    "LegalEntity",
    "PublicBody",
    "Vessel",
    "Airplane",
}


@pytest.fixture(scope="module")
def real(shared_lists: Path) -> tuple[Path, ParsedDataset]:
    path = shared_lists / "opensanctions" / REAL
    if not path.is_file():
        pytest.skip(f"{path} absent")
    adapter = FtmJson()
    files = adapter.discover(shared_lists)
    assert files is not None and files[0].path == path
    return path, adapter.parse(files)


def test_count_matches_an_independent_count(real: tuple[Path, ParsedDataset]) -> None:
    path, ds = real
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    assert len(rows) == 91
    expected = {r["id"] for r in rows if r["schema"] in SCREENABLE}
    assert {e.record_id for e in ds.entities} == expected
    assert len(ds.entities) == len(expected) == 17
    persons = {r["id"] for r in rows if r["schema"] == "Person"}
    assert {e.record_id for e in ds.entities if e.kind is EntityKind.PERSON} == persons


def test_zakharov(real: tuple[Path, ParsedDataset]) -> None:
    _, ds = real
    e = next(x for x in ds.entities if x.id == "opensanctions:NK-aU5ybkbRFJucf8YMwsJvDw")
    assert e.kind is EntityKind.PERSON
    assert e.caption == "Alexander Vyacheslavovich ZAKHAROV"
    cyr = [n for n in e.names if n.script == "Cyrl"]
    assert any(n.value == "Александр Вячеславович Захаров" for n in cyr)
    assert e.birth_dates[0].start.isoformat() == "1965-09-21"
    assert e.nationalities == ("RU",)
    assert (IdType.INN, "183111242406") in {(i.type, i.value) for i in e.identifiers}
    assert "GB-RUS" in e.programs
    assert e.listed_on is not None
    rel = {(r.type, r.target_name) for r in e.relations}
    assert ("director_of", "LLC CST") in rel


def test_llc_cst(real: tuple[Path, ParsedDataset]) -> None:
    _, ds = real
    e = next(x for x in ds.entities if x.caption == "LLC CST")
    assert e.kind is EntityKind.ORGANIZATION
    owners = {r.target_name for r in e.relations if r.type == "owned_by"}
    assert {"JSC Kalashnikov Concern", "Alexander Vyacheslavovich ZAKHAROV"} <= owners
    assert any(a.country == "RU" and a.city for a in e.addresses)  # resolved Address entity
    assert any(i.type is IdType.OGRN for i in e.identifiers)
    assert all(n.type is not NameType.ORIGINAL_SCRIPT for n in e.names)


def test_raw_lines_and_issues(real: tuple[Path, ParsedDataset]) -> None:
    path, ds = real
    lines = set(path.read_text(encoding="utf-8").splitlines())
    assert all(e.raw in lines for e in ds.entities)
    assert all(e.names for e in ds.entities)
    # the export is a subgraph: dangling addressEntity references are summarised once
    assert len(ds.issues) == 1 and "addressEntity" in ds.issues[0].message
