"""OFAC CONSOLIDATED.XML adapter on the real file in ../shared/lists/ofac."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.etree import ElementTree

import pytest

from stopship.model import IdType, NameType
from stopship.sources.ofac_xml import OfacConsXml, OfacSdnXml

pytestmark = pytest.mark.integration

REAL = "CONSOLIDATED_nonSDN_2026-01-08.xml"


def _distinct_uids(path: Path) -> set[str]:
    root = ElementTree.parse(path).getroot()
    uids = set()
    for entry in root:
        if entry.tag.rsplit("}", 1)[-1] == "sdnEntry":
            uid = next(c for c in entry if c.tag.rsplit("}", 1)[-1] == "uid")
            uids.add((uid.text or "").strip())
    return uids


def test_consolidated_xml(shared_lists: Path) -> None:
    assert OfacSdnXml().discover(shared_lists) is None  # no SDN.XML here: not claimed
    files = OfacConsXml().discover(shared_lists)
    assert files is not None and [f.path.name for f in files] == [REAL]
    ds = OfacConsXml().parse(files)
    assert ds.published == date(2026, 1, 8)
    expected = _distinct_uids(shared_lists / "ofac" / REAL)
    assert len(expected) == 442
    assert {e.id for e in ds.entities} == {f"ofac:{u}" for u in expected}
    assert ds.issues == []
    by_id = {e.id: e for e in ds.entities}

    sber = by_id["ofac:17018"]
    assert sber.caption == "PUBLIC JOINT STOCK COMPANY SBERBANK OF RUSSIA"
    assert sber.list_name == "Non-SDN Consolidated"
    assert any(i.type is IdType.INN and i.value == "7707083893" for i in sber.identifiers)
    assert any(i.type is IdType.OGRN and i.value == "1027700132195" for i in sber.identifiers)
    assert "RUSSIA-EO14024" in sber.programs
    assert sber.raw.startswith("<sdnEntry>") and "<uid>17018</uid>" in sber.raw

    haniya = by_id["ofac:9639"]
    assert haniya.caption == "HANIYA, Ismail Abdul Salah"
    assert haniya.birth_dates[0].start == date(1962, 1, 1)
    assert haniya.birth_places == ("Shati",)

    weak = [n for e in ds.entities for n in e.names if n.type is NameType.WEAK_ALIAS]
    assert weak  # the XML marks weak aliases (the CSV cannot)
    linked = [e for e in ds.entities if any(r.type == "linked_to" for r in e.relations)]
    assert len(linked) > 100


def test_xml_and_csv_agree_on_ids(shared_lists: Path) -> None:
    from stopship.sources.ofac_csv import OfacConsCsv

    csv_files = OfacConsCsv().discover(shared_lists / "ofac")
    xml_files = OfacConsXml().discover(shared_lists / "ofac")
    assert csv_files is not None and xml_files is not None
    csv_ids = {e.id for e in OfacConsCsv().parse(csv_files).entities}
    xml_ids = {e.id for e in OfacConsXml().parse(xml_files).entities}
    assert csv_ids == xml_ids
