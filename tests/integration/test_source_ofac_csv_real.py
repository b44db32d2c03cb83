"""OFAC CSV adapters on the real files in ../shared/lists/ofac."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from stopship.model import Entity, IdType
from stopship.sources.ofac_csv import OfacConsCsv, OfacSdnCsv
from stopship.sources.ofac_remarks import split_items

pytestmark = pytest.mark.integration


def _distinct_ent_nums(path: Path) -> set[str]:
    text = path.read_bytes().decode("cp1252").rstrip("\x1a\r\n")
    return {row[0] for row in csv.reader(io.StringIO(text, newline="")) if row}


@pytest.fixture(scope="module")
def sdn(shared_lists: Path) -> tuple[list[Path], dict[str, Entity], int]:
    files = OfacSdnCsv().discover(shared_lists / "ofac")
    assert files is not None
    ds = OfacSdnCsv().parse(files)
    return [f.path for f in files], {e.id: e for e in ds.entities}, len(ds.issues)


def test_sdn_discovers_newest_of_each_role(
    sdn: tuple[list[Path], dict[str, Entity], int],
) -> None:
    assert sorted(p.name for p in sdn[0]) == [
        "add_2026-06.csv",
        "alt_2026-06.csv",
        "sdn_2024-05-03.csv",
        "sdn_comments_2025-12.csv",
    ]


def test_sdn_count(shared_lists: Path, sdn: tuple[list[Path], dict[str, Entity], int]) -> None:
    expected = _distinct_ent_nums(shared_lists / "ofac" / "sdn_2024-05-03.csv")
    assert len(expected) > 10_000
    assert set(sdn[1]) == {f"ofac:{n}" for n in expected}


def test_alabuga(sdn: tuple[list[Path], dict[str, Entity], int]) -> None:
    e = sdn[1]["ofac:45708"]
    assert "ALABUGA" in e.caption and "SPECIAL ECONOMIC ZONE OF INDUSTRIAL PRODUCTION" in e.caption
    aliases = {n.value for n in e.names[1:]}
    assert "AO OEZ PPT ALABUGA" in aliases
    assert (
        "AKTSIONERNOE OBSHCHESTVO OSOBAYA EKONOMICHESKAYA ZONA PROMYSHLENNO-PROIZVODSTVENNOGO "
        "TIPA ALABUGA" in aliases
    )
    assert len(e.addresses) == 2
    assert all(a.city == "Yelabuga" and a.postcode == "423600" for a in e.addresses)
    assert all(a.country == "RU" for a in e.addresses)
    assert any(i.type is IdType.INN and i.value == "1646019914" for i in e.identifiers)
    assert any(i.type is IdType.OGRN and i.value == "1061674037259" for i in e.identifiers)


def test_shagivaleev(sdn: tuple[list[Path], dict[str, Entity], int]) -> None:
    e = sdn[1]["ofac:45710"]
    assert e.caption == "SHAGIVALEEV, Timur Nailevich"
    assert [b.start for b in e.birth_dates] == [date(1978, 1, 28)]
    assert e.birth_dates[0].precision == "day"
    assert any(i.type is IdType.PASSPORT and i.country == "RU" for i in e.identifiers)
    assert e.nationalities == ("RU",)
    assert e.gender == "male"
    link = next(r for r in e.relations if r.type == "linked_to")
    assert link.target_name is not None and "ALABUGA" in link.target_name


def test_remarks_mostly_structured(sdn: tuple[list[Path], dict[str, Entity], int]) -> None:
    ents = sdn[1].values()
    items = sum(len(split_items(e.remarks[0])) for e in ents if e.remarks)
    unparsed = sum(len(e.properties.get("unparsed_remarks", ())) for e in ents)
    assert items > 50_000
    assert unparsed < 0.05 * items  # unknown items are kept, but they should be rare
    assert sum(1 for e in ents if e.birth_dates) > 5_000


def test_cons_count_and_spot_check(shared_lists: Path) -> None:
    files = OfacConsCsv().discover(shared_lists / "ofac")
    assert files is not None
    assert {f.path.name for f in files} == {
        "cons_prim_2025-12.csv",
        "cons_alt_2025-12.csv",
        "cons_add_2025-12.csv",
        "cons_comments_2025-12.csv",
    }
    ds = OfacConsCsv().parse(files)
    expected = _distinct_ent_nums(shared_lists / "ofac" / "cons_prim_2025-12.csv")
    assert {e.id for e in ds.entities} == {f"ofac:{n}" for n in expected}
    assert ds.issues == []  # one consistent set: no orphans
    sber = next(e for e in ds.entities if e.id == "ofac:17018")
    # the Remarks field cut at 1000 characters continues in cons_comments.csv
    assert "Listing Date (EO 14024 Directive 2): 24 Feb 2022" in sber.remarks[0]
    assert any(i.type is IdType.INN and i.value == "7707083893" for i in sber.identifiers)
    assert any(i.type is IdType.BIC and i.value == "SABRRUMM" for i in sber.identifiers)
    assert "SBERBANK INDIA" in {n.value for n in sber.names}
