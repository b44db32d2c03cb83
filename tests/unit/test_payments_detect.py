"""Format detection and the file entry point of the payments package."""

from __future__ import annotations

from pathlib import Path

import pytest

from stopship.screen.payments import (
    PartyRole,
    PaymentFormatError,
    detect_format,
    parse_payment,
    parse_payment_file,
)

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "payments"


@pytest.mark.parametrize(
    ("name", "kind", "count"),
    [
        ("mt103_alabuga.fin", "MT103", 1),
        ("mt103_clean.fin", "MT103", 2),
        ("pacs008_alabuga.xml", "pacs.008", 1),
        ("pacs008_clean.xml", "pacs.008", 2),
    ],
)
def test_fixtures_detected_from_content(name: str, kind: str, count: int) -> None:
    data = (FIX / name).read_bytes()
    assert detect_format(data) == kind
    payments = parse_payment(data, name)
    assert len(payments) == count
    assert {p.message_type for p in payments} == {kind}
    assert all(p.source == name for p in payments)


def test_str_input_and_bom() -> None:
    text = (FIX / "pacs008_alabuga.xml").read_text(encoding="utf-8")
    [p] = parse_payment("\ufeff" + text)
    c = p.party(PartyRole.CREDITOR)
    assert c is not None and c.name == "АО «ОЭЗ ППТ «Алабуга»"
    mt = (FIX / "mt103_alabuga.fin").read_bytes()
    [m] = parse_payment(b"\xef\xbb\xbf\r\n" + mt)
    assert m.message_id == "TTB240315-0917"


def test_both_fixtures_pay_the_listed_alabuga_zone() -> None:
    """The MT103 (Latin transliteration) and the pacs.008 (Cyrillic) name the same
    listed creditor at the Yelabuga address, reached via transit-country banks."""
    [mt] = parse_payment_file(FIX / "mt103_alabuga.fin")
    [mx] = parse_payment_file(FIX / "pacs008_alabuga.xml")
    for p, transit in ((mt, "KG"), (mx, "AE")):
        creditor = p.party(PartyRole.CREDITOR)
        debtor = p.party(PartyRole.DEBTOR)
        inter = p.party(PartyRole.INTERMEDIARY)
        assert creditor is not None and debtor is not None and inter is not None
        assert creditor.country == "RU"
        assert debtor.country == transit
        assert inter.bic is not None and inter.country == "KZ"
    mt_creditor = mt.party(PartyRole.CREDITOR)
    assert mt_creditor is not None and mt_creditor.name is not None
    assert "ALABUGA" in mt_creditor.name


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ("", "empty message"),
        (b"   \r\n", "empty message"),
        ("hello world", "unrecognised content starting 'hello world'"),
        ('{"amount": 5}', "unrecognised content"),
        ("Beneficiary;Amount\nX;5", "expected an ISO 20022 pacs.008"),
    ],
)
def test_unknown_content(data: str | bytes, fragment: str) -> None:
    with pytest.raises(PaymentFormatError) as info:
        parse_payment(data, "in.txt")
    assert fragment in info.value.message
    assert "MT103" in info.value.message


def test_bare_field_text_without_blocks() -> None:
    with pytest.raises(PaymentFormatError) as info:
        parse_payment(":20:REF\r\n:32A:240315EUR1,00\r\n")
    assert info.value.field == "block 4" and "no block 4" in info.value.message


def test_non_utf8_fin_text() -> None:
    with pytest.raises(PaymentFormatError) as info:
        parse_payment(b"{1:F01TTBXKG22AXXX0000000000}{4:\r\n:20:R\xe9F\r\n-}")
    assert info.value.line == 2 and "0xe9" in info.value.message


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PaymentFormatError) as info:
        parse_payment_file(tmp_path / "nope.fin")
    assert "cannot read file" in info.value.message


def test_strict_flag_reaches_the_mt_parser(tmp_path: Path) -> None:
    text = (
        (FIX / "mt103_clean.fin")
        .read_text()
        .replace("HOLZWERK SCHMIDT GMBH", "HOLZWERK SCHMIDT GMBH UND COMPANY KOMMANDITGESELLSCHAFT")
    )
    path = tmp_path / "long.fin"
    path.write_text(text)
    first, _ = parse_payment_file(path)
    assert any("the limit is 35" in w for w in first.warnings)
    with pytest.raises(PaymentFormatError) as info:
        parse_payment_file(path, strict=True)
    assert (info.value.field, info.value.line) == (":50K:", 6)
