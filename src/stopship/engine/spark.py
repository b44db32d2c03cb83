"""The Spark engine: the matcher index built once from the store, shipped to the executors
as a file (``SparkContext.addFile``), loaded once per Python worker, and whole partitions
matched with ``mapInArrow`` by the very code of the local engine."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import shutil
import tempfile
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from stopship.engine.base import EngineReport, errors_path, is_parquet
from stopship.engine.output import ResultWriter
from stopship.engine.rows import INPUT_COLUMNS, PARQUET_JSON_FIELDS, Outcome, checked
from stopship.engine.session import DEFAULT_MASTER, spark_session
from stopship.engine.worker import (
    CODE_MISMATCH,
    MATCH_OUT,
    SCREEN_OUT,
    match_partitions,
    screen_partitions,
)
from stopship.errors import EngineUnavailableError, InputError
from stopship.match.batch_io import read_rows
from stopship.match.engine import Matcher, index_folder
from stopship.screen.orders import read_orders
from stopship.screen.screener import Screener
from stopship.store import Store

Progress = Callable[[int], None]

#: where the files shipped to the executors are served from
SHIP_DIR = Path(tempfile.gettempdir()) / "stopship-spark"
#: rows per Spark partition (several partitions per core balance the load)
ROWS_PER_PARTITION = 20_000


@contextmanager
def _code_check() -> Iterator[None]:
    """A job refused by the executors for running other stopship code: a clear error."""
    try:
        yield
    except Exception as exc:
        if CODE_MISMATCH in str(exc):
            detail = str(exc)[str(exc).index(CODE_MISMATCH) :].splitlines()[0]
            raise EngineUnavailableError(detail) from None
        raise


class SparkEngine:
    """Batch matching and screening on Spark (``local[*]`` by default, or a cluster)."""

    name = "spark"

    def __init__(self, master: str = DEFAULT_MASTER, session: Any = None) -> None:
        self.master = master
        self._session = session  # a caller's session is used and left running
        self.shipped_bytes = 0

    # ------------------------------------------------------------------ plumbing

    def _spark(self) -> tuple[Any, bool]:
        """The session, and whether this run started it (and so stops it)."""
        if self._session is not None:
            return self._session, False
        from pyspark.sql import SparkSession

        if SparkSession.getActiveSession() is not None:  # e.g. inside spark-submit
            return SparkSession.getActiveSession(), False
        return spark_session(self.master), True

    def _ship(self, spark: Any, path: Path, tag: str) -> str:
        """Ship ``path`` to every executor under a name unique to its content; returns
        that name (``SparkFiles.get(name)`` on the executors). The copy that Spark serves
        is kept in :data:`SHIP_DIR` (one per content; a day-old one is removed)."""
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        name = f"stopship-{tag}-{digest.hexdigest()[:20]}.pkl"
        SHIP_DIR.mkdir(parents=True, exist_ok=True)
        local = SHIP_DIR / name
        if not local.exists():
            tmp = SHIP_DIR / f".{name}.{os.getpid()}.tmp"
            shutil.copyfile(path, tmp)
            os.replace(tmp, local)
        now = time.time()
        for old in SHIP_DIR.glob(f"stopship-{tag}-*.pkl"):
            if old != local and now - old.stat().st_mtime > 86_400:
                old.unlink(missing_ok=True)
        self.shipped_bytes = local.stat().st_size
        spark.sparkContext.addFile(str(local))
        return name

    def _partitions(self, spark: Any, rows: int) -> int:
        parallelism = int(spark.sparkContext.defaultParallelism)
        return max(1, min(max(parallelism * 2, -(-rows // ROWS_PER_PARTITION)), 100_000))

    # ------------------------------------------------------------------ match

    def run_match(
        self,
        input_path: Path,
        output: Path,
        *,
        threshold: float,
        limit: int,
        only: Collection[str] | None = None,
        errors: Path | None = None,
        progress: Progress | None = None,
    ) -> EngineReport:
        t0 = time.perf_counter()
        errors = errors or errors_path(output)
        if not input_path.exists():
            raise InputError(f"{input_path}: no such file")
        matcher = Matcher.from_store(Store())  # builds and persists the index if needed
        driver_key = matcher.index.key(matcher.index.versions)
        index_file = index_folder() / f"index-{driver_key}.pkl"
        scratch = tempfile.TemporaryDirectory(prefix="stopship-spark-")
        if not index_file.is_file():  # from_store persists it; a read-only home does not
            index_file = matcher.index.save(Path(scratch.name))
        del matcher
        t_index = time.perf_counter()
        spark, owned = self._spark()
        try:
            t_session = time.perf_counter()
            name = self._ship(spark, index_file, "index")
            scratch.cleanup()
            frame, rows_in = self._input_frame(spark, input_path)
            t_read = time.perf_counter()
            fn = match_partitions(
                name,
                input_path.name,
                threshold,
                limit,
                frozenset(only) if only is not None else None,
                is_parquet(output),
                driver_key,
            )
            result = frame.mapInArrow(fn, MATCH_OUT)
            with _code_check():
                report = self._write_match(result, output, errors, rows_in, progress)
        finally:
            scratch.cleanup()
            if owned:
                spark.stop()
        t_end = time.perf_counter()
        report.seconds = t_end - t0
        report.timings = {
            "index": t_index - t0,
            "session": t_session - t_index,
            "ship+read": t_read - t_session,
            "match+write": t_end - t_read,
        }
        return report

    def _input_frame(self, spark: Any, path: Path) -> tuple[Any, int]:
        """The input as a DataFrame of (row, line, the input columns, error), split into
        row ranges in order. Parquet is read by Spark itself (row numbers follow the order
        in which Spark scans the files: use one file, or give each row a ``ref``); CSV,
        JSONL and XLSX are parsed here with the local reader (same rows, same errors)."""
        from pyspark.sql import functions as F
        from pyspark.sql.types import LongType, StringType, StructField, StructType

        schema = StructType(
            [StructField("row", LongType()), StructField("line", LongType())]
            + [StructField(c, StringType()) for c in INPUT_COLUMNS]
            + [StructField("error", StringType())]
        )
        if is_parquet(path):
            df = spark.read.parquet(str(path))
            lower = {c.strip().lower(): c for c in df.columns}
            if "name" not in lower:
                raise InputError(f"{path}: no 'name' column ({', '.join(df.columns)})")
            cols = [
                F.col(f"`{lower[c]}`").alias(c)
                if c in lower
                else F.lit(None).cast("string").alias(c)
                for c in INPUT_COLUMNS
            ]
            df = df.select(*cols)
            df = df.withColumn("_pid", F.spark_partition_id()).withColumn(
                "_mid", F.monotonically_increasing_id()
            )
            counts = dict(df.groupBy("_pid").count().collect())
            offsets, total = [], 0
            for pid in range(max(counts, default=-1) + 1):
                offsets.append(total)
                total += counts.get(pid, 0)
            base = F.element_at(F.array(*[F.lit(o) for o in offsets or [0]]), F.col("_pid") + 1)
            pos = F.col("_mid") - F.shiftleft(F.col("_pid").cast("long"), 33)
            df = df.select(
                (base + pos + 1).cast("long").alias("row"),
                F.lit(None).cast("long").alias("line"),
                *[F.col(c) for c in INPUT_COLUMNS],
                F.lit(None).cast("string").alias("error"),
            )
            rows_in = total
        else:
            import pyarrow as pa

            recs = []
            for r in read_rows(path):
                r = checked(r, path.name)
                q = r.query
                recs.append(
                    {
                        "row": r.row,
                        "line": r.line,
                        "name": q.name if q else None,
                        "kind": q.kind.value if q and q.kind else None,
                        "country": q.country if q else None,
                        "birth_date": q.birth_date if q else None,
                        "id": q.id if q else None,
                        "ref": r.ref,
                        "error": r.error,
                    }
                )
            rows_in = len(recs)
            table = pa.Table.from_pylist(
                recs,
                schema=pa.schema(
                    [("row", pa.int64()), ("line", pa.int64())]
                    + [(c, pa.string()) for c in (*INPUT_COLUMNS, "error")]
                ),
            )
            df = spark.createDataFrame(table, schema=schema)
        n = self._partitions(spark, rows_in)
        return df.repartitionByRange(n, "row").sortWithinPartitions("row"), rows_in

    def _write_match(
        self,
        result: Any,
        output: Path,
        errors: Path,
        rows_in: int,
        progress: Progress | None,
    ) -> EngineReport:
        from pyspark import StorageLevel
        from pyspark.sql import functions as F

        # on disk: the results are large text, and the driver's heap must stay free for
        # the partitions it streams (a 1M-row run lost a task result with MEMORY_AND_DISK)
        result = result.persist(StorageLevel.DISK_ONLY)
        try:
            counts = result.agg(
                F.count(F.lit(1)).alias("n"),
                F.sum(F.when(F.col("error").isNull(), 1).otherwise(0)).alias("ok"),
                F.sum(F.when(F.col("error").isNull() & F.col("alert"), 1).otherwise(0)).alias(
                    "alerts"
                ),
            ).collect()[0]
            n, ok, alerts = int(counts["n"]), int(counts["ok"] or 0), int(counts["alerts"] or 0)
            if is_parquet(output):
                good = result.filter(F.col("error").isNull())
                good.select("row", "ref", "alert", *PARQUET_JSON_FIELDS).write.mode(
                    "overwrite"
                ).parquet(str(output))
                if not is_parquet(errors):
                    self._write_local(result.filter(F.col("error").isNotNull()), output, errors)
                else:
                    result.filter(F.col("error").isNotNull()).select(
                        "row", "line", "ref", "error"
                    ).write.mode("overwrite").parquet(str(errors))
                if progress is not None:
                    progress(n)
            else:
                self._write_local(result, output, errors, progress)
        finally:
            result.unpersist()
        return EngineReport(
            engine=f"spark ({self.master})",
            rows_in=rows_in,
            rows_out=ok,
            rows_error=n - ok,
            alerts=alerts,
            output=output,
            errors=errors,
            seconds=0.0,
        )

    def _write_local(
        self, result: Any, output: Path, errors: Path, progress: Progress | None = None
    ) -> None:
        """Stream the (computed, persisted) results to the driver in row order and write
        them with the local engine's writer."""
        target = output if not is_parquet(output) else Path(os.devnull)
        with ResultWriter(target, errors) as w:
            for r in result.toLocalIterator(prefetchPartitions=True):
                w.add(
                    Outcome(r["row"], r["line"], r["ref"], bool(r["alert"]), r["text"], r["error"])
                )
                if progress is not None:
                    progress(1)

    # ------------------------------------------------------------------ screen

    def run_screen(
        self,
        input_path: Path,
        output: Path,
        *,
        rules: Path | None = None,
        goods_lists: tuple[Path, ...] = (),
        skip: int = 0,
        append: bool = False,
        progress: Progress | None = None,
    ) -> EngineReport:
        import pyarrow as pa

        t0 = time.perf_counter()
        records = list(read_orders(input_path))[skip:]
        screener = Screener.from_store(Store(), rules=rules, goods_lists=goods_lists)
        driver_key = screener.matcher.index.key(screener.matcher.index.versions)
        scratch = tempfile.TemporaryDirectory(prefix="stopship-spark-")
        screener_file = Path(scratch.name) / "screener.pkl"
        with screener_file.open("wb") as fh:
            pickle.dump(screener, fh, protocol=pickle.HIGHEST_PROTOCOL)
        del screener
        t_index = time.perf_counter()
        spark, owned = self._spark()
        try:
            t_session = time.perf_counter()
            name = self._ship(spark, screener_file, "screener")
            scratch.cleanup()
            table = pa.Table.from_pylist(
                [
                    {
                        "seq": i,
                        "location": rec.location,
                        "source": rec.source,
                        "order_id": rec.order_id,
                        "order": rec.order.model_dump_json() if rec.order is not None else None,
                        "errors": json.dumps(list(rec.errors), ensure_ascii=False),
                    }
                    for i, rec in enumerate(records)
                ],
                schema=pa.schema(
                    [("seq", pa.int64())]
                    + [
                        (c, pa.string())
                        for c in ("location", "source", "order_id", "order", "errors")
                    ]
                ),
            )
            schema = (
                "seq long, location string, source string, order_id string, order string, "
                "errors string"
            )
            df = spark.createDataFrame(table, schema=schema)
            n = self._partitions(spark, len(records))
            df = df.repartitionByRange(n, "seq").sortWithinPartitions("seq")
            result = df.mapInArrow(screen_partitions(name, driver_key), SCREEN_OUT)
            flagged = failed = 0
            with _code_check(), output.open("a" if append else "w", encoding="utf-8") as fh:
                for r in result.toLocalIterator(prefetchPartitions=True):
                    fh.write(r["text"] + "\n")
                    flagged += bool(r["flagged"])
                    failed += bool(r["error"])
                    if progress is not None:
                        progress(1)
        finally:
            scratch.cleanup()
            if owned:
                spark.stop()
        t_end = time.perf_counter()
        return EngineReport(
            engine=f"spark ({self.master})",
            rows_in=len(records),
            rows_out=len(records) - failed,
            rows_error=failed,
            alerts=flagged,
            output=output,
            errors=output,
            seconds=t_end - t0,
            timings={
                "index": t_index - t0,
                "session": t_session - t_index,
                "screen": t_end - t_session,
            },
        )
