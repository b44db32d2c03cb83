"""Writing an engine's results on this machine: JSONL lines or Parquet records for the
screened rows, and the bad rows beside them."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

from stopship.engine.base import is_parquet
from stopship.engine.rows import PARQUET_JSON_FIELDS, Outcome, parquet_record
from stopship.errors import EngineUnavailableError

_BATCH = 8192


def parquet_schemas() -> tuple[Any, Any]:
    """The Arrow schemas of the Parquet output and of its error output."""
    try:
        import pyarrow as pa
    except ImportError as exc:
        raise EngineUnavailableError(
            "Parquet output needs pyarrow: pip install 'stopship[spark]'"
        ) from exc
    rows = pa.schema(
        [("row", pa.int64()), ("ref", pa.string()), ("alert", pa.bool_())]
        + [(k, pa.string()) for k in PARQUET_JSON_FIELDS]
    )
    errors = pa.schema(
        [("row", pa.int64()), ("line", pa.int64()), ("ref", pa.string()), ("error", pa.string())]
    )
    return rows, errors


class _ParquetDir:
    """A Parquet dataset folder written in parts (``part-00000.parquet``, ...)."""

    def __init__(self, path: Path, schema: Any) -> None:
        if path.exists():
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        path.mkdir(parents=True)
        self.path, self.schema = path, schema
        self.buffer: list[dict[str, Any]] = []
        self.parts = 0

    def add(self, rec: dict[str, Any]) -> None:
        self.buffer.append(rec)
        if len(self.buffer) >= _BATCH * 8:
            self.flush()

    def flush(self, final: bool = False) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.buffer and not (final and self.parts == 0):
            return
        table = pa.Table.from_pylist(self.buffer, schema=self.schema)
        pq.write_table(table, self.path / f"part-{self.parts:05d}.parquet")
        self.parts += 1
        self.buffer = []


class ResultWriter:
    """Writes :class:`Outcome` s in order: screened rows to ``output``, bad rows to
    ``errors`` (JSONL file or Parquet folder, by the ``.parquet`` suffix of each)."""

    def __init__(self, output: Path, errors: Path) -> None:
        self.output, self.errors = output, errors
        self.rows_out = self.rows_error = self.alerts = 0
        self._files: list[Any] = []
        self._out: Any = None
        self._err: Any = None

    def __enter__(self) -> ResultWriter:
        rows_schema = errors_schema = None
        if is_parquet(self.output) or is_parquet(self.errors):
            rows_schema, errors_schema = parquet_schemas()
        self.output.parent.mkdir(parents=True, exist_ok=True)
        if is_parquet(self.output):
            self._out = _ParquetDir(self.output, rows_schema)
        else:
            self._out = self.output.open("w", encoding="utf-8")
            self._files.append(self._out)
        if is_parquet(self.errors):
            self._err = _ParquetDir(self.errors, errors_schema)
        else:
            self._err = self.errors.open("w", encoding="utf-8")
            self._files.append(self._err)
        return self

    def add(self, o: Outcome) -> None:
        if o.error is not None:
            self.rows_error += 1
            if isinstance(self._err, _ParquetDir):
                self._err.add(o.error_record())
            else:
                self._err.write(json.dumps(o.error_record(), ensure_ascii=False) + "\n")
            return
        self.rows_out += 1
        self.alerts += o.alert
        if isinstance(self._out, _ParquetDir):
            self._out.add(parquet_record(o))
        else:
            self._out.write((o.text or "") + "\n")

    def add_all(self, outcomes: Iterable[Outcome]) -> None:
        for o in outcomes:
            self.add(o)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for d in (self._out, self._err):
            if isinstance(d, _ParquetDir) and exc is None:
                d.flush(final=True)
        for f in self._files:
            f.close()
