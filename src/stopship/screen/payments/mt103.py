"""SWIFT MT103 (single customer credit transfer) -> :class:`Payment`.

What is an error and what is a warning:

* errors (:class:`PaymentFormatError`, naming the field and source line): no block 4 or
  an unclosed block; a block 2 of another message type; a line starting with ``:`` that is
  not a field tag; a tag that is not an MT103 field or option; a non-repeatable field
  given twice; a missing :20:, :32A:, :50a: or :59a:; a bad :32A:/:33B: date, currency or
  amount; a malformed BIC in option A; a 50F/59F line that breaks the numbered-line rules.
* warnings (``Payment.warnings``), because the content is still readable and refusing it
  would leave a payment unscreened: lines longer than 35 characters or more lines than
  the field allows, characters outside the SWIFT X set, a missing :23B: or :71A:, an
  over-long or badly slashed :20:, no block 2. ``strict=True`` turns the line-length and
  line-count warnings into errors.

Years in YYMMDD dates follow Python's ``%y`` (00-68 -> 20xx, 69-99 -> 19xx).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import NoReturn

from stopship.screen.payments._common import bic_problem, make_party
from stopship.screen.payments._fin import FinField, FinMessage, block4_fields, split_messages
from stopship.screen.payments._mt_party import PARTY_FIELDS, parse_party
from stopship.screen.payments.errors import PaymentFormatError
from stopship.screen.payments.model import PartyRole, Payment, PaymentParty

_OTHER_TAGS = frozenset(
    {
        "13C",
        "20",
        "23B",
        "23E",
        "26T",
        "32A",
        "33B",
        "36",
        "51A",
        "70",
        "71A",
        "71F",
        "71G",
        "72",
        "77B",
        "77T",
    }
)
_REPEATABLE = frozenset({"13C", "23E", "71F"})
_MAX_LINES = {"70": 4, "72": 6, "77B": 3}
_NO_LIMIT = frozenset({"77T"})
_X_CHARSET = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]*")
_AMOUNT = re.compile(r"\d+,\d*")
_RESIDENCE = re.compile(r"/(ORDERRES|BENEFRES)/([A-Z]{2})\b")


def parse_mt103(text: str, source: str = "<message>", *, strict: bool = False) -> list[Payment]:
    """Every MT103 in ``text`` (one or several FIN messages)."""
    messages = split_messages(text, source)
    if not messages:
        raise PaymentFormatError(source, "no FIN message found")
    return [_Parser(m, source, i, strict).parse() for i, m in enumerate(messages)]


def _allowed(tag: str) -> bool:
    if tag in _OTHER_TAGS:
        return True
    spec = PARTY_FIELDS.get(tag[:2])
    return spec is not None and (tag[2:] or "-") in spec[1]


class _Parser:
    def __init__(self, msg: FinMessage, source: str, index: int, strict: bool) -> None:
        self.msg, self.source, self.index, self.strict = msg, source, index, strict
        self.warnings: list[str] = []

    def fail(self, message: str, line: int | None = None, field: str | None = None) -> NoReturn:
        raise PaymentFormatError(self.source, message, field=field, line=line)

    def parse(self) -> Payment:
        self._check_block2()
        if "4" not in self.msg.blocks:
            self.fail("no block 4 (the text block '{4:' ... '-}')", self.msg.line, "block 4")
        fields = block4_fields(self.msg, self.source)
        by_tag = self._index(fields)
        for tag in ("20", "32A"):
            if tag not in by_tag:
                self.fail(f"mandatory field :{tag}: is missing", self.msg.block4_line, "block 4")
        for num, name in (("50", "ordering customer"), ("59", "beneficiary customer")):
            if not any(t[:2] == num for t in by_tag):
                self.fail(
                    f"mandatory field :{num}a: ({name}) is missing", self.msg.block4_line, "block 4"
                )
        for tag in ("23B", "71A"):
            if tag not in by_tag:
                self.warnings.append(f"mandatory field :{tag}: is missing")
        for f in fields:
            self._check_lines(f)
        f32 = by_tag["32A"]
        value_date, currency, amount = self._amount(f32, with_date=True)
        instructed = self._amount(by_tag["33B"], with_date=False) if "33B" in by_tag else None
        reference = self._reference(by_tag["20"])
        reg = list(by_tag["77B"].lines) if "77B" in by_tag else []
        residence = {m.group(1): m.group(2) for m in _RESIDENCE.finditer("\n".join(reg))}
        parties = self._header_parties()
        for f in fields:
            if f.tag[:2] in PARTY_FIELDS:
                res = None
                if f.tag[:2] == "50":
                    res = residence.get("ORDERRES")
                elif f.tag[:2] == "59":
                    res = residence.get("BENEFRES")
                parties.append(parse_party(f, self._field_fail(f), res))
        return Payment(
            message_type="MT103",
            message_id=reference,
            uetr=self._block3().get("121"),
            value_date=value_date,
            currency=currency,
            amount=amount,
            instructed_currency=instructed[1] if instructed else None,
            instructed_amount=instructed[2] if instructed else None,
            bank_operation_code=self._single(by_tag, "23B"),
            charge_bearer=self._single(by_tag, "71A"),
            parties=parties,
            remittance_information=["\n".join(by_tag["70"].lines)] if "70" in by_tag else [],
            purpose=self._single(by_tag, "26T"),
            sender_to_receiver_info=list(by_tag["72"].lines) if "72" in by_tag else [],
            regulatory_reporting=reg,
            warnings=self.warnings,
            source=self.source,
            index=self.index,
            line=self.msg.line,
            raw=self.msg.text,
        )

    # ------------------------------------------------------------------ envelope

    def _check_block2(self) -> None:
        b2 = self.msg.blocks.get("2")
        if b2 is None:
            self.warnings.append("no block 2: message type not stated, read as MT103")
            return
        m = re.match(r"([IO])(\d{3})", b2)
        if m is None:
            self.fail(
                f"block 2 does not start with I or O and a message type: {b2[:20]!r}",
                self.msg.line,
                "block 2",
            )
        if m.group(2) != "103":
            self.fail(f"this is an MT{m.group(2)} message, not an MT103", self.msg.line, "block 2")

    def _block3(self) -> dict[str, str]:
        return dict(re.findall(r"\{(\d{3}):([^{}]*)\}", self.msg.blocks.get("3", "")))

    def _header_parties(self) -> list[PaymentParty]:
        """Sender and receiver from the logical terminal addresses of blocks 1 and 2."""
        b1, b2 = self.msg.blocks.get("1", ""), self.msg.blocks.get("2", "")
        own = re.match(r"F01([A-Z0-9]{12})", b1)
        lt_own = own.group(1) if own else None
        if b2.startswith("O"):  # output: sender in block 2's MIR, receiver in block 1
            ends = [
                (b2[14:26], PartyRole.INSTRUCTING_AGENT, "block 2"),
                (lt_own, PartyRole.INSTRUCTED_AGENT, "block 1"),
            ]
        else:  # input: sender in block 1, receiver in block 2
            ends = [
                (lt_own, PartyRole.INSTRUCTING_AGENT, "block 1"),
                (b2[4:16] if b2.startswith("I") else None, PartyRole.INSTRUCTED_AGENT, "block 2"),
            ]
        out: list[PaymentParty] = []
        for lt, role, block in ends:
            if not lt:
                continue
            bic = lt[:8] + (lt[9:12] if lt[9:12] != "XXX" else "")
            if len(lt) != 12 or bic_problem(bic):
                self.warnings.append(f"{block}: {lt!r} is not a logical terminal address")
                continue
            out.append(make_party(role, block, bic=bic))
        return out

    # ------------------------------------------------------------------ fields

    def _index(self, fields: list[FinField]) -> dict[str, FinField]:
        by_tag: dict[str, FinField] = {}
        seen_num: dict[str, FinField] = {}
        for f in fields:
            if not _allowed(f.tag):
                spec = PARTY_FIELDS.get(f.tag[:2])
                if spec:
                    opts = ", ".join(f":{f.tag[:2]}{o if o != '-' else ''}:" for o in spec[1])
                    self.fail(
                        f"option {f.tag[2:] or '(none)'} is not allowed here; MT103 takes {opts}",
                        f.line,
                        f.label,
                    )
                self.fail("not an MT103 field", f.line, f.label)
            key = f.tag[:2] if f.tag[:2] in PARTY_FIELDS else f.tag
            if key in seen_num and f.tag not in _REPEATABLE:
                self.fail(f"field repeated (first at line {seen_num[key].line})", f.line, f.label)
            seen_num[key] = f
            by_tag.setdefault(f.tag, f)
        return by_tag

    def _field_fail(self, f: FinField) -> _FieldFail:
        return _FieldFail(self.source, f.label)

    def _check_lines(self, f: FinField) -> None:
        if f.tag in _NO_LIMIT:
            return
        for i, text in enumerate(f.lines):
            if len(text) > 35:
                self._tolerate(f, f.line + i, f"line has {len(text)} characters; the limit is 35")
            if not _X_CHARSET.fullmatch(text):
                bad = "".join(sorted({c for c in text if not _X_CHARSET.fullmatch(c)}))
                self.warnings.append(
                    f"{f.label} line {f.line + i}: characters outside the SWIFT X set: {bad!r}"
                )
        limit = _MAX_LINES.get(f.tag)
        if f.tag[:2] in PARTY_FIELDS:
            limit = 5 if f.tag[2:] in ("", "D", "F", "K") else 2
        if limit is not None and len(f.lines) > limit:
            self._tolerate(f, f.line, f"{len(f.lines)} lines; the field takes at most {limit}")

    def _tolerate(self, f: FinField, line: int, message: str) -> None:
        if self.strict:
            self.fail(message, line, f.label)
        self.warnings.append(f"{f.label} line {line}: {message}")

    def _single(self, by_tag: dict[str, FinField], tag: str) -> str | None:
        f = by_tag.get(tag)
        return " ".join(s.strip() for s in f.lines).strip() or None if f else None

    def _reference(self, f: FinField) -> str:
        ref = f.lines[0].strip() if f.lines else ""
        if not ref:
            self.fail("the sender's reference is empty", f.line, f.label)
        if len(ref) > 16:
            self.warnings.append(f"{f.label}: reference longer than 16 characters")
        if ref.startswith("/") or ref.endswith("/") or "//" in ref:
            self.warnings.append(
                f"{f.label}: reference must not start or end with '/' or contain '//'"
            )
        return ref

    def _amount(self, f: FinField, *, with_date: bool) -> tuple[date | None, str, Decimal]:
        text = "".join(s.strip() for s in f.lines)
        rx = r"(\d{6})([A-Z]{3})(.*)" if with_date else r"()([A-Z]{3})(.*)"
        expected = "YYMMDD, currency, amount" if with_date else "currency, amount"
        m = re.fullmatch(rx, text)
        if m is None:
            self.fail(
                f"expected {expected} (e.g. "
                f"{'240315' if with_date else ''}EUR1250,00), found {text!r}",
                f.line,
                f.label,
            )
        value_date = None
        if with_date:
            try:
                value_date = datetime.strptime(m.group(1), "%y%m%d").date()
            except ValueError:
                self.fail(f"{m.group(1)!r} is not a valid YYMMDD date", f.line, f.label)
        amount = m.group(3)
        if not _AMOUNT.fullmatch(amount) or len(amount) > 15:
            self.fail(
                f"amount {amount!r} must be digits with one decimal comma "
                "(e.g. 1250,00 or 1250,), at most 15 characters",
                f.line,
                f.label,
            )
        return value_date, m.group(2), Decimal(amount.replace(",", ".").rstrip("."))


class _FieldFail:
    """The ``fail`` callback the party parser uses, bound to one field."""

    def __init__(self, source: str, label: str) -> None:
        self.source, self.label = source, label

    def __call__(self, message: str, line: int) -> NoReturn:
        raise PaymentFormatError(self.source, message, field=self.label, line=line)
