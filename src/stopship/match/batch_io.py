"""Batch query files (CSV, XLSX, JSONL or Parquet with a ``name`` column) and resumable JSONL
output."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from stopship.cells import cell_text, csv_lines
from stopship.countries import to_iso
from stopship.errors import InputError
from stopship.match.model import Query
from stopship.model import EntityKind

COLUMNS = ("name", "kind", "country", "birth_date", "id")


@dataclass(frozen=True)
class Row:
    """One input row: its number (1-based data row), and a query or the reason it has none."""

    row: int
    line: int | None
    query: Query | None
    error: str | None
    ref: str | None = None  # the input's own ``ref`` column, when it has one


def parse_fields(row: int, line: int | None, fields: dict[str, Any], path: Path) -> Row:
    """One input row's cells as a :class:`Row` (a query, or the reason it has none); the
    batch engines call this on rows they read themselves (e.g. Parquet on Spark)."""
    r = _query(row, line, fields, path)
    ref = cell_text(fields.get("ref"))
    return r if ref is None else Row(r.row, r.line, r.query, r.error, ref)


def _query(row: int, line: int | None, fields: dict[str, Any], path: Path) -> Row:
    where = f"{path.name}, row {row}" + (f" (line {line})" if line else "")
    name = fields.get("name")
    if name is None:
        return Row(row, line, None, f"{where}: no 'name' value")
    if not isinstance(name, str):
        name = str(name)
    if any("\udc80" <= c <= "\udcff" for c in name):  # undecodable bytes (surrogateescape)
        return Row(row, line, None, f"{where}: name is not valid UTF-8")
    kind = (str(fields.get("kind") or "").strip().lower()) or None
    if kind == "any":
        kind = None
    if kind is not None and kind not in {k.value for k in EntityKind}:
        return Row(
            row,
            line,
            None,
            f"{where}: kind {kind!r} is not person, organization, vessel, aircraft or any",
        )
    country = cell_text(fields.get("country"))
    if country is not None:
        iso = to_iso(country)
        if iso is None:
            return Row(
                row,
                line,
                None,
                f"{where}: country {country!r} is not an ISO code or a known country name",
            )
        country = iso
    try:
        q = Query(
            name=name,
            kind=EntityKind(kind) if kind else None,
            country=country,
            birth_date=cell_text(fields.get("birth_date")),
            id=cell_text(fields.get("id")),
            ref=str(row),
        )
    except ValidationError as exc:
        msg = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        return Row(row, line, None, f"{where}: {msg}")
    return Row(row, line, q, None)


def read_rows(path: Path) -> Iterator[Row]:
    """Rows of a CSV, XLSX or JSONL file (by extension); a file-level problem (missing
    ``name`` column, unreadable file) raises :class:`InputError` naming the file."""
    suffix = path.suffix.lower()
    if suffix == ".parquet" and path.is_dir():  # a Parquet dataset (e.g. written by Spark)
        yield from _parquet(path)
        return
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if suffix == ".parquet":
        yield from _parquet(path)
    elif suffix in (".jsonl", ".ndjson", ".json"):
        yield from _jsonl(path)
    elif suffix in (".xlsx", ".xlsm"):
        yield from _xlsx(path)
    elif suffix in (".csv", ".tsv", ".txt"):
        yield from _csv(path, "\t" if suffix == ".tsv" else ",")
    else:
        raise InputError(
            f"{path}: unknown input format {suffix!r} (use .csv, .xlsx, .jsonl or .parquet)"
        )


def _header(path: Path, header: list[str]) -> list[str]:
    cols = [h.strip().lower().lstrip("\ufeff") for h in header]
    if "name" not in cols:
        raise InputError(f"{path}: no 'name' column in the header ({', '.join(cols) or 'empty'})")
    return cols


def _csv(path: Path, delimiter: str) -> Iterator[Row]:
    text = path.read_bytes().decode("utf-8", errors="surrogateescape")
    header, lines = csv_lines(path, text, delimiter)
    cols = _header(path, header)
    for row, (line, values) in enumerate(lines, start=1):
        if isinstance(values, csv.Error):
            yield Row(row, line, None, f"{path.name}, line {line}: malformed CSV: {values}")
        else:
            yield parse_fields(row, line, dict(zip(cols, values, strict=False)), path)


def _jsonl(path: Path) -> Iterator[Row]:
    row = 0
    with path.open("rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            row += 1
            try:
                obj = json.loads(raw.decode("utf-8"))
            except UnicodeDecodeError:
                yield Row(row, line_no, None, f"{path.name}, line {line_no}: not valid UTF-8")
                continue
            except json.JSONDecodeError as exc:
                yield Row(row, line_no, None, f"{path.name}, line {line_no}: bad JSON: {exc.msg}")
                continue
            if not isinstance(obj, dict):
                yield Row(row, line_no, None, f"{path.name}, line {line_no}: not a JSON object")
                continue
            yield parse_fields(row, line_no, obj, path)


def _xlsx(path: Path) -> Iterator[Row]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:
        raise InputError(f"{path}: not a readable XLSX workbook ({exc})") from exc
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        try:
            header = next(rows)
        except StopIteration:
            raise InputError(f"{path}: the first sheet is empty") from None
        cols = _header(path, ["" if h is None else str(h) for h in header])
        row = 0
        for line, values in enumerate(rows, start=2):
            if not any(v is not None and str(v).strip() for v in values):
                continue
            row += 1
            fields = {c: v for c, v in zip(cols, values, strict=False) if v is not None}
            yield parse_fields(row, line, fields, path)
    finally:
        wb.close()


def parquet_files(path: Path) -> list[Path]:
    """The data files of a Parquet file or dataset folder, in name order (row order)."""
    if path.is_file():
        return [path]
    files = sorted(
        p for p in path.rglob("*.parquet") if p.is_file() and not p.name.startswith((".", "_"))
    )
    if not files:
        raise InputError(f"{path}: no .parquet files in this folder")
    return files


def _parquet(path: Path) -> Iterator[Row]:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise InputError(
            f"{path}: reading Parquet needs pyarrow (pip install 'stopship[spark]')"
        ) from exc
    row = 0
    for f in parquet_files(path):
        try:
            pf = pq.ParquetFile(f)
        except Exception as exc:
            raise InputError(f"{f}: not a readable Parquet file ({exc})") from exc
        cols = [c for c in pf.schema_arrow.names if c.strip().lower() in (*COLUMNS, "ref")]
        if "name" not in {c.strip().lower() for c in cols}:
            raise InputError(f"{f}: no 'name' column ({', '.join(pf.schema_arrow.names)})")
        for batch in pf.iter_batches(batch_size=8192, columns=cols):
            names = [c.strip().lower() for c in batch.schema.names]
            for values in zip(*(c.to_pylist() for c in batch.columns), strict=True):
                row += 1
                fields = {k: v for k, v in zip(names, values, strict=True) if v is not None}
                yield parse_fields(row, None, fields, f)


def completed_rows(out: Path) -> int:
    """Rows already written to a JSONL output (a torn last line is cut off)."""
    if not out.is_file():
        return 0
    data = out.read_bytes()
    if data and not data.endswith(b"\n"):
        data = data[: data.rfind(b"\n") + 1]
        with out.open("r+b") as fh:
            fh.truncate(len(data))
    return data.count(b"\n")
