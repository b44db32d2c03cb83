"""WAL checkpoints of a SQLite store in a background thread, off the request path.

By default SQLite checkpoints its write-ahead log inside the commit that pushes the log
past 1,000 pages: that commit copies the pages into the database file and syncs it,
which took up to ~70 ms on this machine, every few seconds under load. In a server the
request doing that commit waits, and every request queued behind it. While a
:class:`WalCheckpointer` runs, the engine's connections do not checkpoint
(``PRAGMA wal_autocheckpoint=0``) and a thread checkpoints every ``interval`` seconds
instead (``PRAGMA wal_checkpoint(PASSIVE)``: it never waits for readers or writers, who
carry on meanwhile; the sqlite3 module releases the interpreter lock while it works).
Other processes on the same file (the CLI) keep SQLite's automatic checkpoints.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)


class WalCheckpointer:
    """Checkpoints ``engine``'s SQLite database every ``interval`` seconds in a daemon
    thread while started; does nothing for other databases."""

    def __init__(self, engine: Engine, *, interval: float = 1.0) -> None:
        self.engine = engine
        self.interval = interval
        self.active = engine.dialect.name == "sqlite" and interval > 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.passes = 0
        #: the last pass's (busy, log frames, frames checkpointed)
        self.last: tuple[int, int, int] | None = None

        def no_autocheckpoint(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")

        # one listener per checkpointer: two apps may share an engine (tests)
        self._listener = no_autocheckpoint

    def start(self) -> WalCheckpointer:
        if not self.active or self._thread is not None:
            return self
        event.listen(self.engine, "connect", self._listener)
        self.engine.dispose()  # pooled connections were opened with the default
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="stopship-wal", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the thread, checkpoint once more, and give the engine's connections
        SQLite's automatic checkpoints back."""
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join(timeout)
        self._thread = None
        if event.contains(self.engine, "connect", self._listener):
            event.remove(self.engine, "connect", self._listener)
        self.checkpoint()
        self.engine.dispose()

    def checkpoint(self) -> tuple[int, int, int] | None:
        """One passive checkpoint on a connection of its own."""
        try:
            conn = self.engine.raw_connection()
            try:
                cur = conn.cursor()
                cur.execute("PRAGMA wal_checkpoint(PASSIVE)")
                row = cur.fetchone()
                cur.close()
            finally:
                conn.close()
        except Exception as exc:  # keep serving: SQLite's WAL only grows meanwhile
            log.warning("WAL checkpoint failed: %s", exc)
            return None
        self.passes += 1
        self.last = (int(row[0]), int(row[1]), int(row[2])) if row else None
        return self.last

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.checkpoint()
