"""OFAC legacy CSV sets (SDN and non-SDN consolidated) on small fictional fixtures."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from stopship.errors import SourceFormatError
from stopship.model import Entity, EntityKind, IdType, NameType
from stopship.sources.base import SourceFile
from stopship.sources.ofac_csv import OfacConsCsv, OfacSdnCsv, split_city_field

EOF = b"\x1a"


@pytest.fixture()
def sdn_dir(fixtures: Path) -> Path:
    return fixtures / "ofac" / "sdn"


@pytest.fixture()
def sdn(sdn_dir: Path) -> dict[str, Entity]:
    files = OfacSdnCsv().discover(sdn_dir)
    assert files is not None
    return {e.id: e for e in OfacSdnCsv().parse(files).entities}


def _write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _prim(path: Path) -> list[SourceFile]:
    return [SourceFile(path, "primary")]


# ----------------------------------------------------------------------------- discovery


def test_discover_download_names(sdn_dir: Path) -> None:
    files = OfacSdnCsv().discover(sdn_dir)
    assert files is not None
    assert {f.role: f.path.name for f in files} == {
        "primary": "sdn.csv",
        "alt": "alt.csv",
        "add": "add.csv",
        "comments": "sdn_comments.csv",
    }


def test_discover_newest_dated_copy_and_no_cons_files(tmp_path: Path, sdn_dir: Path) -> None:
    shutil.copy(sdn_dir / "sdn.csv", tmp_path / "sdn_2024-05-03.csv")
    shutil.copy(sdn_dir / "alt.csv", tmp_path / "alt_2025-12.csv")
    shutil.copy(sdn_dir / "alt.csv", tmp_path / "alt_2026-06.csv")
    sub = tmp_path / "cons"
    sub.mkdir()
    shutil.copy(sdn_dir / "alt.csv", sub / "cons_alt.csv")
    shutil.copy(sdn_dir / "sdn.csv", sub / "cons_prim.csv")
    files = OfacSdnCsv().discover(tmp_path)
    assert files is not None
    assert {f.role: f.path.name for f in files} == {
        "primary": "sdn_2024-05-03.csv",
        "alt": "alt_2026-06.csv",
    }
    cons = OfacConsCsv().discover(tmp_path)
    assert cons is not None
    assert {f.role: f.path.name for f in cons} == {
        "primary": "cons_prim.csv",
        "alt": "cons_alt.csv",
    }


def test_discover_absent_or_not_ofac(tmp_path: Path) -> None:
    assert OfacSdnCsv().discover(tmp_path) is None
    _write(tmp_path / "sdn.csv", b"name,country\nFoo,Bar\n")  # another publisher's sdn.csv
    assert OfacSdnCsv().discover(tmp_path) is None
    _write(tmp_path / "alt.csv", b'1,2,"aka","X",-0-\r\n\x1a')  # aliases alone: no dataset
    assert OfacSdnCsv().discover(tmp_path) is None


def test_urls_cover_download_names() -> None:
    assert set(OfacSdnCsv.urls) == {"sdn.csv", "alt.csv", "add.csv", "sdn_comments.csv"}
    assert OfacSdnCsv.urls["sdn.csv"].endswith("/exports/SDN.CSV")
    assert OfacConsCsv.urls["cons_prim.csv"].endswith("/exports/CONS_PRIM.CSV")


# ----------------------------------------------------------------------------- fields


def test_person_fields(sdn: dict[str, Entity]) -> None:
    e = sdn["ofac:1001"]
    assert e.source == "ofac" and e.record_id == "1001" and e.list_name == "SDN"
    assert e.kind is EntityKind.PERSON
    assert e.caption == "TESTOV, Ivan Petrovich"
    assert e.names[0].script == "Latn"
    aliases = {(n.value, n.type) for n in e.names[1:]}
    assert ("TESTOV, Vanya", NameType.STRONG_ALIAS) in aliases
    assert ("TESTOV; VANYA", NameType.STRONG_ALIAS) in aliases  # ';' inside the quotes
    assert e.programs == ("RUSSIA-EO14024", "SDGT")
    assert e.titles == ("Director",)
    assert [b.start for b in e.birth_dates] == [date(1978, 1, 28), date(1962, 1, 1)]
    assert e.birth_dates[0].precision == "day" and e.birth_dates[1].precision == "year"
    assert e.birth_places == ("Kazan, Russia",)
    assert e.nationalities == ("RU", "IR")
    assert e.gender == "male"
    pp = next(i for i in e.identifiers if i.type is IdType.PASSPORT)
    assert (pp.value, pp.country, pp.note) == ("753129173", "RU", "expires 29 Apr 2026")
    assert any(i.type is IdType.NATIONAL_ID and i.value == "9201745357" for i in e.identifiers)
    assert e.relations[0].type == "linked_to"
    assert e.relations[0].target_name == "FICTIONAL ZONE JSC"
    assert e.addresses[0].city == "Moscow" and e.addresses[0].country == "RU"
    assert e.remarks[0].startswith("DOB 28 Jan 1978; alt. DOB 1962;")
    assert e.raw_format == "csv"
    assert e.raw.splitlines()[0].startswith('1001,"TESTOV, Ivan Petrovich"')
    assert '1001,501,"aka","TESTOV, Vanya",-0-' in e.raw


def test_organization_with_overflow_comments(sdn: dict[str, Entity]) -> None:
    e = sdn["ofac:1002"]
    assert e.kind is EntityKind.ORGANIZATION
    # the comments row continues the Remarks field cut mid-word
    assert "Secondary sanctions risk: section 11" in e.remarks[0]
    assert e.properties["secondary_sanctions_risk"] == ("section 11 of Executive Order 14024.",)
    assert e.properties["listing_date"] == ("(EO 14024 Directive 3): 24 Feb 2022",)
    assert e.properties["organization_established_date"] == ("24 Jul 2006",)
    assert e.properties["organization_type"] == ("Industrial zone",)
    assert e.properties["unparsed_remarks"] == ("Some unknown remark about the zone",)
    ids = {(i.type, i.value) for i in e.identifiers}
    assert (IdType.INN, "1646019914") in ids
    assert (IdType.OGRN, "1061674037259") in ids
    assert (IdType.OKPO, "95427882") in ids
    assert (IdType.LEI, "253400FICTIONAL0001") in ids
    assert (IdType.BIC, "FICTRUMM") in ids
    assert (IdType.WEBSITE, "www.fictional.example") in ids
    assert (IdType.EMAIL, "info@fictional.example") in ids
    assert (IdType.PHONE, "74951234567") in ids
    inn = next(i for i in e.identifiers if i.type is IdType.INN)
    assert inn.label == "Tax ID No." and inn.country == "RU"
    assert [(r.type, r.target_name) for r in e.relations] == [("owned_by", "FICTIONAL HOLDING LLC")]
    names = {n.value: n for n in e.names}
    assert names["AO FZ"].type is NameType.STRONG_ALIAS
    assert names["OLD FICTIONAL ZONE"].type is NameType.FORMER
    assert names["OLD FICTIONAL ZONE"].note == "f.k.a.; until 2010"
    assert names["NEW FICTIONAL ZONE"].type is NameType.STRONG_ALIAS
    assert names["FICTIONAL SEZ"].type is NameType.FORMER  # from the overflow remarks
    a1, a2 = e.addresses
    assert (a1.street, a1.city, a1.region, a1.postcode, a1.country) == (
        "ul. Test 1",
        "Yelabuga",
        "Tatarstan",
        "423600",
        "RU",
    )
    assert a1.full == "ul. Test 1, Yelabuga, Tatarstan 423600, Russia"
    assert a2.region == "Volga federal region, Republic of Tatarstan"
    assert a2.note == "registered office"
    assert '1002,"nctions risk' in e.raw


def test_vessel_aircraft_and_latin1(sdn: dict[str, Entity]) -> None:
    v = sdn["ofac:1003"]
    assert v.kind is EntityKind.VESSEL
    ids = {(i.type, i.value) for i in v.identifiers}
    assert (IdType.CALL_SIGN, "ABCD1") in ids
    assert (IdType.IMO, "9187629") in ids
    assert (IdType.MMSI, "123456789") in ids
    assert v.properties["vessel_type"] == ("Crude Oil Tanker",)
    assert v.properties["tonnage"] == ("1,000",)
    assert v.properties["gross_registered_tonnage"] == ("2,000",)
    assert v.properties["former_vessel_flag"] == ("Malta",)
    assert v.countries == ("PA",)
    assert ("owned_by", "FICTIONAL SHIPPING CO") in {(r.type, r.target_name) for r in v.relations}
    assert v.addresses[0].country is None and v.addresses[0].country_name == "Atlantis"

    p = sdn["ofac:1004"]
    assert p.caption == "MÜLLER, Jörg"  # Windows-1252 decoded
    assert p.gender == "female" and p.nationalities == ("DE",)
    circa, rng = p.birth_dates
    assert circa.precision == "year" and circa.start == date(1970, 1, 1)
    assert circa.raw == "circa 1970"
    assert (rng.precision, rng.start, rng.end) == ("range", date(1960, 1, 1), date(1962, 12, 31))

    a = sdn["ofac:1005"]
    assert a.kind is EntityKind.AIRCRAFT
    ids = {(i.type, i.value) for i in a.identifiers}
    assert (IdType.AIRCRAFT_SERIAL, "1023409321") in ids
    assert (IdType.AIRCRAFT_TAIL, "EP-ABC") in ids
    assert a.properties["aircraft_model"] == ("A300B4",)


def test_missing_name_loaded_and_reported(sdn_dir: Path) -> None:
    files = OfacSdnCsv().discover(sdn_dir)
    assert files is not None
    ds = OfacSdnCsv().parse(files)
    e = next(x for x in ds.entities if x.id == "ofac:1006")
    assert e.names == ()
    wallet = next(i for i in e.identifiers if i.type is IdType.CRYPTO_WALLET)
    assert wallet.value == "1FictionalAddr123" and wallet.note == "currency XBT"
    nameless = [i for i in ds.issues if i.record == "1006"]
    assert len(nameless) == 1 and nameless[0].line == 6 and "no name" in nameless[0].message


def test_orphans_one_summary_issue_per_file(sdn_dir: Path) -> None:
    files = OfacSdnCsv().discover(sdn_dir)
    assert files is not None
    ds = OfacSdnCsv().parse(files)
    assert len(ds.entities) == 6
    alt = [i for i in ds.issues if i.path.endswith("alt.csv")]
    add = [i for i in ds.issues if i.path.endswith("add.csv")]
    assert len(alt) == 1 and "2 alt rows for 2 ent_nums" in alt[0].message
    assert len(add) == 1 and "1 add rows for 1 ent_nums" in add[0].message
    assert ds.published is None


def test_cons_set(fixtures: Path) -> None:
    files = OfacConsCsv().discover(fixtures / "ofac" / "cons")
    assert files is not None
    ds = OfacConsCsv().parse(files)
    by_id = {e.id: e for e in ds.entities}
    assert set(by_id) == {"ofac:2000", "ofac:2001"}
    bank = by_id["ofac:2000"]
    assert bank.list_name == "Non-SDN Consolidated"
    assert bank.programs == ("UKRAINE-EO13662", "RUSSIA-EO14024")
    assert [n.value for n in bank.names] == ["FICTIONAL BANK PJSC", "FB PJSC"]
    assert bank.addresses[0].postcode == "119021" and bank.addresses[0].city == "Moscow"
    assert bank.properties["target_type"] == ("Financial Institution",)
    # remarks "-0-" plus a comments row: the comments text is the remarks
    oil = by_id["ofac:2001"]
    assert oil.remarks == ("Tax ID No. 7700000000 (Russia).",)
    assert oil.identifiers[0].type is IdType.INN
    assert ds.issues == []


def test_primary_only(sdn_dir: Path) -> None:
    ds = OfacSdnCsv().parse(_prim(sdn_dir / "sdn.csv"))
    assert len(ds.entities) == 6
    assert all(len(e.addresses) == 0 for e in ds.entities)


def test_vintage_mismatch_reported(tmp_path: Path, sdn_dir: Path) -> None:
    shutil.copy(sdn_dir / "sdn.csv", tmp_path / "sdn_2024-05-03.csv")
    shutil.copy(sdn_dir / "alt.csv", tmp_path / "alt_2026-06.csv")
    files = OfacSdnCsv().discover(tmp_path)
    assert files is not None
    issues = OfacSdnCsv().parse(files).issues
    assert any("different dates" in i.message for i in issues)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Yelabuga, Tatarstan 423600", ("Yelabuga", "Tatarstan", "423600")),
        ("Dolgoprudnyy 141707", ("Dolgoprudnyy", None, "141707")),
        ("Hong Kong", ("Hong Kong", None, None)),
        ("London SW1A 1AA", ("London", None, "SW1A 1AA")),
        ("119049 Moscow", ("Moscow", None, "119049")),
    ],
)
def test_split_city_field(value: str, expected: tuple[str | None, ...]) -> None:
    assert split_city_field(value) == expected


# ----------------------------------------------------------------------------- bad input

ROW = b'1,"X","individual","SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n'


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty"),
        (b"\x1a", "empty"),
        (ROW + b'2,"Y","individual","SDGT",-0- ,-0- ,-0- ,"tru', "malformed CSV"),
        (ROW + b'2,"Y","individual","SDGT",-0- ,-0- \r\n\x1a', "expected 12 fields"),
        (b'1,501,"aka","TESTOV, Vanya",-0- \r\n\x1a', "expected 12 fields"),
        (ROW.replace(b'"X"', b'"\x81X"') + EOF, "not valid"),
        ("1,X\r\n".encode("utf-16"), "NUL bytes"),
        (ROW.replace(b"1,", b"A1,", 1) + EOF, "is not a number"),
        (ROW + EOF + ROW, "after the end-of-file marker"),
    ],
)
def test_bad_primary_file(tmp_path: Path, data: bytes, fragment: str) -> None:
    path = _write(tmp_path / "sdn.csv", data)
    with pytest.raises(SourceFormatError) as exc:
        OfacSdnCsv().parse(_prim(path))
    assert fragment in str(exc.value)
    assert str(path) in str(exc.value)


def test_bad_row_line_number(tmp_path: Path) -> None:
    path = _write(tmp_path / "sdn.csv", ROW + ROW.replace(b"1,", b"2,", 1)[:30] + b"\r\n" + EOF)
    with pytest.raises(SourceFormatError) as exc:
        OfacSdnCsv().parse(_prim(path))
    assert exc.value.line == 2


def test_bad_alias_file(tmp_path: Path) -> None:
    prim = _write(tmp_path / "sdn.csv", ROW + EOF)
    alt = _write(tmp_path / "alt.csv", ROW + EOF)  # an sdn row where aliases belong
    with pytest.raises(SourceFormatError, match="expected 5 fields"):
        OfacSdnCsv().parse([SourceFile(prim, "primary"), SourceFile(alt, "alt")])


def test_duplicate_ent_num_reported(tmp_path: Path) -> None:
    path = _write(tmp_path / "sdn.csv", ROW + ROW + EOF)
    ds = OfacSdnCsv().parse(_prim(path))
    assert len(ds.entities) == 1
    assert ds.issues[0].line == 2 and "duplicate" in ds.issues[0].message


def test_header_row_tolerated(tmp_path: Path) -> None:
    header = b"ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,Tonnage,GRT,"
    header += b"Vess_flag,Vess_owner,Remarks\r\n"
    path = _write(tmp_path / "sdn.csv", header + ROW + EOF)
    assert [e.id for e in OfacSdnCsv().parse(_prim(path)).entities] == ["ofac:1"]
