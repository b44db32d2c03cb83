"""What runs inside Spark's Python workers: the shipped index (or screener) is loaded once
per worker process and whole partitions go through the same code as the local engine."""

from __future__ import annotations

import gc
import json
import pickle
from collections.abc import Callable, Collection, Iterator
from pathlib import Path
from typing import Any

from stopship.engine.rows import (
    INPUT_COLUMNS,
    PARQUET_JSON_FIELDS,
    checked,
    match_rows,
    parquet_record,
)
from stopship.engine.screening import error_json, order_line
from stopship.index.build import MatchIndex
from stopship.match.batch_io import Row, parse_fields
from stopship.match.engine import Matcher
from stopship.screen.orders import Order

#: one shipped object per worker process: (file name, object)
_LOADED: dict[str, Any] = {}

#: the columns of a matched partition (the Parquet JSON fields only for Parquet output)
MATCH_OUT = (
    "row long, line long, ref string, alert boolean, text string, error string, "
    + ", ".join(f"{k} string" for k in PARQUET_JSON_FIELDS)
)
SCREEN_OUT = "seq long, text string, flagged boolean, error boolean"


def shipped(name: str) -> Any:
    """The object pickled in the file ``name`` shipped with ``SparkContext.addFile`` (loaded
    once per worker process; a newer file replaces the older one)."""
    obj = _LOADED.get(name)
    if obj is None:
        from pyspark import SparkFiles

        _LOADED.clear()
        gc.collect()
        with open(SparkFiles.get(name), "rb") as fh:
            obj = pickle.load(fh)  # our own index file, shipped by the driver
        _LOADED[name] = obj
        gc.freeze()  # long-lived: keep the collector from walking it
    return obj


CODE_MISMATCH = "executors run other stopship code than the driver"


def same_code(index: MatchIndex, driver_key: str) -> None:
    """Refuse to match when this worker's normalisation code differs from the driver's
    (another stopship version on the executors would give other answers)."""
    key = MatchIndex.key(index.versions)
    if key != driver_key:
        raise RuntimeError(
            f"{CODE_MISMATCH} (index key {key} here, {driver_key} on the driver): "
            "install the same stopship on every executor"
        )


def _matcher(name: str, driver_key: str) -> Matcher:
    key = f"{name}#{driver_key}"  # checked again for each driver
    m = _LOADED.get(key)
    if m is None:
        index = shipped(name)
        same_code(index, driver_key)
        m = _LOADED[key] = Matcher(index)
    assert isinstance(m, Matcher)
    return m


def row_of(rec: dict[str, Any], source: str) -> Row:
    """An input record (``row``, ``line``, the input columns, ``error``) as a checked Row."""
    row = int(rec["row"])
    line = int(rec["line"]) if rec.get("line") else None
    ref = rec.get("ref")
    ref = None if ref is None else str(ref)
    if rec.get("error"):
        return Row(row, line, None, str(rec["error"]), ref)
    fields = {k: rec[k] for k in INPUT_COLUMNS if rec.get(k) is not None}
    return checked(parse_fields(row, line, fields, Path(source)), source)


def match_partitions(
    index_file: str,
    source: str,
    threshold: float,
    limit: int,
    only: Collection[str] | None,
    parquet: bool,
    driver_key: str,
) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """The ``mapInArrow`` function that matches partitions of input records."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        matcher = _matcher(index_file, driver_key)
        for batch in batches:
            rows = [row_of(r, source) for r in batch.to_pylist()]
            out = []
            for o in match_rows(matcher, rows, source, threshold=threshold, limit=limit, only=only):
                rec: dict[str, Any] = {
                    "row": o.row,
                    "line": o.line,
                    "ref": o.ref,
                    "alert": o.alert,
                    "text": o.text,
                    "error": o.error,
                }
                if parquet and o.error is None:
                    rec.update({k: parquet_record(o)[k] for k in PARQUET_JSON_FIELDS})
                out.append(rec)
            yield pa.RecordBatch.from_pylist(out, schema=_match_schema())

    return run


def _match_schema() -> Any:
    import pyarrow as pa

    return pa.schema(
        [
            ("row", pa.int64()),
            ("line", pa.int64()),
            ("ref", pa.string()),
            ("alert", pa.bool_()),
            ("text", pa.string()),
            ("error", pa.string()),
        ]
        + [(k, pa.string()) for k in PARQUET_JSON_FIELDS]
    )


def screen_partitions(
    screener_file: str, driver_key: str
) -> Callable[[Iterator[Any]], Iterator[Any]]:
    """The ``mapInArrow`` function that screens partitions of orders (as JSON)."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        screener = shipped(screener_file)
        same_code(screener.matcher.index, driver_key)
        schema = pa.schema(
            [
                ("seq", pa.int64()),
                ("text", pa.string()),
                ("flagged", pa.bool_()),
                ("error", pa.bool_()),
            ]
        )
        for batch in batches:
            out = []
            for r in batch.to_pylist():
                if r["order"] is None:
                    errors = json.loads(r["errors"])
                    text = error_json(r["location"], r["source"], r["order_id"], errors)
                    out.append({"seq": r["seq"], "text": text, "flagged": False, "error": True})
                    continue
                order = Order.model_validate_json(r["order"])
                text, flagged = order_line(screener, order, r["location"])
                out.append({"seq": r["seq"], "text": text, "flagged": flagged, "error": False})
            yield pa.RecordBatch.from_pylist(out, schema=schema)

    return run
