from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from stopship.errors import SourceFormatError
from stopship.model import Entity, EntityKind, IdType, NameType, Relation
from stopship.sources.base import ParsedDataset, SourceFile
from stopship.sources.ftm import KINDS, FtmJson


@pytest.fixture()
def os_dir(fixtures: Path) -> Path:
    return fixtures / "opensanctions"


@pytest.fixture()
def parsed(os_dir: Path) -> ParsedDataset:
    adapter = FtmJson()
    files = adapter.discover(os_dir)
    assert files is not None
    return adapter.parse(files)


def by_id(ds: ParsedDataset, rid: str) -> Entity:
    return next(e for e in ds.entities if e.record_id == rid)


def parse_text(tmp_path: Path, text: str | bytes, name: str = "x.ftm.json") -> ParsedDataset:
    p = tmp_path / name
    if isinstance(text, str):
        p.write_text(text, encoding="utf-8")
    else:
        p.write_bytes(text)
    return FtmJson().parse([SourceFile(p, "entities")])


def line(**obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False)


# --------------------------------------------------------------------------- discovery


def test_discover(os_dir: Path, tmp_path: Path) -> None:
    assert FtmJson.urls == {}  # CC BY-NC: never downloaded by default
    files = FtmJson().discover(os_dir)
    assert files == [SourceFile(os_dir / "entities.ftm.json", "entities")]
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "zala_2025-01.ftm.jsonl").write_text("{}\n")
    (tmp_path / "a" / "zala_2026-01.ftm.json").write_text("{}\n")
    (tmp_path / "entities.json").write_text("{}\n")  # CSL JSON or the like: not ours
    (tmp_path / "sdn.csv").write_text("x\n")
    files = FtmJson().discover(tmp_path)
    assert files is not None and files[0].path.name == "zala_2026-01.ftm.json"


def test_discover_absent(tmp_path: Path) -> None:
    (tmp_path / "consolidated.json").write_text("{}")
    assert FtmJson().discover(tmp_path) is None


# --------------------------------------------------------------------------- entities


def test_only_screenable_schemata(parsed: ParsedDataset) -> None:
    kinds = {e.record_id: e.kind for e in parsed.entities}
    assert kinds == {
        "NK-testperson1": EntityKind.PERSON,
        "NK-testco1": EntityKind.ORGANIZATION,
        "NK-testorg1": EntityKind.ORGANIZATION,
        "NK-testle1": EntityKind.ORGANIZATION,
        "NK-testpb1": EntityKind.ORGANIZATION,
        "NK-testvessel1": EntityKind.VESSEL,
        "NK-testplane1": EntityKind.AIRCRAFT,
        "NK-noname": EntityKind.PERSON,
    }
    assert parsed.adapter == "ftm_json"
    assert parsed.published is None
    assert all(e.id == f"opensanctions:{e.record_id}" for e in parsed.entities)
    assert set(KINDS) == {
        "Person",
        "Company",
        "Organization",
        "LegalEntity",
        "PublicBody",
        "Vessel",
        "Airplane",
    }


def test_person_names(parsed: ParsedDataset) -> None:
    e = by_id(parsed, "NK-testperson1")
    assert [(n.value, n.type, n.script) for n in e.names] == [
        ("Ivan Petrovich TESTOV", NameType.PRIMARY, "Latn"),  # the caption, one of the names
        ("TESTOV, Ivan Petrovich", NameType.STRONG_ALIAS, "Latn"),
        ("Иван Петрович Тестов", NameType.STRONG_ALIAS, "Cyrl"),
        ("Ivan Testoff", NameType.STRONG_ALIAS, "Latn"),
        ("Vanya", NameType.WEAK_ALIAS, "Latn"),
        ("Ivan Petrovich Starov", NameType.FORMER, "Latn"),
        ("Иван Петрович Старов", NameType.FORMER, "Cyrl"),
    ]


