"""What every part of the case service shares: the engine, the clock, transactions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError

from stopship.errors import StopshipError, StoreError
from stopship.store import Store


def utc(dt: datetime) -> datetime:
    """Timezone-aware UTC (SQLite hands back naive datetimes, stored as UTC)."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def utc_or_none(dt: datetime | None) -> datetime | None:
    return None if dt is None else utc(dt)


class ServiceBase:
    """The state of a :class:`~stopship.cases.CaseService`; the mixins build on it."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], datetime] | None = None,
        suppression_days: int | None = 365,
    ) -> None:
        self.store = store
        self.engine: Engine = store.engine
        self._clock = clock or (lambda: datetime.now(UTC))
        self.suppression_days = suppression_days

    def now(self) -> datetime:
        return utc(self._clock())

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """One write transaction. On SQLite it takes the write lock at once (BEGIN
        IMMEDIATE), so writers queue instead of failing on a stale read snapshot; on
        PostgreSQL rows are locked where the code says so (the audit head, versions)."""
        try:
            with self.engine.connect() as conn, conn.begin():
                if conn.dialect.name == "sqlite":
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                yield conn
        except StopshipError:
            raise
        except SQLAlchemyError as exc:
            raise StoreError(f"the case store could not be written: {exc}") from exc

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        try:
            with self.engine.connect() as conn:
                yield conn
        except StopshipError:
            raise
        except SQLAlchemyError as exc:
            raise StoreError(f"the case store could not be read: {exc}") from exc
