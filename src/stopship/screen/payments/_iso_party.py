"""ISO 20022 parties, agents, accounts and postal addresses -> :class:`PaymentParty`.

Reads both the current element names and their older spellings (``BICFI`` / ``BIC``,
``AnyBIC`` / ``BICOrBEI``), so pacs.008.001.02 through .001.13 all work.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from xml.etree.ElementTree import Element

from stopship.screen.payments._common import bic_problem, is_country, make_party
from stopship.screen.payments.errors import PaymentFormatError
from stopship.screen.payments.model import (
    IdentifierKind,
    PartyIdentifier,
    PartyRole,
    PaymentParty,
    PostalAddress,
)

_ADDRESS = {
    "Dept": "department",
    "StrtNm": "street",
    "BldgNb": "building_number",
    "BldgNm": "building_name",
    "Flr": "floor",
    "PstBx": "post_box",
    "PstCd": "postcode",
    "TwnNm": "town",
    "DstrctNm": "district",
    "CtrySubDvsn": "region",
    "Ctry": "country",
}


def clean(text: str | None) -> str | None:
    v = " ".join(text.split()) if text else ""
    return v or None


class Reader:
    """Namespaced look-ups in one document, its source name and a warnings sink."""

    def __init__(self, ns: str, source: str) -> None:
        self.ns, self.source = ns, source
        self.warnings: list[str] = []

    def _q(self, path: str) -> str:
        return "/".join(f"{{{self.ns}}}{p}" for p in path.split("/"))

    def find(self, el: Element | None, path: str) -> Element | None:
        return None if el is None else el.find(self._q(path))

    def findall(self, el: Element | None, path: str) -> list[Element]:
        return [] if el is None else el.findall(self._q(path))

    def text(self, el: Element | None, path: str) -> str | None:
        found = self.find(el, path)
        return None if found is None else clean(found.text)

    def texts(self, el: Element | None, path: str) -> list[str]:
        return [t for e in self.findall(el, path) if (t := clean(e.text))]

    def fail(self, message: str, path: str) -> PaymentFormatError:
        return PaymentFormatError(self.source, message, field=path)

    def require(self, el: Element, path: str, where: str) -> Element:
        found = self.find(el, path)
        if found is None:
            raise self.fail("mandatory element is missing", f"{where}/{path}")
        return found

    def date(self, el: Element | None, path: str, where: str) -> date | None:
        value = self.text(el, path)
        if value is None:
            return None
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise self.fail(
                f"{value!r} is not an ISO date (YYYY-MM-DD)", f"{where}/{path}"
            ) from None

    def country(self, value: str | None, path: str) -> str | None:
        if value is None:
            return None
        code = value.upper()
        if not is_country(code):
            self.warnings.append(f"{path}: {value!r} is not an ISO 3166 country code")
        return code

    def bic(self, value: str | None, path: str) -> str | None:
        if value is None:
            return None
        problem = bic_problem(value.upper())
        if problem:
            raise self.fail(problem, path)
        return value.upper()

    # ------------------------------------------------------------------ parts

    def address(self, el: Element | None, path: str) -> tuple[PostalAddress | None, list[str]]:
        adr = self.find(el, "PstlAdr")
        if adr is None:
            return None, []
        fields: dict[str, str] = {}
        for tag, attr in _ADDRESS.items():
            value = self.text(adr, tag)
            if value is not None:
                fields[attr] = value
        if "country" in fields:
            fields["country"] = self.country(fields["country"], f"{path}/PstlAdr/Ctry") or ""
        lines = self.texts(adr, "AdrLine")
        return (PostalAddress(**fields) if fields else None), lines

    def account(self, acct: Element | None) -> str | None:
        return self.text(acct, "Id/IBAN") or self.text(acct, "Id/Othr/Id")

    def other_ids(self, el: Element | None, kind: IdentifierKind) -> list[PartyIdentifier]:
        out = []
        for o in self.findall(el, "Othr"):
            value = self.text(o, "Id")
            if value:
                scheme = self.text(o, "SchmeNm/Cd") or self.text(o, "SchmeNm/Prtry")
                out.append(
                    PartyIdentifier(
                        kind=kind, value=value, scheme=scheme, issuer=self.text(o, "Issr")
                    )
                )
        return out

    def party(
        self, el: Element, role: PartyRole, path: str, acct: Element | None = None
    ) -> PaymentParty:
        """A PartyIdentification (Dbtr, Cdtr, UltmtDbtr, UltmtCdtr, InitgPty, Invcr...)."""
        address, lines = self.address(el, path)
        idents: list[PartyIdentifier] = []
        extra: dict[str, Any] = {}
        org = self.find(el, "Id/OrgId")
        bic = self.bic(
            self.text(org, "AnyBIC") or self.text(org, "BICOrBEI"), f"{path}/Id/OrgId/AnyBIC"
        )
        if bic:
            idents.append(PartyIdentifier(kind=IdentifierKind.BIC, value=bic))
        lei = self.text(org, "LEI")
        if lei:
            idents.append(PartyIdentifier(kind=IdentifierKind.LEI, value=lei))
        idents += self.other_ids(org, IdentifierKind.ORGANISATION)
        prv = self.find(el, "Id/PrvtId")
        birth = self.find(prv, "DtAndPlcOfBirth")
        if birth is not None:
            bpath = f"{path}/Id/PrvtId/DtAndPlcOfBirth"
            extra["birth_date"] = self.date(birth, "BirthDt", bpath)
            place = [
                p for p in (self.text(birth, "CityOfBirth"), self.text(birth, "PrvcOfBirth")) if p
            ]
            extra["birth_place"] = ", ".join(place) or None
            extra["birth_country"] = self.country(
                self.text(birth, "CtryOfBirth"), f"{bpath}/CtryOfBirth"
            )
        idents += self.other_ids(prv, IdentifierKind.PRIVATE)
        return make_party(
            role,
            path.rsplit("/", 1)[-1],
            name=self.text(el, "Nm"),
            account=self.account(acct),
            bic=bic,
            address_lines=lines,
            address=address,
            residence_country=self.country(self.text(el, "CtryOfRes"), f"{path}/CtryOfRes"),
            identifiers=idents,
            **extra,
        )

    def agent(
        self, el: Element, role: PartyRole, path: str, acct: Element | None = None
    ) -> PaymentParty:
        """A BranchAndFinancialInstitutionIdentification (DbtrAgt, IntrmyAgt1, ...)."""
        fi = self.require(el, "FinInstnId", path)
        fpath = f"{path}/FinInstnId"
        bic = self.bic(self.text(fi, "BICFI") or self.text(fi, "BIC"), f"{fpath}/BICFI")
        idents: list[PartyIdentifier] = []
        member = self.text(fi, "ClrSysMmbId/MmbId")
        if member:
            scheme = self.text(fi, "ClrSysMmbId/ClrSysId/Cd") or self.text(
                fi, "ClrSysMmbId/ClrSysId/Prtry"
            )
            idents.append(
                PartyIdentifier(kind=IdentifierKind.CLEARING, value=member, scheme=scheme)
            )
        lei = self.text(fi, "LEI")
        if lei:
            idents.append(PartyIdentifier(kind=IdentifierKind.LEI, value=lei))
        idents += self.other_ids(fi, IdentifierKind.ORGANISATION)
        address, lines = self.address(fi, fpath)
        return make_party(
            role,
            path.rsplit("/", 1)[-1],
            name=self.text(fi, "Nm"),
            account=self.account(acct),
            bic=bic,
            address_lines=lines,
            address=address,
            identifiers=idents,
        )
