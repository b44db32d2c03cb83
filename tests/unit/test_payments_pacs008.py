"""ISO 20022 pacs.008 parsing: fixtures, versions, envelopes, malformed and unsafe XML."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from stopship.screen.payments import (
    IdentifierKind,
    PartyRole,
    PaymentFormatError,
    UnsafePaymentXMLError,
    parse_pacs008,
    parse_payment_file,
)

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "payments"
NS8 = "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"
TX = "FIToFICstmrCdtTrf/CdtTrfTxInf"


def tx(
    e2e: str = "<PmtId><EndToEndId>E2E-1</EndToEndId></PmtId>",
    amount: str = '<IntrBkSttlmAmt Ccy="EUR">100.00</IntrBkSttlmAmt>',
    extra: str = "",
    dbtr: str = "<Dbtr><Nm>Alpha GmbH</Nm></Dbtr>",
    cdtr: str = "<Cdtr><Nm>Beta BV</Nm></Cdtr>",
    cdtr_agt: str = "<CdtrAgt><FinInstnId><BICFI>TLPSNL2A</BICFI></FinInstnId></CdtrAgt>",
) -> str:
    return (
        f"<CdtTrfTxInf>{e2e}{amount}{extra}{dbtr}"
        "<DbtrAgt><FinInstnId><BICFI>NRDFDEFF</BICFI></FinInstnId></DbtrAgt>"
        f"{cdtr_agt}{cdtr}</CdtTrfTxInf>"
    )


def doc(*txs: str, ns: str = NS8, grp: str = "<MsgId>M-1</MsgId><NbOfTxs>1</NbOfTxs>") -> str:
    body = "".join(txs) if txs else tx()
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{ns}"><FIToFICstmrCdtTrf>'
        f"<GrpHdr>{grp}</GrpHdr>{body}</FIToFICstmrCdtTrf></Document>"
    )


def error(data: str | bytes) -> PaymentFormatError:
    with pytest.raises(PaymentFormatError) as info:
        parse_pacs008(data, "msg.xml")
    return info.value


# --------------------------------------------------------------------------- fixtures


def test_alabuga_fixture_fields() -> None:
    [p] = parse_payment_file(FIX / "pacs008_alabuga.xml")
    assert p.message_type == "pacs.008"
    assert p.message_id == "GCEB20240402-00153"
    assert (p.instruction_id, p.end_to_end_id, p.transaction_id) == (
        "GCEB-153-01",
        "CHG-ALB-2024-0117",
        "GCEB20240402153T1",
    )
    assert p.reference == "CHG-ALB-2024-0117"
    assert p.uetr == "9f2c6a1e-3b47-4d8a-9c15-70e2b4a8d6f1"
    assert (p.currency, p.amount, p.value_date) == ("CNY", Decimal("3512400.00"), date(2024, 4, 2))
    assert (p.instructed_currency, p.instructed_amount) == ("CNY", Decimal("3512400.00"))
    assert (p.charge_bearer, p.purpose) == ("SHAR", "GDDS")
    assert p.warnings == []
    assert "<FIToFICstmrCdtTrf>" in p.raw

    assert [(q.role, q.source_field) for q in p.parties] == [
        (PartyRole.INSTRUCTING_AGENT, "InstgAgt"),
        (PartyRole.INSTRUCTED_AGENT, "InstdAgt"),
        (PartyRole.ULTIMATE_DEBTOR, "UltmtDbtr"),
        (PartyRole.DEBTOR, "Dbtr"),
        (PartyRole.DEBTOR_AGENT, "DbtrAgt"),
        (PartyRole.INTERMEDIARY, "IntrmyAgt1"),
        (PartyRole.CREDITOR_AGENT, "CdtrAgt"),
        (PartyRole.CREDITOR, "Cdtr"),
    ]

    cdtr = p.party(PartyRole.CREDITOR)
    assert cdtr is not None
    assert cdtr.name == "АО «ОЭЗ ППТ «Алабуга»"
    assert cdtr.account == "40702156562000012345"
    assert cdtr.address is not None
    a = cdtr.address
    assert (a.street, a.building_number, a.postcode, a.town, a.region, a.country) == (
        "ул. Ш-2",
        "4/1",
        "423600",
        "Елабуга",
        "Республика Татарстан",
        "RU",
    )
    assert (cdtr.country, cdtr.country_source) == ("RU", "address")
    [inn] = cdtr.identifiers
    assert (inn.kind, inn.scheme, inn.value) == (IdentifierKind.ORGANISATION, "TXID", "1646019914")

    dbtr = p.party(PartyRole.DEBTOR)
    assert dbtr is not None
    assert dbtr.name == "Crescent Horizon General Trading FZE"
    assert dbtr.account == "AE070331234567890123456"
    assert dbtr.address is not None
    assert (dbtr.address.building_name, dbtr.address.floor, dbtr.address.post_box) == (
        "Al Saqr Business Tower",
        "17",
        "118456",
    )
    assert (dbtr.country, dbtr.residence_country) == ("AE", "AE")
    lei, org = dbtr.identifiers
    assert (lei.kind, lei.value) == (IdentifierKind.LEI, "9845001AB2CD3EF4GH56")
    assert (org.scheme, org.issuer) == ("COID", "Dubai Department of Economy and Tourism")

    ultimate = p.party(PartyRole.ULTIMATE_DEBTOR)
    assert ultimate is not None and ultimate.country == "HK"
    assert ultimate.address_lines == [
        "Unit 1207, 12/F, Tower 2, Nina Tower",
        "8 Yeung Uk Road, Tsuen Wan",
    ]

    inter = p.party(PartyRole.INTERMEDIARY)
    assert inter is not None
    assert (inter.bic, inter.name, inter.country) == ("KZTRKZKA", "Kazakh Transit Bank JSC", "KZ")
    agent = p.party(PartyRole.CREDITOR_AGENT)
    assert agent is not None and (agent.bic, agent.country) == ("VLGARU2K", "RU")
    [clearing] = agent.identifiers
    assert (clearing.kind, clearing.scheme, clearing.value) == (
        IdentifierKind.CLEARING,
        "RUCBC",
        "044525999",
    )
    dagent = p.party(PartyRole.DEBTOR_AGENT)
    assert dagent is not None and (dagent.bic, dagent.country) == ("GLFXAEADXXX", "AE")

    assert p.remittance_information == [
        "Оплата по контракту ALB-2024-0117, электронные компоненты",
        "ALB-INV-0117-3",
        "OEZ Alabuga, Yelabuga",
    ]
    assert "Dtls/Amt: 3512400.00 CNY" in p.regulatory_reporting
    assert "Authrty/Nm: Bank of Russia" in p.regulatory_reporting


def test_clean_fixture_has_two_transactions() -> None:
    first, second = parse_payment_file(FIX / "pacs008_clean.xml")
    assert [first.index, second.index] == [0, 1]
    assert first.message_id == second.message_id == "TLPS-20240405-0042"
    assert [first.end_to_end_id, second.end_to_end_id] == ["VDK-PO-7781", "VDK-SAL-0404"]
    assert [first.amount, second.amount] == [Decimal("8450.00"), Decimal("2310.75")]
    assert first.purpose == "SUPPLIER" and second.purpose == "SALA"
    assert first.remittance_information == ["RF18539007547034"]
    assert second.remittance_information == ["SALARY MARCH 2024"]

    belgian = first.party(PartyRole.CREDITOR)
    assert belgian is not None
    assert belgian.address is None
    assert belgian.address_lines == ["Meir 24", "2000 Antwerpen", "Belgium"]
    assert (belgian.country, belgian.country_source) == ("BE", "address_text")
    debtor = first.party(PartyRole.DEBTOR)
    assert debtor is not None and debtor.identifiers[0].kind is IdentifierKind.LEI

    person = second.party(PartyRole.CREDITOR)
    assert person is not None
    assert person.birth_date == date(1987, 6, 21)
    assert (person.birth_place, person.birth_country) == ("Valencia", "ES")
    [nidn] = person.identifiers
    assert (nidn.kind, nidn.scheme, nidn.value) == (IdentifierKind.PRIVATE, "NIDN", "12345678Z")
    assert (person.country, person.country_source) == ("ES", "iban")
    assert second.party(PartyRole.INSTRUCTING_AGENT) is None


# --------------------------------------------------------------------------- versions


def test_version_02_names_and_group_level_agents() -> None:
    ns = "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.02"
    grp = (
        "<MsgId>OLD-1</MsgId><NbOfTxs>1</NbOfTxs><IntrBkSttlmDt>2023-11-30</IntrBkSttlmDt>"
        "<SttlmInf><SttlmMtd>COVE</SttlmMtd>"
        "<InstgRmbrsmntAgt><FinInstnId><BIC>NRDFDEFF</BIC></FinInstnId></InstgRmbrsmntAgt>"
        "</SttlmInf>"
        "<InstgAgt><FinInstnId><BIC>NRDFDEFF</BIC></FinInstnId></InstgAgt>"
    )
    cdtr = "<Cdtr><Nm>Beta BV</Nm><Id><OrgId><BICOrBEI>BETANL21</BICOrBEI></OrgId></Id></Cdtr>"
    [p] = parse_pacs008(doc(tx(cdtr=cdtr), ns=ns, grp=grp))
    assert p.value_date == date(2023, 11, 30)
    instg = p.party(PartyRole.INSTRUCTING_AGENT)
    assert instg is not None and instg.bic == "NRDFDEFF"
    assert instg.source_field == "InstgAgt"
    corr = p.party(PartyRole.SENDERS_CORRESPONDENT)
    assert corr is not None and corr.source_field == "InstgRmbrsmntAgt"
    c = p.party(PartyRole.CREDITOR)
    assert c is not None and (c.bic, c.country, c.country_source) == ("BETANL21", "NL", "bic")
    assert c.identifiers[0].kind is IdentifierKind.BIC


def test_document_inside_envelope_with_app_header() -> None:
    inner = doc().split("?>", 1)[1]
    xml = (
        "<Envelope><AppHdr xmlns='urn:iso:std:iso:20022:tech:xsd:head.001.001.02'>"
        "<MsgDefIdr>pacs.008.001.08</MsgDefIdr></AppHdr>" + inner + "</Envelope>"
    )
    [p] = parse_pacs008(xml)
    assert p.message_id == "M-1"


def test_intermediaries_previous_agents_ultimate_creditor_and_invoicer() -> None:
    extra = (
        "<PrvsInstgAgt1><FinInstnId><BICFI>PRVSTRIS</BICFI></FinInstnId></PrvsInstgAgt1>"
        "<UltmtCdtr><Nm>Gamma LLC</Nm><CtryOfRes>AM</CtryOfRes></UltmtCdtr>"
        "<IntrmyAgt1><FinInstnId><BICFI>FRSTAEAD</BICFI></FinInstnId></IntrmyAgt1>"
        "<IntrmyAgt2><FinInstnId><BICFI>SCNDKGKB</BICFI></FinInstnId></IntrmyAgt2>"
        "<IntrmyAgt2Acct><Id><Othr><Id>ACC-2</Id></Othr></Id></IntrmyAgt2Acct>"
        "<InstrForCdtrAgt><InstrInf>CALL BENEFICIARY</InstrInf></InstrForCdtrAgt>"
        "<RmtInf><Strd><Invcr><Nm>Delta Invoicing FZE</Nm></Invcr></Strd></RmtInf>"
    )
    [p] = parse_pacs008(doc(tx(extra=extra)))
    inter = p.parties_in(PartyRole.INTERMEDIARY)
    assert [(i.bic, i.source_field, i.account) for i in inter] == [
        ("FRSTAEAD", "IntrmyAgt1", None),
        ("SCNDKGKB", "IntrmyAgt2", "ACC-2"),
    ]
    prev = p.party(PartyRole.PREVIOUS_INSTRUCTING_AGENT)
    assert prev is not None and prev.country == "TR"
    ult = p.party(PartyRole.ULTIMATE_CREDITOR)
    assert ult is not None and (ult.country, ult.country_source) == ("AM", "residence")
    inv = p.party(PartyRole.INVOICER)
    assert inv is not None and inv.name == "Delta Invoicing FZE"
    assert inv.source_field == "Invcr"
    assert p.sender_to_receiver_info == ["CALL BENEFICIARY"]


def test_nb_of_txs_mismatch_is_a_warning() -> None:
    [p] = parse_pacs008(doc(grp="<MsgId>M-1</MsgId><NbOfTxs>3</NbOfTxs>"))
    assert p.warnings == ["FIToFICstmrCdtTrf/GrpHdr/NbOfTxs says 3, found 1"]


def test_unknown_country_code_is_a_warning() -> None:
    cdtr = "<Cdtr><Nm>Beta</Nm><PstlAdr><Ctry>QQ</Ctry></PstlAdr></Cdtr>"
    [p] = parse_pacs008(doc(tx(cdtr=cdtr)))
    assert any("Cdtr/PstlAdr/Ctry" in w and "QQ" in w for w in p.warnings)


# --------------------------------------------------------------------------- errors


def test_malformed_xml_names_the_line() -> None:
    err = error(doc().replace("</GrpHdr>", "</GrpHdrX>"))
    assert "malformed XML" in err.message and err.line == 1
    err = error('<?xml version="1.0"?>\n<Document>\n<Unclosed>\n</Document>')
    assert err.line == 4


@pytest.mark.parametrize(
    ("ns", "inner", "fragment"),
    [
        ("urn:iso:std:iso:20022:tech:xsd:pacs.009.001.08", "FICdtTrf", "pacs.009.001.08"),
        ("urn:iso:std:iso:20022:tech:xsd:camt.053.001.08", "BkToCstmrStmt", "camt.053.001.08"),
    ],
)
def test_other_iso_message_is_refused(ns: str, inner: str, fragment: str) -> None:
    err = error(f'<Document xmlns="{ns}"><{inner}/></Document>')
    assert err.field == "Document"
    assert fragment in err.message and inner in err.message and "not a pacs.008" in err.message


def test_non_iso_xml_is_refused() -> None:
    err = error("<invoice><total>5</total></invoice>")
    assert err.field == "invoice" and "no <Document>" in err.message
    err = error('<Document xmlns="urn:example:payments"><X/></Document>')
    assert err.field == "Document" and "not an ISO 20022" in err.message


@pytest.mark.parametrize(
    ("xml", "field"),
    [
        (doc(grp="<NbOfTxs>1</NbOfTxs>"), "FIToFICstmrCdtTrf/GrpHdr/MsgId"),
        (doc(tx(e2e="<PmtId/>")), f"{TX}[1]/PmtId/EndToEndId"),
        (doc(tx(amount="")), f"{TX}[1]/IntrBkSttlmAmt"),
        (doc(tx(cdtr="")), f"{TX}[1]/Cdtr"),
        (doc(tx(cdtr_agt="")), f"{TX}[1]/CdtrAgt"),
        (doc(tx(dbtr="")), f"{TX}[1]/Dbtr"),
        (doc(tx(cdtr_agt="<CdtrAgt><BrnchId/></CdtrAgt>")), f"{TX}[1]/CdtrAgt/FinInstnId"),
    ],
)
def test_missing_mandatory_element(xml: str, field: str) -> None:
    err = error(xml)
    assert err.field == field and "missing" in err.message


def test_missing_element_in_second_transaction_names_its_index() -> None:
    err = error(doc(tx(), tx(e2e="<PmtId><InstrId>X</InstrId></PmtId>")))
    assert err.field == f"{TX}[2]/PmtId/EndToEndId"
    assert str(err).startswith(f"msg.xml [{TX}[2]/PmtId/EndToEndId]: ")


def test_no_transactions() -> None:
    xml = doc().replace(tx(), "")
    assert error(xml).field == "FIToFICstmrCdtTrf/CdtTrfTxInf"


@pytest.mark.parametrize(
    ("amount", "field", "fragment"),
    [
        ("<IntrBkSttlmAmt>1.00</IntrBkSttlmAmt>", "IntrBkSttlmAmt/@Ccy", "Ccy"),
        ('<IntrBkSttlmAmt Ccy="eur">1.00</IntrBkSttlmAmt>', "IntrBkSttlmAmt/@Ccy", "ISO 4217"),
        ('<IntrBkSttlmAmt Ccy="EUR">1,00</IntrBkSttlmAmt>', "IntrBkSttlmAmt", "decimal"),
        ('<IntrBkSttlmAmt Ccy="EUR">NaN</IntrBkSttlmAmt>', "IntrBkSttlmAmt", "decimal"),
    ],
)
def test_bad_amount(amount: str, field: str, fragment: str) -> None:
    err = error(doc(tx(amount=amount)))
    assert err.field == f"{TX}[1]/{field}" and fragment in err.message


def test_bad_bic_and_bad_date() -> None:
    bad = tx(cdtr_agt="<CdtrAgt><FinInstnId><BICFI>NOTABIC</BICFI></FinInstnId></CdtrAgt>")
    err = error(doc(bad))
    assert err.field == f"{TX}[1]/CdtrAgt/FinInstnId/BICFI" and "not a BIC" in err.message
    err = error(doc(tx(extra="<IntrBkSttlmDt>2024-02-30</IntrBkSttlmDt>")))
    assert err.field == f"{TX}[1]/IntrBkSttlmDt" and "ISO date" in err.message


# --------------------------------------------------------------------------- unsafe XML

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><X>&lol3;</X></Document>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE Document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"><X>&xxe;</X></Document>"""

DTD_ONLY = """<?xml version="1.0"?>
<!DOCTYPE Document SYSTEM "http://example.invalid/pacs.dtd">
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08"/>"""


@pytest.mark.parametrize("xml", [BOMB, XXE, DTD_ONLY], ids=["bomb", "xxe", "dtd"])
def test_unsafe_xml_is_refused(xml: str) -> None:
    with pytest.raises(UnsafePaymentXMLError) as info:
        parse_pacs008(xml.encode(), "evil.xml")
    assert "refused unsafe XML" in str(info.value)
    assert info.value.exit_code == 3