def test_person_fields(parsed: ParsedDataset) -> None:
    e = by_id(parsed, "NK-testperson1")
    assert [(b.precision, b.start, b.end, b.raw) for b in e.birth_dates] == [
        ("day", date(1970, 3, 5), date(1970, 3, 5), "1970-03-05"),
        ("year", date(1971, 1, 1), date(1971, 12, 31), "1971"),
        ("month", date(1972, 6, 1), date(1972, 6, 30), "1972-06"),
    ]
    assert e.birth_places == ("Testograd",)
    assert e.nationalities == ("RU", "XK")
    assert e.countries == ("RU",)
    assert e.properties["country_unmapped"] == ("suhh",)
    assert e.gender == "male"
    assert e.positions == ("Director General of Test Plant",)
    assert e.titles == ("Dr.",)
    assert e.remarks == ("Fictional person for tests.",)
    assert e.properties["topics"] == ("sanction", "role.oligarch")
    assert e.properties["datasets"] == ("us_ofac_sdn",)
    assert e.properties["target"] == ("true",)
    assert e.properties["firstName"] == ("Ivan",)  # unmapped props are kept
    assert e.list_name == "OpenSanctions"


def test_person_identifiers(parsed: ParsedDataset) -> None:
    e = by_id(parsed, "NK-testperson1")
    got = {(i.type, i.value, i.country) for i in e.identifiers}
    assert got == {
        (IdType.INN, "770000000001", "RU"),
        (IdType.TAX_ID, "TAX-1", None),
        (IdType.NATIONAL_ID, "ID-777", None),
        (IdType.PASSPORT, "4500 123456", None),
        (IdType.PASSPORT, "P-0001", "RU"),  # from the Passport entity (holder)
    }
    inn = next(i for i in e.identifiers if i.type is IdType.INN)
    assert inn.label == "innCode"


def test_sanctions_fold_into_programs_and_listing(parsed: ParsedDataset) -> None:
    e = by_id(parsed, "NK-testperson1")
    assert e.programs == ("US-TEST", "EU-TEST", "Test regime")
    assert e.listed_on == date(2021, 11, 2)  # earliest listingDate/startDate
    assert e.properties["sanction_authority"] == ("Council of the EU",)
    assert by_id(parsed, "NK-testco1").listed_on is None


def test_addresses(parsed: ParsedDataset) -> None:
    a1, a2 = by_id(parsed, "NK-testperson1").addresses
    assert (a1.street, a1.city, a1.postcode, a1.region, a1.country, a1.full) == (
        "1 Test Street",
        "Testograd",
        "101000",
        "Test Oblast",
        "RU",
        "1 Test Street, Testograd, 101000",
    )
    # the plain "address" string equal to the Address entity's full text is not repeated
    assert a2.full == "Testograd" and a2.street is None
    (c,) = by_id(parsed, "NK-testco1").addresses
    assert (c.city, c.country, c.country_name, c.note) == ("Testograd", None, "zz", "P.O. Box 5")


def test_company(parsed: ParsedDataset) -> None:
    e = by_id(parsed, "NK-testco1")
    assert e.caption == "OOO TESTPROM"
    assert [(n.value, n.type) for n in e.names] == [
        ("OOO TESTPROM", NameType.PRIMARY),
        ("ООО «ТЕСТПРОМ»", NameType.STRONG_ALIAS),
        ("Testprom LLC", NameType.STRONG_ALIAS),
    ]
    assert e.names[1].script == "Cyrl"
    ids = {i.type: i.value for i in e.identifiers}
    assert ids == {
        IdType.INN: "7700000002",
        IdType.OGRN: "1027700000002",
        IdType.KPP: "770001001",
        IdType.OKPO: "12345678",
        IdType.LEI: "2549001TESTLEI000001",
        IdType.BIC: "TESTRUMM",
        IdType.REGISTRATION: "REG-42",
        IdType.EMAIL: "info@testprom.example",
        IdType.WEBSITE: "testprom.example",
    }
    assert e.countries == ("RU",)  # jurisdiction
    assert e.remarks == ("Makes test widgets.",)
    assert e.properties["legalForm"] == ("LLC",)


def test_vessel_and_airplane(parsed: ParsedDataset) -> None:
    v = by_id(parsed, "NK-testvessel1")
    assert {(i.type, i.value) for i in v.identifiers} == {
        (IdType.IMO, "IMO9999999"),
        (IdType.MMSI, "273000000"),
        (IdType.CALL_SIGN, "UBTT"),
    }
    assert v.countries == ("RU",)  # flag
    assert [(n.value, n.type) for n in v.names][1] == ("OLD TESTER", NameType.FORMER)
    a = by_id(parsed, "NK-testplane1")
    assert {(i.type, i.value) for i in a.identifiers} == {
        (IdType.AIRCRAFT_TAIL, "RA-99999"),
        (IdType.AIRCRAFT_SERIAL, "SN-4242"),
    }
    assert a.properties["model"] == ("Test-100",)


