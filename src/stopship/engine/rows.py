"""Rows as both engines screen them: the same strict checks, the same matcher call
(:func:`stopship.match.parallel.match_chunks`), the same output lines, in input order."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from stopship.cli.match import result_json
from stopship.match.batch_io import Row
from stopship.match.engine import Matcher
from stopship.match.model import MAX_NAME_LENGTH, Query
from stopship.match.parallel import match_chunks

#: rows per matcher call (and per job of the local worker pool)
CHUNK = 512
#: the input columns an engine reads (``row``/``line`` are added by the reader)
INPUT_COLUMNS = ("name", "kind", "country", "birth_date", "id", "ref")


@dataclass(frozen=True, slots=True)
class Outcome:
    """One row's result: its JSON line, or the reason it was not screened."""

    row: int
    line: int | None
    ref: str | None
    alert: bool
    text: str | None  # the JSON line of a screened row
    error: str | None  # why the row was not screened

    def error_record(self) -> dict[str, Any]:
        return {"row": self.row, "line": self.line, "ref": self.ref, "error": self.error}


def name_problem(name: str) -> str | None:
    """Why a name cannot be screened as given (empty, blank, too long, broken encoding,
    control characters), or None."""
    if not name:
        return "name is empty"
    if not name.strip():
        return "name is whitespace only"
    if len(name) > MAX_NAME_LENGTH:
        return f"name is {len(name)} characters long; the limit is {MAX_NAME_LENGTH}"
    for ch in name:
        if "\udc80" <= ch <= "\udcff":
            return "name is not valid UTF-8"
        if ch == "\ufffd":
            return "name contains U+FFFD (a character lost to a broken encoding)"
        if unicodedata.category(ch) == "Cc":
            return f"name contains the control character U+{ord(ch):04X}"
    return None


def checked(r: Row, source: str) -> Row:
    """``r``, or ``r`` as an error row when its name fails :func:`name_problem`."""
    if r.query is None:
        return r
    problem = name_problem(r.query.name)
    if problem is None:
        return r
    where = f"{source}, row {r.row}" + (f" (line {r.line})" if r.line else "")
    return Row(r.row, r.line, None, f"{where}: {problem}", r.ref)


def match_rows(
    matcher: Matcher,
    rows: Iterable[Row],
    source: str,
    *,
    threshold: float,
    limit: int,
    only: Collection[str] | None = None,
    workers: int = 1,
) -> Iterator[Outcome]:
    """Screen ``rows`` (already :func:`checked`) and yield one :class:`Outcome` per row, in
    order. ``workers`` > 1 forks the local worker pool of :mod:`stopship.match.parallel`."""
    todo = list(rows)
    chunks: list[list[tuple[int, Query]]] = []
    for start in range(0, len(todo), CHUNK):
        chunks.append([(r.row, r.query) for r in todo[start : start + CHUNK] if r.query])
    results = match_chunks(matcher, chunks, threshold, limit, workers, result_json, only)
    for start, chunk_out in zip(range(0, len(todo), CHUNK), results, strict=True):
        by_row = {row: (text, alert, failed) for row, text, alert, failed in chunk_out}
        for r in todo[start : start + CHUNK]:
            if r.query is None:
                yield Outcome(r.row, r.line, r.ref, False, None, r.error or f"row {r.row}")
                continue
            text, alert, failed = by_row[r.row]
            if failed:  # the matcher refused the name (e.g. no letters or digits)
                reason = str(json.loads(text)["error"]).removeprefix(f"row {r.row}: ")
                where = f"{source}, row {r.row}" + (f" (line {r.line})" if r.line else "")
                yield Outcome(r.row, r.line, r.ref, False, None, f"{where}: {reason}")
            else:
                yield Outcome(r.row, r.line, r.ref, alert, text, None)


#: the Parquet columns of a screened row: the CLI's JSON line, one column per top-level
#: key; nested values (query, hits with their explanations, ...) as JSON text
PARQUET_JSON_FIELDS = ("query", "normalized", "list_versions", "hits", "warnings")


def parquet_record(o: Outcome) -> dict[str, Any]:
    assert o.text is not None
    data = json.loads(o.text)
    rec: dict[str, Any] = {"row": o.row, "ref": o.ref, "alert": o.alert}
    for key in PARQUET_JSON_FIELDS:
        rec[key] = json.dumps(data.get(key), ensure_ascii=False)
    return rec
