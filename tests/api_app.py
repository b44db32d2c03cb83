"""Shared set-up for the API, UI and browser tests: a STOPSHIP_HOME with a small
fictional list (tests/unit/test_screen_checks.SMALL_LIST plus two entries for the UI
tests), a screener over it, the app, and API keys of every role."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from fastapi import FastAPI

from stopship.api import ApiSettings, create_app
from stopship.cases import ApiKey, CaseService, Role
from stopship.model import Entity, EntityKind, Name
from stopship.screen.screener import Screener
from stopship.store import Store
from tests.unit.test_screen_checks import SMALL_LIST

#: a listed name that is also an HTML injection attempt (fictional)
XSS_NAME = "<script>alert(1)</script>"
#: a query that matches "JSC Testzone Industrial" at review level (alerting, below 0.90)
REVIEW_QUERY = "JSC Testzone"
#: a query that matches it at block level
BLOCK_QUERY = "JSC Testzone Industrial"

EXTRA: tuple[Entity, ...] = (
    Entity(
        id="test:900",
        source="test",
        record_id="900",
        kind=EntityKind.ORGANIZATION,
        list_name="Fictional Test List",
        names=(Name(value=XSS_NAME),),
    ),
)


def load_store(home: Path, url: str | None = None) -> Store:
    """The store at ``url`` (default: under ``home``, which STOPSHIP_HOME must point to)
    with the small list."""
    store = Store(url)
    store.replace_source("test", SMALL_LIST + EXTRA, published=date(2026, 1, 1), meta={})
    return store


@dataclass
class ApiEnv:
    store: Store
    screener: Screener
    cases: CaseService
    keys: dict[Role, tuple[ApiKey, str]]

    def app(self, settings: ApiSettings | None = None) -> FastAPI:
        return create_app(
            store=self.store, screener=self.screener, cases=self.cases, settings=settings
        )

    def auth(self, role: Role = Role.ADMIN) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[role][1]}"}

    def secret(self, role: Role) -> str:
        return self.keys[role][1]


def make_env(home: Path, url: str | None = None) -> ApiEnv:
    store = load_store(home, url)
    screener = Screener.from_store(store)
    cases = CaseService(store)
    keys = {role: cases.create_key(role, f"{role.value}-1") for role in Role}
    return ApiEnv(store, screener, cases, keys)


#: a SQLite store with the list and the keys, its screener and keys: built once per
#: session, then copied for each test (a fresh database each time, in milliseconds)
_TEMPLATE: list[tuple[Path, Screener, dict[Role, tuple[ApiKey, str]]]] = []


def sqlite_env(home: Path) -> ApiEnv:
    """:func:`make_env` on SQLite under ``home`` (STOPSHIP_HOME), from the template."""
    if not _TEMPLATE:
        base = Path(tempfile.mkdtemp(prefix="stopship-api-template-"))
        atexit.register(shutil.rmtree, base, True)
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("STOPSHIP_HOME", str(base))
            env = make_env(base)
            env.store.close()
        _TEMPLATE.append((base / "stopship.db", env.screener, env.keys))
    db, screener, keys = _TEMPLATE[0]
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(db, home / "stopship.db")
    store = Store()
    return ApiEnv(store, screener, CaseService(store), keys)


def env_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str | None = None
) -> Iterator[ApiEnv]:
    """For a fixture: ``yield from env_in(tmp_path, monkeypatch)``; ``url`` names another
    store database (PostgreSQL)."""
    home = tmp_path / "home"
    monkeypatch.setenv("STOPSHIP_HOME", str(home))
    monkeypatch.delenv("STOPSHIP_DB_URL", raising=False)
    env = sqlite_env(home) if url is None or url.startswith("sqlite") else make_env(home, url)
    yield env
    env.store.close()
