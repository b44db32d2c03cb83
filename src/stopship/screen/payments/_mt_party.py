"""MT103 party fields (50a, 52a-57a, 59a) -> :class:`PaymentParty`.

Options: A = [party identifier] + BIC; B = [party identifier] + [location];
C = /account; D, K and 59 (no letter) = [/account] + up to 4 lines name and address;
F = party identifier + numbered lines ``n/details`` (50F: 1 name, 2 address, 3 country/town,
4 date of birth, 5 place of birth, 6 customer id, 7 national id, 8 continuation of an id;
59F: 1 name, 2 address, 3 country/town, the party identifier line optional).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, NoReturn

from stopship.screen.payments._common import bic_problem, is_country, make_party
from stopship.screen.payments._fin import FinField
from stopship.screen.payments.model import (
    IdentifierKind,
    PartyIdentifier,
    PartyRole,
    PaymentParty,
    PostalAddress,
)

#: field number -> (role, allowed options; "-" is the field without a letter)
PARTY_FIELDS: dict[str, tuple[PartyRole, str]] = {
    "50": (PartyRole.DEBTOR, "AFK"),
    "52": (PartyRole.DEBTOR_AGENT, "AD"),
    "53": (PartyRole.SENDERS_CORRESPONDENT, "ABD"),
    "54": (PartyRole.RECEIVERS_CORRESPONDENT, "ABD"),
    "55": (PartyRole.THIRD_REIMBURSEMENT, "ABD"),
    "56": (PartyRole.INTERMEDIARY, "ACD"),
    "57": (PartyRole.CREDITOR_AGENT, "ABCD"),
    "59": (PartyRole.CREDITOR, "-AF"),
}

_F_CODES: dict[str, IdentifierKind] = {
    "ARNU": IdentifierKind.PRIVATE,  # alien registration number
    "CCPT": IdentifierKind.PRIVATE,  # passport
    "DRLC": IdentifierKind.PRIVATE,  # driver's licence (with issuer)
    "NIDN": IdentifierKind.PRIVATE,  # national identity number
    "SOSE": IdentifierKind.PRIVATE,  # social security number
    "CUST": IdentifierKind.UNSPECIFIED,  # customer identification number (with issuer)
    "EMPL": IdentifierKind.UNSPECIFIED,  # employer number (with issuer)
    "TXID": IdentifierKind.UNSPECIFIED,  # tax identification number
}
_WITH_ISSUER = frozenset({"CUST", "DRLC", "EMPL"})
_F_CODE_LINE = re.compile(r"([A-Z]{4})/([A-Z]{2})/(.+)")
_NUMBERED = re.compile(r"([1-8])/(.*)")

Fail = Callable[[str, int], NoReturn]
Row = tuple[int, str]  # (source line, text)


def _rows(f: FinField) -> list[Row]:
    return [(f.line + i, text.rstrip()) for i, text in enumerate(f.lines)]


def _identifier_line(text: str) -> tuple[str | None, list[PartyIdentifier]]:
    """``/account``, ``/C/account`` (debit/credit mark) or ``//XX code`` (clearing)."""
    if text.startswith("//"):
        code = text[2:]
        scheme, member = (code[:2], code[2:]) if len(code) > 2 else (None, code)
        kind = IdentifierKind.CLEARING
        return None, [PartyIdentifier(kind=kind, value=member.strip(), scheme=scheme)]
    body = text[1:]
    if re.match(r"[A-Z]/", body):
        body = body[2:]
    return (body.strip() or None), []


def parse_party(f: FinField, fail: Fail, residence: str | None = None) -> PaymentParty:
    """One party field; ``fail(message, line)`` raises the caller's format error."""
    role, _options = PARTY_FIELDS[f.tag[:2]]
    option = f.tag[2:]
    rows = _rows(f)
    if option == "F":
        return _option_f(f, rows, role, fail, residence)
    account: str | None = None
    identifiers: list[PartyIdentifier] = []
    has_identifier = bool(rows) and rows[0][1].startswith("/")
    if has_identifier:
        account, identifiers = _identifier_line(rows.pop(0)[1])

    def build(**kw: Any) -> PaymentParty:
        return make_party(
            role,
            f.tag,
            account=account,
            identifiers=identifiers,
            residence_country=residence,
            **kw,
        )

    if option == "A":
        if len(rows) != 1:
            fail(
                f"option A takes [/party identifier] and one BIC line, found {len(f.lines)} lines",
                f.line,
            )
        line, bic = rows[0][0], rows[0][1].strip()
        problem = bic_problem(bic)
        if problem:
            fail(problem, line)
        return build(bic=bic)
    if option == "C":
        if rows or not has_identifier:
            fail("option C takes exactly one line '/account' or '//clearing code'", f.line)
        return build()
    if option == "B":
        if len(rows) > 1:
            fail("option B takes [/party identifier] and at most one location line", rows[1][0])
        return build(address_lines=[r[1].strip() for r in rows])
    if not rows or not rows[0][1].strip():
        fail("no name: the field holds an account line only", f.line)
    return build(
        name=rows[0][1].strip(),
        address_lines=[r[1].strip() for r in rows[1:] if r[1].strip()],
    )


