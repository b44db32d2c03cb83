"""UK adapters on the real files in ../shared/lists/uk (skipped when absent)."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from stopship.model import EntityKind, NameType
from stopship.sources.uk_fcdo_summary import FcdoSummaryOds
from stopship.sources.uk_ofsi import OfsiConListCsv, OfsiConListXlsx

pytestmark = pytest.mark.integration


def _conlist_group_ids(path: Path) -> set[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = csv.reader(fh)
        next(rows)  # Last Updated
        header = next(rows)
        gi = header.index("Group ID")
        return {r[gi] for r in rows if len(r) > gi and r[gi].strip()}


@pytest.fixture(scope="module")
def conlist_csv(shared_lists: Path):  # type: ignore[no-untyped-def]
    files = OfsiConListCsv().discover(shared_lists / "uk")
    assert files is not None
    return files, OfsiConListCsv().parse(files)


def test_conlist_csv_counts(conlist_csv) -> None:  # type: ignore[no-untyped-def]
    files, ds = conlist_csv
    expected = _conlist_group_ids(files[0].path)
    assert len(expected) == 4688
    assert {e.record_id for e in ds.entities} == expected
    assert len(ds.entities) == len(expected)
    assert ds.published is not None and ds.published.isoformat() == "2025-04-14"


def test_conlist_spot_checks(conlist_csv) -> None:  # type: ignore[no-untyped-def]
    _, ds = conlist_csv
    ents = {e.id: e for e in ds.entities}
    alabuga = [e for e in ds.entities if any("ALABUGA" in n.value.upper() for n in e.names)]
    assert alabuga, "an Alabuga entity is on the April 2025 ConList"
    a = ents["uk:16407"]
    assert a.kind is EntityKind.ORGANIZATION
    assert a.caption.startswith("JOINT STOCK COMPANY ALABUGA SPECIAL ECONOMIC ZONE")
    assert any(
        n.type is NameType.ORIGINAL_SCRIPT and n.script == "Cyrl" and "АЛАБУГА" in n.value
        for n in a.names
    )
    assert a.properties["uk_sanctions_list_ref"] == ("RUS2080",)
    assert a.addresses[0].country == "RU" and a.addresses[0].postcode == "423600"
    p = ents["uk:14241"]
    assert p.kind is EntityKind.PERSON and p.caption == "Khizri Magomedovich ABAKAROV"
    cyr = [n for n in p.names if n.type is NameType.ORIGINAL_SCRIPT]
    assert cyr and cyr[0].value == "Хизри Магомедович Абакаров" and cyr[0].script == "Cyrl"
    assert p.birth_dates[0].start.isoformat() == "1960-06-28" and p.nationalities == ("RU",)
    assert p.gender == "male"
    assert "ABAKAROV,Khizri,Magomedovich" in p.raw


def test_conlist_xlsx_same_as_csv(shared_lists: Path, conlist_csv) -> None:  # type: ignore[no-untyped-def]
    _, csv_ds = conlist_csv
    files = OfsiConListXlsx().discover(shared_lists / "uk")
    assert files is not None and files[0].path.suffix == ".xlsx"
    ds = OfsiConListXlsx().parse(files)
    assert ds.published == csv_ds.published
    got = {e.id: [n.value for n in e.names] for e in ds.entities}
    want = {e.id: [n.value for n in e.names] for e in csv_ds.entities}
    assert got == want


_NS = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _ods_keys(path: Path) -> set[str]:
    """Distinct (OFSI group id or unique id) of the data rows, read with plain ElementTree."""
    with zipfile.ZipFile(path) as zf:
        root = ET.fromstring(zf.read("content.xml"))
    keys: set[str] = set()
    table = next(root.iter(f"{_NS}table"))
    for i, row in enumerate(table.iter(f"{_NS}table-row")):
        cells = ["".join(c.itertext()).strip() for c in row.findall(f"{_NS}table-cell")[:2]]
        if i == 0 or not any(cells):
            continue
        keys.add(cells[1] or cells[0])
    return keys


def test_summary_ods_counts(shared_lists: Path) -> None:
    files = FcdoSummaryOds().discover(shared_lists / "uk")
    assert files is not None
    ds = FcdoSummaryOds().parse(files)
    expected = _ods_keys(files[0].path)
    assert {e.record_id for e in ds.entities} == expected
    assert ds.published is not None and ds.published.isoformat() == "2025-08-11"
    ents = {e.id: e for e in ds.entities}
    a = ents["uk:16407"]
    assert "ALABUGA" in a.caption and a.programs == ("Russia",)
    assert a.properties["unique_id"] == ("RUS2080",)
    assert all(e.raw for e in ds.entities)
