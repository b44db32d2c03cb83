"""WAL checkpoints in a background thread: while it runs, commits do not checkpoint
(SQLite's automatic checkpoint is off on the engine's connections), the thread does;
stopping gives the automatic checkpoints back."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import create_engine

from stopship.store import Store
from stopship.store.checkpoint import WalCheckpointer


def _autocheckpoint(store: Store) -> int:
    conn = store.engine.raw_connection()
    try:
        return int(conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0])  # type: ignore[attr-defined]
    finally:
        conn.close()


def _write_mb(store: Store, mb: int) -> None:
    with store.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS filler (x BLOB)")
    for _ in range(mb * 4):  # many commits, as a server makes
        with store.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO filler VALUES (randomblob(262144))")


def test_commits_leave_the_checkpoints_to_the_thread(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    wal = tmp_path / "s.db-wal"
    try:
        assert _autocheckpoint(store) == 1000
        cp = WalCheckpointer(store.engine, interval=3600).start()
        assert _autocheckpoint(store) == 0
        _write_mb(store, 8)
        # no commit checkpointed: the log holds all 8 MB (SQLite's own checkpoints would
        # have restarted it at about 4 MB)
        assert os.path.getsize(wal) > 8 * 1024 * 1024
        busy, frames, done = cp.checkpoint() or (1, 0, 0)
        assert busy == 0 and frames > 2000 and done == frames
        cp.stop()
        assert _autocheckpoint(store) == 1000
    finally:
        store.close()


def test_the_thread_checkpoints_every_interval(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    cp = WalCheckpointer(store.engine, interval=0.05).start()
    try:
        _write_mb(store, 1)
        deadline = time.monotonic() + 20
        while (cp.last is None or cp.last[2] == 0) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert cp.last is not None and cp.last[0] == 0 and cp.last[2] > 0
    finally:
        cp.stop()
        store.close()


def test_other_databases_are_left_alone() -> None:
    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    cp = WalCheckpointer(engine, interval=1).start()
    assert cp.active is False and cp.passes == 0
    cp.stop()


def test_two_checkpointers_on_one_engine_stop_independently(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 's.db'}")
    try:
        a = WalCheckpointer(store.engine, interval=3600).start()
        b = WalCheckpointer(store.engine, interval=3600).start()
        a.stop()
        assert _autocheckpoint(store) == 0  # b still runs
        b.stop()
        assert _autocheckpoint(store) == 1000
    finally:
        store.close()
