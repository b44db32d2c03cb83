"""The evaluation builder's own logic (benchmarks/build_eval.py): which list entries count
as one party, and which clean names are set aside. A wrong link or filter would silently
change every accuracy figure, so it is tested like product code."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import build_eval  # noqa: E402
from common import latin_letters  # noqa: E402

from stopship.model import Entity, EntityKind, Identifier, IdType, Name  # noqa: E402


def _entity(eid: str, kind: EntityKind, *ids: tuple[IdType, str]) -> Entity:
    source, record = eid.split(":", 1)
    return Entity(
        id=eid,
        source=source,
        record_id=record,
        kind=kind,
        names=(Name(value=f"Name {record}"),),
        identifiers=tuple(Identifier(type=t, value=v) for t, v in ids),
    )


ORG = EntityKind.ORGANIZATION
PERSON = EntityKind.PERSON


def test_entries_sharing_a_number_across_lists_and_types_are_one_party() -> None:
    ents = [
        _entity("eu:1", ORG, (IdType.REGISTRATION, "100104937")),
        _entity("ofac:2", ORG, (IdType.TAX_ID, "100 104 937"), (IdType.INN, "7701234567")),
        _entity("uk:3", ORG, (IdType.INN, "7701234567")),
        _entity("un:4", ORG, (IdType.REGISTRATION, "55555555")),
    ]
    links = build_eval.link_by_identifiers(ents)
    group = frozenset({"eu:1", "ofac:2", "uk:3"})  # transitive: eu-ofac by UNP, ofac-uk by INN
    assert links["eu:1"] == links["ofac:2"] == links["uk:3"] == group
    assert "un:4" not in links


def test_no_link_across_kinds_short_values_or_within_one_list() -> None:
    ents = [
        _entity("eu:1", ORG, (IdType.PASSPORT, "AB1234567")),
        _entity("ofac:2", PERSON, (IdType.PASSPORT, "AB1234567")),  # another kind
        _entity("eu:3", ORG, (IdType.REGISTRATION, "1234567")),  # 7 characters
        _entity("uk:4", ORG, (IdType.REGISTRATION, "1234567")),
        _entity("ofac:5", ORG, (IdType.INN, "7712345678")),  # one list, two entries:
        _entity("ofac:6", ORG, (IdType.INN, "7712345678")),  # a group's number
        _entity("uk:7", ORG, (IdType.INN, "7712345678")),
        _entity("eu:8", ORG, (IdType.WEBSITE, "www.example1234.com")),  # not a party's id
        _entity("uk:9", ORG, (IdType.WEBSITE, "www.example1234.com")),
        _entity("eu:10", ORG, (IdType.REGISTRATION, "ABCDEFGHIJ")),  # no digit
        _entity("uk:11", ORG, (IdType.REGISTRATION, "ABCDEFGHIJ")),
    ]
    assert build_eval.link_by_identifiers(ents) == {}


def test_imo_numbers_link_at_seven_digits() -> None:
    ents = [
        _entity("eu:1", EntityKind.VESSEL, (IdType.IMO, "9123456")),
        _entity("ofac:2", EntityKind.VESSEL, (IdType.IMO, "IMO 9123456")),
    ]
    links = build_eval.link_by_identifiers(ents)
    assert links["eu:1"] == frozenset({"eu:1", "ofac:2"})


@pytest.mark.parametrize(
    ("a", "b"),
    [("马小红", "MA, Xiaohong"), ("Müller-Lüdenscheidt", "MULLER LUDENSCHEIDT")],
)
def test_latin_letters_ignores_spacing_and_punctuation(a: str, b: str) -> None:
    assert latin_letters(a) == latin_letters(b)


def test_latin_letters_keeps_order() -> None:
    assert latin_letters("Xiaohong Ma") != latin_letters("Ma Xiaohong")


def test_faker_real_company_tables_are_found() -> None:
    from faker import Faker

    ru = build_eval.real_company_names(Faker("ru_RU"), "ru_RU")
    assert "Газпром" in ru
    assert build_eval.real_company_names(Faker("fa_IR"), "fa_IR")
    assert build_eval.real_company_names(Faker("de_DE"), "de_DE") == frozenset()
