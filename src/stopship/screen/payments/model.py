"""One typed model for payment messages, whatever format they came in.

A SWIFT MT103 and an ISO 20022 pacs.008 credit transfer are both read into a
:class:`Payment`: references, value date, amount, and every party the message names as a
:class:`PaymentParty` with its :class:`PartyRole`. Screening works on this model only.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict

MessageType = Literal["MT103", "pacs.008"]


class PartyRole(StrEnum):
    """The role a party plays in a payment; values use the ISO 20022 vocabulary.

    ====================== ========================= ===========================================
    role                   MT103 field               pacs.008 element
    ====================== ========================= ===========================================
    debtor                 50A/50F/50K ordering      Dbtr (+ DbtrAcct)
                           customer
    ultimate_debtor        (none)                    UltmtDbtr
    initiating_party       (none)                    InitgPty
    debtor_agent           52A/52D ordering          DbtrAgt (+ DbtrAgtAcct)
                           institution
    senders_correspondent  53A/53B/53D               GrpHdr/SttlmInf/InstgRmbrsmntAgt
    receivers_correspondent 54A/54B/54D              GrpHdr/SttlmInf/InstdRmbrsmntAgt
    third_reimbursement    55A/55B/55D               GrpHdr/SttlmInf/ThrdRmbrsmntAgt
    intermediary           56A/56C/56D               IntrmyAgt1, IntrmyAgt2, IntrmyAgt3
    creditor_agent         57A/57B/57C/57D account   CdtrAgt (+ CdtrAgtAcct)
                           with institution
    creditor               59/59A/59F beneficiary    Cdtr (+ CdtrAcct)
                           customer
    ultimate_creditor      (none)                    UltmtCdtr
    instructing_agent      sender (block 1 / 2)      InstgAgt (tx or GrpHdr)
    instructed_agent       receiver (block 2 / 1)    InstdAgt (tx or GrpHdr)
    previous_instructing   (none)                    PrvsInstgAgt1..3
    _agent
    invoicer, invoicee     (none)                    RmtInf/Strd/Invcr, RmtInf/Strd/Invcee
    ====================== ========================= ===========================================

    The MT names are accepted as input too: ``PartyRole("ordering_customer")`` is
    :attr:`DEBTOR`, ``PartyRole("beneficiary")`` is :attr:`CREDITOR`, and so on.
    """

    DEBTOR = "debtor"
    ULTIMATE_DEBTOR = "ultimate_debtor"
    INITIATING_PARTY = "initiating_party"
    DEBTOR_AGENT = "debtor_agent"
    SENDERS_CORRESPONDENT = "senders_correspondent"
    RECEIVERS_CORRESPONDENT = "receivers_correspondent"
    THIRD_REIMBURSEMENT = "third_reimbursement"
    INTERMEDIARY = "intermediary"
    CREDITOR_AGENT = "creditor_agent"
    CREDITOR = "creditor"
    ULTIMATE_CREDITOR = "ultimate_creditor"
    INSTRUCTING_AGENT = "instructing_agent"
    INSTRUCTED_AGENT = "instructed_agent"
    PREVIOUS_INSTRUCTING_AGENT = "previous_instructing_agent"
    INVOICER = "invoicer"
    INVOICEE = "invoicee"

    @property
    def is_agent(self) -> bool:
        """A financial institution role (as opposed to a customer role)."""
        return self in _AGENT_ROLES

    @classmethod
    def _missing_(cls, value: object) -> PartyRole | None:
        if isinstance(value, str):
            return _MT_NAMES.get(value.strip().lower().replace(" ", "_"))
        return None


_MT_NAMES: dict[str, PartyRole] = {
    "ordering_customer": PartyRole.DEBTOR,
    "ordering_institution": PartyRole.DEBTOR_AGENT,
    "account_with_institution": PartyRole.CREDITOR_AGENT,
    "beneficiary": PartyRole.CREDITOR,
    "beneficiary_customer": PartyRole.CREDITOR,
    "intermediary_institution": PartyRole.INTERMEDIARY,
    "sender": PartyRole.INSTRUCTING_AGENT,
    "receiver": PartyRole.INSTRUCTED_AGENT,
}

_AGENT_ROLES = frozenset(
    {
        PartyRole.DEBTOR_AGENT,
        PartyRole.SENDERS_CORRESPONDENT,
        PartyRole.RECEIVERS_CORRESPONDENT,
        PartyRole.THIRD_REIMBURSEMENT,
        PartyRole.INTERMEDIARY,
        PartyRole.CREDITOR_AGENT,
        PartyRole.INSTRUCTING_AGENT,
        PartyRole.INSTRUCTED_AGENT,
        PartyRole.PREVIOUS_INSTRUCTING_AGENT,
    }
)


class IdentifierKind(StrEnum):
    LEI = "lei"
    BIC = "bic"  # OrgId/AnyBIC: a BIC identifying a non-bank party
    ORGANISATION = "organisation"  # OrgId/Othr; FinInstnId/Othr
    PRIVATE = "private"  # PrvtId/Othr; 50F codes ARNU, CCPT, DRLC, NIDN, SOSE; 50F lines 6/, 7/
    CLEARING = "clearing"  # ClrSysMmbId; MT "//XX123" clearing codes (e.g. //RU BIK)
    UNSPECIFIED = "unspecified"  # 50F codes CUST, EMPL, TXID (person or organisation)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PartyIdentifier(_Model):
    kind: IdentifierKind
    value: str
    scheme: str | None = None  # ISO SchmeNm/Cd or Prtry, 50F code, clearing system code
    issuer: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2, when stated


class PostalAddress(_Model):
    """A structured address (ISO PstlAdr elements; MT 50F/59F line 3 gives country+town)."""

    department: str | None = None
    street: str | None = None
    building_number: str | None = None
    building_name: str | None = None
    floor: str | None = None
    post_box: str | None = None
    postcode: str | None = None
    town: str | None = None
    district: str | None = None
    region: str | None = None  # CtrySubDvsn
    country: str | None = None  # ISO 3166-1 alpha-2


CountrySource = Literal["address", "residence", "bic", "iban", "address_text"]


class PaymentParty(_Model):
    """One party named in a payment, in one role.

    ``country`` is the first of: the structured address country (ISO ``PstlAdr/Ctry``,
    MT 50F/59F line ``3/CC/...``), the country of residence (``CtryOfRes``, MT 77B
    ``/ORDERRES/`` or ``/BENEFRES/``), the BIC's country (characters 5-6), a last
    unstructured address line that is exactly a country name or ends with
    ``, <country>``, or the country of an IBAN whose check digits verify;
    ``country_source`` says which.
    """

    role: PartyRole
    name: str | None = None
    account: str | None = None  # IBAN or other account number, as given
    bic: str | None = None
    address_lines: list[str] = []
    address: PostalAddress | None = None
    country: str | None = None
    country_source: CountrySource | None = None
    residence_country: str | None = None
    identifiers: list[PartyIdentifier] = []
    birth_date: date | None = None
    birth_place: str | None = None
    birth_country: str | None = None
    source_field: str  # "50K", "59F", "Dbtr", "IntrmyAgt2", "block 2", ...


class Payment(_Model):
    """One credit transfer: one MT103 message, or one pacs.008 ``CdtTrfTxInf``."""

    message_type: MessageType
    message_id: str  # MT :20: sender's reference; ISO GrpHdr/MsgId
    instruction_id: str | None = None  # PmtId/InstrId
    end_to_end_id: str | None = None  # PmtId/EndToEndId
    transaction_id: str | None = None  # PmtId/TxId
    uetr: str | None = None  # MT block 3 {121:}; PmtId/UETR
    value_date: date | None = None  # :32A: date; IntrBkSttlmDt
    currency: str  # :32A:; IntrBkSttlmAmt/@Ccy
    amount: Decimal
    instructed_currency: str | None = None  # :33B:; InstdAmt/@Ccy
    instructed_amount: Decimal | None = None
    bank_operation_code: str | None = None  # :23B:
    charge_bearer: str | None = None  # :71A: OUR/SHA/BEN; ChrgBr DEBT/SHAR/CRED/SLEV
    parties: list[PaymentParty]
    remittance_information: list[str] = []  # :70: (one item); RmtInf/Ustrd, Strd references
    purpose: str | None = None  # :26T:; Purp/Cd or Purp/Prtry
    sender_to_receiver_info: list[str] = []  # :72: lines; InstrForCdtrAgt, InstrForNxtAgt
    regulatory_reporting: list[str] = []  # :77B: lines; RgltryRptg leaves "Path: value"
    warnings: list[str] = []  # tolerated deviations (over-long lines, missing :23B:, ...)
    source: str = "<message>"
    index: int = 0  # position in the source: n-th MT message, n-th CdtTrfTxInf
    line: int | None = None  # first line of an MT message in the source
    raw: str = ""  # the MT message text; for pacs.008 the whole XML document

    @property
    def reference(self) -> str:
        """The most specific reference: EndToEndId when given, else the message id."""
        return self.end_to_end_id or self.message_id

    def parties_in(self, *roles: PartyRole) -> list[PaymentParty]:
        return [p for p in self.parties if p.role in roles]

    def party(self, role: PartyRole) -> PaymentParty | None:
        """The first party in ``role``, or None."""
        found = self.parties_in(role)
        return found[0] if found else None
