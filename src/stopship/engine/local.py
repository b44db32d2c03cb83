"""The local engine: this machine's cores, through the forked worker pool of
:mod:`stopship.match.parallel` (the embedded engine of ``stopship match --input``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from pathlib import Path

from stopship.engine.base import EngineReport, errors_path
from stopship.engine.output import ResultWriter
from stopship.engine.rows import checked, match_rows
from stopship.engine.screening import record_line
from stopship.match.batch_io import read_rows
from stopship.match.engine import Matcher
from stopship.match.parallel import default_workers
from stopship.screen.orders import read_orders
from stopship.screen.screener import Screener
from stopship.store import Store

Progress = Callable[[int], None]


class LocalEngine:
    """Batch matching and screening in worker processes on this machine."""

    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or default_workers()

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
        matcher = Matcher.from_store(Store())
        t_index = time.perf_counter()
        rows = [checked(r, input_path.name) for r in read_rows(input_path)]
        t_read = time.perf_counter()
        with ResultWriter(output, errors) as w:
            for o in match_rows(
                matcher,
                rows,
                input_path.name,
                threshold=threshold,
                limit=limit,
                only=only,
                workers=self.workers,
            ):
                w.add(o)
                if progress is not None:
                    progress(1)
        t_end = time.perf_counter()
        return EngineReport(
            engine=f"local ({self.workers} workers)",
            rows_in=len(rows),
            rows_out=w.rows_out,
            rows_error=w.rows_error,
            alerts=w.alerts,
            output=output,
            errors=errors,
            seconds=t_end - t0,
            timings={"index": t_index - t0, "read": t_read - t_index, "match": t_end - t_read},
        )

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
        """One process (the screener caches per party across orders)."""
        t0 = time.perf_counter()
        records = list(read_orders(input_path))[skip:]
        screener = Screener.from_store(Store(), rules=rules, goods_lists=goods_lists)
        t_index = time.perf_counter()
        flagged = failed = 0
        with output.open("a" if append else "w", encoding="utf-8") as fh:
            for rec in records:
                line, flag, error = record_line(screener, rec)
                flagged += flag
                failed += error
                fh.write(line + "\n")
                fh.flush()  # one complete line per order: a crash loses at most the current one
                if progress is not None:
                    progress(1)
        t_end = time.perf_counter()
        return EngineReport(
            engine="local",
            rows_in=len(records),
            rows_out=len(records) - failed,
            rows_error=failed,
            alerts=flagged,
            output=output,
            errors=output,
            seconds=t_end - t0,
            timings={"index": t_index - t0, "screen": t_end - t_index},
        )
