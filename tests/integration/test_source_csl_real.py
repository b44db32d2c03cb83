"""CslCsv on the real trade.gov CSL samples in ../shared/lists (current and 2019 layouts)."""

from __future__ import annotations

import csv
from pathlib import Path

from stopship.model import EntityKind, IdType
from stopship.sources.base import SourceFile
from stopship.sources.csl import CslCsv, CslJson


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_discover_picks_current_sample(shared_lists: Path) -> None:
    found = CslCsv().discover(shared_lists)
    assert found is not None and found[0].path.name == "csl_sample_2025-06.csv"
    assert CslJson().discover(shared_lists) is None  # no real CSL JSON is held


def test_current_layout_sample(shared_lists: Path) -> None:
    path = shared_lists / "samples" / "csl_sample_2025-06.csv"
    rows = _rows(path)
    ds = CslCsv().parse([SourceFile(path, "csl")])
    assert len(ds.entities) == len(rows) == len({r["_id"] for r in rows})
    assert {e.record_id for e in ds.entities} == {r["_id"] for r in rows}
    assert not [i for i in ds.issues if "no name" in i.message]
    by = {e.id: e for e in ds.entities}

    rim = by["csl:52291"]
    assert rim.kind is EntityKind.PERSON and rim.caption == "RIM, Ryong Nam"
    assert rim.list_name == "Specially Designated Nationals (SDN) - Treasury Department"
    assert any(
        i.type is IdType.PASSPORT and i.value == "836238033" and i.country == "KP"
        for i in rim.identifiers
    )
    assert rim.gender == "male" and rim.nationalities == ("KP",)
    assert [b.raw for b in rim.birth_dates] == ["1978-12-05"]
    assert {a.country for a in rim.addresses} == {"CN", "KP"}

    cetc = by["csl:99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be"]
    assert cetc.list_name == "Entity List (EL) - Bureau of Industry and Security"
    aliases = [n.value for n in cetc.names[1:]]
    assert "HSRI" in aliases and "CETC Research Institute 13" in aliases
    assert len(cetc.addresses) == 1 and cetc.addresses[0].country == "CN"

    sme = by["csl:18283"]
    assert any(i.type is IdType.BIC and i.value == "RUDVRUMM" for i in sme.identifiers)
    assert any(i.type is IdType.OGRN and i.value == "1027739108649" for i in sme.identifiers)

    isn = by["csl:233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b"]
    assert isn.caption == "Sinobright Import and Export Company"
    text = path.read_bytes().decode("utf-8")
    assert all(e.raw in text for e in ds.entities)


def test_2019_layout_sample(shared_lists: Path) -> None:
    path = shared_lists / "samples" / "csl_sample_2019.csv"
    rows = _rows(path)
    ds = CslCsv().parse([SourceFile(path, "csl")])
    assert len(ds.entities) == len(rows)
    assert len({e.id for e in ds.entities}) == len(rows)
    with_number = {r["entity_number"] for r in rows if r["entity_number"]}
    assert with_number <= {e.record_id for e in ds.entities}
    by = {e.id: e for e in ds.entities}
    vessel = by["csl:23156"]
    assert vessel.kind is EntityKind.VESSEL and vessel.caption == "7-28"
    assert any(i.type is IdType.IMO and i.value == "8898831" for i in vessel.identifiers)
    assert vessel.countries == ("KP",)
    assert [r.target_name for r in vessel.relations] == ["YUSONG SHIPPING CO"]
    psa = by["csl:20264"]
    assert any(
        i.type is IdType.TAX_ID and i.value == "80-0890696" and i.country == "US"
        for i in psa.identifiers
    )
    dpl_rows = [e for e in ds.entities if e.caption == "AL NASER WINGS AIRLINES"]
    assert len(dpl_rows) == 2 and dpl_rows[0].id != dpl_rows[1].id
