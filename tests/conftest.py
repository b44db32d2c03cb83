from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"


def shared_lists_dir() -> Path:
    return Path(os.environ.get("STOPSHIP_SHARED_LISTS", ROOT.parent / "shared" / "lists"))


@pytest.fixture(scope="session")
def shared_lists() -> Path:
    """The real official list files beside the project (``../shared/lists``, or
    ``$STOPSHIP_SHARED_LISTS``). Tests that need them skip when they are absent."""
    d = shared_lists_dir()
    if not (d / "MANIFEST.md").is_file():
        pytest.skip(f"real list files not found at {d} (set STOPSHIP_SHARED_LISTS)")
    return d


@pytest.fixture()
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh STOPSHIP_HOME for one test."""
    h = tmp_path / "home"
    monkeypatch.setenv("STOPSHIP_HOME", str(h))
    monkeypatch.delenv("STOPSHIP_DB_URL", raising=False)
    return h
