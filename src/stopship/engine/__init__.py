"""Batch engines with one contract and the same answers: :class:`LocalEngine` (worker
processes on this machine) and :class:`SparkEngine` (PySpark, ``stopship[spark]``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stopship.engine.base import Engine, EngineReport, errors_path
from stopship.engine.local import LocalEngine

if TYPE_CHECKING:
    from stopship.engine.spark import SparkEngine


def __getattr__(name: str) -> object:  # SparkEngine without importing Spark up front
    if name == "SparkEngine":
        from stopship.engine.spark import SparkEngine

        return SparkEngine
    raise AttributeError(name)


ENGINES = ("local", "spark")


def engine_for(name: str, *, workers: int | None = None, master: str | None = None) -> Engine:
    """The engine called ``name`` (``local`` or ``spark``); Spark is imported only here."""
    from stopship.errors import InputError

    if name == "local":
        return LocalEngine(workers)
    if name == "spark":
        from stopship.engine.session import DEFAULT_MASTER, require_spark
        from stopship.engine.spark import SparkEngine

        require_spark()
        return SparkEngine(master or DEFAULT_MASTER)
    raise InputError(f"--engine {name!r}: use local or spark")


__all__ = [
    "ENGINES",
    "Engine",
    "EngineReport",
    "LocalEngine",
    "SparkEngine",
    "engine_for",
    "errors_path",
]
