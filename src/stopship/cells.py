"""Spreadsheet and CSV cell values as text, shared by every tabular reader."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from stopship.errors import InputError


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


CsvLine = tuple[int, "list[str] | csv.Error"]


def csv_lines(path: Path, text: str, delimiter: str) -> tuple[list[str], Iterator[CsvLine]]:
    """The header of a CSV text, and its non-blank rows as (line number, cells), or (line
    number, the error) for a malformed row. An empty file or a broken header is an
    :class:`InputError` naming the file."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(f"{path}: the file is empty") from None
    except csv.Error as exc:
        raise InputError(f"{path}, line 1: {exc}") from exc

    def rows() -> Iterator[CsvLine]:
        while True:
            line = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield line, exc
                continue
            if any(v.strip() for v in values):
                yield line, values

    return header, rows()
