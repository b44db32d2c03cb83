"""CslCsv / CslJson on small fictional fixtures in the trade.gov CSL formats."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from stopship.errors import SourceFormatError
from stopship.model import EntityKind, IdType, NameType
from stopship.sources.base import ParsedDataset, SourceFile
from stopship.sources.csl import CslCsv, CslJson, disambiguate, parse_birth_date, split_id_item


def _parse_csv(path: Path) -> ParsedDataset:
    return CslCsv().parse([SourceFile(path, "csl")])


def _parse_json(path: Path) -> ParsedDataset:
    return CslJson().parse([SourceFile(path, "csl")])


@pytest.fixture()
def d(fixtures: Path) -> Path:
    return fixtures / "csl"


# --------------------------------------------------------------------------- CSV, current layout


def test_current_layout_ids_kinds_and_list_names(d: Path) -> None:
    ds = _parse_csv(d / "consolidated_2025-06.csv")
    by = {e.id: e for e in ds.entities}
    assert len(ds.entities) == 7
    assert ds.published is None
    sdn = by["csl:90001"]
    assert sdn.source == "csl" and sdn.record_id == "90001"
    assert sdn.kind is EntityKind.PERSON
    assert sdn.list_name == "Specially Designated Nationals (SDN) - Treasury Department"
    assert by["csl:90002"].kind is EntityKind.VESSEL
    assert by["csl:90003"].kind is EntityKind.ORGANIZATION
    assert by["csl:f00dfeedf00dfeedf00dfeedf00dfeed"].kind is EntityKind.UNKNOWN  # empty type


def test_current_layout_person_fields(d: Path) -> None:
    e = {x.id: x for x in _parse_csv(d / "consolidated_2025-06.csv").entities}["csl:90001"]
    assert [(n.value, n.type, n.script) for n in e.names] == [
        ("KOVALENKO, Ivo Petrovich", NameType.PRIMARY, "Latn"),
        ("KOVALENKO, Ivo", NameType.STRONG_ALIAS, "Latn"),
        ("Іво КОВАЛЕНКО", NameType.STRONG_ALIAS, "Cyrl"),
    ]
    assert e.programs == ("NPWMD", "IRAN")
    assert e.titles == ("Director of Procurement",)
    assert e.gender == "male"
    assert e.nationalities == ("KP", "UA")  # nationalities then citizenships
    assert e.properties["citizenships"] == ("UA",)
    assert e.birth_places == ("Kyiv, Ukraine",)
    assert [(b.precision, b.start, b.end) for b in e.birth_dates] == [
        ("day", date(1978, 12, 5), date(1978, 12, 5)),
        ("year", date(1974, 1, 1), date(1974, 12, 31)),
        ("year", date(1975, 1, 1), date(1975, 12, 31)),
        ("month", date(1960, 5, 1), date(1960, 5, 31)),
        ("year", date(1961, 1, 1), date(1961, 12, 31)),
    ]
    assert e.properties["dates_of_birth"] == ("unknown",)
    ids = {(i.type, i.value, i.country) for i in e.identifiers}
    assert ids == {
        (IdType.PASSPORT, "836238033", "KP"),
        (IdType.INN, "7701234567", "RU"),
        (IdType.WEBSITE, "example.invalid", None),
    }
    assert e.properties["Secondary sanctions risk"] == (
        "North Korea Sanctions Regulations, sections 510.201 and 510.210",
    )
    assert [(a.full, a.country) for a in e.addresses] == [
        ("Shenyang, CN", "CN"),
        ("Pyongyang, KP", "KP"),
    ]
    assert [(r.type, r.target_name) for r in e.relations] == [
        ("linked_to", "ACME BOGUS TRADING LLC")
    ]
    assert e.remarks == ("Linked To: ACME BOGUS TRADING LLC.",)


def test_current_layout_vessel_org_and_bis_rows(d: Path) -> None:
    by = {x.id: x for x in _parse_csv(d / "consolidated_2025-06.csv").entities}
    v = by["csl:90002"]
    assert {(i.type, i.value) for i in v.identifiers} == {
        (IdType.IMO, "9999991"),
        (IdType.MMSI, "123456789"),
        (IdType.CALL_SIGN, "HOQX1"),
    }
    assert v.countries == ("IR",)
    assert v.properties["vessel_type"] == ("Crude Oil Tanker",)
    assert v.properties["Former Vessel Flag"] == ("Panama",)
    assert ("owned_by", "ACME BOGUS SHIPPING CO") in [(r.type, r.target_name) for r in v.relations]
    org = by["csl:90003"]
    assert {(i.type, i.value) for i in org.identifiers} == {
        (IdType.OGRN, "1027700132195"),
        (IdType.BIC, "BOGURUMM"),
        (IdType.OKPO, "00032520"),
    }
    assert org.properties["Executive Order 13662 Directive Determination"] == (
        "Subject to Directive 1",
        "Subject to Directive 2",
    )
    el = by["csl:f00dfeedf00dfeedf00dfeedf00dfeed"]
    assert [n.value for n in el.names][1:] == [
        "NQRI",
        "Northwind Quartz Institute",
        "Fictown Research Institute 13",  # leading "and " dropped
    ]
    assert len(el.addresses) == 2  # the "; and 9 Lantern Street" item continues the first
    assert el.addresses[0].country == "CN" and el.addresses[0].full is not None
    assert el.addresses[0].full.startswith("7 Lantern Road") and "9 Lantern Street" in (
        el.addresses[0].full
    )
    assert el.listed_on == date(2018, 8, 1)
    assert el.properties["license_policy"] == ("Presumption of denial.",)
    assert el.properties["federal_register_notice"] == ("83 FR 11111; 87 FR 22222",)
    isn = by["csl:a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c"]
    assert isn.caption == "Zephyrine Import and Export Company"
    assert isn.remarks == ("and any successor, sub-unit, or subsidiary thereof",)


def test_current_layout_raw_is_verbatim_incl_multiline(d: Path) -> None:
    path = d / "consolidated_2025-06.csv"
    text = path.read_bytes().decode("utf-8")
    ds = _parse_csv(path)
    for e in ds.entities:
        assert e.raw_format == "csv"
        assert e.raw in text
    v = {x.id: x for x in ds.entities}["csl:90002"]
    assert "SHIPPING CO)\nSecond remark line." in v.raw
    assert v.raw.startswith('"90002"') and v.raw.endswith('Former Vessel Flag, Panama"')


def test_missing_name_and_unknown_type_are_issues(d: Path) -> None:
    ds = _parse_csv(d / "consolidated_2025-06.csv")
    nameless = {x.id: x for x in ds.entities}["csl:5555aaaa"]
    assert nameless.names == () and nameless.addresses[0].country == "TR"
    msgs = [(i.line, i.record, i.message) for i in ds.issues]
    assert (7, "5555aaaa", "record has no name; loaded under its id") in msgs
    assert any(r == "7777bbbb" and "unknown record type" in m for _, r, m in msgs)
    assert any(r == "90001" and "unknown" in m for _, r, m in msgs)


# --------------------------------------------------------------------------- CSV, 2019 layout


def test_2019_layout_ids(d: Path) -> None:
    ds = _parse_csv(d / "csl_2019.csv")
    ids = [e.id for e in ds.entities]
    assert len(ids) == len(set(ids)) == 5
    assert "csl:80001" in ids and "csl:80002" in ids  # entity_number when present
    hashed = [i for i in ids if i.startswith("csl:h-")]
    assert len(hashed) == 3
    # the two GLIMMER WINGS rows share source+name: disambiguated by their addresses
    glimmer = [e for e in ds.entities if e.caption == "GLIMMER WINGS AIRLINES"]
    assert len({e.id.rsplit("-", 1)[0] for e in glimmer}) == 1
    assert _parse_csv(d / "csl_2019.csv").entities[1].id == ds.entities[1].id  # stable


def test_2019_layout_id_items(d: Path) -> None:
    e = {x.id: x for x in _parse_csv(d / "csl_2019.csv").entities}["csl:80001"]
    assert {(i.type, i.value, i.country) for i in e.identifiers} == {
        (IdType.TAX_ID, "80-0000000", "US"),
        (IdType.TAX_ID, "5030056754", None),
        (IdType.IMO, "8898831", None),
        (IdType.WEBSITE, "http://www.mock.invalid", None),
    }
    assert "Secondary sanctions risk" in e.properties
    p = {x.id: x for x in _parse_csv(d / "csl_2019.csv").entities}["csl:80002"]
    assert [b.raw for b in p.birth_dates] == ["1974", "1975"]
    first = _parse_csv(d / "csl_2019.csv").entities[0]
    assert first.caption == "ZARA QUILLFEATHER"  # leading space cleaned
    assert first.raw.startswith("Denied Persons List (DPL)")


def test_split_id_item_layouts() -> None:
    a = split_id_item("Passport, 836238033, KP", "current")
    assert a is not None and (a.label, a.value, a.country) == ("Passport", "836238033", "KP")
    b = split_id_item("US, 80-0890696, Tax ID No.", "2019")
    assert b is not None and (b.label, b.value, b.country) == ("Tax ID No.", "80-0890696", "US")
    c = split_id_item("Secondary sanctions risk:, Regs, sections 1 and 2", "current")
    assert c is not None and c.value == "Regs, sections 1 and 2" and c.country is None


def test_birth_date_forms() -> None:
    bd = parse_birth_date("1960 to 1962")
    assert bd is not None and (bd.precision, bd.start, bd.end) == (
        "range",
        date(1960, 1, 1),
        date(1962, 12, 31),
    )
    bd2 = parse_birth_date("05 Dec 1978")
    assert bd2 is not None and bd2.start == date(1978, 12, 5)
    assert parse_birth_date("1978-02-30") is None
    assert parse_birth_date("sometime") is None


def test_disambiguate_is_deterministic() -> None:
    out = disambiguate(["a", "b", "a", "a"], ["x", "y", "z", "z"])
    assert out[1] == "b"
    assert out[0].startswith("a-") and out[2].startswith("a-") and out[0] != out[2]
    assert out[3] == out[2] + "-2"


# --------------------------------------------------------------------------- discovery


def test_discover_prefers_newest_and_ignores_other_formats(d: Path, tmp_path: Path) -> None:
    for f in ("consolidated_2025-06.csv", "csl_2019.csv", "bis_mieu_sample.csv", "dpl.txt"):
        shutil.copy(d / f, tmp_path / f)
    (tmp_path / "consolidated_2026-01.csv").write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    found = CslCsv().discover(tmp_path)
    assert found is not None and found[0].path.name == "consolidated_2025-06.csv"
    assert CslJson().discover(tmp_path) is None
    (tmp_path / "consolidated.csv").write_bytes((d / "csl_2019.csv").read_bytes())
    found2 = CslCsv().discover(tmp_path)
    assert found2 is not None and found2[0].path.name == "consolidated_2025-06.csv"
    assert CslCsv().discover(tmp_path / "missing") is None


def test_urls_match_discovery() -> None:
    assert CslCsv.urls == {
        "consolidated.csv": (
            "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv"
        )
    }
    assert list(CslJson.urls) == ["consolidated.json"]


def test_discover_official_filenames(d: Path, tmp_path: Path) -> None:
    shutil.copy(d / "consolidated_2025-06.csv", tmp_path / "consolidated.csv")
    shutil.copy(d / "consolidated.json", tmp_path / "consolidated.json")
    a, b = CslCsv().discover(tmp_path), CslJson().discover(tmp_path)
    assert a is not None and a[0].path.name == "consolidated.csv"
    assert b is not None and b[0].path.name == "consolidated.json"


# --------------------------------------------------------------------------- bad CSV input


def test_csv_bad_inputs(d: Path, tmp_path: Path) -> None:
    good = (d / "consolidated_2025-06.csv").read_text(encoding="utf-8")
    cases = {
        "empty.csv": b"",
        "wrong_header.csv": b"Name,Street_Address,City\nA,B,C\n",
        "truncated.csv": good[: good.index("SEA LANTERN") + 30].encode("utf-8"),
        "short_row.csv": (good.splitlines()[0] + '\r\n"x","y"\r\n').encode("utf-8"),
        "latin1.csv": good.replace("Іво КОВАЛЕНКО", "Zoë").encode("latin-1"),
    }
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(SourceFormatError) as exc:
            _parse_csv(p)
        assert exc.value.path == str(p), name
    with pytest.raises(SourceFormatError) as exc2:
        _parse_csv(tmp_path / "short_row.csv")
    assert exc2.value.line == 2


def test_duplicate_publisher_id_is_reported(d: Path, tmp_path: Path) -> None:
    lines = (d / "consolidated_2025-06.csv").read_bytes().decode("utf-8").split("\r\n")
    p = tmp_path / "dup.csv"
    p.write_bytes("\r\n".join([lines[0], lines[1], lines[1]]).encode("utf-8"))
    ds = _parse_csv(p)
    assert [e.record_id for e in ds.entities][1].endswith("-2")
    assert any("duplicate record id" in i.message for i in ds.issues)


# --------------------------------------------------------------------------- JSON


def test_json_fields(d: Path) -> None:
    ds = _parse_json(d / "consolidated.json")
    assert ds.published == date(2025, 6, 24)
    assert len(ds.entities) == 3
    by = {e.id: e for e in ds.entities}
    p = by["csl:90001"]
    assert p.kind is EntityKind.PERSON and p.gender == "male"
    a0, a1 = p.addresses
    assert (a0.street, a0.city, a0.postcode, a0.country) == (
        "4th Floor, 1 Mock Wharf",
        "London",
        "E14 0AA",
        "GB",
    )
    assert (a1.city, a1.country, a1.country_name) == ("Atlantis", None, "Atlantis")
    passport = next(i for i in p.identifiers if i.type is IdType.PASSPORT)
    assert (passport.value, passport.country) == ("836238033", "KP")
    assert passport.note == "issued 2015-01-01; expires 2025-01-01"
    assert any(i.type is IdType.BIC and i.value == "MOCKGB2L" for i in p.identifiers)
    assert p.listed_on == date(2024, 3, 1)
    el = by["csl:b6e959b59898e975daaae8fae3a8da1ec522f9f888cafc0e6401a16d"]
    assert el.kind is EntityKind.UNKNOWN and el.identifiers == () and len(el.names) == 1
    assert el.list_name == "Entity List (EL) - Bureau of Industry and Security"
    isn = by["csl:2446250b"]
    assert isn.countries == ("TH",)
    assert [n.type for n in isn.names] == [NameType.STRONG_ALIAS]  # no primary name
    assert any(i.record == "2446250b" and "no name" in i.message for i in ds.issues)


def test_json_raw_is_verbatim(d: Path) -> None:
    path = d / "consolidated.json"
    text = path.read_text(encoding="utf-8")
    for e in _parse_json(path).entities:
        assert e.raw_format == "json" and e.raw in text
        assert e.raw.startswith("{") and e.raw.endswith("}")


def test_json_bad_inputs(d: Path, tmp_path: Path) -> None:
    good = (d / "consolidated.json").read_text(encoding="utf-8")
    cases = {
        "empty.json": b"   \n",
        "truncated.json": good[: len(good) // 2].encode("utf-8"),
        "not_object.json": b'[{"source": "x"}]',
        "no_results.json": b'{"total": 0, "items": []}',
        "wrong_list.json": b'{"results": [{"schema": "Person", "id": "x"}]}',
        "trailing.json": (good + "{}").encode("utf-8"),
        "latin1.json": good.replace("Kyiv", "Kÿiv").encode("latin-1"),
        "broken.json": good.replace('"name": "Fictional', '"name" "Fictional').encode("utf-8"),
    }
    for name, data in cases.items():
        p = tmp_path / name
        p.write_bytes(data)
        with pytest.raises(SourceFormatError) as exc:
            _parse_json(p)
        assert exc.value.path == str(p), name
    with pytest.raises(SourceFormatError) as exc2:
        _parse_json(tmp_path / "broken.json")
    assert exc2.value.line == 6
