"""The batch engine contract: one interface, two implementations (local processes, Spark),
the same answers. An engine reads a batch file, screens every row and writes:

* ``output``: one line (JSONL) or record (Parquet) per screened row, in input order, the same
  JSON lines as ``stopship match --input`` (:func:`stopship.cli.match.result_json`);
* ``errors``: one record per row that could not be screened (``row``, ``line``, ``ref``,
  ``error``), so that rows in = rows out + rows in error.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol


@dataclass
class EngineReport:
    """What one batch run did. ``rows_in == rows_out + rows_error`` always holds."""

    engine: str
    rows_in: int
    rows_out: int
    rows_error: int
    alerts: int
    output: Path
    errors: Path
    seconds: float
    #: named phases in seconds (e.g. ``session``, ``index``, ``match``)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def balanced(self) -> bool:
        return self.rows_in == self.rows_out + self.rows_error

    def summary(self) -> str:
        return (
            f"{self.rows_in} rows in: {self.rows_out} screened ({self.alerts} with alerts), "
            f"{self.rows_error} in error"
        )


class Engine(Protocol):
    """A batch engine: ``local`` (forked processes on this machine) or ``spark``."""

    name: str

    def run_match(
        self,
        input_path: Path,
        output: Path,
        *,
        threshold: float,
        limit: int,
        only: Collection[str] | None = None,
        errors: Path | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> EngineReport:
        """Match every row of ``input_path`` (CSV, JSONL, XLSX or Parquet with a ``name``
        column); ``only`` restricts hits to these entity ids (delta re-screening)."""
        ...

    def run_screen(
        self,
        input_path: Path,
        output: Path,
        *,
        rules: Path | None = None,
        goods_lists: tuple[Path, ...] = (),
        skip: int = 0,
        append: bool = False,
        progress: Callable[[int], None] | None = None,
    ) -> EngineReport:
        """Screen every order of ``input_path`` into JSONL decisions (the lines of
        ``stopship screen``); the first ``skip`` orders are left out (resume)."""
        ...


def errors_path(output: Path) -> Path:
    """Where the bad rows of ``output`` go by default: ``hits.errors.jsonl`` beside
    ``hits.jsonl``, ``hits.errors.parquet`` beside ``hits.parquet``."""
    suffix = ".parquet" if is_parquet(output) else ".jsonl"
    return output.with_name(output.stem + ".errors" + suffix)


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() == ".parquet"
