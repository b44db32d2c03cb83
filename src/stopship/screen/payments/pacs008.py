"""ISO 20022 pacs.008 (FIToFICustomerCreditTransfer) -> one :class:`Payment` per
``CdtTrfTxInf``.

Any version ``urn:iso:std:iso:20022:tech:xsd:pacs.008.001.NN`` is read. The ``Document``
may be the root or sit inside an envelope next to a business application header
(``AppHdr``). XML is parsed with defusedxml: DTDs, entity declarations and external
entities are refused (:class:`UnsafePaymentXMLError`).

Errors name the element path, e.g. ``FIToFICstmrCdtTrf/CdtTrfTxInf[2]/IntrBkSttlmAmt``.
Mandatory here: GrpHdr/MsgId, at least one CdtTrfTxInf, and in each PmtId/EndToEndId,
IntrBkSttlmAmt with @Ccy, Dbtr, DbtrAgt, CdtrAgt, Cdtr. A NbOfTxs that does not match
the transactions found, or a country code that is not ISO 3166, is a warning.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from stopship.screen.payments._iso_party import Reader, clean
from stopship.screen.payments.errors import PaymentFormatError, UnsafePaymentXMLError
from stopship.screen.payments.model import PartyRole, Payment, PaymentParty

ISO_NS = re.compile(r"urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3}\.\d{3}\.\d{2})")
BODY = "FIToFICstmrCdtTrf"

_SETTLEMENT_AGENTS = (
    ("InstgRmbrsmntAgt", PartyRole.SENDERS_CORRESPONDENT),
    ("InstdRmbrsmntAgt", PartyRole.RECEIVERS_CORRESPONDENT),
    ("ThrdRmbrsmntAgt", PartyRole.THIRD_REIMBURSEMENT),
)
# (element, role, account element, is an agent), in the order they are reported
_TX_PARTIES: tuple[tuple[str, PartyRole, str | None, bool], ...] = (
    ("InstgAgt", PartyRole.INSTRUCTING_AGENT, None, True),
    ("InstdAgt", PartyRole.INSTRUCTED_AGENT, None, True),
    ("PrvsInstgAgt1", PartyRole.PREVIOUS_INSTRUCTING_AGENT, "PrvsInstgAgt1Acct", True),
    ("PrvsInstgAgt2", PartyRole.PREVIOUS_INSTRUCTING_AGENT, "PrvsInstgAgt2Acct", True),
    ("PrvsInstgAgt3", PartyRole.PREVIOUS_INSTRUCTING_AGENT, "PrvsInstgAgt3Acct", True),
    ("UltmtDbtr", PartyRole.ULTIMATE_DEBTOR, None, False),
    ("InitgPty", PartyRole.INITIATING_PARTY, None, False),
    ("Dbtr", PartyRole.DEBTOR, "DbtrAcct", False),
    ("DbtrAgt", PartyRole.DEBTOR_AGENT, "DbtrAgtAcct", True),
    ("IntrmyAgt1", PartyRole.INTERMEDIARY, "IntrmyAgt1Acct", True),
    ("IntrmyAgt2", PartyRole.INTERMEDIARY, "IntrmyAgt2Acct", True),
    ("IntrmyAgt3", PartyRole.INTERMEDIARY, "IntrmyAgt3Acct", True),
    ("CdtrAgt", PartyRole.CREDITOR_AGENT, "CdtrAgtAcct", True),
    ("Cdtr", PartyRole.CREDITOR, "CdtrAcct", False),
    ("UltmtCdtr", PartyRole.ULTIMATE_CREDITOR, None, False),
)
_MANDATORY = ("Dbtr", "DbtrAgt", "CdtrAgt", "Cdtr")


def parse_xml(data: bytes | str, source: str) -> Element:
    """Parse untrusted XML: no DTDs, no entity declarations, no external entities."""
    try:
        root: Element = SafeET.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise UnsafePaymentXMLError(
            source,
            f"refused unsafe XML ({type(exc).__name__}: DTDs and entities are not "
            "allowed in payment messages)",
        ) from exc
    except SafeET.ParseError as exc:
        line = getattr(exc, "position", (None, None))[0]
        raise PaymentFormatError(source, f"malformed XML: {exc}", line=line) from exc
    return root


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def find_document(root: Element, source: str) -> tuple[Element, str]:
    """The pacs.008 ``Document`` element and its namespace; errors say what was found."""
    doc = next((e for e in root.iter() if _local(e.tag) == "Document"), None)
    if doc is None:
        raise PaymentFormatError(
            source,
            f"not an ISO 20022 message: root element <{_local(root.tag)}> holds no "
            "<Document>; expected a pacs.008 (FIToFICstmrCdtTrf) document",
            field=_local(root.tag),
        )
    ns = doc.tag[1:].split("}", 1)[0] if doc.tag.startswith("{") else ""
    m = ISO_NS.fullmatch(ns)
    if m is None:
        raise PaymentFormatError(
            source,
            f"namespace {ns!r} is not an ISO 20022 message namespace; expected "
            "urn:iso:std:iso:20022:tech:xsd:pacs.008.001.NN",
            field="Document",
        )
    if not m.group(1).startswith("pacs.008."):
        inner = _local(doc[0].tag) if len(doc) else "?"
        raise PaymentFormatError(
            source,
            f"this is a {m.group(1)} ({inner}) message, not a pacs.008 (FIToFICstmrCdtTrf)",
            field="Document",
        )
    return doc, ns


def parse_pacs008(data: bytes | str, source: str = "<message>") -> list[Payment]:
    """One :class:`Payment` per CdtTrfTxInf of a pacs.008 document."""
    doc, ns = find_document(parse_xml(data, source), source)
    x = Reader(ns, source)
    body = x.require(doc, BODY, "Document")
    grp = x.require(body, "GrpHdr", BODY)
    msg_id = clean(x.require(grp, "MsgId", f"{BODY}/GrpHdr").text)
    if msg_id is None:
        raise x.fail("MsgId is empty", f"{BODY}/GrpHdr/MsgId")
    txs = x.findall(body, "CdtTrfTxInf")
    if not txs:
        raise x.fail("no credit transfer transaction in the message", f"{BODY}/CdtTrfTxInf")
    group_warnings: list[str] = []
    count = x.text(grp, "NbOfTxs")
    if count is not None and count != str(len(txs)):
        group_warnings.append(f"{BODY}/GrpHdr/NbOfTxs says {count}, found {len(txs)}")
    raw = data if isinstance(data, str) else data.decode("utf-8", errors="replace")
    out = []
    for i, tx in enumerate(txs, 1):
        x.warnings = list(group_warnings)
        out.append(_transaction(x, grp, tx, f"{BODY}/CdtTrfTxInf[{i}]", msg_id, raw, source, i - 1))
    return out


def _amount(x: Reader, el: Element, tag: str, where: str) -> tuple[str, Decimal] | None:
    amt = x.find(el, tag)
    if amt is None:
        return None
    ccy = (amt.get("Ccy") or "").strip()
    if not re.fullmatch(r"[A-Z]{3}", ccy):
        raise x.fail(
            f"attribute Ccy must be an ISO 4217 currency code, found {ccy!r}", f"{where}/{tag}/@Ccy"
        )
    try:
        value = Decimal(clean(amt.text) or "")
    except InvalidOperation:
        raise x.fail(f"{amt.text!r} is not a decimal amount", f"{where}/{tag}") from None
    if not value.is_finite():
        raise x.fail(f"{amt.text!r} is not a decimal amount", f"{where}/{tag}")
    return ccy, value


def _transaction(
    x: Reader,
    grp: Element,
    tx: Element,
    where: str,
    msg_id: str,
    raw: str,
    source: str,
    index: int,
) -> Payment:
    e2e = clean(x.require(tx, "PmtId/EndToEndId", where).text)
    settled = _amount(x, tx, "IntrBkSttlmAmt", where)
    if settled is None:
        raise x.fail("mandatory element is missing", f"{where}/IntrBkSttlmAmt")
    for tag in _MANDATORY:
        x.require(tx, tag, where)
    instructed = _amount(x, tx, "InstdAmt", where)
    value_date = x.date(tx, "IntrBkSttlmDt", where) or x.date(
        grp, "IntrBkSttlmDt", f"{BODY}/GrpHdr"
    )
    return Payment(
        message_type="pacs.008",
        message_id=msg_id,
        instruction_id=x.text(tx, "PmtId/InstrId"),
        end_to_end_id=e2e,
        transaction_id=x.text(tx, "PmtId/TxId"),
        uetr=x.text(tx, "PmtId/UETR"),
        value_date=value_date,
        currency=settled[0],
        amount=settled[1],
        instructed_currency=instructed[0] if instructed else None,
        instructed_amount=instructed[1] if instructed else None,
        charge_bearer=x.text(tx, "ChrgBr"),
        parties=_parties(x, grp, tx, where),
        remittance_information=_remittance(x, tx),
        purpose=x.text(tx, "Purp/Cd") or x.text(tx, "Purp/Prtry"),
        sender_to_receiver_info=x.texts(tx, "InstrForCdtrAgt/InstrInf")
        + x.texts(tx, "InstrForNxtAgt/InstrInf"),
        regulatory_reporting=[line for r in x.findall(tx, "RgltryRptg") for line in _leaves(r, "")],
        warnings=x.warnings,
        source=source,
        index=index,
        raw=raw,
    )


def _parties(x: Reader, grp: Element, tx: Element, where: str) -> list[PaymentParty]:
    out: list[PaymentParty] = []
    for tag, role, acct, is_agent in _TX_PARTIES:
        holder, path = tx, where
        el = x.find(tx, tag)
        if el is None and tag in ("InstgAgt", "InstdAgt"):  # group level before v08
            holder, path = grp, f"{BODY}/GrpHdr"
            el = x.find(grp, tag)
        if el is None:
            continue
        account = x.find(holder, acct) if acct else None
        read = x.agent if is_agent else x.party
        out.append(read(el, role, f"{path}/{tag}", account))
    for tag, role in _SETTLEMENT_AGENTS:
        el = x.find(grp, f"SttlmInf/{tag}")
        if el is not None:
            agent_acct = x.find(grp, f"SttlmInf/{tag}Acct")
            out.append(x.agent(el, role, f"{BODY}/GrpHdr/SttlmInf/{tag}", agent_acct))
    for i, strd in enumerate(x.findall(tx, "RmtInf/Strd"), 1):
        for tag, role in (("Invcr", PartyRole.INVOICER), ("Invcee", PartyRole.INVOICEE)):
            el = x.find(strd, tag)
            if el is not None:
                out.append(x.party(el, role, f"{where}/RmtInf/Strd[{i}]/{tag}"))
    return out


def _remittance(x: Reader, tx: Element) -> list[str]:
    items = x.texts(tx, "RmtInf/Ustrd")
    for strd in x.findall(tx, "RmtInf/Strd"):
        for path in ("RfrdDocInf/Nb", "CdtrRefInf/Ref", "AddtlRmtInf"):
            items += x.texts(strd, path)
    return items


def _leaves(el: Element, prefix: str) -> list[str]:
    """``Path: value`` for every element with text below ``el`` (amounts with currency)."""
    out: list[str] = []
    for child in el:
        path = f"{prefix}{_local(child.tag)}"
        if len(child):
            out += _leaves(child, path + "/")
            continue
        value = clean(child.text)
        if value:
            ccy = child.get("Ccy")
            out.append(f"{path}: {value}{' ' + ccy if ccy else ''}")
    return out
