"""EU Official Journal annex CSVs (OpenSanctions transcription) on fictional fixtures."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from stopship.errors import SourceFormatError
from stopship.model import EntityKind, IdType, NameType
from stopship.sources.base import ParsedDataset, SourceFile
from stopship.sources.eu_journal import (
    EuJournalCsv,
    address,
    birth_dates,
    list_name,
    name_values,
    nationalities,
)


@pytest.fixture()
def journal(fixtures: Path) -> Path:
    return fixtures / "eu" / "journal"


def _parse(journal: Path) -> ParsedDataset:
    a = EuJournalCsv()
    files = a.discover(journal)
    assert files is not None
    return a.parse(files)


def test_discover_claims_only_journal_csvs(journal: Path, fixtures: Path, tmp_path: Path) -> None:
    files = EuJournalCsv().discover(fixtures / "eu")
    assert files is not None
    assert [f.path.name for f in files] == ["32014R0269.csv", "32014R0833.csv", "32015R1755.csv"]
    (tmp_path / "other.csv").write_text("a,b,c\n1,2,3\n")
    shutil.copy(fixtures / "eu" / "eu_fsf.csv", tmp_path / "eu_fsf.csv")
    assert EuJournalCsv().discover(tmp_path) is None
    assert EuJournalCsv.urls == {}


def test_ids_and_separate_records(journal: Path) -> None:
    ds = _parse(journal)
    assert ds.published is None
    ids = [e.id for e in ds.entities]
    assert len(ids) == len(set(ids)) == 6
    # recordId 1 is printed in both annex IV and annex III of 833/2014: two records
    assert "eu:32014R0833-IV-1" in ids and "eu:32014R0833-III-1" in ids
    # the same party under another act is its own record
    same = [e for e in ds.entities if e.caption == "JSC Testzone Alabuga"]
    assert {e.id for e in same} == {"eu:32014R0833-IV-1", "eu:32014R0269-I.ENTITIES-8"}
    # an annex that prints no entry number: id from the name
    vessel = next(e for e in ds.entities if e.caption == "TEST STAR")
    assert vessel.id.startswith("eu:32014R0833-XLII-n")


def test_company_fields(journal: Path) -> None:
    ds = _parse(journal)
    e = next(e for e in ds.entities if e.id == "eu:32014R0833-IV-1")
    assert e.kind is EntityKind.ORGANIZATION
    assert e.list_name == "Reg. 833/2014 Annex IV"
    assert e.programs == ("EU-RUS", "Export control")
    assert e.listed_on == date(2024, 2, 23)
    assert [(n.value, n.type, n.script) for n in e.names] == [
        ("JSC Testzone Alabuga", NameType.PRIMARY, "Latn"),
        (
            "Акционерное Общество «Особая Тестовая Зона «Алабуга» (АО «ОТЗ «Алабуга»)",
            NameType.ORIGINAL_SCRIPT,
            "Cyrl",
        ),
        ("JSC “Alabuga” Test Zone", NameType.STRONG_ALIAS, "Latn"),
        ("Testzone; Yelabuga", NameType.STRONG_ALIAS, "Latn"),  # quoted value holding ";"
        ("OAO Old Testzone", NameType.FORMER, "Latn"),
    ]
    ids = {(i.type, i.value, i.country) for i in e.identifiers}
    assert (IdType.INN, "1600000001", "RU") in ids
    assert (IdType.OGRN, "1021600000001", "RU") in ids
    assert (IdType.REGISTRATION, "77-000", None) in ids
    assert (IdType.KPP, "164601001", "RU") in ids
    assert (IdType.EMAIL, "post@testzone.example", None) in ids
    assert (IdType.PHONE, "+ 7 (85557) 0-00-06", None) in ids
    ru, ae = e.addresses
    assert (ru.postcode, ru.country) == ("423601", "RU")
    assert ru.full is not None and ru.full.startswith("423601, Republic of Tatarstan")
    assert (ae.postcode, ae.country) == (None, "AE")
    assert e.raw.startswith("32014R0833,1,EU-RUS,IV,") and e.raw_format == "csv"


def test_person_fields(journal: Path) -> None:
    ds = _parse(journal)
    p = next(e for e in ds.entities if e.id == "eu:32014R0269-I.PERSONS-7")
    assert p.kind is EntityKind.PERSON
    assert p.list_name == "Reg. 269/2014 Annex I"
    assert [(n.value, n.type) for n in p.names] == [
        ("Ivan Petrovich TESTOV", NameType.PRIMARY),
        ("Иван Петрович ТЕСТОВ", NameType.ORIGINAL_SCRIPT),
        ("Ivan Testoff", NameType.STRONG_ALIAS),
        ("Vanya", NameType.WEAK_ALIAS),
    ]
    assert p.nationalities == ("RU", "UA")
    assert p.gender == "male"
    assert p.positions == ("Member of the Test Council",)
    assert p.birth_places == ("Testograd, USSR (now Russian Federation)",)
    assert [(b.precision, b.start, b.end) for b in p.birth_dates] == [
        ("day", date(1961, 7, 14), date(1961, 7, 14)),
        ("year", date(1962, 1, 1), date(1962, 12, 31)),
        ("range", date(1960, 1, 1), date(1963, 12, 31)),
        ("day", date(1964, 3, 3), date(1964, 3, 3)),
    ]
    ids = {(i.type, i.value, i.country) for i in p.identifiers}
    assert (IdType.PASSPORT, "7500123456", "RU") in ids
    assert (IdType.INN, "771500000001", "RU") in ids
    assert p.remarks == ("Fictional reason for listing.", "Fictional person.")


def test_vessel_and_nameless(journal: Path) -> None:
    ds = _parse(journal)
    v = next(e for e in ds.entities if e.caption == "TEST STAR")
    assert v.kind is EntityKind.VESSEL
    assert v.listed_on == date(2025, 2, 25)
    assert {(i.type, i.value) for i in v.identifiers} == {
        (IdType.IMO, "9000001"),
        (IdType.MMSI, "273000001"),
    }
    assert v.countries == ("CM",)
    nameless = next(e for e in ds.entities if e.id == "eu:32014R0833-IV-2")
    assert nameless.names == () and nameless.kind is EntityKind.UNKNOWN
    (issue,) = ds.issues
    assert issue.record == "32014R0833-IV-2" and issue.line == 5
    assert "32014R0833.csv" in issue.path and "no name" in issue.message


def test_helpers() -> None:
    assert list_name("32006R0765", "I.A") == "Reg. 765/2006 Annex I"
    assert list_name("32010D0573", "") == "Dec. 2010/573"
    assert nationalities("(a) German, (b) Moroccan") == ["DE", "MA"]
    assert nationalities("Democratic People’s Republic of Korea (DPRK)") == ["KP"]
    assert nationalities("Myanmar/Burma") == ["MM"]
    assert [b.precision for b in birth_dates("1960 or 1961")] == ["year", "year"]
    assert birth_dates("9 Jan. 1970")[0].start == date(1970, 1, 9)
    assert birth_dates("May 1970")[0].precision == "month"
    assert birth_dates("N/D") == []
    a = address("220116, Minsk, Test Avenue 1, Republic of Belarus")
    assert (a.postcode, a.country) == ("220116", "BY")
    assert address("Tehran (Iran)").country == "IR"


def test_bad_inputs(journal: Path, tmp_path: Path) -> None:
    text = (journal / "32014R0833.csv").read_text(encoding="utf-8")
    a = EuJournalCsv()

    short = tmp_path / "32099R0001.csv"
    lines = text.splitlines()
    lines[2] = ",".join(lines[2].split(",")[:10])
    short.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(SourceFormatError, match=r"32099R0001\.csv, line 3"):
        a.parse([SourceFile(short, "annex")])

    unterminated = tmp_path / "32099R0002.csv"
    unterminated.write_text(text + '32014R0833,9,EU-RUS,IV,x,,,"Person,broken\n')
    with pytest.raises(SourceFormatError):
        a.parse([SourceFile(unterminated, "annex")])

    wrong = tmp_path / "32099R0003.csv"
    wrong.write_text(text.replace("celex,recordId,programKey", "celex,recordId,program"))
    with pytest.raises(SourceFormatError, match="not an EU Official Journal annex CSV"):
        a.parse([SourceFile(wrong, "annex")])

    bad_enc = tmp_path / "32099R0004.csv"
    bad_enc.write_bytes(text.encode("cp1251", errors="replace").replace(b"?", b"\xc0"))
    with pytest.raises(SourceFormatError, match="not valid utf-8"):
        a.parse([SourceFile(bad_enc, "annex")])

    empty = tmp_path / "32099R0005.csv"
    empty.write_bytes(b"")
    with pytest.raises(SourceFormatError, match="empty"):
        a.parse([SourceFile(empty, "annex")])


def test_repeated_record_id_gets_suffix_and_issue(journal: Path, tmp_path: Path) -> None:
    text = (journal / "32014R0269.csv").read_text(encoding="utf-8")
    dup = tmp_path / "32014R0269.csv"
    dup.write_text(text + text.splitlines()[1] + "\n", encoding="utf-8")
    ds = EuJournalCsv().parse([SourceFile(dup, "annex")])
    assert [e.id for e in ds.entities][-1] == "eu:32014R0269-I.PERSONS-7-2"
    assert any("repeats" in i.message and i.line == 4 for i in ds.issues)


def test_annotations_in_name_cells_are_not_names(journal: Path) -> None:
    """The transcription keeps the annex's labels ("Chinese:", "Text of image") and detail
    fragments ("DOB: 1948") in its alias cells; only the names are kept."""
    ds = _parse(journal)
    e = next(e for e in ds.entities if e.id == "eu:32014R0269-I.ENTITIES-8")
    assert [(n.value, n.type) for n in e.names] == [
        ("JSC Testzone Alabuga", NameType.PRIMARY),
        ("阿拉布加测试区", NameType.ORIGINAL_SCRIPT),
        ("Old Alabuga Zone", NameType.STRONG_ALIAS),
    ]


@pytest.mark.parametrize(
    ("value", "names"),
    [
        ("Chinese:", []),
        ("Text of image", []),
        ("DOB: 1948", []),
        ('place of birth: Mascara, Algeria)"', []),
        ("Chinese: AEE", ["AEE"]),
        ("f.k.a.: NADA", ["NADA"]),
        ("Married name: Lesya TESTOVA", ["Lesya TESTOVA"]),
        ("Ivan TESTOV (Russian: Иван ТЕСТОВ)", ["Ivan TESTOV", "Иван ТЕСТОВ"]),
        ("Иван ТЕСТОВ Ukrainian: Iван ТЕСТОВ", ["Иван ТЕСТОВ", "Iван ТЕСТОВ"]),
        ("Kalad Testam (Date of birth: 31.12.1979)", ["Kalad Testam"]),
        ("Hajji Testam (formerly listed as)", ["Hajji Testam"]),
        ("Abu Test (Previously listed as. In Arabic: أبو تست)", ["Abu Test", "أبو تست"]),
        # a trailing colon is punctuation, not a label: the name stays
        ("Javad Testi:", ["Javad Testi"]),
        (
            "Test Industries and the following subsidiaries:",
            ["Test Industries and the following subsidiaries"],
        ),
        ("JSC Testzone Alabuga", ["JSC Testzone Alabuga"]),
    ],
)
def test_name_values(value: str, names: list[str]) -> None:
    assert name_values(value) == names
