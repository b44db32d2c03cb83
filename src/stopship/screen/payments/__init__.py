"""Payment messages -> :class:`Payment` objects for screening.

Two formats, detected from content: ISO 20022 pacs.008 XML (a document starting with
``<``) and SWIFT MT103 FIN messages (starting with ``{``; several in one text may be
separated by ``$`` or blank lines). Everything else is a :class:`PaymentFormatError`
saying what was expected.

Example::

    for payment in parse_payment_file("transfer.fin"):
        creditor = payment.party(PartyRole.CREDITOR)
"""

from __future__ import annotations

import re
from pathlib import Path

from stopship.screen.payments.errors import PaymentFormatError, UnsafePaymentXMLError
from stopship.screen.payments.model import (
    IdentifierKind,
    MessageType,
    PartyIdentifier,
    PartyRole,
    Payment,
    PaymentParty,
    PostalAddress,
)
from stopship.screen.payments.mt103 import parse_mt103
from stopship.screen.payments.pacs008 import parse_pacs008

__all__ = [
    "IdentifierKind",
    "MessageType",
    "PartyIdentifier",
    "PartyRole",
    "Payment",
    "PaymentFormatError",
    "PaymentParty",
    "PostalAddress",
    "UnsafePaymentXMLError",
    "detect_format",
    "parse_mt103",
    "parse_pacs008",
    "parse_payment",
    "parse_payment_file",
]

_BOM = "\ufeff"
_EXPECTED = (
    "expected an ISO 20022 pacs.008 XML document ('<?xml ...' / '<Document xmlns=\"urn:iso:"
    "std:iso:20022:tech:xsd:pacs.008.001.NN\">') or SWIFT MT103 FIN messages "
    "('{1:...}{2:I103...}{4:' ... '-}')"
)


def _head(data: bytes | str) -> str:
    """The first non-blank characters, for format detection."""
    chunk = data[:4096]
    text = chunk.decode("utf-8", errors="replace") if isinstance(chunk, bytes) else chunk
    return text.lstrip(_BOM + " \t\r\n\x00")


def detect_format(data: bytes | str) -> MessageType | None:
    """The format ``data`` is in: ``"pacs.008"`` for XML, ``"MT103"`` for FIN block
    structure, None for anything else. (XML of another ISO 20022 message is reported as
    ``"pacs.008"`` here; the pacs.008 parser then names the message it found.)"""
    head = _head(data)
    if head.startswith("<"):
        return "pacs.008"
    if re.match(r"\{[0-9A-Z]{1,3}:", head):
        return "MT103"
    return None


def _text(data: bytes | str, source: str) -> str:
    if isinstance(data, str):
        return data.removeprefix(_BOM)
    try:
        return data.decode("utf-8").removeprefix(_BOM)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PaymentFormatError(
            source,
            f"not UTF-8/ASCII text (bad byte 0x{data[exc.start]:02x} at offset {exc.start})",
            line=line,
        ) from exc


def parse_payment(
    data: bytes | str, source: str = "<message>", *, strict: bool = False
) -> list[Payment]:
    """Every payment in ``data``: one per MT103 message, one per pacs.008 CdtTrfTxInf.

    ``strict`` makes MT103 line-length and line-count overruns errors instead of
    warnings (see :mod:`stopship.screen.payments.mt103`).
    """
    kind = detect_format(data)
    if kind == "pacs.008":
        return parse_pacs008(data, source)
    if kind == "MT103":
        return parse_mt103(_text(data, source), source, strict=strict)
    head = _head(data)
    if not head:
        raise PaymentFormatError(source, f"empty message; {_EXPECTED}")
    if re.match(r":\d{2}[A-Z]?:", head):
        raise PaymentFormatError(
            source,
            "MT field text without FIN blocks: no block 4 ('{4:' ... '-}') found",
            field="block 4",
            line=1,
        )
    return _unknown(source, head)


def _unknown(source: str, head: str) -> list[Payment]:
    snippet = head[:30].split("\n", 1)[0]
    raise PaymentFormatError(source, f"unrecognised content starting {snippet!r}; {_EXPECTED}")


def parse_payment_file(path: Path | str, *, strict: bool = False) -> list[Payment]:
    """Every payment in a file (several MT103 messages, or one pacs.008 document)."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise PaymentFormatError(str(p), f"cannot read file: {exc.strerror or exc}") from exc
    return parse_payment(data, str(p), strict=strict)
