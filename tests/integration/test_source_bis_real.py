"""BisDplTxt and BisMieuCsv on the real files in ../shared/lists."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from stopship.model import EntityKind, NameType
from stopship.sources.base import SourceFile
from stopship.sources.bis_dpl import BisDplTxt
from stopship.sources.bis_mieu import BisMieuCsv


def test_dpl_2019(shared_lists: Path) -> None:
    found = BisDplTxt().discover(shared_lists)
    assert found is not None and found[0].path.name == "bis_dpl_2019.txt"
    path = found[0].path
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    header, body = rows[0], [r for r in rows[1:] if r]
    assert header[0] == "Name" and header[-1] == "FR_Citation"

    ds = BisDplTxt().parse(found)
    assert len(ds.entities) == len(body)
    assert len({e.id for e in ds.entities}) == len(body)
    assert ds.published == date(2019, 6, 12)
    assert any("3017-08-22" in i.message for i in ds.issues)

    by_name: dict[str, list[object]] = {}
    for e in ds.entities:
        by_name.setdefault(e.caption, []).append(e)
    fuyi = next(e for e in ds.entities if e.caption == "FUYI SUN")
    assert [(n.value, n.type) for n in fuyi.names][1] == ("FRANK SUN", NameType.STRONG_ALIAS)
    ash = next(e for e in ds.entities if e.caption == "I. ASH")
    assert ash.addresses[0].country == "US" and ash.addresses[0].city == "SEAGOVILLE"
    assert ash.listed_on == date(2003, 6, 19)
    assert len(by_name["ALEX WU"]) == 2  # same person, two address rows, two ids
    airline = next(e for e in ds.entities if e.caption == "AL NASER WINGS AIRLINES")
    assert airline.kind is EntityKind.ORGANIZATION
    text = path.read_bytes().decode("utf-8")
    assert all(e.raw in text for e in ds.entities)


def test_mieu(shared_lists: Path) -> None:
    found = BisMieuCsv().discover(shared_lists)
    assert found is not None and found[0].path.name == "bis_mieu_opensanctions.csv"
    with found[0].path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    ds = BisMieuCsv().parse([SourceFile(found[0].path, "mieu")])
    assert len(ds.entities) == len(rows) == 13
    assert not ds.issues
    gru = next(e for e in ds.entities if e.caption == "Main Intelligence Directorate")
    assert gru.id == "csl:mieu-main-intelligence-directorate"
    assert gru.countries == ("RU",) and [n.value for n in gru.names] == [
        "Main Intelligence Directorate",
        "GRU",
    ]
    assert all(e.kind is EntityKind.ORGANIZATION for e in ds.entities)
