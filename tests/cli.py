"""Running the real ``stopship`` entry point in a subprocess, for the CLI tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def cli_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, STOPSHIP_HOME=str(home), COLUMNS="200")
    env.pop("STOPSHIP_DB_URL", None)
    return env


def run(home: Path, *args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """``python -m stopship ARGS`` with STOPSHIP_HOME=home; never raises on exit codes."""
    return subprocess.run(
        [sys.executable, "-m", "stopship", *args],
        capture_output=True,
        text=True,
        env=cli_env(home),
        timeout=timeout,
    )
