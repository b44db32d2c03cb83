"""EuJournalCsv on the real OpenSanctions Official-Journal CSVs in ../shared/lists/eu."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from stopship.model import IdType, NameType
from stopship.sources.eu_journal import EuJournalCsv

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def folder(shared_lists: Path) -> Path:
    d = shared_lists / "eu" / "opensanctions_eu_journal_consolidated"
    if not d.is_dir():
        pytest.skip(f"{d} not found")
    return d


def test_real_journal_files(folder: Path, shared_lists: Path) -> None:
    # independent count: data rows of every non-empty CSV, read with the csv module
    expected = 0
    for p in sorted(folder.glob("*.csv")):
        with p.open(encoding="utf-8", newline="") as fh:
            expected += sum(1 for _ in csv.DictReader(fh))

    adapter = EuJournalCsv()
    files = adapter.discover(shared_lists)
    assert files is not None
    assert {f.path.parent for f in files} == {folder}
    ds = adapter.parse(files)
    assert len(ds.entities) == expected
    assert len({e.id for e in ds.entities}) == expected
    assert ds.published is None
    # every record is loaded; issues are few (unparseable dates, repeated unnumbered rows)
    assert len(ds.issues) < 50

    alabuga = next(
        e
        for e in ds.entities
        if e.caption == "JSC SEZ Alabuga" and e.properties["celex"] == ("32014R0833",)
    )
    assert alabuga.list_name == "Reg. 833/2014 Annex IV"
    orig = [n for n in alabuga.names if n.type is NameType.ORIGINAL_SCRIPT]
    assert orig and orig[0].script == "Cyrl"
    assert orig[0].value.startswith("Акционерное Общество «Особая Экономическая Зона")
    assert any(i.type is IdType.INN and i.value == "1646019914" for i in alabuga.identifiers)
    assert any(a.postcode == "423601" and a.country == "RU" for a in alabuga.addresses)
    assert "EU-RUS" in alabuga.programs

    # Reg. 269/2014 Annex I holds Cyrillic originals for many persons
    reg269 = [e for e in ds.entities if e.list_name == "Reg. 269/2014 Annex I"]
    assert len(reg269) > 2000
    cyr = sum(1 for e in reg269 for n in e.names if n.script == "Cyrl")
    assert cyr > 1000
