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


@pytest.fixture(scope="session")
def real_lists_home(shared_lists: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A STOPSHIP_HOME holding every real list, loaded once for the whole session. Use
    it by setting STOPSHIP_HOME to it (the environment is left as it was)."""
    from stopship.sources import SOURCES
    from stopship.store import Store
    from stopship.update import update

    home = tmp_path_factory.mktemp("real-lists-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("STOPSHIP_HOME", str(home))
        mp.delenv("STOPSHIP_DB_URL", raising=False)
        store = Store()
        results = update(store, list(SOURCES), from_dir=shared_lists)
        store.close()
    failed = [(r.source, r.error) for r in results if not r.ok]
    assert not failed, failed
    return home
