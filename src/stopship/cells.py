"""Spreadsheet and CSV cell values as text, shared by every tabular reader."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any


def cell_text(value: Any) -> str | None:
    """A cell as text: a date cell as an ISO date, a whole-number float as an integer
    ("12345.0" -> "12345"); None when blank."""
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None
