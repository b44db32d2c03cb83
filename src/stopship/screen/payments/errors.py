"""Errors raised while reading payment messages.

Kept here (not in :mod:`stopship.errors`) so the payments package is self-contained;
both classes derive from :class:`~stopship.errors.StopshipError`, so the CLI handles them
like every other error (exit code 3, the same as a malformed list file).
"""

from __future__ import annotations

from stopship.errors import StopshipError


class PaymentFormatError(StopshipError):
    """A payment message is malformed, of the wrong type, or misses a mandatory field.

    ``field`` names the MT field (``":32A:"``, ``"block 4"``) or the ISO 20022 element
    path (``"FIToFICstmrCdtTrf/CdtTrfTxInf[2]/IntrBkSttlmAmt"``); ``line`` is the
    1-based line in the source text, when known.
    """

    exit_code = 3

    def __init__(
        self,
        source: str,
        message: str,
        *,
        field: str | None = None,
        line: int | None = None,
    ) -> None:
        self.source = source
        self.message = message
        self.field = field
        self.line = line
        where = source
        if line is not None:
            where += f", line {line}"
        if field is not None:
            where += f" [{field}]"
        super().__init__(f"{where}: {message}")


class UnsafePaymentXMLError(PaymentFormatError):
    """An XML payment message uses a DTD, entity expansion or external entities."""