def _option_f(
    f: FinField, rows: list[Row], role: PartyRole, fail: Fail, residence: str | None
) -> PaymentParty:
    account: str | None = None
    idents: list[PartyIdentifier] = []
    is_50 = f.tag == "50F"
    if rows and (is_50 or rows[0][1].startswith("/")):
        line, text = rows.pop(0)
        if text.startswith("/"):
            account = text[1:].strip() or None
        else:
            m = _F_CODE_LINE.fullmatch(text)
            if m is None or m.group(1) not in _F_CODES:
                fail(
                    "the first line of 50F must be the party identifier: '/account' or "
                    f"'CODE/CC/identifier' with CODE one of {', '.join(_F_CODES)}; found "
                    f"{text!r}",
                    line,
                )
            code, cc, rest = m.groups()
            issuer = None
            if code in _WITH_ISSUER and "/" in rest:
                issuer, rest = rest.split("/", 1)
            idents.append(
                PartyIdentifier(
                    kind=_F_CODES[code], value=rest, scheme=code, issuer=issuer, country=cc
                )
            )
    names: list[str] = []
    street: list[str] = []
    country: str | None = None
    town: list[str] = []
    extra: dict[str, Any] = {}
    allowed = "12345678" if is_50 else "123"
    for line, text in rows:
        m = _NUMBERED.fullmatch(text)
        if m is None or m.group(1) not in allowed:
            fail(
                f"expected a numbered line 'n/details' with n in {', '.join(allowed)}; "
                f"found {text!r}",
                line,
            )
        num, detail = m.group(1), m.group(2).strip()
        if num == "1":
            names.append(detail)
        elif num == "2":
            street.append(detail)
        elif num == "3":
            if country is None:
                cc, _, place = detail.partition("/")
                if not is_country(cc):
                    fail(f"line 3/ must start with an ISO country code: {detail!r}", line)
                country = cc
                town.append(place.strip())
            else:
                town.append(detail)
        elif num == "4":
            try:
                extra["birth_date"] = _yyyymmdd(detail)
            except ValueError:
                fail(f"line 4/ date of birth must be YYYYMMDD: {detail!r}", line)
        elif num == "5":
            cc, _, place = detail.partition("/")
            if not is_country(cc):
                fail(f"line 5/ place of birth must start with a country code: {detail!r}", line)
            extra["birth_country"], extra["birth_place"] = cc, place.strip() or None
        elif num in "67":
            idents.append(_numbered_id(num, detail, line, fail))
        else:  # "8": continues the last identifier
            if not idents:
                fail("line 8/ continues an identifier, but none precedes it", line)
            last = idents[-1]
            idents[-1] = last.model_copy(update={"value": last.value + detail})
    if not names:
        fail(f"{f.label} has no name line '1/...'", f.line)
    address = None
    if country or town:
        address = PostalAddress(town=" ".join(t for t in town if t) or None, country=country)
    return make_party(
        role,
        f.tag,
        name=" ".join(names),
        account=account,
        address_lines=street,
        address=address,
        residence_country=residence,
        identifiers=idents,
        **extra,
    )


def _numbered_id(num: str, detail: str, line: int, fail: Fail) -> PartyIdentifier:
    parts = detail.split("/")
    if num == "6":  # CC/issuer/customer identification number
        if len(parts) < 3 or not is_country(parts[0]):
            fail(f"line 6/ must be 'CC/issuer/customer id': {detail!r}", line)
        return PartyIdentifier(
            kind=IdentifierKind.UNSPECIFIED,
            value="/".join(parts[2:]),
            scheme="CUST",
            issuer=parts[1],
            country=parts[0],
        )
    if len(parts) < 2 or not is_country(parts[0]):  # 7: CC/national identity number
        fail(f"line 7/ must be 'CC/national identity number': {detail!r}", line)
    return PartyIdentifier(
        kind=IdentifierKind.PRIVATE, value="/".join(parts[1:]), scheme="NIDN", country=parts[0]
    )


def _yyyymmdd(text: str) -> date:
    return datetime.strptime(text, "%Y%m%d").date()
