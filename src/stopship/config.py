"""Where stopship keeps its data: ``STOPSHIP_HOME`` (default: the per-user data dir)
and the store URL ``STOPSHIP_DB_URL`` (default: SQLite in the home)."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir


def home() -> Path:
    env = os.environ.get("STOPSHIP_HOME")
    path = Path(env).expanduser() if env else Path(user_data_dir("stopship", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def db_url() -> str:
    env = os.environ.get("STOPSHIP_DB_URL")
    if env:
        return env
    return f"sqlite:///{home() / 'stopship.db'}"
