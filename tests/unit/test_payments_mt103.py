"""SWIFT MT103 parsing: fixtures field by field, options, and every malformed case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from stopship.errors import StopshipError
from stopship.screen.payments import (
    IdentifierKind,
    PartyRole,
    PaymentFormatError,
    parse_mt103,
    parse_payment_file,
)

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "payments"

HEAD = "{1:F01TTBXKG22AXXX0000000000}{2:I103GLFXAEADXXXXN}{4:"
# line numbers in a message built by mt(): the header is line 1, BASE[0] is line 2
BASE = [
    ":20:REF-1",  # 2
    ":23B:CRED",  # 3
    ":32A:240315EUR1250,00",  # 4
    ":50K:/12345678",  # 5
    "JOHN DOE",  # 6
    ":59:/87654321",  # 7
    "JANE ROE",  # 8
    ":71A:SHA",  # 9
]


def mt(lines: list[str], head: str = HEAD) -> str:
    return head + "\r\n" + "\r\n".join(lines) + "\r\n-}"


def replace(tag: str, *new: str) -> list[str]:
    """BASE with the field ``tag`` (and its continuation lines) replaced by ``new``."""
    out: list[str] = []
    skipping = False
    for line in BASE:
        if line.startswith(":"):
            skipping = line.startswith(f":{tag}")
            if skipping:
                out.extend(new)
                continue
        if not skipping:
            out.append(line)
    return out


def error(text: str, **kw: bool) -> PaymentFormatError:
    with pytest.raises(PaymentFormatError) as info:
        parse_mt103(text, "msg.fin", **kw)
    return info.value


# --------------------------------------------------------------------------- fixtures


def test_alabuga_fixture_fields() -> None:
    [p] = parse_payment_file(FIX / "mt103_alabuga.fin")
    assert p.message_type == "MT103"
    assert p.message_id == "TTB240315-0917"
    assert p.uetr == "4d1c3b6e-8f0a-4c4e-9a51-3d2f7c9e0b12"
    assert p.value_date == date(2024, 3, 15)
    assert (p.currency, p.amount) == ("USD", Decimal("487250.00"))
    assert (p.instructed_currency, p.instructed_amount) == ("USD", Decimal("487250.00"))
    assert p.bank_operation_code == "CRED"
    assert p.charge_bearer == "SHA"
    assert p.warnings == []
    assert p.line == 1 and p.index == 0
    assert p.raw.startswith("{1:F01TTBXKG22AXXX") and p.raw.endswith("{5:{CHK:9A1B2C3D4E5F}}")

    roles = [(q.role, q.source_field) for q in p.parties]
    assert roles == [
        (PartyRole.INSTRUCTING_AGENT, "block 1"),
        (PartyRole.INSTRUCTED_AGENT, "block 2"),
        (PartyRole.DEBTOR, "50F"),
        (PartyRole.DEBTOR_AGENT, "52A"),
        (PartyRole.INTERMEDIARY, "56A"),
        (PartyRole.CREDITOR_AGENT, "57A"),
        (PartyRole.CREDITOR, "59F"),
    ]
    sender = p.party(PartyRole.INSTRUCTING_AGENT)
    receiver = p.party(PartyRole.INSTRUCTED_AGENT)
    assert sender is not None and (sender.bic, sender.country) == ("TTBXKG22", "KG")
    assert receiver is not None and (receiver.bic, receiver.country) == ("GLFXAEAD", "AE")

    debtor = p.party(PartyRole.DEBTOR)
    assert debtor is not None
    assert debtor.name == "TENGRI TRADE BRIDGE LLC"
    assert debtor.account == "1280016051234567"
    assert debtor.address_lines == ["CHUY AVENUE 219, OFFICE 14"]
    assert debtor.address is not None
    assert (debtor.address.country, debtor.address.town) == ("KG", "BISHKEK 720040")
    assert (debtor.country, debtor.country_source) == ("KG", "address")

    inter = p.party(PartyRole.INTERMEDIARY)
    assert inter is not None
    assert (inter.bic, inter.country, inter.country_source) == ("KZTRKZKAXXX", "KZ", "bic")

    awi = p.party(PartyRole.CREDITOR_AGENT)
    assert awi is not None and (awi.bic, awi.country) == ("VLGARU2K", "RU")
    assert awi.account is None
    [bik] = awi.identifiers
    assert (bik.kind, bik.scheme, bik.value) == (IdentifierKind.CLEARING, "RU", "044525999")

    ben = p.party(PartyRole.CREDITOR)
    assert ben is not None
    assert ben.name == "AO OEZ PPT ALABUGA"
    assert ben.account == "40702810562000012345"
    assert ben.address_lines == ["UL. SH-2, 4/1"]
    assert ben.address is not None
    assert ben.address.country == "RU"
    assert ben.address.town == "YELABUGA, TATARSTAN 423600"
    assert ben.country == "RU" and ben.residence_country == "RU"  # 77B /BENEFRES/RU

    assert p.remittance_information == [
        "/INV/ALB-2024-0117 MICROCONTROLLER\nS AND GNSS MODULES, CONTRACT\nTTB-ALB-07"
    ]
    assert p.sender_to_receiver_info == ["/INS/TTBXKG22", "/BNF/INN 1646019914"]
    assert p.regulatory_reporting == ["/BENEFRES/RU//YELABUGA"]


def test_clean_file_holds_two_messages_separated_by_dollar() -> None:
    first, second = parse_payment_file(FIX / "mt103_clean.fin")
    assert [first.index, second.index] == [0, 1]
    assert first.line == 1 and second.line is not None and second.line > 15
    assert first.source.endswith("mt103_clean.fin")

    assert (first.currency, first.amount) == ("EUR", Decimal("12480.50"))
    d = first.party(PartyRole.DEBTOR)
    assert d is not None
    assert (d.name, d.account) == ("HOLZWERK SCHMIDT GMBH", "DE89370400440532013000")
    assert d.address_lines == ["INDUSTRIESTRASSE 12", "70565 STUTTGART, GERMANY"]
    assert (d.country, d.country_source) == ("DE", "address_text")
    c = first.party(PartyRole.CREDITOR)
    assert c is not None and c.source_field == "59"
    assert c.name == "VAN DIJK KANTOORMEUBELEN B.V."
    assert (c.country, c.country_source) == ("NL", "address_text")
    assert first.remittance_information == ["/INV/VDK-2024-0331 OFFICE CHAIRS"]

    # an output message: sender in block 2's MIR, receiver in block 1
    sender = second.party(PartyRole.INSTRUCTING_AGENT)
    receiver = second.party(PartyRole.INSTRUCTED_AGENT)
    assert sender is not None and (sender.bic, sender.source_field) == ("HBRGGB2L", "block 2")
    assert receiver is not None and (receiver.bic, receiver.country) == ("MRSLFRPP", "FR")
    assert (second.amount, second.purpose) == (Decimal("3200"), "K90")
    ordering = second.party(PartyRole.DEBTOR)
    assert ordering is not None and ordering.source_field == "50A"
    assert (ordering.bic, ordering.account, ordering.country) == (
        "STRLGB22",
        "GB29NWBK60161331926819",
        "GB",
    )
    inst = second.party(PartyRole.DEBTOR_AGENT)
    assert inst is not None and inst.source_field == "52D"
    assert inst.name == "HARBOUR GATE BANK PLC"
    assert inst.address_lines == ["1 MARINE PARADE", "BRIGHTON BN2 1TL"]
    assert inst.bic is None and inst.country is None
    ben = second.party(PartyRole.CREDITOR)
    assert ben is not None and (ben.country, ben.country_source) == ("FR", "iban")


def test_messages_separated_by_blank_lines() -> None:
    text = mt(BASE) + "\n\n\n" + mt(replace("20", ":20:REF-2"))
    payments = parse_mt103(text)
    assert [p.message_id for p in payments] == ["REF-1", "REF-2"]
    assert payments[1].line == 13


# --------------------------------------------------------------------------- options


def test_50f_person_with_birth_and_ids() -> None:
    lines = replace(
        "50",
        ":50F:CCPT/RU/753129173",
        "1/IVANOV",
        "1/IVAN PETROVICH",
        "2/UL. LENINA 5",
        "3/RU/KAZAN",
        "4/19780128",
        "5/RU/KAZAN",
        "6/RU/SBERBANK/CUST0012",
        "7/RU/9201745",
        "8/357",
    )
    [p] = parse_mt103(mt(lines))
    d = p.party(PartyRole.DEBTOR)
    assert d is not None
    assert d.name == "IVANOV IVAN PETROVICH"
    assert d.birth_date == date(1978, 1, 28)
    assert (d.birth_country, d.birth_place) == ("RU", "KAZAN")
    passport, cust, nidn = d.identifiers
    assert (passport.kind, passport.scheme, passport.country, passport.value) == (
        IdentifierKind.PRIVATE,
        "CCPT",
        "RU",
        "753129173",
    )
    assert (cust.scheme, cust.issuer, cust.value) == ("CUST", "SBERBANK", "CUST0012")
    assert (nidn.scheme, nidn.value) == ("NIDN", "9201745357")  # 8/ continues 7/
    assert d.account is None


def test_50f_with_issuer_code_and_59f_without_account() -> None:
    lines = replace("50", ":50F:CUST/KG/MINJUST/0045123", "1/TENGRI TRADE BRIDGE LLC")
    lines = [*lines[:5], ":59F:1/OEZ ALABUGA", "2/UL. SH-2, 4/1", "3/RU/YELABUGA", ":71A:SHA"]
    [p] = parse_mt103(mt(lines))
    d = p.party(PartyRole.DEBTOR)
    assert d is not None
    [ident] = d.identifiers
    assert (ident.kind, ident.scheme, ident.issuer, ident.value, ident.country) == (
        IdentifierKind.UNSPECIFIED,
        "CUST",
        "MINJUST",
        "0045123",
        "KG",
    )
    c = p.party(PartyRole.CREDITOR)
    assert c is not None and c.account is None and c.name == "OEZ ALABUGA"
    assert c.address is not None and c.address.town == "YELABUGA"


def test_correspondent_and_option_b_c_d_fields() -> None:
    lines = [
        *BASE[:5],
        ":53B:/C/9988776655",
        "MOSCOW",
        ":54D:ZOLOTOY BANK AO",
        "UL. TVERSKAYA 1",
        "MOSCOW, RUSSIA",
        ":55A:ZLTBRUMM",
        ":56C://RU044525111",
        ":57C:/30101810400000000225",
        *BASE[5:],
    ]
    [p] = parse_mt103(mt(lines))
    b53 = p.party(PartyRole.SENDERS_CORRESPONDENT)
    assert b53 is not None and (b53.account, b53.address_lines) == ("9988776655", ["MOSCOW"])
    d54 = p.party(PartyRole.RECEIVERS_CORRESPONDENT)
    assert d54 is not None and d54.name == "ZOLOTOY BANK AO"
    assert (d54.country, d54.country_source) == ("RU", "address_text")
    a55 = p.party(PartyRole.THIRD_REIMBURSEMENT)
    assert a55 is not None and (a55.bic, a55.country) == ("ZLTBRUMM", "RU")
    c56 = p.party(PartyRole.INTERMEDIARY)
    assert c56 is not None and c56.identifiers[0].value == "044525111"
    c57 = p.party(PartyRole.CREDITOR_AGENT)
    assert c57 is not None and c57.account == "30101810400000000225"


def test_role_enum_accepts_mt_names() -> None:
    assert PartyRole("ordering_customer") is PartyRole.DEBTOR
    assert PartyRole("beneficiary") is PartyRole.CREDITOR
    assert PartyRole("account_with_institution") is PartyRole.CREDITOR_AGENT
    assert PartyRole("ordering institution") is PartyRole.DEBTOR_AGENT
    assert PartyRole.INTERMEDIARY.is_agent and not PartyRole.CREDITOR.is_agent
    with pytest.raises(ValueError):
        PartyRole("consignee")


def test_no_block_2_is_a_warning() -> None:
    [p] = parse_mt103(mt(BASE, head="{4:"))
    assert any("no block 2" in w for w in p.warnings)
    assert p.parties[0].role is PartyRole.DEBTOR  # no sender/receiver known


def test_missing_23b_and_71a_are_warnings() -> None:
    [p] = parse_mt103(mt([x for x in BASE if x[:5] not in (":23B:", ":71A:")]))
    assert p.warnings == [
        "mandatory field :23B: is missing",
        "mandatory field :71A: is missing",
    ]


# --------------------------------------------------------------------------- line limits


def test_long_name_line_is_a_warning_by_default_and_an_error_when_strict() -> None:
    long_name = "AKTSIONERNOE OBSHCHESTVO OSOBAYA EKONOMICHESKAYA ZONA"
    text = mt(replace("59", ":59:/87654321", long_name))
    [p] = parse_mt103(text)
    assert p.warnings == [":59: line 8: line has 53 characters; the limit is 35"]
    c = p.party(PartyRole.CREDITOR)
    assert c is not None and c.name == long_name
    err = error(text, strict=True)
    assert (err.field, err.line) == (":59:", 8)
    assert "53 characters" in str(err)


def test_too_many_lines_warns() -> None:
    text = mt([*BASE, ":70:A", "B", "C", "D", "E"])
    [p] = parse_mt103(text)
    assert any(":70:" in w and "at most 4" in w for w in p.warnings)
    assert error(text, strict=True).field == ":70:"


def test_characters_outside_x_set_warn() -> None:
    [p] = parse_mt103(mt(replace("59", ":59:/87654321", "ООО РОМАШКА")))
    assert any("SWIFT X" in w for w in p.warnings)


# --------------------------------------------------------------------------- errors


def test_error_is_a_stopship_error_with_exit_code_3() -> None:
    err = error(mt(replace("32A", ":32A:240230EUR1,00")))
    assert isinstance(err, StopshipError)
    assert err.exit_code == 3
    assert str(err).startswith("msg.fin, line 4 [:32A:]: ")


def test_no_block_4() -> None:
    err = error("{1:F01TTBXKG22AXXX0000000000}{2:I103GLFXAEADXXXXN}")
    assert err.field == "block 4" and "no block 4" in err.message


def test_block_4_not_closed() -> None:
    err = error(HEAD + "\r\n:20:REF\r\n:32A:240315EUR1,00\r\n")
    assert err.field == "block 4" and "not closed" in err.message


def test_other_message_type_in_block_2() -> None:
    err = error(mt(BASE, head="{1:F01TTBXKG22AXXX0000000000}{2:I202GLFXAEADXXXXN}{4:"))
    assert err.field == "block 2" and "MT202" in err.message


@pytest.mark.parametrize(
    ("tag", "label"),
    [("20", ":20:"), ("32A", ":32A:"), ("50", ":50a:"), ("59", ":59a:")],
)
def test_missing_mandatory_field(tag: str, label: str) -> None:
    err = error(mt(replace(tag)))
    assert label in err.message and "missing" in err.message


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("240230EUR1250,00", "not a valid YYMMDD date"),
        ("240315EU1250,00", "expected YYMMDD, currency, amount"),
        ("240315EUR1250.00", "decimal comma"),
        ("240315EUR1,250,00", "decimal comma"),
        ("240315EUR1250", "decimal comma"),
        ("240315EUR1234567890123,45", "at most 15"),
        ("", "expected YYMMDD"),
    ],
)
def test_bad_32a(value: str, fragment: str) -> None:
    err = error(mt(replace("32A", f":32A:{value}")))
    assert (err.field, err.line) == (":32A:", 4)
    assert fragment in err.message


def test_bad_33b() -> None:
    err = error(mt([*BASE, ":33B:EUR12.5"]))
    assert err.field == ":33B:" and "decimal comma" in err.message


def test_unknown_tag_syntax() -> None:
    err = error(mt([*BASE[:3], ":5X:FOO", *BASE[3:]]))
    assert (err.field, err.line) == ("block 4", 5)
    assert "':5X:'" in err.message


def test_field_not_in_mt103() -> None:
    err = error(mt([*BASE, ":99Z:FOO"]))
    assert (err.field, err.line) == (":99Z:", 10)
    assert "not an MT103 field" in err.message


def test_wrong_option() -> None:
    err = error(mt(replace("50", ":50D:JOHN DOE")))
    assert err.field == ":50D:"
    assert ":50A:, :50F:, :50K:" in err.message


def test_repeated_field() -> None:
    err = error(mt([*BASE, ":50A:TTBXKG22"]))
    assert err.field == ":50A:" and "first at line 5" in err.message


def test_text_before_first_field() -> None:
    err = error(mt(["HELLO", *BASE]))
    assert (err.field, err.line) == ("block 4", 2)


def test_garbage_between_blocks() -> None:
    err = error(mt(BASE) + "\r\nGARBAGE")
    assert err.line == 11 and "expected a FIN block" in err.message


@pytest.mark.parametrize("bic", ["TTBX KG22", "TTBXKG2", "TTBXKG22XX", "TTBX1G22", "TTBXQQ22"])
def test_bad_bic_in_option_a(bic: str) -> None:
    err = error(mt([*BASE, ":57A:/ACC1", bic]))
    assert (err.field, err.line) == (":57A:", 11)
    assert "not a BIC" in err.message


def test_option_a_with_name_lines_is_an_error() -> None:
    err = error(mt([*BASE, ":57A:VLGARU2K", "VOLGA BANK"]))
    assert err.field == ":57A:" and "one BIC line" in err.message


@pytest.mark.parametrize(
    ("field_lines", "line", "fragment"),
    [
        ([":50F:1/IVANOV"], 5, "party identifier"),
        ([":50F:XXXX/RU/123", "1/IVANOV"], 5, "party identifier"),
        ([":50F:/123", "IVANOV"], 6, "numbered line"),
        ([":50F:/123", "2/STREET"], 5, "no name line"),
        ([":50F:/123", "1/IVANOV", "3/ZZ/KAZAN"], 7, "country code"),
        ([":50F:/123", "1/IVANOV", "4/1978-01-28"], 7, "YYYYMMDD"),
        ([":50F:/123", "1/IVANOV", "8/357"], 7, "none precedes"),
    ],
)
def test_bad_50f(field_lines: list[str], line: int, fragment: str) -> None:
    err = error(mt(replace("50", *field_lines)))
    assert (err.field, err.line) == (":50F:", line)
    assert fragment in err.message


def test_59f_only_takes_lines_1_to_3() -> None:
    err = error(mt(replace("59", ":59F:/123", "1/OEZ ALABUGA", "4/20060724")))
    assert (err.field, err.line) == (":59F:", 9)
    assert "n in 1, 2, 3" in err.message


def test_name_field_with_account_only() -> None:
    err = error(mt(replace("59", ":59:/87654321")))
    assert err.field == ":59:" and "no name" in err.message