def test_relations(parsed: ParsedDataset) -> None:
    p = by_id(parsed, "NK-testperson1")
    assert p.relations == (
        Relation(type="owner_of", target_name="OOO TESTPROM", target_id="opensanctions:NK-testco1"),
        Relation(
            type="director_of",
            target_name="Test Liberation Front",
            target_id="opensanctions:NK-testorg1",
        ),
        Relation(type="family_of", target_name=None, target_id="opensanctions:NK-noname"),
        Relation(
            type="associate_of", target_name="Test Holdings", target_id="opensanctions:NK-testle1"
        ),
    )
    c = by_id(parsed, "NK-testco1")
    assert c.relations == (
        Relation(
            type="owned_by",
            target_name="Ivan Petrovich TESTOV",
            target_id="opensanctions:NK-testperson1",
        ),
        # an owner that is not in the file: id kept, name unknown
        Relation(type="owned_by", target_name=None, target_id="opensanctions:NK-outside"),
        Relation(
            type="linked_to", target_name="TEST CARRIER", target_id="opensanctions:NK-testvessel1"
        ),
    )
    assert by_id(parsed, "NK-testorg1").relations[0].type == "directed_by"


def test_raw_is_the_json_line(parsed: ParsedDataset, os_dir: Path) -> None:
    lines = (os_dir / "entities.ftm.json").read_text(encoding="utf-8").splitlines()
    e = by_id(parsed, "NK-testvessel1")
    assert e.raw in lines
    assert json.loads(e.raw)["id"] == "NK-testvessel1"
    assert e.raw_format == "json"


def test_issues(parsed: ParsedDataset) -> None:
    e = by_id(parsed, "NK-noname")
    assert e.names == () and e.nationalities == ("RU",)
    msgs = [(i.line, i.record, i.message) for i in parsed.issues]
    assert (10, "NK-noname", "Person entity has no name") in msgs
    assert any(r == "NK-noname" and "birthDate" in m for _, r, m in msgs)
    assert any("1 addressEntity reference" in m for _, _, m in msgs)


# --------------------------------------------------------------------------- bad input


def test_bad_json_line(tmp_path: Path) -> None:
    good = line(id="a", schema="Person", properties={"name": ["A"]})
    with pytest.raises(SourceFormatError, match="malformed JSON") as err:
        parse_text(tmp_path, f"{good}\n{good[:-10]}\n")
    assert err.value.line == 2
    assert "x.ftm.json, line 2" in str(err.value)


def test_line_without_id_or_schema(tmp_path: Path) -> None:
    good = line(id="a", schema="Person", properties={"name": ["A"]})
    for bad in (line(schema="Person", properties={}), line(id="b", properties={})):
        with pytest.raises(SourceFormatError, match="missing 'id' or 'schema'") as err:
            parse_text(tmp_path, f"{good}\n\n{bad}\n")
        assert err.value.line == 3


def test_not_an_object(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError, match="not a JSON object") as err:
        parse_text(tmp_path, '[{"id": "a", "schema": "Person"}]\n')
    assert err.value.line == 1


def test_properties_not_an_object(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError, match="'properties'") as err:
        parse_text(tmp_path, line(id="a", schema="Person", properties=["x"]) + "\n")
    assert err.value.record == "a"


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(SourceFormatError, match="empty"):
        parse_text(tmp_path, "\n\n")


def test_wrong_encoding(tmp_path: Path) -> None:
    data = line(id="a", schema="Person", properties={"name": ["Zoë"]}).encode("utf-8")
    data = data.replace("ë".encode(), b"\xeb")
    with pytest.raises(SourceFormatError, match="not valid utf-8"):
        parse_text(tmp_path, data)


def test_non_target_only_file(tmp_path: Path) -> None:
    ds = parse_text(tmp_path, line(id="s", schema="Sanction", properties={"entity": ["x"]}))
    assert ds.entities == []


def test_duplicate_ids_reported(tmp_path: Path) -> None:
    a = line(id="a", schema="Company", properties={"name": ["First"]})
    b = line(id="a", schema="Company", properties={"name": ["Second"]})
    ds = parse_text(tmp_path, f"{a}\n{b}\n")
    assert [e.caption for e in ds.entities] == ["First"]
    assert any("duplicate" in i.message for i in ds.issues)
